"""Evidence uploads: the type comes from the bytes, size and count are bounded, refusals leave
nothing behind, and large files arrive in resumable chunks."""

from __future__ import annotations

import os

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from microcred.core.models import AuditEvent
from microcred.earning import services
from microcred.earning.models import Evidence, UploadSession
from microcred.earning.tests import tus
from microcred.earning.tests.factories import (
    EXE,
    MP4,
    PDF,
    earnable_credential,
    started_attempt,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def attempt(educator_ana, credential):
    return started_attempt(educator_ana, credential)


@pytest.fixture
def staging(settings, tmp_path):
    settings.UPLOAD_STAGING_DIR = tmp_path / "staging"
    return settings.UPLOAD_STAGING_DIR


def stored_files() -> list[str]:
    try:
        return default_storage.listdir("evidence")[1]
    except FileNotFoundError:
        return []


def requirement(attempt, kind):
    return attempt.version.evidence_requirements.get(kind=kind)


def post_file(client, attempt, req, name, content, **extra):
    return client.post(
        reverse("earning:evidence-add", args=[attempt.public_id, req.pk]),
        {"file": upload(name, content), **extra},
    )


def assert_nothing_left(events_before: int) -> None:
    assert not Evidence.objects.exists()
    assert stored_files() == []
    assert AuditEvent.objects.count() == events_before
    assert mail.outbox == []


def test_a_pdf_is_stored_under_a_random_key_with_its_name_kept_for_display(
    client, educator_ana, attempt
):
    client.force_login(educator_ana)
    response = post_file(
        client, attempt, requirement(attempt, "document"), "../My plan<1>.pdf", PDF
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file_name == "My plan1.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.file.name.startswith("evidence/") and "plan" not in evidence.file.name
    assert default_storage.open(evidence.file.name).read() == PDF
    assert AuditEvent.objects.filter(verb="evidence.added").count() == 1


def test_a_renamed_executable_is_refused_naming_its_real_type(client, educator_ana, attempt):
    client.force_login(educator_ana)
    events = AuditEvent.objects.count()
    response = post_file(client, attempt, requirement(attempt, "document"), "lesson-plan.pdf", EXE)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“lesson-plan.pdf” is a Windows program." in page
    assert "PDF" in page  # says what it takes
    assert_nothing_left(events)


def test_a_pdf_is_refused_where_a_video_is_asked_for(client, educator_ana, attempt):
    client.force_login(educator_ana)
    events = AuditEvent.objects.count()
    response = post_file(
        client, attempt, requirement(attempt, "video"), "lesson.mp4", PDF, consent="on"
    )
    assert response.status_code == 400
    assert (
        "“lesson.mp4” is a PDF. “Classroom video” takes: MP4 video, QuickTime video, WebM video."
        in (response.content.decode())
    )
    assert_nothing_left(events)


def test_an_empty_file_is_refused(client, educator_ana, attempt):
    client.force_login(educator_ana)
    events = AuditEvent.objects.count()
    response = post_file(client, attempt, requirement(attempt, "document"), "plan.pdf", b"")
    assert response.status_code == 400
    assert "That file is empty" in response.content.decode()
    assert_nothing_left(events)


def test_an_oversized_file_is_refused_with_the_limit_and_what_to_do(
    client, educator_ana, attempt, settings
):
    settings.EVIDENCE_VIDEO_MAX_BYTES = 4096
    client.force_login(educator_ana)
    events = AuditEvent.objects.count()
    big = MP4 + bytes(5000)
    response = post_file(
        client, attempt, requirement(attempt, "video"), "lesson.mp4", big, consent="on"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is 4.0\xa0KB" in page
    assert "Trim it to the part the task asks for" in page
    assert_nothing_left(events)


def test_consent_must_be_confirmed_when_the_requirement_asks(client, educator_ana, attempt):
    client.force_login(educator_ana)
    events = AuditEvent.objects.count()
    response = post_file(client, attempt, requirement(attempt, "video"), "lesson.mp4", MP4)
    assert response.status_code == 400
    assert "Confirm consent" in response.content.decode()
    assert_nothing_left(events)
    # The caption typed is kept on the page.
    response = client.post(
        reverse("earning:evidence-add", args=[attempt.public_id, requirement(attempt, "video").pk]),
        {"file": upload("lesson.mp4", MP4), "caption": "Station rotation"},
    )
    assert 'value="Station rotation"' in response.content.decode()


def test_the_count_limit_says_how_many_and_what_to_do(client, educator_ana, attempt):
    client.force_login(educator_ana)
    req = requirement(attempt, "document")  # at most 2
    for i in range(2):
        assert post_file(client, attempt, req, f"p{i}.pdf", PDF).status_code == 302
    with pytest.raises(Exception, match="takes at most 2 files, and you have added 2"):
        services.evidence_upload(
            actor=educator_ana, attempt=attempt, requirement=req, upload=upload("p3.pdf", PDF)
        )
    assert Evidence.objects.count() == 2


def test_removing_unsubmitted_evidence_deletes_the_file(
    client, educator_ana, attempt, django_capture_on_commit_callbacks
):
    client.force_login(educator_ana)
    post_file(client, attempt, requirement(attempt, "document"), "plan.pdf", PDF)
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("earning:evidence-remove", args=[evidence.public_id]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert stored_files() == []


# ----------------------------------------------------------------------------- resumable (tus)


def test_a_video_arrives_in_pieces_and_resumes_after_an_interruption(
    client, educator_ana, attempt, staging, django_capture_on_commit_callbacks
):
    client.force_login(educator_ana)
    content = MP4 + os.urandom(3000)
    response = tus.create(
        client, attempt, requirement(attempt, "video"), "lesson.mov", len(content), consent="1"
    )
    assert response.status_code == 201
    url = response["Location"]
    assert tus.patch(client, url, 0, content[:1024])["Upload-Offset"] == "1024"
    # A retried piece at a stale offset is told where to resume.
    stale = tus.patch(client, url, 0, content[:1024])
    assert stale.status_code == 409 and stale["Upload-Offset"] == "1024"
    assert "Resume from byte 1024" in tus.text(stale)
    status = tus.head(client, url)
    assert (status["Upload-Offset"], status["Upload-Length"]) == ("1024", str(len(content)))
    with django_capture_on_commit_callbacks(execute=True):
        response = tus.send_all(client, url, content, 1024)
    assert response.status_code == 204 and response["Upload-Offset"] == str(len(content))
    evidence = Evidence.objects.get()
    assert evidence.content_type == "video/mp4"
    assert evidence.file_name == "lesson.mov" and evidence.consent_attested
    assert default_storage.open(evidence.file.name).read() == content
    assert not UploadSession.objects.exists()
    assert os.listdir(staging) == []


def test_a_renamed_executable_sent_in_pieces_is_refused_at_the_first_piece(
    client, educator_ana, attempt, staging
):
    client.force_login(educator_ana)
    content = EXE + bytes(20000)
    response = tus.create(
        client, attempt, requirement(attempt, "video"), "lesson.mp4", len(content), consent="1"
    )
    events = AuditEvent.objects.count()  # beginning the upload wrote one; the refusal none
    url = response["Location"]
    response = tus.patch(client, url, 0, content[:10000])
    assert response.status_code == 415
    assert "“lesson.mp4” is a Windows program." in tus.text(response)
    assert not UploadSession.objects.exists()
    assert os.listdir(staging) == []
    assert_nothing_left(events)


def test_an_oversized_resumable_upload_is_refused_before_any_byte_is_sent(
    client, educator_ana, attempt, staging, settings
):
    settings.EVIDENCE_VIDEO_MAX_BYTES = 2 * 1024**3
    client.force_login(educator_ana)
    response = tus.create(
        client, attempt, requirement(attempt, "video"), "whole-day.mp4", 3 * 1024**3, consent="1"
    )
    assert response.status_code == 413
    assert "is 3.0\xa0GB; the limit is 2.0\xa0GB" in tus.text(response)
    assert not UploadSession.objects.exists()


def test_an_upload_of_someone_else_is_not_found(client, educator_ana, attempt, staging, world):
    client.force_login(educator_ana)
    url = tus.create(client, attempt, requirement(attempt, "document"), "plan.pdf", len(PDF))[
        "Location"
    ]
    from microcred.core.models import Role

    client.force_login(world.south.people[Role.EDUCATOR])
    assert tus.patch(client, url, 0, PDF).status_code == 404
    assert tus.head(client, url).status_code == 404
    assert tus.delete(client, url).status_code == 404
    forged = reverse("earning:upload-chunk", args=["00000000-0000-0000-0000-000000000000"])
    client.force_login(educator_ana)
    assert tus.patch(client, forged, 0, PDF).status_code == 404
    assert UploadSession.objects.get().offset == 0


def test_a_piece_bigger_than_announced_is_refused(client, educator_ana, attempt, staging):
    client.force_login(educator_ana)
    url = tus.create(client, attempt, requirement(attempt, "document"), "plan.pdf", 10)["Location"]
    response = tus.patch(client, url, 0, PDF)
    assert response.status_code == 413
    assert not Evidence.objects.exists() and not UploadSession.objects.exists()


def test_bad_creation_input_gets_a_clear_message(client, educator_ana, attempt, staging):
    client.force_login(educator_ana)
    req = requirement(attempt, "document")
    response = client.post(
        reverse("earning:upload-begin", args=[attempt.public_id, req.pk]),
        headers={**tus.TUS, "Upload-Length": "lots"},
    )
    assert response.status_code == 400
    assert tus.text(response) == "Say how big the file is (Upload-Length, in bytes)."
    response = tus.create(client, attempt, req, "x.pdf", 0)
    assert response.status_code == 400 and "is empty" in tus.text(response)
    assert not UploadSession.objects.exists()
