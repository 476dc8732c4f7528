"""Benchmark a OneRoster import of 100,000 people against PostgreSQL's COPY of the same rows.

    python -m bench.rosters [--users 100000] [--rounds 3] [--bad 10000] [--postgres URL]

On a throw-away database (`--postgres`, default postgres://postgres@localhost:5432; the
database microcred_bench_rosters is made and dropped here), migrated, with one district:

1. a OneRoster 1.2 package is written to a temporary folder: a district, 50 schools,
   `--users` teachers (one role each) in users.csv and roles.csv;
2. rounds alternate (COPY, import, COPY, import, ..., COPY): the import reads the package
   (`read_package`), checks it (`roster_check`) and applies it (`roster_apply`) into a new
   district each round (so every person is new: the emails carry the round); COPY loads the
   same number of people and memberships, with the same columns, into `core_user` and
   `core_membership` with psycopg's COPY ... FROM STDIN, in a transaction rolled back after;
   each round's time is printed, then the ratio of the import to the median of the COPYs
   around it, and the median of the rounds' ratios;
3. the report of a package with `--bad` bad rows (short rows, bad emails, dangling orgs,
   duplicate ids) is timed: read and check, nothing applied.

Goal (issue 16): the import <= 5x the COPY and <= 60 s; the report of 10,000 bad rows
<= 10 s. Exits 1 past a goal.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.badges import drop_database, recreate_database

DATABASE = "microcred_bench_rosters"
SCHOOLS = 50
GOAL_RATIO = 5.0
GOAL_IMPORT_S = 60.0
GOAL_REPORT_S = 10.0
MANIFEST = [
    ("manifest.version", "1.0"),
    ("oneroster.version", "1.2"),
    ("file.academicSessions", "absent"),
    ("file.categories", "absent"),
    ("file.classes", "absent"),
    ("file.classResources", "absent"),
    ("file.courses", "absent"),
    ("file.courseResources", "absent"),
    ("file.demographics", "absent"),
    ("file.enrollments", "absent"),
    ("file.lineItemLearningObjectiveIds", "absent"),
    ("file.lineItems", "absent"),
    ("file.lineItemScoreScales", "absent"),
    ("file.orgs", "bulk"),
    ("file.resources", "absent"),
    ("file.results", "absent"),
    ("file.resultLearningObjectiveIds", "absent"),
    ("file.resultScoreScales", "absent"),
    ("file.roles", "bulk"),
    ("file.scoreScales", "absent"),
    ("file.userProfiles", "absent"),
    ("file.userResources", "absent"),
    ("file.users", "bulk"),
]
ORG_COLUMNS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
               "parentSourcedId"]  # fmt: skip
USER_COLUMNS = ["sourcedId", "status", "dateLastModified", "enabledUser", "username",
                "userIds", "givenName", "familyName", "middleName", "identifier", "email",
                "sms", "phone", "agentSourcedIds", "grades", "password",
                "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
                "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
                "pronouns"]  # fmt: skip
ROLE_COLUMNS = ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType",
                "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"]  # fmt: skip
STAMP = "2026-09-01T00:00:00.000Z"


def write_package(folder: Path, users: int, tag: str, bad: int = 0) -> None:
    """A 1.2 package: one district, SCHOOLS schools, `users` teachers; `bad` rows broken."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["propertyName", "value"])
        writer.writerows(MANIFEST)
    with (folder / "orgs.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ORG_COLUMNS)
        writer.writerow(["d1", "active", STAMP, "Bench Roster District", "district", "D1", ""])
        for n in range(SCHOOLS):
            writer.writerow([f"s{n}", "active", STAMP, f"School {n}", "school", f"S{n}", "d1"])
    with (
        (folder / "users.csv").open("w", newline="") as out,
        (folder / "roles.csv").open("w", newline="") as roles_out,
    ):
        users_csv, roles_csv = csv.writer(out), csv.writer(roles_out)
        users_csv.writerow(USER_COLUMNS)
        roles_csv.writerow(ROLE_COLUMNS)
        for n in range(users):
            school = f"s{n % SCHOOLS}"
            email = f"teacher{n}.{tag}@roster.example"
            row = [f"u{n}", "active", STAMP, "true", email, "", f"Given{n}", f"Family{n}", "",
                   f"T{n}", email, "", "", "", "", "", "", "", "", "", "", school, ""]  # fmt: skip
            if n < bad:
                kind = n % 4
                if kind == 0:
                    row = row[:5]  # a short row
                elif kind == 1:
                    row[10] = f"not-an-email-{n}"
                elif kind == 2:
                    row[0] = "u0"  # a duplicate id
            users_csv.writerow(row)
            org = "s-missing" if n < bad and n % 4 == 3 else school
            roles_csv.writerow(
                [f"r{n}", "active", STAMP, f"u{n}", "primary", "teacher", "", "", org, ""]
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bad", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgres://postgres@localhost:5432")
    args = parser.parse_args(argv)
    recreate_database(args.postgres, DATABASE)
    var = Path(tempfile.mkdtemp(prefix="bench-rosters-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="microcred.settings",
        DATABASE_URL=f"{args.postgres.rstrip('/')}/{DATABASE}",
        MICROCRED_VAR_DIR=str(var),
        DEBUG="false",
        CACHE_URL="locmemcache://",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        ok = run(args, var)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.postgres, DATABASE)
    sys.exit(0 if ok else 1)


def copy_round(users: int, tag: str) -> float:
    """COPY `users` people and their memberships into the real tables, rolled back."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from microcred.core.models import Organization

    school = Organization.objects.filter(kind="school").first()
    assert school is not None
    password = make_password(None)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        columns = "email, full_name, password, is_active, is_staff, is_superuser, date_joined"
        with raw.copy(f"COPY core_user ({columns}) FROM STDIN") as copy:
            for n in range(users):
                email, name = f"teacher{n}.{tag}@roster.example", f"Given{n} Family{n}"
                copy.write_row((email, name, password, True, False, False, STAMP))
        cursor.execute(
            "INSERT INTO core_membership (user_id, organization_id, role, created_at) "
            "SELECT id, %s, 'educator', now() FROM core_user WHERE email LIKE %s",
            [school.pk, f"%.{tag}@roster.example"],
        )
        transaction.set_rollback(True)
    return time.perf_counter() - started


def import_round(folder: Path, n: int) -> float:
    from microcred.core.services import organization_create
    from microcred.rosters import services
    from microcred.rosters.oneroster import read_package

    district = organization_create(actor=None, name=f"Roster District {n}", kind="district")
    started = time.perf_counter()
    roster = read_package(folder)
    record = services.roster_check(actor=None, organization=district, name="r", roster=roster)
    applied = services.roster_apply(actor=None, record=record, roster=roster)
    elapsed = time.perf_counter() - started
    assert applied.people_added == len(roster.users), (applied.people_added, roster.problems[:3])
    return elapsed


def run(args: argparse.Namespace, var: Path) -> bool:
    from microcred.core.services import organization_create
    from microcred.rosters import services
    from microcred.rosters.oneroster import read_package

    district = organization_create(actor=None, name="Copy District", kind="district")
    organization_create(actor=None, name="Copy School", kind="school", parent=district)
    print(f"{args.users:,} teachers in {SCHOOLS} schools; {args.rounds} rounds, alternated")
    ratios, imports = [], []
    before = copy_round(args.users, "c0")
    for n in range(1, args.rounds + 1):
        folder = var / f"package{n}"
        write_package(folder, args.users, f"r{n}")
        took = import_round(folder, n)
        after = copy_round(args.users, f"c{n}")
        base = statistics.median([before, after])
        ratios.append(took / base)
        imports.append(took)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"round {n}: COPY {before:6.2f} s, import {took:6.2f} s, COPY {after:6.2f} s: "
            f"{took / base:5.2f}x   load {load}"
        )
        before = after
    ratio, slowest = statistics.median(ratios), max(imports)
    print(
        f"import / COPY, median of the rounds: {ratio:.2f}x (goal <= {GOAL_RATIO}); slowest "
        f"import {slowest:.1f} s (goal <= {GOAL_IMPORT_S:.0f} s)"
    )
    folder = var / "bad"
    write_package(folder, args.users, "bad", bad=args.bad)
    started = time.perf_counter()
    roster = read_package(folder)
    check = organization_create(actor=None, name="Check District", kind="district")
    services.roster_check(actor=None, organization=check, name="bad", roster=roster)
    report = time.perf_counter() - started
    print(
        f"report of {args.bad:,} bad rows among {args.users:,}: {len(roster.errors):,} errors "
        f"in {report:.2f} s (goal <= {GOAL_REPORT_S:.0f} s)"
    )
    return ratio <= GOAL_RATIO and slowest <= GOAL_IMPORT_S and report <= GOAL_REPORT_S


if __name__ == "__main__":
    main()
