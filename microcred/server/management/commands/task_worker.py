"""`manage.py task_worker`: django-tasks-db's `db_worker`, claiming several tasks per round
trip (`--claim`, default 10; see microcred.server.task_worker). Every option of `db_worker`
works the same."""

from __future__ import annotations

import os
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from microcred.server.task_worker import DEFAULT_CLAIM, BatchWorker


def valid_claim(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return number


class Command(db_worker.Command):
    help = "Run a database background worker that claims several tasks per transaction."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--claim",
            type=valid_claim,
            default=DEFAULT_CLAIM,
            help="Tasks claimed per transaction (default: %(default)r); 1 claims as db_worker does.",
        )

    def handle(self, **options: Any) -> None:
        # db_worker's handle, building our Worker (upstream, a `worker_class` attribute
        # would make this one line: docs/upstream-django-tasks-db.md).
        self.configure_logging(options["verbosity"])
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            db_worker.logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = BatchWorker(
            claim=options["claim"],
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
