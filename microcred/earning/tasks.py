"""Background work of the earning app: forgetting abandoned evidence uploads."""

from __future__ import annotations

from django.tasks import task


@task(queue_name="default")
def clean_abandoned_uploads() -> dict[str, int]:
    """Forget uploads past their `Upload-Expires` (a day without a byte), with their staged
    bytes, and staged bytes whose upload is gone (run hourly)."""
    from microcred.earning.services import uploads_clean

    cleaned = uploads_clean()
    return {"sessions": cleaned.sessions, "orphan_files": cleaned.orphan_files}
