"""The program dashboard's figures, computed in the database for the viewer's scope.

Who sees what: a program admin of a district or a state reads its whole subtree, a school
leader her school ("reports.view", scoped like every tenant read by `core.tenancy`). Each
figure is an aggregate the database computes; the page reads a bounded number of rows
(the months of the period, the top schools and credentials, the turnaround days, the budget
lines), however long the history.

The activity figures come from one statement, `ACTIVITY` (the page's main aggregate): the
scope's attempts with something in the period, each with its first hand-in and that
hand-in's decision (read by correlated subqueries for a district or a school: an index probe
per attempt, whatever the size of the state's tables; joined for a state), rolled up by
month, school, credential and days of turnaround in the same statement. The other figures
(participation, credit hours, spending, the pools' turnaround) are one small query each.
Why it is built that way: docs/decisions/0020-program-dashboard-aggregates.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone

from microcred.assessment.models import AssessorPool, Decision
from microcred.assessment.selectors import DEFAULT_TURNAROUND_DAYS
from microcred.catalog.models import Credential
from microcred.core import permissions, tenancy
from microcred.core.models import Membership, Organization, Role, User
from microcred.earning.models import Attempt, Submission
from microcred.programs.ledger import format_money
from microcred.programs.models import CreditEntry, LedgerEntry, SchoolBudget

PERM = "reports.view"
REFUSED = "Only a program admin or a school leader can open the program dashboard."
TOP = 25  # rows of the per-school and per-credential tables (the most active first)
MAX_MONTHS = 60  # the longest period a dashboard covers: five years, one row a month
# Turnaround, hand-in to decision, is counted in whole days (`WholeDays`); the table groups
# them (the days themselves give the median and the p90), past the last group "later".
LATER = 10**9
DAY_GROUPS: tuple[tuple[int, str], ...] = (
    (1, "1 day"),
    (3, "2–3 days"),
    (7, "4–7 days"),
    (14, "8–14 days"),
    (21, "15–21 days"),
    (30, "22–30 days"),
    (60, "31–60 days"),
    (90, "61–90 days"),
)


# ----------------------------------------------------------------------------- the filters


@dataclass(frozen=True)
class Period:
    """Days, both ends included, in the installation's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the period."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_period(today: datetime.date | None = None) -> Period:
    """The last twelve months: from the first of the month eleven months back to today."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _ in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start, today)


@dataclass(frozen=True)
class Place:
    """An organization the viewer may filter by (a school, or a district for a state)."""

    pk: int
    name: str
    kind: str
    path: str
    group: str = ""  # the district it lies in, for the choice list


@dataclass(frozen=True)
class Choices:
    """What the viewer may filter by: the organizations under her scope and the credentials
    their educators earn (their own organizations' and those above them)."""

    roots: list[Place]  # where the viewer holds "reports.view": "all" means these
    places: list[Place]
    credentials: list[tuple[int, str]]

    def place(self, pk: int) -> Place | None:
        return next((p for p in self.places if p.pk == pk), None)

    @property
    def whole_is_a_state(self) -> bool:
        """A state's whole roll-up reads millions of rows (about 10 s at state scale): its
        dashboard shows one district at a time (a school's or a district's: tens of ms)."""
        return any(root.kind == Organization.Kind.STATE for root in self.roots)

    @property
    def first_district(self) -> Place | None:
        return next((p for p in self.places if p.kind == Organization.Kind.DISTRICT), None)

    @property
    def label(self) -> str:
        return " and ".join(root.name for root in self.roots)


def filter_choices(*, actor: User) -> Choices:
    """The viewer's organizations and credentials (two queries). Refused (PermissionDenied)
    to anyone without "reports.view"."""
    if not permissions.has_perm_anywhere(actor, PERM):
        raise PermissionDenied(REFUSED)
    held = permissions.paths_with_perm(actor, PERM)
    # A leader of a school who is also an admin of its district reads the district.
    roots = [p for p in held if not any(p != q and p.startswith(q) for q in held)]
    rows = (
        Organization.objects.filter(tenancy.within(actor, PERM, field=""))
        .exclude(kind=Organization.Kind.DEPARTMENT)
        .order_by("path")
        .values_list("pk", "name", "kind", "path")
    )
    everything = [Place(*row) for row in rows]
    names = {p.path: p.name for p in everything}
    top = [p for p in everything if p.path in roots]
    places = [
        Place(p.pk, p.name, p.kind, p.path, group=names.get(_parent_path(p.path), ""))
        for p in everything
        if p.path not in roots
    ]
    places.sort(key=lambda p: (p.kind != Organization.Kind.DISTRICT, p.group, p.name))
    above = {pk for root in top for pk in _ids(root.path)}
    credentials = (
        Credential.objects.filter(
            Q(organization_id__in=above) | tenancy.within(actor, PERM),
            current_version__isnull=False,
        )
        .order_by("current_version__title", "pk")
        .values_list("pk", "current_version__title")
    )
    return Choices(roots=top, places=places, credentials=list(credentials))


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _parent_path(path: str) -> str:
    return path.rsplit("/", 2)[0] + "/"


@dataclass(frozen=True)
class Scope:
    """Whose figures, over which days, for which credential."""

    label: str
    organizations: list[int] | QuerySet[Any]  # for `<field>_id__in`
    above: list[int]  # the organizations above them (their pools and credentials apply)
    period: Period
    credential_id: int | None = None
    credential_title: str = ""
    place: Place | None = None

    def of(self, field: str) -> Q:
        return Q(**{f"{field}_id__in": self.organizations})


def scope_for(
    *,
    actor: User,
    choices: Choices,
    period: Period,
    place: Place | None = None,
    credential_id: int | None = None,
) -> Scope:
    """The viewer's organizations, or one school (or district) of them with its subtree; the
    place and credential must come from `choices` (the form checks that)."""
    if place is None:
        organizations: list[int] | QuerySet[Any] = tenancy.organization_ids(actor, PERM)
        label, tops = choices.label, [root.path for root in choices.roots]
    else:
        organizations = list(
            Organization.objects.filter(path__startswith=place.path).values_list("pk", flat=True)
        )
        label, tops = place.name, [place.path]
    above = sorted({pk for path in tops for pk in _ids(path)[:-1]})
    title = dict(choices.credentials).get(credential_id or 0, "")
    return Scope(label, organizations, above, period, credential_id, title, place)


# ----------------------------------------------------------------------------- activity


# One statement: the scope's attempts (`base`, built by the ORM; `facts` puts each event in
# its month of the period and unpacks the first hand-in's decision) rolled up six ways. Each
# part's columns: part, month, ref (a school, a credential, or a number of days), label,
# v1..v7 (what each part puts there is read back in `_read_activity`).
ACTIVITY = """
WITH base AS {materialized} ({base}),
facts AS (
  SELECT school_id, school_name, credential_id, credential_title,
         {started} AS started_month, {handed} AS handed_month, {earned} AS earned_month,
         earned_now, decided %% 10 AS first_outcome, decided / 10 AS first_days
    FROM base)
SELECT 'month' AS part, month, NULL AS ref, NULL AS label, SUM(started) AS v1,
       SUM(handed) AS v2, SUM(earned) AS v3, 0 AS v4, 0 AS v5, 0 AS v6, 0 AS v7
  FROM (SELECT started_month AS month, 1 AS started, 0 AS handed, 0 AS earned
          FROM facts WHERE started_month IS NOT NULL
        UNION ALL
        SELECT handed_month, 0, 1, 0 FROM facts WHERE handed_month IS NOT NULL
        UNION ALL
        SELECT earned_month, 0, 0, 1 FROM facts WHERE earned_month IS NOT NULL) AS events
 GROUP BY month
UNION ALL
SELECT * FROM (
  SELECT 'school', CAST(NULL AS INTEGER), school_id, MAX(school_name), {counts}
    FROM facts GROUP BY school_id HAVING {active}
   ORDER BY 7 DESC, 5 DESC, 4 LIMIT {top}) AS schools
UNION ALL
SELECT * FROM (
  SELECT 'credential', CAST(NULL AS INTEGER), credential_id, MAX(credential_title), {counts}
    FROM facts GROUP BY credential_id HAVING {active}
   ORDER BY 7 DESC, 5 DESC, 4 LIMIT {top}) AS credentials
UNION ALL
SELECT 'days', NULL, first_days, NULL, COUNT(*), 0, 0, 0, 0, 0, 0
  FROM facts WHERE first_days IS NOT NULL GROUP BY first_days
UNION ALL
SELECT 'total', NULL, NULL, NULL, {counts}
  FROM facts
UNION ALL
SELECT 'extent', NULL, NULL, NULL,
       COUNT(DISTINCT CASE WHEN {active_row} THEN school_id END),
       COUNT(DISTINCT CASE WHEN {active_row} THEN credential_id END), 0, 0, 0, 0, 0
  FROM facts
"""
AWARD, NOT_YET, REJECT = 1, 2, 3  # the first decision's outcome, as `facts` unpacks it
_COUNTS = (
    "COUNT(started_month), COUNT(handed_month), COUNT(earned_month), COUNT(first_outcome), "
    f"SUM(CASE WHEN first_outcome = {AWARD} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN first_outcome = {NOT_YET} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN first_outcome = {NOT_YET} AND earned_now = 1 THEN 1 ELSE 0 END)"
)
_ACTIVE = (
    "COUNT(started_month) + COUNT(handed_month) + COUNT(earned_month) + COUNT(first_outcome) > 0"
)
_ACTIVE_ROW = (
    "(started_month IS NOT NULL OR handed_month IS NOT NULL OR earned_month IS NOT NULL "
    "OR first_outcome IS NOT NULL)"
)


def activity_base(scope: Scope) -> QuerySet[Any]:
    """One row per attempt of the scope with something in the period: its school and
    credential, when it started, when it was first handed in (in the period, else NULL),
    when it was earned (closed earned, its badge not revoked; else NULL), and, when the first
    hand-in was decided in the period, that decision, packed in one number (`_packed`).

    An attempt's `updated_at` is at or after each of those events (every one of them saves
    the attempt), so `updated_at >= start` leaves out only attempts with nothing in the
    period, through the attempt's (organization, updated_at) index.

    The first hand-in and its decision are read per attempt by correlated subqueries for a
    district or a school (an index probe each: PostgreSQL would otherwise hash-join the
    district's few thousand attempts with every hand-in of the state, ten times slower), and
    by joins for a state's thousands of organizations (where reading everything is the job)."""
    since, until = scope.period.since, scope.period.until
    earned = Q(state=Attempt.State.EARNED, revoked_at__isnull=True)
    attempts = Attempt.objects.filter(
        scope.of("organization"), started_at__lt=until, updated_at__gte=since
    )
    if scope.credential_id:
        attempts = attempts.filter(version__credential_id=scope.credential_id)
    handed: Any
    decided: Any
    if isinstance(scope.organizations, list):
        first = Submission.objects.filter(
            attempt=OuterRef("pk"), number=1, submitted_at__gte=since, submitted_at__lt=until
        ).order_by()
        handed = Subquery(first.values("submitted_at")[:1])
        decisions = (
            Decision.objects.filter(
                submission__attempt=OuterRef("pk"),
                submission__number=1,
                appeal__isnull=True,
                decided_at__gte=since,
                decided_at__lt=until,
            )
            .order_by()
            .annotate(turnaround=_turnaround_of("decided_at", "submission__submitted_at"))
        )
        decided = Subquery(
            decisions.values(packed=_packed("outcome"))[:1], output_field=IntegerField()
        )
    else:
        attempts = attempts.annotate(
            first=FilteredRelation("submissions", condition=Q(submissions__number=1)),
            verdict=FilteredRelation(
                "first__decisions",
                condition=Q(
                    first__decisions__appeal__isnull=True,
                    first__decisions__decided_at__gte=since,
                    first__decisions__decided_at__lt=until,
                ),
            ),
            turnaround=_turnaround_of("verdict__decided_at", "first__submitted_at"),
        )
        handed = Case(
            When(
                first__submitted_at__gte=since,
                first__submitted_at__lt=until,
                then=F("first__submitted_at"),
            )
        )
        decided = Case(When(verdict__id__isnull=False, then=_packed("verdict__outcome")))
    return attempts.order_by().values(
        school_id=F("organization_id"),
        school_name=F("organization__name"),
        credential_id=F("version__credential_id"),
        credential_title=F("version__title"),
        started=F("started_at"),
        handed=handed,
        earned=Case(When(earned, then=F("closed_at"))),
        decided=decided,
        earned_now=Case(When(earned, then=1), default=0),
    )


def _turnaround_of(decided_at: str, submitted_at: str) -> ExpressionWrapper:
    """The time from hand-in to decision, worked out once and compared with each day in
    `_packed` (cheaper than adding k days to the hand-in's time, zone and all, for every k)."""
    return ExpressionWrapper(F(decided_at) - F(submitted_at), output_field=DurationField())


class WholeDays(Func):
    """The days in a duration, rounded up: decided 12 days after the hand-in is "within 12
    days", a minute later "within 13". PostgreSQL and SQLite, the two databases Microcred
    runs on (SQLite keeps a duration as microseconds)."""

    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(CEIL(EXTRACT(EPOCH FROM %(expressions)s) / 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "((%(expressions)s) + 86399999999) / 86400000000"
        return self.as_sql(compiler, connection, template=template, **extra)


def _packed(outcome: str) -> Any:
    """A first hand-in's decision as one number, days × 10 + outcome (`facts` unpacks it), so
    that one probe per attempt reads both. Days: decided within that many whole days of the
    hand-in (`WholeDays` of the `turnaround` beside it). Outcome: AWARD, NOT_YET or REJECT."""
    days = WholeDays("turnaround")
    verdict = Case(
        When(**{outcome: Decision.Outcome.AWARD}, then=AWARD),
        When(**{outcome: Decision.Outcome.NOT_YET}, then=NOT_YET),
        default=REJECT,
    )
    return days * 10 + verdict


def _month_of(column: str, period: Period) -> tuple[str, list[Any]]:
    """SQL for the month of the period a moment in `column` fell in (0 the first; NULL
    outside the period, or for no moment), and its parameters: compared with the first
    moment of each month (local midnight), so no row pays for a time zone conversion and
    every database gives an integer."""
    starts = [_midnight(month) for month in period.months()[1:]] + [period.until]
    whens = " ".join(f"WHEN {column} < %s THEN {n}" for n in range(len(starts)))
    moments = [period.since, *starts]
    adapt = connection.ops.adapt_datetimefield_value
    return f"CASE WHEN {column} < %s THEN NULL {whens} END", [adapt(m) for m in moments]


def activity_sql(scope: Scope) -> tuple[str, tuple[Any, ...]]:
    """The main aggregate as SQL and parameters (the benchmark runs it on its own)."""
    base, params = activity_base(scope).query.sql_with_params()
    months = {name: _month_of(name, scope.period) for name in ("started", "handed", "earned")}
    sql = ACTIVITY.format(
        # Read once: else PostgreSQL folds `base` into `facts` and runs its decision subquery
        # once for each of the two columns unpacked from it.
        materialized="MATERIALIZED" if connection.vendor in ("postgresql", "sqlite") else "",
        base=base,
        started=months["started"][0],
        handed=months["handed"][0],
        earned=months["earned"][0],
        counts=_COUNTS,
        active=_ACTIVE,
        active_row=_ACTIVE_ROW,
        top=TOP,
    )
    extra = [value for name in ("started", "handed", "earned") for value in months[name][1]]
    return sql, (*params, *extra)


@dataclass
class Counts:
    started: int = 0
    handed: int = 0
    earned: int = 0
    decided: int = 0  # first hand-ins decided in the period
    passed: int = 0  # ... awarded on that first decision
    not_yet: int = 0  # ... told "not yet"
    earned_after: int = 0  # ... of which earned since, after resubmitting

    @classmethod
    def of(cls, values: Sequence[Any]) -> Counts:
        return cls(*(int(v or 0) for v in values))


@dataclass
class Line:
    """One row of the per-school or per-credential table."""

    pk: int
    label: str
    counts: Counts


@dataclass
class Activity:
    months: list[tuple[datetime.date, Counts]]
    schools: list[Line]
    credentials: list[Line]
    total: Counts
    days: dict[int, int]  # whole days from hand-in to decision -> first hand-ins decided
    schools_active: int = 0
    credentials_active: int = 0


def activity(scope: Scope) -> Activity:
    sql, params = activity_sql(scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _read_activity(scope, rows)


@contextmanager
def aggregate_settings() -> Iterator[None]:
    """PostgreSQL settings for the dashboard's statements, set for them alone (`SET LOCAL`,
    in a transaction of their own):
    - JIT off: PostgreSQL compiles a statement it estimates dear (past `jit_above_cost`) to
      machine code first; the correlated subqueries here put the estimate past it, and
      compiling took 1.7 s for a statement that runs in 75 ms;
    - custom plans: the statements take the scope and the days as parameters, and with the
      server-side prepared statements (`DATABASE_PREPARE_THRESHOLD`) PostgreSQL switched the
      ledger's read to a generic plan after five runs: 16 ms became 80-117 ms.
    (Both measured with bench/dashboard.py.) Other databases: as they are (SQLite's
    IMMEDIATE transactions would take the write lock)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


def _read_activity(scope: Scope, rows: list[tuple[Any, ...]]) -> Activity:
    """The statement's rows, sorted into their parts (a bounded number: months, TOP schools,
    TOP credentials, at most one per day of turnaround)."""
    by_month: dict[int, Counts] = {}
    found = Activity(months=[], schools=[], credentials=[], total=Counts(), days={})
    for part, month, ref, label, *values in rows:
        if part == "month":
            by_month[int(month)] = Counts(*(int(v or 0) for v in values[:3]))
        elif part in ("school", "credential"):
            line = Line(int(ref), label or "", Counts.of(values))
            (found.schools if part == "school" else found.credentials).append(line)
        elif part == "days":
            found.days[int(ref)] = int(values[0] or 0)
        elif part == "total":
            found.total = Counts.of(values)
        elif part == "extent":
            found.schools_active, found.credentials_active = int(values[0]), int(values[1])
    found.months = [
        (month, by_month.get(n, Counts())) for n, month in enumerate(scope.period.months())
    ]
    order = lambda line: (-line.counts.earned, -line.counts.started, line.label)  # noqa: E731
    found.schools.sort(key=order)
    found.credentials.sort(key=order)
    return found


# ----------------------------------------------------------------------------- the others


@dataclass
class Participation:
    educators: int
    earners: int


def participation(scope: Scope) -> Participation:
    """Educators of the scope (by membership) and those of them with at least one credential
    earned by the end of the period and not revoked (of the chosen credential, if one)."""
    earned = Attempt.objects.filter(
        educator=OuterRef("user"),
        state=Attempt.State.EARNED,
        revoked_at__isnull=True,
        closed_at__lt=scope.period.until,
    )
    if scope.credential_id:
        earned = earned.filter(version__credential_id=scope.credential_id)
    row = Membership.objects.filter(scope.of("organization"), role=Role.EDUCATOR).aggregate(
        educators=Count("user", distinct=True),
        earners=Count("user", distinct=True, filter=Exists(earned)),
    )
    return Participation(row["educators"] or 0, row["earners"] or 0)


@dataclass
class Credit:
    hours: Decimal
    entries: int
    educators: int


def credit(scope: Scope) -> Credit:
    """Licensure credit hours earned in the period (programs' credit entries; a revoked
    award's entry does not count)."""
    entries = CreditEntry.objects.filter(
        scope.of("organization"),
        revoked_at__isnull=True,
        earned_at__gte=scope.period.since,
        earned_at__lt=scope.period.until,
    )
    if scope.credential_id:
        entries = entries.filter(version__credential_id=scope.credential_id)
    # Count("*"), not the key: the partial index `credit_counted_by_place` answers alone.
    row = entries.aggregate(
        hours=Sum("hours"), entries=Count("*"), educators=Count("educator", distinct=True)
    )
    return Credit(row["hours"] or Decimal(0), row["entries"], row["educators"])


def turnaround_days(scope: Scope) -> tuple[int, int]:
    """The turnaround (days) the assessor pools of the scope and of the organizations above
    it promise: the shortest and the longest (the default when there is no pool)."""
    pools = AssessorPool.objects.filter(
        scope.of("organization") | Q(organization_id__in=scope.above)
    )
    row = pools.aggregate(low=Min("turnaround_days"), high=Max("turnaround_days"))
    return (
        row["low"] or DEFAULT_TURNAROUND_DAYS,
        row["high"] or DEFAULT_TURNAROUND_DAYS,
    )


@dataclass
class Spending:
    year: int
    currency: str
    rows: list[dict[str, Any]]  # school, name, budget, approved, waiting: the TOP spenders
    budget: Decimal
    approved: Decimal
    waiting: Decimal
    currencies: int = 1
    schools: int = 0  # schools with a budget or a cost (the rows are the TOP of them)


def spending(scope: Scope) -> Spending:
    """What the program costs (the ledger's district cost, approved and waiting) against the
    schools' budgets, in the calendar year of the period's end (budgets are yearly). Every
    credential and stack: the credential filter does not apply.

    Two grouped reads, one line per school (bounded by the schools of the scope): the costs
    (from the index `ledger_cost_by_school` alone) and the budgets, put side by side here, and
    the schools' names; the TOP costliest schools are shown and all of them summed."""
    year = scope.period.end.year
    since, until = _midnight(datetime.date(year, 1, 1)), _midnight(datetime.date(year + 1, 1, 1))
    costs = (
        LedgerEntry.objects.filter(scope.of("school"), created_at__gte=since, created_at__lt=until)
        .order_by()
        .values("school_id", "currency")
        .annotate(
            approved=Sum("district_cost", filter=Q(approved_at__isnull=False)),
            waiting=Sum("district_cost", filter=Q(approved_at__isnull=True)),
        )
    )
    budgets = (
        SchoolBudget.objects.filter(scope.of("school"), year=year)
        .order_by()
        .values("school_id", "terms__currency")
        .annotate(amount=Sum("amount"))
    )
    spent: list[dict[str, Any]] = [dict(row) for row in costs]
    caps: list[dict[str, Any]] = [dict(row) for row in budgets]
    # One currency is shown: the one most is spent in (a program has one; a state's
    # districts might not agree).
    by_currency: dict[str, Decimal] = {}
    for row in spent:
        total = (row["approved"] or 0) + (row["waiting"] or 0)
        by_currency[row["currency"]] = by_currency.get(row["currency"], Decimal(0)) + total
    currency = max(by_currency, key=lambda c: by_currency[c]) if by_currency else ""
    currency = currency or (caps[0]["terms__currency"] if caps else "USD")
    schools: dict[int, dict[str, Any]] = {}

    def school(pk: int) -> dict[str, Any]:
        empty = {"pk": pk, "name": "", "budget": None, "approved": None, "waiting": None}
        return schools.setdefault(pk, empty)

    for row in caps:
        if row["terms__currency"] == currency:
            school(row["school_id"])["budget"] = row["amount"]
    for row in spent:
        if row["currency"] == currency:
            line = school(row["school_id"])
            line["approved"], line["waiting"] = row["approved"], row["waiting"]
    if schools:
        names = Organization.objects.filter(pk__in=schools).values_list("pk", "name")
        for pk, name in names:
            schools[pk]["name"] = name
    lines = sorted(
        schools.values(),
        key=lambda r: (-(r["approved"] or 0), -(r["waiting"] or 0), r["name"]),
    )
    return Spending(
        year=year,
        currency=currency,
        rows=lines[:TOP],
        budget=sum((r["budget"] or Decimal(0) for r in lines), Decimal(0)),
        approved=sum((r["approved"] or Decimal(0) for r in lines), Decimal(0)),
        waiting=sum((r["waiting"] or Decimal(0) for r in lines), Decimal(0)),
        currencies=max(1, len(by_currency)),
        schools=len(lines),
    )


# ----------------------------------------------------------------------------- the page


@dataclass
class Cell:
    """A table cell: what the page shows, and the plain value the CSV export writes."""

    text: str
    value: Any = None
    column: str = ""  # its column's heading (a phone shows it beside the value)

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    """A chart's data: the table beside it is the source of truth (the chart is drawn from
    the same numbers, for those who can see it)."""

    key: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: dict[str, Any] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            for cell, column in zip(row, self.columns, strict=True):
                cell.column = column

    @property
    def chart_id(self) -> str:
        return f"{self.key}-chart"


@dataclass
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass
class Dashboard:
    scope: Scope
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)

    def long_rows(self) -> Iterator[list[str]]:
        """Every cell of every table as one line (table, row, column, value): the CSV."""
        for figure in self.figures:
            yield ["Key figures", figure.label, "Value", figure.value]
        for table in self.tables:
            for row in table.rows:
                for column, cell in zip(table.columns[1:], row[1:], strict=True):
                    value = cell.value if cell.value is not None else cell.text
                    yield [table.title, row[0].text, column, str(value)]


def dashboard(scope: Scope) -> Dashboard:
    """Every figure of the program dashboard for `scope`: seven queries (and, on PostgreSQL,
    the two settings of `aggregate_settings`)."""
    with aggregate_settings():
        found = activity(scope)
        people = participation(scope)
        hours = credit(scope)
        sla = turnaround_days(scope)
        money = spending(scope)
    return Dashboard(
        scope=scope,
        figures=_figures(found, people, hours),
        tables=[
            _monthly(found),
            _lines("schools", "By school", found.schools, found.schools_active),
            _lines("credentials", "By credential", found.credentials, found.credentials_active),
            _outcomes(found.total),
            _turnaround(found.days, sla),
            _spending(money),
        ],
    )


def _count(n: int) -> Cell:
    return Cell(f"{n:,}", n)


def _share(part: int, whole: int) -> Cell:
    if not whole:
        return Cell("—", "")
    share = 100 * part / whole
    # Whole percents, as the articles write them ("76 % of 136 teachers"), except where
    # rounding would say "all" or "none" of what is not.
    near_edge = 0 < part < whole and round(share) in (0, 100)
    return Cell(f"{share:.1f} %" if near_edge else f"{share:.0f} %", round(share, 1))


def _median(days: dict[int, int], share: float) -> str:
    """The day by which `share` of the decided hand-ins were decided."""
    total = sum(days.values())
    seen = 0
    for day in sorted(days):
        seen += days[day]
        if total and seen >= share * total:
            day = max(day, 1)
            return "later than 90 days" if day > 90 else f"{day} day{'s' if day > 1 else ''}"
    return "—"


def _figures(found: Activity, people: Participation, hours: Credit) -> list[Figure]:
    total = found.total
    share = _share(people.earners, people.educators)
    return [
        Figure(
            "Educators with a credential",
            share.text,
            f"{people.earners:,} of {people.educators:,} educators have earned at least one",
        ),
        Figure("Credentials earned", f"{total.earned:,}", "in the period, not revoked"),
        Figure(
            "Passed on the first hand-in",
            _share(total.passed, total.decided).text,
            f"{total.passed:,} of {total.decided:,} first hand-ins decided",
        ),
        Figure(
            "Half decided within",
            _median(found.days, 0.5),
            f"nine in ten within {_median(found.days, 0.9)}",
        ),
        Figure(
            "Credit hours earned",
            f"{hours.hours.normalize():,f}",
            f"{hours.entries:,} credentials, {hours.educators:,} educators",
        ),
    ]


def _monthly(found: Activity) -> Table:
    labels = [f"{month:%b %Y}" for month, _ in found.months]
    rows = [
        [Cell(label, month.isoformat()[:7]), _count(c.started), _count(c.handed), _count(c.earned)]
        for label, (month, c) in zip(labels, found.months, strict=True)
    ]
    series = [
        ("Started", [c.started for _, c in found.months]),
        ("Handed in", [c.handed for _, c in found.months]),
        ("Earned", [c.earned for _, c in found.months]),
    ]
    return Table(
        key="months",
        title="Activity by month",
        caption="Credentials started, handed in for the first time and earned, by month",
        columns=["Month", "Started", "Handed in", "Earned"],
        rows=rows,
        chart=_chart("line", labels, series),
    )


def _lines(key: str, title: str, lines: list[Line], active: int) -> Table:
    noun = "school" if key == "schools" else "credential"
    rows = [
        [
            Cell(line.label),
            _count(line.counts.started),
            _count(line.counts.handed),
            _count(line.counts.earned),
            _share(line.counts.passed, line.counts.decided),
        ]
        for line in lines
    ]
    note = ""
    if active > len(lines):
        note = f"The {len(lines)} most active of {active:,} {noun}s (most earned first)."
    series = [
        ("Started", [line.counts.started for line in lines]),
        ("Handed in", [line.counts.handed for line in lines]),
        ("Earned", [line.counts.earned for line in lines]),
    ]
    return Table(
        key=key,
        title=title,
        caption=f"Credentials started, handed in and earned in the period, by {noun}",
        columns=[noun.capitalize(), "Started", "Handed in", "Earned", "First-try pass rate"],
        rows=rows,
        chart=_chart("bar", [line.label for line in lines], series, horizontal=True),
        note=note,
    )


def _outcomes(total: Counts) -> Table:
    first = _share(total.passed, total.decided)
    after = _share(total.earned_after, total.not_yet)
    rows = [
        [Cell("Passed on the first hand-in"), _count(total.passed), _count(total.decided), first],
        [
            Cell("Earned after resubmitting"),
            _count(total.earned_after),
            _count(total.not_yet),
            after,
        ],
    ]
    return Table(
        key="outcomes",
        title="First try and after resubmission",
        caption="First hand-ins decided in the period: passed at once, or told “not yet” "
        "and earned since",
        columns=["Outcome", "Attempts", "Out of", "Rate"],
        rows=rows,
        chart=_chart(
            "bar",
            ["First hand-in", "After “not yet”"],
            [("Rate (%)", [first.value or 0, after.value or 0])],
            percent=True,
        ),
        note="“Out of”: first hand-ins decided in the period; for resubmission, those of them "
        "told “not yet”.",
    )


def _turnaround(days: dict[int, int], sla: tuple[int, int]) -> Table:
    """The days from hand-in to decision, grouped; and how many came within the turnaround
    the assessor pools promise (the longest, where they differ)."""
    total = sum(days.values())
    on_time = sum(n for d, n in days.items() if d <= sla[1])
    rows, low, labels, counts = [], -1, [], []
    for high, label in (*DAY_GROUPS, (LATER, "Later than 90 days")):
        n = sum(days[d] for d in days if low < d <= high)
        low = high
        rows.append([Cell(label), _count(n), _share(n, total)])
        labels.append(label)
        counts.append(n)
    promise = (
        f"{sla[1]} days" if sla[0] == sla[1] else f"{sla[1]} days, the longest of {sla[0]}–{sla[1]}"
    )
    return Table(
        key="turnaround",
        title="Turnaround",
        caption="First hand-ins decided in the period, by the days from hand-in to decision",
        columns=["Decided within", "Hand-ins", "Share"],
        rows=rows,
        chart=_chart("bar", labels, [("Hand-ins", counts)]),
        note=f"{_share(on_time, total).text} decided within the assessor pools' turnaround "
        f"({promise}).",
    )


def _spending(money: Spending) -> Table:
    def amount(value: Decimal | None) -> Cell:
        value = Decimal(value or 0).quantize(Decimal("0.01"))
        return Cell(format_money(value, money.currency), value)

    rows = []
    for row in money.rows:
        budget = row["budget"]
        left = (budget - (row["approved"] or 0) - (row["waiting"] or 0)) if budget else None
        rows.append(
            [
                Cell(row["name"]),
                amount(budget) if budget is not None else Cell("No budget", ""),
                amount(row["approved"]),
                amount(row["waiting"]),
                amount(left) if left is not None else Cell("—", ""),
            ]
        )
    rows.append(
        [
            Cell("All schools"),
            amount(money.budget),
            amount(money.approved),
            amount(money.waiting),
            amount(money.budget - money.approved - money.waiting),
        ]
    )
    shown = money.rows
    note = f"Fees and stipends the program pays, in {money.year}, against each school's budget."
    if money.schools > len(money.rows):
        note += f" The {len(money.rows)} costliest of {money.schools:,} schools, and all of them."
    if money.currencies > 1:
        note += f" Only what is in {money.currency} is shown: some entries are in another currency."
    return Table(
        key="spending",
        title=f"Spending against budget, {money.year}",
        caption=f"The program's cost by school in {money.year}: budget, approved, waiting "
        "for approval and left",
        columns=["School", "Budget", "Approved", "Waiting", "Left"],
        rows=rows,
        chart=_chart(
            "bar",
            [row["name"] for row in shown],
            [
                ("Budget", [float(row["budget"] or 0) for row in shown]),
                ("Approved", [float(row["approved"] or 0) for row in shown]),
                ("Waiting", [float(row["waiting"] or 0) for row in shown]),
            ],
            horizontal=True,
        )
        if shown
        else None,
        note=note,
    )


def _chart(
    kind: str,
    labels: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    horizontal: bool = False,
    percent: bool = False,
) -> dict[str, Any]:
    """What dashboard.js hands to Chart.js: the same numbers as the table."""
    return {
        "type": kind,
        "labels": labels,
        "datasets": [{"label": label, "data": data} for label, data in series],
        "horizontal": horizontal,
        "percent": percent,
    }
