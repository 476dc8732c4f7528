"""Writes of the design studio: drafting, quality review, publishing, new versions,
retirement. One function per transition; each locks the version it changes,
checks the actor's permission and the state, records an AuditEvent on the
credential (so its history reads as one timeline), and mails after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from microcred.catalog import rules, selectors, tasks
from microcred.catalog.images import ImageRejected, normalize_upload
from microcred.catalog.models import (
    QUALITY_CHECKLIST,
    Audience,
    ChecklistResponse,
    Credential,
    CredentialVersion,
    EvidenceRequirement,
    LearningTarget,
    PerformanceLevel,
    Prerequisite,
    QualityPart,
    QualityReview,
    ReflectionPrompt,
    Resource,
    RubricSection,
    StandardAlignment,
)
from microcred.core import audit, permissions
from microcred.core.audit import Event
from microcred.core.errors import Incomplete, Invalid, InvalidTransition
from microcred.core.models import Organization, Role, User
from microcred.core.notify import Verb, notifications_resolve, notify, subject_of
from microcred.core.slugs import unique_slug

State = CredentialVersion.State


# ----------------------------------------------------------------------------- helpers


def _lock(version: CredentialVersion) -> CredentialVersion:
    return (
        CredentialVersion.objects.select_for_update()
        .select_related("credential__organization")
        .get(pk=version.pk)
    )


def _lock_editable(actor: User, version: CredentialVersion) -> CredentialVersion:
    version = _lock(version)
    permissions.require(actor, "catalog.design", version.credential.organization)
    if not version.is_editable:
        raise InvalidTransition(
            f"Version {version.number} is {version.get_state_display().lower()}; it cannot be edited. "
            + (
                "Start a new version to change a published credential."
                if version.state == State.PUBLISHED
                else "Withdraw it from review first."
            )
        )
    return version


def _record(actor: User | None, verb: Event, version: CredentialVersion, **data: object) -> None:
    audit.record(
        actor,
        verb,
        version.credential,
        organization=version.credential.organization,
        version=version.number,
        **data,
    )


def _raise_problems(problems: list[rules.Problem], what: str) -> None:
    if problems:
        raise Invalid(f"The {what} could not be saved.", details=[p.message for p in problems])


def _touch(version: CredentialVersion) -> None:
    version.save(update_fields=["updated_at"])


def _unique_slug(title: str) -> str:
    return unique_slug(Credential.objects.all(), title, length=80, fallback="credential")


# ----------------------------------------------------------------------------- drafting


@transaction.atomic
def credential_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    visibility: str = Credential.Visibility.PUBLIC,
) -> Credential:
    permissions.require(actor, "catalog.design", organization)
    title = title.strip()
    if not title:
        raise Invalid("Give the credential a title.", field="title")
    if visibility not in Credential.Visibility.values:
        raise Invalid("Choose whether the credential is public or internal.", field="visibility")
    credential = Credential.objects.create(
        organization=organization, slug=_unique_slug(title), visibility=visibility, created_by=actor
    )
    version = CredentialVersion.objects.create(
        credential=credential, number=1, title=title, created_by=actor
    )
    _record(actor, Event.CREDENTIAL_CREATED, version, title=title)
    return credential


@dataclass
class BasicsInput:
    title: str
    summary: str
    competency: str
    key_method: str
    audiences: Iterable[Audience]
    subject: str
    grade_band: str
    estimated_hours: Decimal | None
    credit_hours: Decimal | None
    valid_for_months: int | None = None
    # The credentials to earn first, by id, in order; None leaves them as they are.
    prerequisite_ids: list[int] | None = None


@transaction.atomic
def draft_update_basics(
    *, actor: User, version: CredentialVersion, data: BasicsInput
) -> CredentialVersion:
    version = _lock_editable(actor, version)
    if not data.title.strip():
        raise Invalid("Give the credential a title.", field="title")
    prerequisites = None
    if data.prerequisite_ids is not None:
        # Checked before anything is written: a refusal leaves the whole page unsaved.
        prerequisites = _checked_prerequisites(actor, version, data.prerequisite_ids)
    version.title = data.title.strip()
    version.summary = data.summary.strip()
    version.competency = data.competency.strip()
    version.key_method = data.key_method.strip()
    version.subject = data.subject
    version.grade_band = data.grade_band
    version.estimated_hours = data.estimated_hours
    version.credit_hours = data.credit_hours
    version.valid_for_months = data.valid_for_months
    version.save()
    version.audiences.set(list(data.audiences))
    extra = {}
    if prerequisites is not None:
        _replace_prerequisites(version, prerequisites)
        extra["prerequisites"] = [c.slug for c in prerequisites]
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="basics", **extra)
    return version


# ----------------------------------------------------------------------------- prerequisites

MAX_PREREQUISITES = rules.MAX_PREREQUISITES


@transaction.atomic
def draft_set_prerequisites(
    *, actor: User, version: CredentialVersion, credential_ids: Sequence[int]
) -> CredentialVersion:
    """Name the credentials an educator must have earned before starting this one (an empty
    list removes them). Refused, naming the credential and why, for a credential that its
    organization's educators cannot find in the catalog, for the credential itself, for a
    loop (A requires B, which requires A) and for more than MAX_PREREQUISITES."""
    version = _lock_editable(actor, version)
    prerequisites = _checked_prerequisites(actor, version, credential_ids)
    _replace_prerequisites(version, prerequisites)
    _touch(version)
    _record(
        actor,
        Event.CREDENTIAL_DRAFT_EDITED,
        version,
        part="prerequisites",
        prerequisites=[c.slug for c in prerequisites],
    )
    return version


def _replace_prerequisites(version: CredentialVersion, credentials: list[Credential]) -> None:
    current = list(
        version.prerequisites.order_by("position").values_list("credential_id", flat=True)
    )
    if current == [c.pk for c in credentials]:
        return
    version.prerequisites.all().delete()
    Prerequisite.objects.bulk_create(
        Prerequisite(version=version, credential=c, position=i) for i, c in enumerate(credentials)
    )


def _checked_prerequisites(
    actor: User, version: CredentialVersion, credential_ids: Sequence[int]
) -> list[Credential]:
    """The credentials named by `credential_ids` (repeats dropped, order kept), or Invalid on
    the "prerequisites" field saying what is wrong with each one that cannot be chosen."""
    ids = list(dict.fromkeys(int(pk) for pk in credential_ids))
    if len(ids) > MAX_PREREQUISITES:
        raise Invalid(
            f"A credential can have at most {MAX_PREREQUISITES} prerequisites; you chose "
            f"{len(ids)}. Keep the ones an educator cannot do without.",
            field="prerequisites",
            code="prerequisite_limit",
        )
    if version.credential_id in ids:
        raise Invalid(
            f"“{version.title}” cannot be its own prerequisite: untick it.",
            field="prerequisites",
            code="prerequisite_self",
        )
    found = selectors.prerequisite_candidates(actor=actor, ids=ids)
    problems = [
        problem
        for pk in ids
        if (problem := _prerequisite_problem(pk, found.get(pk), version.credential)) is not None
    ]
    if not problems:
        chosen = [found[pk] for pk in ids]
        problems = _prerequisite_loops(version, chosen)
    if problems:
        (code, message), *rest = problems
        raise Invalid(message, details=[m for _, m in rest], field="prerequisites", code=code)
    return [found[pk] for pk in ids]


def _prerequisite_problem(
    pk: int, credential: Credential | None, required_by: Credential
) -> tuple[str, str] | None:
    """Why `credential` (None: the designer cannot see it) cannot be a prerequisite of
    `required_by`, or None when it can: everyone who may start `required_by` must be able to
    find it in the catalog and earn it (see selectors.prerequisites_offered)."""
    owner = required_by.organization
    if credential is None:
        # Unknown, or another organization's internal credential: nothing more is said.
        return (
            "prerequisite_not_offered",
            f"The credential with id {pk} is not offered in the catalog. Choose prerequisites "
            "from the list.",
        )
    if credential.current_version_id is None:
        title = selectors.working_version(credential).title
        return (
            "prerequisite_not_published",
            f"“{title}” is not published yet. Only a credential in the catalog can be a "
            "prerequisite.",
        )
    title = credential.display_title
    if credential.status == Credential.Status.RETIRED:
        return (
            "prerequisite_retired",
            f"“{title}” is retired: educators can no longer earn it, so it cannot be a "
            "prerequisite. Untick it.",
        )
    if credential.visibility == Credential.Visibility.PUBLIC:
        return None
    if credential.organization_id not in owner.ancestor_ids:
        return (
            "prerequisite_not_offered",
            f"“{title}” is internal to {credential.organization.name}: educators of "
            f"{owner.name} cannot see it, so it cannot be a prerequisite.",
        )
    if required_by.visibility == Credential.Visibility.PUBLIC:
        return (
            "prerequisite_internal",
            f"“{title}” is internal to {credential.organization.name}, and this credential is "
            f"public: educators outside {credential.organization.name} could never start it. "
            "Choose a public credential, or make this one internal.",
        )
    return None


def _prerequisite_loops(
    version: CredentialVersion, chosen: list[Credential]
) -> list[tuple[str, str]]:
    """A loop the choice would close: a chosen credential that already requires this one,
    directly or through others (as their published versions say)."""
    path = selectors.prerequisite_path(starts=[c.pk for c in chosen], target=version.credential_id)
    if not path:
        return []
    titles = selectors.credential_titles(path)
    titles[version.credential_id] = version.title  # the title being edited, not the published one
    names = [f"“{titles[pk]}”" for pk in path]
    chain = names[0] + " requires " + ", which requires ".join(names[1:])
    return [
        (
            "prerequisite_cycle",
            f"{names[0]} cannot be a prerequisite: {chain}. Each would wait for the other, and "
            "no one could start either.",
        )
    ]


def _prerequisites_still_valid(actor: User, version: CredentialVersion) -> list[str]:
    """What is wrong now with the prerequisites a version was given (a credential retired or
    made internal since, or a loop closed by another credential published since)."""
    ids = list(version.prerequisites.values_list("credential_id", flat=True))
    if not ids:
        return []
    try:
        _checked_prerequisites(actor, version, ids)
    except Invalid as error:
        return [error.message, *error.details]
    return []


BADGE_IMAGE_MAX_BYTES = 2 * 1024 * 1024


@transaction.atomic
def draft_set_badge_image(
    *, actor: User, version: CredentialVersion, data: bytes | None, file_name: str = ""
) -> CredentialVersion:
    """Set the designer's badge image (PNG, JPEG or WebP, made a square PNG), or with
    `data` None go back to the default image drawn from the title and colours."""
    version = _lock_editable(actor, version)
    if data is None:
        if not version.badge_image.name:
            return version
        version.badge_image = ""
        version.save(update_fields=["badge_image", "updated_at"])
        _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="badge image removed")
        return version
    try:
        png = normalize_upload(data, max_bytes=BADGE_IMAGE_MAX_BYTES)
    except ImageRejected as error:
        shown = file_name or "The image"
        raise Invalid(f"{shown}: {error}", field="image") from None
    version.badge_image.save(f"{uuid.uuid4().hex}.png", ContentFile(png), save=False)
    version.save(update_fields=["badge_image", "updated_at"])
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="badge image")
    return version


@transaction.atomic
def draft_set_targets(
    *,
    actor: User,
    version: CredentialVersion,
    targets: list[rules.TargetInput],
    standards: list[rules.StandardInput],
) -> CredentialVersion:
    """Replace the targets and standards. Targets keep their identity (and their links
    to rubric sections) when an input carries the id of an existing target."""
    version = _lock_editable(actor, version)
    _raise_problems(rules.target_problems(targets), "learning targets")
    existing = {t.pk: t for t in version.targets.all()}
    kept: set[int] = set()
    for position, target in enumerate(targets):
        row = existing.get(target.id) if target.id else None
        code = f"T{position + 1}"
        if row is None:
            LearningTarget.objects.create(
                version=version, position=position, code=code, text=target.text.strip()
            )
        else:
            row.position, row.code, row.text = position, code, target.text.strip()
            row.save(update_fields=["position", "code", "text"])
            kept.add(row.pk)
    version.targets.exclude(pk__in=kept).filter(pk__in=list(existing)).delete()
    version.standards.all().delete()
    StandardAlignment.objects.bulk_create(
        StandardAlignment(
            version=version,
            position=i,
            framework=s.framework.strip(),
            code=s.code.strip(),
            name=s.name.strip(),
            url=s.url.strip(),
        )
        for i, s in enumerate(standards)
    )
    _touch(version)
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="targets")
    return version


@transaction.atomic
def draft_set_rubric(
    *,
    actor: User,
    version: CredentialVersion,
    sections: list[rules.SectionInput],
    pass_rule: str,
    pass_min_sections: int | None,
) -> CredentialVersion:
    version = _lock_editable(actor, version)
    if pass_rule not in CredentialVersion.PassRule.values:
        raise Invalid("Choose how the sections combine into an overall result.", field="pass_rule")
    _raise_problems(rules.rubric_problems(sections, pass_rule, pass_min_sections), "rubric")
    valid_targets = set(version.targets.values_list("pk", flat=True))
    valid_evidence = set(version.evidence_requirements.values_list("pk", flat=True))
    version.sections.all().delete()
    for position, section in enumerate(sections):
        row = RubricSection.objects.create(
            version=version,
            position=position,
            name=section.name.strip(),
            description=section.description.strip(),
        )
        row.targets.set([tid for tid in section.target_ids if tid in valid_targets])
        row.evidence.set([eid for eid in section.evidence_ids if eid in valid_evidence])
        levels = PerformanceLevel.objects.bulk_create(
            PerformanceLevel(
                section=row, position=j, name=lv.name.strip(), descriptor=lv.descriptor.strip()
            )
            for j, lv in enumerate(section.levels)
        )
        assert section.passing_index is not None  # rubric_problems() refused a missing one
        row.passing_level = levels[section.passing_index]
        row.save(update_fields=["passing_level"])
    version.pass_rule = pass_rule
    version.pass_min_sections = (
        pass_min_sections if pass_rule == CredentialVersion.PassRule.AT_LEAST else None
    )
    version.save(update_fields=["pass_rule", "pass_min_sections", "updated_at"])
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="rubric", sections=len(sections))
    return version


@transaction.atomic
def draft_set_resources(
    *, actor: User, version: CredentialVersion, resources: list[rules.ResourceInput]
) -> CredentialVersion:
    version = _lock_editable(actor, version)
    _raise_problems(rules.resource_problems(resources), "resources")
    existing = {r.pk: r for r in version.resources.all()}
    rows = []
    for position, item in enumerate(resources):
        previous = existing.get(item.id) if item.id else None
        row = Resource(
            version=version,
            position=position,
            title=item.title.strip(),
            kind=item.kind,
            description=item.description.strip(),
            url=item.url.strip() if item.kind == Resource.Kind.LINK else "",
        )
        if item.kind == Resource.Kind.FILE:
            if item.upload_name:
                row.file.name = item.upload_name
                row.file_name, row.content_type, row.size = (
                    item.file_name,
                    item.content_type,
                    item.size,
                )
            elif previous is not None and previous.file:
                row.file.name = previous.file.name
                row.file_name, row.content_type, row.size = (
                    previous.file_name,
                    previous.content_type,
                    previous.size,
                )
            else:
                raise Invalid(f"Resource {position + 1} is a file: choose a file to upload.")
        rows.append(row)
    version.resources.all().delete()
    Resource.objects.bulk_create(rows)
    _touch(version)
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="resources")
    return version


@transaction.atomic
def draft_set_task(
    *,
    actor: User,
    version: CredentialVersion,
    task_title: str,
    task_instructions: str,
    pre_prompts: list[str],
    post_prompts: list[str],
) -> CredentialVersion:
    version = _lock_editable(actor, version)
    version.task_title = task_title.strip()
    version.task_instructions = task_instructions.strip()
    version.save(update_fields=["task_title", "task_instructions", "updated_at"])
    version.prompts.all().delete()
    ReflectionPrompt.objects.bulk_create(
        [
            ReflectionPrompt(version=version, phase=phase, position=i, text=text.strip())
            for phase, texts in (("pre", pre_prompts), ("post", post_prompts))
            for i, text in enumerate(t for t in texts if t.strip())
        ]
    )
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="task")
    return version


@transaction.atomic
def draft_set_evidence(
    *, actor: User, version: CredentialVersion, requirements: list[rules.EvidenceInput]
) -> CredentialVersion:
    version = _lock_editable(actor, version)
    _raise_problems(rules.evidence_problems(requirements), "evidence requirements")
    # Requirements keep their identity, so the rubric sections judged on them stay tied.
    existing = {r.pk: r for r in version.evidence_requirements.all()}
    rows = []
    for position, r in enumerate(requirements):
        row = existing.pop(r.id, None) if r.id else None
        row = row or EvidenceRequirement(version=version)
        row.position = position
        row.title = r.title.strip()
        row.kind = r.kind
        row.description = r.description.strip()
        row.look_fors = r.look_fors.strip()
        row.min_count, row.max_count = r.min_count, r.max_count
        row.max_minutes = r.max_minutes if r.kind == "video" else None
        row.max_words = r.max_words if r.kind == "written" else None
        row.consent_required = r.consent_required
        rows.append(row)
    version.evidence_requirements.filter(pk__in=list(existing)).delete()
    EvidenceRequirement.objects.bulk_create([row for row in rows if row.pk is None])
    EvidenceRequirement.objects.bulk_update(
        [row for row in rows if row.pk is not None],
        [
            "position",
            "title",
            "kind",
            "description",
            "look_fors",
            "min_count",
            "max_count",
            "max_minutes",
            "max_words",
            "consent_required",
        ],
    )
    _touch(version)
    _record(actor, Event.CREDENTIAL_DRAFT_EDITED, version, part="evidence")
    return version


# ----------------------------------------------------------------------------- review


@transaction.atomic
def version_submit_for_review(*, actor: User, version: CredentialVersion) -> CredentialVersion:
    version = _lock_editable(actor, version)
    readiness = rules.missing_parts(selectors.version_with_parts(version.pk))
    if not readiness.ready:
        raise Incomplete(
            "This draft cannot go to review yet. Finish these parts first:",
            details=readiness.missing,
        )
    if problems := _prerequisites_still_valid(actor, version):
        raise Invalid(
            "This draft cannot go to review yet. Change its prerequisites on the Basics page:",
            details=problems,
            field="prerequisites",
            code="prerequisites_changed",
        )
    version.state = State.IN_REVIEW
    version.submitted_at = timezone.now()
    version.submitted_by = actor
    version.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    _record(actor, Event.CREDENTIAL_SUBMITTED_FOR_REVIEW, version)
    # Sending it back to review is what a "changes requested" notice asked for.
    notifications_resolve(subject=subject_of(version))
    _notify_reviewers(actor, version)
    return version


@transaction.atomic
def version_withdraw(*, actor: User, version: CredentialVersion) -> CredentialVersion:
    version = _lock(version)
    permissions.require(actor, "catalog.design", version.credential.organization)
    if version.state != State.IN_REVIEW:
        raise InvalidTransition(
            f"Only a version in review can be withdrawn; this one is {version.get_state_display().lower()}."
        )
    version.state = State.DRAFT
    version.save(update_fields=["state", "updated_at"])
    _record(actor, Event.CREDENTIAL_WITHDRAWN_FROM_REVIEW, version)
    notifications_resolve(subject=subject_of(version))  # nothing left for the board to review
    return version


@dataclass
class ChecklistAnswer:
    met: bool
    comment: str = ""


@transaction.atomic
def version_review(
    *,
    actor: User,
    version: CredentialVersion,
    approve: bool,
    summary: str,
    answers: dict[str, ChecklistAnswer],
) -> QualityReview:
    """Record the review board's decision. Approval publishes the version, immutably."""
    version = _lock(version)
    credential = version.credential
    permissions.require(actor, "catalog.review", credential.organization)
    if version.state != State.IN_REVIEW:
        raise InvalidTransition(
            f"Version {version.number} is {version.get_state_display().lower()}, not in review; "
            "there is nothing to decide."
        )
    if version.submitted_by_id == actor.pk:
        raise InvalidTransition(
            "You submitted this version, so another review board member must review it."
        )
    missing = [QualityPart(p).label for p in QUALITY_CHECKLIST if p not in answers]
    if missing:
        raise Incomplete(
            "Answer the checklist for every part.", details=[f"{m}: not answered" for m in missing]
        )
    unmet = [QualityPart(p).label for p, a in answers.items() if not a.met]
    if approve and unmet:
        raise Invalid(
            "A version can be approved only when every checklist item is met. "
            "Request changes instead, or mark the items met.",
            details=[f"{label}: not met" for label in unmet],
        )
    if approve and (problems := _prerequisites_still_valid(actor, version)):
        raise Invalid(
            "This version cannot be published: its prerequisites changed since it was sent. "
            "Request changes so the designer can update them:",
            details=problems,
            code="prerequisites_changed",
        )
    if not approve and not unmet and not summary.strip():
        raise Invalid("Say what should change: mark the parts that fall short or write a summary.")
    for part in unmet:
        key = next(p for p in QUALITY_CHECKLIST if QualityPart(p).label == part)
        if not answers[key].comment.strip():
            raise Invalid(f"{part}: explain what falls short so the designer can fix it.")

    round_number = (version.quality_reviews.aggregate(n=Max("round"))["n"] or 0) + 1
    review = QualityReview.objects.create(
        version=version,
        round=round_number,
        reviewer=actor,
        summary=summary.strip(),
        outcome=QualityReview.Outcome.APPROVED
        if approve
        else QualityReview.Outcome.CHANGES_REQUESTED,
    )
    ChecklistResponse.objects.bulk_create(
        ChecklistResponse(
            review=review, part=part, met=answers[part].met, comment=answers[part].comment.strip()
        )
        for part in QUALITY_CHECKLIST
    )
    if approve:
        _publish(actor, version)
    else:
        version.state = State.CHANGES_REQUESTED
        version.save(update_fields=["state", "updated_at"])
        _record(actor, Event.CREDENTIAL_CHANGES_REQUESTED, version, round=round_number, unmet=unmet)
    # The board's "ready for review" notices are done, whoever of the board reviewed it.
    notifications_resolve(subject=subject_of(version))
    _notify_designer(actor, review, version)
    return review


def _publish(actor: User, version: CredentialVersion) -> None:
    full = selectors.version_with_parts(version.pk)
    version.state = State.PUBLISHED
    version.published_at = timezone.now()
    version.search_document = selectors.search_document_for(full)
    version.save(update_fields=["state", "published_at", "search_document", "updated_at"])
    credential = Credential.objects.select_for_update().get(pk=version.credential_id)
    credential.current_version = version
    credential.save(update_fields=["current_version", "updated_at"])
    _record(actor, Event.CREDENTIAL_PUBLISHED, version)
    tasks.badge_images_draw_later(version)


@transaction.atomic
def credential_new_version(*, actor: User, credential: Credential) -> CredentialVersion:
    """Open a draft copied from the current published version; published versions stay valid."""
    credential = (
        Credential.objects.select_for_update().select_related("organization").get(pk=credential.pk)
    )
    permissions.require(actor, "catalog.design", credential.organization)
    if credential.status == Credential.Status.RETIRED:
        raise InvalidTransition(
            "This credential is retired. Reinstate it before starting a new version."
        )
    if credential.versions.exclude(state=State.PUBLISHED).exists():
        raise InvalidTransition(
            "This credential already has a version in progress. Finish or discard it first."
        )
    if credential.current_version_id is None:
        raise InvalidTransition("This credential has no published version to start from.")
    source = selectors.version_with_parts(credential.current_version_id)
    number = (credential.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = _copy_version(source, number=number, actor=actor)
    _record(actor, Event.CREDENTIAL_VERSION_STARTED, draft, from_version=source.number)
    return draft


_NOT_COPIED = {
    "id",
    "credential",
    "number",
    "state",
    "created_by",
    "created_at",
    "updated_at",
    "submitted_at",
    "submitted_by",
    "published_at",
    "search_document",
}


def _copied_fields(row: Any, *, skip: set[str]) -> dict[str, Any]:
    """A row's own field values (foreign keys by id) for a copy, without the ones in `skip`."""
    values = {
        f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in skip
    }
    # A stored file is shared by name: published versions never change, so no copy of the bytes.
    return {k: v.name if isinstance(v, FieldFile) else v for k, v in values.items()}


def _copy_version(source: CredentialVersion, *, number: int, actor: User) -> CredentialVersion:
    """A new draft with every part of `source`, field for field (new fields copy themselves)."""
    draft = CredentialVersion.objects.create(
        credential=source.credential,
        number=number,
        created_by=actor,
        **_copied_fields(source, skip=_NOT_COPIED),
    )
    draft.audiences.set(source.audiences.all())
    part_skip = {"id", "version"}
    target_map = {
        t.pk: LearningTarget.objects.create(version=draft, **_copied_fields(t, skip=part_skip))
        for t in source.targets.all()
    }
    parts: list[tuple[type[models.Model], Any]] = [
        (StandardAlignment, source.standards.all()),
        (Resource, source.resources.all()),
        (ReflectionPrompt, source.prompts.all()),
        (EvidenceRequirement, source.evidence_requirements.all()),
        (Prerequisite, source.prerequisites.all()),
    ]
    for model, rows in parts:
        model._default_manager.bulk_create(
            [model(version=draft, **_copied_fields(row, skip=part_skip)) for row in rows]
        )
    # bulk_create sets primary keys on PostgreSQL and SQLite; positions are unique per version.
    evidence_map = {
        old.pk: new
        for old, new in zip(
            source.evidence_requirements.all(), draft.evidence_requirements.all(), strict=True
        )
    }
    for s in source.sections.all():
        section = RubricSection.objects.create(
            version=draft, **_copied_fields(s, skip={"id", "version", "passing_level"})
        )
        section.targets.set([target_map[t.pk] for t in s.targets.all()])
        section.evidence.set([evidence_map[e.pk] for e in s.evidence.all()])
        levels = PerformanceLevel.objects.bulk_create(
            PerformanceLevel(section=section, **_copied_fields(lv, skip={"id", "section"}))
            for lv in s.levels.all()
        )
        passing = next(
            (
                new
                for old, new in zip(s.levels.all(), levels, strict=True)
                if old.pk == s.passing_level_id
            ),
            None,
        )
        section.passing_level = passing
        section.save(update_fields=["passing_level"])
    return draft


@transaction.atomic
def version_discard(*, actor: User, version: CredentialVersion) -> Credential:
    """Throw away an unpublished version of a credential that has a published one."""
    version = _lock(version)
    credential = version.credential
    permissions.require(actor, "catalog.design", credential.organization)
    if version.state == State.PUBLISHED:
        raise InvalidTransition(
            "A published version cannot be discarded; retire the credential instead."
        )
    if credential.current_version_id is None:
        raise InvalidTransition(
            "This is the credential's first version; there is nothing published to fall back to."
        )
    _record(actor, Event.CREDENTIAL_VERSION_DISCARDED, version)
    version.delete()
    return credential


@transaction.atomic
def credential_discard(*, actor: User, credential: Credential) -> None:
    """Throw away a credential that was never published: its draft and every part go.

    A credential with a published version stays (educators may have started or earned it,
    and its page is linked from their badges): it can be retired instead.
    """
    credential = (
        Credential.objects.select_for_update().select_related("organization").get(pk=credential.pk)
    )
    permissions.require(actor, "catalog.design", credential.organization)
    states = set(credential.versions.values_list("state", flat=True))
    if credential.current_version_id is not None or State.PUBLISHED in states:
        raise InvalidTransition(
            "A published credential cannot be discarded: educators may have started or earned "
            "it, and their badges link to it. Retire it instead, or discard only a draft of a "
            "new version.",
            code="published",
        )
    if State.IN_REVIEW in states:
        raise InvalidTransition(
            "This draft is with the review board. Withdraw it from review first, then discard it.",
            code="in_review",
        )
    version = credential.versions.order_by("-number").first()
    audit.record(
        actor,
        Event.CREDENTIAL_DISCARDED,
        credential,
        title=version.title if version else credential.slug,
        versions=credential.versions.count(),
    )
    # The current version is never set here (nothing was published), so the rows go in order.
    # Rows other apps keep for it (an assessor pool) protect it: refused, nothing deleted.
    try:
        with transaction.atomic():
            credential.delete()
    except ProtectedError as protected:
        raise InvalidTransition(
            "This draft cannot be discarded: it is in use elsewhere (for example an assessor "
            "pool set up for it). Ask a program admin to remove that first.",
            code="in_use",
        ) from protected


# ----------------------------------------------------------------------------- lifecycle


@transaction.atomic
def credential_retire(*, actor: User, credential: Credential, reason: str) -> Credential:
    credential = (
        Credential.objects.select_for_update().select_related("organization").get(pk=credential.pk)
    )
    permissions.require(actor, "catalog.retire", credential.organization)
    if credential.status == Credential.Status.RETIRED:
        raise InvalidTransition("This credential is already retired.")
    if not reason.strip():
        raise Invalid(
            "Say why the credential is retired; educators who hold it will read this.",
            field="reason",
        )
    credential.status = Credential.Status.RETIRED
    credential.retired_at = timezone.now()
    credential.retired_reason = reason.strip()
    credential.save(update_fields=["status", "retired_at", "retired_reason", "updated_at"])
    audit.record(actor, Event.CREDENTIAL_RETIRED, credential, reason=credential.retired_reason)
    return credential


@transaction.atomic
def credential_reinstate(*, actor: User, credential: Credential) -> Credential:
    credential = (
        Credential.objects.select_for_update().select_related("organization").get(pk=credential.pk)
    )
    permissions.require(actor, "catalog.retire", credential.organization)
    if credential.status != Credential.Status.RETIRED:
        raise InvalidTransition("Only a retired credential can be reinstated.")
    credential.status = Credential.Status.ACTIVE
    credential.retired_at = None
    credential.retired_reason = ""
    credential.save(update_fields=["status", "retired_at", "retired_reason", "updated_at"])
    audit.record(actor, Event.CREDENTIAL_REINSTATED, credential)
    return credential


@transaction.atomic
def credential_set_visibility(
    *, actor: User, credential: Credential, visibility: str
) -> Credential:
    credential = (
        Credential.objects.select_for_update().select_related("organization").get(pk=credential.pk)
    )
    permissions.require(actor, "catalog.design", credential.organization)
    if visibility not in Credential.Visibility.values:
        raise Invalid("Choose public or internal.", field="visibility")
    if credential.visibility == visibility:
        return credential
    if visibility == Credential.Visibility.PUBLIC and (
        internal := selectors.internal_prerequisites(credential)
    ):
        names = " and ".join(f"“{title}”" for title in internal)
        raise Invalid(
            f"This credential requires {names}, which only members can see: educators "
            "elsewhere could never start it. Remove that prerequisite in a new version first, "
            "or keep this credential internal.",
            field="visibility",
            code="prerequisite_internal",
        )
    credential.visibility = visibility
    credential.save(update_fields=["visibility", "updated_at"])
    audit.record(actor, Event.CREDENTIAL_VISIBILITY_CHANGED, credential, visibility=visibility)
    return credential


# ----------------------------------------------------------------------------- notices


def _people_with_role(organization: Organization, role: Role) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=role,
            memberships__organization_id__in=organization.ancestor_ids,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def _notify_reviewers(actor: User, version: CredentialVersion) -> None:
    """The review board, in the app and by email (a designer on the board is not told of her
    own hand-in)."""
    credential = version.credential
    notify(
        _people_with_role(credential.organization, Role.REVIEWER),
        actor=actor,
        verb=Verb.CREDENTIAL_REVIEW_REQUESTED,
        text=f"Review “{version.title}” (version {version.number}), sent by {actor}: "
        "check it against the quality checklist.",
        url=reverse("studio:review", args=[credential.pk]),
        subject=subject_of(version),
        email_template="catalog/email/review_requested",
        context={"version": version},
    )


def _notify_designer(actor: User, review: QualityReview, version: CredentialVersion) -> None:
    """The designer who sent the version to review: changes requested (a notice the next
    send to review resolves) or published."""
    approved = review.outcome == QualityReview.Outcome.APPROVED
    notify(
        [version.submitted_by],
        actor=actor,
        verb=Verb.CREDENTIAL_PUBLISHED if approved else Verb.CREDENTIAL_CHANGES_REQUESTED,
        text=f"{actor} approved “{version.title}”: version {version.number} is published."
        if approved
        else f"{actor} asked for changes to “{version.title}” (version {version.number}).",
        url=reverse("studio:credential", args=[version.credential_id]),
        subject="" if approved else subject_of(version),
        email_template="catalog/email/review_decided",
        context={"review": review, "version": version, "responses": review.responses.all()},
    )
