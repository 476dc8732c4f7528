"""`manage.py issue_pending_credentials`: sign the credential of every award that has none
(a task that failed or was lost, or awards imported from elsewhere). Safe to run any time:
an award that has a credential keeps it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from microcred.badges.tasks import issue_pending_credentials


class Command(BaseCommand):
    help = "Sign the Open Badges credential of every award that has none yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        signed = issue_pending_credentials.call(options["limit"] or 10**12)
        self.stdout.write(f"Signed {signed} credential{'s' if signed != 1 else ''}.")
