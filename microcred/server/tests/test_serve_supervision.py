"""`manage.py serve` (what `make run` starts) keeps the site up: a worker that dies is started
again while the web server keeps answering, and a task the dead worker was running is queued
again (or failed after three attempts), never left RUNNING.

These run real processes: `manage.py task_worker` (the worker `serve` starts) killed with
SIGKILL in the middle of a task, and `manage.py serve` on a free port against a database of
its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from microcred.core.tests.processes import database_url_of_tests
from microcred.core.tests.tasks import nap
from microcred.server import workers

ROOT = Path(__file__).resolve().parents[3]
KEPT_OUT = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "TASKS_BACKEND",
    "REDIS_URL",
    "DEBUG",
    "LOCAL_DEMO",
)


def wait_for(condition: Callable[[], object], what: str, timeout: float = 90) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def base_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in KEPT_OUT}, **extra}


def starts(log: Path) -> int:
    return log.read_text().count("started in") if log.exists() else 0


@pytest.fixture
def database_tasks(settings, transactional_db) -> str:
    """Tasks queue in the test database, where a worker process can see them (its URL)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return database_url_of_tests()


@pytest.fixture
def worker_process(database_tasks) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
        process = subprocess.Popen(  # noqa: S603 - fixed argv
            [*command, "--queue-name", "*", "--interval", "0.2", *args],
            cwd=ROOT,
            env=base_env(DATABASE_URL=database_tasks),
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_task_left_running_by_a_killed_worker_is_queued_again_and_finishes(
    tmp_path, worker_process
):
    log = tmp_path / "nap.log"
    result = nap.enqueue(seconds=3, log=str(log))
    first_worker = workers.worker_id(generation=1)

    worker = worker_process("--worker-id", first_worker)
    wait_for(lambda: starts(log) == 1, "the worker to start the task")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING  # what a killed worker leaves behind
    assert row.worker_ids == [first_worker]

    recovery = workers.task_results_recover(live_worker_ids=())

    assert recovery.requeued == [str(row.pk)] and recovery.failed == []
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.started_at is None

    batch = worker_process("--batch", "--worker-id", workers.worker_id(generation=2))
    assert batch.wait(timeout=120) == 0
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "rested"
    assert len(result.worker_ids) == 2
    assert starts(log) == 2 and log.read_text().count("finished in") == 1


def test_task_whose_workers_keep_dying_is_failed_not_retried_for_ever(tmp_path, database_tasks):
    result = nap.enqueue(seconds=0, log=str(tmp_path / "nap.log"))
    dead = [workers.worker_id(generation=n) for n in (1, 2, 3)]
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=dead
    )

    recovery = workers.task_results_recover(live_worker_ids=())

    assert recovery.failed == [str(result.id)] and recovery.requeued == []
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "microcred.server.workers.WorkerLost"
    assert "stopped before it finished, 3 times" in result.errors[0].traceback


def test_tasks_of_running_or_foreign_workers_are_left_alone(tmp_path, database_tasks):
    other_serve = subprocess.Popen(["sleep", "60"])  # noqa: S607 - a live process, any will do
    try:
        host = workers.worker_id(generation=1).split(":")[1]
        live_elsewhere = f"serve:{host}:{other_serve.pid}:1"
        still_ours = workers.worker_id(generation=7)
        by_hand = "kVq0c4Xl1bW2pSg8ZrN5yTe6uJm3dHf9"  # db_worker's own random id
        other_host = f"serve:another-host:{os.getpid()}:1"
        rows = {}
        for worker in (live_elsewhere, still_ours, by_hand, other_host):
            result = nap.enqueue(seconds=0, log=str(tmp_path / "nap.log"))
            DBTaskResult.objects.filter(pk=result.id).update(
                status=TaskResultStatus.RUNNING, worker_ids=[worker]
            )
            rows[worker] = result.id

        recovery = workers.task_results_recover(live_worker_ids={still_ours})

        assert recovery.requeued == [] and recovery.failed == []
        statuses = set(
            DBTaskResult.objects.filter(pk__in=rows.values()).values_list("status", flat=True)
        )
        assert statuses == {TaskResultStatus.RUNNING}
    finally:
        other_serve.kill()
        other_serve.wait()

    # Once that serve has stopped, what its worker left is taken up again.
    assert workers.task_results_recover(live_worker_ids={still_ours}).requeued == [
        str(rows[live_elsewhere])
    ]


# --- serve itself ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:  # not listening (yet, or any more)
        return 0, ""


def group_members(group: int) -> list[int]:
    """Processes of a process group still running (Linux /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def pids(log: Path, child: str) -> list[int]:
    return [int(p) for p in re.findall(rf"Started the {child} \(pid (\d+)\)", log.read_text())]


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path, Path, subprocess.Popen[bytes]]]:
    """`manage.py serve` as `make run` starts it (LOCAL_DEMO), on its own database, with a
    sleeping task in its queue; yields its address, its log, the task's log, the process."""
    database = tmp_path / "serve.sqlite3"
    env = base_env(
        LOCAL_DEMO="1",
        DATABASE_URL=f"sqlite:///{database}",
        MICROCRED_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="1",
    )
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    nap_log = tmp_path / "nap.log"
    enqueue = (
        f"from microcred.core.tests.tasks import nap; nap.enqueue(seconds=4, log={str(nap_log)!r})"
    )
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "shell", "-c", enqueue],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    serve_log = tmp_path / "serve.log"
    with serve_log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}", serve_log, nap_log, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in pids(serve_log, "worker") + pids(serve_log, "web server"):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)  # each child leads its own group


def test_serve_restarts_a_killed_worker_and_keeps_serving(served):
    site, serve_log, nap_log, process = served
    wait_for(lambda: get(f"{site}/healthz")[0] == 200, "the web server to answer")
    wait_for(lambda: starts(nap_log) == 1, "the worker to start the sleeping task")
    (first_worker,) = pids(serve_log, "worker")

    os.kill(first_worker, signal.SIGKILL)
    answers = []

    def restarted() -> bool:
        answers.append(get(f"{site}/healthz")[0])
        return len(pids(serve_log, "worker")) == 2

    wait_for(restarted, "serve to start the worker again", timeout=60)
    wait_for(lambda: "finished in" in nap_log.read_text(), "the task to run again and finish")

    assert answers and set(answers) == {200}  # the web server answered all along
    assert len(pids(serve_log, "web server")) == 1  # and was never restarted
    log = serve_log.read_text()
    assert "The worker stopped (exit code -9)" in log and "starting it again in 1 s" in log
    assert "queued again (attempt 2 of 3)" in log
    assert starts(nap_log) == 2
    # The local demo shows our own error pages, not Django's list of URL patterns.
    status, html = get(f"{site}/no-such-page/")
    assert status == 404 and "We couldn't find that page" in html and "URLconf" not in html

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert "Stopped the web server and the worker." in serve_log.read_text()
    database = serve_log.with_name("serve.sqlite3")
    status, worker_ids = (
        sqlite3.connect(database)
        .execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%.nap'"
        )
        .fetchone()
    )
    assert status == "SUCCESSFUL" and len(json.loads(worker_ids)) == 2


def test_serve_restarts_a_killed_web_server(served):
    site, serve_log, _, process = served
    wait_for(lambda: get(f"{site}/healthz")[0] == 200, "the web server to answer")
    (first_server,) = pids(serve_log, "web server")

    os.kill(first_server, signal.SIGKILL)

    wait_for(lambda: len(pids(serve_log, "web server")) == 2, "serve to start the web server again")
    wait_for(lambda: get(f"{site}/healthz")[0] == 200, "the new web server to answer")
    assert "The web server stopped (exit code -9)" in serve_log.read_text()
    # Its own worker processes went with it: none keeps the port answering with old code.
    wait_for(lambda: not group_members(first_server), "the old server's processes to go")
    assert len(pids(serve_log, "worker")) == 1  # the worker was left alone
    assert process.poll() is None
