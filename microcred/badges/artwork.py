"""Baked badges: the credential's picture (catalog.artwork) carrying the signed credential."""

from __future__ import annotations

from microcred.badges import baking
from microcred.badges.models import IssuedCredential
from microcred.catalog.artwork import version_png, version_svg


def baked_png(credential: IssuedCredential) -> bytes:
    return baking.bake_png(version_png(credential.award.attempt.version), credential.document)


def baked_svg(credential: IssuedCredential) -> str:
    return baking.bake_svg(version_svg(credential.award.attempt.version), credential.document)
