"""The database task worker that claims several tasks per round trip.

django-tasks-db's `db_worker` (0.13) takes one task per loop: it checks the connection,
opens a transaction, selects the first ready row `FOR UPDATE SKIP LOCKED`, updates it to
RUNNING, commits, runs the task, writes the result, and checks the connection again (with
CONN_HEALTH_CHECKS, a `SELECT 1` before the next query). For a task of ~12 ms, such as
signing a badge, that is a third more time again (bench.badges, "worker against the tight
loop").

`BatchWorker` claims up to `claim` tasks in one transaction (one SELECT, one UPDATE of all
the rows, one COMMIT) and checks the connection once per batch, then runs them one by one
as `db_worker` does; each result is written when its task ends, so a finished task is never
shown RUNNING for longer than `db_worker` would show it. A worker asked to stop (SIGTERM,
Ctrl-C) finishes the task it runs and puts the claimed tasks it has not started back on the
queue (READY, its id removed from `worker_ids`); a worker killed outright leaves them
RUNNING, and `serve` queues them again like the task it was running (server.workers).

The change belongs in django-tasks-db (docs/upstream-django-tasks-db.md); this subclass
keeps the rest of the library's loop as it is.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connections
from django.db.utils import OperationalError
from django.tasks import TaskContext, TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception, retry

logger = logging.getLogger("django_tasks_db")

DEFAULT_CLAIM = 10


@contextmanager
def no_flush_wait(using: str) -> Iterator[None]:
    """Inside a transaction: on PostgreSQL, its COMMIT does not wait for the WAL to reach the
    disk (`SET LOCAL synchronous_commit TO OFF`; a flush costs 1-3 ms on our machines, a
    fifth of a badge). Only the worker's own bookkeeping is written so: it is visible at
    once, and a crash of the database server (not of the worker) can lose the last fraction
    of a second of it, never out of order; the task then shows RUNNING, or READY, and runs
    again (`serve` queues again what a gone worker left RUNNING). The task's own writes are
    committed as always. SQLite in WAL mode with synchronous=NORMAL (our settings) already
    commits without a flush."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    yield


class BatchWorker(Worker):
    """`db_worker`'s Worker, claiming up to `claim` ready tasks per transaction."""

    def __init__(self, *, claim: int = DEFAULT_CLAIM, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.claim = max(1, claim)

    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim_tasks(self) -> list[DBTaskResult] | None:
        """Up to `claim` ready tasks, marked RUNNING by this worker in one transaction, in
        queue order; None when the database was locked (SQLite), to try again."""
        limit = self.claim
        if self.max_tasks is not None:
            limit = min(limit, self.max_tasks - self._run_tasks)
        tasks = self.ready_tasks()
        with exclusive_transaction(tasks.db), no_flush_wait(tasks.db):
            try:
                claimed = list(tasks.select_for_update(skip_locked=True)[:limit])
                if claimed:
                    self.mark_running(claimed)
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None  # it unlocks eventually
                raise
        return claimed

    def mark_running(self, claimed: list[DBTaskResult]) -> None:
        """RUNNING by this worker, in one UPDATE per distinct list of earlier workers: one in
        all for tasks that never ran (a bulk_update's CASE per row costs more than the
        claims it saves)."""
        now = timezone.now()
        earlier: dict[str, list[DBTaskResult]] = {}
        for result in claimed:
            result.status = TaskResultStatus.RUNNING
            result.started_at = now
            earlier.setdefault(json.dumps(result.worker_ids), []).append(result)
            result.worker_ids = [*result.worker_ids, self.worker_id]
        for group in earlier.values():
            DBTaskResult.objects.filter(pk__in=[result.pk for result in group]).update(
                status=TaskResultStatus.RUNNING, started_at=now, worker_ids=group[0].worker_ids
            )

    def release(self, results: list[DBTaskResult]) -> None:
        """Put claimed tasks this worker will not run back on the queue, as they were."""
        for result in results:
            worker_ids = result.worker_ids
            if worker_ids and worker_ids[-1] == self.worker_id:
                worker_ids = worker_ids[:-1]
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None, worker_ids=worker_ids
            )
        logger.info("Put %d claimed tasks back on the queue.", len(results))

    @retry()
    def save_result(self, result: DBTaskResult, write: Callable[..., None], *args: Any) -> None:
        """`write` (DBTaskResult.set_successful or set_failed, without their own retries)
        in a transaction of its own that does not wait for the flush (see no_flush_wait)."""
        with exclusive_transaction(result._state.db), no_flush_wait(result._state.db or "default"):
            write.__wrapped__(result, *args)  # type: ignore[attr-defined]

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """db_worker's run_task, with the result written by save_result."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                return_value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            # Inside the error handling, so that an error saving it (a return value that is
            # not JSON) is recorded too.
            self.save_result(db_task_result, DBTaskResult.set_successful, return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as error:
            self.save_result(db_task_result, DBTaskResult.set_failed, error)
            try:
                sender = type(db_task_result.task.get_backend())
                task_result = db_task_result.task_result
            except (ImportError, SuspiciousOperation):
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s claim=%d",
            self.worker_id,
            ",".join(self.queue_names),
            self.claim,
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # no thundering herd of workers

        while self.running:
            # Dropped or expired connections are checked once per batch (db_worker: twice
            # per task).
            close_old_connections()
            claimed = self.claim_tasks()
            for index, result in enumerate(claimed or []):
                if not self.running:
                    self.release((claimed or [])[index:])
                    break
                self.run_task(result)

            if self.batch and claimed == []:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            if self.running and not claimed:
                time.sleep(self.interval)
