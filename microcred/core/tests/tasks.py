"""A task for the worker tests: it notes each start in a file, then sleeps, so a test can
kill the worker in the middle of it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task


@task(queue_name="default")
def nap(*, seconds: float, log: str) -> str:
    with Path(log).open("a") as file:
        file.write(f"started in {os.getpid()}\n")
    time.sleep(seconds)
    with Path(log).open("a") as file:
        file.write(f"finished in {os.getpid()}\n")
    return "rested"
