"""`manage.py load_demo`: the demo installation; does nothing when it is already loaded."""

from typing import Any

from django.core.management.base import BaseCommand

from microcred.demo import loader


class Command(BaseCommand):
    help = "Load the demo organizations, people and credentials (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if loader.load(stdout=self.stdout):
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already loaded; nothing to do.")
