"""Baked badges: the credential's picture (catalog.artwork) carrying the signed credential."""

from __future__ import annotations

from microcred.badges import baking
from microcred.badges.models import IssuedCredential
from microcred.catalog.artwork import issuer_png, version_png, version_svg


def baked_png(credential: IssuedCredential) -> bytes:
    """The badge's picture, baked: the credential version's, or for a stack's badge (no
    award) the issuer's."""
    award = credential.award
    picture = version_png(award.attempt.version) if award else issuer_png(credential.organization)
    return baking.bake_png(picture, credential.document)


def baked_svg(credential: IssuedCredential) -> str | None:
    """The badge's SVG picture, baked; None for a stack's badge, which has only a PNG."""
    if credential.award is None:
        return None
    return baking.bake_svg(version_svg(credential.award.attempt.version), credential.document)
