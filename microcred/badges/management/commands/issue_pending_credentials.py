"""`manage.py issue_pending_credentials`: sign the credential of every award that has none
(a task that failed or was lost, or awards imported from elsewhere). Safe to run any time:
an award that has a credential keeps it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from microcred.assessment.models import Award
from microcred.badges.services import credential_issue


class Command(BaseCommand):
    help = "Sign the Open Badges credential of every award that has none yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = Award.objects.filter(credentials__isnull=True).order_by("pk")
        ids = list(pending.values_list("pk", flat=True)[: options["limit"] or None])
        for award_id in ids:
            credential_issue(award=Award(pk=award_id))
        self.stdout.write(f"Signed {len(ids)} credential{'s' if len(ids) != 1 else ''}.")
