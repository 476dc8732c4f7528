"""For tests that start another process (a worker, a second web process) on the test
database: the DATABASE_URL that reaches the database this test runs on, SQLite or
PostgreSQL."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def database_url_of_tests() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    if connection.vendor != "postgresql":
        # Microcred runs on SQLite and PostgreSQL only (docs/decisions/0003).
        raise RuntimeError(
            f"Microcred's tests run on SQLite or PostgreSQL, not {connection.vendor}."
        )
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings['NAME']}"
