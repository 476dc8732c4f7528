"""`manage.py serve`: the web server and the task worker together, for `make run`.

Starts granian (the application server chosen with the benchmark, see docs/decisions/0011)
and the django-tasks database worker as child processes, prints where to go and how to sign
in, and stops both on Ctrl-C or SIGTERM. While it runs it enqueues the periodic tasks (review
reminders) every hour; at scale a cron job runs `manage.py remind_reviews`.

It supervises both children. A worker that stops (crash, out of memory, killed) is started
again after a pause (1 s, doubling with each stop in a row, at most a minute), and the tasks it
left RUNNING are queued again first (or failed after three attempts; see server.workers); the
web server keeps serving meanwhile. The web server is restarted the same way, and granian
respawns its own worker processes; a web server that stops five times in a row right after
starting (a taken port, broken settings) makes this command stop with exit code 1 rather
than loop. Each stop and start is a log line.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from microcred.assessment.tasks import remind_due_reviews
from microcred.badges.tasks import issue_pending_credentials
from microcred.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, is_loaded
from microcred.earning.tasks import clean_abandoned_uploads
from microcred.programs.tasks import pay_status_stipends
from microcred.server import workers

logger = logging.getLogger("microcred.serve")

PERIODIC_SECONDS = 3600
# A child that stops is started again after a pause that doubles with each stop in a row
# (1, 2, 4 … 60 s); a child that ran STEADY_SECONDS before stopping starts the count again.
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
STEADY_SECONDS = 30.0
# The web server that stops this many times in a row without ever running steadily cannot
# start (the port is taken, the settings are wrong): this command stops rather than loop.
WEB_GIVE_UP_AFTER = 5


def keep_site_url() -> None:
    """Write the SITE_URL this server runs under to var/site_url, where settings read it when
    SITE_URL is not set: a later `manage.py revoke_credential` signs under the same issuer
    DIDs as the server (docs/decisions/0015)."""
    path = settings.SITE_URL_FILE
    if not path.exists() or path.read_text().strip() != settings.SITE_URL:
        path.write_text(settings.SITE_URL + "\n")


def enqueue_periodic() -> None:
    """The hourly tasks; each is idempotent (a reminder goes out once a day per review; an
    award that has its badge keeps it; a status pays each of its years once)."""
    remind_due_reviews.enqueue()
    issue_pending_credentials.enqueue()
    clean_abandoned_uploads.enqueue()
    pay_status_stipends.enqueue()


def _recover_tasks() -> None:
    """Queue again the tasks a stopped worker of ours left RUNNING (see server.workers)."""
    try:
        workers.task_results_recover(live_worker_ids=())
    except Exception:  # a busy or missing database must not stop the supervisor
        logger.exception("Could not check for tasks left running by a stopped worker.")
    finally:
        close_old_connections()


def _dies_with_this_process(sig: int) -> Callable[[], None] | None:
    """On Linux, a child that receives `sig` when this command dies without stopping it
    (SIGKILL): no orphaned server holding the port, and no orphaned worker still running a
    task that the next `serve` believes abandoned (core.workers judges by this pid)."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, sig, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return set_parent_death_signal


class Child:
    """One supervised process: started again with a growing pause when it stops."""

    def __init__(
        self,
        name: str,
        argv: Callable[[], list[str]],
        *,
        parent_death_signal: int,
        give_up: bool = False,
    ):
        self.name, self.argv, self.give_up = name, argv, give_up
        self.parent_death_signal = parent_death_signal
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.stops_in_a_row = 0
        self.restart_at: float | None = None

    def start(self) -> None:
        # Each child runs in its own session, so Ctrl-C reaches only this command, which then
        # stops the server and the worker in order (not three processes at once).
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv
            self.argv(),
            start_new_session=True,
            preexec_fn=_dies_with_this_process(self.parent_death_signal),
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        logger.info("Started the %s (pid %d).", self.name, self.proc.pid)

    def supervise(self) -> bool:
        """Notice a stop and restart when due; True when this command should give up."""
        now = time.monotonic()
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            ran = now - self.started_at
            self._kill_leftovers()
            self.stops_in_a_row = 1 if ran >= STEADY_SECONDS else self.stops_in_a_row + 1
            self.proc = None
            if self.give_up and self.stops_in_a_row >= WEB_GIVE_UP_AFTER:
                logger.error(
                    "The %s stopped %d times in a row right after starting (last exit code %s); "
                    "giving up. Is the port already in use? See its messages above.",
                    self.name,
                    self.stops_in_a_row,
                    code,
                )
                return True
            delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (self.stops_in_a_row - 1))
            logger.warning(
                "The %s stopped (exit code %s) after %.0f s; starting it again in %.0f s.",
                self.name,
                code,
                ran,
                delay,
            )
            self.restart_at = now + delay
        if self.proc is None and self.restart_at is not None and now >= self.restart_at:
            self.start()
        return False

    def _kill_leftovers(self) -> None:
        """A child killed outright leaves its own children behind (granian's worker processes
        keep the port and answer with the old code); they share its process group."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._kill_leftovers()


class Command(BaseCommand):
    help = "Run the web server and the background worker until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep_site_url()
        python = sys.executable
        web = [
            *(python, "-m", "granian", "--interface", "wsgi", "microcred.wsgi:application"),
            *("--host", options["host"], "--port", str(options["port"])),
            *("--workers", str(options["workers"]), "--blocking-threads", "4"),
            *("--access-log", "--no-ws", "--workers-kill-timeout", "5"),
            # granian restarts one of its own worker processes that dies; this command
            # restarts granian itself.
            "--respawn-failed-workers",
        ]
        rq = "django_tasks_rq" in settings.TASKS["default"]["BACKEND"]
        generation = 0

        def worker() -> list[str]:
            nonlocal generation
            if rq:
                # RQ calls a job's function; django-tasks-rq's Job class calls the Task inside
                # it. No fork per job (SimpleWorker): forking costs more than signing a badge
                # (bench.badges: 38 tasks/s against 5). RQ fails abandoned jobs itself.
                return [
                    python,
                    "manage.py",
                    "rqworker",
                    "default",
                    "--job-class",
                    "django_tasks_rq.Job",
                    "--worker-class",
                    "rq.worker.SimpleWorker",
                ]
            # What the previous worker left running is queued again before the next starts.
            _recover_tasks()
            generation += 1
            return [
                *(python, "manage.py", "task_worker", "--queue-name", "*", "--interval", "1"),
                *("--no-reload", "--worker-id", workers.worker_id(generation=generation)),
            ]

        children = [
            Child("web server", lambda: web, parent_death_signal=signal.SIGTERM, give_up=True),
            # Killed outright: what it was running is then surely abandoned, and re-queued.
            Child("worker", worker, parent_death_signal=signal.SIGKILL),
        ]
        for child in children:
            child.start()
        self._banner(options["host"], options["port"])

        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        next_periodic = time.monotonic()
        failed = False
        try:
            while not stopping and not failed:
                for child in children:
                    failed = child.supervise() or failed
                if time.monotonic() >= next_periodic:
                    try:
                        enqueue_periodic()
                    except Exception:  # the database may be busy or gone; try next round
                        logger.exception("Could not enqueue the periodic tasks.")
                    next_periodic = time.monotonic() + PERIODIC_SECONDS
                time.sleep(0.3)
        finally:
            for child in children:
                child.terminate()
            deadline = time.monotonic() + 10
            for child in children:
                child.wait(deadline)
            self.stdout.write("Stopped the web server and the worker.")
        if failed:
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
        lines += [
            "",
            f"  SITE_URL is {settings.SITE_URL} (from {settings.SITE_URL_SOURCE}); later",
            f"  commands read it from {settings.SITE_URL_FILE} when SITE_URL is not set.",
        ]
        site = urlsplit(settings.SITE_URL)
        if site.hostname in ("localhost", "127.0.0.1") and site.port not in (port, None):
            # The demo's issuers keep the DID they were given: serve where they point.
            lines.append(
                f"  This server listens on port {port}, but links and the issuers' did:web "
                f"point at port {site.port}: start it with PORT={site.port}."
            )
        lines += [
            "",
            "  Email is printed by the worker below. Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
