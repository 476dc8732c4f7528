"""Deployment checks of the site as a whole: switches meant for a copy on one's own machine
(`LOCAL_DEMO`, which `make run` sets) that must not stay on in production.

With DEBUG on, Django's own check already warns (security.W018); these speak when DEBUG is
off, which is when a local switch is easiest to miss.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from microcred.core.lifecycle import Announcement


@register(Tags.security, deploy=True)
def local_switches(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG:
        return []
    problems = []
    if settings.SHOW_DEMO_LOGINS:
        problems.append(
            Warning(
                "SHOW_DEMO_LOGINS is on: the sign-in page lists the demo accounts and their "
                "shared password to anyone.",
                hint="Set SHOW_DEMO_LOGINS=0 (it follows LOCAL_DEMO, which is for a copy on "
                "your own machine).",
                id="core.W001",
            )
        )
    if settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES:
        problems.append(
            Warning(
                "VERIFIER_ALLOW_PRIVATE_ADDRESSES is on: anyone can make the verifier fetch "
                "addresses inside your network (loopback, private and link-local ranges).",
                hint="Set VERIFIER_ALLOW_PRIVATE_ADDRESSES=0 (it follows LOCAL_DEMO, which is "
                "for a copy on your own machine).",
                id="core.W002",
            )
        )
    if getattr(settings, "LOCAL_DEMO", False):
        problems.append(
            Warning(
                "LOCAL_DEMO is on: it is meant for a copy on your own machine over plain HTTP "
                "(mail printed to the console unless EMAIL_URL is set, no HTTPS redirect, "
                "cookies sent without TLS).",
                hint="Unset LOCAL_DEMO in production.",
                id="core.W003",
            )
        )
    return problems


@register("microcred")
def hand_offs(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Every announcement has a handler and every configured handler or page part can be
    imported: a hand-off named wrongly in settings would otherwise leave, say, hand-ins that
    nobody routes (core.lifecycle, core.parts)."""
    problems: list[CheckMessage] = []
    named = {
        f"LIFECYCLE_HANDLERS[{event!r}]": path
        for event, paths in settings.LIFECYCLE_HANDLERS.items()
        for path in paths
    }
    named.update({f"PAGE_PARTS[{part!r}]": path for part, path in settings.PAGE_PARTS.items()})
    for where, path in named.items():
        try:
            target = import_string(path)
        except ImportError as error:
            problems.append(
                Error(f"{where} names {path!r}, which cannot be imported: {error}", id="core.E001")
            )
            continue
        if not callable(target):
            problems.append(
                Error(f"{where} names {path!r}, which is not a function.", id="core.E001")
            )
    for announcement in Announcement:
        if not settings.LIFECYCLE_HANDLERS.get(announcement):
            problems.append(
                Warning(
                    f"No handler for the announcement {announcement.value!r}: what it starts "
                    "will not happen.",
                    hint="Name one in LIFECYCLE_HANDLERS (see microcred/settings.py).",
                    id="core.W010",
                )
            )
    return problems
