"""Writes of an educator's attempt: start, reflect, tick resources, add and remove
evidence, submit and resubmit, withdraw, and comments on the attempt.

Each function takes the acting user, locks the attempt it changes, checks role and
state, writes an AuditEvent and notifies after commit. A refused action raises a
DomainError before anything is written, so it leaves no row, file, event or email.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat, pluralize
from django.utils import timezone

from microcred.catalog.models import (
    Credential,
    EvidenceKind,
    EvidenceRequirement,
    ReflectionPrompt,
    Resource,
    RubricSection,
)
from microcred.core import audit, lifecycle, permissions, uploads
from microcred.core.audit import Event
from microcred.core.errors import DomainError, Incomplete, Invalid, InvalidTransition
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.notify import Verb, notifications_resolve, notify, subject_of
from microcred.earning import staging, standing
from microcred.earning.models import (
    Attempt,
    Comment,
    Evidence,
    EvidenceAccess,
    ReflectionAnswer,
    ResourceProgress,
    Submission,
    UploadSession,
)

State = Attempt.State

# What each kind of evidence may be, by media type (read from the bytes).
ALLOWED_TYPES: dict[str, dict[str, str]] = {
    EvidenceKind.VIDEO: uploads.VIDEO_TYPES,
    EvidenceKind.DOCUMENT: uploads.DOCUMENT_TYPES,
    EvidenceKind.IMAGE: uploads.IMAGE_TYPES,
    EvidenceKind.STUDENT_WORK: {**uploads.DOCUMENT_TYPES, **uploads.IMAGE_TYPES},
}


# ----------------------------------------------------------------------------- helpers


def _lock(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update()
        .select_related("version__credential__organization", "organization", "educator")
        .get(pk=attempt.pk)
    )


def _lock_own_editable(actor: User, attempt: Attempt, doing: str) -> Attempt:
    attempt = _lock(attempt)
    if attempt.educator_id != actor.pk:
        raise InvalidTransition("Only the educator who started this attempt can change it.")
    if not attempt.is_editable:
        raise InvalidTransition(
            f"This attempt is {attempt.get_state_display().lower()}, so you cannot {doing} now."
            + (
                " It is read-only while it is being assessed."
                if attempt.state in (State.SUBMITTED, State.IN_REVIEW)
                else ""
            )
        )
    return attempt


def _record(actor: User | None, verb: Event, attempt: Attempt, **data: object) -> None:
    audit.record(actor, verb, attempt, organization=attempt.organization, **data)


def _touch(attempt: Attempt) -> None:
    attempt.save(update_fields=["updated_at"])


def max_bytes_for(requirement: EvidenceRequirement) -> int:
    if requirement.kind == EvidenceKind.VIDEO:
        return int(settings.EVIDENCE_VIDEO_MAX_BYTES)
    return int(settings.EVIDENCE_FILE_MAX_BYTES)


def word_count(text: str) -> int:
    return len(text.split())


def home_organization(educator: User) -> Organization | None:
    """Where the educator teaches: the deepest organization in which they are an educator."""
    memberships = (
        Membership.objects.filter(user=educator, role=Role.EDUCATOR)
        .select_related("organization")
        .order_by("-organization__path")
    )
    best = None
    for membership in memberships:
        if best is None or membership.organization.depth > best.depth:
            best = membership.organization
    return best


def home_organizations(educators: Sequence[User]) -> dict[int, Organization]:
    """`home_organization` of many educators in one query, by user id (those with none absent)."""
    homes: dict[int, Organization] = {}
    memberships = Membership.objects.filter(
        user__in=[e.pk for e in educators], role=Role.EDUCATOR
    ).select_related("organization")
    for membership in memberships:
        best = homes.get(membership.user_id)
        if best is None or membership.organization.depth > best.depth:
            homes[membership.user_id] = membership.organization
    return homes


# ----------------------------------------------------------------------------- starting


def prerequisites_refusal(missing: list[Credential]) -> str:
    """Why an educator cannot start a credential yet: the prerequisites she does not hold."""
    names = [f"“{c.display_title}”" for c in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(names) == 1:
        return f"Earn {listed} first: it is a prerequisite of this credential."
    return f"Earn {listed} first: they are prerequisites of this credential."


@transaction.atomic
def attempt_start(*, actor: User, credential: Credential) -> Attempt:
    """Start (or return the open) attempt of the credential's current version. A new attempt
    needs every prerequisite of that version earned, and the award still counting."""
    organization = home_organization(actor)
    if organization is None:
        raise InvalidTransition("Only an educator can work toward a micro-credential.")
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    version = credential.current_version
    if version is None or credential.status != Credential.Status.ACTIVE:
        raise InvalidTransition("This credential is not open for new attempts.")
    existing = (
        Attempt.objects.filter(educator=actor, version__credential=credential)
        .exclude(state__in=(State.WITHDRAWN, State.REJECTED))
        .order_by("-started_at")
        .first()
    )
    if existing is not None:
        return existing
    missing = standing.prerequisites_missing(educator=actor, version_id=version.pk)
    if missing:
        raise InvalidTransition(prerequisites_refusal(missing), code="prerequisites_missing")
    attempt = Attempt.objects.create(educator=actor, version=version, organization=organization)
    _record(
        actor, Event.ATTEMPT_STARTED, attempt, credential=credential.slug, version=version.number
    )
    return attempt


# ----------------------------------------------------------------------------- reflecting


ANSWER_MAX_CHARS = 20_000  # a reflection answer; the page's counter shows the same limit


def _answers_within_limit(prompts: Iterable[ReflectionPrompt], answers: dict[int, str]) -> None:
    """Refuse, naming each, the answers longer than the limit (nothing is cut silently)."""
    over = [
        (p, len(answers[p.pk].strip()))
        for p in prompts
        if len(answers.get(p.pk, "").strip()) > ANSWER_MAX_CHARS
    ]
    if over:
        raise Invalid(
            f"An answer can be up to {ANSWER_MAX_CHARS:,} characters. Shorten it and save again:",
            details=[
                f"“{p.text}”: {n:,} characters, {n - ANSWER_MAX_CHARS:,} too many." for p, n in over
            ],
            code="answer_too_long",
        )


@transaction.atomic
def reflection_save(
    *, actor: User, attempt: Attempt, prompt: ReflectionPrompt, text: str
) -> ReflectionAnswer:
    """Save one answer (autosave calls this on every pause in typing)."""
    attempt = _lock_own_editable(actor, attempt, "change your reflections")
    if prompt.version_id != attempt.version_id:
        raise Invalid("That question is not part of this credential.")
    if prompt.phase == ReflectionPrompt.Phase.POST and not attempt.task_unlocked:
        raise InvalidTransition("Finish the pre-reflection first; the rest unlocks after it.")
    _answers_within_limit([prompt], {prompt.pk: text})
    answer, _ = ReflectionAnswer.objects.update_or_create(
        attempt=attempt, prompt=prompt, defaults={"text": text.strip()}
    )
    _touch(attempt)
    _record(actor, Event.ATTEMPT_REFLECTION_SAVED, attempt, prompt=prompt.pk, phase=prompt.phase)
    return answer


@transaction.atomic
def pre_reflection_complete(*, actor: User, attempt: Attempt, answers: dict[int, str]) -> Attempt:
    """Save the pre-reflection and unlock the task; every question needs an answer."""
    attempt = _lock_own_editable(actor, attempt, "change your reflections")
    prompts = list(attempt.version.prompts.filter(phase=ReflectionPrompt.Phase.PRE))
    missing = [p for p in prompts if not answers.get(p.pk, "").strip()]
    if missing:
        raise Incomplete(
            "Answer every question of the pre-reflection to unlock the task.",
            details=[f"Answer: “{p.text}”" for p in missing],
        )
    _answers_within_limit(prompts, answers)
    for prompt in prompts:
        ReflectionAnswer.objects.update_or_create(
            attempt=attempt, prompt=prompt, defaults={"text": answers[prompt.pk].strip()}
        )
    first_time = attempt.pre_reflection_done_at is None
    if first_time:
        attempt.pre_reflection_done_at = timezone.now()
        if attempt.state == State.STARTED:
            attempt.state = State.IN_PROGRESS
        attempt.save(update_fields=["pre_reflection_done_at", "state", "updated_at"])
        _record(actor, Event.ATTEMPT_PRE_REFLECTION_COMPLETED, attempt)
    else:
        _touch(attempt)
        _record(
            actor,
            Event.ATTEMPT_REFLECTION_SAVED,
            attempt,
            prompts=[p.pk for p in prompts],
            phase=ReflectionPrompt.Phase.PRE,
        )
    return attempt


@transaction.atomic
def post_reflection_save(*, actor: User, attempt: Attempt, answers: dict[int, str]) -> Attempt:
    """Save every answer of the post-reflection (the page's Save button), each as
    `reflection_save` does, with its event; an answer left empty is saved empty (the
    hand-in's checklist asks for it). A refused answer keeps none of them."""
    prompts = attempt.version.prompts.filter(phase=ReflectionPrompt.Phase.POST)
    _answers_within_limit(prompts, answers)
    for prompt in prompts:
        reflection_save(
            actor=actor, attempt=attempt, prompt=prompt, text=answers.get(prompt.pk, "")
        )
    return attempt


@transaction.atomic
def resource_tick(*, actor: User, attempt: Attempt, resource: Resource, done: bool) -> bool:
    attempt = _lock_own_editable(actor, attempt, "change your progress")
    if resource.version_id != attempt.version_id:
        raise Invalid("That resource is not part of this credential.")
    if done:
        ResourceProgress.objects.get_or_create(attempt=attempt, resource=resource)
    else:
        ResourceProgress.objects.filter(attempt=attempt, resource=resource).delete()
    _touch(attempt)
    _record(
        actor,
        Event.ATTEMPT_RESOURCE_TICKED if done else Event.ATTEMPT_RESOURCE_UNTICKED,
        attempt,
        resource=resource.pk,
    )
    return done


# ----------------------------------------------------------------------------- evidence


def _check_can_add(attempt: Attempt, requirement: EvidenceRequirement, *, consent: bool) -> None:
    if requirement.version_id != attempt.version_id:
        raise Invalid("That evidence requirement is not part of this credential.")
    if not attempt.task_unlocked:
        raise InvalidTransition("Finish the pre-reflection first; the task unlocks after it.")
    if requirement.kind == EvidenceKind.WRITTEN:
        raise Invalid(f"“{requirement.title}” is a written answer: type it in the box.")
    # Uploads still arriving do not count: an abandoned one must never lock the educator
    # out. The count is checked again when an upload finishes.
    _check_room(attempt, requirement)
    if requirement.consent_required and not consent:
        raise Invalid(
            f"Confirm that the students in “{requirement.title}” have consent on file "
            "or that their faces and names are hidden.",
            field="consent",
        )


def _check_room(attempt: Attempt, requirement: EvidenceRequirement) -> None:
    count = attempt.evidence.current().filter(requirement=requirement).count()
    if count >= requirement.max_count:
        raise Invalid(
            f"“{requirement.title}” takes at most {requirement.max_count} "
            f"file{pluralize(requirement.max_count)}, and you have added {count}. "
            "Remove one before adding another."
        )


class TooLarge(Invalid):
    """The file is bigger than the limit (or than the size announced for it)."""

    code = "too_large"


class WrongType(Invalid):
    """The file's bytes say it is not a kind the requirement takes."""

    code = "wrong_type"


def _check_size(requirement: EvidenceRequirement, display: str, size: int) -> None:
    if size <= 0:
        raise Invalid(
            f"“{display}” is empty. Choose the file again; it may not have finished saving.",
            code="empty_file",
            field="file",
        )
    limit = max_bytes_for(requirement)
    if size > limit:
        advice = (
            "Trim it to the part the task asks for, or export it at a lower resolution."
            if requirement.kind == EvidenceKind.VIDEO
            else "Compress it or split it into smaller files."
        )
        raise TooLarge(
            f"“{display}” is {filesizeformat(size)}; the limit is {filesizeformat(limit)}. {advice}",
            field="file",
        )


def _check_type(requirement: EvidenceRequirement, display: str, head: bytes) -> uploads.Sniffed:
    allowed = ALLOWED_TYPES[requirement.kind]
    sniffed = uploads.sniff_bytes(head)
    if sniffed is None or sniffed.content_type not in allowed:
        kinds = ", ".join(sorted(set(allowed.values())))
        real = f"a {sniffed.label}" if sniffed else "a file type we cannot recognise"
        raise WrongType(
            f"“{display}” is {real}. “{requirement.title}” takes: {kinds}.", field="file"
        )
    return sniffed


def _store(
    *,
    actor: User,
    attempt: Attempt,
    requirement: EvidenceRequirement,
    display: str,
    size: int,
    content_type: str,
    consent: bool,
    caption: str = "",
    content: File | None = None,
    key: str = "",
) -> Evidence:
    """The evidence row for a file: `content` is saved under a random key, or the file is
    already in storage under `key` (a finished upload)."""
    if content is not None:
        extension = os.path.splitext(display)[1].lower()[:12]
        key = default_storage.save(f"evidence/{uuid.uuid4().hex}{extension}", content)
    try:
        evidence = Evidence.objects.create(
            attempt=attempt,
            requirement=requirement,
            file=key,
            file_name=display,
            content_type=content_type,
            size=size,
            consent_attested=consent,
            caption=caption.strip()[:300],
        )
        _touch(attempt)
        _record(
            actor,
            Event.EVIDENCE_ADDED,
            attempt,
            evidence=str(evidence.public_id),
            requirement=requirement.title,
            file_name=display,
            size=size,
        )
    except BaseException:
        default_storage.delete(key)  # no row, no file
        raise
    return evidence


@transaction.atomic
def evidence_upload(
    *,
    actor: User,
    attempt: Attempt,
    requirement: EvidenceRequirement,
    upload: File,
    consent: bool = False,
    caption: str = "",
) -> Evidence:
    """A whole file sent in one request (the form without JavaScript, small files)."""
    attempt = _lock_own_editable(actor, attempt, "add evidence")
    display = uploads.sanitize_filename(getattr(upload, "name", "") or "", fallback="evidence")
    _check_can_add(attempt, requirement, consent=consent)
    size = int(getattr(upload, "size", 0) or 0)
    _check_size(requirement, display, size)
    upload.seek(0)
    head = upload.read(uploads.SNIFF_BYTES)
    upload.seek(0)
    sniffed = _check_type(requirement, display, head)
    return _store(
        actor=actor,
        attempt=attempt,
        requirement=requirement,
        content=upload,
        display=display,
        size=size,
        content_type=sniffed.content_type,
        consent=consent,
        caption=caption,
    )


@transaction.atomic
def evidence_write(
    *, actor: User, attempt: Attempt, requirement: EvidenceRequirement, text: str
) -> Evidence | None:
    """Save the written answer of a "written" requirement (autosaved like reflections)."""
    attempt = _lock_own_editable(actor, attempt, "change your evidence")
    if requirement.version_id != attempt.version_id:
        raise Invalid("That evidence requirement is not part of this credential.")
    if requirement.kind != EvidenceKind.WRITTEN:
        raise Invalid(f"“{requirement.title}” takes files, not a written answer.")
    if not attempt.task_unlocked:
        raise InvalidTransition("Finish the pre-reflection first; the task unlocks after it.")
    text = text.strip()
    if len(text) > ANSWER_MAX_CHARS:
        raise Invalid(
            f"Your answer is {len(text):,} characters; the limit is {ANSWER_MAX_CHARS:,}. "
            "Shorten it and save again.",
            code="answer_too_long",
            field="text",
        )
    current = attempt.evidence.current().filter(requirement=requirement).first()
    before = current
    if current is not None and current.submissions.exists():
        # It was handed in: keep that version for the history and start a new one.
        current.removed_at = timezone.now()
        current.save(update_fields=["removed_at"])
        current = None
    if current is None:
        if not text and before is None:
            return None  # nothing was there and nothing is: nothing written
        if text:
            current = Evidence.objects.create(attempt=attempt, requirement=requirement, text=text)
    elif text:
        current.text = text
        current.save(update_fields=["text"])
    else:
        current.delete()
        current = None
    _touch(attempt)
    # What the assessor will grade changed: which answer (and the one it replaced), for which
    # requirement, how long; the text itself stays in the evidence row, out of the trail.
    _record(
        actor,
        Event.EVIDENCE_WRITTEN,
        attempt,
        evidence=str(current.public_id) if current else None,
        replaced=str(before.public_id) if before and before != current else None,
        requirement=requirement.title,
        requirement_id=requirement.pk,
        words=word_count(text),
    )
    return current


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    attempt = _lock_own_editable(actor, evidence.attempt, "remove evidence")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk, attempt=attempt)
    if evidence.removed_at is not None:
        raise InvalidTransition("That evidence was already removed.")
    _record(
        actor,
        Event.EVIDENCE_REMOVED,
        attempt,
        evidence=str(evidence.public_id),
        file_name=evidence.file_name,
    )
    if evidence.submissions.exists():
        evidence.removed_at = timezone.now()  # kept for the submission that included it
        evidence.save(update_fields=["removed_at"])
    else:
        key = evidence.file.name
        evidence.delete()
        if key:
            transaction.on_commit(lambda: default_storage.delete(key))
    _touch(attempt)


def evidence_access_record(
    *, actor: User, evidence: Evidence, download: bool, range_header: str, ip_address: str | None
) -> EvidenceAccess | None:
    """Log that `actor` opened the evidence: viewed it, or downloaded it (`download`).

    The caller has already found the evidence through `selectors.evidence_for`, which is
    the permission check; this only writes the log. A player fetches a video in many
    ranges, so only the opening request counts (no `Range`, or one from byte 0), not each
    seek after it (docs/decisions/0012).

    No AuditEvent: the audit trail records changes of state, and opening a file changes
    nothing. EvidenceAccess is itself the log an auditor reads for "who saw this
    classroom video", one row per opening with the reader's address, which an AuditEvent
    does not carry; an event as well would double every row of it.
    """
    if range_header and not range_header.replace(" ", "").startswith("bytes=0-"):
        return None
    return EvidenceAccess.objects.create(
        evidence=evidence,
        user=actor,
        action=EvidenceAccess.Action.DOWNLOAD if download else EvidenceAccess.Action.VIEW,
        ip_address=ip_address,
    )


# ----------------------------------------------------------------------------- resumable upload
#
# A large file arrives in pieces over tus (earning/tus.py speaks the protocol). The row
# (UploadSession) is the truth about progress, shared by every web process: its `offset`
# counts the bytes kept, and a request appending claims the row first with a conditional
# UPDATE (a lease, renewed while the bytes arrive), so a second request for the same
# upload is told to wait (409) instead of writing alongside. The bytes wait in a staging
# area any web process can append to (earning/staging.py).


class UploadOffsetMismatch(DomainError):
    """The piece does not start where the server's bytes end."""

    code = "upload_offset_mismatch"

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class UploadBusy(DomainError):
    """Another request is appending to this upload right now."""

    code = "upload_busy"


class UploadGone(DomainError):
    """The upload expired or its bytes are gone: it cannot go on."""

    code = "upload_gone"


class UploadRefused(Invalid):
    """The finished file cannot become evidence: it is discarded, not resumed."""


# Uploads of one attempt that may be unfinished at once (the page sends one file per
# requirement at a time).
UPLOADS_IN_PROGRESS_MAX = 5
# An upload nobody has sent a byte to for this long expires (tus `Upload-Expires`).
UPLOAD_ABANDONED_AFTER = timedelta(days=1)
# How long a request's claim on an upload holds without news from it (renewed as bytes
# arrive), so a web process that died mid-piece does not block the upload for ever.
UPLOAD_LEASE = timedelta(seconds=60)
UPLOAD_LEASE_RENEW_SECONDS = 10.0


def upload_expires_at(session: UploadSession) -> datetime:
    return session.updated_at + UPLOAD_ABANDONED_AFTER


@transaction.atomic
def upload_begin(
    *,
    actor: User,
    attempt: Attempt,
    requirement: EvidenceRequirement,
    file_name: str,
    size: int,
    consent: bool = False,
    caption: str = "",
) -> UploadSession:
    """Reserve a place for a file that will arrive in pieces; refuse early what will be refused."""
    attempt = _lock_own_editable(actor, attempt, "add evidence")
    display = uploads.sanitize_filename(file_name, fallback="evidence")
    _check_can_add(attempt, requirement, consent=consent)
    _check_size(requirement, display, size)
    session = UploadSession(
        attempt=attempt,
        requirement=requirement,
        file_name=display,
        size=size,
        consent_attested=consent,
        caption=caption.strip()[:300],
    )
    staging.staging_for_new_upload().create(session)
    session.save()
    _record(
        actor,
        Event.EVIDENCE_UPLOAD_STARTED,
        attempt,
        upload=str(session.token),
        requirement=requirement.title,
        file_name=display,
        size=size,
    )
    # Unfinished uploads do not count toward the file limit, so they are bounded here instead
    # (staging space): beyond a few, the oldest are given up. The page sends one file per
    # form, so only an upload abandoned long ago (or a script) is ever cut short.
    superseded = list(
        attempt.uploads.exclude(pk=session.pk).order_by("-created_at", "-pk")[
            UPLOADS_IN_PROGRESS_MAX - 1 :
        ]
    )
    if superseded:

        def give_up() -> None:
            for old in superseded:
                upload_discard(old)

        transaction.on_commit(give_up)
    return session


def _upload_usable(actor: User, session: UploadSession) -> None:
    """Refuse (and forget) an upload that expired or whose attempt can no longer change."""
    if session.attempt.educator_id != actor.pk:
        raise InvalidTransition("Only the educator who started this attempt can change it.")
    if upload_expires_at(session) < timezone.now():
        upload_discard(session)
        raise UploadGone("This upload expired: nothing arrived for a day. Upload the file again.")
    if not session.attempt.is_editable:
        upload_discard(session)
        raise InvalidTransition("This attempt was handed in or closed; the upload is cancelled.")


def upload_status(*, actor: User, session: UploadSession) -> UploadSession:
    """The upload as the server has it (to resume after a lost connection)."""
    _upload_usable(actor, session)
    return session


def upload_cancel(*, actor: User, session: UploadSession) -> None:
    if session.attempt.educator_id != actor.pk:
        raise InvalidTransition("Only the educator who started this attempt can change it.")
    upload_discard(session)


@dataclass(frozen=True)
class UploadProgress:
    session: UploadSession
    offset: int
    evidence: Evidence | None  # the new evidence, once the last byte arrived


def upload_receive(
    *,
    actor: User,
    session: UploadSession,
    offset: int,
    length: int | None,
    blocks: Iterable[bytes],
) -> UploadProgress:
    """Append the next piece of an upload, starting at `offset` (where the server's bytes
    end). Whatever arrives is kept even if the connection drops half-way, so the client
    resumes from the offset it is told. The wrong type is refused as soon as the first
    bytes are in; the last byte turns the upload into evidence."""
    _upload_usable(actor, session)
    if length is not None and offset + length > session.size:
        upload_discard(session)  # refused for good: nothing left behind
        raise TooLarge(
            f"The file is bigger than the {session.size} bytes announced. Upload it again."
        )
    receiver = _upload_claim(session, offset)
    place = staging.staging_of(session)
    try:
        kept = place.append(session, _received(session, receiver, offset, length, blocks))
    except staging.StagingLost:
        upload_discard(session)
        raise UploadGone("This upload was cancelled. Start again.") from None
    except Invalid:
        upload_discard(session)  # the wrong type, or more bytes than announced
        raise
    except BaseException:
        _upload_release(session, receiver)
        raise
    if not _upload_release(session, receiver, kept=kept):
        if not UploadSession.objects.filter(pk=session.pk).exists():
            raise UploadGone("This upload was cancelled. Start again.")
        raise UploadBusy(
            "Another piece of this file arrived meanwhile. Resume from the server's offset."
        )
    if kept < session.size:
        return UploadProgress(session=session, offset=kept, evidence=None)
    evidence = upload_finish(actor=actor, session=session)
    return UploadProgress(session=session, offset=kept, evidence=evidence)


def _upload_claim(session: UploadSession, offset: int) -> uuid.UUID:
    """Claim the upload for this request, if the piece starts where the server's bytes end
    and no other request is appending: one conditional UPDATE, so every process agrees."""
    receiver = uuid.uuid4()
    now = timezone.now()
    claimed = (
        UploadSession.objects.filter(pk=session.pk, offset=offset)
        .filter(Q(receiving_until__isnull=True) | Q(receiving_until__lt=now))
        .update(receiver=receiver, receiving_until=now + UPLOAD_LEASE)
    )
    if claimed:
        # The offset only grows, and the staging fields (S3 parts) change only with it: a
        # row read at the offset just claimed is current. One read before another request
        # moved the upload on is stale and read again (the claim proved the offset moved).
        if session.offset != offset:
            session.refresh_from_db()
        return receiver
    current = UploadSession.objects.filter(pk=session.pk).values_list("offset", flat=True).first()
    if current is None:
        raise UploadGone("This upload was cancelled. Start again.")
    if current != offset:
        raise UploadOffsetMismatch(
            f"This piece starts at byte {offset}, but the server has {current} bytes. "
            f"Resume from byte {current}.",
            offset=current,
        )
    raise UploadBusy("Another piece of this file is still arriving. Try again in a moment.")


def _upload_release(
    session: UploadSession, receiver: uuid.UUID, *, kept: int | None = None
) -> bool:
    """Record the bytes kept and give up the claim; False if the claim was lost meanwhile."""
    changes: dict[str, object] = {"receiver": None, "receiving_until": None}
    if kept is not None:
        changes.update(
            offset=kept,
            parts=session.parts,
            parts_bytes=session.parts_bytes,
            updated_at=timezone.now(),
        )
    released = UploadSession.objects.filter(pk=session.pk, receiver=receiver).update(**changes)
    if released and kept is not None:
        session.offset = kept
        session.updated_at = changes["updated_at"]  # type: ignore[assignment]
    return bool(released)


def _received(
    session: UploadSession,
    receiver: uuid.UUID,
    offset: int,
    length: int | None,
    blocks: Iterable[bytes],
) -> Iterator[bytes]:
    """The piece's blocks as they arrive: the first bytes of the file are checked before
    more is kept, no byte past the announced size is taken, and the claim is renewed."""
    head = b"" if offset == 0 else None
    received = offset
    renewed = time.monotonic()
    for block in blocks:
        received += len(block)
        if received > session.size:
            raise TooLarge(
                f"The file is bigger than the {session.size} bytes announced. Upload it again."
            )
        if head is not None:
            head += block[: uploads.SNIFF_BYTES - len(head)]
            if len(head) >= uploads.SNIFF_BYTES or received == session.size:
                _check_type(session.requirement, session.file_name, head)
                head = None
        if time.monotonic() - renewed > UPLOAD_LEASE_RENEW_SECONDS:
            renewed = time.monotonic()
            if not UploadSession.objects.filter(pk=session.pk, receiver=receiver).update(
                receiving_until=timezone.now() + UPLOAD_LEASE
            ):
                raise UploadBusy("Another request took over this upload. Resume from its offset.")
        yield block
    if head and (length is None or received - offset >= length):
        # A whole (short) first piece: check what there is. One cut off early is not
        # judged on a few bytes; the finished file is checked anyway.
        _check_type(session.requirement, session.file_name, head)


def upload_discard(session: UploadSession) -> None:
    staging.staging_of(session).discard(session)
    UploadSession.objects.filter(pk=session.pk).delete()


def upload_finish(*, actor: User, session: UploadSession) -> Evidence:
    """All bytes are staged: check the file and move it into storage as evidence.

    A refused file is discarded here, after its transaction has rolled back: a clean-up
    registered inside that transaction would be dropped with it, leaving the staged bytes
    and the session behind for ever."""
    try:
        return _upload_finish(actor=actor, session=session)
    except UploadRefused:
        upload_discard(session)
        raise


@transaction.atomic
def _upload_finish(*, actor: User, session: UploadSession) -> Evidence:
    session = (
        UploadSession.objects.select_for_update()
        .select_related("requirement", "attempt")
        .get(pk=session.pk)
    )
    attempt = _lock_own_editable(actor, session.attempt, "add evidence")
    if session.offset != session.size:
        raise Invalid(
            f"Only {filesizeformat(session.offset)} of “{session.file_name}” arrived "
            f"({filesizeformat(session.size)} expected). Send the rest to finish."
        )
    place = staging.staging_of(session)
    place.complete(session)
    try:
        # Several uploads may have been started side by side: the limit holds at the end.
        _check_room(attempt, session.requirement)
        sniffed = _check_type(
            session.requirement, session.file_name, place.head(session, uploads.SNIFF_BYTES)
        )
    except Invalid as refused:
        raise UploadRefused(refused.message, code=refused.code, field=refused.field) from refused
    extension = os.path.splitext(session.file_name)[1].lower()[:12]
    key = place.store(session, f"evidence/{uuid.uuid4().hex}{extension}")
    evidence = _store(
        actor=actor,
        attempt=attempt,
        requirement=session.requirement,
        key=key,
        display=session.file_name,
        size=session.size,
        content_type=sniffed.content_type,
        consent=session.consent_attested,
        caption=session.caption,
    )
    session.delete()
    return evidence


@dataclass(frozen=True)
class UploadsCleaned:
    sessions: int  # expired uploads forgotten, with their staged bytes
    orphan_files: int  # staged bytes whose upload was already gone


def uploads_clean(*, older_than: timedelta = UPLOAD_ABANDONED_AFTER) -> UploadsCleaned:
    """Forget uploads nobody has sent a byte to for `older_than` (with the default, those
    past their `Upload-Expires`): their rows and staged bytes, and staged bytes whose row
    is gone. An upload receiving a piece right now stays."""
    now = timezone.now()
    cutoff = now - older_than
    sessions = 0
    expired = UploadSession.objects.filter(updated_at__lt=cutoff).exclude(receiving_until__gte=now)
    for session in expired.iterator():
        upload_discard(session)
        sessions += 1
    live = set(UploadSession.objects.values_list("token", flat=True))
    orphans = staging.FileStaging.clean_orphans(live, cutoff.timestamp())
    if staging.in_object_store():
        orphans += staging.S3Staging().clean_orphans(live, cutoff)
    return UploadsCleaned(sessions=sessions, orphan_files=orphans)


# ----------------------------------------------------------------------------- submitting


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    problem: str = ""  # what is missing, said to the educator
    anchor: str = ""  # where on the attempt's pages to fix it


def submit_checklist(attempt: Attempt) -> list[ChecklistItem]:
    """Everything a hand-in needs, in the order the educator meets it."""
    version = attempt.version
    prompts = list(version.prompts.all())
    answers = {a.prompt_id: a.text for a in attempt.answers.all()}
    evidence = list(attempt.evidence.current())
    items: list[ChecklistItem] = []
    items.append(
        ChecklistItem(
            "Pre-reflection",
            attempt.task_unlocked,
            "" if attempt.task_unlocked else "Write and save the pre-reflection.",
            "pre",
        )
    )
    for requirement in version.evidence_requirements.all():
        mine = [e for e in evidence if e.requirement_id == requirement.pk]
        problem = ""
        if requirement.kind == EvidenceKind.WRITTEN:
            words = sum(word_count(e.text) for e in mine)
            if not words:
                problem = f"Write your answer for “{requirement.title}”."
            elif requirement.max_words and words > requirement.max_words:
                problem = (
                    f"“{requirement.title}” has {words} words; the limit is "
                    f"{requirement.max_words}. Shorten it."
                )
        elif len(mine) < requirement.min_count:
            needed = requirement.min_count - len(mine)
            problem = (
                f"Add {needed} more file{pluralize(needed)} to “{requirement.title}” "
                f"({len(mine)} of {requirement.min_count})."
            )
        elif requirement.consent_required and not all(e.consent_attested for e in mine):
            problem = f"Confirm consent for every file of “{requirement.title}”."
        items.append(
            ChecklistItem(requirement.title, not problem, problem, f"requirement-{requirement.pk}")
        )
    post = [p for p in prompts if p.phase == ReflectionPrompt.Phase.POST]
    unanswered = [p for p in post if not answers.get(p.pk, "").strip()]
    items.append(
        ChecklistItem(
            "Post-reflection",
            not unanswered,
            f"Answer {len(unanswered)} more question{pluralize(len(unanswered))} of the post-reflection."
            if unanswered
            else "",
            "post",
        )
    )
    if attempt.state == State.NOT_YET:
        # The terms the "not yet" decision set (attempt_decide).
        limit = attempt.resubmit_limit or 0
        used = attempt.submissions.count() - 1
        if used >= limit:
            items.append(
                ChecklistItem(
                    "Resubmissions left",
                    False,
                    f"This credential allows {limit} "
                    f"resubmission{pluralize(limit)}, and you have used them. "
                    "Talk to your coach or the program admin about a new attempt.",
                )
            )
        opens = attempt.resubmit_opens_at
        if opens is not None and opens > timezone.now():
            opens = timezone.localtime(opens)
            items.append(
                ChecklistItem(
                    "Waiting period",
                    False,
                    f"You can resubmit from {opens:%B} {opens.day}, {opens:%Y}.",
                )
            )
    return items


@transaction.atomic
def attempt_submit(*, actor: User, attempt: Attempt, note: str = "") -> Submission:
    """Hand the attempt in: freeze reflections and evidence into a Submission, then route it
    to assessors. A resubmission covers only the sections that did not pass."""
    attempt = _lock_own_editable(actor, attempt, "submit it")
    problems = [item.problem for item in submit_checklist(attempt) if not item.done]
    if problems:
        raise Incomplete("Your attempt is not ready to submit yet.", details=problems)
    resubmission = attempt.state == State.NOT_YET
    note = note.strip()
    if resubmission and not note:
        raise Invalid("Say what you changed, so the assessor knows where to look.", field="note")
    sections = list(
        attempt.resubmit_sections.all() if resubmission else attempt.version.sections.all()
    )
    number = (attempt.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    answers = {a.prompt_id: a.text for a in attempt.answers.all()}
    submission = Submission.objects.create(
        attempt=attempt,
        number=number,
        note=note,
        reflections=[
            {"prompt": p.pk, "phase": p.phase, "question": p.text, "text": answers.get(p.pk, "")}
            for p in attempt.version.prompts.all()
        ],
    )
    submission.sections.set(sections)
    submission.evidence.set(list(attempt.evidence.current()))
    attempt.state = State.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["state", "submitted_at", "updated_at"])
    _record(
        actor,
        Event.ATTEMPT_RESUBMITTED if resubmission else Event.ATTEMPT_SUBMITTED,
        attempt,
        submission=number,
        sections=[s.name for s in sections],
    )
    lifecycle.announce(lifecycle.Announcement.HANDED_IN, submission_id=submission.pk)
    # The "not yet" notice asked for this resubmission. The educator is not told of her own
    # hand-in (the attempt page says it waits for review); the people who follow her are.
    notifications_resolve(subject=subject_of(attempt))
    title = attempt.version.title
    notify(
        attempt_followers(attempt),
        actor=actor,
        verb=Verb.ATTEMPT_SUBMITTED,
        text=f"{attempt.educator} handed in “{title}” again (hand-in {number})."
        if resubmission
        else f"{attempt.educator} handed in “{title}”.",
        url=attempt.get_absolute_url(),
    )
    return submission


@transaction.atomic
def attempt_withdraw(*, actor: User, attempt: Attempt, reason: str = "") -> Attempt:
    attempt = _lock(attempt)
    if attempt.educator_id != actor.pk:
        raise InvalidTransition("Only the educator who started this attempt can withdraw it.")
    if not attempt.is_editable:
        raise InvalidTransition(
            f"This attempt is {attempt.get_state_display().lower()}; "
            "only an attempt you are still working on can be withdrawn."
        )
    attempt.state = State.WITHDRAWN
    attempt.closed_at = timezone.now()
    attempt.withdrawn_reason = reason.strip()
    attempt.save(update_fields=["state", "closed_at", "withdrawn_reason", "updated_at"])
    unfinished = list(attempt.uploads.all())

    def discard_unfinished() -> None:
        for session in unfinished:
            upload_discard(session)

    transaction.on_commit(discard_unfinished)
    _record(actor, Event.ATTEMPT_WITHDRAWN, attempt, reason=attempt.withdrawn_reason)
    notifications_resolve(subject=subject_of(attempt))  # no resubmission will follow a "not yet"
    return attempt


# ----------------------------------------------------------------------------- comments


def attempt_supporters(attempt: Attempt) -> list[User]:
    """Coaches of the educator's organization (and above it) who can follow the attempt."""
    ancestors = attempt.organization.ancestor_ids
    return list(
        User.objects.filter(
            memberships__role=Role.COACH, memberships__organization_id__in=ancestors
        ).distinct()
    )


def attempt_followers(attempt: Attempt) -> list[User]:
    """Who follows the educator's work: the coaches and school leaders of her organization
    (and above it), the people her staff-progress page lists her for. Told when she hands in
    and when a decision is made."""
    ancestors = attempt.organization.ancestor_ids
    return list(
        User.objects.filter(
            memberships__role__in=(Role.COACH, Role.LEADER),
            memberships__organization_id__in=ancestors,
            is_active=True,
        )
        .exclude(pk=attempt.educator_id)
        .distinct()
    )


@transaction.atomic
def comment_add(
    *, actor: User, attempt: Attempt, body: str, parent: Comment | None = None
) -> Comment:
    """A coach comments on an attempt; the educator and coaches reply in the thread."""
    attempt = _lock(attempt)
    is_educator = attempt.educator_id == actor.pk
    if not is_educator:
        permissions.require(actor, "earning.comment", attempt.organization)
    body = body.strip()
    if not body:
        raise Invalid("Write a comment before sending it.", field="body")
    if len(body) > 5000:
        raise Invalid(
            f"A comment can be 5,000 characters at most; this one has {len(body):,}.", field="body"
        )
    if parent is not None and parent.attempt_id != attempt.pk:
        raise Invalid("You can only reply to a comment on this attempt.")
    comment = Comment.objects.create(
        attempt=attempt, author=actor, body=body, parent=parent.parent or parent if parent else None
    )
    _record(actor, Event.ATTEMPT_COMMENTED, attempt, comment=comment.pk)
    title = attempt.version.title
    readers: Iterable[User]
    if is_educator:
        readers = [u for u in attempt_supporters(attempt) if u.pk != actor.pk]
    else:
        readers = [attempt.educator]
    notify(
        readers,
        actor=actor,
        verb=Verb.ATTEMPT_COMMENTED,
        text=f"{actor} commented on “{title}”.",
        url=attempt.get_absolute_url() + "#comments",
        email_template="earning/email/commented",
        context={"attempt": attempt, "comment": comment, "title": title, "author": actor},
    )
    return comment


# ----------------------------------------------------------------------------- standing


def attempt_standing_set(
    *,
    attempt_id: int,
    revoked_at: datetime | None,
    revoked_reason: str,
    valid_until: datetime | None,
) -> None:
    """Copy where the award's current badge stands onto its earned attempt (earning.standing).

    A step of the badges service that changed the badge (signed, revoked, reinstated), run in
    its transaction; that service checks permission and writes the one audit event of the
    action, so this step writes none."""
    Attempt.objects.filter(pk=attempt_id).update(
        revoked_at=revoked_at,
        revoked_reason=revoked_reason if revoked_at is not None else "",
        valid_until=valid_until,
    )


# ----------------------------------------------------------------------------- through assessment
# Steps of assessment's services (routing, reviewing, deciding, appeals), run in their
# transaction under their one audit event: earning owns the attempt's and the hand-in's
# state, assessment says when it moves.

SState = Submission.State


def submission_review_begin(*, submission: Submission) -> None:
    """An assessor saved the first review of a hand-in: it and its attempt are in review."""
    if submission.state != SState.SUBMITTED:
        return
    submission.state = SState.IN_REVIEW
    submission.save(update_fields=["state", "updated_at"])
    attempt = submission.attempt
    if attempt.state == State.SUBMITTED:
        attempt.state = State.IN_REVIEW
        attempt.save(update_fields=["state", "updated_at"])


def submission_reviewed(*, submission: Submission) -> None:
    """Every review the hand-in needs is in: it waits for the issuer's decision."""
    submission.state = SState.REVIEWED
    submission.save(update_fields=["state", "updated_at"])


@dataclass(frozen=True, slots=True)
class Resubmission:
    """The terms of a "not yet": what the resubmission covers, and when it may come."""

    sections: list[RubricSection]
    limit: int
    opens_at: datetime | None


def attempt_decide(*, submission: Submission, state: str) -> Attempt:
    """The issuer decided the hand-in: it is closed and the attempt is earned, not yet or not
    awarded (a "not yet" then gets its terms from `attempt_resubmission_set`)."""
    if state not in (State.EARNED, State.NOT_YET, State.REJECTED):
        raise InvalidTransition(f"A decision cannot leave an attempt {state}.")
    attempt = _lock(submission.attempt)
    submission.state = SState.DECIDED
    submission.save(update_fields=["state", "updated_at"])
    attempt.state = state
    if state in (State.EARNED, State.REJECTED):
        attempt.closed_at = timezone.now()
    attempt.save(update_fields=["state", "closed_at", "updated_at"])
    return attempt


def attempt_resubmission_set(*, attempt: Attempt, terms: Resubmission) -> None:
    """The terms of a "not yet": what the resubmission covers, how many are allowed, when."""
    attempt.resubmit_limit = terms.limit
    attempt.resubmit_opens_at = terms.opens_at
    attempt.save(update_fields=["resubmit_limit", "resubmit_opens_at", "updated_at"])
    attempt.resubmit_sections.set(terms.sections)


def attempt_reopen_for_appeal(*, attempt: Attempt) -> Attempt:
    """An appeal was filed: the attempt is being assessed again, so it cannot be resubmitted."""
    attempt = _lock(attempt)
    attempt.state = State.IN_REVIEW
    attempt.closed_at = None
    attempt.save(update_fields=["state", "closed_at", "updated_at"])
    return attempt
