"""District programs: stacks of credentials an organization runs as one pathway.

A stack is designed by a program admin of its organization (a district, a state) and, once
published, is offered to the educators under it with their progress toward it. What counts
toward a stack is the educators' earned credentials (earning's attempts); nothing here
changes an award.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from microcred.catalog.models import Credential
from microcred.core import tenancy
from microcred.core.models import Organization, User


class StackQuerySet(models.QuerySet["Stack"]):
    def published(self) -> StackQuerySet:
        return self.filter(published_at__isnull=False)

    def offered_to(self, user: User) -> StackQuerySet:
        """Published stacks of the organizations the user belongs to and those above them."""
        return self.published().filter(organization_id__in=sorted(tenancy.ancestor_ids(user)))

    def designed_by(self, user: User) -> StackQuerySet:
        return self.filter(tenancy.within(user, "programs.manage"))


class Stack(models.Model):
    """A set of credentials with a rule for completing it."""

    class Rule(models.TextChoices):
        ALL = "all", "All of them"
        ANY_N = "any_n", "A number of them"
        REQUIRED_PLUS = "required_plus", "The required ones and a number of the others"
        # Each educator agrees `choose` of the credentials with her school leader
        # (a StackAgreement); she completes the stack by earning the ones agreed.
        AGREED = "agreed", "A number of them, agreed with the school leader"

    class Grant(models.TextChoices):
        NOTHING = "", "No endorsement or status"
        ENDORSEMENT = "endorsement", "An endorsement"
        STATUS = "status", "A status (e.g. teacher leader)"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=90, unique=True)
    title = models.CharField(max_length=160)
    summary = models.TextField(blank=True)
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.ALL)
    # ANY_N: how many of the credentials; REQUIRED_PLUS: how many of the electives.
    choose = models.PositiveSmallIntegerField(null=True, blank=True)
    grants = models.CharField(max_length=20, choices=Grant.choices, blank=True, default="")
    grant_title = models.CharField(max_length=120, blank=True)
    grant_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Paid by the program (ProgramTerms of the stack's organization): once on completion, and
    # each year the status it grants stands (e.g. $3,000 a year for teacher leaders).
    stipend_on_completion = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    stipend_per_year = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = StackQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("programs:stack", args=[self.slug])

    @property
    def rule_text(self) -> str:
        """The rule in a sentence, for the stack's page."""
        return rule_text(self.rule, self.choose, len(self.parts), self.required_count)

    @property
    def parts(self) -> list[StackComponent]:
        return list(self.components.all())

    @property
    def required_count(self) -> int:
        return sum(1 for part in self.parts if part.required)


def rule_text(rule: str, choose: int | None, total: int, required: int) -> str:
    if rule == Stack.Rule.ALL:
        return f"Earn all {total} credentials."
    if rule == Stack.Rule.ANY_N:
        return f"Earn any {choose} of these {total} credentials."
    if rule == Stack.Rule.AGREED:
        return (
            f"Agree {choose} of these {total} credentials with your school leader, then earn "
            "the ones agreed."
        )
    electives = total - required
    return f"Earn the {required} required credentials and {choose} of the {electives} others."


class StackComponent(models.Model):
    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="components")
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["stack", "credential"], name="stack_credential_once")
        ]

    def __str__(self) -> str:
        return f"{self.stack}: {self.credential}"


class StackCompletion(models.Model):
    """An educator completed a stack: its badge was issued once, and the endorsement or status
    the stack grants runs until `status_until` (none: it does not lapse) unless it ended
    (`ended_at`: the badge was revoked, or a credential it counts was)."""

    stack = models.ForeignKey(Stack, on_delete=models.PROTECT, related_name="completions")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField()
    # The first copy of the stack's badge (a re-issued copy supersedes it; badges.pages.current_copy).
    credential = models.OneToOneField(
        "badges.IssuedCredential", on_delete=models.PROTECT, related_name="+"
    )
    # The credentials it counted, as the badge names them.
    counted = models.ManyToManyField(Credential, related_name="+")
    status_title = models.CharField(max_length=120, blank=True)  # the grant, as it was then
    status_until = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stack", "educator"], name="stack_completed_once")
        ]
        indexes = [models.Index(fields=["educator", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.educator} completed {self.stack}"

    def holds_status(self, now: Any) -> bool:
        """Whether the endorsement or status it granted stands at `now`."""
        return (
            bool(self.status_title)
            and self.ended_at is None
            and (self.status_until is None or self.status_until > now)
        )


class StackAgreement(models.Model):
    """An educator's personal plan for a stack whose rule is "agreed": the credentials she
    chose, her growth goal and target date, agreed with a school leader of her school.

    Every proposal is a new `AgreementVersion`; the leader decides on the latest. The
    approved version stays in force while a change waits for approval again."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the school leader"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    stack = models.ForeignKey(Stack, on_delete=models.PROTECT, related_name="agreements")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Where she teaches when she proposed it: its school leaders (and those above) decide.
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The state of the latest version (what waits for whom); `approved` is the one in force.
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    approved = models.ForeignKey(
        "AgreementVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stack", "educator"], name="stack_agreed_once")
        ]
        indexes = [
            models.Index(fields=["school", "state", "updated_at"]),
            models.Index(fields=["educator", "updated_at"]),
            # A state's or district's lists, newest (or oldest waiting) first, stop at a page:
            # read in index order, not all sorted.
            models.Index(
                fields=["-updated_at"],
                condition=models.Q(approved__isnull=False),
                name="agreements_followed",
            ),
            models.Index(
                fields=["updated_at"],
                condition=models.Q(state="proposed"),
                name="agreements_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.educator}: {self.stack}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("programs:agreement", args=[self.pk])

    @property
    def waiting(self) -> bool:
        """A proposal waits for the school leader's decision."""
        return self.state == self.State.PROPOSED


class AgreementVersion(models.Model):
    """One proposal of an agreement, and the leader's decision on it (none yet: waiting)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        DECLINED = "declined", "Declined"
        REPLACED = "replaced", "Replaced by a newer proposal before a decision"

    agreement = models.ForeignKey(StackAgreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    credentials = models.ManyToManyField(Credential, related_name="+")
    growth_goal = models.TextField()
    target_date = models.DateField()
    proposed_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} (version {self.number})"


# ----------------------------------------------------------------------------- fees, stipends


class ProgramTerms(models.Model):
    """The money of an organization's program (a district's, a state's): the assessment fee
    and who pays it, the stipend per earned credential. Stacks carry their own stipends;
    `SchoolBudget` caps what each school's educators are paid in a year."""

    class Payer(models.TextChoices):
        DISTRICT = "district", "The district"
        EDUCATOR = "educator", "The educator"

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="program_terms"
    )
    currency = models.CharField(max_length=3, default="USD")
    assessment_fee = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    fee_payer = models.CharField(max_length=10, choices=Payer.choices, default=Payer.DISTRICT)
    credential_stipend = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Program terms of {self.organization}"


class SchoolBudget(models.Model):
    """The most the program pays for a school's educators in a calendar year: approving an
    entry past it is refused."""

    terms = models.ForeignKey(ProgramTerms, on_delete=models.CASCADE, related_name="budgets")
    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["terms", "school", "year"], name="budget_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}: {self.amount}"


class FeeWaiver(models.Model):
    """The assessment fee is waived for an educator (hardship, a grant) until ended."""

    terms = models.ForeignKey(ProgramTerms, on_delete=models.CASCADE, related_name="waivers")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["terms", "educator", "ended_at"])]

    def __str__(self) -> str:
        return f"Fee waived for {self.educator}"


class LedgerEntry(models.Model):
    """One line of a program's ledger, written by the service that caused it (a hand-in, an
    award, a completed stack, a year of a status, a revocation) and never changed after:
    a revocation adds a reversing entry; the program admin's approval stamps it once.

    `amount` is what the educator is paid (positive) or charged (negative); `district_cost`
    is what it costs the program's budget. A waived fee is an entry of zero with its reason."""

    class Kind(models.TextChoices):
        FEE = "fee", "Assessment fee"
        CREDENTIAL_STIPEND = "credential_stipend", "Stipend for a credential"
        STACK_STIPEND = "stack_stipend", "Stipend for a completed stack"
        STATUS_STIPEND = "status_stipend", "Yearly stipend for a status"
        REVERSAL = "reversal", "Reversal"

    terms = models.ForeignKey(ProgramTerms, on_delete=models.PROTECT, related_name="entries")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    district_cost = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=300)
    # What caused it (one of them, by kind), which also keeps it to one entry per cause.
    attempt = models.ForeignKey(
        "earning.Attempt", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award = models.ForeignKey(
        "assessment.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion = models.ForeignKey(
        StackCompletion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_year = models.PositiveSmallIntegerField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt"], condition=models.Q(kind="fee"), name="fee_once_per_attempt"
            ),
            models.UniqueConstraint(
                fields=["award"],
                condition=models.Q(kind="credential_stipend"),
                name="stipend_once_per_award",
            ),
            models.UniqueConstraint(
                fields=["completion"],
                condition=models.Q(kind="stack_stipend"),
                name="stipend_once_per_completion",
            ),
            models.UniqueConstraint(
                fields=["completion", "status_year"],
                condition=models.Q(kind="status_stipend"),
                name="status_stipend_once_a_year",
            ),
        ]
        indexes = [
            models.Index(fields=["terms", "approved_at"]),
            models.Index(fields=["terms", "school", "created_at"]),
            # The ledger page's year by school and by educator, read from the index alone.
            models.Index(
                fields=[
                    "terms",
                    "created_at",
                    "school",
                    "educator",
                    "approved_at",
                    "amount",
                    "district_cost",
                ],
                name="ledger_by_terms_year",
            ),
            # The dashboard's spending per school, read from the index alone (PostgreSQL).
            models.Index(
                fields=["school", "created_at", "currency", "approved_at", "district_cost"],
                name="ledger_cost_by_school",
            ),
            models.Index(fields=["educator", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.educator})"


# ----------------------------------------------------------------------------- licensure credit


def hours_text(value: Any) -> str:
    """Hours as people write them: 1.50 → "1.5", 90.00 → "90"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class CreditEntry(models.Model):
    """Licensure credit an educator earned with one award: the credit hours of the version
    she earned and the standards it counts toward, copied when the award was made
    (`licensure.credit_record`). It is never deleted: when the award's badge is revoked the
    entry is marked (`revoked_at`) and stops counting; reinstating the badge clears the mark.

    Hours only: a credential carries clock hours; a renewal rule that counts in CEUs divides
    by ten (`RenewalRule.Unit`)."""

    award = models.OneToOneField(
        "assessment.Award", on_delete=models.PROTECT, related_name="credit_entry"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Where she worked when she earned it (the attempt's organization): her school's leaders
    # and program admins count it.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        "catalog.CredentialVersion", on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    # [{"framework": ..., "code": ..., "name": ...}], as the version listed them.
    standards = models.JSONField(default=list, blank=True)
    earned_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "credit entries"
        indexes = [
            models.Index(fields=["educator", "earned_at"]),
            # The dashboard's credit hours, read from the index alone (PostgreSQL).
            models.Index(
                fields=["organization", "earned_at", "educator", "hours"],
                condition=models.Q(revoked_at__isnull=True),
                name="credit_counted_by_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h for {self.educator} ({self.version})"

    @property
    def counts(self) -> bool:
        return self.revoked_at is None

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


class RenewalRuleQuerySet(models.QuerySet["RenewalRule"]):
    def applying_to(self, user: User) -> RenewalRuleQuerySet:
        """Rules in force of the organizations the user belongs to and those above them."""
        return self.filter(active=True, organization_id__in=sorted(tenancy.ancestor_ids(user)))

    def managed_by(self, user: User) -> RenewalRuleQuerySet:
        return self.filter(tenancy.within(user, "programs.manage"))


class RenewalRule(models.Model):
    """A state's (or district's) license renewal requirement: `required` credit hours (or
    CEUs) in every cycle of `cycle_years` years. Cycles follow one another from
    `cycles_start_on`, unless an educator gives the date her own license cycle began
    (`CreditCycleStart`)."""

    class Unit(models.TextChoices):
        HOURS = "hours", "Credit hours"
        CEUS = "ceus", "CEUs (1 CEU = 10 hours)"

    HOURS_PER_CEU = 10

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    required = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.HOURS)
    cycle_years = models.PositiveSmallIntegerField()
    cycles_start_on = models.DateField()
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RenewalRuleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="renewal_rule_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licensure:rule", args=[self.pk])

    @property
    def required_text(self) -> str:
        return hours_text(self.required)

    @property
    def required_hours(self) -> Any:
        """What a cycle asks for, in hours."""
        if self.unit == self.Unit.CEUS:
            return self.required * self.HOURS_PER_CEU
        return self.required


class CreditCycleStart(models.Model):
    """The day an educator's own renewal cycle under a rule began (her license's date); her
    cycles follow one another from it instead of from the rule's `cycles_start_on`."""

    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(RenewalRule, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["educator", "rule"], name="credit_cycle_start_once")
        ]

    def __str__(self) -> str:
        return f"{self.educator}: {self.rule} from {self.starts_on}"


# ----------------------------------------------------------------------------- recommendations


class Recommendation(models.Model):
    """A school leader or program admin recommends, or assigns, a credential to an educator,
    with a reason and perhaps a date; she sees it on her home page until she earns it (or
    dismisses a recommendation: an assignment stays)."""

    class Kind(models.TextChoices):
        RECOMMENDED = "recommended", "Recommended"
        ASSIGNED = "assigned", "Assigned"

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="+")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Where the recommender acted: the educator's school or an organization above it.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "educator"],
                condition=models.Q(dismissed_at__isnull=True),
                name="recommended_once_while_open",
            )
        ]
        indexes = [
            models.Index(fields=["educator", "dismissed_at", "created_at"]),
            models.Index(fields=["recommended_by", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.credential} to {self.educator}"
