"""The demo's licensure credit: Lakeland's license renewal rule (90 hours every 5 years, set
by the state's program admin), and a credit entry for every award the demo made."""

from __future__ import annotations

import datetime
from decimal import Decimal

from microcred.core.models import Organization, Role, User
from microcred.programs import licensure
from microcred.programs.models import CreditEntry


def load(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    licensure.renewal_rule_save(
        actor=users[("state", Role.ADMIN)],
        organization=orgs["state"],
        data=licensure.RuleInput(
            name="Lakeland license renewal",
            required=Decimal(90),
            unit="hours",
            cycle_years=5,
            cycles_start_on=datetime.date(2025, 7, 1),
            description=(
                "A Lakeland teaching license is renewed every five years with 90 hours of "
                "professional learning; every micro-credential earned here counts its credit "
                "hours."
            ),
        ),
    )
    # The awards were recorded as they were made; any made by a loader are recorded now.
    licensure.credit_record_missing()
    # The demo backdates some awards after making them (an expired badge): their entries
    # follow, as if they had been earned then.
    for entry in CreditEntry.objects.select_related("award"):
        if entry.earned_at != entry.award.awarded_at:
            CreditEntry.objects.filter(pk=entry.pk).update(earned_at=entry.award.awarded_at)
