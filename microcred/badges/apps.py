from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "microcred.badges"
    label = "badges"
    verbose_name = "Open Badges 3.0: issuing, status lists and verification"

    def ready(self) -> None:
        from microcred.badges import checks  # noqa: F401 - registers the deploy checks
