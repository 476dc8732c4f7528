"""A published version's badge pictures are drawn in the worker when it is published and
kept in storage, so no visitor waits for them and every process finds them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from microcred.catalog import artwork, images
from microcred.catalog.tests.factories import in_review_credential, published_credential

pytestmark = pytest.mark.django_db


def _refuse_to_draw(monkeypatch):
    drawn: list[str] = []

    def refuse(**kwargs):
        drawn.append(kwargs["title"])
        raise AssertionError(f"drew {kwargs['title']!r} during a request")

    monkeypatch.setattr(images, "default_badge_png", refuse)
    return drawn


def test_publishing_draws_the_badge_and_issuer_pictures_so_the_first_request_reads_them(
    client, designer_dan, reviewer_rita, north, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        credential = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    assert callbacks, "publishing scheduled no drawing"
    assert default_storage.listdir("drawn/badge-image")[1], "nothing was stored"
    assert default_storage.listdir("drawn/issuer-image")[1]

    cache.clear()  # another process: its cache is empty, the storage is shared
    _refuse_to_draw(monkeypatch)
    version = credential.current_version
    png = artwork.version_png(version)
    assert png.startswith(b"\x89PNG")
    assert artwork.issuer_png(north).startswith(b"\x89PNG")
    response = client.get(f"/credentials/{credential.slug}/v{version.number}/badge.png")
    assert response.status_code == 200 and response.content == png


def test_a_look_nobody_drew_is_drawn_once_on_request_then_read_from_storage(
    designer_dan, north, monkeypatch
):
    credential = in_review_credential(designer_dan, north, title="Cold calling")
    version = credential.versions.get()
    first = artwork.version_png(version)  # not published: drawn now, and kept
    cache.clear()
    drawn = _refuse_to_draw(monkeypatch)
    assert artwork.version_png(version) == first
    assert drawn == []

    version.credential.organization.name = "Riverbend Schools"  # a new look: a new picture
    with pytest.raises(AssertionError, match="drew 'Cold calling'"):
        artwork.version_png(version)
