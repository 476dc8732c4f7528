"""`manage.py verify_credential FILE...`: the verifier's verdicts on the command line.

Each FILE is a credential's JSON or a baked PNG or SVG badge. One JSON line per file:
`{"file": ..., "verified": true|false, "outcome": ..., "status": ..., "checks": {...}}`, where
the outcome is verified, not-verified or could-not-check (a DID document or status list that
could not be fetched). The exit status is 0 when every file verifies, 1 when any does not,
2 when none failed but some could not be checked.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.badges import verify


class Command(BaseCommand):
    help = "Verify credentials (JSON, or PNG/SVG badges with a credential baked in)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--now",
            help="Check validity dates at this moment (ISO 8601) instead of the current time.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"].replace("Z", "+00:00"))
            except ValueError:
                raise CommandError(f"--now {options['now']!r} is not an ISO 8601 date.") from None
        outcomes: set[str] = set()
        for name in options["files"]:
            path = Path(name)
            try:
                with path.open("rb") as handle:
                    data = handle.read(verify.MAX_BYTES + 1)
            except OSError as error:
                verdict = verify.unreadable(f"The file cannot be read: {error.strerror}.")
            else:
                verdict = verify.verify_bytes(data, now=now)
            outcomes.add(verdict.outcome)
            line = {"file": name, **verdict.as_json()}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if "not-verified" in outcomes:
            sys.exit(1)
        if "could-not-check" in outcomes:
            sys.exit(2)
