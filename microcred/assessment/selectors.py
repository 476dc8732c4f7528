"""Reads of the assessment app, scoped to the person asking: the pool and policy of a
credential, which sections pass, the assessor's queue, the issuer's queues, the
educator's feedback and the calibration report.

Lists select and prefetch what their pages show, so the number of queries stays the
same however many rows there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from microcred.assessment import rules
from microcred.assessment.models import (
    AgreementTally,
    Appeal,
    AssessorPool,
    Award,
    Decision,
    DoubleScoredTally,
    PairAgreement,
    PoolMember,
    Review,
    ReviewQuerySet,
    SectionAgreement,
    SectionScore,
)
from microcred.catalog.models import (
    Credential,
    CredentialVersion,
    EvidenceRequirement,
    PerformanceLevel,
    RubricSection,
)
from microcred.catalog.selectors import has_parts, rubric_of
from microcred.core import permissions, tenancy
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.selectors import HOME_COUNT_CAP
from microcred.earning import selectors as earning_selectors
from microcred.earning.models import Attempt, Evidence, Submission
from microcred.earning.standing import Standing, standing_of

DUE_SOON_DAYS = 2
QUEUE_PAGE_SIZE = 25
DEFAULT_TURNAROUND_DAYS = 14
FIRST_ROUND = (Review.Kind.PRIMARY, Review.Kind.SECOND)
# A review that still counts: closed ones (declined, reassigned) were replaced by another.
LIVE_STATES = (
    Review.State.UNASSIGNED,
    Review.State.ASSIGNED,
    Review.State.DRAFT,
    Review.State.SUBMITTED,
)


# ----------------------------------------------------------------------------- policy


@dataclass(frozen=True)
class Policy:
    """How a credential is assessed: from its pool, or the defaults without one."""

    max_resubmissions: int = 2
    resubmit_wait_days: int = 0
    turnaround_days: int = DEFAULT_TURNAROUND_DAYS
    double_scoring: bool = False
    auto_decide: bool = False
    pool: AssessorPool | None = None


def pool_for(credential: Credential) -> AssessorPool | None:
    """The pool for this credential in its organization or one above it (the deepest wins);
    else the general pool of the credential's organization."""
    organization = credential.organization
    pools = list(
        AssessorPool.objects.filter(
            Q(credential=credential, organization_id__in=organization.ancestor_ids)
            | Q(credential__isnull=True, organization=organization)
        ).select_related("organization")
    )
    specific = [p for p in pools if p.credential_id is not None]
    if specific:
        return max(specific, key=lambda p: p.organization.depth)
    return pools[0] if pools else None


def policy_for(version: CredentialVersion) -> Policy:
    pool = pool_for(version.credential)
    if pool is None:
        return Policy()
    return Policy(
        max_resubmissions=pool.max_resubmissions,
        resubmit_wait_days=pool.resubmit_wait_days,
        turnaround_days=pool.turnaround_days,
        double_scoring=pool.double_scoring,
        auto_decide=pool.auto_decide,
        pool=pool,
    )


# ----------------------------------------------------------------------------- passing


def level_passes(section: RubricSection, level: PerformanceLevel | None) -> bool:
    """A level passes when it is at or above the section's passing level (`rules`)."""
    return rules.level_passes(section, level)


def overall_passes(version: CredentialVersion, passed: int, total: int) -> bool:
    if version.pass_rule == CredentialVersion.PassRule.AT_LEAST and version.pass_min_sections:
        return passed >= min(version.pass_min_sections, total)
    return passed == total


def carried_over(submission: Submission) -> list[RubricSection]:
    """Sections of the version that this hand-in does not cover: they passed before."""
    covered = {s.pk for s in submission.sections.all()}
    return [
        s
        for s in submission.attempt.version.sections.select_related("passing_level")
        if s.pk not in covered
    ]


def decisive_review(submission: Submission) -> Review | None:
    """The review whose scores the decision rests on (`rules.decisive_review`): the appeal
    review when the latest decision answered an appeal, else the adjudication, else the
    primary review."""
    return rules.decisive_review(submission)


def latest_decided_submission(attempt: Attempt) -> Submission | None:
    return (
        attempt.submissions.filter(state=Submission.State.DECIDED)
        .prefetch_related("decisions", "sections")
        .order_by("-number")
        .first()
    )


def sections_to_resubmit(attempt: Attempt) -> list[RubricSection]:
    """The sections that did not pass in the latest decided hand-in (every section before
    any decision): what a resubmission covers."""
    submission = latest_decided_submission(attempt)
    all_sections = list(attempt.version.sections.select_related("passing_level"))
    if submission is None:
        return all_sections
    review = decisive_review(submission)
    if review is None:
        return [s for s in all_sections if s in set(submission.sections.all())]
    scores = {
        s.section_id: s for s in review.scores.select_related("level", "section__passing_level")
    }
    covered = {s.pk for s in submission.sections.all()}
    failed = []
    for section in all_sections:
        if section.pk not in covered:
            continue
        score = scores.get(section.pk)
        if score is None or not level_passes(section, score.level):
            failed.append(section)
    return failed


# ----------------------------------------------------------------------------- assessors


def conflicted_user_ids(attempt: Attempt, among: Iterable[int]) -> set[int]:
    """Of the people `among` (the candidates), those who must not assess this attempt: the
    educator, anyone in the educator's organization or below it (colleagues), and school
    leaders above it (supervisors). Only the candidates' memberships are read, not every
    colleague's."""
    organization = attempt.organization
    candidates = set(among)
    ids = set(
        Membership.objects.filter(user_id__in=candidates)
        .filter(
            Q(organization__path__startswith=organization.path)
            | Q(role=Role.LEADER, organization_id__in=organization.ancestor_ids)
        )
        .values_list("user_id", flat=True)
    )
    return ids | ({attempt.educator_id} & candidates)


def open_review_count() -> Coalesce:
    """An assessor's open reviews (for `annotate`), counted from the open-queue index."""
    return Coalesce(
        Subquery(
            Review.objects.filter(assessor=OuterRef("pk"), state__in=ReviewQuerySet.OPEN)
            .order_by()
            .values("assessor")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def assessor_candidates(organization: Organization) -> QuerySet[User]:
    """People with the assessor role in the organization or below it: who may join a pool."""
    return (
        User.objects.filter(
            memberships__role=Role.ASSESSOR,
            memberships__organization__path__startswith=organization.path,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def reviewer_ids(submission: Submission) -> set[int]:
    """Everyone who ever held a review of this hand-in (declined and reassigned too): a new
    review goes to someone else (blind double scoring, adjudication, appeal, decline)."""
    return {
        pk
        for pk in Review.objects.filter(submission=submission).values_list("assessor_id", flat=True)
        if pk is not None
    }


def eligible_pool_assessors(
    pool: AssessorPool | None, attempt: Attempt, exclude: set[int]
) -> list[User]:
    """The routing rule: active members of the pool without a conflict of interest, and
    not in `exclude`, fewest open reviews first (then the longest qualified)."""
    if pool is None:
        return []
    members = PoolMember.objects.filter(pool=pool, active=True, assessor__is_active=True)
    qualified = dict(members.values_list("assessor_id", "qualified_at"))
    blocked = conflicted_user_ids(attempt, qualified) | exclude
    users = list(
        User.objects.filter(pk__in=[pk for pk in qualified if pk not in blocked]).annotate(
            open_reviews=open_review_count()
        )
    )
    return sorted(users, key=lambda u: (u.open_reviews, qualified[u.pk], u.pk))  # type: ignore[attr-defined]


def assignable_assessors(review: Review) -> QuerySet[User]:
    """Whom a program admin may give `review` to by name: assessors of the pool's
    organization (or the credential's, without a pool) who have no conflict of interest
    and never held a review of this hand-in; pool members first, then fewest open reviews.
    Each carries `in_pool` and `open_reviews` for the choice's label."""
    submission = review.submission
    attempt = submission.attempt
    policy = policy_for(attempt.version)
    home = policy.pool.organization if policy.pool else attempt.version.credential.organization
    members = PoolMember.objects.filter(pool=policy.pool, active=True, assessor=OuterRef("pk"))
    candidates = assessor_candidates(home)
    blocked = conflicted_user_ids(attempt, candidates.values_list("pk", flat=True))
    return (
        candidates.exclude(pk__in=blocked | reviewer_ids(submission))
        .annotate(
            in_pool=Exists(members) if policy.pool is not None else Value(False),
            open_reviews=open_review_count(),
        )
        .order_by("-in_pool", "open_reviews", "full_name", "email")
    )


# ----------------------------------------------------------------------------- queues


@dataclass(frozen=True, slots=True)
class Due:
    """When a review is due, in the words the queues show; renders itself as HTML (a
    template include per row would cost more than the rest of the row)."""

    due_at: Any
    days_left: int  # negative when overdue
    overdue: bool
    due_soon: bool

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    def __html__(self) -> str:
        day = timezone.localtime(self.due_at)
        date = f"{day:%b} {day.day}, {day.year}"
        if self.overdue:
            late = self.days_overdue
            words = f"Overdue by {late} day{pluralize(late)}" if late else "Overdue"
            return format_html('{} <span class="status status--overdue">{}</span>', date, words)
        if self.due_soon:
            left = self.days_left
            words = f"Due in {left} day{pluralize(left)}" if left else "Due today"
            return format_html('{} <span class="status status--due-soon">{}</span>', date, words)
        return format_html(
            '{} <span class="muted small">{} day{} left</span>',
            date,
            self.days_left,
            pluralize(self.days_left),
        )

    __str__ = __html__


def due_status(due_at: Any, now: Any) -> Due:
    delta = due_at - now
    days = (
        delta.days
        if delta.total_seconds() >= 0
        else -((-delta).days + (1 if (-delta).seconds else 0))
    )
    overdue = due_at < now
    return Due(
        due_at=due_at,
        days_left=days,
        overdue=overdue,
        due_soon=not overdue and delta <= timedelta(days=DUE_SOON_DAYS),
    )


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One open review in an assessor's queue, read as plain values (no model objects:
    the queue is the page an assessor reloads most)."""

    public_id: Any
    kind: str
    state: str
    due_at: Any
    hand_in: int
    title: str
    version_number: int
    organization: str
    due: Due

    @property
    def kind_label(self) -> str:
        return str(Review.Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(Review.State(self.state).label)

    @property
    def url(self) -> str:
        return reverse("assessment:review", args=[self.public_id])


QUEUE_FIELDS = (
    "public_id",
    "kind",
    "state",
    "due_at",
    "submission__number",
    "submission__attempt__version__title",
    "submission__attempt__version__number",
    "submission__attempt__version__credential__organization__name",
)


def assessor_queue(*, actor: User) -> QuerySet[Review, tuple[Any, ...]]:
    """The assessor's open reviews, soonest due first (read through the partial index
    `review_open_queue`), as tuples of `QUEUE_FIELDS`; `queue_entries` makes them rows."""
    return (
        Review.objects.filter(assessor=actor, state__in=ReviewQuerySet.OPEN)
        .order_by("due_at", "id")
        .values_list(*QUEUE_FIELDS)
    )


def queue_entries(values: list[tuple[Any, ...]]) -> list[QueueEntry]:
    now = timezone.now()
    entries = []
    for public_id, kind, state, due_at, hand_in, title, number, organization in values:
        entries.append(
            QueueEntry(
                public_id=public_id,
                kind=kind,
                state=state,
                due_at=due_at,
                hand_in=hand_in,
                title=title,
                version_number=number,
                organization=organization,
                due=due_status(due_at, now),
            )
        )
    return entries


def queue_counts(*, actor: User) -> dict[str, int]:
    """Open, overdue, due-soon and submitted reviews of the assessor: two index-only reads
    (the open ones through `review_open_queue`)."""
    now = timezone.now()
    counts: dict[str, int] = Review.objects.filter(
        assessor=actor, state__in=ReviewQuerySet.OPEN
    ).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_soon=Count(
            "pk", filter=Q(due_at__gte=now, due_at__lte=now + timedelta(days=DUE_SOON_DAYS))
        ),
    )
    counts["submitted"] = Review.objects.filter(assessor=actor, state="submitted").count()
    return counts


def _managed(actor: User, field: str) -> Q:
    return tenancy.within(actor, "assessment.manage", field=field)


# A hand-in still being handled (its reviews open or waiting for the decision) belongs to an
# attempt handed in or in review. Saying so lets the database start from the organization's
# credentials and their few open attempts (the index on the attempt's version) instead of
# every open review of the state: a program admin's lists read the same few rows whatever
# the size of the rest of the installation.
HANDLED = (Attempt.State.SUBMITTED, Attempt.State.IN_REVIEW)


def reviewed_submissions(*, actor: User) -> QuerySet[Submission]:
    """Submissions waiting for the issuer's decision."""
    return (
        Submission.objects.filter(
            _managed(actor, "attempt__version__credential__organization"),
            state=Submission.State.REVIEWED,
            attempt__state__in=HANDLED,
        )
        .select_related("attempt__educator", "attempt__version__credential__organization")
        .order_by("updated_at", "id")
    )


def appeals_ready(*, actor: User) -> QuerySet[Appeal]:
    """Open appeals whose appeal review is in: waiting for the final decision (the index of
    ready appeals holds only these)."""
    return (
        Appeal.objects.filter(
            _managed(actor, "decision__submission__attempt__version__credential__organization"),
            state=Appeal.State.OPEN,
            reviewed_at__isnull=False,
        )
        .select_related(
            "decision__submission__attempt__educator",
            "decision__submission__attempt__version__credential",
        )
        .order_by("created_at", "id")
    )


def unassigned_reviews(*, actor: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            _managed(actor, "submission__attempt__version__credential__organization"),
            state=Review.State.UNASSIGNED,
            submission__attempt__state__in=HANDLED,
        )
        .select_related("submission__attempt__educator", "submission__attempt__version__credential")
        .order_by("due_at", "id")
    )


def overdue_reviews(*, actor: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            _managed(actor, "submission__attempt__version__credential__organization"),
            state__in=("assigned", "draft"),
            due_at__lt=timezone.now(),
            submission__attempt__state__in=HANDLED,
        )
        .select_related(
            "assessor",
            "submission__attempt__educator",
            "submission__attempt__version__credential",
        )
        .order_by("due_at", "id")
    )


def managed_review(*, actor: User, public_id: Any) -> Review:
    return (
        Review.objects.filter(
            _managed(actor, "submission__attempt__version__credential__organization")
        )
        .select_related("assessor", "submission__attempt__version__credential__organization")
        .get(public_id=public_id)
    )


def managed_submission(*, actor: User, pk: int) -> Submission:
    return (
        Submission.objects.filter(_managed(actor, "attempt__version__credential__organization"))
        .select_related(
            "attempt__educator",
            "attempt__organization",
            "attempt__version__credential__organization",
        )
        .get(pk=pk)
    )


def pools(*, actor: User) -> QuerySet[AssessorPool]:
    return AssessorPool.objects.visible_to(actor).select_related(
        "organization", "credential__current_version"
    )


def pool_members(pool: AssessorPool) -> QuerySet[PoolMember]:
    return pool.members.select_related("assessor").order_by(
        "assessor__full_name", "assessor__email"
    )


# ----------------------------------------------------------------------------- review screen


@dataclass
class SectionView:
    section: RubricSection
    levels: list[PerformanceLevel]
    score: SectionScore | None = None
    look_fors: list[Any] = field(default_factory=list)
    earlier: SectionScore | None = None  # a carried-over section's passing score
    judged_on: list[Any] = field(default_factory=list)  # the requirements it is tied to, if any


def _rubric(version_id: int) -> list[RubricSection]:
    return list(
        RubricSection.objects.filter(version_id=version_id)
        .select_related("passing_level")
        .prefetch_related("levels", "targets", "evidence")
        .order_by("position")
    )


def earlier_scores(submission: Submission) -> dict[int, SectionScore]:
    """For each carried-over section, the score with which it passed in an earlier hand-in."""
    earlier = rules.read_hand_ins({submission.attempt_id: submission.number - 1})
    return rules.passed_before(earlier[submission.attempt_id])


@dataclass
class ReviewScreen:
    review: Review
    submission: Submission
    attempt: Attempt
    version: CredentialVersion
    sections: list[SectionView]  # what this review scores
    carried: list[SectionView]  # passed before: read only
    evidence: list[Evidence]
    requirements: list[Any]
    others: list[Review]  # other reviews the reader may see (adjudication, appeal)
    pre_reflections: list[dict[str, Any]]
    post_reflections: list[dict[str, Any]]


def review_for_assessor(*, actor: User, public_id: Any) -> Review:
    """A review assigned to the actor (404 for anyone else, even the issuer: they read the
    decide page)."""
    return Review.objects.select_related(
        "submission__attempt__version__credential__organization",
        "submission__attempt__educator",
        "submission__attempt__organization",
    ).get(public_id=public_id, assessor=actor)


def review_screen(review: Review) -> ReviewScreen:
    submission = review.submission
    attempt = submission.attempt
    version = attempt.version
    rubric = _rubric(version.pk)
    covered = set(submission.sections.values_list("pk", flat=True))
    scores = {s.section_id: s for s in review.scores.select_related("level")}
    requirements = list(version.evidence_requirements.all())
    earlier = earlier_scores(submission) if submission.number > 1 else {}
    sections: list[SectionView] = []
    carried: list[SectionView] = []
    for section in rubric:
        judged_on = section.judged_on(requirements)
        view = SectionView(
            section=section,
            levels=list(section.levels.all()),
            score=scores.get(section.pk),
            look_fors=[r for r in judged_on if r.look_fors],
            earlier=earlier.get(section.pk),
            judged_on=judged_on if section.evidence.all() else [],
        )
        (sections if section.pk in covered else carried).append(view)
    others: list[Review] = []
    if review.kind in (Review.Kind.ADJUDICATION, Review.Kind.APPEAL):
        # The adjudicator and the appeal reviewer read the first round; double scorers
        # never see each other.
        others = list(
            submission.reviews.filter(kind__in=FIRST_ROUND, state=Review.State.SUBMITTED)
            .select_related("assessor")
            .prefetch_related(
                Prefetch("scores", queryset=SectionScore.objects.select_related("level", "section"))
            )
        )
        if review.kind == Review.Kind.APPEAL:
            others += list(
                submission.reviews.filter(
                    kind=Review.Kind.ADJUDICATION, state=Review.State.SUBMITTED
                )
                .select_related("assessor")
                .prefetch_related(
                    Prefetch(
                        "scores", queryset=SectionScore.objects.select_related("level", "section")
                    )
                )
            )
    reflections = submission.reflections or []
    return ReviewScreen(
        review=review,
        submission=submission,
        attempt=attempt,
        version=version,
        sections=sections,
        carried=carried,
        evidence=list(submission.evidence.select_related("requirement")),
        requirements=requirements,
        others=others,
        pre_reflections=[r for r in reflections if r.get("phase") == "pre"],
        post_reflections=[r for r in reflections if r.get("phase") == "post"],
    )


def closed_reviews(submission: Submission) -> list[Review]:
    """Declined and reassigned reviews of a hand-in, with who had them and why."""
    return list(
        submission.reviews.filter(state__in=(Review.State.DECLINED, Review.State.REASSIGNED))
        .select_related("assessor")
        .order_by("updated_at", "id")
    )


def review_with_scores(review: Review) -> Review:
    """One review with its scores (section and level) for a read-only page."""
    return (
        Review.objects.select_related("assessor")
        .prefetch_related(
            Prefetch("scores", queryset=SectionScore.objects.select_related("level", "section"))
        )
        .get(pk=review.pk)
    )


def handed_in_evidence(submission: Submission) -> list[Evidence]:
    """The evidence as handed in with this submission (not what the educator added since)."""
    return list(submission.evidence.select_related("requirement"))


# ----------------------------------------------------------------------------- decide page


def submission_reviews(submission: Submission) -> list[Review]:
    return list(
        submission.reviews.select_related("assessor")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=SectionScore.objects.select_related("level", "section__passing_level"),
            )
        )
        .order_by("assigned_at", "id")
    )


def open_appeal(submission: Submission) -> Appeal | None:
    return (
        Appeal.objects.filter(decision__submission=submission, state=Appeal.State.OPEN)
        .select_related("decision")
        .first()
    )


# ----------------------------------------------------------------------------- feedback


@dataclass
class HistoryEntry:
    submission: Submission
    reviews: list[Review]  # what this reader may see
    decisions: list[Decision]


@dataclass
class Feedback:
    attempt: Attempt
    latest: Submission | None
    decision: Decision | None
    review: Review | None  # the decisive review of the latest decided hand-in
    scores: list[dict[str, Any]]
    history: list[HistoryEntry]
    policy: Policy
    resubmissions_used: int
    resubmit_opens: Any
    can_resubmit: bool
    can_appeal: bool
    appeal: Appeal | None
    award: Award | None


def attempt_for(*, actor: User, public_id: Any) -> Attempt:
    return (
        Attempt.objects.visible_to(actor)
        .select_related("educator", "organization", "version__credential__organization")
        .get(public_id=public_id)
    )


def reader_sees_all_reviews(actor: User, attempt: Attempt) -> bool:
    """The educator, their supporters and the issuing staff read every submitted review;
    an assessor only the reviews assigned to them."""
    return (
        attempt.educator_id == actor.pk
        or permissions.has_perm(actor, "earning.support", attempt.organization)
        or permissions.has_perm(actor, "assessment.manage", attempt.version.credential.organization)
    )


@dataclass
class Judgement:
    """The hand-ins of an attempt as a reader sees them: each with the reviews the reader may
    read and its decisions, the latest decision and the review it rests on, and the level of
    each section (`feedback` adds the pool's resubmission terms, the appeal and the award)."""

    submissions: list[Submission]  # newest first
    history: list[HistoryEntry]
    decision: Decision | None
    review: Review | None  # the decisive review of the latest decided hand-in
    scores: list[dict[str, Any]]


def judgement(*, actor: User, attempt: Attempt) -> Judgement:
    sees_all = reader_sees_all_reviews(actor, attempt)
    # The hand-ins the attempt's page read already (earning keeps them on the attempt), with
    # their decisions, each with the appeal against it, and their submitted reviews.
    submissions = earning_selectors.hand_ins(attempt)
    prefetch_related_objects(
        submissions,
        "sections",
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related(
                "decided_by", "appeal", "appealed_by"
            ).order_by("decided_at", "id"),
        ),
        Prefetch(
            "reviews",
            queryset=Review.objects.filter(state=Review.State.SUBMITTED)
            .select_related("assessor")
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=SectionScore.objects.select_related("level", "section__passing_level"),
                )
            ),
        ),
    )
    history = []
    for submission in submissions:
        reviews = [r for r in submission.reviews.all() if sees_all or r.assessor_id == actor.pk]
        history.append(HistoryEntry(submission, reviews, list(submission.decisions.all())))
    decided = next((s for s in submissions if s.state == Submission.State.DECIDED), None)
    decision = review = None
    scores: list[dict[str, Any]] = []
    if decided is not None:
        decision = list(decided.decisions.all())[-1]
        review = decisive_review(decided)
        if review is not None and not sees_all and review.assessor_id != actor.pk:
            review = None
    if review is not None and decided is not None:
        # The decided hand-in, then the earlier decided ones newest first (rules.results).
        earlier = [
            s
            for s in submissions
            if s.state == Submission.State.DECIDED and s.number < decided.number
        ]
        results = rules.results([decided, *earlier])
        for section in rubric_of(attempt.version):
            result = results.get(section.pk)
            if result is not None:
                scores.append(
                    {
                        "section": section,
                        "score": result.score,
                        "passed": level_passes(section, result.score.level),
                        "carried": result.carried_over,
                    }
                )
    return Judgement(submissions, history, decision, review, scores)


def feedback(*, actor: User, attempt: Attempt) -> Feedback:
    judged = judgement(actor=actor, attempt=attempt)
    submissions, history, decision = judged.submissions, judged.history, judged.decision
    latest = submissions[0] if submissions else None
    decided = next((s for s in submissions if s.state == Submission.State.DECIDED), None)
    policy = policy_for(attempt.version)
    used = max(0, len(submissions) - 1)
    opens = None
    if decision is not None and policy.resubmit_wait_days:
        opens = decision.decided_at + timedelta(days=policy.resubmit_wait_days)
        if opens <= timezone.now():
            opens = None
    appeal = None
    if decision is not None:  # the latest appeal against any of the attempt's decisions
        appeal = max(
            (a for entry in history for d in entry.decisions if (a := appeal_against(d))),
            key=lambda a: (a.created_at, a.pk),
            default=None,
        )
    is_owner = attempt.educator_id == actor.pk
    can_appeal = (
        is_owner
        and decision is not None
        and decision.outcome in (Decision.Outcome.NOT_YET, Decision.Outcome.REJECT)
        and decision.appeal_id is None
        and latest is decided
        and appeal_against(decision) is None
        and attempt.state in (Attempt.State.NOT_YET, Attempt.State.REJECTED)
    )
    return Feedback(
        attempt=attempt,
        latest=latest,
        decision=decision,
        review=judged.review,
        scores=judged.scores,
        history=history,
        policy=policy,
        resubmissions_used=used,
        resubmit_opens=opens,
        can_resubmit=is_owner
        and attempt.state == Attempt.State.NOT_YET
        and used < policy.max_resubmissions,
        can_appeal=can_appeal,
        appeal=appeal,
        award=award_of(attempt),
    )


def appeal_against(decision: Decision) -> Appeal | None:
    """The appeal filed against a decision read with `appealed_by`, if there is one."""
    try:
        return decision.appealed_by
    except Appeal.DoesNotExist:
        return None


def award_of(attempt: Attempt) -> Award | None:
    """The attempt's award (read with the attempt when it was selected with it)."""
    try:
        return attempt.award
    except Award.DoesNotExist:
        return None


def award_for(*, actor: User, public_id: Any) -> Award:
    """An award by its public id if the actor may read its attempt (Award.DoesNotExist
    otherwise). The award is found by its id first, and then only its own attempt is tested,
    instead of filtering every attempt the actor may read."""
    award = Award.objects.select_related(
        "attempt__educator",
        "attempt__version__credential__organization",
        "decision",
    ).get(public_id=public_id)
    if not Attempt.objects.visible_to(actor).filter(pk=award.attempt_id).exists():
        raise Award.DoesNotExist
    return award


# ----------------------------------------------------------------------------- calibration


@dataclass
class Agreement:
    label: str
    n: int = 0
    exact: int = 0
    kappa: float | None = None
    cells: dict[tuple[int, int], int] = field(default_factory=dict)  # (level a, level b) -> n
    below: bool = False  # exact agreement under the report's threshold

    @property
    def percent(self) -> float | None:
        return round(100 * self.exact / self.n, 1) if self.n else None

    @property
    def percent_text(self) -> str:
        """The exact agreement as the page shows it ("66.7", "100"), "" without pairs."""
        percent = self.percent
        return "" if percent is None else f"{percent:g}"

    @property
    def kappa_text(self) -> str:
        """Kappa to two places, rounded half up as `floatformat:2` would ("-0.09")."""
        if self.kappa is None:
            return ""
        return str(Decimal(repr(self.kappa)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def count(self, level_a: int, level_b: int, count: int) -> None:
        """Add to the table of level pairs kappa is worked out from (n and exact are the
        totals, read apart)."""
        self.cells[(level_a, level_b)] = self.cells.get((level_a, level_b), 0) + count


def cohen_kappa(cells: dict[tuple[int, int], int] | list[tuple[int, int]]) -> float | None:
    """Cohen's kappa over paired level positions, given as a table of counts
    {(a, b): n} (or a list of pairs): (po − pe) / (1 − pe).

    pe is the agreement expected by chance from each rater's own level frequencies. When
    pe = 1 (both raters always gave one and the same level) kappa is undefined; we call
    it 1.0 when they agreed on every item, else None."""
    if isinstance(cells, list):
        table: dict[tuple[int, int], int] = defaultdict(int)
        for pair in cells:
            table[pair] += 1
        cells = table
    n = sum(cells.values())
    if not n:
        return None
    po = sum(count for (a, b), count in cells.items() if a == b) / n
    first: dict[int, int] = defaultdict(int)
    second: dict[int, int] = defaultdict(int)
    for (a, b), count in cells.items():
        first[a] += count
        second[b] += count
    pe = sum(first[k] * second.get(k, 0) for k in first) / (n * n)
    if pe >= 1:
        return 1.0 if po == 1 else None
    return round((po - pe) / (1 - pe), 3)


CALIBRATION_ROWS = 50  # the most rows each table shows, lowest agreement first past it


@dataclass
class Calibration:
    sections: list[Agreement]
    pairs: list[Agreement]
    assessors: list[Agreement]
    threshold: float
    submissions: int
    more: dict[str, int] = field(default_factory=dict)  # rows left out of each table


@dataclass(frozen=True)
class CalibrationFilter:
    """Which hand-ins the report counts: by the month the second review came in (first days
    of months, both included) and by the educator's organization (within the actor's)."""

    since: date | None = None
    until: date | None = None
    school: Organization | None = None


def _lowest_agreement(
    buckets: dict[Any, Agreement], name: str, more: dict[str, int]
) -> list[tuple[Any, Agreement]]:
    """The table's rows, or past CALIBRATION_ROWS the ones with the lowest exact agreement
    (`more[name]` says how many are left out)."""
    rows = list(buckets.items())
    if len(rows) > CALIBRATION_ROWS:
        rows.sort(key=lambda kv: (kv[1].percent if kv[1].percent is not None else 101, kv[0]))
        more[name] = len(rows) - CALIBRATION_ROWS
        rows = rows[:CALIBRATION_ROWS]
    return rows


def _agreement_totals(tallies: QuerySet[Any], *keys: str) -> QuerySet[Any]:
    """Per distinct `keys`: the items scored by both, and those given the same level."""
    return (
        tallies.values_list(*keys)
        .annotate(n=Sum("count"), exact=Coalesce(Sum("count", filter=Q(level_a=F("level_b"))), 0))
        .order_by()
    )


def _agreement_cells(tallies: QuerySet[Any], *keys: str) -> QuerySet[Any]:
    """Per distinct `keys` and pair of levels: how many items were scored so."""
    return tallies.values_list(*keys, "level_a", "level_b").annotate(n=Sum("count")).order_by()


def calibration_schools(*, actor: User) -> QuerySet[Organization]:
    """The organizations whose educators' hand-ins the actor may filter the report by: the
    schools and districts under the organizations where they manage assessment."""
    return Organization.objects.filter(
        tenancy.within(actor, "assessment.manage", field=""),
        kind__in=(Organization.Kind.SCHOOL, Organization.Kind.DISTRICT),
    ).order_by("name")


def calibration(
    *, actor: User, threshold: float = 70.0, only: CalibrationFilter | None = None
) -> Calibration:
    """Agreement between the two blind scorers of double-scored hand-ins of the credentials
    the actor runs, from the tallies counted as reviews come in: the totals by section and by
    pair added up in the database (a row per section, per pair), then the level cells of the
    rows shown (for kappa), the hand-ins counted, the sections' titles and the assessors'
    names. What is read depends on the rubrics, the pairs and the months asked for, not on
    the history (nor, unless a school is chosen, on the number of schools)."""
    only = only or CalibrationFilter()
    scope = _managed(actor, "organization")
    if only.since:
        scope &= Q(month__gte=only.since)
    if only.until:
        scope &= Q(month__lte=only.until)
    sectioned: QuerySet[Any]
    paired: QuerySet[Any]
    if only.school is not None:
        scope &= Q(school__path__startswith=only.school.path)
        sectioned = paired = AgreementTally.objects.filter(scope)
    else:  # the same cells over every school, added up by section and by pair as counted
        sectioned = SectionAgreement.objects.filter(scope)
        paired = PairAgreement.objects.filter(scope)
    # First each row's totals, added up in the database (one row per section, per pair);
    # then the level cells that kappa needs, for the rows the tables show only.
    sections: dict[int, Agreement] = {
        section_id: Agreement("", n=n, exact=exact)
        for section_id, n, exact in _agreement_totals(sectioned, "section_id")
    }
    pairs: dict[tuple[int, int], Agreement] = {}
    people: dict[int, Agreement] = {}
    for a, b, n, exact in _agreement_totals(paired, "assessor_a_id", "assessor_b_id"):
        pairs[(a, b)] = Agreement("", n=n, exact=exact)
        for person in (a, b):
            bucket = people.setdefault(person, Agreement(""))
            bucket.n += n
            bucket.exact += exact
    submissions = DoubleScoredTally.objects.filter(scope).aggregate(n=Sum("count"))["n"] or 0
    # Past CALIBRATION_ROWS a table shows the rows to act on, lowest agreement first; the
    # names and kappa are worked out for the rows shown only.
    more: dict[str, int] = {}
    picked = {
        name: _lowest_agreement(buckets, name, more)
        for name, buckets in (("sections", sections), ("pairs", pairs), ("assessors", people))
    }
    shown_sections = dict(picked["sections"])
    for section_id, level_a, level_b, n in _agreement_cells(
        sectioned.filter(section_id__in=shown_sections), "section_id"
    ):
        shown_sections[section_id].count(level_a, level_b, n)
    shown_pairs = dict(picked["pairs"])
    shown_people = dict(picked["assessors"])
    someone = list(shown_people) + [i for pair in shown_pairs for i in pair]
    for a, b, level_a, level_b, n in _agreement_cells(
        paired.filter(Q(assessor_a_id__in=someone) | Q(assessor_b_id__in=someone)),
        "assessor_a_id",
        "assessor_b_id",
    ):
        for row in (shown_pairs.get((a, b)), shown_people.get(a), shown_people.get(b)):
            if row is not None:
                row.count(level_a, level_b, n)
    titles = dict(
        RubricSection.objects.filter(pk__in=[k for k, _ in picked["sections"]]).values_list(
            "pk", "name"
        )
    )
    ids = {k for k, _ in picked["assessors"]} | {i for k, _ in picked["pairs"] for i in k}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids).only("full_name", "email")}
    labels: dict[str, Any] = {
        "sections": lambda k: titles[k],
        "pairs": lambda k: f"{names[k[0]]} & {names[k[1]]}",
        "assessors": lambda k: names[k],
    }
    shown: dict[str, list[Agreement]] = {}
    for name, rows in picked.items():
        for key, bucket in rows:
            bucket.label = labels[name](key)
            bucket.kappa = cohen_kappa(bucket.cells)
            bucket.below = bucket.percent is not None and bucket.percent < threshold
        shown[name] = sorted((bucket for _, bucket in rows), key=lambda r: r.label)
    return Calibration(
        sections=shown["sections"],
        pairs=shown["pairs"],
        assessors=shown["assessors"],
        threshold=threshold,
        submissions=submissions,
        more=more,
    )


# ----------------------------------------------------------------------------- pages

# What each page renders, read for the person asking. A part of a page that a successful
# post never shows (a redirect follows) is read by the page's `context`, when it renders,
# so a post that goes through reads no more than it needs.


def queue_page(*, actor: User, page: Any) -> dict[str, Any]:
    """The assessor's queue, one page of it, with the figures above it."""
    counts = queue_counts(actor=actor)
    paginator = Paginator(assessor_queue(actor=actor), QUEUE_PAGE_SIZE)
    paginator.count = counts["open"]  # counted already, with the other figures
    page_obj = paginator.get_page(page)
    return {
        "page_obj": page_obj,
        "rows": queue_entries(list(page_obj.object_list)),
        "counts": counts,
        "is_assessor": permissions.has_perm_anywhere(actor, "assessment.review"),
        "is_manager": permissions.has_perm_anywhere(actor, "assessment.manage"),
        "can_decide": permissions.has_perm_anywhere(actor, "assessment.decide"),
    }


# The decisions page lists the first DECISION_ROWS of each queue (oldest first) and counts
# each no further than the home page's cap ("100+").
DECISION_ROWS = 50


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One row of a decisions queue, read as plain values (no model objects: fifty rows of
    four queues, each through four tables)."""

    key: Any  # the hand-in's id (decide) or the review's public id (assign, reassign)
    title: str
    person: str  # the educator, or for a late review its assessor
    number: int = 1  # the hand-in: 1 is the first, 2 the first resubmission
    kind: str = ""  # the review's kind
    since: Any = None  # reviewed, appealed, or waiting since
    due: Due | None = None

    @property
    def resubmission(self) -> int:
        return self.number - 1

    @property
    def kind_label(self) -> str:
        return str(Review.Kind(self.kind).label) if self.kind else ""


def _person(full_name: str, email: str) -> str:
    return full_name or email  # as User.__str__


# Per queue: the ids' field, and the fields its rows show (title, person, then the rest).
_DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    "reviewed": (
        "pk",
        "attempt__version__title",
        "attempt__educator__full_name",
        "attempt__educator__email",
        "number",
        "updated_at",
    ),
    "appeals": (
        "decision__submission_id",
        "decision__submission__attempt__version__title",
        "decision__submission__attempt__educator__full_name",
        "decision__submission__attempt__educator__email",
        "created_at",
    ),
    "unassigned": (
        "public_id",
        "submission__attempt__version__title",
        "submission__attempt__educator__full_name",
        "submission__attempt__educator__email",
        "kind",
        "assigned_at",
    ),
    "overdue": (
        "public_id",
        "submission__attempt__version__title",
        "assessor__full_name",
        "assessor__email",
        "due_at",
    ),
}


def _decision_rows(name: str, rows: QuerySet[Any], ids: list[int]) -> list[DecisionRow]:
    """The rows of `ids` (read from the queue `rows`, so the actor may see them), in that
    order, as `DecisionRow`s: read by id, without the queue's filters again."""
    now = timezone.now()
    by_id = {
        pk: values
        for pk, *values in rows.model.objects.filter(pk__in=ids).values_list(
            "pk", *_DECISION_FIELDS[name]
        )
    }
    found = []
    for key, title, full_name, email, *rest in (by_id[pk] for pk in ids if pk in by_id):
        person = _person(full_name, email)
        if name == "reviewed":
            found.append(DecisionRow(key, title, person, number=rest[0], since=rest[1]))
        elif name == "appeals":
            found.append(DecisionRow(key, title, person, since=rest[0]))
        elif name == "unassigned":
            found.append(DecisionRow(key, title, person, kind=rest[0], since=rest[1]))
        else:
            found.append(DecisionRow(key, title, person, due=due_status(rest[0], now)))
    return found


def queue_head(name: str, rows: QuerySet[Any], limit: int) -> tuple[list[DecisionRow], int]:
    """The first `limit` rows of one of the issuer's queues (`name` as in `_DECISION_FIELDS`)
    and how many it holds, counted no further than the home page's cap ("100+"): the ids as
    far as the count goes, then the rows shown with what they show. The joins for the
    people's names run for those rows, not for every one of a district's thousand late
    reviews before they are put in order."""
    ids = list(rows.values_list("pk", flat=True)[: max(limit, HOME_COUNT_CAP)])
    return (_decision_rows(name, rows, ids[:limit]) if ids else []), len(ids)


def decisions_page(*, actor: User) -> dict[str, Any]:
    """The issuer's queues: hand-ins and appeals to decide, reviews nobody holds, late ones;
    each its first DECISION_ROWS rows and a capped count."""
    queues: dict[str, QuerySet[Any]] = {
        "reviewed": reviewed_submissions(actor=actor),
        "appeals": appeals_ready(actor=actor),
        "unassigned": unassigned_reviews(actor=actor),
        "overdue": overdue_reviews(actor=actor),
    }
    page: dict[str, Any] = {}
    for name, rows in queues.items():
        page[name], page[f"{name}_count"] = queue_head(name, rows, DECISION_ROWS)
    page["shown"] = DECISION_ROWS
    page["can_decide"] = permissions.has_perm_anywhere(actor, "assessment.decide")
    return page


def closed_review_page(review: Review) -> dict[str, Any]:
    """A submitted, declined or reassigned review, read only. Only a submitted review shows
    the evidence: a declined or reassigned one no longer opens it, so it links to none."""
    submitted = review.state == Review.State.SUBMITTED
    return {
        "review": review,
        "r": review_with_scores(review) if submitted else review,
        "submission": review.submission,
        "version": review.submission.attempt.version,
        "evidence_list": handed_in_evidence(review.submission) if submitted else [],
        "viewer": "assessor",
    }


@dataclass
class ReassignPage:
    review: Review
    home: Organization  # whose assessors may take it
    pool: AssessorPool | None
    assessors: QuerySet[User]  # whom it may be given to by name
    next_free: bool  # someone in the pool can take it without a name

    def context(self) -> dict[str, Any]:
        submission = self.review.submission
        return {
            "review": self.review,
            "submission": submission,
            "attempt": submission.attempt,
            "home": self.home,
            "pool": self.pool,
            "next_free": self.next_free,
            "nobody": not self.next_free and not self.assessors.exists(),
            "closed": closed_reviews(submission),
        }


def reassign_page(*, actor: User, public_id: Any) -> ReassignPage:
    """A review of a credential the actor runs, with whom it may go to."""
    review = managed_review(actor=actor, public_id=public_id)
    submission = review.submission
    attempt = submission.attempt
    policy = policy_for(attempt.version)
    home = policy.pool.organization if policy.pool else attempt.version.credential.organization
    assessors = assignable_assessors(review)
    next_free = bool(eligible_pool_assessors(policy.pool, attempt, reviewer_ids(submission)))
    return ReassignPage(review, home, policy.pool, assessors, next_free)


@dataclass
class DecidePage:
    submission: Submission
    reviews: list[Review]
    appeal: Appeal | None  # the open appeal of this hand-in
    appeal_ready: bool  # its appeal review is in: the decision answers the appeal
    can_decide: bool

    @property
    def organization(self) -> Organization:
        """The credential's organization: deciding takes `assessment.decide` in it."""
        return self.submission.attempt.version.credential.organization

    @property
    def answered_appeal(self) -> Appeal | None:
        return self.appeal if self.appeal_ready else None

    def context(self) -> dict[str, Any]:
        submission = self.submission
        return {
            "submission": submission,
            "attempt": submission.attempt,
            "version": submission.attempt.version,
            "reviews": self.reviews,
            "decisions": list(submission.decisions.select_related("decided_by")),
            "appeal": self.appeal,
            "appeal_ready": self.appeal_ready,
            "can_decide": self.can_decide,
            "carried": carried_over(submission),
            # The issuer of record decides on what was handed in: the evidence (with the
            # review screen's player) and the reflections, beside every review.
            "evidence_list": handed_in_evidence(submission),
            "viewer": "issuer",
            "reflections": submission.reflections or [],
        }


def decide_page(*, actor: User, pk: int) -> DecidePage:
    """A hand-in of a credential the actor runs, with its reviews and any open appeal."""
    submission = managed_submission(actor=actor, pk=pk)
    appeal = open_appeal(submission)
    reviews = submission_reviews(submission)
    appeal_ready = appeal is not None and any(
        r.kind == Review.Kind.APPEAL and r.state == Review.State.SUBMITTED for r in reviews
    )
    organization = submission.attempt.version.credential.organization
    can_decide = permissions.has_perm(actor, "assessment.decide", organization) and (
        submission.state == Submission.State.REVIEWED or appeal_ready
    )
    return DecidePage(submission, reviews, appeal, appeal_ready, can_decide)


def award_standing(award: Award) -> Standing:
    """Whether the award still counts: its badge may since have been revoked or have expired."""
    return standing_of(award.attempt)


@dataclass
class FeedbackPage:
    attempt: Attempt
    info: Feedback
    is_owner: bool  # the educator who handed it in: the one who may appeal

    def context(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt,
            "version": self.attempt.version,
            "info": self.info,
            "is_owner": self.is_owner,
            "resubmit_url": reverse("earning:attempt", args=[self.attempt.public_id]),
        }


def feedback_page(*, actor: User, public_id: Any) -> FeedbackPage:
    """An attempt the actor may read, with its feedback and whether its award still counts."""
    attempt = attempt_for(actor=actor, public_id=public_id)
    info = feedback(actor=actor, attempt=attempt)
    standing = award_standing(info.award) if info.award is not None else None
    attempt.standing = standing  # type: ignore[attr-defined]
    return FeedbackPage(attempt, info, is_owner=attempt.educator_id == actor.pk)


def certificate_page(*, actor: User, public_id: Any) -> dict[str, Any]:
    """An award the actor may read, with whether it still counts."""
    award = award_for(actor=actor, public_id=public_id)
    version = award.attempt.version
    return {
        "award": award,
        "standing": award_standing(award),
        "is_owner": award.attempt.educator_id == actor.pk,
        "attempt": award.attempt,
        "version": version,
        "credential": version.credential,
        "targets": list(version.targets.all()),
    }


def pool_organizations(*, actor: User) -> QuerySet[Organization]:
    """The organizations in which the actor may set up a pool that can route something: those
    that own a credential, and those above one (a pool there may be for that credential,
    `pool_for`). A state's schools own none, so its list holds its districts, not every
    school."""
    owners = Credential.objects.filter(tenancy.within(actor, "assessment.manage")).values_list(
        "organization__path", flat=True
    )
    ids = {int(pk) for path in owners.distinct() for pk in path.strip("/").split("/")}
    return Organization.objects.filter(
        tenancy.within(actor, "assessment.manage", field=""), pk__in=sorted(ids)
    ).order_by("path")


def pool_credentials(*, actor: User) -> QuerySet[Credential]:
    """The published credentials a pool of the actor's may be for."""
    return (
        Credential.objects.filter(tenancy.within(actor, "assessment.manage"))
        .filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("slug")
    )


POOLS_PAGE_SIZE = 50


def pools_listed(*, actor: User, page: Any = 1) -> Any:
    """One page of the pools the actor may see, by organization and name (a state runs one
    or more for each of its credentials)."""
    rows = pools(actor=actor).order_by("organization__name", "name", "pk")
    return Paginator(rows, POOLS_PAGE_SIZE).get_page(page)


@dataclass
class PoolPage:
    pool: AssessorPool
    members: list[PoolMember]  # every member, those who left too
    candidates: QuerySet[User]  # assessors who may join: not active members already

    def member(self, pk: str) -> PoolMember | None:
        """The member the form names, if it is one of this pool's."""
        return next((m for m in self.members if str(m.pk) == pk), None)

    def context(self) -> dict[str, Any]:
        return {
            "pool": self.pool,
            "members": [m for m in self.members if m.active],
            "has_candidates": self.candidates.exists(),
        }


def pool_page(*, actor: User, pk: int) -> PoolPage:
    """A pool the actor may see, its members and who may join it."""
    pool = pools(actor=actor).get(pk=pk)
    members = list(pool_members(pool))
    active_ids = [m.assessor_id for m in members if m.active]
    candidates = assessor_candidates(pool.organization).exclude(pk__in=active_ids)
    return PoolPage(pool, members, candidates)


# ----------------------------------------------------------------------------- "not yet" guidance


@dataclass
class NotYetGuidance:
    """What a "not yet" asks, for the attempt's own pages (earning keeps a place for it,
    `core.parts`): the sections that did not pass with the assessor's feedback and the
    evidence each is judged on, the sections that passed and carry over, and the evidence
    the hand-in had."""

    attempt: Attempt
    decision: Decision
    review: Review
    not_passed: list[dict[str, Any]]  # each row also has "judged_on": the tied requirements
    carried: list[dict[str, Any]]
    judged_on: list[str]  # the titles of the requirements the hand-in had evidence for
    is_owner: bool
    # requirement id -> the rows of not_passed judged on it (a section tied to none: on all)
    by_requirement: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def tied(self) -> bool:
        """Whether any section that did not pass names the evidence it is judged on."""
        return any(row["judged_on"] for row in self.not_passed)


def not_yet_guidance(*, actor: User, attempt: Attempt) -> NotYetGuidance | None:
    """The latest "not yet" on an attempt waiting to be resubmitted, as the actor may read it
    (the educator, her supporters and the issuing staff read the deciding review; an
    assessor only a review of their own), or None."""
    if attempt.state != Attempt.State.NOT_YET:
        return None
    info = judgement(actor=actor, attempt=attempt)  # not the pool's terms: not shown here
    if info.decision is None or info.review is None:
        return None
    if info.decision.outcome != Decision.Outcome.NOT_YET:
        return None
    # The requirements the decided hand-in's evidence answers, in the rubric's order, from
    # the hand-ins the page read with their evidence.
    handed = earning_selectors.with_evidence([entry.submission for entry in info.history])
    decided = next(s for s in handed if s.pk == info.decision.submission_id)
    judged_on = list(
        dict.fromkeys(
            e.requirement.title
            for e in sorted(decided.evidence.all(), key=lambda e: e.requirement.position)
        )
    )
    ties: dict[int, set[int]] = {}
    if has_parts(attempt.version):  # the attempt's pages loaded them: no need to read again
        requirements = list(attempt.version.evidence_requirements.all())
        for section in attempt.version.sections.all():
            for requirement in section.evidence.all():
                ties.setdefault(section.pk, set()).add(requirement.pk)
    else:
        requirements = list(EvidenceRequirement.objects.filter(version_id=attempt.version_id))
        for section_id, requirement_id in RubricSection.evidence.through.objects.filter(
            rubricsection__version_id=attempt.version_id
        ).values_list("rubricsection_id", "evidencerequirement_id"):
            ties.setdefault(section_id, set()).add(requirement_id)
    rows = info.scores
    not_passed = [row for row in rows if not row["passed"]]
    by_requirement: dict[int, list[dict[str, Any]]] = {}
    for row in not_passed:
        tied = ties.get(row["section"].pk, set())
        row["judged_on"] = [r for r in requirements if r.pk in tied]
        for r in requirements:
            if not tied or r.pk in tied:
                by_requirement.setdefault(r.pk, []).append(row)
    return NotYetGuidance(
        attempt=attempt,
        decision=info.decision,
        review=info.review,
        not_passed=not_passed,
        carried=[row for row in rows if row["passed"]],
        judged_on=list(dict.fromkeys(judged_on)),
        is_owner=attempt.educator_id == actor.pk,
        by_requirement=by_requirement,
    )


# ----------------------------------------------------------------------------- the home page

HOME_ROWS = 5


def home_queue(*, assessor: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """The assessor's open reviews, soonest due (so overdue) first, at most `limit`, with the
    queue's figures: three reads through the queue's indexes."""
    return {
        "rows": queue_entries(list(assessor_queue(actor=assessor)[:limit])),
        "counts": queue_counts(actor=assessor),
    }


def home_decisions(*, issuer: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """Hand-ins reviewed and waiting for the issuer's decision, oldest first, and appeals
    ready for the final decision; each at most `limit` rows and a capped count."""
    reviewed, reviewed_count = queue_head("reviewed", reviewed_submissions(actor=issuer), limit)
    appeals, appeals_count = queue_head("appeals", appeals_ready(actor=issuer), limit)
    return {
        "reviewed": reviewed,
        "reviewed_count": reviewed_count,
        "appeals": appeals,
        "appeals_count": appeals_count,
    }


def home_program(*, admin: User, limit: int = HOME_ROWS) -> dict[str, Any]:
    """Reviews nobody holds and reviews past their due date in the program admin's
    organizations, each at most `limit` rows (oldest due first) and a capped count."""
    unassigned, unassigned_count = queue_head("unassigned", unassigned_reviews(actor=admin), limit)
    overdue, overdue_count = queue_head("overdue", overdue_reviews(actor=admin), limit)
    return {
        "unassigned": unassigned,
        "unassigned_count": unassigned_count,
        "overdue": overdue,
        "overdue_count": overdue_count,
    }
