"""Licensure credit: the credit hours an educator earns with each award, the renewal rules a
state or district sets (e.g. 90 hours every 5 years), and her progress in the current cycle.

Credit is written by the lifecycle, never typed in: an award records one `CreditEntry` (the
hours and standards of the version she earned, once per award by database constraint, so a
handler run twice, or by two workers at once, records it once); a revoked badge marks its
award's entry revoked, which keeps it on her page and transcript but stops it counting, and
a reinstated badge clears the mark (a mirror of the badge's standing, as the attempt's is:
the badge's own revoke and reinstate events record the act). A stack's badge carries no hours of its own (the
credentials it counts carry them): its revocation changes no entry.

A cycle is `cycle_years` long. Cycles follow one another from a date, the rule's
`cycles_start_on` unless the educator gave the date her own license cycle began
(`CreditCycleStart`); the current cycle is the one that holds today, and an entry counts in
the cycle that holds the day it was earned (dates in the site's time zone)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges.models import IssuedCredential
from microcred.core import audit, permissions
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import Organization, User
from microcred.programs.models import CreditCycleStart, CreditEntry, RenewalRule, hours_text

ZERO = Decimal("0.00")
MAX_REQUIRED_HOURS = Decimal(1000)
MAX_CYCLE_YEARS = 10
EARLIEST_YEAR = 1950
RULE_KINDS = (Organization.Kind.STATE, Organization.Kind.DISTRICT)


# ----------------------------------------------------------------------------- credit entries


def _standards(award: Award) -> list[dict[str, str]]:
    return [
        {"framework": s.framework, "code": s.code, "name": s.name}
        for s in award.attempt.version.standards.all()
    ]


def credit_record(*, award: Award) -> CreditEntry:
    """The award's credit entry, recorded once: the version's credit hours (none given: 0)
    and its standards, as they were. Safe to call again, and from two workers at once."""
    existing = CreditEntry.objects.filter(award_id=award.pk).first()
    if existing is not None:
        return existing
    award = Award.objects.select_related("attempt__version").get(pk=award.pk)
    attempt = award.attempt
    version = attempt.version
    try:
        # A savepoint: when another worker recorded the same award first, the constraint
        # refuses this insert alone and the caller's transaction goes on.
        with transaction.atomic():
            entry = CreditEntry.objects.create(
                award=award,
                educator_id=attempt.educator_id,
                organization_id=attempt.organization_id,
                version=version,
                hours=version.credit_hours or ZERO,
                standards=_standards(award),
                earned_at=award.awarded_at,
                revoked_at=attempt.revoked_at,
                revoked_reason=attempt.revoked_reason if attempt.revoked_at else "",
            )
    except IntegrityError:
        return CreditEntry.objects.get(award_id=award.pk)
    audit.record(
        None,
        Event.CREDIT_RECORDED,
        entry,
        award=str(award.public_id),
        hours=str(entry.hours),
        version=version.pk,
    )
    return entry


def credit_record_missing(*, limit: int = 1000) -> int:
    """Record the entries of awards made before credit was recorded, or by a loader that
    bypassed the award service (demo data, benchmarks): at most `limit`; returns how many."""
    awards = list(Award.objects.filter(credit_entry__isnull=True).order_by("pk")[:limit])
    for award in awards:
        credit_record(award=award)
    return len(awards)


def award_made(*, award_id: int) -> None:
    """The handler of "award.made" (settings.LIFECYCLE_HANDLERS): inside the awarding
    transaction, so the award and its credit are committed together."""
    credit_record(award=Award(pk=award_id))


def _entry_of(credential: IssuedCredential) -> CreditEntry | None:
    """The credit entry of an award's badge, locked; none for a stack's badge."""
    if credential.award_id is None:
        return None
    entry = CreditEntry.objects.select_for_update().filter(award_id=credential.award_id).first()
    if entry is None:  # an award from before credit was recorded
        credit_record(award=Award(pk=credential.award_id))
        entry = CreditEntry.objects.select_for_update().get(award_id=credential.award_id)
    return entry


def credential_revoked(*, credential_id: int) -> None:
    """The handler of "credential.revoked", inside the revoking transaction: the award's
    entry stays, marked revoked, and no longer counts."""
    credential = IssuedCredential.objects.get(pk=credential_id)
    entry = _entry_of(credential)
    if entry is None or entry.revoked_at is not None:
        return
    entry.revoked_at = credential.revoked_at or timezone.now()
    entry.revoked_reason = credential.revoked_reason
    entry.save(update_fields=["revoked_at", "revoked_reason"])


def credential_reinstated(*, credential_id: int) -> None:
    """The handler of "credential.reinstated": the award's entry counts again."""
    credential = IssuedCredential.objects.get(pk=credential_id)
    entry = _entry_of(credential)
    if entry is None or entry.revoked_at is None:
        return
    entry.revoked_at = None
    entry.revoked_reason = ""
    entry.save(update_fields=["revoked_at", "revoked_reason"])


# ----------------------------------------------------------------------------- renewal rules


@dataclass(frozen=True)
class RuleInput:
    """A renewal rule as the program admin gives it (`forms.RenewalRuleForm`)."""

    name: str
    required: Decimal
    unit: str
    cycle_years: int
    cycles_start_on: datetime.date
    description: str = ""
    active: bool = True


def _checked_rule(organization: Organization, data: RuleInput, rule: RenewalRule | None) -> str:
    name = " ".join(data.name.split())
    if not name:
        raise Invalid("Name the rule, e.g. “Standard license renewal”.", field="name")
    if organization.kind not in RULE_KINDS:
        raise Invalid(
            f"{organization.name} is a {organization.get_kind_display().lower()}: renewal rules "
            "belong to a state or a district.",
            field="organization",
        )
    if data.unit not in RenewalRule.Unit.values:
        raise Invalid("Choose credit hours or CEUs.", field="unit")
    unit = "CEUs" if data.unit == RenewalRule.Unit.CEUS else "hours"
    most = MAX_REQUIRED_HOURS / (
        RenewalRule.HOURS_PER_CEU if data.unit == RenewalRule.Unit.CEUS else 1
    )
    try:
        required = Decimal(data.required)
    except (InvalidOperation, TypeError, ValueError):
        raise Invalid("Give the number required, e.g. 90.", field="required") from None
    if not required.is_finite() or required <= 0:
        raise Invalid(f"Give how many {unit} a cycle requires: more than 0.", field="required")
    if required > most:
        raise Invalid(
            f"{hours_text(required)} {unit} in one cycle is more than any license asks; "
            f"give at most {hours_text(most)}.",
            field="required",
        )
    if not 1 <= data.cycle_years <= MAX_CYCLE_YEARS:
        raise Invalid(
            f"A cycle lasts from 1 to {MAX_CYCLE_YEARS} years; {data.cycle_years} is outside.",
            field="cycle_years",
        )
    latest = timezone.localdate().year + MAX_CYCLE_YEARS
    if not EARLIEST_YEAR <= data.cycles_start_on.year <= latest:
        raise Invalid(
            f"Give a date between {EARLIEST_YEAR} and {latest} on which a cycle begins.",
            field="cycles_start_on",
        )
    taken = RenewalRule.objects.filter(organization=organization, name__iexact=name)
    if rule is not None:
        taken = taken.exclude(pk=rule.pk)
    if taken.exists():
        raise Invalid(
            f"{organization.name} already has a rule called “{name}”: give this one another "
            "name, or change that one.",
            field="name",
        )
    return name


@transaction.atomic
def renewal_rule_save(
    *,
    actor: User,
    organization: Organization,
    data: RuleInput,
    rule: RenewalRule | None = None,
) -> RenewalRule:
    """Define a renewal rule for a state or district (`rule` None), or change one; the
    program admins of the organization (or above it) do."""
    if rule is not None:
        rule = RenewalRule.objects.select_for_update().get(pk=rule.pk)
        organization = rule.organization
    permissions.require(actor, "programs.manage", organization)
    name = _checked_rule(organization, data, rule)
    values: dict[str, Any] = {
        "name": name,
        "description": data.description.strip(),
        "required": Decimal(data.required).quantize(Decimal("0.01")),
        "unit": data.unit,
        "cycle_years": data.cycle_years,
        "cycles_start_on": data.cycles_start_on,
        "active": data.active,
    }
    if rule is None:
        rule = RenewalRule.objects.create(organization=organization, created_by=actor, **values)
        changed = sorted(values)
    else:
        changed = sorted(k for k, v in values.items() if getattr(rule, k) != v)
        for key, value in values.items():
            setattr(rule, key, value)
        rule.save()
    audit.record(
        actor,
        Event.RENEWAL_RULE_SAVED,
        rule,
        changed=changed,
        required=str(rule.required),
        unit=rule.unit,
        cycle_years=rule.cycle_years,
    )
    return rule


@transaction.atomic
def credit_cycle_set(
    *, actor: User, rule: RenewalRule, starts_on: datetime.date | None
) -> CreditCycleStart | None:
    """The educator gives the day her own cycle under the rule began (her license's date),
    or none to follow the rule's cycles again."""
    if not RenewalRule.objects.applying_to(actor).filter(pk=rule.pk).exists():
        raise Invalid(f"“{rule.name}” does not apply to you.", field="starts_on")
    today = timezone.localdate()
    if starts_on is not None and starts_on > today:
        raise Invalid(
            f"Give the day your current cycle began: {starts_on:%B} {starts_on.day}, "
            f"{starts_on.year} is in the future.",
            field="starts_on",
        )
    if starts_on is not None and starts_on.year < EARLIEST_YEAR:
        raise Invalid(f"Give a date from {EARLIEST_YEAR} on.", field="starts_on")
    current = CreditCycleStart.objects.select_for_update().filter(educator=actor, rule=rule).first()
    if starts_on is None:
        if current is not None:
            current.delete()
    elif current is None:
        current = CreditCycleStart.objects.create(educator=actor, rule=rule, starts_on=starts_on)
    else:
        current.starts_on = starts_on
        current.save(update_fields=["starts_on", "updated_at"])
    audit.record(
        actor,
        Event.CREDIT_CYCLE_SET,
        rule,
        educator=actor.pk,
        starts_on=starts_on.isoformat() if starts_on else None,
    )
    return current if starts_on is not None else None


# ----------------------------------------------------------------------------- progress


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def cycle_holding(
    anchor: datetime.date, years: int, day: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The cycle (first day, first day of the next) of `years` years, one of which begins on
    `anchor`, that holds `day`."""
    k = (day.year - anchor.year) // years
    while years_later(anchor, k * years) > day:
        k -= 1
    while years_later(anchor, (k + 1) * years) <= day:
        k += 1
    return years_later(anchor, k * years), years_later(anchor, (k + 1) * years)


@dataclass
class Cycle:
    """An educator's current cycle under one rule, and the entries earned in it."""

    rule: RenewalRule
    starts_on: datetime.date
    next_starts_on: datetime.date
    own_start: datetime.date | None
    entries: list[CreditEntry] = field(default_factory=list)

    @property
    def ends_on(self) -> datetime.date:
        return self.next_starts_on - datetime.timedelta(days=1)

    @property
    def hours(self) -> Decimal:
        """The counted hours: revoked entries do not count."""
        return sum((e.hours for e in self.entries if e.counts), ZERO)

    @property
    def per_unit(self) -> int:
        return RenewalRule.HOURS_PER_CEU if self.rule.unit == RenewalRule.Unit.CEUS else 1

    @property
    def unit_label(self) -> str:
        return "CEUs" if self.rule.unit == RenewalRule.Unit.CEUS else "hours"

    @property
    def earned(self) -> Decimal:
        """The counted credit in the rule's unit."""
        return self.hours / self.per_unit

    @property
    def earned_text(self) -> str:
        return hours_text(self.earned.quantize(Decimal("0.01")))

    @property
    def required_text(self) -> str:
        return hours_text(self.rule.required)

    @property
    def remaining_text(self) -> str:
        left = max(self.rule.required - self.earned, ZERO)
        return hours_text(left.quantize(Decimal("0.01")))

    @property
    def complete(self) -> bool:
        return self.earned >= self.rule.required

    @property
    def percent(self) -> int:
        if self.rule.required <= 0:
            return 100
        return min(100, int(self.earned * 100 / self.rule.required))

    @property
    def progress_value(self) -> str:
        """The progress bar's value, capped at its maximum."""
        return hours_text(min(self.earned, self.rule.required).quantize(Decimal("0.01")))


def entries_of(educator: User) -> list[CreditEntry]:
    """Every credit entry of the educator, newest first, with what the pages show."""
    return list(
        CreditEntry.objects.filter(educator=educator)
        .select_related("version__credential__organization", "award")
        .order_by("-earned_at", "-pk")
    )


def cycles_for(
    educator: User, entries: list[CreditEntry], today: datetime.date | None = None
) -> list[Cycle]:
    """Her current cycle under each rule that applies to her (two queries)."""
    today = today or timezone.localdate()
    rules = list(
        RenewalRule.objects.applying_to(educator)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    own = dict(
        CreditCycleStart.objects.filter(educator=educator, rule__in=rules).values_list(
            "rule_id", "starts_on"
        )
    )
    cycles = []
    for rule in rules:
        anchor = own.get(rule.pk, rule.cycles_start_on)
        start, following = cycle_holding(anchor, rule.cycle_years, today)
        inside = [e for e in entries if start <= timezone.localdate(e.earned_at) < following]
        cycles.append(Cycle(rule, start, following, own.get(rule.pk), inside))
    return cycles


def credit_page(*, educator: User) -> dict[str, Any]:
    """What her credit page shows: each rule's current cycle and every entry (three queries)."""
    entries = entries_of(educator)
    counted = [e for e in entries if e.counts]
    return {
        "entries": entries,
        "cycles": cycles_for(educator, entries),
        "total_hours": hours_text(sum((e.hours for e in counted), ZERO)),
        "counted": len(counted),
    }


def rules_page(*, actor: User) -> dict[str, Any]:
    """The renewal rules a program admin manages."""
    rules = (
        RenewalRule.objects.managed_by(actor)
        .select_related("organization")
        .order_by("organization__path", "name")[:200]
    )
    return {"rules": list(rules)}
