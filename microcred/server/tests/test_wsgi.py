"""The WSGI entry point: what a worker loads and freezes before it serves."""

from __future__ import annotations

import gc


def test_a_worker_compiles_the_projects_templates_and_freezes_what_it_loaded():
    from microcred import wsgi  # importing it loads and freezes once, as a worker does

    try:
        names = wsgi.project_templates()
        assert {"base.html", "assessment/calibration.html", "home/_program.html"} <= set(names)
        assert not [n for n in names if n.startswith("admin/")]  # the libraries' own
        assert wsgi.load_and_freeze() > 10_000
        # What the process held is out of the collector's reach: a full collection walks
        # only what was made since.
        assert gc.get_freeze_count() > len(gc.get_objects())
    finally:
        gc.unfreeze()
