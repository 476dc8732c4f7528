"""Where an earned credential stands today: the one rule every page that shows an award
follows (dashboard, attempt, credential page, certificate, staff progress, wallet, badge
page). Revoked when the issuer revoked its current badge; expired when the badge's
`validUntil` has passed; earned otherwise, also while the first badge is still being signed
(the award is made, only its document is pending).

The facts come from the badge: the badges app copies them onto the attempt whenever the
current badge changes (`services.attempt_standing_set`), and reads its own credentials with
the same rule (`Standing.of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from microcred.catalog.models import Credential, Prerequisite
from microcred.earning.models import Attempt


@dataclass(frozen=True, slots=True)
class Standing:
    EARNED = "earned"
    REVOKED = "revoked"
    EXPIRED = "expired"

    state: str
    revoked_at: datetime | None = None
    reason: str = ""  # the issuer's reason for a revocation: for the educator and the issuer only
    valid_until: datetime | None = None

    @classmethod
    def of(
        cls,
        *,
        revoked_at: datetime | None,
        reason: str = "",
        valid_until: datetime | None,
        now: datetime | None = None,
    ) -> Standing:
        if revoked_at is not None:
            return cls(cls.REVOKED, revoked_at, reason, valid_until)
        if valid_until is not None and valid_until <= (now or timezone.now()):
            return cls(cls.EXPIRED, None, "", valid_until)
        return cls(cls.EARNED, None, "", valid_until)

    @property
    def counts(self) -> bool:
        """The award counts: it may be shown, shared and certified as earned."""
        return self.state == self.EARNED

    @property
    def label(self) -> str:
        return {self.EARNED: "Earned", self.REVOKED: "Revoked", self.EXPIRED: "Expired"}[self.state]

    @property
    def since(self) -> datetime | None:
        """When it stopped counting: the revocation, or the end of validity."""
        if self.state == self.REVOKED:
            return self.revoked_at
        if self.state == self.EXPIRED:
            return self.valid_until
        return None


def standing_of(attempt: Attempt, *, now: datetime | None = None) -> Standing:
    """The standing of the award an attempt earned."""
    return Standing.of(
        revoked_at=attempt.revoked_at,
        reason=attempt.revoked_reason,
        valid_until=attempt.valid_until,
        now=now,
    )


def attempt_standings(attempts: Iterable[Attempt], *, now: Any = None) -> None:
    """Sets `attempt.standing` on each attempt: its award's standing when it is earned, None
    otherwise (no query: the facts are on the attempt)."""
    now = now or timezone.now()
    for attempt in attempts:
        earned = attempt.state == Attempt.State.EARNED
        attempt.standing = standing_of(attempt, now=now) if earned else None  # type: ignore[attr-defined]


def standing_q(state: str, *, prefix: str = "", now: datetime | None = None) -> Q:
    """The same rule as `Standing.of`, as a filter on earned attempts (reached through
    `prefix`, a lookup path ending in "__", from another model)."""
    now = now or timezone.now()
    revoked = Q(**{f"{prefix}revoked_at__isnull": False})
    expired = Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}valid_until__lte": now})
    if state == Standing.REVOKED:
        return revoked
    if state == Standing.EXPIRED:
        return expired
    return ~revoked & ~expired


def standing_counts(*, educator: Any) -> dict[str, int]:
    """How many of an educator's earned attempts are revoked and how many expired, in one query."""
    earned = Attempt.objects.filter(educator=educator, state=Attempt.State.EARNED)
    return earned.aggregate(
        revoked=Count("id", filter=standing_q(Standing.REVOKED)),
        expired=Count("id", filter=standing_q(Standing.EXPIRED)),
    )


# ----------------------------------------------------------------------------- prerequisites


def held(*, educator: Any) -> QuerySet[Attempt]:
    """The educator's earned attempts whose award still counts (not revoked, not expired):
    what a prerequisite asks for."""
    return Attempt.objects.filter(
        standing_q(Standing.EARNED), educator=educator, state=Attempt.State.EARNED
    )


def prerequisites_missing(*, educator: Any, version_id: int | None) -> list[Credential]:
    """The credentials a version requires that the educator does not hold (never earned, or
    the badge revoked or expired), in the designer's order, each with its current version
    (one query)."""
    if version_id is None:
        return []
    rows = (
        Prerequisite.objects.filter(version_id=version_id)
        .exclude(credential_id__in=held(educator=educator).values("version__credential_id"))
        .select_related("credential__current_version")
        .order_by("position")
    )
    return [p.credential for p in rows]


IN_PROGRESS = "in_progress"


def prerequisite_states(*, educator: Any, credential_ids: Iterable[int]) -> dict[int, str]:
    """Per credential the educator has worked on, where she stands (one query): earned and
    counting, revoked or expired (earned, no longer counting), or in progress; a credential
    she never started is left out."""
    rows = (
        Attempt.objects.filter(educator=educator, version__credential_id__in=list(credential_ids))
        .exclude(state__in=(Attempt.State.WITHDRAWN, Attempt.State.REJECTED))
        .values_list("version__credential_id", "state", "revoked_at", "valid_until")
    )
    rank = {Standing.EARNED: 3, Standing.REVOKED: 1, Standing.EXPIRED: 1, IN_PROGRESS: 2}
    states: dict[int, str] = {}
    now = timezone.now()
    for credential_id, state, revoked_at, valid_until in rows:
        if state == Attempt.State.EARNED:
            found = Standing.of(revoked_at=revoked_at, valid_until=valid_until, now=now).state
        else:
            found = IN_PROGRESS
        # An award that counts wins over a new attempt, which wins over a lapsed award.
        if rank[found] > rank.get(states.get(credential_id, ""), 0):
            states[credential_id] = found
    return states
