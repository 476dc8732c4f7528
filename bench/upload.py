"""Benchmark a large evidence upload through the real application server.

    python -m bench.upload                   # 1 GiB, three rounds, SQLite in a temporary directory
    python -m bench.upload --size-mib 256    # smaller, for a quick look
    python -m bench.upload --postgres postgres://postgres@localhost:5432   # as in production
    python -m bench.upload --piece-mib 8 --max-piece-mib 8   # fixed 8 MiB pieces (the former default)

It sets up a throw-away installation (an educator with an attempt at a credential that
asks for a classroom video), starts granian as `make run` does (2 workers x 4 threads),
warms every web worker with a small upload (so imports and lazy set-up are not counted),
and then runs alternating rounds on the same file: `cp` to the same disk, then the upload
through tus 1.0 as the page's script sends it (a creation POST, then PATCH pieces, each
with Upload-Offset: the first of UPLOAD_CHUNK_BYTES, each next one twice as large while a
piece takes under a second, up to UPLOAD_CHUNK_MAX_BYTES). Both are timed until the bytes
are on disk (`sync`). Each round prints the load average beside it:

- cp: seconds (of which the sync) and MB/s;
- upload: seconds (of which the sync) and MB/s, from the creation POST to the stored
  evidence row and the sync;
  the CPU time of the web worker that handled it; and that worker's memory growth: its
  peak resident memory during the upload (VmHWM, reset just before through
  /proc/PID/clear_refs) minus its resident memory just before (VmRSS). The worker is the
  process that wrote the file (/proc/PID/io).

Goals (issue 14): growth <= 32 MB in every round, and throughput >= 50 % of cp, where the
ratio is the median of the uploads' MB/s over the median of the cp's MB/s (each round's
own ratio is printed too). When the slowest cp round took more than twice the fastest,
something else was using the disk and the ratio is not trusted. It exits with status 1
when a goal is missed or not shown. Results go to bench/out/upload.json.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.badges import drop_database, recreate_database
from bench.run import ROOT, start_server, stop_server

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free"
WARM_BYTES = 12 * 1024 * 1024  # a warm-up upload (a few pieces)
DATABASE = "microcred_bench_upload"  # with --postgres
GROWTH_GOAL_MB = 32.0
RATIO_GOAL = 0.5
CP_SPREAD_MAX = 2.0  # slowest cp round / fastest, beyond which the baseline is not trusted

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
# Every round (and warm-up) adds a video to the same requirement.
type(video).objects.filter(pk=video.pk).update(max_count=1000)
session = SessionStore()
session[SESSION_KEY] = str(educator.pk)
session[BACKEND_SESSION_KEY] = "microcred.core.auth.AuthenticationBackend"
session[HASH_SESSION_KEY] = educator.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key, "piece": settings.UPLOAD_CHUNK_BYTES,
                  "largest": settings.UPLOAD_CHUNK_MAX_BYTES,
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


def status_mb(pid: int, field: str) -> float:
    """A memory line of /proc/PID/status (VmRSS, VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024 / 1_000_000
    raise LookupError(field)


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux >= 4.0); False if not allowed."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def written_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/io") as io:
        for line in io:
            if line.startswith("wchar:"):
                return int(line.split()[1])
    raise LookupError("wchar")


def cpu_seconds(pid: int) -> float:
    """User and system time of the process, all its threads."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pieces_said(setup: dict[str, Any]) -> str:
    first, largest = setup["piece"] / 1024 / 1024, setup["largest"] / 1024 / 1024
    if largest <= first:
        return f"pieces of {first:g} MiB"
    return f"pieces from {first:g} MiB, doubling up to {largest:g} MiB"


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# As the page's script (microcred.js): a piece that went up faster than this doubles the
# next one, up to the largest; one slower than SHRINK_ABOVE halves it.
GROW_BELOW = 1.0
SHRINK_ABOVE = 4.0


def upload(port: int, setup: dict[str, Any], path: Path, size: int) -> int:
    """Send the first `size` bytes of `path` as the page's script does: creation, then
    PATCH pieces, the first of UPLOAD_CHUNK_BYTES, doubled while they go fast up to
    UPLOAD_CHUNK_MAX_BYTES. Returns how many pieces it sent."""
    session, begin = setup["session"], setup["begin"]
    first, largest = setup["piece"], max(setup["piece"], setup["largest"])
    piece, pieces = first, 0
    tus = {"Cookie": f"sessionid={session}", "Tus-Resumable": "1.0.0"}
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
            length = min(piece, size - offset)
            started = time.perf_counter()
            conn.putrequest("PATCH", url, skip_accept_encoding=True)
            for header, value in {
                **tus,
                "Upload-Offset": str(offset),
                "Content-Length": str(length),
                "Content-Type": "application/offset+octet-stream",
            }.items():
                conn.putheader(header, value)
            conn.endheaders()
            # The piece goes from the file to the socket in the kernel (sendfile): the
            # client shares the machine's cores with the server, and a browser would not.
            assert conn.sock is not None
            conn.sock.sendfile(source, offset, length)
            response = conn.getresponse()
            raw = response.read()
            if response.status != 204:
                raise SystemExit(f"piece at {offset} refused: {response.status} {raw[:300]!r}")
            took = time.perf_counter() - started
            if took < GROW_BELOW and length == piece:
                piece = min(largest, piece * 2)
            elif took > SHRINK_ABOVE:
                piece = max(first, piece // 2)
            offset = int(response.headers["Upload-Offset"])
            pieces += 1
    conn.close()
    return pieces


@dataclass
class Round:
    number: int
    cp_seconds: float
    cp_sync_seconds: float
    cp_mb_s: float
    cp_load: str
    upload_seconds: float
    upload_sync_seconds: float
    upload_mb_s: float
    upload_load: str
    worker: int
    worker_cpu_seconds: float
    rss_before_mb: float
    peak_mb: float
    growth_mb: float
    pieces: int


def time_cp(source: Path, target: Path) -> tuple[float, float]:
    """Seconds for cp and sync together, and of them for the sync."""
    started = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    syncing = time.perf_counter()
    os.sync()
    done = time.perf_counter()
    target.unlink()
    os.sync()
    return done - started, done - syncing


def forget_stored(media: Path) -> None:
    """Remove the stored videos (their rows stay), so every round writes to a disk in the
    same state, as cp's copy is removed after each of its rounds."""
    for stored in (media / "evidence").iterdir():
        stored.unlink()
    os.sync()


def warm(port: int, setup: dict[str, Any], source: Path, workers: list[int]) -> set[int]:
    """Small uploads on fresh connections until every worker has handled one (or ten
    tries): the first request of a process imports and sets up what later ones reuse."""
    warmed: set[int] = set()
    for _ in range(10):
        before = {pid: written_bytes(pid) for pid in workers}
        upload(port, setup, source, WARM_BYTES)
        warmed |= {pid for pid in workers if written_bytes(pid) - before[pid] >= WARM_BYTES}
        if warmed == set(workers):
            break
    return warmed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="run on a throw-away database on this PostgreSQL server (e.g. "
        "postgres://postgres@localhost:5432), dropped at the end; SQLite when left out",
    )
    parser.add_argument(
        "--piece-mib",
        type=int,
        help="UPLOAD_CHUNK_BYTES for the server: the first piece the page (and this benchmark) "
        "sends; the setting's default when left out",
    )
    parser.add_argument(
        "--max-piece-mib",
        type=int,
        help="UPLOAD_CHUNK_MAX_BYTES for the server: the largest piece the page (and this "
        "benchmark) grows to; the setting's default when left out",
    )
    args = parser.parse_args(argv)
    size = args.size_mib * 1024 * 1024
    mb = size / 1_000_000
    rounds: list[Round] = []

    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="microcred-upload-", dir=ROOT / "var") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "microcred.settings",
            "MICROCRED_VAR_DIR": str(work),
            "DATABASE_URL": f"{args.postgres.rstrip('/')}/{DATABASE}"
            if args.postgres
            else f"sqlite:///{work / 'bench.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "immediate",
            "EVIDENCE_VIDEO_MAX_BYTES": str(max(size, 2 * 1024**3)),
        }
        if args.piece_mib:
            env["UPLOAD_CHUNK_BYTES"] = str(args.piece_mib * 1024 * 1024)
        if args.max_piece_mib:
            env["UPLOAD_CHUNK_MAX_BYTES"] = str(args.max_piece_mib * 1024 * 1024)
        run = {"cwd": ROOT, "env": env, "check": True}
        if args.postgres:
            recreate_database(args.postgres, DATABASE)
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
        os.sync()
        media = work / "media"

        server = start_server("granian", args.port, env, args.workers)
        try:
            workers = children(server.pid)
            warmed = warm(args.port, setup, source, workers)
            forget_stored(media)
            # One cp untimed as well: the first copy of a run lands on memory the machine
            # has not used yet (slower on a virtual machine), which would favour the upload.
            time_cp(source, work / "copy.mp4")
            print(
                f"{len(workers)} web workers, {len(warmed)} warmed by a "
                f"{WARM_BYTES // 1024 // 1024} MiB upload; {pieces_said(setup)}; "
                f"{'PostgreSQL' if args.postgres else 'SQLite'}; {load()}",
                flush=True,
            )
            print(
                f"{'round':<6} {'what':<7} {'seconds':>8} {'sync s':>7} {'MB/s':>7}  {'worker':>7} "
                f"{'CPU s':>6} {'RSS before':>10} {'peak':>7} {'growth':>7} {'PATCHes':>7}  "
                "load average",
                flush=True,
            )
            for number in range(1, args.rounds + 1):
                cp_load = load()
                cp_seconds, cp_sync = time_cp(source, work / "copy.mp4")
                print(
                    f"{number:<6} {'cp':<7} {cp_seconds:8.2f} {cp_sync:7.2f} "
                    f"{mb / cp_seconds:7.0f}  "
                    f"{'':>7} {'':>6} {'':>10} {'':>7} {'':>7} {'':>7}  {cp_load}",
                    flush=True,
                )
                upload_load = load()
                rss = {}
                for pid in workers:
                    if not reset_peak(pid):
                        raise SystemExit(f"cannot reset the peak RSS of {pid} (clear_refs)")
                    rss[pid] = status_mb(pid, "VmRSS")
                wrote = {pid: written_bytes(pid) for pid in workers}
                cpu = {pid: cpu_seconds(pid) for pid in workers}
                started = time.perf_counter()
                pieces = upload(args.port, setup, source, size)
                syncing = time.perf_counter()
                os.sync()  # as for cp: the time until the bytes are on disk
                seconds = time.perf_counter() - started
                upload_sync = time.perf_counter() - syncing
                worker = max(workers, key=lambda pid: written_bytes(pid) - wrote[pid])
                peak = status_mb(worker, "VmHWM")
                done = Round(
                    number=number,
                    cp_seconds=cp_seconds,
                    cp_sync_seconds=cp_sync,
                    cp_mb_s=mb / cp_seconds,
                    cp_load=cp_load,
                    upload_seconds=seconds,
                    upload_sync_seconds=upload_sync,
                    upload_mb_s=mb / seconds,
                    upload_load=upload_load,
                    worker=worker,
                    worker_cpu_seconds=cpu_seconds(worker) - cpu[worker],
                    rss_before_mb=rss[worker],
                    peak_mb=peak,
                    growth_mb=peak - rss[worker],
                    pieces=pieces,
                )
                rounds.append(done)
                print(
                    f"{number:<6} {'upload':<7} {seconds:8.2f} {upload_sync:7.2f} "
                    f"{done.upload_mb_s:7.0f}  "
                    f"{worker:>7} {done.worker_cpu_seconds:6.2f} "
                    f"{done.rss_before_mb:7.1f} MB {peak:7.1f} "
                    f"{done.growth_mb:7.1f} {pieces:>7}  {upload_load}",
                    flush=True,
                )
                stored = list((media / "evidence").iterdir())
                assert len(stored) == 1 and stored[0].stat().st_size == size, "not stored"
                forget_stored(media)
        finally:
            stop_server(server)
            if args.postgres:
                drop_database(args.postgres, DATABASE)

    cp_median = statistics.median(r.cp_mb_s for r in rounds)
    upload_median = statistics.median(r.upload_mb_s for r in rounds)
    ratio = upload_median / cp_median
    each = ", ".join(f"{100 * r.upload_mb_s / r.cp_mb_s:.0f} %" for r in rounds)
    growth = max(r.growth_mb for r in rounds)
    # A cp slowed by someone else's disk traffic flatters the upload: a baseline whose
    # rounds differ by more than CP_SPREAD_MAX proves nothing either way.
    cp_spread = max(r.cp_seconds for r in rounds) / min(r.cp_seconds for r in rounds)
    steady = cp_spread <= CP_SPREAD_MAX
    ratio_met, growth_met = steady and ratio >= RATIO_GOAL, growth <= GROWTH_GOAL_MB
    print()
    print(
        f"file                       {args.size_mib} MiB ({mb:,.0f} MB), {pieces_said(setup)}, "
        f"{len(rounds)} rounds"
    )
    print(f"cp, median                 {cp_median:7.0f} MB/s")
    print(f"upload via granian, median {upload_median:7.0f} MB/s")
    print(
        f"median upload / median cp  {100 * ratio:7.0f} %    (goal >= {100 * RATIO_GOAL:.0f} %) "
        + ("met" if ratio_met else "MISSED" if steady else "NOT SHOWN")
        + f"; round by round {each}"
    )
    if not steady:
        print(
            f"  the cp rounds differ {cp_spread:.1f}-fold (more than {CP_SPREAD_MAX:g}): "
            "the disk was busy with something else; run again"
        )
    print(
        f"worker RSS growth, largest {growth:7.1f} MB   (goal <= {GROWTH_GOAL_MB:.0f} MB) "
        + ("met" if growth_met else "MISSED")
    )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "upload.json").write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                "size_mib": args.size_mib,
                "piece_bytes": setup["piece"],
                "largest_piece_bytes": setup["largest"],
                "database": "postgresql" if args.postgres else "sqlite",
                "rounds": [asdict(r) for r in rounds],
                "cp_median_mb_s": cp_median,
                "upload_median_mb_s": upload_median,
                "ratio": ratio,
                "cp_spread": cp_spread,
                "largest_growth_mb": growth,
            },
            indent=2,
        )
    )
    if not (ratio_met and growth_met):
        sys.exit(1)


if __name__ == "__main__":
    main()
