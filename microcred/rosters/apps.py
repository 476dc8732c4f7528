from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "microcred.rosters"
    label = "rosters"
    verbose_name = "Rosters: OneRoster imports into an organization"
