"""The program dashboard on the state-scale data: the district admin's page against its
main aggregate SQL alone (issue 15: p95 <= 1 s and the page <= 2x the SQL).

    python -m bench.dashboard [--as EMAIL] [--rounds 5] [--requests 15] [--fill]

Needs DATABASE_URL set to the PostgreSQL database `python -m bench.generate --scale state`
filled, and `manage.py collectstatic` (the page links its static files through the manifest).

`--fill` first gives the generated state the program data the generator does not write, with
INSERT ... SELECT in one transaction (once: it does nothing when there is some already): each
district's program terms ($40 fee paid by the district, $200 a credential), a budget for every
school this year, a fee entry for every handed-in attempt and a stipend entry for every award
(approved when older than thirty days), and the licensure credit entry of every award (its
version's credit hours; revoked with the attempt's badge); and each district's stacks, an
agreement for one educator in twenty and a school leader's recommendations (`fill_programs`),
so that `bench.crawl` opens the program pages on state-sized lists. Without it the spending and
credit figures count nothing.

Then, in this process with every cache off (as `bench.page`), signed in as the district's
program admin (the first district's, or --as), after one untimed request of each, it
alternates rounds of
- the page: `--requests` GETs of /reports/ through Django's test client (the whole
  middleware stack, the template, the charts' JSON), the default filters (the last twelve
  months, every school and credential);
- its main aggregate alone: the same number of runs of the statement the page's selector
  runs (`reports.selectors.activity_sql`, the same scope and period), with a cursor,
  fetching its rows, under the settings the page runs it with (`aggregate_settings`: JIT
  off, custom plans);
and prints each round's median of both, their ratio and the load average; then p50/p95 of
every page request, the median of the rounds' ratios, and the page's queries (one more
request). It exits 1 when p95 > 1 s or the median ratio > 2.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from typing import Any

GOAL_P95_MS = 1000.0
GOAL_RATIO = 2.0


def setup() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="microcred.settings",
        DEBUG="false",
        CACHE_URL="dummycache://",
        PUBLIC_PAGE_CACHE_SECONDS="0",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
    )
    import django

    django.setup()


def nearest_rank(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ----------------------------------------------------------------------------- the program data


def fill() -> None:
    """The program's ledger and credit, written in SQL (see the module's docstring)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from microcred.programs.models import CreditEntry, LedgerEntry

    if LedgerEntry.objects.exists() or CreditEntry.objects.exists():
        print("program data: there is some already; --fill does nothing")
        return
    year = timezone.localdate().year
    started = time.perf_counter()
    statements = [
        # Each district's terms.
        """INSERT INTO programs_programterms (organization_id, currency, assessment_fee,
               fee_payer, credential_stipend, updated_at)
           SELECT id, 'USD', 40, 'district', 200, now() FROM core_organization
            WHERE kind = 'district'""",
        # A budget for every school this year.
        """INSERT INTO programs_schoolbudget (terms_id, school_id, year, amount)
           SELECT t.id, s.id, %(year)s, 20000 FROM core_organization s
             JOIN programs_programterms t ON t.organization_id = s.parent_id
            WHERE s.kind = 'school'""",
        # The fee of every handed-in attempt, at its first hand-in.
        """INSERT INTO programs_ledgerentry (terms_id, educator_id, school_id, kind, amount,
               district_cost, currency, description, attempt_id, created_at, approved_at)
           SELECT t.id, a.educator_id, a.organization_id, 'fee', 0, 40, 'USD',
                  'Assessment fee, paid by the district', a.id, s.submitted_at,
                  CASE WHEN s.submitted_at < now() - interval '30 days'
                       THEN s.submitted_at + interval '7 days' END
             FROM earning_submission s
             JOIN earning_attempt a ON a.id = s.attempt_id
             JOIN core_organization o ON o.id = a.organization_id
             JOIN programs_programterms t ON t.organization_id = o.parent_id
            WHERE s.number = 1""",
        # The stipend of every award.
        """INSERT INTO programs_ledgerentry (terms_id, educator_id, school_id, kind, amount,
               district_cost, currency, description, award_id, created_at, approved_at)
           SELECT t.id, a.educator_id, a.organization_id, 'credential_stipend', 200, 200,
                  'USD', 'Stipend for a credential', w.id, w.awarded_at,
                  CASE WHEN w.awarded_at < now() - interval '30 days'
                       THEN w.awarded_at + interval '7 days' END
             FROM assessment_award w
             JOIN earning_attempt a ON a.id = w.attempt_id
             JOIN core_organization o ON o.id = a.organization_id
             JOIN programs_programterms t ON t.organization_id = o.parent_id""",
        # The credit of every award.
        """INSERT INTO programs_creditentry (award_id, educator_id, organization_id, version_id,
               hours, standards, earned_at, revoked_at, revoked_reason, created_at)
           SELECT w.id, a.educator_id, a.organization_id, a.version_id,
                  COALESCE(v.credit_hours, 0), '[]', w.awarded_at, a.revoked_at, '', now()
             FROM assessment_award w
             JOIN earning_attempt a ON a.id = w.attempt_id
             JOIN catalog_credentialversion v ON v.id = a.version_id""",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {"year": year} if "%(year)s" in sql else None)
    with connection.cursor() as cursor:
        for table in ("programterms", "schoolbudget", "ledgerentry", "creditentry"):
            cursor.execute(f"ANALYZE programs_{table}")
    print(
        f"program data: {LedgerEntry.objects.count():,} ledger entries and "
        f"{CreditEntry.objects.count():,} credit entries in {time.perf_counter() - started:.1f} s"
    )


def fill_programs() -> None:
    """Stacks, agreements and recommendations, so the crawl (`bench.crawl`) opens the program
    pages on state-sized lists: each district's teacher-leader stack ("agreed", three of the
    district's and the state's credentials; $500 and $3,000 a year) and its pathway (all of
    the district's first three), published; an agreement for one educator in twenty (two in
    three approved, the rest waiting for the school leader); and, in one school in four, the
    school leader's recommendation of the district's first credential to every educator."""
    from django.db import connection, transaction

    from microcred.programs.models import Stack

    if Stack.objects.exists():
        print("stacks: there are some already; --fill leaves them")
        return
    started = time.perf_counter()
    statements = [
        # Each organization's credentials, numbered.
        """CREATE TEMPORARY TABLE bench_first ON COMMIT DROP AS
           SELECT c.id, c.organization_id,
                  ROW_NUMBER() OVER (PARTITION BY c.organization_id ORDER BY c.id) AS n
             FROM catalog_credential c WHERE c.current_version_id IS NOT NULL""",
        """INSERT INTO programs_stack (slug, title, summary, rule, choose, grants, grant_title,
               grant_months, created_at, published_at, created_by_id, organization_id,
               stipend_on_completion, stipend_per_year)
           SELECT d.slug || '-' || kind.slug, d.name || ' ' || kind.title, kind.summary,
                  kind.rule, kind.choose, 'status', kind.grant_title, kind.months,
                  now() - interval '200 days', now() - interval '190 days',
                  (SELECT m.user_id FROM core_membership m
                    WHERE m.organization_id = d.id AND m.role = 'admin' ORDER BY m.id LIMIT 1),
                  d.id, kind.on_completion, kind.per_year
             FROM core_organization d,
                  (VALUES ('teacher-leader', 'teacher leader', 'Three credentials you agree
                           with your principal.', 'agreed', 3, 'Teacher leader', 12, 500, 3000),
                          ('pathway', 'coaching pathway', 'Every coach holds these three.',
                           'all', NULL, 'Instructional coach', 24, 0, 0))
                  AS kind(slug, title, summary, rule, choose, grant_title, months,
                          on_completion, per_year)
            WHERE d.kind = 'district'""",
        """INSERT INTO programs_stackcomponent (stack_id, credential_id, required, position)
           SELECT s.id, f.id, false, f.n - 1
             FROM programs_stack s JOIN bench_first f
               ON f.organization_id = s.organization_id AND f.n <= 5
            WHERE s.rule = 'agreed' OR f.n <= 3""",
        """INSERT INTO programs_stackcomponent (stack_id, credential_id, required, position)
           SELECT s.id, f.id, false, 4 + f.n
             FROM programs_stack s
             JOIN core_organization state ON state.kind = 'state'
             JOIN bench_first f ON f.organization_id = state.id
            WHERE s.rule = 'agreed'""",
        """INSERT INTO programs_stackagreement (stack_id, educator_id, school_id, state,
               created_at, updated_at)
           SELECT s.id, m.user_id, m.organization_id,
                  CASE WHEN m.user_id % 3 = 0 THEN 'proposed' ELSE 'approved' END,
                  now() - interval '60 days', now() - (m.user_id % 50) * interval '1 day'
             FROM core_membership m
             JOIN core_organization school ON school.id = m.organization_id
             JOIN programs_stack s ON s.organization_id = school.parent_id AND s.rule = 'agreed'
            WHERE m.role = 'educator' AND m.user_id % 20 = 0""",
        """INSERT INTO programs_agreementversion (agreement_id, number, growth_goal,
               target_date, proposed_at, decision, comment, decided_at, decided_by_id)
           SELECT a.id, 1, 'Use formative assessment every day, then lead my grade team.',
                  current_date + 365, a.created_at,
                  CASE WHEN a.state = 'approved' THEN 'approved' ELSE '' END,
                  CASE WHEN a.state = 'approved' THEN 'A strong plan.' ELSE '' END,
                  CASE WHEN a.state = 'approved' THEN a.updated_at END,
                  CASE WHEN a.state = 'approved' THEN (
                      SELECT m.user_id FROM core_membership m
                       WHERE m.organization_id = a.school_id AND m.role = 'leader'
                       ORDER BY m.id LIMIT 1) END
             FROM programs_stackagreement a""",
        """UPDATE programs_stackagreement a SET approved_id = v.id
             FROM programs_agreementversion v
            WHERE v.agreement_id = a.id AND a.state = 'approved'""",
        """INSERT INTO programs_agreementversion_credentials (agreementversion_id,
               credential_id)
           SELECT v.id, c.credential_id
             FROM programs_agreementversion v
             JOIN programs_stackagreement a ON a.id = v.agreement_id
             JOIN programs_stackcomponent c ON c.stack_id = a.stack_id AND c.position < 3""",
        """INSERT INTO programs_recommendation (credential_id, educator_id, organization_id,
               kind, reason, due_on, created_at, recommended_by_id)
           SELECT f.id, m.user_id, m.organization_id, 'recommended',
                  'Our school goal this year.', current_date + 120, now() - interval '10 days',
                  (SELECT l.user_id FROM core_membership l
                    WHERE l.organization_id = school.id AND l.role = 'leader'
                    ORDER BY l.id LIMIT 1)
             FROM core_membership m
             JOIN core_organization school ON school.id = m.organization_id
             JOIN bench_first f ON f.organization_id = school.parent_id AND f.n = 1
            WHERE m.role = 'educator' AND school.id % 4 = 0""",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        for table in (
            "stack",
            "stackcomponent",
            "stackagreement",
            "agreementversion",
            "agreementversion_credentials",
            "recommendation",
        ):
            cursor.execute(f"ANALYZE programs_{table}")
    from microcred.programs.models import Recommendation, StackAgreement

    print(
        f"stacks: {Stack.objects.count():,} stacks, {StackAgreement.objects.count():,} "
        f"agreements and {Recommendation.objects.count():,} recommendations in "
        f"{time.perf_counter() - started:.1f} s"
    )


# ----------------------------------------------------------------------------- timing


def district_admin(email: str) -> Any:
    from microcred.core.models import Membership, User

    if email:
        return User.objects.get(email=email)
    membership = (
        Membership.objects.filter(role="admin", organization__kind="district")
        .select_related("user")
        .order_by("organization__path", "pk")
        .first()
    )
    if membership is None:
        sys.exit("No generated data: run `python -m bench.generate --scale state` first.")
    return membership.user


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--as", dest="email", default="")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--fill", action="store_true")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from microcred.reports import selectors

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the generated PostgreSQL database.")
    if args.fill:
        fill()
        fill_programs()
    user = district_admin(args.email)
    choices = selectors.filter_choices(actor=user)
    scope = selectors.scope_for(actor=user, choices=choices, period=selectors.default_period())
    sql, params = selectors.activity_sql(scope)
    client = Client()
    client.force_login(user)

    def page() -> float:
        started = time.perf_counter()
        response = client.get("/reports/")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    def aggregate() -> float:
        started = time.perf_counter()
        with selectors.aggregate_settings(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    page()
    aggregate()
    print(
        f"{user.email} ({choices.label}), {scope.period.start} to {scope.period.end}: "
        f"{args.rounds} rounds of {args.requests} requests of each, alternated"
    )
    print(f"{'round':>5}  {'page ms':>9}  {'SQL ms':>8}  {'ratio':>6}  load average")
    pages: list[float] = []
    ratios: list[float] = []
    for n in range(1, args.rounds + 1):
        round_pages = [page() for _ in range(args.requests)]
        round_sql = [aggregate() for _ in range(args.requests)]
        pages += round_pages
        p, s = statistics.median(round_pages), statistics.median(round_sql)
        ratios.append(p / s)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{n:>5}  {p:9.1f}  {s:8.1f}  {p / s:6.2f}  {load}")
    p50, p95 = nearest_rank(pages, 0.5), nearest_rank(pages, 0.95)
    ratio = statistics.median(ratios)
    with CaptureQueriesContext(connection) as queries:
        page()
    print(
        f"\npage: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(pages)} requests "
        f"(goal p95 <= {GOAL_P95_MS:.0f} ms); {len(queries)} queries"
    )
    print(f"page / main aggregate SQL, median of the rounds: {ratio:.2f} (goal <= {GOAL_RATIO})")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {' '.join(query['sql'].split())[:110]}")
    sys.exit(0 if p95 <= GOAL_P95_MS and ratio <= GOAL_RATIO else 1)


if __name__ == "__main__":
    main()
