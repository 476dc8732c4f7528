"""Design rules for a credential version, shared by the editor forms, the services
and the review-readiness checklist so a rule is written once.

Input rules (`rubric_problems`, `evidence_problems`, ...) return `Problem`s that
point at the item they concern, so the editor can show the message next to it.
`missing_parts` lists what still keeps a draft from going to review, each message
naming its part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microcred.catalog.models import CredentialVersion


# The six parts a designer fills in, in the studio's order, each with its tab's name.
PART_TABS: dict[str, str] = {
    "basics": "Basics",
    "targets": "Targets",
    "rubric": "Rubric",
    "resources": "Resources",
    "task": "Task & reflections",
    "evidence": "Evidence",
}


# The most credentials a credential may require an educator to earn first: a prerequisite
# is a door, and a long list of them is a program (a stack) in disguise.
MAX_PREREQUISITES = 5


@dataclass(frozen=True)
class Problem:
    message: str
    index: int | None = None  # which item of a list, when the rule is about one item
    field: str | None = None


@dataclass
class LevelInput:
    name: str
    descriptor: str


@dataclass
class SectionInput:
    name: str
    description: str
    target_ids: list[int]
    levels: list[LevelInput]
    passing_index: int | None
    evidence_ids: list[int] = field(default_factory=list)  # none: judged on all the evidence


@dataclass
class TargetInput:
    text: str
    id: int | None = None


@dataclass
class StandardInput:
    framework: str
    code: str
    name: str
    url: str = ""


@dataclass
class EvidenceInput:
    title: str
    kind: str
    description: str
    look_fors: str = ""
    min_count: int = 1
    max_count: int = 1
    max_minutes: int | None = None
    max_words: int | None = None
    consent_required: bool = False
    id: int | None = None  # an existing requirement keeps its identity (and its sections)


@dataclass
class ResourceInput:
    title: str
    kind: str
    description: str = ""
    url: str = ""
    id: int | None = None  # an existing resource whose file is kept when no new file comes
    upload_name: str = ""  # storage name of a newly uploaded file
    file_name: str = ""
    content_type: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a draft from review, and where it is fixed: the part's editor
    and the id of the field (or item) on that page."""

    message: str
    part: str
    anchor: str = ""


@dataclass
class Readiness:
    """What the overview's checklist shows: per part, done or the messages that block it,
    and every message with the field it is about (`problems`), all found at once."""

    parts: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Missing] = field(default_factory=list)

    def add(self, part: str, message: str, anchor: str = "") -> None:
        self.parts.setdefault(part, []).append(message)
        self.problems.append(Missing(message, part, anchor))

    @property
    def missing(self) -> list[str]:
        return [message for messages in self.parts.values() for message in messages]

    @property
    def ready(self) -> bool:
        return not self.missing


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def rubric_problems(
    sections: list[SectionInput], pass_rule: str, pass_min: int | None
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, section in enumerate(sections):
        label = f"Section {i + 1}"
        if not section.name.strip():
            problems.append(Problem(f"{label} needs a name.", i, "name"))
        else:
            key = _norm(section.name)
            if key in seen:
                problems.append(
                    Problem(
                        f"{label} has the same name as section {seen[key] + 1} (“{section.name.strip()}”). "
                        "Give each section its own name.",
                        i,
                        "name",
                    )
                )
            else:
                seen[key] = i
        if len(section.levels) < 2:
            problems.append(Problem(f"{label} needs at least two performance levels.", i, "levels"))
        level_names: set[str] = set()
        for j, level in enumerate(section.levels):
            if not level.name.strip():
                problems.append(Problem(f"{label}, level {j + 1} needs a name.", i, "levels"))
            elif _norm(level.name) in level_names:
                problems.append(
                    Problem(f"{label} has two levels named “{level.name.strip()}”.", i, "levels")
                )
            level_names.add(_norm(level.name))
            if not level.descriptor.strip():
                problems.append(
                    Problem(
                        f"{label}, level “{level.name.strip() or j + 1}” needs a descriptor of what it looks like.",
                        i,
                        "levels",
                    )
                )
        if section.passing_index is None or not (0 <= section.passing_index < len(section.levels)):
            problems.append(
                Problem(
                    f"{label} has no passing level. Choose the lowest level that earns the section.",
                    i,
                    "passing",
                )
            )
    if pass_rule == "at_least":  # noqa: S105 - a rubric rule, not a password
        if not pass_min or pass_min < 1:
            problems.append(Problem("Say how many sections must pass.", None, "pass_min_sections"))
        elif pass_min > len(sections):
            problems.append(
                Problem(
                    f"The rubric has {len(sections)} section(s), so {pass_min} cannot be required to pass.",
                    None,
                    "pass_min_sections",
                )
            )
    return problems


def evidence_problems(requirements: list[EvidenceInput]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, req in enumerate(requirements):
        label = f"Evidence requirement {i + 1}"
        if not req.title.strip():
            problems.append(Problem(f"{label} needs a title.", i, "title"))
        elif _norm(req.title) in seen:
            problems.append(
                Problem(
                    f"{label} has the same title as requirement {seen[_norm(req.title)] + 1}.",
                    i,
                    "title",
                )
            )
        else:
            seen[_norm(req.title)] = i
        if not req.description.strip():
            problems.append(
                Problem(
                    f"{label} has no description. Say what the educator submits.", i, "description"
                )
            )
        if req.min_count < 1:
            problems.append(
                Problem(f"{label}: at least one item must be asked for.", i, "min_count")
            )
        if req.max_count < req.min_count:
            problems.append(
                Problem(
                    f"{label}: the most items ({req.max_count}) is below the fewest ({req.min_count}).",
                    i,
                    "max_count",
                )
            )
        if req.max_minutes is not None and req.kind != "video":
            problems.append(
                Problem(f"{label}: a length in minutes applies to video only.", i, "max_minutes")
            )
        if req.max_words is not None and req.kind != "written":
            problems.append(
                Problem(f"{label}: a word limit applies to written answers only.", i, "max_words")
            )
    return problems


def target_problems(targets: list[TargetInput]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, target in enumerate(targets):
        if not target.text.strip():
            problems.append(
                Problem(f"Learning target {i + 1} is empty. Write it or remove it.", i, "text")
            )
        elif _norm(target.text) in seen:
            problems.append(
                Problem(f"Learning target {i + 1} repeats an earlier target.", i, "text")
            )
        seen.add(_norm(target.text))
    return problems


def resource_problems(resources: list[ResourceInput]) -> list[Problem]:
    problems: list[Problem] = []
    for i, resource in enumerate(resources):
        label = f"Resource {i + 1}"
        if not resource.title.strip():
            problems.append(Problem(f"{label} needs a title.", i, "title"))
        if resource.kind == "link" and not resource.url:
            problems.append(Problem(f"{label} is a link: give its web address.", i, "url"))
        if resource.kind == "file" and not (resource.upload_name or resource.id):
            problems.append(Problem(f"{label} is a file: choose a file to upload.", i, "file"))
    return problems


def _anchor(list_name: str, problem: Problem) -> str:
    """The id on the part's editor page of the item (or its field) a rule is about."""
    if problem.index is None:
        return f"id_{problem.field}" if problem.field else ""
    if problem.field in (None, "levels", "passing"):
        return f"item-{list_name}-{problem.index}"
    return f"id_{list_name}-{problem.index}-{problem.field}"


def missing_parts(version: CredentialVersion) -> Readiness:
    """Everything that keeps `version` from going to review, grouped by part, each with the
    field it is about: every rule is checked, so the designer sees the whole list at once.

    Expects the version's parts to be prefetched (see selectors.version_for_studio);
    it reads them through the related managers' `.all()`.
    """
    readiness = Readiness()
    for part in PART_TABS:
        readiness.parts[part] = []
    add = readiness.add
    if not version.title.strip():
        add("basics", "Basics: give the credential a title.", "id_title")
    if not version.summary.strip():
        add("basics", "Basics: write a summary educators read in the catalog.", "id_summary")
    if not version.competency.strip():
        add("basics", "Basics: name the competency.", "id_competency")
    if not version.key_method.strip():
        add("basics", "Basics: describe the key method.", "id_key_method")
    if not list(version.audiences.all()):
        add("basics", "Basics: choose who the credential is for (audience).", "id_audiences_0")
    if version.estimated_hours is None or version.estimated_hours <= Decimal(0):
        add("basics", "Basics: estimate the hours it takes.", "id_estimated_hours")

    targets = list(version.targets.all())
    if not targets:
        add("targets", "Learning targets: add at least one learning target.", "add-targets")

    sections = list(version.sections.all())
    if not sections:
        add("rubric", "Success criteria: add at least one rubric section.", "add-sections")
    section_inputs = [
        SectionInput(
            name=s.name,
            description=s.description,
            target_ids=[t.pk for t in s.targets.all()],
            levels=[LevelInput(lv.name, lv.descriptor) for lv in s.levels.all()],
            passing_index=next(
                (j for j, lv in enumerate(s.levels.all()) if lv.pk == s.passing_level_id), None
            ),
        )
        for s in sections
    ]
    for p in rubric_problems(section_inputs, version.pass_rule, version.pass_min_sections):
        add("rubric", f"Success criteria: {p.message}", _anchor("sections", p))
    for i, (s, section_input) in enumerate(zip(sections, section_inputs, strict=True)):
        if not section_input.target_ids:
            add(
                "rubric",
                f"Success criteria: section “{s.name}” is not tied to a learning target.",
                f"id_sections-{i}-targets_0",
            )
    if targets and sections:
        covered = {tid for si in section_inputs for tid in si.target_ids}
        for t in targets:
            if t.pk not in covered:
                add(
                    "rubric",
                    f"Success criteria: learning target {t.code} is not assessed by any section.",
                    "item-sections-0",
                )

    # Once sections say which evidence they are judged on, every requirement must be judged
    # somewhere (a section tied to none is judged on all of it).
    requirements = list(version.evidence_requirements.all())
    if any(s.evidence.all() for s in sections):
        judged = {r.pk for s in sections for r in s.judged_on(requirements)}
        for r in requirements:
            if r.pk not in judged:
                add(
                    "rubric",
                    f"Success criteria: no section is judged on the evidence “{r.title}”.",
                    "item-sections-0",
                )

    if not list(version.resources.all()):
        add("resources", "Resources: add at least one resource to learn from.", "add-resources")

    if not version.task_instructions.strip():
        add(
            "task",
            "Job-embedded task: describe the task the educator does with students.",
            "id_task_instructions",
        )
    prompts = list(version.prompts.all())
    if not any(p.phase == "pre" for p in prompts):
        add("task", "Reflections: add at least one pre-reflection prompt.", "add-pre")
    if not any(p.phase == "post" for p in prompts):
        add("task", "Reflections: add at least one post-reflection prompt.", "add-post")

    requirements = list(version.evidence_requirements.all())
    if not requirements:
        add("evidence", "Evidence: add at least one evidence requirement.", "add-evidence")
    for p in evidence_problems(
        [
            EvidenceInput(
                title=r.title,
                kind=r.kind,
                description=r.description,
                min_count=r.min_count,
                max_count=r.max_count,
                max_minutes=r.max_minutes,
                max_words=r.max_words,
            )
            for r in requirements
        ]
    ):
        add("evidence", f"Evidence: {p.message}", _anchor("evidence", p))
    return readiness
