"""Background work of the catalog: drawing a published version's badge pictures."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from microcred.catalog import artwork
from microcred.catalog.models import CredentialVersion


def badge_images_draw_later(version: CredentialVersion) -> None:
    """Draw the version's pictures in the worker once the publication is committed."""
    transaction.on_commit(lambda: draw_badge_images.enqueue(version.pk))


@task(queue_name="default")
def draw_badge_images(version_id: int) -> bool:
    """Draw and store the default badge image of a published version and its issuer's mark
    (nothing to draw for a designer's own image); False when the version is gone."""
    version = (
        CredentialVersion.objects.select_related("credential__organization")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return False
    artwork.version_png(version)
    artwork.issuer_png(version.credential.organization)
    return True
