"""Evidence uploads speak tus 1.0.0 (core, creation, termination, expiration), so standard
clients work: what the protocol asks of every answer, its error statuses, and our own
refusals (the wrong type, over the limit, a handed-in attempt, not the owner) with the
message for the educator as the body. The end of the file drives the real tus client
`tuspy` through a running server with the connection cut half-way."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import http.client
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tusclient import client as client_module

from microcred.core.models import AuditEvent, Role
from microcred.core.tests.processes import database_url_of_tests
from microcred.earning import services
from microcred.earning.models import Attempt, Evidence, UploadSession
from microcred.earning.staging import FileStaging
from microcred.earning.tests import tus
from microcred.earning.tests.factories import EXE, MP4, PDF, earnable_credential, started_attempt

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def attempt(educator_ana, designer_dan, reviewer_rita, north):
    return started_attempt(educator_ana, earnable_credential(designer_dan, reviewer_rita, north))


@pytest.fixture
def staging(settings, tmp_path):
    settings.UPLOAD_STAGING_DIR = tmp_path / "staging"
    return settings.UPLOAD_STAGING_DIR


@pytest.fixture
def ana(client, educator_ana):
    client.force_login(educator_ana)
    return client


def video(attempt):
    return attempt.version.evidence_requirements.get(kind="video")


def document(attempt):
    return attempt.version.evidence_requirements.get(kind="document")


def begun(client, attempt, content: bytes = PDF) -> str:
    response = tus.create(client, attempt, document(attempt), "plan.pdf", len(content))
    assert response.status_code == 201, tus.text(response)
    return str(response["Location"])


def expires(response) -> float:
    parsed = email.utils.parsedate_to_datetime(response["Upload-Expires"])
    return parsed.timestamp() - timezone.now().timestamp()


# ----------------------------------------------------------------------------- discovery, creation


def test_options_says_the_version_the_extensions_and_the_size_limit(ana, attempt, settings):
    settings.EVIDENCE_VIDEO_MAX_BYTES = 2 * 1024**3
    response = ana.options(
        reverse("earning:upload-begin", args=[attempt.public_id, video(attempt).pk])
    )
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,termination,expiration"
    assert response["Tus-Max-Size"] == str(2 * 1024**3)
    # Never an answer to a cross-origin preflight: no CORS header, ever.
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_creation_answers_201_with_the_upload_url_and_its_expiry(ana, attempt, staging):
    response = tus.create(
        ana, attempt, video(attempt), "Leçon été.mp4", 5000, consent="1", caption="Stations"
    )
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    session = UploadSession.objects.get()
    assert response["Location"] == f"http://testserver/uploads/{session.token}/"
    assert response["Upload-Offset"] == "0"
    assert abs(expires(response) - 24 * 3600) < 60
    assert (session.file_name, session.size, session.offset) == ("Leçon été.mp4", 5000, 0)
    assert session.consent_attested and session.caption == "Stations"
    assert os.path.getsize(FileStaging.path(session)) == 0


def test_creation_without_consent_where_it_is_needed_says_so(ana, attempt, staging):
    response = tus.create(ana, attempt, video(attempt), "lesson.mp4", 5000)
    assert response.status_code == 400
    assert "Confirm that the students in “Classroom video” have consent" in tus.text(response)
    assert not UploadSession.objects.exists()


def test_creation_over_the_limit_is_413_with_the_limit(ana, attempt, staging, settings):
    settings.EVIDENCE_VIDEO_MAX_BYTES = 4096
    response = tus.create(ana, attempt, video(attempt), "lesson.mp4", 5000, consent="1")
    assert response.status_code == 413
    assert "the limit is 4.0\xa0KB. Trim it to the part the task asks for" in tus.text(response)
    assert not UploadSession.objects.exists()


def test_metadata_that_is_not_base64_is_refused(ana, attempt, staging):
    response = ana.post(
        reverse("earning:upload-begin", args=[attempt.public_id, document(attempt).pk]),
        headers={**tus.TUS, "Upload-Length": "100", "Upload-Metadata": "filename ***"},
    )
    assert response.status_code == 400
    assert "“filename” is not base64" in tus.text(response)
    assert not UploadSession.objects.exists()


# ----------------------------------------------------------------------------- core


def test_head_says_the_offset_and_length_and_is_never_cached(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    assert tus.patch(ana, url, 0, content[:1000]).status_code == 204
    response = tus.head(ana, url)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "1000"
    assert response["Upload-Length"] == str(len(content))
    assert response["Cache-Control"] == "no-store"
    assert response["Tus-Resumable"] == "1.0.0"
    assert abs(expires(response) - 24 * 3600) < 60


def test_a_piece_answers_204_with_the_new_offset(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    response = tus.patch(ana, url, 0, content[:1000])
    assert response.status_code == 204
    assert response["Upload-Offset"] == "1000" and response["Tus-Resumable"] == "1.0.0"
    assert UploadSession.objects.get().offset == 1000
    with open(FileStaging.path(UploadSession.objects.get()), "rb") as staged:
        assert staged.read() == content[:1000]


def test_a_piece_at_the_wrong_offset_is_409_and_changes_nothing(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    tus.patch(ana, url, 0, content[:1000])
    for wrong in (0, 500, 2000):
        response = tus.patch(ana, url, wrong, content[wrong : wrong + 100])
        assert response.status_code == 409
        assert response["Upload-Offset"] == "1000"
        assert tus.text(response).endswith("Resume from byte 1000.")
    session = UploadSession.objects.get()
    assert session.offset == 1000 and os.path.getsize(FileStaging.path(session)) == 1000


def test_a_piece_with_another_content_type_is_415(ana, attempt, staging):
    url = begun(ana, attempt)
    response = tus.patch(ana, url, 0, PDF, content_type="application/octet-stream")
    assert response.status_code == 415
    assert "application/offset+octet-stream" in tus.text(response)
    assert UploadSession.objects.get().offset == 0


def test_a_request_without_tus_resumable_is_412_and_changes_nothing(ana, attempt, staging):
    create_url = reverse("earning:upload-begin", args=[attempt.public_id, document(attempt).pk])
    response = ana.post(create_url, headers={"Upload-Length": "100"})
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"
    assert not UploadSession.objects.exists()
    url = begun(ana, attempt)
    response = ana.generic(
        "PATCH", url, PDF, "application/offset+octet-stream", headers={"Upload-Offset": "0"}
    )
    assert response.status_code == 412
    response = ana.generic(
        "PATCH",
        url,
        PDF,
        "application/offset+octet-stream",
        headers={"Upload-Offset": "0", "Tus-Resumable": "0.2.2"},
    )
    assert response.status_code == 412
    assert ana.delete(url).status_code == 412
    assert ana.head(url).status_code == 412
    assert UploadSession.objects.get().offset == 0 and not Evidence.objects.exists()


def test_the_last_piece_makes_the_evidence(
    ana, attempt, staging, django_capture_on_commit_callbacks
):
    url = begun(ana, attempt)
    with django_capture_on_commit_callbacks(execute=True):
        response = tus.patch(ana, url, 0, PDF)
    assert response.status_code == 204 and response["Upload-Offset"] == str(len(PDF))
    evidence = Evidence.objects.get()
    assert evidence.file.read() == PDF and evidence.file_name == "plan.pdf"
    assert AuditEvent.objects.filter(verb="evidence.added").count() == 1
    assert not UploadSession.objects.exists() and os.listdir(staging) == []
    assert tus.head(ana, url).status_code == 404  # finished: the upload URL is done with


def test_a_second_piece_while_one_is_arriving_is_409_until_the_claim_lapses(ana, attempt, staging):
    """Another web process holds the upload (its claim on the row is current): this one
    must not append alongside. A claim whose holder died lapses after a minute."""
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    UploadSession.objects.update(receiving_until=timezone.now() + timedelta(seconds=30))
    busy = tus.patch(ana, url, 0, content[:1000])
    assert busy.status_code == 409
    assert "still arriving" in tus.text(busy)
    assert UploadSession.objects.get().offset == 0
    UploadSession.objects.update(receiving_until=timezone.now() - timedelta(seconds=1))
    assert tus.patch(ana, url, 0, content[:1000])["Upload-Offset"] == "1000"
    assert UploadSession.objects.get().receiving_until is None  # given back


def test_a_piece_costs_five_queries(ana, attempt, staging, django_assert_num_queries):
    """The fixed cost of every PATCH (a big file at the largest pieces takes a dozen): the
    session, the user, the upload, its claim and its release. The claim does not read the
    row again when the row just read is at the claimed offset."""
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    tus.patch(ana, url, 0, content[:1000])
    with django_assert_num_queries(5):
        response = tus.patch(ana, url, 1000, content[1000:2000])
    assert response.status_code == 204 and response["Upload-Offset"] == "2000"


def test_a_piece_sent_with_a_row_read_before_the_last_piece_lands_after_it(
    educator_ana, attempt, staging
):
    """A web process that read the upload before another one recorded the previous piece
    (the client resumed from the new offset meanwhile) reads the row again once it has
    claimed it, and appends where the bytes end, not where its stale copy says."""
    content = PDF + bytes(3000)
    session = services.upload_begin(
        actor=educator_ana,
        attempt=attempt,
        requirement=document(attempt),
        file_name="plan.pdf",
        size=len(content),
    )
    stale = UploadSession.objects.get(pk=session.pk)
    services.upload_receive(
        actor=educator_ana, session=session, offset=0, length=1000, blocks=[content[:1000]]
    )
    progress = services.upload_receive(
        actor=educator_ana, session=stale, offset=1000, length=1000, blocks=[content[1000:2000]]
    )
    assert progress.offset == 2000 and UploadSession.objects.get().offset == 2000
    with open(FileStaging.path(session), "rb") as staged:
        assert staged.read() == content[:2000]


# ----------------------------------------------------------------------------- termination, expiry


def test_termination_answers_204_and_then_the_upload_is_gone(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    tus.patch(ana, url, 0, content[:1000])
    session = UploadSession.objects.get()
    response = tus.delete(ana, url)
    assert response.status_code == 204 and response["Tus-Resumable"] == "1.0.0"
    assert not UploadSession.objects.exists()
    assert not os.path.exists(FileStaging.path(session))
    assert tus.head(ana, url).status_code == 404
    gone = tus.patch(ana, url, 1000, content[1000:])
    assert gone.status_code == 404 and gone["Tus-Resumable"] == "1.0.0"
    assert tus.delete(ana, url).status_code == 404


def test_an_expired_upload_is_refused_with_410_and_forgotten(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    tus.patch(ana, url, 0, content[:1000])
    session = UploadSession.objects.get()
    UploadSession.objects.update(updated_at=timezone.now() - timedelta(days=1, seconds=1))
    response = tus.patch(ana, url, 1000, content[1000:])
    assert response.status_code == 410
    assert "This upload expired" in tus.text(response)
    assert not UploadSession.objects.exists()
    assert not os.path.exists(FileStaging.path(session))
    assert not Evidence.objects.exists()


def test_each_piece_moves_the_expiry_and_the_clean_up_forgets_expired_uploads(
    ana, attempt, staging
):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    UploadSession.objects.update(updated_at=timezone.now() - timedelta(hours=23))
    assert expires(tus.head(ana, url)) < 3600 + 60
    answer = tus.patch(ana, url, 0, content[:1000])
    assert abs(expires(answer) - 24 * 3600) < 60  # a day from the last byte
    other = begun(ana, attempt, content)
    UploadSession.objects.filter(token=other.rstrip("/").rsplit("/", 1)[1]).update(
        updated_at=timezone.now() - timedelta(days=2)
    )
    cleaned = services.uploads_clean()
    assert (cleaned.sessions, cleaned.orphan_files) == (1, 0)
    assert tus.head(ana, other).status_code == 404
    assert tus.head(ana, url)["Upload-Offset"] == "1000"


# ----------------------------------------------------------------------------- our refusals


def test_another_educators_upload_is_not_found_and_unchanged(client, ana, attempt, staging, world):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    tus.patch(ana, url, 0, content[:1000])
    for stranger in (world.south.people[Role.EDUCATOR], world.north.people[Role.COACH]):
        other = Client()
        other.force_login(stranger)
        assert tus.head(other, url).status_code == 404
        assert tus.patch(other, url, 1000, content[1000:]).status_code == 404
        assert tus.delete(other, url).status_code == 404
        assert other.options(url).status_code == 404
    session = UploadSession.objects.get()
    assert session.offset == 1000 and os.path.getsize(FileStaging.path(session)) == 1000


def test_an_upload_for_a_handed_in_attempt_is_refused_with_its_message(ana, attempt, staging):
    content = PDF + bytes(3000)
    url = begun(ana, attempt, content)
    events = AuditEvent.objects.count()  # beginning the upload wrote one; the refusal none
    tus.patch(ana, url, 0, content[:1000])
    session = UploadSession.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(state=Attempt.State.SUBMITTED)
    refused = tus.patch(ana, url, 1000, content[1000:])
    assert refused.status_code == 403
    assert tus.text(refused) == "This attempt was handed in or closed; the upload is cancelled."
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert not UploadSession.objects.exists() and not os.path.exists(FileStaging.path(session))
    assert not Evidence.objects.exists() and AuditEvent.objects.count() == events
    again = tus.create(ana, attempt, document(attempt), "plan.pdf", 100)
    assert again.status_code == 403
    assert "This attempt is submitted, so you cannot add evidence now." in tus.text(again)


def test_the_wrong_file_type_is_refused_at_the_first_piece(ana, attempt, staging):
    content = EXE + bytes(200_000)
    url = tus.create(ana, attempt, video(attempt), "lesson.mp4", len(content), consent="1")[
        "Location"
    ]
    events = AuditEvent.objects.count()  # beginning the upload wrote one; the refusal none
    refused = tus.patch(ana, url, 0, content)
    assert refused.status_code == 415
    assert tus.text(refused) == (
        "“lesson.mp4” is a Windows program. “Classroom video” takes: "
        "MP4 video, QuickTime video, WebM video."
    )
    assert not UploadSession.objects.exists() and os.listdir(staging) == []
    assert not Evidence.objects.exists() and AuditEvent.objects.count() == events


def test_a_cross_site_form_cannot_start_or_send_an_upload(educator_ana, attempt, staging):
    """The views skip Django's CSRF token (tus clients send none); the Tus-Resumable header,
    which a form cannot send and another origin cannot send without a preflight, guards
    them instead."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(educator_ana)
    create_url = reverse("earning:upload-begin", args=[attempt.public_id, document(attempt).pk])
    form = browser.post(create_url, {"Upload-Length": "100", "filename": "x.pdf"})
    assert form.status_code == 412 and not UploadSession.objects.exists()
    url = begun(browser, attempt)  # with the header, as our script and tus clients send it
    form = browser.post(url, {"data": "x"})
    assert form.status_code == 405
    sent = browser.generic("PATCH", url, PDF, "text/plain", headers={"Upload-Offset": "0"})
    assert sent.status_code == 412
    assert UploadSession.objects.get().offset == 0


def test_mp4_video_in_pieces_is_kept_whole(
    ana, attempt, staging, django_capture_on_commit_callbacks
):
    content = MP4 + os.urandom(50_000)
    url = tus.create(ana, attempt, video(attempt), "lesson.mp4", len(content), consent="1")[
        "Location"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert tus.send_all(ana, url, content, 7000).status_code == 204
    assert Evidence.objects.get().file.read() == content


# ----------------------------------------------------------------------------- a real tus client

MiB = 1024 * 1024
KEPT_OUT = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "TASKS_BACKEND", "REDIS_URL", "DEBUG")


class CuttingProxy:
    """A TCP proxy in front of the web server that cuts the connection once, after
    `cut_after` bytes went up (mid-request, as a dropped Wi-Fi would), and counts every
    byte the client sends."""

    def __init__(self, target_port: int, cut_after: int) -> None:
        self.target_port = target_port
        self.cut_after = cut_after
        self.sent_up = 0
        self.cut_at: int | None = None
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                down, _ = self.listener.accept()
            except OSError:
                return
            up = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pump, args=(down, up, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(up, down, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, upward: bool) -> None:
        try:
            while data := source.recv(256 * 1024):
                if upward:
                    with self.lock:
                        if self.cut_at is None and self.sent_up + len(data) > self.cut_after:
                            self.cut_at = self.sent_up
                            for end in (source, target):  # both ways, mid-request
                                end.setsockopt(
                                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                                )
                                # shutdown wakes the other direction's thread at once
                                # (close alone would wait for its recv to return)
                                end.shutdown(socket.SHUT_RDWR)
                                end.close()
                            return
                        self.sent_up += len(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def web_server(settings, tmp_path) -> Iterator[tuple[int, Path, list[int]]]:
    """granian with two worker processes, as `make run` starts it, on the test database:
    any of them may take any piece of an upload."""
    var = tmp_path / "var"
    var.mkdir()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in KEPT_OUT},
        "DATABASE_URL": database_url_of_tests(),
        "MICROCRED_VAR_DIR": str(var),
        "SECRET_KEY": settings.SECRET_KEY,  # so the test's session cookie signs in
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "immediate",
    }
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            *(sys.executable, "-m", "granian", "--interface", "wsgi"),
            "microcred.wsgi:application",
            *("--host", "127.0.0.1", "--port", str(port), "--workers", "2"),
            *("--blocking-threads", "4", "--no-ws"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("the web server did not start") from None
                time.sleep(0.2)
        yield port, var, [server.pid]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def worker_peak_rss_mib(parent: int) -> list[float]:
    peaks = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) != parent:
                    continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return peaks


@pytest.mark.django_db(transaction=True)
def test_tuspy_uploads_200_mb_and_resumes_after_the_connection_is_cut(
    client, educator_ana, attempt, web_server, tmp_path
):
    """The issue's demonstration: the tus client `tuspy` sends a 200 MiB video in 8 MiB
    pieces through a running server; the connection is cut in the middle of a piece; the
    client asks the server where it stands (HEAD) and sends only the rest; the stored
    evidence has the source's SHA-256."""
    port, var, (server_pid,) = web_server
    size = 200 * MiB
    chunk = 8 * MiB
    source = tmp_path / "lesson.mp4"
    digest = hashlib.sha256()
    with source.open("wb") as out:
        block = MP4 + os.urandom(MiB - len(MP4))
        for index in range(size // MiB):
            piece = block if index == 0 else os.urandom(MiB)
            out.write(piece)
            digest.update(piece)
    client.force_login(educator_ana)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    proxy = CuttingProxy(port, cut_after=int(92.5 * MiB))  # in the middle of the 12th piece
    creation = f"http://127.0.0.1:{proxy.port}" + reverse(
        "earning:upload-begin", args=[attempt.public_id, video(attempt).pk]
    )
    tus_client = client_module.TusClient(creation, headers={"Cookie": cookie})
    uploader = tus_client.uploader(
        str(source),
        chunk_size=chunk,
        metadata={"filename": "lesson.mp4", "consent": "1"},
        retries=10,
        retry_delay=1,
    )
    asked: list[int] = []
    get_offset = uploader.get_offset

    def recorded_offset() -> int:
        offset = get_offset()
        asked.append(offset)
        return int(offset)

    uploader.get_offset = recorded_offset
    started = time.perf_counter()
    try:
        uploader.upload()
    finally:
        proxy.close()
    seconds = time.perf_counter() - started

    assert proxy.cut_at is not None, "the connection was never cut"
    assert asked, "the client never asked the server where to resume"
    resumed_from = asked[0]
    piece_start = (resumed_from // chunk) * chunk
    # The server kept the bytes of the piece that arrived before the cut: the client
    # resumed inside that piece, not from its start and not from zero.
    assert resumed_from > piece_start > 0
    assert resumed_from <= proxy.cut_at
    resent = proxy.sent_up - size  # every byte sent twice, plus the requests' headers
    assert resent < chunk

    evidence = Evidence.objects.get()
    assert evidence.size == size and evidence.file_name == "lesson.mp4"
    stored = hashlib.sha256()
    with (var / "media" / evidence.file.name).open("rb") as handle:
        for piece in iter(lambda: handle.read(MiB), b""):
            stored.update(piece)
    assert stored.hexdigest() == digest.hexdigest()
    assert not UploadSession.objects.exists()
    peaks = worker_peak_rss_mib(server_pid)
    print(
        f"\ntuspy: {size // MiB} MiB in {seconds:.1f} s ({size / MiB / seconds:.0f} MiB/s); "
        f"cut after {proxy.cut_at:,} bytes up, resumed from byte {resumed_from:,} "
        f"(HEAD answers {asked}); {proxy.sent_up:,} bytes sent in all, {resent:,} more than "
        f"the file; web worker peak RSS {', '.join(f'{p:.0f}' for p in peaks)} MiB"
    )
    assert peaks and max(peaks) < 150, peaks  # streamed, never held whole


@pytest.mark.django_db(transaction=True)
def test_a_second_piece_while_one_arrives_in_another_request_is_409(
    client, educator_ana, attempt, web_server
):
    """Two requests for the same upload at once, on a running server (two worker
    processes): the second is told to wait, the first finishes undisturbed."""
    port, var, _ = web_server
    client.force_login(educator_ana)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    content = MP4 + os.urandom(4 * MiB)
    headers = {**tus.TUS, "Cookie": cookie}
    create = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    create.request(
        "POST",
        reverse("earning:upload-begin", args=[attempt.public_id, video(attempt).pk]),
        headers={
            **headers,
            "Upload-Length": str(len(content)),
            "Upload-Metadata": tus.metadata(filename="lesson.mp4", consent="1"),
        },
    )
    answer = create.getresponse()
    answer.read()
    assert answer.status == 201
    path = urlsplit(answer.headers["Location"]).path

    first = socket.create_connection(("127.0.0.1", port), timeout=30)
    first.sendall(
        (
            f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(content)}\r\n\r\n"
        ).encode()
        + content[:MiB]
    )
    deadline = time.monotonic() + 20
    while not UploadSession.objects.filter(receiver__isnull=False).exists():
        assert time.monotonic() < deadline, "the first piece never started"
        time.sleep(0.05)

    second = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    second.request(
        "PATCH",
        path,
        body=content[:1000],  # small: refused before it is read, it must not block the pipe
        headers={
            **headers,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    refused = second.getresponse()
    assert refused.status == 409
    assert refused.read().decode() == (
        "Another piece of this file is still arriving. Try again in a moment."
    )

    first.sendall(content[MiB:])
    reply = first.recv(65536).decode("latin-1")
    first.close()
    assert reply.startswith("HTTP/1.1 204"), reply
    assert f"upload-offset: {len(content)}" in reply.lower()
    evidence = Evidence.objects.get()
    assert (var / "media" / evidence.file.name).read_bytes() == content
    assert not UploadSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_first_piece_cut_off_after_a_few_bytes_keeps_them_and_is_not_judged_on_them(
    client, educator_ana, attempt, web_server
):
    port, var, _ = web_server
    client.force_login(educator_ana)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    content = MP4 + os.urandom(100_000)
    create = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    create.request(
        "POST",
        reverse("earning:upload-begin", args=[attempt.public_id, video(attempt).pk]),
        headers={
            **tus.TUS,
            "Cookie": cookie,
            "Upload-Length": str(len(content)),
            "Upload-Metadata": tus.metadata(filename="lesson.mp4", consent="1"),
        },
    )
    answer = create.getresponse()
    answer.read()
    path = urlsplit(answer.headers["Location"]).path
    cut = socket.create_connection(("127.0.0.1", port), timeout=30)
    cut.sendall(
        (
            f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(content)}\r\n\r\n"
        ).encode()
        + content[:6]  # too few bytes to tell an MP4 from anything
    )
    deadline = time.monotonic() + 20
    while not UploadSession.objects.filter(receiver__isnull=False).exists():
        assert time.monotonic() < deadline, "the piece never started"
        time.sleep(0.05)
    cut.shutdown(socket.SHUT_RDWR)
    cut.close()
    while UploadSession.objects.filter(receiver__isnull=False).exists():
        assert time.monotonic() < deadline, "the cut piece was never recorded"
        time.sleep(0.05)
    assert UploadSession.objects.get().offset == 6  # kept, not refused

    rest = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rest.request(
        "PATCH",
        path,
        body=content[6:],
        headers={
            **tus.TUS,
            "Cookie": cookie,
            "Upload-Offset": "6",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    done = rest.getresponse()
    assert done.status == 204, done.read()
    evidence = Evidence.objects.get()
    assert (var / "media" / evidence.file.name).read_bytes() == content
