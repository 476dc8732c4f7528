"""Deployment checks of the site as a whole: switches meant for a copy on one's own machine
(`LOCAL_DEMO`, which `make run` sets) that must not stay on in production.

With DEBUG on, Django's own check already warns (security.W018); these speak when DEBUG is
off, which is when a local switch is easiest to miss.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
