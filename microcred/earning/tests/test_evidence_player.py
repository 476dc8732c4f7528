"""Video and audio evidence play in the page, with the review screen's player.

Every evidence file is sent with a sandboxing Content-Security-Policy so that it can never
act as a page of this site; Chromium's media viewer does not run under it, so a video
opened on its own did not play. The attempt page and the task page now play video and
audio in place (earning/_evidence_media.html, the same markup as the review screen), a
video opened on its own gets a page with that player, and documents stay sandboxed.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from microcred.earning import services
from microcred.earning.models import Evidence, EvidenceAccess
from microcred.earning.tests.factories import (
    MP4,
    PDF,
    earnable_credential,
    started_attempt,
    upload,
)

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(4000)


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def attempt(educator_ana, credential):
    return started_attempt(educator_ana, credential)


@pytest.fixture
def video(educator_ana, attempt):
    return services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="video"),
        upload=upload("lesson.mp4", MP4),
        consent=True,
    )


@pytest.fixture
def plan(educator_ana, attempt):
    return services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="document"),
        upload=upload("plan.txt", b"Lesson plan: exit ticket at 10:40.\n"),
    )


def player(item: Evidence) -> str:
    return f'<video class="evidence-viewer__video" controls preload="metadata" src="{item.get_absolute_url()}" data-evidence-video'


def test_the_attempt_page_plays_the_video_for_the_educator_her_coach_and_principal(
    client, attempt, video, educator_ana, coach_carmen, principal_dee
):
    for person in (educator_ana, coach_carmen, principal_dee):
        client.force_login(person)
        page = client.get(attempt.get_absolute_url()).content.decode()
        assert player(video) in page, person
        assert f'href="{video.get_absolute_url()}?download=1"' in page


def test_the_task_page_plays_the_video_in_place_and_never_links_to_it_as_a_page(
    client, attempt, video, plan, educator_ana, coach_carmen
):
    for person in (educator_ana, coach_carmen):
        client.force_login(person)
        page = client.get(reverse("earning:evidence", args=[attempt.public_id])).content.decode()
        assert player(video) in page
        assert f'href="{video.get_absolute_url()}"' not in page
        # A document still opens on its own (sandboxed).
        assert f'href="{plan.get_absolute_url()}"' in page


def test_a_video_opened_on_its_own_gets_a_page_that_plays_it(client, video, educator_ana):
    client.force_login(educator_ana)
    page = client.get(video.get_absolute_url(), HTTP_SEC_FETCH_DEST="document")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert player(video) in page.content.decode()
    assert "Sec-Fetch-Dest" in page["Vary"]
    # The page is not a view of the file: the player's own request is.
    assert not EvidenceAccess.objects.exists()
    played = client.get(
        video.get_absolute_url(), HTTP_SEC_FETCH_DEST="video", HTTP_RANGE="bytes=0-"
    )
    assert played.status_code == 206
    assert b"".join(played.streaming_content) == MP4
    assert "sandbox" in played["Content-Security-Policy"]
    assert EvidenceAccess.objects.get().action == EvidenceAccess.Action.VIEW
    download = client.get(video.get_absolute_url() + "?download=1", HTTP_SEC_FETCH_DEST="document")
    assert download["Content-Disposition"].startswith("attachment")


def test_documents_stay_sandboxed_however_they_are_opened(client, plan, educator_ana):
    client.force_login(educator_ana)
    for dest in ("document", "iframe", ""):
        headers = {"HTTP_SEC_FETCH_DEST": dest} if dest else {}
        response = client.get(plan.get_absolute_url(), **headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_audio_evidence_plays_in_the_page(client, attempt, educator_ana):
    """No requirement takes audio uploads today; a recording stored as evidence still plays."""
    key = default_storage.save("evidence/feedback.mp3", ContentFile(MP3))
    item = Evidence.objects.create(
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="video"),
        file=key,
        file_name="feedback.mp3",
        content_type="audio/mpeg",
        size=len(MP3),
    )
    assert item.media_family == "audio"
    client.force_login(educator_ana)
    for url in (
        attempt.get_absolute_url(),
        reverse("earning:evidence", args=[attempt.public_id]),
    ):
        page = client.get(url).content.decode()
        assert (
            f'<audio class="evidence-viewer__audio" controls preload="metadata" src="{item.get_absolute_url()}"'
            in page
        )
    page = client.get(item.get_absolute_url(), HTTP_SEC_FETCH_DEST="document").content.decode()
    assert "<audio" in page


def test_a_pdf_still_previews_in_a_frame_on_the_review_screen_markup(client, attempt, educator_ana):
    item = services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="document"),
        upload=upload("plan.pdf", PDF),
    )
    client.force_login(educator_ana)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert f'<iframe class="evidence-viewer__pdf" src="{item.get_absolute_url()}"' in page
    raw = client.get(item.get_absolute_url(), HTTP_SEC_FETCH_DEST="iframe")
    assert raw["Content-Type"] == "application/pdf"
