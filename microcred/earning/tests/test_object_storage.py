"""Evidence in an S3-compatible object store (`S3_BUCKET`): stored under a private key,
streamed back in ranges, never linked to, deleted with the evidence.

The store is moto's S3 server, a real HTTP endpoint on this machine: the application's own
storage code (django-storages and boto3) runs unchanged against it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from microcred.earning import services
from microcred.earning.models import Evidence, UploadSession
from microcred.earning.tests import tus
from microcred.earning.tests.factories import EXE, MP4, earnable_credential, started_attempt, upload

pytestmark = pytest.mark.django_db

BUCKET = "microcred-evidence"
VIDEO = MP4 + os.urandom(300_000)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The default storage is an S3 bucket of its own for this test."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "microcred-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "microcred-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"{BUCKET}-{os.getpid()}-{os.urandom(4).hex()}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": "microcred",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
    return client, name


def keys(bucket) -> list[str]:
    client, name = bucket
    listed = client.list_objects_v2(Bucket=name)
    return [item["Key"] for item in listed.get("Contents", [])]


@pytest.fixture
def attempt(educator_ana, designer_dan, reviewer_rita, north):
    return started_attempt(educator_ana, earnable_credential(designer_dan, reviewer_rita, north))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_is_stored_in_the_bucket_and_streams_back_in_ranges(
    client, bucket, attempt, educator_ana, outsider_oz, tmp_path
):
    evidence = services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="video"),
        upload=upload("lesson.mp4", VIDEO),
        consent=True,
    )
    assert default_storage.__class__.__name__ == "S3Storage"
    assert keys(bucket) == [f"microcred/{evidence.file.name}"]
    assert not (tmp_path / "media").exists()  # nothing on local disk
    # What the store is asked for, as boto3 sends it.
    asked: list[str] = []
    events = default_storage.connection.meta.client.meta.events
    events.register(
        "provide-client-params.s3.GetObject",
        lambda params, **kwargs: asked.append(params.get("Range", "everything")),
    )
    client.force_login(educator_ana)
    url = evidence.get_absolute_url()
    part = client.get(url, HTTP_RANGE="bytes=100000-199999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100000-199999/{len(VIDEO)}"
    assert body(part) == VIDEO[100000:200000]
    assert asked == ["bytes=100000-199999"]  # only those bytes, not the whole video
    whole = client.get(url)
    assert whole.status_code == 200 and body(whole) == VIDEO
    assert whole["X-Content-Type-Options"] == "nosniff"
    assert "Location" not in whole  # served by us after the check, never a link to the store
    client.force_login(outsider_oz)
    assert client.get(url).status_code == 404


def test_a_resumable_upload_goes_into_a_multipart_upload_and_finishes_in_the_bucket(
    client, bucket, attempt, educator_ana, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Pieces smaller than S3's 5 MiB minimum part wait in a tail object; full parts go to
    the multipart upload as they fill; nothing is staged on this host's disk."""
    settings.UPLOAD_PART_BYTES = 5 * 1024**2
    settings.UPLOAD_STAGING_DIR = tmp_path / "staging"
    s3, name = bucket
    client.force_login(educator_ana)
    req = attempt.version.evidence_requirements.get(kind="video")
    video = MP4 + os.urandom(11 * 1024**2)  # two full parts and a short last one
    begun = tus.create(client, attempt, req, "lesson.mp4", len(video), consent="1")
    assert begun.status_code == 201
    url = begun["Location"]
    session = UploadSession.objects.get()
    assert session.backend == "s3" and session.multipart_id

    piece = 3 * 1024**2  # smaller than a part: the first piece waits whole in a tail object
    assert tus.patch(client, url, 0, video[:piece])["Upload-Offset"] == str(piece)
    session.refresh_from_db()
    assert (session.offset, session.parts, session.parts_bytes) == (piece, [], 0)
    assert keys(bucket) == [f"microcred/uploads/{session.token.hex}/{piece}.tail"]
    # The second piece fills the first part (tail + new bytes), the rest waits again.
    assert tus.patch(client, url, piece, video[piece : 2 * piece])["Upload-Offset"] == str(
        2 * piece
    )
    session.refresh_from_db()
    assert [p["PartNumber"] for p in session.parts] == [1]
    assert session.parts_bytes == 5 * 1024**2
    listed = s3.list_parts(
        Bucket=name, Key=f"microcred/{session.storage_key}", UploadId=session.multipart_id
    )
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 5 * 1024**2)]

    with django_capture_on_commit_callbacks(execute=True):
        answer = tus.send_all(client, url, video, piece)
    assert answer.status_code == 204 and answer["Upload-Offset"] == str(len(video))
    evidence = Evidence.objects.get()
    assert evidence.file.name == session.storage_key
    stored = s3.get_object(Bucket=name, Key=f"microcred/{evidence.file.name}")
    assert stored["Body"].read() == video
    assert keys(bucket) == [f"microcred/{evidence.file.name}"]  # no tail objects left
    assert s3.list_multipart_uploads(Bucket=name).get("Uploads", []) == []
    assert not UploadSession.objects.exists()
    assert not os.path.exists(settings.UPLOAD_STAGING_DIR)


def test_a_cancelled_upload_aborts_its_multipart_upload(client, bucket, attempt, educator_ana):
    s3, name = bucket
    client.force_login(educator_ana)
    req = attempt.version.evidence_requirements.get(kind="video")
    url = tus.create(client, attempt, req, "lesson.mp4", len(VIDEO), consent="1")["Location"]
    assert tus.patch(client, url, 0, VIDEO[:100_000]).status_code == 204
    assert len(s3.list_multipart_uploads(Bucket=name)["Uploads"]) == 1
    assert tus.delete(client, url).status_code == 204
    assert s3.list_multipart_uploads(Bucket=name).get("Uploads", []) == []
    assert keys(bucket) == []
    assert tus.head(client, url).status_code == 404


def test_a_wrong_type_refused_at_the_first_piece_leaves_nothing_in_the_bucket(
    client, bucket, attempt, educator_ana
):
    s3, name = bucket
    client.force_login(educator_ana)
    req = attempt.version.evidence_requirements.get(kind="video")
    content = EXE + bytes(20_000)
    url = tus.create(client, attempt, req, "lesson.mp4", len(content), consent="1")["Location"]
    refused = tus.patch(client, url, 0, content)
    assert refused.status_code == 415 and "is a Windows program" in tus.text(refused)
    assert s3.list_multipart_uploads(Bucket=name).get("Uploads", []) == []
    assert keys(bucket) == [] and not UploadSession.objects.exists()


def test_the_clean_up_aborts_expired_and_orphaned_multipart_uploads(
    client, bucket, attempt, educator_ana, monkeypatch
):
    """An expired upload is aborted with its tail; a multipart upload whose row is gone
    (deleted with its attempt, say) is aborted once it is a day old; a live one stays."""
    s3, name = bucket
    client.force_login(educator_ana)
    req = attempt.version.evidence_requirements.get(kind="video")
    urls = [
        tus.create(client, attempt, req, f"{n}.mp4", len(VIDEO), consent="1")["Location"]
        for n in ("expired", "orphan", "live")
    ]
    for url in urls:
        assert tus.patch(client, url, 0, VIDEO[:1000]).status_code == 204
    _expired, orphan, live = UploadSession.objects.order_by("pk")
    later = timezone.now() + timedelta(days=2)
    UploadSession.objects.filter(pk=live.pk).update(updated_at=later)
    UploadSession.objects.filter(pk=orphan.pk).delete()  # the row only, as a cascade would
    assert len(s3.list_multipart_uploads(Bucket=name)["Uploads"]) == 3
    monkeypatch.setattr(services.timezone, "now", lambda: later + timedelta(hours=1))

    cleaned = services.uploads_clean()

    assert (cleaned.sessions, cleaned.orphan_files) == (1, 2)  # the orphan's upload and tail
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=name)["Uploads"]] == [
        live.multipart_id
    ]
    assert keys(bucket) == [f"microcred/uploads/{live.token.hex}/1000.tail"]
    assert list(UploadSession.objects.all()) == [live]


def test_a_refused_file_leaves_nothing_in_the_bucket(client, bucket, attempt, educator_ana):
    client.force_login(educator_ana)
    req = attempt.version.evidence_requirements.get(kind="video")
    response = client.post(
        reverse("earning:evidence-add", args=[attempt.public_id, req.pk]),
        {"file": upload("lesson.mp4", EXE + bytes(500)), "consent": "on"},
    )
    assert response.status_code == 400
    assert "is a Windows program" in response.content.decode()
    assert keys(bucket) == [] and not Evidence.objects.exists()


def test_removing_evidence_deletes_the_object(
    bucket, attempt, educator_ana, django_capture_on_commit_callbacks
):
    evidence = services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="document"),
        upload=upload("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert len(keys(bucket)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(actor=educator_ana, evidence=evidence)
    assert keys(bucket) == []


def test_s3_bucket_in_the_environment_selects_the_object_store(tmp_path):
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "S3_BUCKET": "district-evidence",
        "S3_ENDPOINT_URL": "https://objects.example.org",
        "S3_PREFIX": "microcred",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'settings.sqlite3'}",
        "MICROCRED_VAR_DIR": str(tmp_path),
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'microcred.settings';"
            "from django.conf import settings; print(json.dumps(settings.STORAGES['default']))",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    storage = json.loads(shown.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "district-evidence"
    assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.org"
    assert storage["OPTIONS"]["location"] == "microcred"
