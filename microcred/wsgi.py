"""WSGI entry point for application servers (gunicorn, granian).

Each worker loads everything that lives as long as it does before it serves (the URLconf and
with it every view, and every template of the project, compiled), then moves those objects
out of the garbage collector's reach with `gc.freeze()`. Without it, each full collection
walks them all: 60-70 ms, once in every ten requests of a page that makes many objects (a
state's calibration report), which was most of that page's slowest requests.
"""

import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.settings")

application = get_wsgi_application()

PROJECT = Path(__file__).resolve().parent


def project_templates() -> list[str]:
    """The names of the project's own templates (not those of installed libraries)."""
    names = set()
    for folder in PROJECT.rglob("templates"):
        if folder.is_dir():
            names |= {
                path.relative_to(folder).as_posix()
                for path in folder.rglob("*")
                if path.suffix in (".html", ".txt", ".xml") and path.is_file()
            }
    return sorted(names)


def load_and_freeze() -> int:
    """Load the URLconf (importing every view) and compile the project's templates, then
    freeze what the process holds; the number of objects frozen."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - reading it loads every URL pattern and view
    for name in project_templates():
        get_template(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


load_and_freeze()
