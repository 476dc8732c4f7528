"""`make run` is a local demo with the product's own pages: Django's debug pages (which list
every URL pattern) stay off, while the local conveniences stay on (plain HTTP, demo logins,
mail on the console); `DEBUG=1` turns Django's debugging on for developers.

The environment is the one `make run` really passes to `manage.py serve` (read from
`make -n run`), applied to a fresh process, as settings are read once at start.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCAL_SWITCHES = (
    "DEBUG",
    "LOCAL_DEMO",
    "SHOW_DEMO_LOGINS",
    "VERIFIER_ALLOW_PRIVATE_ADDRESSES",
    "EMAIL_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "REDIS_URL",
    "CACHE_URL",
)

PROBE = r"""
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.settings")
django.setup()
from django.conf import settings
from django.core.mail import EmailMessage
from django.test import Client
from microcred.core.services import organization_create
from microcred.demo.loader import MARKER_SLUG

organization_create(actor=None, name="Demo marker", kind="state", slug=MARKER_SLUG)
client = Client(headers={"host": "localhost:8000"})
missing = client.get("/no-such-page/")
login = client.get("/accounts/login/")
static = client.get("/static/microcred/favicon.svg")
EmailMessage("Probe subject", "Probe body", to=["ana@riverbend.example"]).send(using="delivery")
print("PROBE-RESULT " + json.dumps({
    "DEBUG": settings.DEBUG,
    "LOCAL_DEMO": settings.LOCAL_DEMO,
    "delivery": settings.MAILERS["delivery"]["BACKEND"],
    "VERIFIER_ALLOW_PRIVATE_ADDRESSES": settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "cache": settings.CACHES["default"]["BACKEND"],
    "missing_status": missing.status_code,
    "missing_html": missing.content.decode(),
    "login_status": login.status_code,
    "login_html": login.content.decode(),
    "static_status": static.status_code,
}))
"""


def make_run_environment() -> dict[str, str]:
    """The variables `make run` sets on its `manage.py serve` line (NAME=${NAME:-value})."""
    make = shutil.which("make")
    assert make, "make is needed: `make run` is how the demo starts"
    plan = subprocess.run(  # noqa: S603 - fixed argv
        [make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve_line = next(line for line in plan.splitlines() if "manage.py serve" in line)
    return dict(re.findall(r"\b([A-Z_]+)=\$\{[A-Z_]+:-([^}]*)\}", serve_line))


def run_probe(tmp_path: Path, **extra: str) -> tuple[dict[str, object], str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in LOCAL_SWITCHES},
        **make_run_environment(),
        "MICROCRED_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    marker = next(line for line in result.stdout.splitlines() if line.startswith("PROBE-RESULT "))
    return json.loads(marker.removeprefix("PROBE-RESULT ")), result.stdout


def test_make_run_sets_the_local_demo_switch_and_not_debug():
    environment = make_run_environment()
    assert environment.get("LOCAL_DEMO") == "1"
    assert "DEBUG" not in environment


def test_make_run_shows_our_own_error_pages_and_keeps_the_local_conveniences(tmp_path):
    probe, output = run_probe(tmp_path)

    assert probe["DEBUG"] is False and probe["LOCAL_DEMO"] is True
    # Our 404 page, not Django's technical one listing every URL pattern.
    assert probe["missing_status"] == 404
    html = str(probe["missing_html"])
    assert "We couldn't find that page" in html
    assert "URLconf" not in html and "Using the URLconf" not in html
    assert "studio/" not in html and "Page not found at" not in html
    # Usable over plain HTTP on localhost.
    assert probe["SECURE_SSL_REDIRECT"] is False and probe["SECURE_HSTS_SECONDS"] == 0
    # One cache for the server's processes, so the verifier's rate limit counts them all.
    assert probe["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert probe["SESSION_COOKIE_SECURE"] is False and probe["CSRF_COOKIE_SECURE"] is False
    assert probe["VERIFIER_ALLOW_PRIVATE_ADDRESSES"] is True
    assert probe["static_status"] == 200  # WhiteNoise serves the collected files
    # Demo logins on the sign-in page; mail printed to the console.
    assert probe["login_status"] == 200
    assert "ana@riverbend.example" in str(probe["login_html"])
    assert probe["delivery"] == "django.core.mail.backends.console.EmailBackend"
    assert "Subject: Probe subject" in output


def test_debug_setting_turns_django_debugging_on_for_developers(tmp_path):
    probe, _ = run_probe(tmp_path, DEBUG="1")

    assert probe["DEBUG"] is True
    assert probe["missing_status"] == 404
    assert "Using the URLconf" in str(probe["missing_html"])  # Django's technical page
    assert probe["SECURE_SSL_REDIRECT"] is False
    assert "ana@riverbend.example" in str(probe["login_html"])
