"""`manage.py serve`: the web server and the task worker together, for `make run`.

Starts granian (the application server chosen with the benchmark, see
docs/decisions/0011) and the django-tasks database worker as child processes, prints where to go and how
to sign in, and stops both on Ctrl-C or SIGTERM. While it runs it enqueues the periodic
tasks (review reminders) every hour; at scale a cron job runs `manage.py remind_reviews`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from microcred.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, is_loaded

PERIODIC_SECONDS = 3600


def enqueue_periodic() -> None:
    """The hourly tasks; each is idempotent (a reminder goes out once a day per review; an
    award that has its badge keeps it)."""
    from microcred.assessment.tasks import remind_due_reviews
    from microcred.badges.tasks import issue_pending_credentials
    from microcred.earning.tasks import clean_abandoned_uploads

    remind_due_reviews.enqueue()
    issue_pending_credentials.enqueue()
    clean_abandoned_uploads.enqueue()


class Command(BaseCommand):
    help = "Run the web server and the background worker until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        web = [
            *(python, "-m", "granian", "--interface", "wsgi", "microcred.wsgi:application"),
            *("--host", options["host"], "--port", str(options["port"])),
            *("--workers", str(options["workers"]), "--blocking-threads", "4"),
            *("--access-log", "--no-ws", "--workers-kill-timeout", "5"),
        ]
        worker = [
            python,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "1",
            "--no-reload",
        ]
        if "django_tasks_rq" in settings.TASKS["default"]["BACKEND"]:
            # RQ calls a job's function; django-tasks-rq's Job class calls the Task inside it.
            # No fork per job (SimpleWorker): forking costs more than signing a badge
            # (bench.badges: 38 tasks/s against 5).
            worker = [
                python,
                "manage.py",
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--worker-class",
                "rq.worker.SimpleWorker",
            ]
        # Each child runs in its own session, so Ctrl-C reaches only this command, which
        # then stops the server and the worker in order (not three processes at once).
        procs = [
            subprocess.Popen(web, start_new_session=True),  # noqa: S603 - fixed argv
            subprocess.Popen(worker, start_new_session=True),  # noqa: S603
        ]
        self._banner(options["host"], options["port"])

        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        next_periodic = time.monotonic()
        try:
            while not stopping and all(p.poll() is None for p in procs):
                if time.monotonic() >= next_periodic:
                    enqueue_periodic()
                    next_periodic = time.monotonic() + PERIODIC_SECONDS
                time.sleep(0.3)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
            self.stdout.write("Stopped the web server and the worker.")
        failed = [p for p in procs if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit(1)

    def _banner(self, host: str, port: int) -> None:
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
        lines = ["", f"  Microcred is running at http://{shown}:{port}/", ""]
        if is_loaded():
            lines.append(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
            width = max(len(email) for email, _ in DEMO_LOGINS) + 2
            lines += [f"    {email.ljust(width)}  {label}" for email, label in DEMO_LOGINS]
            lines.append(
                f"    {'operator@microcred.example'.ljust(width)}  Site operator (admin site at /admin/)"
            )
        lines += ["", "  Email is printed by the worker below. Press Ctrl-C to stop.", ""]
        self.stdout.write("\n".join(lines))
