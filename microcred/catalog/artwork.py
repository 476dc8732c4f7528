"""The pictures of a credential's badge: the achievement image (the designer's upload or the
default drawn from the title and the organization's colour) and the issuer's mark. The badges
app bakes signed credentials into them."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.files.storage import default_storage

from microcred.catalog import images
from microcred.catalog.models import CredentialVersion
from microcred.core.models import Organization

CACHE_SECONDS = 24 * 60 * 60


def _cached(kind: str, look: str, draw: object) -> bytes:
    key = f"{kind}:" + hashlib.sha256(look.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = draw()  # type: ignore[operator]
        cache.set(key, data, CACHE_SECONDS)
    return bytes(data)


def version_png(version: CredentialVersion) -> bytes:
    if version.badge_image.name:
        with default_storage.open(version.badge_image.name, "rb") as stored:
            return stored.read()
    organization = version.credential.organization
    return _cached(
        "badge-image",
        f"{version.pk}|{version.title}|{organization.name}|{organization.brand_color}",
        lambda: images.default_badge_png(
            title=version.title, organization=organization.name, color=organization.brand_color
        ),
    )


def version_svg(version: CredentialVersion) -> str:
    if version.badge_image.name:
        return images.svg_wrapping_png(version_png(version), title=version.title)
    organization = version.credential.organization
    return images.default_badge_svg(
        title=version.title, organization=organization.name, color=organization.brand_color
    )


def issuer_png(organization: Organization) -> bytes:
    return _cached(
        "issuer-image",
        f"{organization.pk}|{organization.name}|{organization.brand_color}",
        lambda: images.default_badge_png(
            title=organization.name,
            organization=organization.get_kind_display(),
            color=organization.brand_color,
            size=256,
        ),
    )
