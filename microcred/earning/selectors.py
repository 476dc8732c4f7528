"""Reads of attempts and evidence, scoped to the person asking.

Lists select and prefetch what their pages show, so the number of queries stays the
same however many attempts there are. The `*_page` functions build what a page's template
gets (a dict of the names it reads), so a view only parses, calls one of them or a
service, and renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from microcred.catalog.models import (
    Credential,
    CredentialVersion,
    EvidenceKind,
    EvidenceRequirement,
    ReflectionPrompt,
    RubricSection,
)
from microcred.catalog.selectors import version_to_earn
from microcred.core import permissions, tenancy
from microcred.core.models import Role, User
from microcred.core.selectors import HOME_COUNT_CAP, CappedPaginator, capped_count
from microcred.earning import services, standing
from microcred.earning.forms import CommentForm, SubmitForm, UploadForm, WithdrawForm
from microcred.earning.models import (
    Attempt,
    Comment,
    Evidence,
    ReflectionAnswer,
    ResourceProgress,
    Submission,
    handed_in_to,
)

State = Attempt.State

# What the educator should do next, by state: the dashboard's call to action.
NEXT_STEP = {
    State.STARTED: "Write your pre-reflection",
    State.IN_PROGRESS: "Continue your work",
    State.SUBMITTED: "Waiting for an assessor",
    State.IN_REVIEW: "An assessor is reviewing it",
    State.NOT_YET: "Read the feedback and resubmit",
    State.EARNED: "See your certificate",
    State.WITHDRAWN: "",
    State.REJECTED: "Read the decision",
}


def attempts_of_educator(*, actor: User, state: str = "") -> QuerySet[Attempt]:
    """The educator's own attempts, newest activity first (the dashboard)."""
    attempts = (
        Attempt.objects.filter(educator=actor)
        .select_related("version__credential__organization", "award")
        .annotate(
            evidence_count=Count("evidence", filter=Q(evidence__removed_at__isnull=True)),
        )
        .order_by("-updated_at", "-id")
    )
    if state:
        attempts = attempts.filter(state=state)
    return attempts


def dashboard_counts(*, actor: User) -> dict[str, int]:
    rows = Attempt.objects.filter(educator=actor).values_list("state").annotate(n=Count("id"))
    return dict(rows)


def staff_attempts(*, actor: User, state: str = "", q: str = "") -> QuerySet[Attempt]:
    """Attempts of the educators a coach, school leader or program admin supports."""
    attempts = (
        Attempt.objects.filter(tenancy.within_ids(actor, "earning.support"))
        .select_related("educator", "organization", "version__credential", "award")
        .order_by("-updated_at", "-id")
    )
    if state:
        attempts = attempts.filter(state=state)
    if q:
        attempts = attempts.filter(
            Q(educator__full_name__icontains=q) | Q(version__title__icontains=q)
        )
    return attempts


def attempt_for(*, actor: User, public_id: Any) -> Attempt:
    """One attempt the actor may read, or Attempt.DoesNotExist (a 404)."""
    return (
        Attempt.objects.visible_to(actor)
        .select_related("educator", "organization", "version__credential__organization", "award")
        .get(public_id=public_id)
    )


@dataclass
class AttemptView:
    """What the attempt's pages show, loaded once."""

    attempt: Attempt
    version: CredentialVersion
    answers: dict[int, str]
    ticks: set[int]
    evidence: list[Evidence]
    pre_prompts: list[ReflectionPrompt]
    post_prompts: list[ReflectionPrompt]
    is_owner: bool
    can_comment: bool
    educator_name: str  # her short name: "Ana", for the people who read her work

    def evidence_for(self, requirement_id: int) -> list[Evidence]:
        return [e for e in self.evidence if e.requirement_id == requirement_id]

    def missing(self) -> list[EvidenceRequirement]:
        """The requirements without enough evidence yet (a written answer counts as one)."""
        return [
            r
            for r in self.version.evidence_requirements.all()
            if len(self.evidence_for(r.pk)) < (1 if r.kind == EvidenceKind.WRITTEN else r.min_count)
        ]


def attempt_view(*, actor: User, attempt: Attempt) -> AttemptView:
    version = version_to_earn(attempt.version_id)
    attempt.version = version  # with its parts, for the page parts other apps add
    prompts = list(version.prompts.all())
    is_owner = attempt.educator_id == actor.pk
    return AttemptView(
        attempt=attempt,
        version=version,
        answers={a.prompt_id: a.text for a in attempt.answers.all()},
        ticks=set(attempt.resource_ticks.values_list("resource_id", flat=True)),
        evidence=evidence_of_attempt(actor=actor, attempt=attempt),
        pre_prompts=[p for p in prompts if p.phase == ReflectionPrompt.Phase.PRE],
        post_prompts=[p for p in prompts if p.phase == ReflectionPrompt.Phase.POST],
        is_owner=is_owner,
        can_comment=is_owner
        or permissions.has_perm(actor, "earning.comment", attempt.organization),
        educator_name=attempt.educator.get_short_name(),
    )


@dataclass
class NotYetView:
    """What a "not yet" left to do, from the terms the decision wrote onto the attempt
    (`attempt_resubmission_set`) and the evidence handed in: the sections to resubmit, the
    sections that carry over, for each requirement the sections to resubmit that are judged
    on it (a section tied to no requirement is judged on all of them), and the requirements
    such a section is judged on whose evidence is still as it was handed in."""

    failed: list[RubricSection]
    carried: list[RubricSection]
    unchanged: set[int]  # requirement ids: to look at again
    failed_on: dict[int, list[RubricSection]] = field(default_factory=dict)

    @property
    def failed_names(self) -> str:
        return and_list([quoted(s.name) for s in self.failed])

    @property
    def carried_names(self) -> str:
        return and_list([quoted(s.name) for s in self.carried])

    @property
    def redo_anchors(self) -> set[str]:
        """The checklist's anchors of the requirements to look at again."""
        return {f"requirement-{pk}" for pk in self.unchanged}

    @property
    def related_anchors(self) -> set[str]:
        """The checklist's anchors of the requirements a section to resubmit is judged on."""
        return {f"requirement-{pk}" for pk in self.failed_on}

    @property
    def redo_notes(self) -> dict[str, str]:
        """For each requirement to look at again (by checklist anchor), the sections to
        resubmit that are judged on it: "“Analysis” and “Reflection”"."""
        return {
            f"requirement-{pk}": and_list([quoted(s.name) for s in self.failed_on[pk]])
            for pk in self.unchanged
        }


def quoted(name: str) -> str:
    """A section's name inside a sentence: “From evidence to problem”."""
    return f"“{name}”"


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def not_yet_view(view: AttemptView) -> NotYetView | None:
    attempt = view.attempt
    if attempt.state != State.NOT_YET:
        return None
    # Which sections to resubmit (their ids); the sections themselves, with the evidence each
    # is judged on, come with the version the page loaded.
    failed_ids = set(
        Attempt.resubmit_sections.through.objects.filter(attempt=attempt).values_list(
            "rubricsection_id", flat=True
        )
    )
    failed = [s for s in view.version.sections.all() if s.pk in failed_ids]
    requirements = list(view.version.evidence_requirements.all())
    failed_on: dict[int, list[RubricSection]] = {}
    for section in failed:
        for requirement in section.judged_on(requirements):
            failed_on.setdefault(requirement.pk, []).append(section)
    handed: dict[int, set[int]] = {}
    for latest in with_evidence(hand_ins(attempt))[:1]:
        for evidence in latest.evidence.all():
            handed.setdefault(evidence.requirement_id, set()).add(evidence.pk)
    unchanged = {
        r.pk
        for r in requirements
        if r.pk in failed_on and {e.pk for e in view.evidence_for(r.pk)} == handed.get(r.pk, set())
    }
    return NotYetView(
        failed=failed,
        carried=[s for s in view.version.sections.all() if s.pk not in failed_ids],
        unchanged=unchanged,
        failed_on=failed_on,
    )


def coach_notes(threads: list[Comment], attempt: Attempt, *, latest: int = 3) -> list[Comment]:
    """The newest comments of the people who support the educator (not her own), for the
    corner beside the feedback."""
    comments = [c for root in threads for c in (root, *getattr(root, "thread", []))]
    others = [c for c in comments if c.author_id != attempt.educator_id]
    return sorted(others, key=lambda c: (c.created_at, c.pk), reverse=True)[:latest]


def evidence_of_attempt(*, actor: User, attempt: Attempt) -> list[Evidence]:
    """The evidence the attempt's pages show: the educator and their coaches and leaders see
    the current evidence; an assessor or issuer sees the latest hand-in they may read, not
    what the educator added or removed since."""
    if attempt.educator_id == actor.pk or permissions.has_perm(
        actor, "earning.support", attempt.organization
    ):
        return list(attempt.evidence.current().select_related("requirement"))
    latest = (
        attempt.submissions.filter(
            pk__in=Submission.objects.filter(handed_in_to(actor)).values("pk")
        )
        .order_by("-number")
        .first()
    )
    if latest is None:
        return []
    return list(latest.evidence.select_related("requirement"))


def comment_threads(attempt: Attempt) -> list[Comment]:
    """Top-level comments, each with `.thread` = its replies in order."""
    comments = list(attempt.comments.select_related("author"))
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    roots = by_parent.get(None, [])
    for root in roots:
        root.thread = by_parent.get(root.pk, [])  # type: ignore[attr-defined]
    return roots


def hand_ins(attempt: Attempt) -> list[Submission]:
    """The attempt's hand-ins, newest first. They are read once for the attempt object and
    kept in its prefetch cache, where everything else the page shows about them (the
    sections, the evidence, and the decisions and reviews assessment adds) is fetched onto
    the same rows, only what is not there yet (`prefetch_related_objects` skips it)."""
    prefetch_related_objects(
        [attempt], Prefetch("submissions", queryset=Submission.objects.order_by("-number"))
    )
    return list(attempt.submissions.all())


def with_evidence(submissions: list[Submission]) -> list[Submission]:
    """`submissions` with the evidence each handed in (and its requirement) read once."""
    prefetch_related_objects(
        submissions, Prefetch("evidence", queryset=Evidence.objects.select_related("requirement"))
    )
    return submissions


def submissions_of(attempt: Attempt) -> list[Submission]:
    """The hand-ins the attempt's page lists, with the sections each was judged on and its
    evidence."""
    submissions = with_evidence(hand_ins(attempt))
    prefetch_related_objects(submissions, "sections")
    return submissions


def evidence_for(*, actor: User, public_id: Any) -> Evidence:
    """Evidence the actor may open: the educator's own, their supporters', the issuing
    organization's staff, and the assessors assigned to a submission that includes it."""
    return (
        Evidence.objects.visible_to(actor)
        .select_related("attempt__version", "requirement")
        .exclude(file="")
        .get(public_id=public_id)
    )


def open_attempt_at(*, actor: Any, credential: Credential) -> Attempt | None:
    """The actor's latest attempt at a credential that is not withdrawn or refused."""
    return (
        Attempt.objects.filter(educator=actor.pk, version__credential=credential)
        .exclude(state__in=(Attempt.State.WITHDRAWN, Attempt.State.REJECTED))
        .only("public_id", "state", "revoked_at", "revoked_reason", "valid_until")
        .order_by("-started_at")
        .first()
    )


def credential_actions(*, actor: Any, credential: Credential) -> dict[str, Any]:
    """What the call to action on a credential's page offers the reader: her open (or
    earned) attempt to continue, else to start, or why she cannot start yet (the
    prerequisites she does not hold) instead of a button that would refuse."""
    can_earn = permissions.has_perm_anywhere(actor, "earning.earn")
    attempt = open_attempt_at(actor=actor, credential=credential) if can_earn else None
    if attempt is not None:
        standing.attempt_standings([attempt])  # a revoked or expired badge is not "earned" any more
    missing: list[Credential] = []
    if can_earn and attempt is None:
        missing = standing.prerequisites_missing(
            educator=actor, version_id=credential.current_version_id
        )
    return {
        "credential": credential,
        "attempt": attempt,
        "can_earn": can_earn,
        "user": actor,
        "missing": missing,
        "refusal": services.prerequisites_refusal(missing) if missing else "",
    }


# ----------------------------------------------------------------------------- lists

# An earned attempt whose badge no longer counts is listed, filtered and counted apart.
NO_LONGER_COUNTS = [("revoked", "Revoked"), ("expired", "Expired")]
PER_PAGE = 25


def statuses() -> list[tuple[str, str]]:
    """The statuses a list filters by: the attempt's states, and after "Earned" the
    standings of a badge that no longer counts."""
    choices = list(State.choices)
    at = [value for value, _ in choices].index(State.EARNED) + 1
    return choices[:at] + NO_LONGER_COUNTS + choices[at:]


def _by_status(attempts: QuerySet[Attempt], status: str) -> QuerySet[Attempt]:
    """Attempts of one status from `statuses()`; "earned" means still counting."""
    if status == State.EARNED or status in dict(NO_LONGER_COUNTS):
        return attempts.filter(state=State.EARNED).filter(standing.standing_q(status))
    return attempts.filter(state=status) if status else attempts


def _status(asked: str) -> str:
    """The status a list was asked to show; anything unknown shows them all."""
    return asked if asked in dict(statuses()) else ""


def dashboard_page(*, actor: User, state: str, page: str | None) -> dict[str, Any]:
    """My micro-credentials: one page of the educator's attempts of one status, with the
    number of each status for the filters."""
    state = _status(state)
    attempts = _by_status(attempts_of_educator(actor=actor), state)
    shown = Paginator(attempts, PER_PAGE).get_page(page)
    standing.attempt_standings(shown.object_list)
    counts = dashboard_counts(actor=actor)
    total = sum(counts.values())
    if counts.get(State.EARNED):
        gone = standing.standing_counts(educator=actor)
        counts.update(gone)
        counts[State.EARNED] -= sum(gone.values())
    filters = [("", "All", total)] + [
        (value, label, counts.get(value, 0)) for value, label in statuses() if counts.get(value)
    ]
    return {
        "page": shown,
        "state": state,
        "query_string": f"state={state}" if state else "",
        "filters": filters,
        "next_step": NEXT_STEP,
        "is_educator": permissions.has_perm_anywhere(actor, "earning.earn"),
    }


STAFF_PAGES = 50  # pages of the staff list counted and offered; search narrows past them


def staff_page(*, actor: User, state: str, q: str, page: str | None) -> dict[str, Any]:
    """One page of the attempts of the educators a coach, school leader or program admin
    supports, of one status and matching a search of names and titles."""
    state = _status(state)
    q = q.strip()[:100]
    rows = _by_status(staff_attempts(actor=actor, q=q), state)
    shown = CappedPaginator(rows, PER_PAGE, pages=STAFF_PAGES).get_page(page)
    standing.attempt_standings(shown.object_list)
    return {
        "page": shown,
        "state": state,
        "q": q,
        "states": statuses(),
        "query_string": urlencode({k: v for k, v in (("state", state), ("q", q)) if v}),
    }


# ----------------------------------------------------------------------------- the attempt's pages


def _steps(view: AttemptView, current: str, not_yet: NotYetView | None) -> list[dict[str, Any]]:
    attempt = view.attempt
    answered_post = all(view.answers.get(p.pk, "").strip() for p in view.post_prompts)
    have_evidence = not view.missing() and not (not_yet and not_yet.unchanged)
    resources = list(view.version.resources.all())
    steps = [
        ("pre", "Before you begin", attempt.task_unlocked, True),
        (
            "resources",
            "Learn",
            bool(resources) and all(r.pk in view.ticks for r in resources),
            attempt.task_unlocked,
        ),
        ("evidence", "Do the task", have_evidence, attempt.task_unlocked),
        ("post", "Reflect", bool(view.post_prompts) and answered_post, attempt.task_unlocked),
        (
            "submit",
            "Submit",
            attempt.state not in (State.STARTED, State.IN_PROGRESS, State.NOT_YET),
            attempt.task_unlocked,
        ),
    ]
    urls = {
        "pre": reverse("earning:reflection", args=[attempt.public_id, "pre"]),
        "resources": reverse("earning:resources", args=[attempt.public_id]),
        "evidence": reverse("earning:evidence", args=[attempt.public_id]),
        "post": reverse("earning:reflection", args=[attempt.public_id, "post"]),
        "submit": reverse("earning:submit", args=[attempt.public_id]),
    }
    return [
        {
            "key": key,
            "label": label,
            "done": done,
            "open": open_,
            "url": urls[key],
            "current": key == current,
            "number": i + 1,
        }
        for i, (key, label, done, open_) in enumerate(steps)
    ]


def step_page(*, actor: User, attempt: Attempt, current: str) -> dict[str, Any]:
    """What every page of an attempt shows: its header, status and steps (`current` is the
    step the page is; "" for the attempt's own page)."""
    view = attempt_view(actor=actor, attempt=attempt)
    standing.attempt_standings([attempt])  # the header's status, and the "Earned" card
    not_yet = not_yet_view(view)
    return {
        "attempt": attempt,
        "view": view,
        "version": view.version,
        "steps": _steps(view, current, not_yet),
        "editable": view.is_owner and attempt.is_editable,
        "not_yet": not_yet,
    }


def attempt_page(
    *, actor: User, attempt: Attempt, comment_form: CommentForm | None = None
) -> dict[str, Any]:
    """The attempt's own page; with `comment_form`, shown again with a refused comment (and
    without the checklist)."""
    context = step_page(actor=actor, attempt=attempt, current="")
    checklist = context["editable"] and attempt.task_unlocked and comment_form is None
    threads = comment_threads(attempt)
    context.update(
        checklist=services.submit_checklist(attempt) if checklist else [],
        submissions=submissions_of(attempt),
        threads=threads,
        coach_notes=coach_notes(threads, attempt),
        comment_form=comment_form or CommentForm(),
        withdraw_form=WithdrawForm(),
    )
    return context


def reflection_page(
    *, actor: User, attempt: Attempt, phase: str, typed: dict[int, str] | None = None
) -> dict[str, Any]:
    """The pre- or post-reflection; `typed` is what a refused save posted, shown again
    (an answer it lacks shows empty)."""
    context = step_page(actor=actor, attempt=attempt, current=phase)
    view: AttemptView = context["view"]
    prompts = view.pre_prompts if phase == ReflectionPrompt.Phase.PRE else view.post_prompts
    context.update(
        phase=phase,
        rows=[
            {
                "prompt": p,
                "text": view.answers.get(p.pk, "") if typed is None else typed.get(p.pk, ""),
                "field_id": f"prompt-{p.pk}",
                "save_url": reverse("earning:answer", args=[attempt.public_id, p.pk]),
                "key": f"{attempt.public_id}:prompt:{p.pk}",
            }
            for p in prompts
        ],
        errors=[],
    )
    return context


def _accept(kind: str) -> str:
    if kind == EvidenceKind.WRITTEN:
        return ""
    return ",".join(sorted(services.ALLOWED_TYPES[kind]))


@dataclass(frozen=True)
class RefusedAnswer:
    """A written answer the service refused: shown again as typed, with why."""

    requirement_id: int
    text: str
    message: str


def evidence_page(
    *,
    actor: User,
    attempt: Attempt,
    form: UploadForm | None = None,
    refused: RefusedAnswer | None = None,
) -> dict[str, Any]:
    """The task: each evidence requirement with what was added and its upload form (`form`,
    a refused upload's, in place of its requirement's; `refused`, a refused written answer,
    in place of the saved one)."""
    context = step_page(actor=actor, attempt=attempt, current="evidence")
    view: AttemptView = context["view"]
    not_yet: NotYetView | None = context["not_yet"]
    rows = []
    for requirement in view.version.evidence_requirements.all():
        items = view.evidence_for(requirement.pk)
        refused_upload = form is not None and form.requirement.pk == requirement.pk
        rows.append(
            {
                "requirement": requirement,
                "items": items,
                "text": items[0].text if requirement.kind == EvidenceKind.WRITTEN and items else "",
                "form": form if refused_upload else UploadForm(requirement=requirement),
                "accept": _accept(requirement.kind),
                "limit": filesizeformat(services.max_bytes_for(requirement)),
                "full": len(items) >= requirement.max_count,
                "field_id": f"written-{requirement.pk}",
                "key": f"{attempt.public_id}:evidence:{requirement.pk}",
                "redo": not_yet is not None and requirement.pk in not_yet.unchanged,
                # The sections to resubmit that are judged on this requirement.
                "failed": not_yet.failed_on.get(requirement.pk, []) if not_yet else [],
                "error": "",
            }
        )
        if refused is not None and refused.requirement_id == requirement.pk:
            rows[-1].update(text=refused.text, error=refused.message)
    still_to_add = [requirement.title for requirement in view.missing()]
    context.update(
        rows=rows,
        chunk_bytes=settings.UPLOAD_CHUNK_BYTES,
        chunk_max_bytes=settings.UPLOAD_CHUNK_MAX_BYTES,
        still_to_add=still_to_add,
    )
    if not_yet is not None:
        context["coach_notes"] = coach_notes(comment_threads(attempt), attempt)
    return context


def submit_page(
    *, actor: User, attempt: Attempt, form: SubmitForm, errors: list[str]
) -> dict[str, Any]:
    """Hand in: the checklist, the sections a resubmission covers, and the note's form."""
    context = step_page(actor=actor, attempt=attempt, current="submit")
    sections = []
    if attempt.state == State.NOT_YET:
        sections = list(attempt.resubmit_sections.order_by("position"))
    context.update(
        form=form,
        errors=errors,
        checklist=services.submit_checklist(attempt) if attempt.task_unlocked else [],
        resubmit_sections=sections,
    )
    return context


# ----------------------------------------------------------------------------- the home page

# Each home section lists at most this many rows, read with a LIMIT; its figure counts the
# rest (`capped_count`), and its "see all" link opens the full list.
HOME_ROWS = 5
# Work a supporter should hear about: an attempt nobody touched for this long has stalled.
STALLED_DAYS = 30
# Who a credential's audience means, by role: what the educator's home recommends.
ROLE_AUDIENCES = {
    Role.EDUCATOR: "teacher",
    Role.COACH: "coach",
    Role.LEADER: "school-leader",
    Role.ADMIN: "district-leader",
}


def _where_left_off(attempt: Attempt) -> tuple[str, str]:
    """The step an attempt in progress continues at, and its link: the first of pre-reflection,
    resources, task, post-reflection that was not begun (read from the annotations of
    `home_attempts`; the attempt page's checklist says what is still missing)."""
    public_id = attempt.public_id
    if not attempt.task_unlocked:
        return "Write your pre-reflection", reverse("earning:reflection", args=[public_id, "pre"])
    if not (attempt.has_evidence or attempt.has_ticks):  # type: ignore[attr-defined]
        return "Study the resources", reverse("earning:resources", args=[public_id])
    if not attempt.has_post:  # type: ignore[attr-defined]
        return "Continue the task", reverse("earning:evidence", args=[public_id])
    return "Finish your reflection", reverse("earning:reflection", args=[public_id, "post"])


def _resubmit_terms(attempt: Attempt, now: Any) -> None:
    """Sets what a "not yet" allows on the attempt: `opens_at` (a future date, else None),
    `left` (resubmissions left, None without a limit) and `can_resubmit`."""
    opens = attempt.resubmit_opens_at
    attempt.opens_at = opens if opens is not None and opens > now else None  # type: ignore[attr-defined]
    left = None
    if attempt.resubmit_limit is not None:
        left = max(0, attempt.resubmit_limit - (attempt.hand_ins - 1))  # type: ignore[attr-defined]
    attempt.left = left  # type: ignore[attr-defined]
    attempt.can_resubmit = attempt.opens_at is None and left != 0  # type: ignore[attr-defined]


def home_attempts(*, educator: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """The educator's attempts by next step: "resubmit" (a not yet, with when it opens and
    how many resubmissions are left), "continue" (in progress, with the step to continue at)
    and "waiting" (handed in), each at most `limit` rows, most recent first, with `counts`.
    Five queries, whatever the number of attempts."""
    mine = Attempt.objects.filter(educator=educator)
    counts = mine.aggregate(
        resubmit=Count("pk", filter=Q(state=State.NOT_YET)),
        carry_on=Count("pk", filter=Q(state__in=(State.STARTED, State.IN_PROGRESS))),
        waiting=Count("pk", filter=Q(state__in=(State.SUBMITTED, State.IN_REVIEW))),
    )
    now = timezone.now()
    resubmit = list(
        mine.filter(state=State.NOT_YET)
        .select_related("version")
        .annotate(hand_ins=Count("submissions"))
        .order_by("-updated_at", "-id")[:limit]
    )
    for attempt in resubmit:
        _resubmit_terms(attempt, now)
    carry_on = list(
        mine.filter(state__in=(State.STARTED, State.IN_PROGRESS))
        .select_related("version")
        .annotate(
            has_evidence=Exists(Evidence.objects.current().filter(attempt=OuterRef("pk"))),
            has_ticks=Exists(ResourceProgress.objects.filter(attempt=OuterRef("pk"))),
            has_post=Exists(
                ReflectionAnswer.objects.filter(
                    attempt=OuterRef("pk"), prompt__phase=ReflectionPrompt.Phase.POST
                ).exclude(text="")
            ),
        )
        .order_by("-updated_at", "-id")[:limit]
    )
    for open_attempt in carry_on:
        open_attempt.next_label, open_attempt.next_url = _where_left_off(open_attempt)  # type: ignore[attr-defined]
    waiting = list(
        mine.filter(state__in=(State.SUBMITTED, State.IN_REVIEW))
        .select_related("version")
        .order_by("-submitted_at", "-id")[:limit]
    )
    return {
        "resubmit": resubmit,
        "carry_on": carry_on,
        "waiting": waiting,
        "counts": counts,
        "total": sum(counts.values()),
    }


def home_badges(*, educator: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """The educator's earned attempts, latest first, each with its award's `standing` (a
    revoked or expired badge is shown as such, never as earned), and how many there are."""
    earned = Attempt.objects.filter(educator=educator, state=State.EARNED)
    rows = list(
        earned.select_related("version__credential__organization", "award").order_by(
            "-closed_at", "-id"
        )[:limit]
    )
    standing.attempt_standings(rows)
    return {"rows": rows, "count": earned.count()}


def audiences_of(user: User) -> list[str]:
    """The audiences (slugs) the user's roles belong to: a teacher's home recommends what is
    written for teachers, not for school leaders."""
    return sorted(
        {ROLE_AUDIENCES[g.role] for g in permissions.grants(user) if g.role in ROLE_AUDIENCES}
    )


def home_recommendations(*, educator: User, limit: int = 3) -> list[Credential]:
    """Published credentials the educator may see, written for her audiences (or for
    everyone: no audience named), that she has not earned or started; recently changed
    first. One query; a withdrawn attempt does not count as started."""
    through = CredentialVersion.audiences.through
    named = through.objects.filter(credentialversion_id=OuterRef("current_version_id"))
    for_her = Exists(named.filter(audience__slug__in=audiences_of(educator))) | ~Exists(named)
    tried = Exists(
        Attempt.objects.filter(educator=educator, version__credential=OuterRef("pk")).exclude(
            state=State.WITHDRAWN
        )
    )
    return list(
        Credential.objects.listed()
        .visible_to(educator)
        .filter(for_her)
        .exclude(tried)
        .select_related("current_version", "organization")
        .order_by("-updated_at", "-pk")[:limit]
    )


def home_staff(*, actor: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """Attempts of the educators a coach or school leader supports that need attention: a
    "not yet" (help before the resubmission) and work nobody touched for `STALLED_DAYS`,
    longest waiting first, each with its `reason`; and how many there are (capped).

    Each kind is its own read through the (organization, state, updated_at) index, which
    picks the oldest few attempts on the attempt rows alone; only those few are then read with
    their educator, credential and award, so a district-wide leader's page does not join the
    thousands of attempts a busy district has."""
    now = timezone.now()
    # Ordered by updated_at + 0: the same order, but one the latest-change index (staff
    # progress's) cannot give, so the database reads each organization's rows of the state
    # through the (organization, state, updated_at) index instead of walking every attempt
    # of the state from the oldest change (on the state data: 259 ms against 8 ms).
    waited = ExpressionWrapper(F("updated_at") + timedelta(0), output_field=DateTimeField())
    supported = Attempt.objects.filter(tenancy.within(actor, "earning.support")).order_by(
        waited.asc(), "id"
    )
    not_yet = supported.filter(state=State.NOT_YET)
    stalled = supported.filter(
        state__in=(State.STARTED, State.IN_PROGRESS),
        updated_at__lt=now - timedelta(days=STALLED_DAYS),
    )
    oldest = [pk for kind in (not_yet, stalled) for pk in kind.values_list("pk", flat=True)[:limit]]
    rows = list(
        Attempt.objects.filter(pk__in=oldest)
        .select_related("educator", "organization", "version__credential", "award")
        .order_by("updated_at", "id")[:limit]
    )
    for attempt in rows:
        if attempt.state == State.NOT_YET:
            attempt.reason = "“Not yet”: help before the resubmission"  # type: ignore[attr-defined]
        else:
            days = (now - attempt.updated_at).days
            attempt.reason = f"No activity for {days} days"  # type: ignore[attr-defined]
    count = min(capped_count(not_yet) + capped_count(stalled), HOME_COUNT_CAP)
    return {"rows": rows, "count": count}
