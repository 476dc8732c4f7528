from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred.core"
    label = "core"
    verbose_name = "Organizations and people"

    def ready(self) -> None:
        # The deploy checks, and the signed-in cache's invalidation on writes around the
        # services (admin, allauth, a shell): registered in every process.
        from microcred.core import checks, usercache  # noqa: F401
