from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "microcred.catalog"
    label = "catalog"
    verbose_name = "Credentials and design studio"
