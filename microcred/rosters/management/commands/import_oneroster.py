"""`manage.py import_oneroster ZIP_OR_FOLDER --into DISTRICT_SLUG [--dry-run] [--role R=ROLE]`

Reads a OneRoster 1.1 or 1.2 CSV package and prints its report: every problem with its
file, line and field. Without errors (and without --dry-run) it is applied in one
transaction, and what changed is printed. The exit status is 0 when it was applied (or,
with --dry-run, would be), 1 when nothing could be applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.core.errors import Invalid
from microcred.core.models import Organization
from microcred.rosters import services
from microcred.rosters.oneroster import read_package


class Command(BaseCommand):
    help = "Import a OneRoster CSV package (zip or folder) into a district."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("package", metavar="ZIP_OR_FOLDER")
        parser.add_argument("--into", required=True, metavar="DISTRICT_SLUG")
        parser.add_argument("--dry-run", action="store_true", help="Check only; change nothing.")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            metavar="ONEROSTER_ROLE=ROLE",
            help="Map a OneRoster role to a Microcred role (or to nothing: 'aide='). Repeatable.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            district = Organization.objects.get(slug=options["into"])
        except Organization.DoesNotExist:
            raise CommandError(f"No organization with the slug {options['into']!r}.") from None
        role_map = {}
        for pair in options["role"]:
            source, sep, target = pair.partition("=")
            if not sep:
                raise CommandError(f"--role {pair!r}: write it as teacher=educator.")
            role_map[source.strip()] = target.strip()
        path = Path(options["package"])
        roster = read_package(path)
        for problem in roster.problems:
            where = ":".join(str(x) for x in (problem.file, problem.line) if x)
            column = f" [{problem.field}]" if problem.field else ""
            self.stdout.write(f"{problem.severity}: {where}{column} {problem.message}")
        self.stdout.write(
            f"{len(roster.orgs)} orgs, {len(roster.users)} users read; "
            f"{len(roster.errors)} errors, {len(roster.problems) - len(roster.errors)} warnings."
        )
        try:
            record = services.roster_check(
                actor=None, organization=district, name=path.name, roster=roster
            )
        except Invalid as error:
            raise CommandError(str(error)) from None
        if not roster.ok:
            raise CommandError("Nothing was imported: fix the errors above and run it again.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            applied = services.roster_apply(
                actor=None, record=record, roster=roster, role_map=role_map
            )
        except Invalid as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Applied: {applied.schools_added} schools added, {applied.schools_renamed} "
            f"renamed; {applied.people_added} people added, {applied.people_changed} changed, "
            f"{applied.people_deactivated} deactivated, {applied.people_reactivated} "
            f"reactivated; {applied.memberships_added} memberships added; "
            f"{applied.people_ignored} rows without a role that gives one (students, guardians)."
        )
        for reason in applied.skipped:
            self.stdout.write(f"skipped: {reason}")
