"""The designer's badge image: uploaded in the studio, normalized, shown on badges; bad
files refused with a message and nothing stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from microcred.badges import baking
from microcred.catalog.tests.factories import draft_credential
from microcred.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _image(kind: str = "PNG", size: tuple[int, int] = (300, 300), color: str = "#b0413e") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def draft(designer_dan, north):
    return draft_credential(designer_dan, north, title="Number talks")


def test_a_designer_uploads_a_jpeg_and_the_badge_uses_it_as_a_square_png(
    client,
    draft,
    designer_dan,
    reviewer_rita,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    client.force_login(designer_dan)
    upload = SimpleUploadedFile("seal.jpg", _image("JPEG", (400, 300)), "image/jpeg")
    response = client.post(f"/studio/{draft.pk}/badge/", {"image": upload})
    assert response.status_code == 302
    version = draft.versions.get()
    stored = Image.open(io.BytesIO(client.get(f"/studio/{draft.pk}/badge.png").content))
    assert stored.format == "PNG" and stored.size[0] == stored.size[1] == 400
    assert version.badge_image.name.startswith("badges/")
    assert AuditEvent.objects.filter(
        verb="credential.draft_edited", data__part="badge image"
    ).exists()

    # Published and earned: the baked badge is the designer's image with the credential in it.
    from microcred.badges.models import IssuedCredential
    from microcred.badges.tests.factories import awarded
    from microcred.catalog import services as catalog
    from microcred.catalog.tests.factories import approve_answers

    catalog.version_submit_for_review(actor=designer_dan, version=version)
    catalog.version_review(
        actor=reviewer_rita, version=version, approve=True, answers=approve_answers(), summary=""
    )
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=draft, assessor=assessor_ben, issuer=issuer_carla
        )
    issued = IssuedCredential.objects.get(award=award)
    png = client.get(f"/badges/{issued.public_id}/badge.png").content
    baked = Image.open(io.BytesIO(png)).convert("RGB")
    pixel = baked.getpixel((200, 150))  # the designer's colour (JPEG is lossy: near it)
    assert all(abs(a - b) <= 4 for a, b in zip(pixel, (0xB0, 0x41, 0x3E), strict=True))
    assert baking.unbake_png(png) == issued.document


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"MZ\x90\x00" + bytes(200), "seal.png", "PNG, JPEG or WebP"),
        (_image(size=(40, 40)), "tiny.png", "40 × 40 pixels"),
        (_image(size=(600, 150)), "banner.png", "square"),
    ],
    ids=["not-an-image", "too-small", "not-square"],
)
def test_bad_images_are_refused_with_a_message_and_nothing_is_stored(
    client, draft, designer_dan, data, name, words
):
    client.force_login(designer_dan)
    before = AuditEvent.objects.count()
    response = client.post(f"/studio/{draft.pk}/badge/", {"image": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["image"])
    assert name in errors and words in errors
    assert not draft.versions.get().badge_image
    assert AuditEvent.objects.count() == before


def test_nothing_chosen_is_a_form_error(client, draft, designer_dan):
    client.force_login(designer_dan)
    response = client.post(f"/studio/{draft.pk}/badge/", {})
    assert response.status_code == 400
    assert "Choose an image to upload" in response.content.decode()


def test_back_to_the_default_image(client, draft, designer_dan):
    client.force_login(designer_dan)
    client.post(f"/studio/{draft.pk}/badge/", {"image": SimpleUploadedFile("a.png", _image())})
    assert draft.versions.get().badge_image
    client.post(f"/studio/{draft.pk}/badge/", {"use_default": "on"})
    assert not draft.versions.get().badge_image


def test_only_designers_of_the_owner_change_the_badge(client, draft, reviewer_rita, outsider_oz):
    upload = {"image": SimpleUploadedFile("a.png", _image())}
    client.force_login(reviewer_rita)
    assert client.post(f"/studio/{draft.pk}/badge/", upload).status_code == 403
    client.force_login(outsider_oz)
    assert client.post(f"/studio/{draft.pk}/badge/", upload).status_code == 404
    assert not draft.versions.get().badge_image
