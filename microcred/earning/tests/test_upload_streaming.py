"""A piece of an upload goes from the connection to the staging file block by block, and
the finished file is moved into storage, not copied: however large the video, a web
process holds a few blocks of it, the disk writes it once, and it writes it while the
piece arrives (bench/upload.py measures the same through the real server)."""

from __future__ import annotations

import os
import tracemalloc

import pytest
from django.conf import settings

from microcred.earning import staging
from microcred.earning.models import Evidence, UploadSession
from microcred.earning.staging import FileStaging
from microcred.earning.tests import tus
from microcred.earning.tests.factories import MP4, earnable_credential, started_attempt

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


class Video:
    """A request body made as it is read (an MP4 header, then zeros), so the test itself
    never holds the file: whatever memory the request takes is the application's."""

    def __init__(self, size: int) -> None:
        self.size, self.position = size, 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.position
        size = left if size is None or size < 0 else min(size, left)
        head = MP4[self.position : self.position + size]
        self.position += size
        return head + bytes(size - len(head))

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - not read by lines
        raise AssertionError("an upload piece is not read by lines")


@pytest.fixture
def attempt(educator_ana, designer_dan, reviewer_rita, north):
    return started_attempt(educator_ana, earnable_credential(designer_dan, reviewer_rita, north))


@pytest.fixture
def ana(client, educator_ana):
    client.force_login(educator_ana)
    return client


def begun(client, attempt, size: int) -> str:
    requirement = attempt.version.evidence_requirements.get(kind="video")
    response = tus.create(client, attempt, requirement, "lesson.mp4", size, consent="1")
    assert response.status_code == 201, tus.text(response)
    return str(response["Location"])


def patch_streamed(client, url: str, offset: int, length: int):
    """A PATCH through the whole request stack (middleware, session, view) whose body is
    read from a stream, as a WSGI server hands it over."""
    environ = client._base_environ(
        REQUEST_METHOD="PATCH",
        PATH_INFO=url.removeprefix("http://testserver"),
        CONTENT_TYPE="application/offset+octet-stream",
        CONTENT_LENGTH=str(length),
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET=str(offset),
        **{"wsgi.input": Video(offset + length)},
    )
    environ["wsgi.input"].position = offset
    return client.handler(environ)


def test_a_48_mib_piece_is_written_to_staging_holding_under_4_mib(ana, attempt):
    size = 48 * MiB
    url = begun(ana, attempt, size)  # one MiB is left to send
    patch_streamed(ana, url, 0, MiB)  # the first piece: imports and lazy set-up happen here

    tracemalloc.start()
    try:
        response = patch_streamed(ana, url, MiB, size - 2 * MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 204, response.content
    assert response["Upload-Offset"] == str(size - MiB)
    assert os.path.getsize(FileStaging.path(UploadSession.objects.get())) == size - MiB
    assert peak < 4 * MiB, f"the request held {peak / MiB:.1f} MiB at its peak"


def test_the_last_piece_stores_the_video_holding_under_4_mib(ana, attempt):
    size = 32 * MiB
    url = begun(ana, attempt, size)
    patch_streamed(ana, url, 0, MiB)

    tracemalloc.start()
    try:
        response = patch_streamed(ana, url, MiB, size - MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 204, response.content
    assert Evidence.objects.get().size == size and not UploadSession.objects.exists()
    assert peak < 4 * MiB, f"the request held {peak / MiB:.1f} MiB at its peak"


def test_the_finished_file_is_the_staging_file_moved_not_a_copy(ana, attempt):
    size = 3 * MiB
    url = begun(ana, attempt, size)
    patch_streamed(ana, url, 0, MiB)
    staged = os.stat(FileStaging.path(UploadSession.objects.get()))

    response = patch_streamed(ana, url, MiB, size - MiB)

    assert response.status_code == 204, response.content
    evidence = Evidence.objects.get()
    stored = os.stat(
        os.path.join(settings.STORAGES["default"]["OPTIONS"]["location"], evidence.file.name)
    )
    assert (stored.st_dev, stored.st_ino) == (staged.st_dev, staged.st_ino)
    assert stored.st_size == size
    assert os.listdir(settings.UPLOAD_STAGING_DIR) == []


def test_the_disk_is_sent_each_stretch_of_a_piece_as_it_arrives(ana, attempt, monkeypatch):
    """Every WRITEBACK_BYTES of a piece, and its end, are handed to the disk while the rest
    arrives (sync_file_range on Linux, which does not wait for the disk), so an upload is
    on disk soon after its last byte instead of piling up in memory until then."""
    started: list[tuple[int, int]] = []

    def start_writeback(fd: int, offset: int, length: int, flags: int) -> int:
        assert flags == staging.SYNC_FILE_RANGE_WRITE
        started.append((offset, length))
        return 0

    monkeypatch.setattr(staging, "SYNC_FILE_RANGE", start_writeback)
    size = 3 * staging.WRITEBACK_BYTES
    url = begun(ana, attempt, size)
    response = patch_streamed(ana, url, 0, MiB)
    assert response.status_code == 204 and started == [(0, MiB)]

    started.clear()
    response = patch_streamed(ana, url, MiB, size - 2 * MiB)

    assert response.status_code == 204, response.content
    stretch = staging.WRITEBACK_BYTES
    assert started == [
        (MiB, stretch),
        (MiB + stretch, stretch),
        (MiB + 2 * stretch, stretch - 2 * MiB),
    ]
