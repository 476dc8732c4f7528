"""Assessor pools, reviews with per-section scores, decisions, appeals and awards.

A pool belongs to the organization that issues a credential and holds the program's
assessment policy for it (turnaround, double scoring, auto-decision, resubmission
limits). A Review is one assessor's work on one submission, from assignment to a
submitted recommendation; declining or reassigning closes it and a new one is made.
The issuer of record turns reviewed submissions into a Decision; "award" makes an
Award (the signed badge comes later from the badges app).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from microcred.catalog.models import Credential, PerformanceLevel, RubricSection
from microcred.core import tenancy
from microcred.core.models import Organization
from microcred.earning.models import Attempt, Submission


class AssessorPoolQuerySet(models.QuerySet["AssessorPool"]):
    def visible_to(self, user: Any) -> AssessorPoolQuerySet:
        return self.filter(tenancy.within(user, "assessment.manage"))


class AssessorPool(models.Model):
    """Qualified assessors for one credential (or, without one, for every credential of
    the organization), and the assessment policy that goes with them."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessor_pools"
    )
    # PROTECT: a designer discarding a draft credential must not delete the pool a program
    # admin set up for it (catalog.services.credential_discard refuses instead).
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="pools"
    )
    name = models.CharField(max_length=160)
    turnaround_days = models.PositiveSmallIntegerField(default=14)
    double_scoring = models.BooleanField(
        default=False, help_text="Two assessors score each submission without seeing each other."
    )
    auto_decide = models.BooleanField(
        default=False, help_text="Decide automatically when the reviews agree."
    )
    max_resubmissions = models.PositiveSmallIntegerField(default=2)
    resubmit_wait_days = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessorPoolQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "credential"], name="one_pool_per_credential"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(credential__isnull=True),
                name="one_general_pool_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PoolMember(models.Model):
    pool = models.ForeignKey(AssessorPool, on_delete=models.CASCADE, related_name="members")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_memberships"
    )
    qualified_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pool", "assessor"], name="one_membership_per_pool")
        ]

    def __str__(self) -> str:
        return f"{self.assessor} in {self.pool}"


class ReviewQuerySet(models.QuerySet["Review"]):
    OPEN = ("assigned", "draft")

    def open(self) -> ReviewQuerySet:
        return self.filter(state__in=self.OPEN)

    def visible_to(self, user: Any) -> ReviewQuerySet:
        """An assessor's own reviews; every review of the credentials the user runs."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(assessor=user.pk)
            | tenancy.within(
                user,
                "assessment.manage",
                field="submission__attempt__version__credential__organization",
            )
        )


class Review(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "Review"
        SECOND = "second", "Second scoring"
        ADJUDICATION = "adjudication", "Adjudication"
        APPEAL = "appeal", "Appeal review"

    class State(models.TextChoices):
        UNASSIGNED = "unassigned", "Waiting for an assessor"
        ASSIGNED = "assigned", "Assigned"
        DRAFT = "draft", "Draft saved"
        SUBMITTED = "submitted", "Submitted"
        DECLINED = "declined", "Declined"
        REASSIGNED = "reassigned", "Reassigned"

    class Recommendation(models.TextChoices):
        AWARD = "award", "Award"
        NOT_YET = "not_yet", "Not yet"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    # Empty while the review waits for a program admin to assign it by hand (no pool, or no
    # eligible assessor left in it): the slot keeps the submission in the "Unassigned" list.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    pool = models.ForeignKey(
        AssessorPool, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRIMARY)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ASSIGNED)
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)  # why it was declined or reassigned
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last due/overdue reminder
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assessor", "state", "due_at"]),
            # The assessor's queue, in order, without sorting every open review.
            models.Index(
                fields=["assessor", "due_at", "id"],
                condition=Q(state__in=("assigned", "draft")),
                name="review_open_queue",
            ),
            models.Index(fields=["submission", "state"]),
            models.Index(fields=["state", "due_at"]),
            # Every open review, soonest due first: a state's overdue list reads its first
            # rows instead of sorting every open review of the state.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(state__in=("assigned", "draft")),
                name="review_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.assessor} of {self.submission}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:review", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.state in ReviewQuerySet.OPEN


class SectionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    section = models.ForeignKey(RubricSection, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        PerformanceLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["section__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "section"], name="one_score_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.level}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        AWARD = "award", "Award"
        NOT_YET = "not_yet", "Not yet"
        REJECT = "reject", "Reject (academic integrity)"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    # Set on the final decision that answers an appeal.
    appeal = models.OneToOneField(
        "Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="final_decision"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"], condition=Q(appeal__isnull=True), name="one_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.submission}"


class Appeal(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Being reviewed"
        DECIDED = "decided", "Decided"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appealed_by")
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When its appeal review came in (the issuer's final decision is due): the issuer's list
    # of appeals ready reads these few rows instead of testing every open appeal's reviews.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(state="open", reviewed_at__isnull=False),
                name="appeal_ready",
            )
        ]

    def __str__(self) -> str:
        return f"Appeal of {self.decision}"


class Award(models.Model):
    """The educator earned the credential version. The signed badge is made from this."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="award")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="award")
    awarded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Award: {self.attempt}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:certificate", args=[self.public_id])


class AwardResult(models.Model):
    """The level one rubric section reached in an award, as decided, and the review it came
    from (`assessment.rules`): stored with the award, so its badge says what was decided
    whatever happens to the reviews later."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="results")
    section = models.ForeignKey(RubricSection, on_delete=models.PROTECT, related_name="+")
    # Empty when the deciding review left the section without a level.
    level = models.ForeignKey(
        PerformanceLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    # Passed in an earlier hand-in and not handed in again (a resubmission).
    carried_over = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["award", "section"], name="one_result_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.level}"


class AgreementTally(models.Model):
    """How often two blind scorers gave a section each pair of levels, per month and per
    educator's organization: what the calibration page reads. Counted when the second of a
    hand-in's two first-round reviews is submitted (`services.agreement_count`), so the page
    reads a number of rows bounded by the rubric, the pairs and the months asked for,
    whatever the history."""

    organization = models.ForeignKey(  # runs the assessment: the credential's owner
        Organization, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(  # the educator's organization (the attempt's)
        Organization, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(RubricSection, on_delete=models.CASCADE, related_name="+")
    assessor_a = models.ForeignKey(  # the lower id of the two
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assessor_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # the first day of the month the second review came in
    level_a = models.PositiveSmallIntegerField()  # level positions, 0 the lowest
    level_b = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "section",
                    "assessor_a",
                    "assessor_b",
                    "school",
                    "month",
                    "level_a",
                    "level_b",
                ],
                name="agreement_tally_cell",
            )
        ]
        indexes = [models.Index(fields=["organization", "month"])]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.level_a}/{self.level_b} × {self.count}"


class AgreementTotal(models.Model):
    """The agreement tallies over every school of the organization: the same cells as
    AgreementTally without the educator's organization, counted beside them. The report
    reads these when no school is chosen, so a state's report reads a row per section, pair,
    month and pair of levels (tens of thousands), not one per school as well (hundreds of
    thousands)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(RubricSection, on_delete=models.CASCADE, related_name="+")
    assessor_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assessor_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    level_a = models.PositiveSmallIntegerField()
    level_b = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "assessor_a", "assessor_b", "month", "level_a", "level_b"],
                name="agreement_total_cell",
            )
        ]
        indexes = [models.Index(fields=["organization", "month"])]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.level_a}/{self.level_b} × {self.count}"


class SectionAgreement(models.Model):
    """AgreementTotal added up over the pairs of assessors: per section, month and pair of
    levels, what the report's table of sections reads (a state: ~21,000 rows, not 40,000)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(RubricSection, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    level_a = models.PositiveSmallIntegerField()
    level_b = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "month", "level_a", "level_b"], name="section_agreement_cell"
            )
        ]
        indexes = [models.Index(fields=["organization", "month"])]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.level_a}/{self.level_b} × {self.count}"


class PairAgreement(models.Model):
    """AgreementTotal added up over the rubric sections: per pair of assessors, month and pair
    of levels, what the report's tables of pairs and assessors read (a state: ~6,000 rows)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assessor_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assessor_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    level_a = models.PositiveSmallIntegerField()
    level_b = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "assessor_a", "assessor_b", "month", "level_a", "level_b"],
                name="pair_agreement_cell",
            )
        ]
        indexes = [models.Index(fields=["organization", "month"])]

    def __str__(self) -> str:
        return f"{self.assessor_a_id}/{self.assessor_b_id}: {self.level_a}/{self.level_b}"


class DoubleScoredTally(models.Model):
    """How many hand-ins two blind scorers both scored, per pair, month and educator's
    organization (the calibration page's "from N hand-ins")."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assessor_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assessor_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "school", "assessor_a", "assessor_b", "month"],
                name="double_scored_tally_cell",
            )
        ]
        indexes = [models.Index(fields=["organization", "month"])]

    def __str__(self) -> str:
        return f"{self.assessor_a_id} & {self.assessor_b_id}, {self.month:%Y-%m}: {self.count}"
