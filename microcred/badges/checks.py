"""Deployment checks of the badges app: what would make issued badges unverifiable or
their keys weakly protected."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def badge_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    problems = []
    if not settings.SIGNING_KEY_SECRETS:
        problems.append(
            Warning(
                "SIGNING_KEY_SECRETS is not set: issuers' signing keys are encrypted with a "
                "key derived from SECRET_KEY.",
                hint="Set SIGNING_KEY_SECRETS to a long random secret kept apart from "
                "SECRET_KEY (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`).",
                id="badges.W001",
            )
        )
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or site.hostname in ("localhost", "127.0.0.1", "::1"):
        problems.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL}: badges name their issuer as a did:web of "
                "this host, which verifiers elsewhere cannot resolve.",
                hint="Set SITE_URL to the public https address of the installation.",
                id="badges.W002",
            )
        )
    return problems
