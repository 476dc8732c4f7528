"""Background work of the rosters app: applying a confirmed roster import."""

from __future__ import annotations

from django.tasks import task

from microcred.rosters import services


@task(queue_name="default")
def apply_roster(import_id: int) -> str:
    """Apply a confirmed import in one transaction (idempotent: a second run finds it done)."""
    return services.apply_queued(record_id=import_id).state
