"""The demo's sign-in page lists the demo logins (only where SHOW_DEMO_LOGINS allows it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from microcred.demo import loader


def demo_logins(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "account_login" or not settings.SHOW_DEMO_LOGINS:
        return {}
    if not loader.is_loaded():
        return {}
    return {"demo_logins": loader.DEMO_LOGINS, "demo_password": loader.DEMO_PASSWORD}
