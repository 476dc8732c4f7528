"""Writes of the assessment app: routing a hand-in to assessors, reviews (save, submit,
decline, reassign), decisions, appeals and the pools.

Each function takes the acting user (routing is done for the educator's submit and has
none), locks the row it transitions, checks role and state, writes one AuditEvent and
notifies after commit. A refused action raises a DomainError before anything is
written, so it leaves no row, event, notice or email.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from microcred.assessment import rules, selectors
from microcred.assessment.models import (
    AgreementTally,
    AgreementTotal,
    Appeal,
    AssessorPool,
    Award,
    AwardResult,
    Decision,
    DoubleScoredTally,
    PairAgreement,
    PoolMember,
    Review,
    SectionAgreement,
    SectionScore,
)
from microcred.catalog.models import Credential, PerformanceLevel
from microcred.core import audit, lifecycle, permissions
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Organization, Role, User
from microcred.core.notify import Verb, notifications_resolve, notify, subject_of
from microcred.earning import services as earning
from microcred.earning.models import Attempt, Submission

Kind = Review.Kind
RState = Review.State
SState = Submission.State
Outcome = Decision.Outcome

MAX_TEXT = 10_000


class ReviewIncomplete(Invalid):
    """A review that cannot be submitted yet; `fields` maps a form field to its problem."""

    def __init__(self, message: str, *, fields: dict[str, str]) -> None:
        super().__init__(message, details=list(fields.values()))
        self.fields = fields


# ----------------------------------------------------------------------------- helpers


def _lock_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update()
        .select_related(
            "attempt__version__credential__organization",
            "attempt__organization",
            "attempt__educator",
        )
        .get(pk=submission.pk)
    )


def _lock_review(review: Review) -> Review:
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    return Review.objects.select_for_update().get(pk=review.pk)


def _record(
    actor: User | None, verb: Event, subject: Any, credential: Credential, **data: Any
) -> None:
    audit.record(actor, verb, subject, organization=credential.organization, **data)


def _staff(credential: Credential, roles: Iterable[Role]) -> list[User]:
    """People holding one of `roles` in the credential's organization or above it."""
    return list(
        User.objects.filter(
            memberships__role__in=list(roles),
            memberships__organization_id__in=credential.organization.ancestor_ids,
            is_active=True,
        ).distinct()
    )


def _title(submission: Submission) -> str:
    return submission.attempt.version.title


def _whose(submission: Submission) -> str:
    """“Ana Ortiz’s “Exit tickets””: whose work and which credential, so that one notice can
    be told from the next (a resubmission says which hand-in it is)."""
    educator, title = submission.attempt.educator, _title(submission)
    if submission.number > 1:
        return f"{educator}’s hand-in {submission.number} of “{title}”"
    return f"{educator}’s “{title}”"


def _day(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local:%B} {local.day}"


def _feedback_url(attempt: Attempt) -> str:
    return reverse("assessment:feedback", args=[attempt.public_id])


def _due(policy: selectors.Policy) -> Any:
    return timezone.now() + timedelta(days=policy.turnaround_days)


def _reviewers_of(submission: Submission) -> set[int]:
    return selectors.reviewer_ids(submission)


def _eligible(pool: AssessorPool | None, attempt: Attempt, exclude: set[int]) -> list[User]:
    return selectors.eligible_pool_assessors(pool, attempt, exclude)


def _pick(
    pool: AssessorPool | None, attempt: Attempt, exclude: set[int], prefer: int | None = None
) -> User | None:
    candidates = _eligible(pool, attempt, exclude)
    if prefer is not None:
        for user in candidates:
            if user.pk == prefer:
                return user
    return candidates[0] if candidates else None


def _open_review(
    submission: Submission,
    kind: str,
    policy: selectors.Policy,
    assessor: User | None,
) -> Review:
    """A new review for `assessor`, or an unassigned slot for a program admin to fill."""
    review = Review.objects.create(
        submission=submission,
        assessor=assessor,
        pool=policy.pool,
        kind=kind,
        state=RState.ASSIGNED if assessor is not None else RState.UNASSIGNED,
        due_at=_due(policy),
    )
    if assessor is not None:
        _tell_assigned(review, submission)
    else:
        _tell_unassigned(review, submission)
    return review


def _tell_assigned(review: Review, submission: Submission) -> None:
    assert review.assessor is not None
    title = _title(submission)
    whose, due = _whose(submission), _day(review.due_at)
    text = {
        Kind.PRIMARY: f"Review {whose} by {due}.",
        Kind.SECOND: f"Score {whose} a second time, blind, by {due}.",
        Kind.ADJUDICATION: f"Adjudicate {whose} (the two assessors disagree) by {due}.",
        Kind.APPEAL: f"Review the appeal on {whose} by {due}.",
    }[Kind(review.kind)]
    notify(
        [review.assessor],
        actor=None,
        verb=Verb.REVIEW_ASSIGNED,
        text=text,
        url=review.get_absolute_url(),
        subject=subject_of(review),
        email_template="assessment/email/assigned",
        context={"review": review, "title": title, "submission": submission},
    )


def _tell_unassigned(review: Review, submission: Submission) -> None:
    credential = submission.attempt.version.credential
    title = _title(submission)
    notify(
        _staff(credential, (Role.ADMIN, Role.ISSUER)),
        actor=None,
        verb=Verb.REVIEW_UNASSIGNED,
        text=f"No eligible assessor could take the {review.get_kind_display().lower()} of "
        f"{_whose(submission)}. Assign one by hand.",
        url=reverse("assessment:decisions") + "#unassigned",
        subject=subject_of(review),
        email_template="assessment/email/unassigned",
        context={"review": review, "title": title, "submission": submission},
    )


# ----------------------------------------------------------------------------- routing


def hand_in_route(*, submission_id: int) -> None:
    """The handler of "attempt.handed_in" (settings.LIFECYCLE_HANDLERS): route the new hand-in
    in the educator's transaction."""
    submission_route(submission=Submission(pk=submission_id))


@transaction.atomic
def submission_route(*, submission: Submission) -> list[Review]:
    """Assign a new hand-in to assessors (called by the educator's submit, in its transaction).

    The pool's active, qualified assessor with the fewest open reviews gets it, never
    someone with a conflict of interest; a resubmission goes back to the assessor of
    the previous hand-in when they are still eligible. With double scoring a second,
    different assessor scores it blind. Without a pool or an eligible assessor the
    review waits, unassigned, for a program admin."""
    submission = _lock_submission(submission)
    if submission.state != SState.SUBMITTED:
        raise InvalidTransition(
            f"This hand-in is {submission.get_state_display().lower()}; it was routed already."
        )
    attempt = submission.attempt
    credential = attempt.version.credential
    policy = selectors.policy_for(attempt.version)
    prefer = None
    if submission.number > 1:
        prefer = (
            Review.objects.filter(
                submission__attempt=attempt,
                submission__number=submission.number - 1,
                kind=Kind.PRIMARY,
                state=RState.SUBMITTED,
            )
            .values_list("assessor_id", flat=True)
            .first()
        )
    kinds = [Kind.PRIMARY, Kind.SECOND] if policy.double_scoring else [Kind.PRIMARY]
    taken: set[int] = set()
    reviews = []
    for kind in kinds:
        assessor = _pick(policy.pool, attempt, taken, prefer if kind == Kind.PRIMARY else None)
        if assessor is not None:
            taken.add(assessor.pk)
        reviews.append(_open_review(submission, kind, policy, assessor))
    _record(
        None,
        Event.SUBMISSION_ROUTED,
        submission,
        credential,
        number=submission.number,
        assessors=[r.assessor_id for r in reviews],
        unassigned=sum(1 for r in reviews if r.assessor_id is None),
    )
    return reviews


# ----------------------------------------------------------------------------- reviewing


def _check_reviewable(review: Review, submission: Submission) -> None:
    if submission.state == SState.WITHDRAWN or submission.attempt.state == Attempt.State.WITHDRAWN:
        raise InvalidTransition("The educator withdrew this attempt; it can no longer be reviewed.")
    if review.kind == Kind.APPEAL:
        if submission.state != SState.DECIDED:
            raise InvalidTransition("This appeal is no longer open.")
    elif submission.state not in (SState.SUBMITTED, SState.IN_REVIEW):
        raise InvalidTransition(
            f"This hand-in is {submission.get_state_display().lower()}; its reviews are closed."
        )


def _check_review_open(actor: User, review: Review) -> None:
    if review.assessor_id != actor.pk:
        raise InvalidTransition("This review is assigned to someone else.")
    if not review.is_open:
        raise InvalidTransition(
            f"This review is {review.get_state_display().lower()}; it cannot be changed."
        )


def review_problems(
    submission: Submission,
    scores: dict[int, tuple[int | None, str]],
    recommendation: str,
    summary: str,
) -> dict[str, str]:
    """What stops a review from being submitted, by form field (empty when it can go)."""
    attempt = submission.attempt
    version = attempt.version
    problems: dict[str, str] = {}
    sections = list(submission.sections.select_related("passing_level").order_by("position"))
    levels = {
        level.pk: level
        for level in PerformanceLevel.objects.filter(section__in=[s.pk for s in sections])
    }
    passed = len(selectors.carried_over(submission))
    failing: list[str] = []
    for section in sections:
        level_id, feedback = scores.get(section.pk, (None, ""))
        level = levels.get(level_id) if level_id is not None else None
        if level is None:
            problems[f"level-{section.pk}"] = f"Choose a level for “{section.name}”."
            continue
        if selectors.level_passes(section, level):
            passed += 1
        else:
            failing.append(section.name)
            if not feedback.strip():
                problems[f"feedback-{section.pk}"] = (
                    f"“{section.name}” is below its passing level: write feedback that tells "
                    "the educator what to change to reach it."
                )
    total = version.sections.count()
    if not recommendation:
        problems["recommendation"] = "Choose your recommendation: award or not yet."
    elif not any(k.startswith("level-") for k in problems):
        passes = selectors.overall_passes(version, passed, total)
        if recommendation == Review.Recommendation.AWARD and not passes:
            problems["recommendation"] = (
                "You recommend award, but "
                + ", ".join(f"“{n}”" for n in failing)
                + " "
                + ("does" if len(failing) == 1 else "do")
                + " not reach the passing level, and this credential needs "
                + (
                    "every section to pass."
                    if version.pass_rule == version.PassRule.ALL or not version.pass_min_sections
                    else f"{version.pass_min_sections} passing sections."
                )
                + " Recommend not yet, or raise the levels."
            )
        elif recommendation == Review.Recommendation.NOT_YET and passes:
            problems["recommendation"] = (
                "The levels you chose pass this credential's rule, so recommend award "
                "(or lower the level of the section that falls short)."
            )
    if not summary.strip():
        problems["summary"] = "Write a summary for the educator: what went well and what next."
    return problems


@transaction.atomic
def review_save(
    *,
    actor: User,
    review: Review,
    scores: dict[int, tuple[int | None, str]],
    recommendation: str,
    summary: str,
    submit: bool,
) -> Review:
    """Save the assessor's scores as a draft, or submit the review when complete."""
    submission = _lock_submission(review.submission)
    review = _lock_review(review)
    _check_review_open(actor, review)
    _check_reviewable(review, submission)
    credential = submission.attempt.version.credential
    covered = {s.pk: s for s in submission.sections.all()}
    for section_id, (level_id, feedback) in scores.items():
        if section_id not in covered:
            raise Invalid("This hand-in does not include that rubric section.")
        if (
            level_id is not None
            and not PerformanceLevel.objects.filter(pk=level_id, section_id=section_id).exists()
        ):
            raise Invalid(
                f"Choose one of the levels of “{covered[section_id].name}”.",
                field=f"level-{section_id}",
            )
        if len(feedback) > MAX_TEXT:
            raise Invalid(
                f"The feedback on “{covered[section_id].name}” has {len(feedback):,} characters; "
                f"the limit is {MAX_TEXT:,}.",
                field=f"feedback-{section_id}",
            )
    if recommendation and recommendation not in Review.Recommendation.values:
        raise Invalid("Choose your recommendation: award or not yet.", field="recommendation")
    if len(summary) > MAX_TEXT:
        raise Invalid(
            f"The summary has {len(summary):,} characters; the limit is {MAX_TEXT:,}.",
            field="summary",
        )
    if submit:
        problems = review_problems(submission, scores, recommendation, summary)
        if problems:
            raise ReviewIncomplete("Your review is not complete yet.", fields=problems)

    for section_id, (level_id, feedback) in scores.items():
        SectionScore.objects.update_or_create(
            review=review,
            section_id=section_id,
            defaults={"level_id": level_id, "feedback": feedback.strip()},
        )
    review.recommendation = recommendation
    review.summary = summary.strip()
    first_save = review.state == RState.ASSIGNED
    if submit:
        review.state = RState.SUBMITTED
        review.submitted_at = timezone.now()
    else:
        review.state = RState.DRAFT
    review.save()
    earning.submission_review_begin(submission=submission)
    if submit:
        notifications_resolve(subject=subject_of(review))
        _record(
            actor,
            Event.REVIEW_SUBMITTED,
            review,
            credential,
            kind=review.kind,
            recommendation=recommendation,
            submission=submission.pk,
        )
        _count_agreement(review, submission)
        _after_review(review, submission)
    else:
        _record(
            actor,
            Event.REVIEW_STARTED if first_save else Event.REVIEW_DRAFT_SAVED,
            review,
            credential,
            submission=submission.pk,
        )
    return review


def _count_agreement(review: Review, submission: Submission) -> None:
    """The second of a hand-in's two blind first-round reviews is in: count the pair of
    levels the two gave each section, for the calibration page (models.AgreementTally)."""
    if review.kind not in selectors.FIRST_ROUND:
        return
    other = (
        Review.objects.filter(
            submission=submission, kind__in=selectors.FIRST_ROUND, state=RState.SUBMITTED
        )
        .exclude(pk=review.pk)
        .first()
    )
    if other is None or other.assessor_id is None or review.assessor_id is None:
        return
    a, b = sorted((review, other), key=lambda r: r.assessor_id or 0)
    levels = {
        (review_id, section_id): position
        for review_id, section_id, position in SectionScore.objects.filter(
            review__in=(a, b), level__isnull=False
        ).values_list("review_id", "section_id", "level__position")
    }
    month = timezone.localdate().replace(day=1)
    where = {
        "organization_id": submission.attempt.version.credential.organization_id,
        "school_id": submission.attempt.organization_id,
        "assessor_a_id": a.assessor_id,
        "assessor_b_id": b.assessor_id,
        "month": month,
    }
    _tally_add(DoubleScoredTally, where)
    for (review_id, section_id), level_a in levels.items():
        level_b = levels.get((b.pk, section_id))
        if review_id == a.pk and level_b is not None:
            cell = {**where, "section_id": section_id, "level_a": level_a, "level_b": level_b}
            _tally_add(AgreementTally, cell)
            total = {k: v for k, v in cell.items() if k != "school_id"}
            _tally_add(AgreementTotal, total)
            _tally_add(SectionAgreement, _without(total, "assessor_a_id", "assessor_b_id"))
            _tally_add(PairAgreement, _without(total, "section_id"))


def _without(cell: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in cell.items() if k not in keys}


def _tally_add(model: Any, key: dict[str, Any]) -> None:
    """One more of the cell `key` of a tally model (made at 0 the first time)."""
    tally, _ = model.objects.get_or_create(**key)
    model.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def agreement_tallies_rebuild(
    tally: type[AgreementTally] = AgreementTally,
    handins: type[DoubleScoredTally] = DoubleScoredTally,
    scores: type[SectionScore] = SectionScore,
    total: type[AgreementTotal] | None = AgreementTotal,
    by_section: type[SectionAgreement] | None = SectionAgreement,
    by_pair: type[PairAgreement] | None = PairAgreement,
) -> int:
    """Count every double-scored hand-in again from the reviews (a migration passes its
    historical models): for installations that had reviews before the tallies, and for the
    benchmark's generated data. Reads the scores in order, a batch at a time; returns the
    number of hand-ins counted. `total` (or `by_section`, `by_pair`) None: a migration from
    before that model."""
    cells: dict[tuple[Any, ...], int] = defaultdict(int)
    pairs: dict[tuple[Any, ...], int] = defaultdict(int)
    double_scored = scores.objects.filter(review__kind="second", review__state="submitted")
    rows = (
        scores.objects.filter(
            review__submission_id__in=double_scored.values("review__submission_id"),
            review__kind__in=("primary", "second"),
            review__state="submitted",
            review__assessor__isnull=False,
            level__isnull=False,
        )
        .order_by("review__submission_id", "review_id")
        .values_list(
            "review__submission_id",
            "review__assessor_id",
            "review__submitted_at",
            "section_id",
            "level__position",
            "review__submission__attempt__organization_id",
            "review__submission__attempt__version__credential__organization_id",
        )
        .iterator(chunk_size=5000)
    )
    count = 0
    for _, group in groupby(rows, key=lambda row: row[0]):
        by_assessor: dict[int, dict[int, int]] = defaultdict(dict)
        rows_of_handin = list(group)
        for _, assessor_id, _, section_id, position, _, _ in rows_of_handin:
            by_assessor[assessor_id][section_id] = position
        if len(by_assessor) != 2:
            continue
        latest = max((row[2] for row in rows_of_handin if row[2] is not None), default=None)
        if latest is None:
            continue
        school, owner = rows_of_handin[0][5], rows_of_handin[0][6]
        (a, a_levels), (b, b_levels) = sorted(by_assessor.items())
        month = timezone.localdate(latest).replace(day=1)
        where = (owner, school, a, b, month)
        pairs[where] += 1
        count += 1
        for section_id, level_a in a_levels.items():
            if section_id in b_levels:
                cells[(*where, section_id, level_a, b_levels[section_id])] += 1
    totals: dict[tuple[Any, ...], int] = defaultdict(int)
    for (owner, _, a, b, month, section_id, level_a, level_b), n in cells.items():
        totals[(owner, a, b, month, section_id, level_a, level_b)] += n
    with transaction.atomic():
        tally.objects.all().delete()
        handins.objects.all().delete()
        fields = ("organization_id", "school_id", "assessor_a_id", "assessor_b_id", "month")
        handins.objects.bulk_create(
            (handins(**dict(zip(fields, key, strict=True)), count=n) for key, n in pairs.items()),
            batch_size=5000,
        )
        tally.objects.bulk_create(
            (
                tally(
                    **dict(zip((*fields, "section_id", "level_a", "level_b"), key, strict=True)),
                    count=n,
                )
                for key, n in cells.items()
            ),
            batch_size=5000,
        )
        if total is None:
            return count
        total.objects.all().delete()
        without_school = ("organization_id", "assessor_a_id", "assessor_b_id", "month")
        total.objects.bulk_create(
            (
                total(
                    **dict(
                        zip((*without_school, "section_id", "level_a", "level_b"), key, strict=True)
                    ),
                    count=n,
                )
                for key, n in totals.items()
            ),
            batch_size=5000,
        )
        if by_section is None or by_pair is None:
            return count
        agreement_rollups_rebuild(total, by_section, by_pair)
    return count


def agreement_rollups_rebuild(
    total: type[AgreementTotal] = AgreementTotal,
    by_section: type[SectionAgreement] = SectionAgreement,
    by_pair: type[PairAgreement] = PairAgreement,
) -> None:
    """Add the agreement totals up again by section and by pair of assessors (a migration
    passes its historical models)."""
    levels = ("month", "level_a", "level_b")
    rollups: list[tuple[Any, tuple[str, ...]]] = [
        (by_section, ("organization_id", "section_id", *levels)),
        (by_pair, ("organization_id", "assessor_a_id", "assessor_b_id", *levels)),
    ]
    for rollup, keys in rollups:
        rollup.objects.all().delete()
        cells = total.objects.values(*keys).annotate(n=Sum("count")).order_by()
        rollup.objects.bulk_create(
            (
                rollup(**{key: cell[key] for key in keys}, count=cell["n"])
                for cell in cells.iterator(chunk_size=5000)
            ),
            batch_size=5000,
        )


def _after_review(review: Review, submission: Submission) -> None:
    """A review is in: wait for the other, adjudicate a disagreement, or hand it to the issuer."""
    attempt = submission.attempt
    credential = attempt.version.credential
    policy = selectors.policy_for(attempt.version)
    title = _title(submission)
    if review.kind == Kind.APPEAL:
        Appeal.objects.filter(decision__submission=submission, state=Appeal.State.OPEN).update(
            reviewed_at=review.submitted_at or timezone.now()
        )
        notify(
            _staff(credential, (Role.ISSUER,)),
            actor=None,
            verb=Verb.APPEAL_REVIEWED,
            text=f"The appeal review of {_whose(submission)} is in: make the final decision.",
            url=reverse("assessment:decide", args=[submission.pk]),
            subject=subject_of(submission),
            email_template="assessment/email/reviewed",
            context={"submission": submission, "title": title, "appeal": True},
        )
        return
    live = list(
        Review.objects.filter(
            submission=submission, state__in=selectors.LIVE_STATES
        ).select_related("assessor")
    )
    if any(r.state != RState.SUBMITTED for r in live):
        return  # another review is still being written
    first = [r for r in live if r.kind in selectors.FIRST_ROUND]
    adjudicated = any(r.kind == Kind.ADJUDICATION for r in live)
    agree = len({r.recommendation for r in first}) == 1
    if not agree and not adjudicated:
        assessor = _pick(policy.pool, attempt, _reviewers_of(submission))
        _open_review(submission, Kind.ADJUDICATION, policy, assessor)
        _record(
            None,
            Event.SUBMISSION_ADJUDICATION_NEEDED,
            submission,
            credential,
            recommendations=sorted(r.recommendation for r in first),
        )
        return
    earning.submission_reviewed(submission=submission)
    if policy.auto_decide and agree and not adjudicated:
        _decide(
            actor=None,
            submission=submission,
            outcome=first[0].recommendation,
            reason="Decided automatically: the assessors' recommendations agree.",
            appeal=None,
        )
        return
    _record(None, Event.SUBMISSION_REVIEWED, submission, credential)
    notify(
        _staff(credential, (Role.ISSUER,)),
        actor=None,
        verb=Verb.SUBMISSION_REVIEWED,
        text=f"{_whose(submission)} has been reviewed: it waits for your decision.",
        url=reverse("assessment:decide", args=[submission.pk]),
        subject=subject_of(submission),
        email_template="assessment/email/reviewed",
        context={"submission": submission, "title": title, "appeal": False},
    )


@transaction.atomic
def review_decline(*, actor: User, review: Review, reason: str) -> Review:
    """The assessor gives the review back with a reason. In the same transaction it goes to
    the next eligible assessor by the routing rule (an active pool member, not anyone who
    held a review of this hand-in, no conflict of interest, fewest open reviews); when
    nobody is free it waits, unassigned, and the program admins are told. Returns the new
    review: `assessor` is None when it waits."""
    submission = _lock_submission(review.submission)
    review = _lock_review(review)
    _check_review_open(actor, review)
    _check_reviewable(review, submission)
    reason = reason.strip()
    if not reason:
        raise Invalid(
            "Say why you decline, so the program admin can find the right assessor.", field="reason"
        )
    if len(reason) > MAX_TEXT:
        raise Invalid(
            f"The reason has {len(reason):,} characters; the limit is {MAX_TEXT:,}.", field="reason"
        )
    review.state = RState.DECLINED
    review.closed_reason = reason
    review.save(update_fields=["state", "closed_reason", "updated_at"])
    notifications_resolve(subject=subject_of(review))
    attempt = submission.attempt
    policy = selectors.policy_for(attempt.version)
    assessor = _pick(policy.pool, attempt, _reviewers_of(submission))
    replacement = _open_review(submission, review.kind, policy, assessor)
    _record(
        actor,
        Event.REVIEW_DECLINED,
        review,
        attempt.version.credential,
        reason=reason,
        replacement=replacement.assessor_id,
    )
    return replacement


@transaction.atomic
def review_reassign(
    *, actor: User, review: Review, assessor: User | None = None, reason: str = ""
) -> Review:
    """A program admin or issuer gives an open (often overdue) or unassigned review to
    another assessor: the one chosen, or the next eligible one in the pool."""
    submission = _lock_submission(review.submission)
    review = _lock_review(review)
    attempt = submission.attempt
    credential = attempt.version.credential
    permissions.require(actor, "assessment.manage", credential.organization)
    if review.state != RState.UNASSIGNED and not review.is_open:
        raise InvalidTransition(
            f"This review is {review.get_state_display().lower()}; only an open review can be "
            "reassigned."
        )
    _check_reviewable(review, submission)
    reason = reason.strip()
    if review.state != RState.UNASSIGNED and not reason:
        raise Invalid(
            "Say why you reassign it; the assessor who had it will read this.", field="reason"
        )
    policy = selectors.policy_for(attempt.version)
    taken = _reviewers_of(submission)
    if assessor is not None:
        if assessor.pk in taken:
            raise Invalid(
                f"{assessor} already had a review of this hand-in (declined, reassigned or "
                "done); choose someone else.",
                field="assessor",
            )
        if selectors.conflicted_user_ids(attempt, [assessor.pk]):
            raise Invalid(
                f"{assessor} works with this educator (conflict of interest); choose someone else.",
                field="assessor",
            )
        home = policy.pool.organization if policy.pool else credential.organization
        if not selectors.assignable_assessors(review).filter(pk=assessor.pk).exists():
            raise Invalid(f"{assessor} is not an assessor of {home}.", field="assessor")
    else:
        assessor = _pick(policy.pool, attempt, taken)
        if assessor is None:
            raise Invalid(
                "Nobody in the pool is free for this hand-in (without a conflict of interest "
                "and who has not had it). Choose an assessor by name, or add assessors to the "
                "pool.",
                field="assessor",
            )
    previous = review.assessor
    notifications_resolve(subject=subject_of(review))
    if review.state == RState.UNASSIGNED:
        review.assessor = assessor
        review.state = RState.ASSIGNED
        review.due_at = _due(policy)
        review.save(update_fields=["assessor", "state", "due_at", "updated_at"])
        new = review
        _tell_assigned(new, submission)
    else:
        review.state = RState.REASSIGNED
        review.closed_reason = reason
        review.save(update_fields=["state", "closed_reason", "updated_at"])
        new = Review.objects.create(
            submission=submission,
            assessor=assessor,
            pool=policy.pool,
            kind=review.kind,
            due_at=_due(policy),
        )
        _tell_assigned(new, submission)
        if previous is not None:
            notify(
                [previous],
                actor=actor,
                verb=Verb.REVIEW_REASSIGNED,
                text=f"Your review of {_whose(submission)} was given to another assessor: {reason}",
                url=reverse("assessment:index"),
            )
    _record(
        actor,
        Event.REVIEW_REASSIGNED,
        review,
        credential,
        assessor=assessor.pk,
        previous=previous.pk if previous else None,
        reason=reason,
    )
    return new


# ----------------------------------------------------------------------------- deciding


def _schedule_badge(award: Award) -> None:
    """Hand the award to the badges app, which signs its Open Badge once it is committed."""
    lifecycle.announce(lifecycle.Announcement.AWARD_MADE, award_id=award.pk)


def _resubmission(decision: Decision) -> earning.Resubmission:
    """The terms of a "not yet": the sections that did not pass, and the credential's
    resubmission policy counted from this decision."""
    attempt = decision.submission.attempt
    policy = selectors.policy_for(attempt.version)
    wait = policy.resubmit_wait_days
    return earning.Resubmission(
        sections=selectors.sections_to_resubmit(attempt),
        limit=policy.max_resubmissions,
        opens_at=decision.decided_at + timedelta(days=wait) if wait else None,
    )


def award_results_store(*, awards: Sequence[Award]) -> list[AwardResult]:
    """Store what each award decided: the level of every rubric section and the review it
    came from, by the grading rule (`rules`). The decide service calls this for the award
    it makes, in its transaction; bulk loaders (demo data, benchmarks) for theirs. The
    awards are read with their decision's submission."""
    return AwardResult.objects.bulk_create(rules.award_results(awards))


def _decide(
    *,
    actor: User | None,
    submission: Submission,
    outcome: str,
    reason: str,
    appeal: Appeal | None,
) -> Decision:
    credential = submission.attempt.version.credential
    decision = Decision.objects.create(
        submission=submission,
        outcome=outcome,
        reason=reason,
        decided_by=actor,
        automatic=actor is None,
        appeal=appeal,
    )
    attempt = earning.attempt_decide(
        submission=submission,
        state={
            Outcome.AWARD: Attempt.State.EARNED,
            Outcome.NOT_YET: Attempt.State.NOT_YET,
            Outcome.REJECT: Attempt.State.REJECTED,
        }[Outcome(outcome)],
    )
    if outcome == Outcome.NOT_YET:
        earning.attempt_resubmission_set(attempt=attempt, terms=_resubmission(decision))
    if outcome == Outcome.AWARD:
        award = Award.objects.create(attempt=attempt, decision=decision)
        award_results_store(awards=[award])
        _schedule_badge(award)
    if appeal is not None:
        appeal.state = Appeal.State.DECIDED
        appeal.save(update_fields=["state"])
    _record(
        actor,
        Event.SUBMISSION_DECIDED,
        submission,
        credential,
        outcome=outcome,
        automatic=actor is None,
        appeal=appeal.pk if appeal else None,
    )
    # The decision was what the issuers' "waits for your decision" notices asked for.
    notifications_resolve(subject=subject_of(submission))
    title = attempt.version.title
    words = {
        Outcome.AWARD: f"You earned “{title}”. Congratulations!",
        Outcome.NOT_YET: f"“{title}”: not yet. Read the feedback and resubmit.",
        Outcome.REJECT: f"“{title}” was not awarded. Read the decision.",
    }[Outcome(outcome)]
    notify(
        [attempt.educator],
        actor=actor,
        verb=Verb.SUBMISSION_DECIDED,
        text=words,
        url=_feedback_url(attempt),
        # A "not yet" asks for a resubmission, which resolves it.
        subject=subject_of(attempt) if outcome == Outcome.NOT_YET else "",
        email_template="assessment/email/decided",
        context={"decision": decision, "title": title, "attempt": attempt},
    )
    verdict = {
        Outcome.AWARD: "awarded",
        Outcome.NOT_YET: "not yet (a resubmission can follow)",
        Outcome.REJECT: "not awarded",
    }[Outcome(outcome)]
    notify(
        earning.attempt_followers(attempt),
        actor=actor,
        verb=Verb.SUBMISSION_DECIDED,
        text=f"Decision on {_whose(submission)}: {verdict}.",
        url=attempt.get_absolute_url(),
    )
    return decision


@transaction.atomic
def submission_decide(
    *,
    actor: User,
    submission: Submission,
    outcome: str,
    reason: str,
    appeal: Appeal | None = None,
) -> Decision:
    """The issuer of record decides on a reviewed hand-in (or, with `appeal`, makes the final
    decision after an appeal review)."""
    submission = _lock_submission(submission)
    credential = submission.attempt.version.credential
    permissions.require(actor, "assessment.decide", credential.organization)
    if outcome not in Outcome.values:
        raise Invalid("Choose a decision: award, not yet, or reject.", field="outcome")
    reason = reason.strip()
    if outcome in (Outcome.NOT_YET, Outcome.REJECT) and not reason:
        raise Invalid(
            "Give the educator a reason: what falls short and what a resubmission needs."
            if outcome == Outcome.NOT_YET
            else "Say why the submission is rejected (academic integrity).",
            field="reason",
        )
    if appeal is not None:
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        if appeal.decision.submission_id != submission.pk:
            raise InvalidTransition("That appeal is about another hand-in.")
        if appeal.state != Appeal.State.OPEN:
            raise InvalidTransition("This appeal has been decided already.")
        if not Review.objects.filter(
            submission=submission, kind=Kind.APPEAL, state=RState.SUBMITTED
        ).exists():
            raise InvalidTransition(
                "The appeal review is not in yet; decide once the assessor has submitted it."
            )
    else:
        if Decision.objects.filter(submission=submission).exists():
            raise InvalidTransition(
                "This hand-in has been decided already; a decision can only change through an "
                "appeal by the educator."
            )
        if submission.state != SState.REVIEWED:
            raise InvalidTransition(
                f"This hand-in is {submission.get_state_display().lower()}; only a reviewed "
                "hand-in can be decided."
            )
    return _decide(
        actor=actor, submission=submission, outcome=outcome, reason=reason, appeal=appeal
    )


# ----------------------------------------------------------------------------- appeals


@transaction.atomic
def appeal_file(*, actor: User, decision: Decision, reason: str) -> Appeal:
    """The educator appeals a "not yet" or "reject" once; a different assessor reviews the
    hand-in again, then the issuer makes the final decision."""
    submission = _lock_submission(decision.submission)
    decision = Decision.objects.get(pk=decision.pk)
    attempt = Attempt.objects.select_for_update().get(pk=submission.attempt_id)
    credential = submission.attempt.version.credential
    if attempt.educator_id != actor.pk:
        raise InvalidTransition("Only the educator who handed this in can appeal its decision.")
    if decision.outcome == Outcome.AWARD:
        raise InvalidTransition("An award cannot be appealed.")
    if decision.appeal_id is not None:
        raise InvalidTransition(
            "This is the final decision on an appeal; it cannot be appealed again."
        )
    if Appeal.objects.filter(decision=decision).exists():
        raise InvalidTransition("You appealed this decision already.")
    latest = attempt.submissions.order_by("-number").values_list("pk", flat=True).first()
    if latest != submission.pk or attempt.state not in (
        Attempt.State.NOT_YET,
        Attempt.State.REJECTED,
    ):
        raise InvalidTransition("Only the decision on your latest hand-in can be appealed.")
    if (
        attempt.state == Attempt.State.REJECTED
        and Attempt.objects.filter(educator=attempt.educator, version=attempt.version)
        .exclude(pk=attempt.pk)
        .exclude(state__in=(Attempt.State.WITHDRAWN, Attempt.State.REJECTED))
        .exists()
    ):
        raise InvalidTransition(
            "You started a new attempt at this credential, so this decision can no longer be appealed."
        )
    reason = reason.strip()
    if not reason:
        raise Invalid(
            "Say why you appeal: what in the evidence the assessment missed.", field="reason"
        )
    if len(reason) > MAX_TEXT:
        raise Invalid(
            f"The reason has {len(reason):,} characters; the limit is {MAX_TEXT:,}.", field="reason"
        )
    appeal = Appeal.objects.create(decision=decision, reason=reason, created_by=actor)
    # While the appeal is open the attempt is being assessed again: no resubmission.
    attempt = earning.attempt_reopen_for_appeal(attempt=attempt)
    policy = selectors.policy_for(attempt.version)
    assessor = _pick(policy.pool, attempt, _reviewers_of(submission))
    _open_review(submission, Kind.APPEAL, policy, assessor)
    _record(actor, Event.DECISION_APPEALED, submission, credential, decision=decision.pk)
    title = attempt.version.title
    notify(
        _staff(credential, (Role.ISSUER, Role.ADMIN)),
        actor=actor,
        verb=Verb.DECISION_APPEALED,
        text=f"{attempt.educator} appealed the decision on {_whose(submission)}.",
        url=reverse("assessment:decide", args=[submission.pk]),
        subject=subject_of(submission),
        email_template="assessment/email/appeal_filed",
        context={"appeal": appeal, "title": title, "attempt": attempt},
    )
    return appeal


# ----------------------------------------------------------------------------- pools


@dataclass(frozen=True)
class PoolSettings:
    name: str
    turnaround_days: int = 14
    double_scoring: bool = False
    auto_decide: bool = False
    max_resubmissions: int = 2
    resubmit_wait_days: int = 0


def _check_settings(data: PoolSettings) -> None:
    if not data.name.strip():
        raise Invalid("Give the pool a name.", field="name")
    if not 1 <= data.turnaround_days <= 90:
        raise Invalid("The turnaround must be between 1 and 90 days.", field="turnaround_days")
    if not 0 <= data.max_resubmissions <= 10:
        raise Invalid("Allow between 0 and 10 resubmissions.", field="max_resubmissions")
    if not 0 <= data.resubmit_wait_days <= 365:
        raise Invalid(
            "The waiting period must be between 0 and 365 days.", field="resubmit_wait_days"
        )


@transaction.atomic
def pool_create(
    *,
    actor: User,
    organization: Organization,
    credential: Credential | None,
    data: PoolSettings,
) -> AssessorPool:
    permissions.require(actor, "assessment.manage", organization)
    _check_settings(data)
    if credential is not None and credential.organization_id != organization.pk:
        raise Invalid("Choose a credential of this organization.", field="credential")
    existing = AssessorPool.objects.filter(organization=organization, credential=credential)
    if existing.exists():
        raise Invalid(
            f"{organization} already has a pool for “{credential}”."
            if credential
            else f"{organization} already has a general pool.",
            field="credential",
        )
    pool = AssessorPool.objects.create(
        organization=organization,
        credential=credential,
        name=data.name.strip(),
        turnaround_days=data.turnaround_days,
        double_scoring=data.double_scoring,
        auto_decide=data.auto_decide,
        max_resubmissions=data.max_resubmissions,
        resubmit_wait_days=data.resubmit_wait_days,
    )
    audit.record(actor, Event.POOL_CREATED, pool, organization=organization, name=pool.name)
    return pool


@transaction.atomic
def pool_update(*, actor: User, pool: AssessorPool, data: PoolSettings) -> AssessorPool:
    pool = AssessorPool.objects.select_for_update().select_related("organization").get(pk=pool.pk)
    permissions.require(actor, "assessment.manage", pool.organization)
    _check_settings(data)
    for name in (
        "turnaround_days",
        "double_scoring",
        "auto_decide",
        "max_resubmissions",
        "resubmit_wait_days",
    ):
        setattr(pool, name, getattr(data, name))
    pool.name = data.name.strip()
    pool.save()
    audit.record(actor, Event.POOL_UPDATED, pool, organization=pool.organization, name=pool.name)
    return pool


@transaction.atomic
def pool_member_add(*, actor: User, pool: AssessorPool, assessor: User) -> PoolMember:
    pool = AssessorPool.objects.select_for_update().select_related("organization").get(pk=pool.pk)
    permissions.require(actor, "assessment.manage", pool.organization)
    if not selectors.assessor_candidates(pool.organization).filter(pk=assessor.pk).exists():
        raise Invalid(f"{assessor} is not an assessor of {pool.organization}.", field="assessor")
    member, created = PoolMember.objects.get_or_create(pool=pool, assessor=assessor)
    if not created and member.active:
        raise Invalid(f"{assessor} is in this pool already.", field="assessor")
    if not created:
        member.active = True
        member.save(update_fields=["active"])
    audit.record(
        actor, Event.POOL_MEMBER_ADDED, pool, organization=pool.organization, assessor=assessor.pk
    )
    return member


@transaction.atomic
def pool_member_remove(*, actor: User, pool: AssessorPool, member: PoolMember) -> None:
    """Take an assessor out of the pool: no new reviews; the open ones stay theirs until
    reassigned."""
    pool = AssessorPool.objects.select_for_update().select_related("organization").get(pk=pool.pk)
    permissions.require(actor, "assessment.manage", pool.organization)
    if member.pool_id != pool.pk or not member.active:
        raise Invalid("That assessor is not in this pool.")
    member.active = False
    member.save(update_fields=["active"])
    audit.record(
        actor,
        Event.POOL_MEMBER_REMOVED,
        pool,
        organization=pool.organization,
        assessor=member.assessor_id,
    )


# ----------------------------------------------------------------------------- reminders


# Reminders go out at most once a day per review, however often the task runs.
REMIND_EVERY = timedelta(hours=23)


def reviews_to_remind() -> list[Review]:
    now = timezone.now()
    soon = now + timedelta(days=selectors.DUE_SOON_DAYS)
    return list(
        Review.objects.filter(state__in=("assigned", "draft"), due_at__lte=soon)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .exclude(assessor=None)
        .select_related(
            "assessor",
            "submission__attempt__educator",
            "submission__attempt__version__credential__organization",
        )
        .order_by("due_at", "id")
    )


@transaction.atomic
def reviews_remind() -> int:
    """Tell each assessor about their reviews due within two days or overdue (once a day)."""
    now = timezone.now()
    reviews = reviews_to_remind()
    for review in reviews:
        overdue = review.due_at < now
        title = review.submission.attempt.version.title
        whose, due = _whose(review.submission), _day(review.due_at)
        notify(
            [review.assessor] if review.assessor else [],
            actor=None,
            verb=Verb.REVIEW_OVERDUE if overdue else Verb.REVIEW_DUE_SOON,
            text=(
                f"Your review of {whose} is overdue (it was due {due})."
                if overdue
                else f"Your review of {whose} is due {due}."
            ),
            url=review.get_absolute_url(),
            subject=subject_of(review),
            email_template="assessment/email/overdue" if overdue else "assessment/email/due_soon",
            context={"review": review, "title": title},
        )
        # One event per reminded review, not one per run: the question an auditor asks is
        # "was this assessor told before their review was taken away?", about one review, in
        # the organization that owns it (a per-run event would belong to no organization).
        _record(
            None,
            Event.REVIEW_REMINDED,
            review,
            review.submission.attempt.version.credential,
            assessor=review.assessor_id,
            overdue=overdue,
            due_at=review.due_at.isoformat(),
        )
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(reminded_at=now)
    return len(reviews)
