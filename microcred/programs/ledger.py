"""Fees and stipends: the program's ledger.

Entries are written by the lifecycle, never typed in: a hand-in owes the assessment fee (once
per attempt: a resubmission is not charged again), an award pays the stipend per credential
(once per award), a completed stack pays its stipend and the first year of the status it
grants, each later year of a standing status pays again (`status_stipends_due`, hourly), and
a revocation adds an entry that reverses what the revoked award or stack badge was paid.
Nothing is ever edited or deleted; the program admin approves entries (refused past a
school's yearly budget) and exports the approved ones of a month as a payroll CSV.

Each cause has at most one entry, by database constraint, so two workers handling the same
award at once pay it once: the second insert fails inside its savepoint and is skipped."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges.models import IssuedCredential
from microcred.core import audit, permissions
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Organization, User
from microcred.earning.models import Submission
from microcred.earning.services import home_organization
from microcred.programs.models import (
    FeeWaiver,
    LedgerEntry,
    ProgramTerms,
    SchoolBudget,
    Stack,
    StackCompletion,
)

Kind = LedgerEntry.Kind
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("99999.99")
CURRENCIES = ("USD", "CAD", "EUR", "GBP", "AUD")
APPROVE_AT_ONCE = 500  # entries one approval may cover


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def format_money(value: Decimal, currency: str) -> str:
    sign = "−" if value < 0 else ""
    symbol = "$" if currency in ("USD", "CAD", "AUD") else f"{currency} "
    return f"{sign}{symbol}{abs(value):,.2f}"


# ----------------------------------------------------------------------------- terms


def terms_for(organization: Organization) -> ProgramTerms | None:
    """The terms of the nearest organization at or above `organization` that has a program."""
    found = {
        t.organization_id: t
        for t in ProgramTerms.objects.filter(
            organization_id__in=organization.ancestor_ids
        ).select_related("organization")
    }
    for organization_id in reversed(organization.ancestor_ids):
        if organization_id in found:
            return found[organization_id]
    return None


def _amount(value: Decimal | None, field: str, label: str) -> Decimal:
    if value is None:
        return ZERO
    try:
        value = money(value)
    except (InvalidOperation, ValueError):
        raise Invalid(f"Give {label} as an amount, e.g. 200.00.", field=field) from None
    if value < 0:
        raise Invalid(f"{label.capitalize()} cannot be negative.", field=field)
    if value > MAX_AMOUNT:
        raise Invalid(f"{label.capitalize()} is at most {MAX_AMOUNT:,}.", field=field)
    return value


@transaction.atomic
def terms_save(
    *,
    actor: User,
    organization: Organization,
    currency: str,
    assessment_fee: Decimal | None,
    fee_payer: str,
    credential_stipend: Decimal | None,
) -> ProgramTerms:
    """Set the organization's program terms; they apply to entries written from now on."""
    permissions.require(actor, "programs.manage", organization)
    if currency not in CURRENCIES:
        raise Invalid("Choose one of the currencies listed.", field="currency")
    if fee_payer not in ProgramTerms.Payer.values:
        raise Invalid("Choose who pays the assessment fee.", field="fee_payer")
    values = {
        "currency": currency,
        "assessment_fee": _amount(assessment_fee, "assessment_fee", "the assessment fee"),
        "fee_payer": fee_payer,
        "credential_stipend": _amount(
            credential_stipend, "credential_stipend", "the stipend per credential"
        ),
        "updated_by": actor,
    }
    terms, _ = ProgramTerms.objects.select_for_update().get_or_create(
        organization=organization, defaults=values
    )
    if terms.entries.exists() and terms.currency != currency:
        raise Invalid(
            f"The ledger already has entries in {terms.currency}; the currency cannot change.",
            field="currency",
        )
    for name, value in values.items():
        setattr(terms, name, value)
    terms.save()
    audit.record(
        actor,
        Event.PROGRAM_TERMS_SET,
        terms,
        organization=organization,
        **{k: str(v) for k, v in values.items() if k != "updated_by"},
    )
    return terms


@transaction.atomic
def stack_stipends_set(
    *, actor: User, stack: Stack, on_completion: Decimal | None, per_year: Decimal | None
) -> Stack:
    stack = Stack.objects.select_for_update().select_related("organization").get(pk=stack.pk)
    permissions.require(actor, "programs.manage", stack.organization)
    stack.stipend_on_completion = _amount(on_completion, "on_completion", "the stack's stipend")
    stack.stipend_per_year = _amount(per_year, "per_year", "the yearly stipend")
    if stack.stipend_per_year and not stack.grant_title:
        raise Invalid(
            "A yearly stipend is paid while a status stands: this stack grants none.",
            field="per_year",
        )
    stack.save(update_fields=["stipend_on_completion", "stipend_per_year"])
    audit.record(
        actor,
        Event.PROGRAM_TERMS_SET,
        stack,
        organization=stack.organization,
        on_completion=str(stack.stipend_on_completion),
        per_year=str(stack.stipend_per_year),
    )
    return stack


@transaction.atomic
def budget_set(
    *, actor: User, terms: ProgramTerms, school: Organization, year: int, amount: Decimal | None
) -> SchoolBudget:
    permissions.require(actor, "programs.manage", terms.organization)
    if terms.organization_id not in school.ancestor_ids:
        raise Invalid("Choose a school of this program.", field="school")
    this_year = timezone.now().year
    if not this_year - 1 <= year <= this_year + 5:
        raise Invalid(f"Choose a year from {this_year - 1} to {this_year + 5}.", field="year")
    if amount is None:
        raise Invalid("Give the budget as an amount, e.g. 5000.00.", field="amount")
    value = _amount(amount, "amount", "the budget")
    budget, _ = SchoolBudget.objects.update_or_create(
        terms=terms, school=school, year=year, defaults={"amount": value}
    )
    audit.record(
        actor,
        Event.PROGRAM_TERMS_SET,
        budget,
        organization=terms.organization,
        school=school.pk,
        year=year,
        budget=str(value),
    )
    return budget


@transaction.atomic
def waiver_grant(*, actor: User, terms: ProgramTerms, educator: User, reason: str) -> FeeWaiver:
    permissions.require(actor, "programs.manage", terms.organization)
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the fee is waived: it shows on the ledger.", field="reason")
    school = home_organization(educator)
    if school is None or terms.organization_id not in school.ancestor_ids:
        raise Invalid("Choose an educator of this program.", field="educator")
    if FeeWaiver.objects.filter(terms=terms, educator=educator, ended_at__isnull=True).exists():
        raise InvalidTransition(f"{educator.get_full_name()}'s fee is already waived.")
    waiver = FeeWaiver.objects.create(
        terms=terms, educator=educator, reason=reason[:300], granted_by=actor
    )
    audit.record(
        actor, Event.FEE_WAIVED, waiver, organization=terms.organization, educator=educator.pk
    )
    return waiver


def waiver_grant_by_email(
    *, actor: User, terms: ProgramTerms, email: str, reason: str
) -> FeeWaiver:
    """`waiver_grant` for the educator with this email (someone outside the program is
    refused the same way as an unknown address)."""
    educator = User.objects.filter(email__iexact=email.strip()).first()
    if educator is None:
        raise Invalid("No educator of this program has that email.", field="email")
    try:
        return waiver_grant(actor=actor, terms=terms, educator=educator, reason=reason)
    except Invalid as error:
        if error.field == "educator":
            raise Invalid("No educator of this program has that email.", field="email") from None
        raise


def ids_from(values: Sequence[str]) -> list[int]:
    """Entry ids from a form's ticked boxes; anything else is refused."""
    if not values:
        raise Invalid("Tick the entries to approve.", field="entries")
    if not all(value.isdigit() and len(value) < 12 for value in values):
        raise Invalid("Some of the entries ticked are not this program's.", field="entries")
    return [int(value) for value in values]


# ----------------------------------------------------------------------------- entries


def _write(**fields: object) -> LedgerEntry | None:
    """Insert one entry, or nothing when its cause already has one (a retried task, a
    concurrent worker): the constraint refuses the second inside a savepoint."""
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(created_at=timezone.now(), **fields)
    except IntegrityError:
        return None


def _pay(
    terms: ProgramTerms,
    educator: User,
    school: Organization,
    kind: str,
    stipend: Decimal,
    description: str,
    **cause: object,
) -> LedgerEntry | None:
    """A stipend: paid to the educator, and what it costs the program's budget."""
    return _write(
        terms=terms,
        educator=educator,
        school=school,
        kind=kind,
        amount=stipend,
        district_cost=stipend,
        currency=terms.currency,
        description=description[:300],
        **cause,
    )


def handed_in(*, submission_id: int) -> None:
    """The handler of "attempt.handed_in": the first hand-in of an attempt owes the
    assessment fee, paid by the district or charged to the educator; a waiver makes it zero
    with its reason. A resubmission owes nothing more."""
    submission = Submission.objects.select_related(
        "attempt__organization", "attempt__educator", "attempt__version"
    ).get(pk=submission_id)
    attempt = submission.attempt
    terms = terms_for(attempt.organization)
    if terms is None or not terms.assessment_fee:
        return
    if LedgerEntry.objects.filter(attempt=attempt, kind=Kind.FEE).exists():
        return  # a resubmission: charged once
    fee = terms.assessment_fee
    title = attempt.version.title
    waiver = FeeWaiver.objects.filter(
        terms=terms, educator=attempt.educator, ended_at__isnull=True
    ).first()
    if waiver is not None:
        amount, cost = ZERO, ZERO
        description = f"Assessment fee for “{title}” waived: {waiver.reason}"
    elif terms.fee_payer == ProgramTerms.Payer.EDUCATOR:
        amount, cost = -fee, ZERO
        description = f"Assessment fee for “{title}”, paid by the educator"
    else:
        amount, cost = ZERO, fee
        description = f"Assessment fee for “{title}”, paid by the district"
    _write(
        terms=terms,
        educator=attempt.educator,
        school=attempt.organization,
        kind=Kind.FEE,
        amount=amount,
        district_cost=cost,
        currency=terms.currency,
        description=description[:300],
        attempt=attempt,
    )


def award_made(*, award_id: int) -> None:
    """The handler of "award.made": the stipend per earned credential, once per award."""
    award = Award.objects.select_related(
        "attempt__organization", "attempt__educator", "attempt__version"
    ).get(pk=award_id)
    attempt = award.attempt
    terms = terms_for(attempt.organization)
    if terms is None or not terms.credential_stipend:
        return
    _pay(
        terms,
        attempt.educator,
        attempt.organization,
        Kind.CREDENTIAL_STIPEND,
        terms.credential_stipend,
        f"Stipend for earning “{attempt.version.title}”",
        award=award,
    )


def stack_completed(completion: StackCompletion) -> None:
    """Called as a stack completes: its stipend, and the first year of its status."""
    stack = completion.stack
    if not stack.stipend_on_completion and not stack.stipend_per_year:
        return
    terms = terms_for(stack.organization)
    school = home_organization(completion.educator)
    if terms is None or school is None:
        return
    if stack.stipend_on_completion:
        _pay(
            terms,
            completion.educator,
            school,
            Kind.STACK_STIPEND,
            stack.stipend_on_completion,
            f"Stipend for completing “{stack.title}”",
            completion=completion,
        )
    if stack.stipend_per_year and completion.status_title:
        _status_year(terms, school, completion, 1)


def _status_year(
    terms: ProgramTerms, school: Organization, completion: StackCompletion, year: int
) -> LedgerEntry | None:
    return _pay(
        terms,
        completion.educator,
        school,
        Kind.STATUS_STIPEND,
        completion.stack.stipend_per_year,
        f"“{completion.status_title}”, year {year}: yearly stipend",
        completion=completion,
        status_year=year,
    )


def status_stipends_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Each later year of a standing status pays its yearly stipend once (run hourly by the
    worker's schedule; idempotent). Returns how many entries were written."""
    now = now or timezone.now()
    completions = (
        StackCompletion.objects.filter(
            ended_at__isnull=True, stack__stipend_per_year__gt=0, completed_at__lte=now
        )
        .exclude(status_title="")
        .filter(Q(status_until__isnull=True) | Q(status_until__gt=now))
        .select_related("stack__organization", "educator")
        .order_by("pk")[:limit]
    )
    written = 0
    for completion in completions:
        years = _years_between(completion.completed_at, now) + 1
        paid = set(
            LedgerEntry.objects.filter(completion=completion, kind=Kind.STATUS_STIPEND).values_list(
                "status_year", flat=True
            )
        )
        due = [year for year in range(1, years + 1) if year not in paid]
        if not due:
            continue
        terms = terms_for(completion.stack.organization)
        school = home_organization(completion.educator)
        if terms is None or school is None:
            continue
        for year in due:
            written += _status_year(terms, school, completion, year) is not None
    return written


def _years_between(start: datetime.datetime, end: datetime.datetime) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def _reverse(tips: Iterable[LedgerEntry], why: str) -> int:
    """Add an entry reversing each of `tips` (the last entry of its chain: an entry, the
    reversal of it, the reversal of that when a badge is reinstated, …). A reversal names
    the same cause, so the cause's chain is found again; `reverses` is one-to-one, so an
    entry is reversed once, whoever races to do it."""
    done = 0
    for tip in tips:
        written = _write(
            terms_id=tip.terms_id,
            educator_id=tip.educator_id,
            school_id=tip.school_id,
            kind=Kind.REVERSAL,
            amount=-tip.amount,
            district_cost=-tip.district_cost,
            currency=tip.currency,
            description=f"{why}: {tip.description.removeprefix('Reversed: ')}"[:300],
            attempt_id=tip.attempt_id,
            award_id=tip.award_id,
            completion_id=tip.completion_id,
            status_year=tip.status_year,
            reverses=tip,
        )
        done += written is not None
    return done


def _paid_for(credential: IssuedCredential) -> list[LedgerEntry]:
    """The ends of the chains of what the badge was paid: its award's stipend, or a stack
    badge's stipend and each year of its status (fees are not: the assessment happened)."""
    tips = LedgerEntry.objects.filter(reversed_by__isnull=True).exclude(kind=Kind.FEE)
    if credential.award_id is not None:
        return list(tips.filter(award_id=credential.award_id).order_by("pk"))
    from microcred.programs.completion import completion_of_badge

    completion = completion_of_badge(credential)
    if completion is None:
        return []
    return list(tips.filter(completion=completion).order_by("pk"))


def credential_revoked(*, credential_id: int) -> None:
    """The handler of "credential.revoked": what the revoked award was paid is reversed; for
    a stack's badge, the stack's stipend and every year of its status paid so far."""
    credential = IssuedCredential.objects.get(pk=credential_id)
    standing = [t for t in _paid_for(credential) if t.amount + t.district_cost > 0]
    _reverse(standing, "Reversed, the badge was revoked")


def credential_reinstated(*, credential_id: int) -> None:
    """The handler of "credential.reinstated": what its revocation reversed is paid again."""
    credential = IssuedCredential.objects.get(pk=credential_id)
    reversed_ = [t for t in _paid_for(credential) if t.amount + t.district_cost < 0]
    _reverse(reversed_, "Paid again, the badge was reinstated")


# ----------------------------------------------------------------------------- approval


@dataclass(frozen=True)
class Overspend:
    school: str
    year: int
    budget: Decimal
    approved: Decimal
    asked: Decimal
    currency: str

    @property
    def message(self) -> str:
        return (
            f"Approving these would take {self.school} past its {self.year} budget of "
            f"{format_money(self.budget, self.currency)}: "
            f"{format_money(self.approved, self.currency)} is approved already and these add "
            f"{format_money(self.asked, self.currency)}. Raise the budget or approve fewer."
        )


@transaction.atomic
def entries_approve(*, actor: User, terms: ProgramTerms, entry_ids: Sequence[int]) -> int:
    """Approve the pending entries (all or none). Refused, naming the school, when a school's
    approved cost for the year would pass its budget; the budgets are locked, so two admins
    approving at once cannot pass it together."""
    permissions.require(actor, "programs.manage", terms.organization)
    ids = sorted(set(entry_ids))
    if not ids:
        raise Invalid("Tick the entries to approve.", field="entries")
    if len(ids) > APPROVE_AT_ONCE:
        raise Invalid(f"Approve at most {APPROVE_AT_ONCE} entries at once.", field="entries")
    entries = list(
        LedgerEntry.objects.select_for_update(of=("self",))
        .filter(terms=terms, pk__in=ids)
        .select_related("school")
    )
    if len(entries) != len(ids):
        raise Invalid("Some of the entries ticked are not this program's.", field="entries")
    if any(e.approved_at for e in entries):
        raise InvalidTransition("Some of the entries ticked are approved already.")
    now = timezone.now()
    cost: dict[tuple[int, int], Decimal] = {}
    for entry in entries:
        key = (entry.school_id, entry.created_at.year)
        cost[key] = cost.get(key, ZERO) + entry.district_cost
    budgets = {
        (b.school_id, b.year): b
        for b in SchoolBudget.objects.select_for_update(of=("self",))
        .filter(terms=terms, school_id__in={k[0] for k in cost})
        .select_related("school")
        .order_by("pk")
    }
    for (school_id, year), asked in sorted(cost.items()):
        budget = budgets.get((school_id, year))
        if budget is None or asked <= 0:
            continue
        approved = (
            LedgerEntry.objects.filter(
                terms=terms,
                school_id=school_id,
                created_at__year=year,
                approved_at__isnull=False,
            ).aggregate(total=Sum("district_cost"))["total"]
            or ZERO
        )
        if approved + asked > budget.amount:
            raise Invalid(
                Overspend(
                    budget.school.name, year, budget.amount, approved, asked, terms.currency
                ).message,
                field="entries",
            )
    LedgerEntry.objects.filter(pk__in=ids).update(approved_at=now, approved_by=actor)
    audit.record(actor, Event.LEDGER_APPROVED, terms, organization=terms.organization, entries=ids)
    return len(ids)


# ----------------------------------------------------------------------------- payroll

PAYROLL_HEADER = [
    "educator",
    "email",
    "school",
    "stipends",
    "fees_charged",
    "reversals",
    "net_pay",
    "currency",
    "entries",
]


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a quote."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def period_bounds(period: str) -> tuple[datetime.datetime, datetime.datetime]:
    """ "2026-12" as [Dec 1, Jan 1) in UTC; anything else is refused."""
    try:
        start = datetime.datetime.strptime(period, "%Y-%m").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise Invalid(
            "Give the period as a month, YYYY-MM (e.g. 2026-12).", field="period"
        ) from None
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def payroll_rows(*, actor: User, terms: ProgramTerms, period: str) -> Iterator[list[str]]:
    """The payroll of a month: one row per educator with entries approved in it, summed in
    the database (stipends, fees charged to her, reversals, net pay)."""
    permissions.require(actor, "programs.manage", terms.organization)
    start, end = period_bounds(period)
    rows = (
        LedgerEntry.objects.filter(terms=terms, approved_at__gte=start, approved_at__lt=end)
        .values("educator_id", "educator__full_name", "educator__email", "school__name")
        .annotate(
            stipends=Sum("amount", filter=Q(amount__gt=0) & ~Q(kind=Kind.REVERSAL), default=0),
            fees=Sum("amount", filter=Q(kind=Kind.FEE), default=0),
            reversals=Sum("amount", filter=Q(kind=Kind.REVERSAL), default=0),
            net=Sum("amount", default=0),
            n=Count("pk"),
        )
        .order_by("educator__full_name", "educator_id", "school__name")
    )
    yield PAYROLL_HEADER
    for row in rows.iterator(chunk_size=2000):
        yield [
            cell(row["educator__full_name"]),
            cell(row["educator__email"]),
            cell(row["school__name"]),
            f"{money(row['stipends'])}",
            f"{money(row['fees'])}",
            f"{money(row['reversals'])}",
            f"{money(row['net'])}",
            terms.currency,
            str(row["n"]),
        ]
