"""Background work of the assessment app: reminders of reviews that are due soon or overdue."""

from __future__ import annotations

from django.tasks import task


@task(queue_name="default")
def remind_due_reviews() -> int:
    """Notify assessors of open reviews due within two days or overdue (run daily)."""
    from microcred.assessment.services import reviews_remind

    return reviews_remind()
