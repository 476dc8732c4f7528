"""`manage.py remind_reviews`: enqueue the reminder of due and overdue reviews (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from microcred.assessment.tasks import remind_due_reviews


class Command(BaseCommand):
    help = "Enqueue the task that reminds assessors of reviews due within two days or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_due_reviews.enqueue()
        self.stdout.write(f"Enqueued the review reminders (task {result.id}).")
