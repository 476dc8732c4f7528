"""`manage.py task_worker` (microcred.server.task_worker): django-tasks-db's worker claiming
several tasks per transaction. Each task still runs once and has its own result, a failing
task does not stop the others, and a worker asked to stop puts back what it claimed and did
not start, and `serve`'s recovery counts an attempt only for the task a killed worker was
running. On SQLite and PostgreSQL (the test database, in this process and in others)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from microcred.core.tests.processes import database_url_of_tests
from microcred.core.tests.tasks import nap
from microcred.server import workers
from microcred.server.task_worker import BatchWorker
from microcred.server.tests.tasks import fail, note

ROOT = Path(__file__).resolve().parents[3]
KEPT_OUT = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "TASKS_BACKEND", "REDIS_URL", "DEBUG")
OPTIONS = ("--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def worker(*, claim: int, max_tasks: int | None = None) -> BatchWorker:
    return BatchWorker(
        claim=claim,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


def keys_run(log: Path) -> list[str]:
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def claims_in(queries: CaptureQueriesContext) -> int:
    """SELECTs of the queue (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has no such
    clause, its claims are serialized by an exclusive transaction instead)."""
    table = DBTaskResult._meta.db_table
    return sum(
        query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]
        for query in queries.captured_queries
    )


@pytest.mark.django_db(transaction=True)
def test_tasks_are_claimed_several_per_transaction_and_each_gets_its_result(
    database_tasks, tmp_path
):
    log = tmp_path / "runs.log"
    results = [note.enqueue(key=f"t{n}", log=str(log)) for n in range(7)]

    with CaptureQueriesContext(connection) as queries:
        worker(claim=3).run()

    assert keys_run(log) == [f"t{n}" for n in range(7)]  # in queue order, once each
    # 3 + 3 + 1, then the empty claim that ends a batch run (db_worker: 8 claims)
    assert claims_in(queries) == 4
    for n, result in enumerate(results):
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == f"t{n}"
        assert len(result.worker_ids) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_recorded_failed_and_the_rest_of_its_batch_runs(database_tasks, tmp_path):
    log = tmp_path / "runs.log"
    first = note.enqueue(key="first", log=str(log))
    broken = fail.enqueue(log=str(log))
    last = note.enqueue(key="last", log=str(log))

    worker(claim=10).run()

    assert keys_run(log) == ["first", "fail", "last"]
    broken.refresh()
    assert broken.status == TaskResultStatus.FAILED
    assert broken.errors[0].exception_class_path == "microcred.server.tests.tasks.Broken"
    assert "this task always fails" in broken.errors[0].traceback
    for result in (first, last):
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_a_worker_never_claims_more_than_max_tasks(database_tasks, tmp_path):
    log = tmp_path / "runs.log"
    for n in range(5):
        note.enqueue(key=f"t{n}", log=str(log))

    call_command("task_worker", *OPTIONS, "--claim", "10", "--max-tasks", "3", verbosity=0)

    assert keys_run(log) == ["t0", "t1", "t2"]
    statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {TaskResultStatus.SUCCESSFUL: 3, TaskResultStatus.READY: 2}


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_puts_back_the_tasks_it_claimed_and_did_not_start(
    database_tasks, tmp_path
):
    log = tmp_path / "runs.log"
    results = [note.enqueue(key=f"t{n}", log=str(log)) for n in range(4)]
    stopping = worker(claim=10)
    run_task = stopping.run_task

    def run_then_stop(result: DBTaskResult) -> None:
        run_task(result)
        stopping.running = False  # what SIGTERM does, in the middle of the batch

    stopping.run_task = run_then_stop
    stopping.run()

    assert keys_run(log) == ["t0"]
    put_back = DBTaskResult.objects.filter(pk__in=[result.id for result in results[1:]])
    assert {(row.status, row.started_at, tuple(row.worker_ids)) for row in put_back} == {
        (TaskResultStatus.READY, None, ())
    }

    worker(claim=10).run()  # the next worker runs them, once each
    assert keys_run(log) == ["t0", "t1", "t2", "t3"]


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_claiming_in_batches_run_every_task_once(database_tasks, tmp_path):
    log = tmp_path / "runs.log"
    results = [note.enqueue(key=f"t{n}", log=str(log), seconds=0.05) for n in range(60)]
    env = {
        **{key: value for key, value in os.environ.items() if key not in KEPT_OUT},
        "DATABASE_URL": database_url_of_tests(),
    }
    command = [sys.executable, "manage.py", "task_worker", *OPTIONS, "--claim", "4"]
    processes = [
        subprocess.Popen(  # noqa: S603 - fixed argv
            [*command, "--worker-id", f"test-worker-{n}"], cwd=ROOT, env=env
        )
        for n in range(2)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0

    runs = log.read_text().splitlines()
    assert sorted(keys_run(log)) == sorted(f"t{n}" for n in range(60))  # none twice
    assert len({line.split()[1] for line in runs}) == 2  # both workers took a share
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert len(result.worker_ids) == 1


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_costs_an_attempt_only_to_the_task_it_was_running(database_tasks, tmp_path):
    naps = tmp_path / "nap.log"
    log = tmp_path / "runs.log"
    running = nap.enqueue(seconds=30, log=str(naps))
    claimed = [note.enqueue(key=f"t{n}", log=str(log)) for n in range(3)]
    worker_id = workers.worker_id(generation=1)
    env = {
        **{key: value for key, value in os.environ.items() if key not in KEPT_OUT},
        "DATABASE_URL": database_url_of_tests(),
    }
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "task_worker", *OPTIONS, "--worker-id", worker_id],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while not (naps.exists() and "started" in naps.read_text()):
            assert time.monotonic() < deadline, "the worker did not start the task"
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
    assert Counter(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.RUNNING: 4  # all four claimed at once
    }

    recovery = workers.task_results_recover(live_worker_ids=())

    assert len(recovery.requeued) == 4 and recovery.failed == []
    rows = {str(row.pk): row for row in DBTaskResult.objects.all()}
    assert rows[running.id].status == TaskResultStatus.READY
    assert rows[running.id].worker_ids == [worker_id]  # one attempt used
    for result in claimed:  # never started: as if never claimed
        assert (rows[result.id].status, rows[result.id].worker_ids) == (TaskResultStatus.READY, [])
    assert keys_run(log) == []
