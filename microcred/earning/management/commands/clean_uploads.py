"""`manage.py clean_uploads`: forget abandoned evidence uploads.

`make run` enqueues the same clean-up every hour; at scale run this from cron instead
(hourly is enough). Uploads expire a day after their last byte (tus `Upload-Expires`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from microcred.earning.services import UPLOAD_ABANDONED_AFTER, uploads_clean


class Command(BaseCommand):
    help = "Remove evidence uploads (and their staged bytes) untouched for a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=int(UPLOAD_ABANDONED_AFTER.total_seconds() // 3600),
            help="How long an upload must be untouched to count as abandoned (default 24).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            self.stderr.write("--hours must be at least 1: uploads in progress must be left alone.")
            raise SystemExit(2)
        cleaned = uploads_clean(older_than=timedelta(hours=options["hours"]))
        self.stdout.write(
            f"Removed {cleaned.sessions} abandoned upload(s) and "
            f"{cleaned.orphan_files} leftover staging file(s)."
        )
