"""The pictures of a credential's badge: the achievement image (the designer's upload or the
default drawn from the title and the organization's colour) and the issuer's mark. The badges
app bakes signed credentials into them.

Drawing a default PNG takes a few hundred milliseconds, so it is done once per look (title,
organization name, colour) and kept in storage under the look's digest (`drawn/`), where
every process finds it, with the cache in front. Publishing a version draws its pictures in
the worker (`catalog.tasks.draw_badge_images`), so no visitor waits for them; a look nobody
drew yet (the organization renamed itself) is drawn on its first request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from microcred.catalog import images
from microcred.catalog.models import CredentialVersion
from microcred.core.models import Organization

CACHE_SECONDS = 24 * 60 * 60


def _cached(kind: str, look: str, draw: Callable[[], bytes]) -> bytes:
    digest = hashlib.sha256(look.encode()).hexdigest()
    key = f"{kind}:{digest}"
    data = cache.get(key)
    if data is None:
        data = _stored(f"drawn/{kind}/{digest}.png", draw)
        cache.set(key, data, CACHE_SECONDS)
    return bytes(data)


def _stored(path: str, draw: Callable[[], bytes]) -> bytes:
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return bytes(stored.read())
    data = draw()
    # Two processes drawing the same look at once each save a copy (storage renames the
    # second); either holds the same bytes.
    default_storage.save(path, ContentFile(data))
    return data


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
