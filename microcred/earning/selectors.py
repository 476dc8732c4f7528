"""Reads of attempts and evidence, scoped to the person asking.

Lists select and prefetch what their pages show, so the number of queries stays the
same however many attempts there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from microcred.catalog.models import Credential, CredentialVersion, ReflectionPrompt
from microcred.catalog.selectors import version_with_parts
from microcred.core import permissions, tenancy
from microcred.core.models import User
from microcred.earning.models import Attempt, Comment, Evidence, Submission, handed_in_to

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
        Attempt.objects.filter(tenancy.within(actor, "earning.support"))
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

    def evidence_for(self, requirement_id: int) -> list[Evidence]:
        return [e for e in self.evidence if e.requirement_id == requirement_id]


def attempt_view(*, actor: User, attempt: Attempt) -> AttemptView:
    version = version_with_parts(attempt.version_id)
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
    )


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


def submissions_of(attempt: Attempt) -> list[Submission]:
    return list(
        attempt.submissions.order_by("-number").prefetch_related(
            "sections",
            Prefetch("evidence", queryset=Evidence.objects.select_related("requirement")),
        )
    )


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
