from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred.core"
    label = "core"
    verbose_name = "Organizations and people"

    def ready(self) -> None:
        from microcred.core import checks  # noqa: F401 - registers the deploy checks
