"""The database task workers that `manage.py serve` starts: their ids, and what becomes of
the tasks a worker was running when it died.

django-tasks-db marks a result RUNNING when a worker claims it and appends the worker's id
to `worker_ids`; it has no heartbeat, so a worker killed mid-task (SIGKILL, out of memory, a
crash) leaves the row RUNNING for ever. `serve` gives every worker it starts an id that names
this host and its own process (`serve:<host>:<pid>:<n>`), so it can tell when that worker is
gone: it started it and saw it exit, or the `serve` that started it is no longer running.

A task left behind by a gone worker is queued again (our tasks are idempotent: an award that
has its badge keeps it, a reminder goes once a day, and a mail whose worker died after
sending may be sent twice rather than never). `worker_ids` counts the attempts: after
`MAX_ATTEMPTS` claims that all died, the task is marked failed instead, so a task that kills
its worker cannot take the next one down in a loop.

`task_worker` (microcred.server.task_worker) claims several tasks at once and runs them in
queue order, so of the tasks a gone worker left RUNNING only the first in queue order was
running; the others it claimed and never started are queued again without counting an
attempt (their worker id is removed), so a task that kills its worker does not use up the
attempts of the tasks claimed with it.

Workers not started by `serve` (`manage.py db_worker` run by hand or by another supervisor)
are never judged: their ids do not follow the pattern. With `REDIS_URL`, RQ keeps its own
registry of abandoned jobs.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("microcred.serve")

MAX_ATTEMPTS = 3
PREFIX = "serve"


class WorkerLost(Exception):
    """The worker running this task stopped before it finished."""


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _host() -> str:
    # A worker id is at most 64 characters; the host name only needs to tell hosts apart.
    return socket.gethostname().replace(":", "-")[:32]


def worker_id(*, generation: int) -> str:
    """The id for the `generation`-th worker this process starts."""
    return f"{PREFIX}:{_host()}:{os.getpid()}:{generation}"


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True


def _worker_gone(worker: str, *, live: Collection[str]) -> bool:
    parts = worker.split(":")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[2].isdigit():
        return False  # not started by serve: its own supervisor decides
    if parts[1] != _host() or worker in live:
        return False
    pid = int(parts[2])
    if pid == os.getpid():
        return True  # started by this process, and not among the workers it runs now
    return not _process_running(pid)


def task_results_recover(*, live_worker_ids: Collection[str]) -> Recovery:
    """Queue again (or, after MAX_ATTEMPTS, fail) every RUNNING task whose worker is gone.

    `live_worker_ids` are the workers the calling `serve` runs now; call it before starting a
    worker, when the previous one has exited.
    """
    recovery = Recovery()
    with transaction.atomic():
        # In queue order (the model's ordering), the order a worker claims and runs them.
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        seen: set[str] = set()
        for result in running:
            worker = result.worker_ids[-1] if result.worker_ids else ""
            if not _worker_gone(worker, live=live_worker_ids):
                continue
            if worker in seen:  # claimed with the one it was running, never started
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.worker_ids = result.worker_ids[:-1]
                result.save(update_fields=["status", "started_at", "worker_ids"])
                recovery.requeued.append(str(result.pk))
                logger.warning(
                    "Task %s (%s) was claimed by worker %s, which stopped before starting "
                    "it; queued again.",
                    result.pk,
                    result.task_path,
                    worker,
                )
                continue
            seen.add(worker)
            attempts = len(result.worker_ids)
            if attempts < MAX_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                recovery.requeued.append(str(result.pk))
                logger.warning(
                    "Task %s (%s) was left running by worker %s, which stopped; "
                    "queued again (attempt %d of %d).",
                    result.pk,
                    result.task_path,
                    worker,
                    attempts + 1,
                    MAX_ATTEMPTS,
                )
            else:
                result.set_failed(
                    WorkerLost(
                        f"The worker running this task ({worker}) stopped before it finished, "
                        f"{attempts} times; it is not tried again."
                    )
                )
                recovery.failed.append(str(result.pk))
                logger.error(
                    "Task %s (%s) was left running by worker %s, which stopped; marked failed "
                    "after %d attempts.",
                    result.pk,
                    result.task_path,
                    worker,
                    attempts,
                )
    return recovery
