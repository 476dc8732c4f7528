"""Benchmark a large evidence upload through the real application server.

    python -m bench.upload                 # 1 GiB, SQLite in a temporary directory
    python -m bench.upload --size-mib 256  # smaller, for a quick look

It sets up a throw-away installation (an educator with an attempt at a credential that
asks for a classroom video), starts granian as `make run` does (2 workers x 4 threads),
and sends one video file through tus 1.0, the resumable upload protocol the page's script
uses (8 MiB pieces, each a PATCH with Upload-Offset). It prints:
- the upload's throughput (MB/s, from the first request to the stored evidence row);
- `cp` of the same file on the same disk in the same run, and the ratio;
- the peak resident memory (VmHWM) of each web worker process, before and after.
Goal (issue 4): at least 50 % of cp's throughput, and web worker peak RSS <= 100 MB.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.run import ROOT, start_server, stop_server

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free"

SETUP = """
import django, json
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from microcred.core.models import Role
from microcred.core.tests.factories import make_org, member
from microcred.earning.tests.factories import earnable_credential, started_attempt

state = make_org("Bench State", "state")
district = make_org("Bench District", "district", state)
school = make_org("Bench School", "school", district)
designer = member(district, Role.DESIGNER, email="designer@bench.example")
reviewer = member(district, Role.REVIEWER, email="reviewer@bench.example")
educator = member(school, Role.EDUCATOR, email="educator@bench.example")
credential = earnable_credential(designer, reviewer, district, title="Bench video")
attempt = started_attempt(educator, credential)
video = attempt.version.evidence_requirements.get(kind="video")
session = SessionStore()
session[SESSION_KEY] = str(educator.pk)
session[BACKEND_SESSION_KEY] = "microcred.core.auth.AuthenticationBackend"
session[HASH_SESSION_KEY] = educator.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key,
                  "begin": f"/attempts/{attempt.public_id}/evidence/{video.pk}/uploads/"}))
"""


def make_file(path: Path, size: int) -> None:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        out.write(MP4_HEAD)
        written = len(MP4_HEAD)
        while written < size:
            piece = block[: min(len(block), size - written)]
            out.write(piece)
            written += len(piece)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def upload(port: int, session: str, begin: str, path: Path, size: int) -> None:
    tus = {"Cookie": f"sessionid={session}", "Tus-Resumable": "1.0.0"}
    chunk = 8 * 1024 * 1024
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300, blocksize=1024 * 1024)
    name = base64.b64encode(b"lesson.mp4").decode()
    conn.request(
        "POST",
        begin,
        headers={
            **tus,
            "Upload-Length": str(size),
            "Upload-Metadata": f"filename {name},consent {base64.b64encode(b'1').decode()}",
        },
    )
    response = conn.getresponse()
    raw = response.read()
    if response.status != 201:
        raise SystemExit(f"upload refused: {response.status} {raw[:300]!r}")
    url = urlsplit(response.headers["Location"]).path
    offset = 0
    with path.open("rb") as source:
        while offset < size:
            data = source.read(chunk)
            conn.request(
                "PATCH",
                url,
                body=data,
                headers={
                    **tus,
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            response = conn.getresponse()
            raw = response.read()
            if response.status != 204:
                raise SystemExit(f"piece at {offset} refused: {response.status} {raw[:300]!r}")
            offset = int(response.headers["Upload-Offset"])
    conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    size = args.size_mib * 1024 * 1024

    with tempfile.TemporaryDirectory(prefix="microcred-upload-", dir=ROOT / "var") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "microcred.settings",
            "MICROCRED_VAR_DIR": str(work),
            "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"),
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "immediate",
            "EVIDENCE_VIDEO_MAX_BYTES": str(max(size, 2 * 1024**3)),
        }
        run = {"cwd": ROOT, "env": env, "check": True}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)  # type: ignore[call-overload]
        subprocess.run(  # type: ignore[call-overload]
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], **run
        )
        setup = json.loads(
            subprocess.run(  # type: ignore[call-overload]
                [sys.executable, "-c", SETUP], capture_output=True, text=True, **run
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        source = work / "lesson.mp4"
        print(f"Writing a {args.size_mib} MiB test video…", flush=True)
        make_file(source, size)

        copy_target = work / "copy.mp4"
        started = time.perf_counter()
        subprocess.run(["cp", str(source), str(copy_target)], check=True)
        os.sync()
        cp_seconds = time.perf_counter() - started
        copy_target.unlink()

        server = start_server("granian", args.port, env, args.workers)
        try:
            workers = children(server.pid)
            before = {pid: peak_rss_mb(pid) for pid in workers}
            started = time.perf_counter()
            upload(args.port, setup["session"], setup["begin"], source, size)
            os.sync()  # as for cp: the time until the bytes are on disk
            seconds = time.perf_counter() - started
            after = {pid: peak_rss_mb(pid) for pid in workers}
        finally:
            stop_server(server)
        stored = list((work / "media" / "evidence").iterdir())
        assert len(stored) == 1 and stored[0].stat().st_size == size, "the video was not stored"

    mb = size / 1_000_000
    upload_rate, cp_rate = mb / seconds, mb / cp_seconds
    print()
    print(f"file                 {args.size_mib} MiB ({mb:,.0f} MB)")
    print(f"upload via granian   {seconds:6.2f} s  {upload_rate:7.0f} MB/s")
    print(f"cp, same disk        {cp_seconds:6.2f} s  {cp_rate:7.0f} MB/s")
    print(f"upload / cp          {100 * upload_rate / cp_rate:6.0f} %   (goal >= 50 %)")
    for pid in workers:
        print(
            f"web worker {pid:<8} peak RSS {before[pid]:5.0f} MB before, {after[pid]:5.0f} MB after"
            "   (goal <= 100 MB)"
        )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "upload.json").write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                "size_mib": args.size_mib,
                "upload_seconds": seconds,
                "upload_mb_s": upload_rate,
                "cp_seconds": cp_seconds,
                "cp_mb_s": cp_rate,
                "worker_peak_rss_mb": {"before": before, "after": after},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
