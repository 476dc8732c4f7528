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


@dataclass
class Readiness:
    """What the overview's checklist shows: per part, done or the messages that block it."""

    parts: dict[str, list[str]] = field(default_factory=dict)

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


def missing_parts(version: CredentialVersion) -> Readiness:
    """Everything that keeps `version` from going to review, grouped by part.

    Expects the version's parts to be prefetched (see selectors.version_for_studio);
    it reads them through the related managers' `.all()`.
    """
    readiness = Readiness()
    basics = readiness.parts.setdefault("basics", [])
    if not version.title.strip():
        basics.append("Basics: give the credential a title.")
    if not version.summary.strip():
        basics.append("Basics: write a summary educators read in the catalog.")
    if not version.competency.strip():
        basics.append("Basics: name the competency.")
    if not version.key_method.strip():
        basics.append("Basics: describe the key method.")
    if not list(version.audiences.all()):
        basics.append("Basics: choose who the credential is for (audience).")
    if version.estimated_hours is None or version.estimated_hours <= Decimal(0):
        basics.append("Basics: estimate the hours it takes.")

    targets = list(version.targets.all())
    part = readiness.parts.setdefault("targets", [])
    if not targets:
        part.append("Learning targets: add at least one learning target.")

    sections = list(version.sections.all())
    part = readiness.parts.setdefault("rubric", [])
    if not sections:
        part.append("Success criteria: add at least one rubric section.")
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
    part.extend(
        f"Success criteria: {p.message}"
        for p in rubric_problems(section_inputs, version.pass_rule, version.pass_min_sections)
    )
    for s, section_input in zip(sections, section_inputs, strict=True):
        if not section_input.target_ids:
            part.append(f"Success criteria: section “{s.name}” is not tied to a learning target.")
    if targets and sections:
        covered = {tid for si in section_inputs for tid in si.target_ids}
        for t in targets:
            if t.pk not in covered:
                part.append(
                    f"Success criteria: learning target {t.code} is not assessed by any section."
                )

    part = readiness.parts.setdefault("resources", [])
    if not list(version.resources.all()):
        part.append("Resources: add at least one resource to learn from.")

    part = readiness.parts.setdefault("task", [])
    if not version.task_instructions.strip():
        part.append("Job-embedded task: describe the task the educator does with students.")
    prompts = list(version.prompts.all())
    if not any(p.phase == "pre" for p in prompts):
        part.append("Reflections: add at least one pre-reflection prompt.")
    if not any(p.phase == "post" for p in prompts):
        part.append("Reflections: add at least one post-reflection prompt.")

    requirements = list(version.evidence_requirements.all())
    part = readiness.parts.setdefault("evidence", [])
    if not requirements:
        part.append("Evidence: add at least one evidence requirement.")
    part.extend(
        f"Evidence: {p.message}"
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
        )
    )
    return readiness
