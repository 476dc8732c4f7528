"""Tasks for the task worker tests: one notes each run in a file (which process ran which
key), one fails."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task


@task(queue_name="default")
def note(*, key: str, log: str, seconds: float = 0.0) -> str:
    time.sleep(seconds)
    with Path(log).open("a") as file:
        file.write(f"{key} {os.getpid()}\n")
    return key


class Broken(Exception):
    pass


@task(queue_name="default")
def fail(*, log: str) -> None:
    with Path(log).open("a") as file:
        file.write(f"fail {os.getpid()}\n")
    raise Broken("this task always fails")
