"""Benchmark Open Badges 3.0: issuing, the task worker, and verifying next to the JS verifier.

    python -m bench.badges [--awards 10000] [--loop 200] [--verify 500]

Everything runs in one go on a fresh PostgreSQL database (`--database`, created and dropped
here) filled with awards that carry their rubric scores, with SITE_URL set to
http://localhost:PORT for every process (the issuers are did:web:localhost%3APORT:orgs:...):

1. issuance: `credential_issue` in a loop over awards without a credential (compose, sign,
   store: one transaction each), next to `proofs.sign` of one composed credential repeated
   with plain pyld (`canonize_pyld`), with the product's `jsonld.canonize` and with
   oxigraph's JSON-LD parser, in alternating rounds so that other load on the machine falls
   on all of them alike; then where the time of one issuance goes (timers around each step,
   SQL statements per step, and a cProfile dump);
2. the task workers against the tight loop, in alternated rounds (--worker-rounds): for
   each worker, `credential_issue` in a loop over n awards in this process, then
   `issue_award_credential` enqueued for n other awards and ONE worker process run until
   the queue is empty: our `task_worker` (claims in batches, microcred.server.task_worker)
   over --awards in all, django-tasks-db's `db_worker` as shipped over --baseline-awards,
   and with Redis RQ's SimpleWorker over --rq-awards (and the forking rqworker once over
   --rq-fork-awards); the ratio is the worker's time from its start to the last credential
   stored over the loop's (the median of the rounds), also given from the first enqueue;
   then each database worker under cProfile, and the SQL statements, transactions and
   health checks each sends per task, counted in this process;
3. verification: `verify_credential` over --verify of those credentials (warm) next to
   `node interop/verify.mjs --bench` on the same files, which fetches the DID documents and
   status lists from granian serving the same database; then where our time goes.

With `--before REV` (e.g. `--before 48af99b --issuance-only`), issuance is also measured
before and after in the same run: REV is checked out in a temporary git worktree (with this
.venv), and each side, REV and the tree as it is now, gets a process and a fresh database
of its own, migrated and filled with awards by its own code. Rounds then alternate (REV,
plain pyld, now; then now, plain pyld, REV; ...), each side issuing the same number of
awards per round; every round's rates and ratios to plain pyld are printed, then the
medians. The worktree and both databases are removed at the end (unless --keep).

With `--worker-only`, only 2. runs (after a warm-up issuing a few awards), written to
bench/out/badges-worker.json:

    python -m bench.badges --worker-only [--awards 10000] [--worker-rounds 3]

Results are printed and written to bench/out/badges.json (cProfile dumps beside it).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
INTEROP = ROOT / "interop"

# Share of generated attempts that end earned (bench.generate's FINAL_STATES): 76 in 100.
EARNED_PER_100 = 76
DEFAULT_ROUNDS = 5
ROUNDS = DEFAULT_ROUNDS  # alternating rounds of the issuance loop and the signing loops (--rounds)
BLOCK = 10  # awards issued (or credentials signed) before the loops take turns, in a round


# ----------------------------------------------------------------------------- setup


def postgres_admin(server_url: str) -> Any:
    import psycopg

    return psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True)


def recreate_database(server_url: str, name: str) -> None:
    with postgres_admin(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    with postgres_admin(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(*, database_url: str, var_dir: Path, site_url: str) -> dict[str, str]:
    """The environment of this process and of every child (workers, web server)."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "TASKS_BACKEND", "CACHE_URL", "PYTHONDONTWRITEBYTECODE")
    }
    return {
        **inherited,
        # Bytecode is kept (as a deployment keeps it), in the var dir rather than beside the
        # sources: with PYTHONDONTWRITEBYTECODE every worker process would compile the
        # project's modules again (~1-3 s per start, bench/out/badges-task-worker.prof).
        "PYTHONPYCACHEPREFIX": str(var_dir / "pycache"),
        "DJANGO_SETTINGS_MODULE": "microcred.settings",
        "DATABASE_URL": database_url,
        "MICROCRED_VAR_DIR": str(var_dir),
        "SITE_URL": site_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,  # signing keys derive from it
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }


def generate_awards(needed: int) -> None:
    """bench.generate's organizations, credentials and earning history (section scores and
    award results with it), sized for at least `needed` awards."""
    from bench.generate import Scale, generate

    attempts = 100 * math.ceil(needed / EARNED_PER_100) + 100
    scale = Scale(
        districts=10,
        schools_per_district=2,
        educators=max(1_000, attempts // 2),  # two attempts each; a district owns 4+ credentials
        credentials=50,
        attempts=attempts,
        resubmitted=attempts // 4,
    )
    generate(scale, out=Indented())


class Indented:
    """A stream for bench.generate's progress lines, indented under ours."""

    def write(self, text: str) -> None:
        sys.stdout.write("  " + text if text.strip() else text)

    def flush(self) -> None:
        sys.stdout.flush()


# ----------------------------------------------------------------------------- measuring


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def timed(function: Callable[[], Any], repeat: int) -> float:
    """Seconds for `repeat` calls."""
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return time.perf_counter() - start


def code_state() -> tuple[str, str]:
    """The commit, and a digest of the badges app's files as they are (they change while
    people work): figures belong to the code they were measured on."""
    import hashlib

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    digest = hashlib.sha256()
    for path in sorted((ROOT / "microcred" / "badges").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return commit or "no git", digest.hexdigest()[:12]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cpus"


class Breakdown:
    """Wall time of named steps, nested (a step inside another counts in both), and the SQL
    statements run directly inside each step (an execute wrapper: COMMIT is not counted).

    Steps are the product's own functions, replaced for the duration by timing wrappers
    (the product calls them through module attributes, so nothing else changes)."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.seconds: dict[tuple[str, ...], float] = {}
        self.sql_seconds: dict[tuple[str, ...], float] = {}
        self.statements: dict[tuple[str, ...], int] = {}

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed_step(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(label)
            key = tuple(self.stack)
            self.seconds.setdefault(key, 0.0)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - start
                self.stack.pop()

        return timed_step

    def __call__(self, execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = tuple(self.stack)
            self.sql_seconds[key] = self.sql_seconds.get(key, 0.0) + time.perf_counter() - start
            self.statements[key] = self.statements.get(key, 0) + 1

    @contextmanager
    def patched(self, steps: Sequence[tuple[Any, str, str]]) -> Iterator[None]:
        from django.db import connection

        # A step the product no longer has is left out (the code is changing under us).
        present = [step for step in steps if hasattr(step[0], step[1])]
        for owner, name, _ in steps:
            if not hasattr(owner, name):
                print(f"  (no {getattr(owner, '__name__', owner)}.{name} any more: not timed)")
        originals = [(owner, name, getattr(owner, name)) for owner, name, _ in present]
        for owner, name, label in present:
            setattr(owner, name, self.wrap(label, getattr(owner, name)))
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)

    def rows(self, count: int) -> list[dict[str, Any]]:
        """Per item: each step in call order with its time and the SQL inside it; a step with
        sub-steps is followed by "rest", its own time and statements outside them."""
        keys = list(self.seconds)

        def inside(key: tuple[str, ...], other: tuple[str, ...]) -> bool:
            return other[: len(key)] == key

        def row(label: str, depth: int, seconds: float, sql: float, statements: int) -> Any:
            return {
                "label": label,
                "depth": depth,
                "ms": 1000 * seconds / count,
                "sql_ms": 1000 * sql / count,
                "statements": statements / count,
            }

        result: list[dict[str, Any]] = []

        def emit(key: tuple[str, ...]) -> None:
            sql = sum(s for k, s in self.sql_seconds.items() if inside(key, k))
            statements = sum(n for k, n in self.statements.items() if inside(key, k))
            result.append(row(key[-1], len(key) - 1, self.seconds[key], sql, statements))
            children = [k for k in keys if len(k) == len(key) + 1 and inside(key, k)]
            for child in children:
                emit(child)
            if children:
                result.append(
                    row(
                        "rest",
                        len(key),
                        self.seconds[key] - sum(self.seconds[c] for c in children),
                        self.sql_seconds.get(key, 0.0),
                        self.statements.get(key, 0),
                    )
                )

        for key in keys:
            if len(key) == 1:
                emit(key)
        return result


def print_breakdown(title: str, rows: list[dict[str, Any]]) -> None:
    total = rows[0]["ms"] if rows else 0.0
    print(f"   {title}")
    print(f"     {'step':44} {'ms':>8} {'share':>7}   {'SQL statements inside':>24}")
    for row in rows:
        name = "  " * row["depth"] + row["label"]
        share = 100 * row["ms"] / total if total else 0.0
        sql = f"{row['statements']:5.1f} stmts {row['sql_ms']:7.2f} ms" if row["statements"] else ""
        print(f"     {name:44} {row['ms']:8.2f} {share:6.1f}%   {sql:>24}")


def cprofile(function: Callable[[Any], Any], items: Sequence[Any], path: Path) -> list[str]:
    """Run under cProfile, dump the stats to `path`; the functions with the most own time."""
    profile = cProfile.Profile()
    profile.enable()
    for item in items:
        function(item)
    profile.disable()
    profile.dump_stats(path)
    return top_functions(pstats.Stats(profile), len(items))


def top_functions(stats: pstats.Stats, items: int, count: int = 8) -> list[str]:
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values()) or 1.0
    top = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:count]
    lines = []
    for (filename, line, name), (_, calls, own, _, _) in top:
        where = filename.replace(str(ROOT) + "/", "")
        if "site-packages/" in where:
            where = where.split("site-packages/", 1)[1]
        lines.append(
            f"{100 * own / total:5.1f}% {1000 * own / items:7.2f} ms "
            f"{calls / items:6.1f} calls  {name} ({where}:{line})"
        )
    return lines


def cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    """Seconds spent in (and under) the function `name` of the file ending in `path`."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(
        entry[3]
        for (filename, _, function), entry in table.items()
        if function == name and filename.endswith(path)
    )


# ----------------------------------------------------------------------------- 1. issuance


@dataclass
class Issuance:
    issued: int
    seconds: float
    # proofs.sign of one composed credential, per canonicalization: (name, seconds for
    # `issued` signatures, N-Quads identical to pyld's)
    signs: list[tuple[str, float, bool]]
    ed25519_seconds_each: float
    # Per round: (awards, seconds issuing, seconds of plain-pyld signatures as many times)
    rounds: list[tuple[int, float, float]] = field(default_factory=list)
    breakdown: list[dict[str, Any]] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    # One plain-pyld signature of the composed credential (the before/after rounds use it).
    sign_pyld: Callable[[], Any] | None = None

    @property
    def rate(self) -> float:
        return rate(self.issued, self.seconds)

    @property
    def pyld_rate(self) -> float:
        return rate(self.issued, self.signs[0][1])

    @property
    def ratios(self) -> list[float]:
        """Issuance over plain-pyld signing, per round."""
        return [
            rate(count, issuing) / rate(count, signing) if signing else 0.0
            for count, issuing, signing in self.rounds
        ]

    @property
    def ratio(self) -> float:
        """The median of the rounds' ratios: a round that other load on the machine fell on
        moves it less than it moves the totals."""
        return statistics.median(self.ratios) if self.rounds else 0.0


def issue(award_id: int) -> Any:
    from microcred.assessment.models import Award
    from microcred.badges.services import credential_issue

    # What the task does: the service, given the award's id (it reads the award itself).
    return credential_issue(award=Award(pk=award_id))


def measure_issuance(
    warm: list[int], loop: list[int], sample: list[int], profile: list[int]
) -> Issuance:
    from microcred.badges import compose, did, jsonld, keys, proofs, selectors, services
    from microcred.badges.models import IssuedCredential
    from microcred.core import audit

    for award_id in warm:  # signing keys and first status lists are made here
        issue(award_id)
    # One composed credential: the last of the warm-up, without its proof.
    row = IssuedCredential.objects.select_related("organization", "issuer_key").get(
        award_id=warm[-1]
    )
    unsigned = {key: value for key, value in json.loads(row.document).items() if key != "proof"}
    pair = services.keypair(row.issuer_key)
    method = did.method_id(row.organization, row.issuer_key)
    canonicalizers = [
        ("plain pyld (URDNA2015)", jsonld.canonize_pyld),
        ("jsonld.canonize (product)", jsonld.canonize),
    ]
    if hasattr(jsonld, "canonize_oxigraph_jsonld"):  # oxigraph's own JSON-LD parser
        canonicalizers.append(("oxigraph JSON-LD parser", jsonld.canonize_oxigraph_jsonld))
    reference = jsonld.canonize_pyld(unsigned)
    signers = []
    for _, canon in canonicalizers:
        sign = partial(proofs.sign, unsigned, keypair=pair, verification_method=method, canon=canon)
        sign()  # warm: processed contexts are kept
        signers.append(sign)
    issue_seconds = 0.0
    sign_seconds = [0.0] * len(signers)
    rounds = []
    chunk = math.ceil(len(loop) / ROUNDS)
    for first in range(0, len(loop), chunk):
        awards = loop[first : first + chunk]
        # Within a round the loops take turns every BLOCK awards, so that a burst of other
        # load on the machine (which moved single rounds by up to 40 %) falls on all alike.
        issuing = 0.0
        signing = [0.0] * len(signers)
        for block in range(0, len(awards), BLOCK):
            some = awards[block : block + BLOCK]
            began = time.perf_counter()
            for award_id in some:
                issue(award_id)
            issuing += time.perf_counter() - began
            for index, sign in enumerate(signers):
                signing[index] += timed(sign, len(some))
        issue_seconds += issuing
        for index, seconds in enumerate(signing):
            sign_seconds[index] += seconds
        rounds.append((len(awards), issuing, signing[0]))
        print(
            f"  round {len(rounds)}: credential_issue {rate(len(awards), issuing):7.1f} /s, "
            f"plain pyld sign {rate(len(awards), signing[0]):7.1f} /s, "
            f"ratio {rate(len(awards), issuing) / rate(len(awards), signing[0]):.2f}x",
            flush=True,
        )
    print(f"  credential_issue  {rate(len(loop), issue_seconds):8.1f} /s  ({len(loop)} awards)")
    for (name, _), seconds in zip(canonicalizers, sign_seconds, strict=True):
        print(f"  proofs.sign       {rate(len(loop), seconds):8.1f} /s  {name}")
    print(f"  {load()}", flush=True)
    digest = secrets.token_bytes(64)
    ed25519 = timed(lambda: pair.sign(digest), 5_000) / 5_000
    assert keys.verify_signature(pair.public, pair.sign(digest), digest)

    breakdown = Breakdown()
    steps = [
        (selectors, "award_for_issuing", "award, locked (one read)"),
        (selectors, "award_facts", "award_facts (stored results; version facts)"),
        (services, "signer", "identity and signing key (read, locked)"),
        (services, "signer_for", "identity, signing key, organization (read, locked)"),
        (services, "_allocate_entry", "status list entry"),
        (selectors, "display_name", "display name"),
        (compose, "open_badge_credential", "compose"),
        (proofs, "sign", "proofs.sign"),
        (proofs, "_hash_data", "canonicalize x2 + SHA-256"),
        (keys.KeyPair, "sign", "Ed25519"),
        (audit, "record", "audit event"),
        (services, "notify", "notification"),
    ]
    one = breakdown.wrap("credential_issue", issue)
    with breakdown.patched(steps):
        for award_id in sample:
            one(award_id)
    return Issuance(
        issued=len(loop),
        seconds=issue_seconds,
        signs=[
            (name, seconds, canon(unsigned) == reference)
            for (name, canon), seconds in zip(canonicalizers, sign_seconds, strict=True)
        ],
        ed25519_seconds_each=ed25519,
        rounds=rounds,
        breakdown=breakdown.rows(len(sample)),
        profile=cprofile(issue, profile, OUT / "badges-issue.prof"),
        sign_pyld=signers[0],
    )


# ----------------------------------------------------------------------------- before and after

# Run by each side of --before in its own checkout (the current directory, so `bench` and
# `microcred` are that checkout's): migrates its database, fills it with bench.generate's
# awards, issues a warm-up as run_all does, then, for each count read from stdin, issues that
# many more awards and answers with the seconds they took (lines starting "@@"; anything
# else it prints is progress).
DRIVER = """
import json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from bench import badges
from microcred.assessment.models import Award
call_command("migrate", verbosity=0)
badges.generate_awards(int(sys.argv[1]))
pending = list(
    Award.objects.filter(credentials__isnull=True)
    .order_by("pk")
    .values_list("pk", "attempt__version__credential__organization_id")
)
random.Random(7).shuffle(pending)
first_of = {}
for award_id, organization_id in pending:
    first_of.setdefault(organization_id, award_id)
warm = set(first_of.values())
rest = [award_id for award_id, _ in pending if award_id not in warm]
for award_id in [*warm, *rest[:10]]:
    badges.issue(award_id)
rest = rest[10:]
print("@@" + json.dumps({"ready": len(rest)}), flush=True)
for line in sys.stdin:
    awards, rest = rest[: int(line)], rest[int(line) :]
    began = time.perf_counter()
    for award_id in awards:
        badges.issue(award_id)
    seconds = time.perf_counter() - began
    print("@@" + json.dumps({"count": len(awards), "seconds": seconds}), flush=True)
"""


@dataclass
class Side:
    """Issuance by the code of one checkout, in a process with a database of its own."""

    name: str  # "before" or "after"
    label: str  # the commit (and, for the tree as it is, its badges digest)
    root: Path
    database: str
    var_dir: Path
    process: subprocess.Popen[str] | None = None
    rounds: list[tuple[int, float]] = field(default_factory=list)  # (awards, seconds)

    def start(self, args: argparse.Namespace, needed: int) -> None:
        recreate_database(args.postgres, self.database)
        env = bench_env(
            database_url=f"{args.postgres.rstrip('/')}/{self.database}",
            var_dir=self.var_dir,
            site_url=f"http://localhost:{args.port}",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(needed)],
            cwd=self.root,
            env={**env, "PYTHONPATH": str(self.root)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def answer(self) -> dict[str, Any]:
        """The driver's next answer; its progress lines are printed on the way."""
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("@@"):
                answer: dict[str, Any] = json.loads(line[2:])
                return answer
            print(f"  {self.name}: {line.rstrip()}", flush=True)
        raise RuntimeError(f"the {self.name} process ({self.label}) stopped")

    def issue(self, count: int) -> float:
        """Seconds for `count` issuances, timed in the side's process."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"{count}\n")
        self.process.stdin.flush()
        answer = self.answer()
        if answer["count"] != count:
            raise RuntimeError(f"the {self.name} database ran out of awards")
        return float(answer["seconds"])

    def stop(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class BeforeAfter:
    before: Side
    after: Side
    signing: list[tuple[int, float]] = field(default_factory=list)  # plain pyld per round

    def ratios(self, side: Side) -> list[float]:
        """The side's issuance rate over plain-pyld signing, per round."""
        return [
            rate(count, seconds) / rate(signed, signing)
            for (count, seconds), (signed, signing) in zip(side.rounds, self.signing, strict=True)
        ]

    def median(self, side: Side) -> float:
        return statistics.median(self.ratios(side))

    def wait_until_ready(self) -> None:
        """Until both sides have migrated, generated and warmed up (nothing else runs then)."""
        for side in (self.before, self.after):
            ready = side.answer()
            print(f"  {side.name}: ready, {ready['ready']:,} awards to issue; {load()}", flush=True)


@contextmanager
def before_and_after(args: argparse.Namespace, needed: int) -> Iterator[BeforeAfter]:
    """REV in a temporary worktree and the tree as it is, each started in its process with
    its database; removed afterwards unless --keep."""
    folder = Path(tempfile.mkdtemp(prefix="microcred-bench-before-"))
    tree = folder / "tree"
    revision = subprocess.run(
        ["git", "rev-parse", "--short", args.before],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), revision],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    (tree / ".venv").symlink_to((ROOT / ".venv").resolve())
    commit, digest = code_state()
    pair = BeforeAfter(
        before=Side("before", revision, tree, f"{args.database}_before", folder / "var-before"),
        after=Side(
            "after",
            f"{commit} + microcred/badges/*.py {digest}",
            ROOT,
            f"{args.database}_after",
            folder / "var-after",
        ),
    )
    try:
        for side in (pair.before, pair.after):
            side.var_dir.mkdir()
            print(f"{side.name}: {side.label} in {side.root}, database {side.database}", flush=True)
            side.start(args, needed)
        yield pair
    finally:
        for side in (pair.before, pair.after):
            side.stop()
        if args.keep:
            print(f"kept: worktree {tree}, databases {pair.before.database}, {pair.after.database}")
        else:
            for side in (pair.before, pair.after):
                drop_database(args.postgres, side.database)
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                cwd=ROOT,
                capture_output=True,
                check=False,
            )
            shutil.rmtree(folder, ignore_errors=True)


def measure_before_after(pair: BeforeAfter, sign: Callable[[], Any], loop: int) -> None:
    """ROUNDS rounds of before, plain pyld and after (the two sides swap places each
    round), each issuing or signing the same number of times, taking turns every BLOCK."""
    chunk = math.ceil(loop / ROUNDS)
    for number in range(ROUNDS):
        first, second = (pair.before, pair.after) if number % 2 == 0 else (pair.after, pair.before)
        seconds = {first.name: 0.0, second.name: 0.0, "sign": 0.0}
        for done in range(0, chunk, BLOCK):
            count = min(BLOCK, chunk - done)
            seconds[first.name] += first.issue(count)
            seconds["sign"] += timed(sign, count)
            seconds[second.name] += second.issue(count)
        for side in (first, second):
            side.rounds.append((chunk, seconds[side.name]))
        pair.signing.append((chunk, seconds["sign"]))
        print(f"  {round_line(pair, number)}", flush=True)


def round_line(pair: BeforeAfter, index: int) -> str:
    signed, signing = pair.signing[index]
    parts = []
    for side in (pair.before, pair.after):
        count, seconds = side.rounds[index]
        parts.append(
            f"{side.name} {rate(count, seconds):6.1f} /s ({pair.ratios(side)[index]:.2f}x)"
        )
    (before, seconds_before), (after, seconds_after) = (
        pair.before.rounds[index],
        pair.after.rounds[index],
    )
    gain = rate(after, seconds_after) / rate(before, seconds_before)
    return (
        f"round {index + 1}: {parts[0]}, plain pyld {rate(signed, signing):6.1f} /s, "
        f"{parts[1]}; after/before {gain:.2f}x"
    )


def report_before_after(pair: BeforeAfter) -> dict[str, Any]:
    print()
    print(f"Issuance before and after, {ROUNDS} alternating rounds, a process and database each")
    for side in (pair.before, pair.after):
        print(f"   {side.name}: {side.label}")
    for index in range(len(pair.signing)):
        print(f"   {round_line(pair, index)}")
    for side in (pair.before, pair.after):
        ratio = pair.median(side)
        print(
            f"   {side.name} / plain pyld (median of {len(side.rounds)} rounds): {ratio:.2f}x   "
            f"goal >= 1.5x: {verdict(ratio >= 1.5)}"
        )
    return {
        side.name: {
            "code": side.label,
            "rounds": [
                {"awards": count, "seconds": seconds, "per_second": rate(count, seconds)}
                for count, seconds in side.rounds
            ],
            "round_ratios": pair.ratios(side),
            "ratio": pair.median(side),
        }
        for side in (pair.before, pair.after)
    } | {
        "plain_pyld_rounds": [
            {"signatures": count, "seconds": seconds, "per_second": rate(count, seconds)}
            for count, seconds in pair.signing
        ]
    }


# ----------------------------------------------------------------------------- 2. the worker

ENQUEUE = """
import json, sys, time
import django
django.setup()
from microcred.badges.tasks import issue_award_credential
ids = json.loads(open(sys.argv[1]).read())
first = time.time()
for award_id in ids:
    issue_award_credential.enqueue(award_id=award_id)
print(json.dumps({"first": first, "last": time.time()}))
"""


@dataclass
class WorkerRun:
    name: str
    command: str
    tasks: int
    enqueue_seconds: float
    worker_seconds: float
    wall_seconds: float  # first enqueue to last credential stored
    stored: int
    failed: int
    spot_checks: list[str]
    drain_seconds: float = 0.0  # the worker process started to last credential stored

    @property
    def rate(self) -> float:
        return rate(self.stored, self.wall_seconds)


def run_worker(
    name: str,
    command: list[str],
    award_ids: list[int],
    env: dict[str, str],
    var_dir: Path,
    *,
    quiet: bool = False,
) -> WorkerRun:
    from django.db.models import Max

    from microcred.badges.models import IssuedCredential

    failed_before = failed_tasks(name, env)
    ids_file = var_dir / f"awards-{name}.json"
    ids_file.write_text(json.dumps(award_ids))
    enqueued = subprocess.run(
        [sys.executable, "-c", ENQUEUE, str(ids_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(enqueued.stdout.strip().splitlines()[-1])
    if not quiet:
        print(
            f"  {name}: {len(award_ids):,} tasks enqueued in "
            f"{times['last'] - times['first']:.1f} s; manage.py {' '.join(command)}",
            flush=True,
        )
    log = var_dir / f"worker-{name}.log"
    started = time.time()
    with log.open("w") as output:
        worker = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            check=False,
        )
    worker_seconds = time.time() - started
    if worker.returncode != 0:
        print(log.read_text()[-3000:])
        raise RuntimeError(f"the {name} worker exited with {worker.returncode}")
    rows = IssuedCredential.objects.filter(award_id__in=award_ids)
    stored = rows.count()
    last = rows.aggregate(last=Max("issued_at"))["last"]
    last_stored = last.timestamp() if last else time.time()
    wall = last_stored - times["first"]
    failed = failed_tasks(name, env) - failed_before
    if not quiet:
        print(
            f"  {name}: worker ran {worker_seconds:.1f} s; {stored:,} credentials stored, "
            f"{failed} failed tasks; {load()}",
            flush=True,
        )
    if failed:
        print(log.read_text()[-2000:])
    return WorkerRun(
        name=name,
        command="manage.py " + " ".join(command),
        tasks=len(award_ids),
        enqueue_seconds=times["last"] - times["first"],
        worker_seconds=worker_seconds,
        wall_seconds=wall,
        stored=stored,
        failed=failed,
        spot_checks=spot_check(rows),
        drain_seconds=last_stored - started,
    )


def failed_tasks(name: str, env: dict[str, str]) -> int:
    if "REDIS_URL" not in env:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.failed().count()
    import redis
    from rq import Queue
    from rq.registry import FailedJobRegistry

    queue = Queue("default", connection=redis.Redis.from_url(env["REDIS_URL"]))
    return len(FailedJobRegistry(queue=queue))


def spot_check(rows: Any, count: int = 5) -> list[str]:
    """Our verifier's verdict on a few stored credentials, spread over the run."""
    from microcred.badges.verify import verify_credential

    documents = list(rows.order_by("pk").values_list("document", flat=True))
    picked = documents[:: max(1, len(documents) // count)][:count]
    return [verify_credential(json.loads(document)).status for document in picked]


WORKER_OPTIONS = ("--batch", "--interval", "0", "--no-startup-delay", "--no-reload", "-v", "0")
# The library's worker as shipped, and ours (microcred.server.task_worker: claims in batches).
DB_WORKERS = {
    "db_worker": ["db_worker", *WORKER_OPTIONS],
    "task_worker": ["task_worker", *WORKER_OPTIONS],
}
# django-tasks-rq runs Tasks only through its Job class (its README: --job-class).
RQ_WORKER = ["rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job", "-v", "0"]
RQ_SIMPLE = [*RQ_WORKER, "--worker-class", "rq.worker.SimpleWorker"]


def enqueue(award_ids: list[int], env: dict[str, str], var_dir: Path) -> None:
    ids_file = var_dir / "awards-enqueued.json"
    ids_file.write_text(json.dumps(award_ids))
    subprocess.run(
        [sys.executable, "-c", ENQUEUE, str(ids_file)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def profile_db_worker(
    name: str, award_ids: list[int], env: dict[str, str], var_dir: Path
) -> list[str]:
    """A database worker under cProfile: where a task's time goes besides credential_issue."""
    enqueue(award_ids, env, var_dir)
    dump = OUT / f"badges-{name.replace('_', '-')}.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(dump), "manage.py", *DB_WORKERS[name]],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    stats = pstats.Stats(str(dump))
    tasks = len(award_ids)
    worker_file = "db_worker.py" if name == "db_worker" else "server/task_worker.py"
    loop = cumulative(stats, worker_file, "run")
    run_task = cumulative(stats, worker_file, "run_task")
    task = cumulative(stats, "badges/tasks.py", "issue_award_credential")
    service = cumulative(stats, "badges/services.py", "credential_issue")
    parts = [
        ("worker loop, per task", loop),
        ("  credential_issue (the service)", service),
        ("  rest of the task (Award by id)", task - service),
        ("  result bookkeeping (run_task - task)", run_task - task),
        ("  fetch + claim + connection checks", loop - run_task),
    ]
    lines = [f"{label:40} {1000 * seconds / tasks:8.2f} ms" for label, seconds in parts]
    return lines + top_functions(stats, tasks, 6)


@contextmanager
def counting_round_trips() -> Iterator[dict[str, int]]:
    """What the default connection sends, counted: SQL statements (through Django's execute
    wrapper), transactions (each is a BEGIN and a COMMIT or ROLLBACK of its own) and health
    checks (CONN_HEALTH_CHECKS: a `SELECT 1` before the first query after
    close_old_connections)."""
    from django.db import connection

    counts = {"statements": 0, "transactions": 0, "health_checks": 0}

    def statement(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        counts["statements"] += 1
        return execute(sql, params, many, context)

    def counted(key: str, function: Callable[[], Any]) -> Callable[[], Any]:
        def call() -> Any:
            counts[key] += 1
            return function()

        return call

    connection.ensure_connection()
    wrapper: Any = connection  # its private methods, replaced for the duration
    saved = wrapper._commit, wrapper._rollback, wrapper.is_usable
    wrapper._commit = counted("transactions", wrapper._commit)
    wrapper._rollback = counted("transactions", wrapper._rollback)
    wrapper.is_usable = counted("health_checks", wrapper.is_usable)
    try:
        with connection.execute_wrapper(statement):
            yield counts
    finally:
        wrapper._commit, wrapper._rollback, wrapper.is_usable = saved


def round_trips_per_task(award_ids: list[int]) -> dict[str, dict[str, float]]:
    """Each database worker run in this process over its share of `award_ids`, counting what
    it sends to the database per task, next to the tight loop of credential_issue."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    from microcred.badges.tasks import issue_award_credential
    from microcred.server.task_worker import BatchWorker

    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0.0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "excluded_queue_names": [],
    }
    third = len(award_ids) // 3
    shares = [award_ids[:third], award_ids[third : 2 * third], award_ids[2 * third : 3 * third]]
    per_task: dict[str, dict[str, float]] = {}
    with counting_round_trips() as counts:
        for award_id in shares[0]:
            issue(award_id)
    per_task["credential_issue loop"] = {key: value / third for key, value in counts.items()}
    for (name, worker_class), share in zip(
        [("db_worker", Worker), ("task_worker", BatchWorker)], shares[1:], strict=True
    ):
        for award_id in share:
            issue_award_credential.enqueue(award_id=award_id)
        worker = worker_class(worker_id=get_random_string(32), **options)
        with counting_round_trips() as counts:
            worker.run()
        per_task[name] = {key: value / len(share) for key, value in counts.items()}
    return per_task


@dataclass
class Round:
    worker: str
    tasks: int
    loop_seconds: float  # credential_issue over `tasks` awards, just before the worker's run
    run: WorkerRun
    load: str

    @property
    def ratio(self) -> float:
        """The worker draining the queue (from its process start) against the loop."""
        return self.run.drain_seconds / self.loop_seconds if self.loop_seconds else 0.0

    @property
    def ratio_with_enqueue(self) -> float:
        """From the first enqueue (one INSERT, committed, per task) against the loop."""
        return self.run.wall_seconds / self.loop_seconds if self.loop_seconds else 0.0


def measure_workers(
    args: argparse.Namespace, env: dict[str, str], var_dir: Path, take: Callable[[int], list[int]]
) -> dict[str, Any]:
    """The workers against the tight loop, alternated in the same run: in each round, for each
    worker, `credential_issue` in a loop over n awards in this process, then the worker over n
    other awards (enqueued by a process of their own, then ONE worker process until the queue
    is empty; first enqueue to last credential stored). The ratio of each worker is the
    median of its rounds; n is the worker's total split over the rounds."""
    rounds = max(1, args.worker_rounds)
    workers: list[tuple[str, list[str], int, dict[str, str]]] = [
        ("task_worker", DB_WORKERS["task_worker"], args.awards, env),
        ("db_worker", DB_WORKERS["db_worker"], args.baseline_awards, env),
    ]
    rq_env = {**env, "REDIS_URL": args.redis_url}
    with ExitStack() as stack:
        if args.rq_awards and stack.enter_context(redis_database(args.redis_url)):
            workers.append(("rq simple", RQ_SIMPLE, args.rq_awards, rq_env))
            run_worker("rq warm-up", RQ_SIMPLE, take(10), rq_env, var_dir, quiet=True)
        played: list[Round] = []
        for index in range(rounds):
            for name, command, total, worker_env in workers:
                n = math.ceil(total / rounds)
                if not n:
                    continue
                loop_ids = take(n)
                loop_seconds = timed_issue(loop_ids)
                run = run_worker(name, command, take(n), worker_env, var_dir, quiet=True)
                played.append(Round(name, n, loop_seconds, run, load()))
                print(
                    f"  round {index + 1} {name:11} loop {n:,} in {loop_seconds:5.1f} s; "
                    f"worker {run.drain_seconds:5.1f} s, ratio {played[-1].ratio:.2f}x; with "
                    f"the enqueue before it ({run.enqueue_seconds:.1f} s) "
                    f"{played[-1].ratio_with_enqueue:.2f}x; {run.stored:,} stored, "
                    f"{run.failed} failed; {played[-1].load}",
                    flush=True,
                )
        forked = None
        if args.rq_fork_awards and len(workers) > 2:
            forked = run_worker("rqworker", RQ_WORKER, take(args.rq_fork_awards), rq_env, var_dir)
    profiles = {}
    for name in DB_WORKERS:
        if args.worker_profile:
            print(f"  {name} under cProfile, {args.worker_profile} tasks", flush=True)
            profiles[name] = profile_db_worker(name, take(args.worker_profile), env, var_dir)
    trips = round_trips_per_task(take(3 * args.round_trip_tasks)) if args.round_trip_tasks else {}
    summary = {}
    for name, *_ in workers:
        mine = [played_round for played_round in played if played_round.worker == name]
        if mine:
            summary[name] = {
                "tasks": sum(r.tasks for r in mine),
                "ratio_median": statistics.median(r.ratio for r in mine),
                "ratio_with_enqueue_median": statistics.median(r.ratio_with_enqueue for r in mine),
                "stored": sum(r.run.stored for r in mine),
                "failed": sum(r.run.failed for r in mine),
                "spot_checks": [check for r in mine for check in r.run.spot_checks],
            }
    return {
        "rounds": [
            {
                "worker": r.worker,
                "tasks": r.tasks,
                "loop_seconds": r.loop_seconds,
                "wall_seconds": r.run.wall_seconds,
                "enqueue_seconds": r.run.enqueue_seconds,
                "worker_seconds": r.run.worker_seconds,
                "drain_seconds": r.run.drain_seconds,
                "ratio": r.ratio,
                "ratio_with_enqueue": r.ratio_with_enqueue,
                "stored": r.run.stored,
                "failed": r.run.failed,
                "load": r.load,
            }
            for r in played
        ],
        "summary": summary,
        "rq_forking": None
        if forked is None
        else {"tasks": forked.tasks, "wall_seconds": forked.wall_seconds, "rate": forked.rate},
        "profiles": profiles,
        "round_trips_per_task": trips,
    }


def timed_issue(award_ids: list[int]) -> float:
    start = time.perf_counter()
    for award_id in award_ids:
        issue(award_id)
    return time.perf_counter() - start


def report_workers(figures: dict[str, Any]) -> None:
    print()
    print("2. Issued through the task worker, against the tight credential_issue loop")
    print("   (alternated: each worker run just after a loop over as many awards in this")
    print("   process; ONE worker process from its start until the last credential is stored;")
    print("   and from the first enqueue, one committed INSERT per task as award_made does)")
    for name, line in figures["summary"].items():
        mine = [r for r in figures["rounds"] if r["worker"] == name]
        goal = (
            f"; goal <= 1.3x: {verdict(line['ratio_median'] <= 1.3)}"
            if name == "task_worker"
            else ""
        )
        print(
            f"   {name:11} {line['tasks']:6,} tasks  median ratio {line['ratio_median']:.2f}x "
            f"({', '.join(f'{r["ratio"]:.2f}' for r in mine)}){goal}"
        )
        print(
            f"   {'':11} with the enqueue {line['ratio_with_enqueue_median']:.2f}x "
            f"({', '.join(f'{r["ratio_with_enqueue"]:.2f}' for r in mine)}); "
            f"{line['stored']:,} stored, {line['failed']} failed; spot checks: "
            f"{', '.join(sorted(set(line['spot_checks'])))}"
        )
    if figures["rq_forking"]:
        forking = figures["rq_forking"]
        print(
            f"   rqworker forking per job: {forking['tasks']} tasks in "
            f"{forking['wall_seconds']:.1f} s ({forking['rate']:.1f} /s)"
        )
    if figures["round_trips_per_task"]:
        print("   sent to the database per task (in this process):")
        for name, counts in figures["round_trips_per_task"].items():
            print(
                f"     {name:22} {counts['statements']:5.2f} statements, "
                f"{counts['transactions']:4.2f} transactions, "
                f"{counts['health_checks']:4.2f} health checks"
            )
    for name, lines in figures["profiles"].items():
        print(f"   {name} under cProfile (bench/out/badges-{name.replace('_', '-')}.prof):")
        for line in lines:
            print(f"     {line}")


@contextmanager
def redis_database(url: str) -> Iterator[bool]:
    """The Redis database for the RQ runs. It must be empty, so nothing of anyone else's is
    touched; the keys RQ leaves behind are removed afterwards."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        empty = client.dbsize() == 0
    except redis.RedisError as error:
        print(f"  RQ workers skipped: Redis at {url} is not reachable ({error})")
        yield False
        return
    if not empty:
        print(f"  RQ workers skipped: {url} is not an empty Redis database")
        yield False
        return
    try:
        yield True
    finally:
        for key in client.scan_iter("rq:*"):
            client.delete(key)


# ----------------------------------------------------------------------------- 3. verification


@dataclass
class Verification:
    count: int
    ours_seconds: float
    ours_verified: int
    ours_no_schema_seconds: float | None
    js_count: int
    js_seconds: float
    js_verified: int
    js_files: int
    breakdown: list[dict[str, Any]] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)

    @property
    def ours_rate(self) -> float:
        return rate(self.count, self.ours_seconds)

    @property
    def ours_no_schema_rate(self) -> float | None:
        if self.ours_no_schema_seconds is None:
            return None
        return rate(self.count, self.ours_no_schema_seconds)

    @property
    def js_rate(self) -> float:
        return rate(self.js_count, self.js_seconds)


def verify_ours(documents: list[dict[str, Any]]) -> tuple[float, int]:
    from microcred.badges.verify import verify_credential

    start = time.perf_counter()
    verified = sum(verify_credential(document).verified for document in documents)
    return time.perf_counter() - start, verified


@contextmanager
def schema_check_off() -> Iterator[None]:
    """verify.py has no switch for the schema check: its check function is replaced for
    the duration (the verdict then says the schema was not checked)."""
    from microcred.badges import verify

    original = verify._check_schema

    def not_checked(document: dict[str, Any]) -> verify.Check:
        return verify.Check("schema", "Open Badges schema", None, "Not checked (benchmark).")

    verify._check_schema = not_checked
    try:
        yield
    finally:
        verify._check_schema = original


def verify_js(
    files: list[Path], *, rounds: int, site_url: str, env: dict[str, str], port: int
) -> tuple[int, float, int]:
    """verify.mjs --bench on the files, against granian serving our DID documents and
    status lists: (verifications timed, seconds, files verified in its first pass)."""
    from bench.run import start_server, stop_server

    node = shutil.which("node")
    if node is None or not (INTEROP / "node_modules" / "@digitalbazaar" / "vc").exists():
        sys.exit("node and interop/node_modules are needed: cd interop && npm ci")
    # (PYTHONWARNINGS: the server warns that static files were not collected; none are needed.)
    server = start_server("granian", port, {**env, "PYTHONWARNINGS": "ignore::UserWarning"}, 1)
    try:
        output = subprocess.run(
            [
                node,
                str(INTEROP / "verify.mjs"),
                *("--bench", str(rounds), "--allow-http", urlsplit(site_url).netloc),
                *map(str, files),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )
    finally:
        stop_server(server)
    lines = [json.loads(line) for line in output.stdout.splitlines() if line.startswith("{")]
    reports = [line for line in lines if "file" in line]
    bench = next((line["bench"] for line in lines if "bench" in line), None)
    if bench is None:
        raise RuntimeError(f"verify.mjs printed no bench line:\n{output.stderr[-3000:]}")
    failures = [r for r in reports if not r["verified"]]
    if failures:
        print(f"  the JS verifier refused {len(failures)}: {json.dumps(failures[0])[:600]}")
    return int(bench["verifications"]), float(bench["seconds"]), len(reports) - len(failures)


def measure_verification(
    documents: list[dict[str, Any]],
    files: list[Path],
    *,
    rounds: int,
    schemaless: bool,
    site_url: str,
    env: dict[str, str],
    port: int,
) -> Verification:
    from microcred.badges import did, proofs, verify

    verify_ours(documents)  # cold pass: schemas compiled, contexts inlined, caches filled
    # Two warm passes around the JS run, so load from elsewhere falls on both sides alike.
    before, verified = verify_ours(documents)
    print(
        f"  ours              {rate(len(documents), before):8.1f} /s  ({verified} verified)",
        flush=True,
    )
    js_count, js_seconds, js_verified = verify_js(
        files, rounds=rounds, site_url=site_url, env=env, port=port
    )
    print(
        f"  JS verifier       {rate(js_count, js_seconds):8.1f} /s  ({js_verified} verified)",
        flush=True,
    )
    after, _ = verify_ours(documents)
    print(f"  ours again        {rate(len(documents), after):8.1f} /s; {load()}", flush=True)
    no_schema = None
    if schemaless:
        with schema_check_off():
            no_schema, _ = verify_ours(documents)
        print(f"  ours, no schema   {rate(len(documents), no_schema):8.1f} /s", flush=True)
    result = Verification(
        count=len(documents),
        ours_seconds=(before + after) / 2,
        ours_verified=verified,
        ours_no_schema_seconds=no_schema,
        js_count=js_count,
        js_seconds=js_seconds,
        js_verified=js_verified,
        js_files=len(files),
    )
    breakdown = Breakdown()
    steps = [
        (verify, "_check_shape", "shape"),
        (verify, "_check_contexts", "contexts: known + safe-mode terms"),
        (verify, "_check_proofs", "issuer + signature"),
        (did, "resolve_method", "DID document (our database)"),
        (proofs, "_hash_data", "canonicalize x2 + SHA-256"),
        (verify, "_check_status", "status"),
        (verify, "_local_status_document", "status list read + parsed"),
        (verify, "_check_validity", "dates"),
        (verify, "_check_schema", "1EdTech JSON schema"),
    ]
    one = breakdown.wrap("verify_credential", verify.verify_credential)
    with breakdown.patched(steps):
        for document in documents:
            one(document)
    result.breakdown = breakdown.rows(len(documents))
    result.profile = cprofile(verify.verify_credential, documents[:100], OUT / "badges-verify.prof")
    return result


# ----------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(
    issuance: Issuance,
    workers: dict[str, Any] | None,
    verification: Verification | None,
    args: argparse.Namespace,
) -> dict[str, Any]:
    print()
    print(f"1. Issuance, one process ({ROUNDS} alternating rounds)")
    print(f"   {'credential_issue (compose, sign, store)':46} {issuance.rate:8.1f} /s")
    for name, seconds, same in issuance.signs:
        label = f"sign loop, {name}"
        nquads = "N-Quads = pyld's" if same else "N-QUADS DIFFER FROM PYLD'S"
        print(f"   {label:46} {rate(issuance.issued, seconds):8.1f} /s   {nquads}")
    print(f"   {'Ed25519 signature alone':46} {1 / issuance.ed25519_seconds_each:8.0f} /s")
    for number, ((count, issuing, signing), each) in enumerate(
        zip(issuance.rounds, issuance.ratios, strict=True), start=1
    ):
        print(
            f"   round {number}: credential_issue {rate(count, issuing):7.1f} /s, plain pyld "
            f"{rate(count, signing):7.1f} /s: {each:.2f}x"
        )
    ratio = issuance.ratio
    print(
        f"   ours / plain pyld (median of {len(issuance.rounds)} rounds): {ratio:.2f}x   "
        f"goal >= 1.5x: {verdict(ratio >= 1.5)}"
    )
    print_breakdown(f"one issuance, timers over {args.sample} more awards:", issuance.breakdown)
    print(f"   cProfile, own time, {args.cprofile} awards (bench/out/badges-issue.prof):")
    for line in issuance.profile:
        print(f"     {line}")
    figures: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "args": vars(args),
        "issuance": {
            "per_second": issuance.rate,
            "sign_per_second": {
                name: rate(issuance.issued, seconds) for name, seconds, _ in issuance.signs
            },
            "same_nquads_as_pyld": {name: same for name, _, same in issuance.signs},
            "ed25519_us": 1e6 * issuance.ed25519_seconds_each,
            "ratio": ratio,
            "round_ratios": issuance.ratios,
            "breakdown": issuance.breakdown,
        },
    }
    if verification is None or workers is None:  # --issuance-only
        return figures

    if workers is not None:
        report_workers(workers)

    print()
    print("3. Verification, warm, one process each, the same credentials")
    print(
        f"   {'ours: verify_credential':46} {verification.ours_rate:8.1f} /s "
        f"({verification.ours_verified}/{verification.count} verified)"
    )
    if verification.ours_no_schema_rate is not None:
        print(
            f"   {'ours without the JSON schema check':46} {verification.ours_no_schema_rate:8.1f} /s"
        )
    print(
        f"   {'theirs: verify.mjs --bench (Digital Bazaar)':46} {verification.js_rate:8.1f} /s "
        f"({verification.js_verified}/{verification.js_files} verified)"
    )
    ratio_v = verification.ours_rate / verification.js_rate if verification.js_rate else 0.0
    print(f"   ours / theirs: {ratio_v:.2f}x   goal >= 1x: {verdict(ratio_v >= 1)}")
    if verification.ours_no_schema_rate is not None and verification.js_rate:
        print(
            "   ours without the schema check / theirs: "
            f"{verification.ours_no_schema_rate / verification.js_rate:.2f}x"
        )
    from microcred.badges import did, verify

    # What ours keeps between verifications depends on the code measured: say which.
    did_kept = ", kept a minute" if hasattr(did, "_local_cache") else ""
    list_kept = (
        "once per list content, then kept"
        if hasattr(verify, "_status_list_proofs")
        else "on every credential"
    )
    print(
        "   ours checks: VC shape; contexts known + every term defined (safe mode); the\n"
        f"     issuer's DID document (read from our database{did_kept}) lists the key;\n"
        "     signature; status list (read from our database; its own signature verified\n"
        f"     {list_kept}); dates; 1EdTech JSON schema.\n"
        "   theirs checks: dates; signature (jsonld safe mode, proof purpose, DID document\n"
        "     fetched once over HTTP); status list (fetched once over HTTP; its own signature\n"
        "     verified on every credential); no JSON schema (--bench does not run it)."
    )
    print_breakdown(
        f"one verification of ours, timers over {verification.count}:", verification.breakdown
    )
    print("   cProfile, own time, 100 verifications (bench/out/badges-verify.prof):")
    for line in verification.profile:
        print(f"     {line}")
    return {
        **figures,
        "workers": workers,
        "verification": {
            "ours_per_second": verification.ours_rate,
            "ours_without_schema_per_second": verification.ours_no_schema_rate,
            "js_per_second": verification.js_rate,
            "ratio": ratio_v,
            "breakdown": verification.breakdown,
        },
    }


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--awards",
        type=int,
        default=10_000,
        help="tasks for our DB worker (task_worker), over all --worker-rounds (default: 10,000)",
    )
    parser.add_argument(
        "--baseline-awards",
        type=int,
        default=1_500,
        help="tasks for django-tasks-db's db_worker as shipped, over all rounds (default: 1,500)",
    )
    parser.add_argument(
        "--worker-rounds",
        type=int,
        default=3,
        help="alternated rounds of loop and worker (default: 3)",
    )
    parser.add_argument(
        "--round-trip-tasks",
        type=int,
        default=100,
        help="tasks per worker counted statement by statement (default: 100)",
    )
    parser.add_argument(
        "--worker-only",
        action="store_true",
        help="measure the task workers (2.) only: no issuance figures, no verification",
    )
    parser.add_argument("--loop", type=int, default=200, help="issuances and signatures timed")
    parser.add_argument("--sample", type=int, default=100, help="issuances timed step by step")
    parser.add_argument("--cprofile", type=int, default=30, help="issuances under cProfile")
    parser.add_argument(
        "--worker-profile", type=int, default=200, help="tasks for a db_worker under cProfile"
    )
    parser.add_argument("--verify", type=int, default=500, help="credentials verified")
    parser.add_argument("--js-rounds", type=int, default=1, help="verify.mjs --bench N")
    parser.add_argument(
        "--schemaless",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time our verifier with its JSON schema check replaced (default: on)",
    )
    parser.add_argument(
        "--rq-awards",
        type=int,
        default=600,
        help="tasks for RQ's SimpleWorker over all rounds; 0: no RQ (default: 600)",
    )
    parser.add_argument(
        "--rq-fork-awards",
        type=int,
        default=100,
        help="tasks for RQ's forking worker, once (default: 100)",
    )
    parser.add_argument("--redis-url", default="redis://localhost:6379/14", help="empty db")
    parser.add_argument(
        "--postgres", default="postgres://postgres@localhost:5432", help="server, no database"
    )
    parser.add_argument("--database", default="microcred_bench_badges")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the database and var dir")
    parser.add_argument(
        "--issuance-only",
        action="store_true",
        help="measure issuance (1.) only: no task workers, no verification",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=DEFAULT_ROUNDS,
        help=f"alternating rounds (default: {DEFAULT_ROUNDS})",
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also measure the issuance of commit REV next to the tree as it is (see above)",
    )
    args = parser.parse_args(argv)
    global ROUNDS  # one setting for the whole run
    ROUNDS = max(1, args.rounds)

    database_url = f"{args.postgres.rstrip('/')}/{args.database}"
    site_url = f"http://localhost:{args.port}"
    var_dir = Path(tempfile.mkdtemp(prefix="microcred-bench-badges-"))
    env = bench_env(database_url=database_url, var_dir=var_dir, site_url=site_url)
    os.environ.clear()
    os.environ.update(env)
    started = time.monotonic()
    commit, digest = code_state()
    code = f"{commit} + microcred/badges/*.py {digest}"
    print(f"code {code}; database {args.database}, SITE_URL {site_url}; {load()}", flush=True)
    recreate_database(args.postgres, args.database)
    with ExitStack() as stack:
        pair = None
        if args.before:
            # Started first: each side migrates and generates while this process does.
            pair = stack.enter_context(before_and_after(args, 40 + args.loop + 10))
        run_here(args, env, var_dir, database_url, site_url, started, code, digest, pair)


def run_here(
    args: argparse.Namespace,
    env: dict[str, str],
    var_dir: Path,
    database_url: str,
    site_url: str,
    started: float,
    code: str,
    digest: str,
    pair: BeforeAfter | None,
) -> None:
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        if args.issuance_only:
            args.awards = args.baseline_awards = args.worker_profile = args.rq_awards = 0
            args.rq_fork_awards = args.round_trip_tasks = 0
        if args.worker_only:
            args.loop = args.sample = args.cprofile = 0
        rounds = max(1, args.worker_rounds)
        needed = (
            40
            + args.loop
            + args.sample
            + args.cprofile
            # each worker run comes after a loop over as many awards
            + 2 * rounds * math.ceil(args.awards / rounds)
            + 2 * rounds * math.ceil(args.baseline_awards / rounds)
            + 2 * rounds * math.ceil(args.rq_awards / rounds)
            + args.rq_fork_awards
            + 10  # the RQ warm-up
            + 2 * args.worker_profile
            + 3 * args.round_trip_tasks
        )
        print(f"generating {needed:,}+ awards", flush=True)
        generate_awards(needed)
        OUT.mkdir(parents=True, exist_ok=True)
        results = {"code": code, **run_all(args, env, var_dir, site_url, pair)}
        if code_state()[1] != digest:
            print(f"\nNOTE: microcred/badges/*.py changed during the run (now {code_state()[1]})")
        written = OUT / ("badges-worker.json" if args.worker_only else "badges.json")
        written.write_text(json.dumps(results, indent=2))
        print(f"\nWritten to {written}; {time.monotonic() - started:.0f} s in all; {load()}")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: DATABASE_URL={database_url} MICROCRED_VAR_DIR={var_dir}")
        else:
            drop_database(args.postgres, args.database)
            shutil.rmtree(var_dir, ignore_errors=True)


def run_all(
    args: argparse.Namespace,
    env: dict[str, str],
    var_dir: Path,
    site_url: str,
    pair: BeforeAfter | None = None,
) -> dict[str, Any]:
    from microcred.assessment.models import Award
    from microcred.badges.models import IssuedCredential

    pending = list(
        Award.objects.filter(credentials__isnull=True)
        .order_by("pk")
        .values_list("pk", "attempt__version__credential__organization_id")
    )
    # Each set gets the same mix (first hand-ins and resubmissions, every issuer).
    random.Random(7).shuffle(pending)
    # Warm-up: one award of each issuing organization (its key and first status list are
    # made on first use), then ten more.
    first_of: dict[int, int] = {}
    for award_id, organization_id in pending:
        first_of.setdefault(organization_id, award_id)
    warm = [*first_of.values()]
    taken = set(warm)
    rest = [award_id for award_id, _ in pending if award_id not in taken]
    sizes = [10, args.loop, args.sample, args.cprofile]
    parts = []
    for size in sizes:
        parts.append(rest[:size])
        rest = rest[size:]
    more_warm, loop, sample, profile = parts

    def take(count: int) -> list[int]:
        """The next `count` awards without a credential, for the workers."""
        nonlocal rest
        given, rest = rest[:count], rest[count:]
        if len(given) < count:
            raise RuntimeError(f"{count} awards wanted, {len(given)} left")
        return given

    print(
        f"{len(pending):,} awards without a credential, {len(first_of)} issuing organizations",
        flush=True,
    )

    if pair is not None:
        pair.wait_until_ready()
    if args.worker_only:
        for award_id in warm:  # signing keys and first status lists are made here
            issue(award_id)
        # The bytecode of every module a worker imports is written (see bench_env).
        run_worker("warm-up", DB_WORKERS["task_worker"], more_warm, env, var_dir, quiet=True)
        print(f"2. task workers against the tight loop, alternated; {load()}", flush=True)
        worker_figures = measure_workers(args, env, var_dir, take)
        report_workers(worker_figures)
        return {"workers": worker_figures}
    print(f"1. issuance; {load()}", flush=True)
    issuance = measure_issuance(warm + more_warm, loop, sample, profile)
    compared: dict[str, Any] = {}
    if pair is not None and issuance.sign_pyld is not None:
        print(f"1b. issuance before ({pair.before.label}) and after; {load()}", flush=True)
        measure_before_after(pair, issuance.sign_pyld, args.loop)
    if args.issuance_only:
        figures = report(issuance, None, None, args)
        if pair is not None:
            compared = {"before_after": report_before_after(pair)}
        return figures | compared

    print(f"2. task workers against the tight loop, alternated; {load()}", flush=True)
    worker_figures = measure_workers(args, env, var_dir, take)

    print(f"3. verification; {load()}", flush=True)
    rows = IssuedCredential.objects.order_by("-pk")[: args.verify]
    documents = [json.loads(text) for text in rows.values_list("document", flat=True)]
    folder = var_dir / "credentials"
    folder.mkdir()
    files = []
    for index, document in enumerate(documents):
        path = folder / f"{index:05d}.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        files.append(path)
    verification = measure_verification(
        documents,
        files,
        rounds=args.js_rounds,
        schemaless=args.schemaless,
        site_url=site_url,
        env=env,
        port=args.port,
    )
    figures = report(issuance, worker_figures, verification, args)
    if pair is not None:
        compared = {"before_after": report_before_after(pair)}
    return figures | compared


if __name__ == "__main__":
    main()
