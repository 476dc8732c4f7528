"""Abandoned and refused uploads never lock an educator out and never stay behind.

Uploads still arriving do not count toward a requirement's file limit (the limit is
checked again when one finishes); a file refused when it finishes is discarded at once;
an upload expires a day after its last byte (tus `Upload-Expires`), and an hourly task
(and `manage.py clean_uploads` for cron) forgets expired uploads, with their staging files.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from microcred.earning import services
from microcred.earning.models import Evidence, UploadSession
from microcred.earning.staging import FileStaging
from microcred.earning.tasks import clean_abandoned_uploads
from microcred.earning.tests import tus
from microcred.earning.tests.factories import (
    MP4,
    earnable_credential,
    started_attempt,
    upload,
)
from microcred.server.management.commands.serve import enqueue_periodic

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def attempt(educator_ana, credential):
    return started_attempt(educator_ana, credential)


def requirement(attempt, kind):
    return attempt.version.evidence_requirements.get(kind=kind)


def begin(client, attempt, req, name, size, **extra):
    return tus.create(client, attempt, req, name, size, **extra)


def put(client, url, offset, data):
    return tus.patch(client, url, offset, data)


def staged(settings) -> list[str]:
    try:
        return sorted(os.listdir(settings.UPLOAD_STAGING_DIR))
    except FileNotFoundError:
        return []


def age(session: UploadSession, seconds: int, settings) -> None:
    """Make an upload look untouched for `seconds`: its row (the last byte's time) and its
    staging file."""
    UploadSession.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )
    path = FileStaging.path(session)
    if os.path.exists(path):
        then = time.time() - seconds
        os.utime(path, (then, then))


def test_an_abandoned_upload_does_not_lock_the_educator_out(client, educator_ana, attempt):
    """The video requirement takes one file; an upload begun and never finished must not
    take its place."""
    client.force_login(educator_ana)
    video = requirement(attempt, "video")
    assert begin(client, attempt, video, "lesson.mp4", 5000, consent="1").status_code == 201
    assert UploadSession.objects.count() == 1
    response = client.post(
        reverse("earning:evidence-add", args=[attempt.public_id, video.pk]),
        {"file": upload("lesson.mp4", MP4), "consent": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    assert Evidence.objects.filter(attempt=attempt, requirement=video).count() == 1
    # A second begin is still a clear refusal, counting only what was added.
    refused = begin(client, attempt, video, "again.mp4", 5000, consent="1")
    assert refused.status_code == 400
    assert tus.text(refused) == (
        "“Classroom video” takes at most 1 file, and you have added 1. "
        "Remove one before adding another."
    )


def test_a_file_refused_when_it_finishes_leaves_no_session_and_no_staging_file(
    client, educator_ana, attempt, settings, django_capture_on_commit_callbacks
):
    """The first chunk reads as plain text, the whole head does not: the file is refused when
    the last chunk arrives, and the refusal's transaction rolls back. The clean-up must still
    happen."""
    client.force_login(educator_ana)
    content = b"Lesson plan\n" * 100 + b"\x00\x01\x02" * 400
    content = (content * 5)[:10240]
    response = begin(client, attempt, requirement(attempt, "document"), "plan.txt", len(content))
    url = response["Location"]
    assert put(client, url, 0, content[:1024])["Upload-Offset"] == "1024"
    with django_capture_on_commit_callbacks(execute=True):
        refused = put(client, url, 1024, content[1024:])
    assert refused.status_code == 415  # the type, found out at the end
    assert "“plan.txt” is a file type we cannot recognise" in tus.text(refused)
    assert not Evidence.objects.exists()
    assert not UploadSession.objects.exists()
    assert staged(settings) == []
    # The educator can start again at once.
    again = begin(client, attempt, requirement(attempt, "document"), "plan.pdf", 10)
    assert again.status_code == 201


def test_uploads_started_side_by_side_cannot_pass_the_file_limit(
    client, educator_ana, attempt, settings, django_capture_on_commit_callbacks
):
    client.force_login(educator_ana)
    video = requirement(attempt, "video")
    first = begin(client, attempt, video, "a.mp4", len(MP4), consent="1")["Location"]
    second = begin(client, attempt, video, "b.mp4", len(MP4), consent="1")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        assert put(client, first, 0, MP4).status_code == 204
        refused = put(client, second, 0, MP4)
    assert refused.status_code == 400
    assert "takes at most 1 file, and you have added 1" in tus.text(refused)
    assert [e.file_name for e in Evidence.objects.all()] == ["a.mp4"]
    assert not UploadSession.objects.exists()
    assert staged(settings) == []


def make_uploads(client, educator_ana, attempt, settings):
    """An abandoned upload (two days untouched), one in progress (a piece an hour ago, though
    begun two days ago), a fresh one, and two staging files without a session (old, new)."""
    client.force_login(educator_ana)
    doc = requirement(attempt, "document")
    sessions = []
    for name in ("abandoned.pdf", "slow.pdf", "fresh.pdf"):
        url = begin(client, attempt, doc, name, 100_000)["Location"]
        put(client, url, 0, b"%PDF-1.4\n" + bytes(100))
        sessions.append(UploadSession.objects.get(file_name=name))
    abandoned, slow, fresh = sessions
    age(abandoned, 2 * DAY, settings)
    UploadSession.objects.filter(pk=slow.pk).update(
        created_at=timezone.now() - timedelta(seconds=2 * DAY)
    )
    age(slow, 3600, settings)
    old_orphan = os.path.join(settings.UPLOAD_STAGING_DIR, "0" * 32 + ".part")
    new_orphan = os.path.join(settings.UPLOAD_STAGING_DIR, "1" * 32 + ".part")
    for path, when in ((old_orphan, time.time() - 2 * DAY), (new_orphan, time.time())):
        with open(path, "wb") as handle:
            handle.write(b"half a file")
        os.utime(path, (when, when))
    return abandoned, slow, fresh, old_orphan, new_orphan


def assert_only_abandoned_removed(settings, abandoned, slow, fresh, old_orphan, new_orphan):
    assert set(UploadSession.objects.values_list("file_name", flat=True)) == {
        "slow.pdf",
        "fresh.pdf",
    }
    assert staged(settings) == sorted(
        [
            os.path.basename(FileStaging.path(slow)),
            os.path.basename(FileStaging.path(fresh)),
            os.path.basename(new_orphan),
        ]
    )


def test_the_hourly_task_forgets_uploads_untouched_for_a_day(
    client, educator_ana, attempt, settings
):
    made = make_uploads(client, educator_ana, attempt, settings)
    result = clean_abandoned_uploads.enqueue()
    assert result.return_value == {"sessions": 1, "orphan_files": 1}
    assert_only_abandoned_removed(settings, *made)


def test_make_run_enqueues_the_clean_up_every_hour(client, educator_ana, attempt, settings):
    made = make_uploads(client, educator_ana, attempt, settings)
    enqueue_periodic()
    assert_only_abandoned_removed(settings, *made)


def test_the_clean_up_command_for_cron(client, educator_ana, attempt, settings, capsys):
    made = make_uploads(client, educator_ana, attempt, settings)
    call_command("clean_uploads")
    assert (
        "Removed 1 abandoned upload(s) and 1 leftover staging file(s)." in capsys.readouterr().out
    )
    assert_only_abandoned_removed(settings, *made)
    with pytest.raises(SystemExit):
        call_command("clean_uploads", "--hours", "0")
    assert UploadSession.objects.count() == 2


def test_unfinished_uploads_are_bounded_so_they_cannot_fill_the_disk(
    client, educator_ana, attempt, settings, django_capture_on_commit_callbacks
):
    """They no longer count toward the file limit, so beyond five the oldest is given up."""
    client.force_login(educator_ana)
    doc = requirement(attempt, "document")
    urls = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(services.UPLOADS_IN_PROGRESS_MAX + 2):
            response = begin(client, attempt, doc, f"plan-{i}.pdf", 1000)
            assert response.status_code == 201
            urls.append(response["Location"])
    kept = sorted(UploadSession.objects.values_list("file_name", flat=True))
    assert kept == [f"plan-{i}.pdf" for i in range(2, services.UPLOADS_IN_PROGRESS_MAX + 2)]
    assert len(staged(settings)) == services.UPLOADS_IN_PROGRESS_MAX
    assert put(client, urls[0], 0, b"%PDF-1.4\n").status_code == 404
    assert put(client, urls[-1], 0, b"%PDF-1.4\n").status_code == 204


def test_a_piece_past_the_announced_size_ends_the_upload(client, educator_ana, attempt, settings):
    client.force_login(educator_ana)
    url = begin(client, attempt, requirement(attempt, "document"), "plan.pdf", 10)["Location"]
    refused = put(client, url, 0, b"%PDF-1.4\n" + bytes(100))
    assert refused.status_code == 413
    assert tus.text(refused) == "The file is bigger than the 10 bytes announced. Upload it again."
    assert not UploadSession.objects.exists()
    assert staged(settings) == []
