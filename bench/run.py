"""Benchmark the public pages on a generated state-sized installation.

    DATABASE_URL=postgres://postgres@localhost:5432/microcred_bench python -m bench.generate
    DATABASE_URL=postgres://postgres@localhost:5432/microcred_bench python -m bench.run

For each application server (gunicorn and granian, same worker count, same database),
it starts the server, then for each page measures with wrk:
- throughput: requests/s with 16 connections for --seconds, in --rounds alternated rounds
  with the anonymous /about/ (baseline, page, baseline, page...), each round printed with
  the load average; the page's share of the baseline is the median of the rounds' ratios;
- latency: p50 and p95 with one connection (one client) for --seconds.
Pages: the baseline (/about/: the base layout, no database query), the catalog
search, and a credential page. "warm" is what a visitor without a session gets
(the public page cache on); "search" turns the whole-page cache off, as for searches
nobody made before (the cards and page bodies of published versions stay cached);
"cold" turns every cache off (a dummy cache), so every request queries and renders
everything. Results are printed as a
table and written to bench/out/results.json.

"member" also measures what being signed in costs: the anonymous and the signed-in
/about/ (the same base layout, no query of its own) alternately for --rounds rounds in the
same server, each round printed with the load average; the cost is the median of the
rounds' signed-in/anonymous ratios of requests/s (16 connections), and beside it of p50
latency (one client). --baseline-only measures only those rounds. With
--cache-url (e.g. redis://localhost:6379/7) the servers use that cache instead of each
process's memory, as a deployment with several servers does (the shared cache the README
recommends).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LATENCY_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P50_US %d\\nP95_US %d\\nP99_US %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Result:
    server: str
    mode: str
    page: str
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    # req/s of the page over the anonymous /about/'s, per alternated round (baseline, page,
    # baseline, page...); the page's rps is the median of its rounds
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 1.0


def wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    seconds: int,
    script: str | None = None,
    cookie: str = "",
) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout


def parse_rps(output: str) -> float:
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(match.group(1)) if match else 0.0


def parse_errors(output: str) -> int:
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in match.groups())
    return errors


def percentile(output: str, key: str) -> float:
    """Milliseconds from the latency script's output (wrk reports microseconds)."""
    match = re.search(rf"{key} (\d+)", output)
    if match is None:
        raise RuntimeError(f"wrk printed no {key}:\n{output}")
    return int(match.group(1)) / 1000


def server_env(**extra: str) -> dict[str, str]:
    """The environment of a benchmark's server: production settings over plain HTTP on the
    local machine, quiet logs; `extra` on top."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "microcred.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_server(
    server: str, port: int, env: dict[str, str], workers: int, threads: int = 4
) -> subprocess.Popen[bytes]:
    python = sys.executable
    gunicorn = [
        python,
        "-m",
        "gunicorn",
        "microcred.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if server == "gunicorn-sync":
        command = [*gunicorn, "--workers", str(workers * 2), "--log-level", "warning"]
    elif server == "gunicorn":
        # Threads let a worker overlap database waits; each thread holds one connection.
        command = [
            *gunicorn,
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ]
    elif server == "granian":
        command = [
            python,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "microcred.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    else:
        raise ValueError(server)
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{server} did not start on port {port}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def pick_credential(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup();"
        "from microcred.catalog.models import Credential as C;"
        "q = C.objects.listed().filter(visibility='public', slug__startswith='bench-');"
        # The 251st credential (state scale), or the middle one of a smaller generation.
        "print(q.order_by('slug').values_list('slug', flat=True)[min(250, q.count() // 2)])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


MEMBER_SESSIONS = """
import django, json
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from django.conf import settings
from django.db.models import Count
from microcred.assessment.models import Review
from microcred.core.models import User
from microcred.earning.models import Attempt

def session_for(user):
    # The configured store: with cached sessions it lands in the cache the servers read.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "microcred.core.auth.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

# The assessor with the longest open queue, and an educator with a typical history.
top = (Review.objects.filter(state__in=("assigned", "draft")).values("assessor")
       .annotate(n=Count("id")).order_by("-n").first())
assessor = User.objects.get(pk=top["assessor"])
educator = Attempt.objects.order_by("pk").first().educator
# The first district's staff, one per role that has a home section (their home pages).
from microcred.core.models import Membership, Organization
from microcred.core.services import membership_grant
# bench.generate makes no school leaders or coaches: a district-wide leader and coach (the
# widest staff view a district has) are added, through the service, to the district with the
# most "not yet" attempts (the busiest "needs attention" list).
busiest = Attempt.objects.filter(state="not_yet").select_related("organization").order_by("pk").first()
district = Organization.objects.filter(
    kind="district", pk__in=[int(p) for p in busiest.organization.path.strip("/").split("/")]
).first()
for role in ("leader", "coach"):
    person, _ = User.objects.get_or_create(email=f"bench-{role}@example.org",
                                           defaults={"full_name": f"Bench {role}"})
    Membership.objects.filter(user=person).exclude(organization=district).delete()
    membership_grant(actor=None, organization=district, user=person, role=role)
staff = {role: Membership.objects.filter(role=role).order_by("pk").values_list("user", flat=True).first()
         for role in ("issuer", "admin", "designer", "reviewer", "leader", "coach")}
homes = {role: session_for(User.objects.get(pk=pk)) for role, pk in staff.items() if pk}
print(json.dumps({"assessor": session_for(assessor), "queue": top["n"],
                  "educator": session_for(educator),
                  "attempts": Attempt.objects.filter(educator=educator).count(),
                  "homes": homes}))
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check_page(url: str, cookie: str) -> None:
    """The page must answer 200 itself (a lost session would measure the login redirect)."""
    request = urllib.request.Request(  # noqa: S310 - a local http://127.0.0.1 URL
        url, headers={"Cookie": cookie} if cookie else {}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def member_sessions(env: dict[str, str]) -> dict[str, Any]:
    """Sessions of an assessor and an educator from the generated data (`member` mode)."""
    output = subprocess.run(
        [sys.executable, "-c", MEMBER_SESSIONS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


@dataclass
class Round:
    server: str
    round: int
    anonymous_rps: float
    signed_in_rps: float
    ratio: float
    anonymous_p50_ms: float
    signed_in_p50_ms: float
    load: str


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def baseline_rounds(
    server: str, port: int, cookie: str, *, rounds: int, seconds: int, script: str
) -> list[Round]:
    """The anonymous and the signed-in /about/ alternately, in the same server: a machine
    that slows down during the run slows both sides of a round alike. Each round measures
    throughput (16 connections) and then the p50 latency of one client, both sides."""
    url = f"http://127.0.0.1:{port}/about/"
    check_page(url, "")
    check_page(url, cookie)
    wrk(url, connections=4, threads=2, seconds=2)  # warm up
    wrk(url, connections=4, threads=2, seconds=2, cookie=cookie)
    csrf = cookie.split("; ")[-1]  # the anonymous browser has its CSRF cookie too
    measured = []
    for number in range(1, rounds + 1):
        anonymous = wrk(url, connections=16, threads=2, seconds=seconds, cookie=csrf)
        signed_in = wrk(url, connections=16, threads=2, seconds=seconds, cookie=cookie)
        errors = parse_errors(anonymous) + parse_errors(signed_in)
        if errors:
            raise RuntimeError(f"round {number}: {errors} errors")
        a, s = parse_rps(anonymous), parse_rps(signed_in)
        anonymous_p50, signed_in_p50 = (
            percentile(
                wrk(url, connections=1, threads=1, seconds=seconds, script=script, cookie=c),
                "P50_US",
            )
            for c in (csrf, cookie)
        )
        result = Round(
            server,
            number,
            a,
            s,
            s / a if a else 0.0,
            anonymous_p50,
            signed_in_p50,
            load_average(),
        )
        measured.append(result)
        print(
            f"{server:9} round {number}: anonymous {a:6.0f} req/s, p50 {anonymous_p50:5.2f} ms"
            f"   signed in {s:6.0f} req/s, p50 {signed_in_p50:5.2f} ms"
            f"   {100 * result.ratio:5.1f} % of the req/s   load average {result.load}",
            flush=True,
        )
    return measured


def page_rounds(
    server: str,
    mode: str,
    name: str,
    baseline: str,
    url: str,
    cookie: str,
    *,
    rounds: int,
    seconds: int,
) -> tuple[str, list[float]]:
    """The anonymous /about/ and the page alternately (16 connections each), `rounds` times,
    each round printed with the load average: wrk's output of the page's median round, and
    each round's ratio of the page's requests/s to the baseline's."""
    measured: list[tuple[float, str]] = []
    ratios: list[float] = []
    for number in range(1, rounds + 1):
        before = parse_rps(wrk(baseline, connections=16, threads=2, seconds=seconds))
        output = wrk(url, connections=16, threads=2, seconds=seconds, cookie=cookie)
        rps = parse_rps(output)
        measured.append((rps, output))
        ratios.append(rps / before if before else 0.0)
        print(
            f"{server:9} {mode:5} {name:22} round {number}: baseline {before:6.0f} req/s, "
            f"page {rps:6.0f} req/s, {100 * ratios[-1]:5.1f} %   load average {load_average()}",
            flush=True,
        )
    measured.sort(key=lambda pair: pair[0])
    return measured[len(measured) // 2][1], ratios


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servers", default="gunicorn,gunicorn-sync,granian")
    parser.add_argument("--modes", default="warm,search,cold,member")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (gunicorn, granian)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternated rounds: anonymous/signed-in /about/, and /about/ and each page",
    )
    parser.add_argument(
        "--baseline-only",
        action="store_true",
        help="in member mode, only the alternated baseline rounds (no other page)",
    )
    parser.add_argument(
        "--cache-url",
        default="",
        help="CACHE_URL for the servers, e.g. redis://localhost:6379/7 (the shared cache)",
    )
    args = parser.parse_args(argv)

    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to the PostgreSQL database filled by `python -m bench.generate`."
        )

    base_env = server_env()
    if args.cache_url:
        base_env["CACHE_URL"] = args.cache_url
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=base_env,
        check=True,
    )
    slug = pick_credential(base_env)
    public_pages = [
        ("baseline (no query)", "/about/", ""),
        ("catalog search", "/catalog/?q=formative+assessment", ""),
        ("credential page", f"/credentials/{slug}/", ""),
    ]
    member_pages = [("baseline (no query)", "/about/", "")]
    if "member" in args.modes:
        sessions = member_sessions(base_env)
        print(
            f"member pages: an assessor with {sessions['queue']:,} open reviews, "
            f"an educator with {sessions['attempts']} attempts",
            flush=True,
        )
        # A browser that signed in carries its CSRF cookie too (any 32 letters are a valid
        # secret); without it every request would mint a new one.
        csrf = "csrftoken=" + "b" * 32
        assessor = f"sessionid={sessions['assessor']}; {csrf}"
        member_pages += [
            ("signed-in baseline", "/about/", assessor),
            ("assessor queue", "/assessment/", assessor),
            ("educator dashboard", "/my/", f"sessionid={sessions['educator']}; {csrf}"),
            ("assessor home", "/", assessor),
            ("educator home", "/", f"sessionid={sessions['educator']}; {csrf}"),
        ]
        # The home page of each other role the generated data has (one session per role).
        member_pages += [
            (f"{role} home", "/", f"sessionid={session}; {csrf}")
            for role, session in sessions.get("homes", {}).items()
        ]
        # The program admin's and the school leader's pages that span the whole district.
        homes = sessions.get("homes", {})
        for role, name, path in (
            ("admin", "admin staff progress", "/staff/"),
            ("admin", "admin calibration", "/assessment/calibration/"),
            ("admin", "admin decisions", "/assessment/decisions/"),
            ("leader", "district leader staff progress", "/staff/"),
        ):
            if role in homes:
                member_pages.append((name, path, f"sessionid={homes[role]}; {csrf}"))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LATENCY_SCRIPT)
    results: list[Result] = []
    rounds: list[Round] = []
    for server in args.servers.split(","):
        for mode in args.modes.split(","):
            env = dict(base_env)
            if mode == "search":
                env["PUBLIC_PAGE_CACHE_SECONDS"] = (
                    "0"  # every search renders; per-version fragments stay cached
                )
            if mode == "cold":
                env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
                env["CACHE_URL"] = "dummycache://"
            pages = member_pages if mode == "member" else public_pages
            if mode == "member" and args.baseline_only:
                pages = []
            process = start_server(server, args.port, env, args.workers, args.threads)
            try:
                if mode == "member":
                    rounds += baseline_rounds(
                        server,
                        args.port,
                        assessor,
                        rounds=args.rounds,
                        seconds=args.seconds,
                        script=script.name,
                    )
                baseline = f"http://127.0.0.1:{args.port}/about/"
                for name, path, cookie in pages:
                    url = f"http://127.0.0.1:{args.port}{path}"
                    check_page(url, cookie)
                    wrk(url, connections=4, threads=2, seconds=2, cookie=cookie)  # warm up
                    if path == "/about/" and not cookie:
                        load = wrk(url, connections=16, threads=2, seconds=args.seconds)
                        ratios: list[float] = []
                    else:
                        load, ratios = page_rounds(
                            server,
                            mode,
                            name,
                            baseline,
                            url,
                            cookie,
                            rounds=args.rounds,
                            seconds=args.seconds,
                        )
                    single = wrk(
                        url,
                        connections=1,
                        threads=1,
                        seconds=args.seconds,
                        script=script.name,
                        cookie=cookie,
                    )
                    p50, p95, p99 = (percentile(single, k) for k in ("P50_US", "P95_US", "P99_US"))
                    result = Result(
                        server,
                        mode,
                        name,
                        path,
                        parse_rps(load),
                        p50,
                        p95,
                        p99,
                        parse_errors(load) + parse_errors(single),
                        ratios,
                    )
                    results.append(result)
                    print(
                        f"{server:9} {mode:5} {name:22} {result.rps:8.0f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   errors {result.errors}",
                        flush=True,
                    )
            finally:
                stop_server(process)
    os.unlink(script.name)

    print()
    for server in dict.fromkeys(r.server for r in rounds):
        ratios = [r.ratio for r in rounds if r.server == server]
        latencies = [
            r.anonymous_p50_ms / r.signed_in_p50_ms
            for r in rounds
            if r.server == server and r.signed_in_p50_ms
        ]
        print(
            f"{server:9} signed-in /about/ serves {100 * statistics.median(ratios):.1f} % of the "
            f"anonymous requests/s (one client: {100 * statistics.median(latencies):.1f} % of "
            f"its speed by p50); median of {len(ratios)} alternated rounds, "
            f"cache: {args.cache_url or 'per-process memory'}"
        )
    print()
    print(
        f"{'server':9} {'mode':5} {'page':22} {'req/s':>8} {'% of baseline':>14} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print("(% of baseline: the median of the alternated rounds' page/anonymous /about/ ratios)")
    for r in results:
        share = 100 * r.ratio
        print(
            f"{r.server:9} {r.mode:5} {r.page:22} {r.rps:8.0f} {share:13.0f}% {r.p50_ms:7.1f} {r.p95_ms:7.1f}"
        )
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "threads": args.threads,
        "seconds": args.seconds,
        "cache_url": args.cache_url,
        "results": [asdict(r) for r in results],
        "baseline_rounds": [asdict(r) for r in rounds],
    }
    (OUT / "results.json").write_text(json.dumps(payload, indent=2))
    print(f"\nWritten to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
