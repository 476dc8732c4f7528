from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "microcred.programs"
    label = "programs"
    verbose_name = "District programs: stacks"
