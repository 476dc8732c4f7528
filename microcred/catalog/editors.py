"""The design studio's part editors: for each of the six parts, how its page loads
from a version, turns posted forms into service input, and saves.

`views.studio.part_editor` picks the editor from `EDITORS` and hands it the request's
input; `PartEditor.page` runs every editor the same way (see microcred.core.listedit)
and returns the page to render, or says the part was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile

from microcred.catalog import forms as f
from microcred.catalog import rules, selectors, services
from microcred.catalog.models import CredentialVersion, Resource
from microcred.core import listedit
from microcred.core.errors import DomainError, Invalid, add_to_form
from microcred.core.listedit import ItemList, ListSpec, Node
from microcred.core.models import User
from microcred.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_and_store

UPLOAD_SALT = "microcred.catalog.resource-upload"


@dataclass(frozen=True)
class Located:
    """A message for one item of one list (or for the whole page when list is None)."""

    message: str
    list: str | None = None
    index: int | None = None
    field: str | None = None


def _locate(problems: list[rules.Problem], list_name: str) -> list[Located]:
    return [
        Located(p.message, list_name if p.index is not None else None, p.index, p.field)
        for p in problems
    ]


# What a part's item forms take besides their data (the rubric's target choices).
FormKwargs = Callable[[ListSpec, Node], dict[str, Any]] | None


@dataclass
class PartEditor:
    part: str  # its key, also its tab's in rules.PART_TABS
    title: str
    template: str
    specs: list[ListSpec]
    top_form: type[forms.Form] | None
    load: Callable[[CredentialVersion], tuple[dict[str, Any], dict[str, list[Node]]]]
    # (top form's cleaned data, item lists) -> the service's input, or problems
    collect: Callable[[dict[str, Any], dict[str, ItemList]], Any]
    check: Callable[[Any], list[Located]]
    save: Callable[[User, CredentialVersion, Any], Any]
    form_kwargs: Callable[[CredentialVersion], FormKwargs] | None = None
    # What the part's own form takes besides its data (the basics' prerequisite choices).
    top_form_kwargs: Callable[[CredentialVersion], dict[str, Any]] | None = None
    # Rules across items checked on the raw posted values, so they show even while some
    # item still has a field error (e.g. two sections with one name, one missing a descriptor).
    precheck: Callable[[dict[str, list[Node]], Mapping[str, Any]], list[Located]] | None = None
    intro: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def page(
        self,
        actor: User,
        version: CredentialVersion,
        data: Mapping[str, Any] | None,
        files: Mapping[str, Any],
    ) -> EditorPage:
        """The part's page: loaded from `version` when nothing is posted (`data` is None);
        for a POST, a list operation (`op`) applied to what was typed, or everything
        checked and, when nothing is wrong, saved."""
        specs = {spec.name: spec for spec in self.specs}
        form_kwargs = self.form_kwargs(version) if self.form_kwargs else None
        top_kwargs = self.top_form_kwargs(version) if self.top_form_kwargs else {}
        if data is None:
            initial, lists = self.load(version)
            top_form = self.top_form(initial=initial, **top_kwargs) if self.top_form else None
            item_lists = {
                name: listedit.build(spec, lists.get(name, []), name, form_kwargs=form_kwargs)
                for name, spec in specs.items()
            }
            return _finish(EditorPage(self, top_form, item_lists), version, [])
        lists = {name: listedit.parse(spec, data, files, name) for name, spec in specs.items()}
        located = []
        if "resources" in lists:
            located += store_resource_uploads(lists["resources"], files)
        if data.get("op", ""):
            page = _apply_op(self, specs, lists, data, files, form_kwargs, top_kwargs)
        else:
            page = _check_and_save(
                self, actor, version, specs, lists, data, located, form_kwargs, top_kwargs
            )
        return page if page.saved else _finish(page, version, located)


@dataclass
class EditorPage:
    """A part editor's page as it shows: its forms with what was typed, and every problem
    next to its item or at the top. `saved` means there is no page: the part was saved."""

    editor: PartEditor
    top_form: forms.Form | None
    lists: dict[str, ItemList]
    page_errors: list[str] = field(default_factory=list)
    focus_id: str = ""
    announcement: str = ""
    status: int = 200
    saved: bool = False

    def context(self) -> dict[str, Any]:
        """The template's names for the page (with the studio's, see selectors.studio_page)."""
        return {
            "editor": self.editor,
            "part": self.editor.part,
            "top_form": self.top_form,
            "lists": self.lists,
            "page_errors": self.page_errors,
            "item_errors": [
                {"anchor": f"item-{item.prefix}", "message": message}
                for il in self.lists.values()
                for item in il.items
                for message in item.problems
            ],
            "field_errors": _field_errors(self.top_form, self.lists),
            "focus_id": self.focus_id,
            "announcement": self.announcement,
        }


def _apply_op(
    editor: PartEditor,
    specs: dict[str, ListSpec],
    lists: dict[str, list[Node]],
    data: Mapping[str, Any],
    files: Mapping[str, Any],
    form_kwargs: FormKwargs,
    top_kwargs: dict[str, Any],
) -> EditorPage:
    """Add, remove or move an item of what was typed; nothing is validated or saved."""
    op = data.get("op", "")
    top_form = (
        editor.top_form(initial=listedit.raw_values(editor.top_form, data, files), **top_kwargs)
        if editor.top_form
        else None
    )
    page = EditorPage(editor, top_form, {})
    try:
        focus = listedit.apply_op(specs, lists, op)
    except listedit.OpError as error:
        page.page_errors.append(str(error))
    else:
        page.focus_id = f"item-{focus}" if focus.rsplit("-", 1)[-1].isdigit() else f"add-{focus}"
        page.announcement = _announce(op, specs)
    page.lists = {
        name: listedit.build(spec, lists[name], name, form_kwargs=form_kwargs)
        for name, spec in specs.items()
    }
    return page


def _check_and_save(
    editor: PartEditor,
    actor: User,
    version: CredentialVersion,
    specs: dict[str, ListSpec],
    lists: dict[str, list[Node]],
    data: Mapping[str, Any],
    located: list[Located],
    form_kwargs: FormKwargs,
    top_kwargs: dict[str, Any],
) -> EditorPage:
    """Validate every form and the rules across items; save when nothing is wrong.
    Problems found are added to `located`; a refusal of the service about a field of the
    part's own form is shown next to that field."""
    bound = listedit.serialize_all(specs, lists)
    top_form = editor.top_form(data, **top_kwargs) if editor.top_form else None
    item_lists = {
        name: listedit.build(spec, lists[name], name, bound_data=bound, form_kwargs=form_kwargs)
        for name, spec in specs.items()
    }
    page = EditorPage(editor, top_form, item_lists, status=400)
    # A list, not a generator: every form must be validated so each shows its errors.
    valid = all([listedit.all_valid(il) for il in item_lists.values()])  # noqa: C419
    valid = (top_form.is_valid() if top_form else True) and valid
    if editor.precheck:
        located += editor.precheck(lists, data)
    if not valid or located:
        return page
    collected = editor.collect(top_form.cleaned_data if top_form else {}, item_lists)
    located += editor.check(collected)
    if located:
        return page
    try:
        editor.save(actor, version, collected)
    except DomainError as error:
        if top_form is not None and _on_top_form(top_form, error.field):
            add_to_form(top_form, error)
        else:
            page.page_errors += [error.message, *error.details]
    else:
        page.saved = True
    return page


def _finish(page: EditorPage, version: CredentialVersion, located: list[Located]) -> EditorPage:
    """Put each problem next to its item (or at the top), and name the stored files."""
    for problem in _without_repeats(located, page.lists):
        if (
            problem.list
            and problem.index is not None
            and problem.index < page.lists[problem.list].count
        ):
            page.lists[problem.list].items[problem.index].problems.append(problem.message)
        elif _on_top_form(page.top_form, problem.field):
            assert page.top_form is not None and problem.field is not None
            if not page.top_form.errors.get(problem.field):  # its own error says it already
                page.top_form.add_error(problem.field, problem.message)
        else:
            page.page_errors.append(problem.message)
    if "resources" in page.lists:
        _describe_resource_files(page.lists["resources"], version)
    return page


def _on_top_form(top_form: forms.Form | None, name: str | None) -> bool:
    """Whether a rule's message can sit beside a field of the part's own (bound) form."""
    return top_form is not None and top_form.is_bound and name in top_form.fields


def _without_repeats(located: list[Located], item_lists: dict[str, ItemList]) -> list[Located]:
    """Drop a rule's message when the same item already shows a field error for it."""
    kept: list[Located] = []
    for problem in dict.fromkeys(located):
        if (
            problem.list
            and problem.index is not None
            and problem.index < item_lists[problem.list].count
        ):
            item = item_lists[problem.list].items[problem.index]
            if item.form.is_bound and problem.field:
                if item.form.errors.get(problem.field):
                    continue
                children = item.children.get(problem.field)
                if children and any(child.form.errors for child in children.items):
                    continue
        kept.append(problem)
    return kept


def _field_errors(top_form: Any, item_lists: dict[str, ItemList]) -> list[dict[str, str]]:
    """Every field error on the page, each linked to its field, for the summary at the top."""
    found: list[dict[str, str]] = []
    if top_form is not None and top_form.is_bound:
        found += [
            {"anchor": field.auto_id, "message": f"{field.label}: {error}"}
            for field in top_form
            for error in field.errors
        ]

    def walk(item_list: ItemList, where: str) -> None:
        for item in item_list.items:
            here = f"{where}{item_list.spec.label.capitalize()} {item.number}"
            if item.form.is_bound:
                found.extend(
                    {
                        "anchor": field.auto_id,
                        "message": f"{here}, {str(field.label).lower()}: {error}",
                    }
                    for field in item.form
                    for error in field.errors
                )
            for child in item.children.values():
                walk(child, f"{here}, ")

    for item_list in item_lists.values():
        walk(item_list, "")
    return found


def _announce(op: str, specs: dict[str, ListSpec]) -> str:
    action, target, *_ = op.split("|")
    spec = specs.get(target.split("-")[0])
    label = spec.label if spec else "item"
    if "-" in target and spec:
        label = spec.children.get(target.split("-")[-1], spec).label
    return {
        "add": f"New {label} added.",
        "remove": f"{label.capitalize()} removed.",
        "up": f"{label.capitalize()} moved up.",
        "down": f"{label.capitalize()} moved down.",
    }.get(action, "")


def _describe_resource_files(item_list: ItemList, version: CredentialVersion) -> None:
    existing = {r.pk: r for r in version.resources.all()}
    for item in item_list.items:
        upload = item.form["upload"].value()
        info = upload_info(upload or "")
        resource_id = item.form["id"].value()
        if info:
            item.extra["file_label"] = info[1]
        elif resource_id and str(resource_id).isdigit() and int(resource_id) in existing:
            item.extra["file_label"] = existing[int(resource_id)].file_name


def _cleaned(item_list: ItemList) -> list[dict[str, Any]]:
    return [item.form.cleaned_data for item in item_list.items]


# ----------------------------------------------------------------------------- basics


def _load_basics(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    initial = {
        "title": version.title,
        "summary": version.summary,
        "competency": version.competency,
        "key_method": version.key_method,
        "audiences": [a.pk for a in version.audiences.all()],
        "subject": version.subject,
        "grade_band": version.grade_band,
        "estimated_hours": version.estimated_hours,
        "credit_hours": version.credit_hours,
        "valid_for_months": version.valid_for_months,
        "prerequisites": [p.credential_id for p in version.prerequisites.all()],
    }
    return initial, {}


def _collect_basics(top: dict[str, Any], lists: dict[str, ItemList]) -> services.BasicsInput:
    return services.BasicsInput(
        title=top["title"],
        summary=top["summary"],
        competency=top["competency"],
        key_method=top["key_method"],
        audiences=top["audiences"],
        subject=top["subject"],
        grade_band=top["grade_band"],
        estimated_hours=top["estimated_hours"],
        credit_hours=top["credit_hours"],
        valid_for_months=top["valid_for_months"],
        prerequisite_ids=top["prerequisites"],
    )


BASICS = PartEditor(
    part="basics",
    title="Basics",
    template="catalog/studio/edit_basics.html",
    specs=[],
    top_form=f.BasicsForm,
    load=_load_basics,
    collect=_collect_basics,
    check=lambda data: [],
    save=lambda actor, version, data: services.draft_update_basics(
        actor=actor, version=version, data=data
    ),
    top_form_kwargs=lambda version: {
        "prerequisite_choices": selectors.prerequisite_choices(version)
    },
    intro="What educators see first in the catalog: the title, a short summary, the competency, who it is for, and what to earn before starting it.",
)


# ----------------------------------------------------------------------------- targets and standards


def _load_targets(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    return {}, {
        "targets": [Node(values={"id": t.pk, "text": t.text}) for t in version.targets.all()],
        "standards": [
            Node(values={"framework": s.framework, "code": s.code, "name": s.name, "url": s.url})
            for s in version.standards.all()
        ],
    }


@dataclass
class TargetsInput:
    targets: list[rules.TargetInput]
    standards: list[rules.StandardInput]


def _collect_targets(top: dict[str, Any], lists: dict[str, ItemList]) -> TargetsInput:
    return TargetsInput(
        targets=[rules.TargetInput(text=d["text"], id=d["id"]) for d in _cleaned(lists["targets"])],
        standards=[
            rules.StandardInput(
                framework=d["framework"], code=d["code"], name=d["name"], url=d["url"]
            )
            for d in _cleaned(lists["standards"])
        ],
    )


TARGETS = PartEditor(
    part="targets",
    title="Learning targets",
    template="catalog/studio/edit_targets.html",
    specs=[f.TARGETS, f.STANDARDS],
    top_form=None,
    load=_load_targets,
    collect=_collect_targets,
    check=lambda data: _locate(rules.target_problems(data.targets), "targets"),
    save=lambda actor, version, data: services.draft_set_targets(
        actor=actor, version=version, targets=data.targets, standards=data.standards
    ),
    intro="Part 1. What the educator will be able to do, and the standards the credential aligns to.",
)


# ----------------------------------------------------------------------------- rubric


def _load_rubric(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    sections = []
    for s in version.sections.all():
        levels = list(s.levels.all())
        passing = next((j for j, lv in enumerate(levels) if lv.pk == s.passing_level_id), None)
        sections.append(
            Node(
                values={
                    "name": s.name,
                    "description": s.description,
                    "targets": [str(t.pk) for t in s.targets.all()],
                    "evidence": [str(e.pk) for e in s.evidence.all()],
                    "passing": passing,
                },
                children={
                    "levels": [
                        Node(values={"name": lv.name, "descriptor": lv.descriptor}) for lv in levels
                    ]
                },
            )
        )
    initial = {"pass_rule": version.pass_rule, "pass_min_sections": version.pass_min_sections}
    return initial, {"sections": sections}


@dataclass
class RubricInput:
    sections: list[rules.SectionInput]
    pass_rule: str
    pass_min_sections: int | None


def _collect_rubric(top: dict[str, Any], lists: dict[str, ItemList]) -> RubricInput:
    sections = []
    for item in lists["sections"].items:
        data = item.form.cleaned_data
        sections.append(
            rules.SectionInput(
                name=data["name"],
                description=data["description"],
                target_ids=[int(t) for t in data["targets"]],
                evidence_ids=[int(e) for e in data["evidence"]],
                levels=[
                    rules.LevelInput(d["name"], d["descriptor"])
                    for d in _cleaned(item.children["levels"])
                ],
                passing_index=data["passing"],
            )
        )
    return RubricInput(
        sections=sections, pass_rule=top["pass_rule"], pass_min_sections=top["pass_min_sections"]
    )


def _rubric_form_kwargs(version: CredentialVersion) -> Callable[[ListSpec, Node], dict[str, Any]]:
    choices = [(str(t.pk), f"{t.code} — {t.text}") for t in version.targets.all()]
    evidence = [(str(e.pk), e.title) for e in version.evidence_requirements.all()]

    def kwargs(spec: ListSpec, node: Node) -> dict[str, Any]:
        if spec.name != "sections":
            return {}
        return {"target_choices": choices, "evidence_choices": evidence}

    return kwargs


def _check_rubric(data: RubricInput) -> list[Located]:
    return _locate(
        rules.rubric_problems(data.sections, data.pass_rule, data.pass_min_sections), "sections"
    )


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _precheck_rubric(lists: dict[str, list[Node]], data: Mapping[str, Any]) -> list[Located]:
    sections = [
        rules.SectionInput(
            name=str(node.values.get("name") or ""),
            description="",
            target_ids=[],
            levels=[
                rules.LevelInput(
                    str(lv.values.get("name") or ""), str(lv.values.get("descriptor") or "")
                )
                for lv in node.children.get("levels", [])
            ],
            passing_index=_as_int(node.values.get("passing")),
        )
        for node in lists.get("sections", [])
    ]
    # The overall rule too, so "5 of 3 sections must pass" shows with every other problem.
    pass_rule = str(data.get("pass_rule") or "all")
    return _locate(
        rules.rubric_problems(sections, pass_rule, _as_int(data.get("pass_min_sections"))),
        "sections",
    )


RUBRIC = PartEditor(
    part="rubric",
    title="Success criteria (rubric)",
    template="catalog/studio/edit_rubric.html",
    specs=[f.SECTIONS],
    top_form=f.RubricRuleForm,
    load=_load_rubric,
    collect=_collect_rubric,
    check=_check_rubric,
    form_kwargs=_rubric_form_kwargs,
    precheck=_precheck_rubric,
    save=lambda actor, version, data: services.draft_set_rubric(
        actor=actor,
        version=version,
        sections=data.sections,
        pass_rule=data.pass_rule,
        pass_min_sections=data.pass_min_sections,
    ),
    intro="Part 2. The rubric assessors score: one section per thing they judge, each with performance "
    "levels and the lowest level that passes.",
)


# ----------------------------------------------------------------------------- resources

RESOURCE_TYPES = {**DOCUMENT_TYPES, **IMAGE_TYPES}


def _load_resources(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    return {}, {
        "resources": [
            Node(
                values={
                    "id": r.pk,
                    "title": r.title,
                    "kind": r.kind,
                    "url": r.url,
                    "description": r.description,
                }
            )
            for r in version.resources.all()
        ]
    }


def store_resource_uploads(nodes: list[Node], files: Mapping[str, UploadedFile]) -> list[Located]:
    """Store files chosen in this POST right away, so a later error or list change keeps them."""
    problems = []
    for i, node in enumerate(nodes):
        upload = node.values.get("file")
        node.values["file"] = None
        if not upload:
            continue
        try:
            stored = check_and_store(
                upload,
                folder="resources",
                allowed=RESOURCE_TYPES,
                max_bytes=settings.RESOURCE_MAX_BYTES,
                what="resource",
            )
        except Invalid as error:
            problems.append(Located(error.message, "resources", i))
            continue
        node.values["upload"] = signing.dumps(
            [stored.name, stored.file_name, stored.content_type, stored.size], salt=UPLOAD_SALT
        )
        node.values["kind"] = Resource.Kind.FILE
    return problems


def upload_info(token: str) -> tuple[str, str, str, int] | None:
    if not token:
        return None
    try:
        name, file_name, content_type, size = signing.loads(
            token, salt=UPLOAD_SALT, max_age=60 * 60 * 24
        )
    except (signing.BadSignature, ValueError):
        return None
    return name, file_name, content_type, int(size)


def _collect_resources(
    top: dict[str, Any], lists: dict[str, ItemList]
) -> list[rules.ResourceInput]:
    items = []
    for d in _cleaned(lists["resources"]):
        info = upload_info(d["upload"])
        item = rules.ResourceInput(
            title=d["title"],
            kind=d["kind"],
            description=d["description"],
            url=d["url"],
            id=d["id"],
        )
        if info:
            item.upload_name, item.file_name, item.content_type, item.size = info
        items.append(item)
    return items


RESOURCES = PartEditor(
    part="resources",
    title="Resources",
    template="catalog/studio/edit_resources.html",
    specs=[f.RESOURCES],
    top_form=None,
    load=_load_resources,
    collect=_collect_resources,
    check=lambda data: _locate(rules.resource_problems(data), "resources"),
    save=lambda actor, version, data: services.draft_set_resources(
        actor=actor, version=version, resources=data
    ),
    intro="Part 3. Readings, videos and tools that prepare the educator for the task.",
)


# ----------------------------------------------------------------------------- task and reflections


def _load_task(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    prompts = list(version.prompts.all())
    return {"task_title": version.task_title, "task_instructions": version.task_instructions}, {
        "pre": [Node(values={"text": p.text}) for p in prompts if p.phase == "pre"],
        "post": [Node(values={"text": p.text}) for p in prompts if p.phase == "post"],
    }


@dataclass
class TaskInput:
    task_title: str
    task_instructions: str
    pre: list[str]
    post: list[str]


TASK = PartEditor(
    part="task",
    title="Task and reflections",
    template="catalog/studio/edit_task.html",
    specs=[f.PRE_PROMPTS, f.POST_PROMPTS],
    top_form=f.TaskForm,
    load=_load_task,
    collect=lambda top, lists: TaskInput(
        task_title=top["task_title"],
        task_instructions=top["task_instructions"],
        pre=[d["text"] for d in _cleaned(lists["pre"])],
        post=[d["text"] for d in _cleaned(lists["post"])],
    ),
    check=lambda data: [],
    save=lambda actor, version, data: services.draft_set_task(
        actor=actor,
        version=version,
        task_title=data.task_title,
        task_instructions=data.task_instructions,
        pre_prompts=data.pre,
        post_prompts=data.post,
    ),
    intro="Parts 4 and 5. The job-embedded activity done with real students, and the reflections before and after it.",
)


# ----------------------------------------------------------------------------- evidence


def _load_evidence(version: CredentialVersion) -> tuple[dict[str, Any], dict[str, list[Node]]]:
    return {}, {
        "evidence": [
            Node(
                values={
                    "id": e.pk,
                    "title": e.title,
                    "kind": e.kind,
                    "min_count": e.min_count,
                    "max_count": e.max_count,
                    "max_minutes": e.max_minutes,
                    "max_words": e.max_words,
                    "description": e.description,
                    "look_fors": e.look_fors,
                    "consent_required": e.consent_required,
                }
            )
            for e in version.evidence_requirements.all()
        ]
    }


def _collect_evidence(top: dict[str, Any], lists: dict[str, ItemList]) -> list[rules.EvidenceInput]:
    return [
        rules.EvidenceInput(
            title=d["title"],
            kind=d["kind"],
            description=d["description"],
            look_fors=d["look_fors"],
            min_count=d["min_count"],
            max_count=d["max_count"],
            max_minutes=d["max_minutes"],
            max_words=d["max_words"],
            consent_required=d["consent_required"],
            id=d["id"],
        )
        for d in _cleaned(lists["evidence"])
    ]


EVIDENCE = PartEditor(
    part="evidence",
    title="Evidence",
    template="catalog/studio/edit_evidence.html",
    specs=[f.EVIDENCE],
    top_form=None,
    load=_load_evidence,
    collect=_collect_evidence,
    check=lambda data: _locate(rules.evidence_problems(data), "evidence"),
    save=lambda actor, version, data: services.draft_set_evidence(
        actor=actor, version=version, requirements=data
    ),
    intro="Part 6. What the educator submits and what the assessor looks for in it.",
)


EDITORS: dict[str, PartEditor] = {
    e.part: e for e in (BASICS, TARGETS, RUBRIC, RESOURCES, TASK, EVIDENCE)
}
PART_ORDER = list(EDITORS)
