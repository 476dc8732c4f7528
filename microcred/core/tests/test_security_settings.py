"""Production settings pass Django's deployment checklist; the security headers are sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_has_no_warnings_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-" + "x" * 60,
        "ALLOWED_HOSTS": "microcred.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MICROCRED_VAR_DIR": str(tmp_path),
        "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
        "SITE_URL": "https://microcred.example.org",
        "SIGNING_KEY_SECRETS": "a-separate-secret-for-signing-keys-" + "y" * 30,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_badge_keys_and_a_local_site_url(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL", "SIGNING_KEY_SECRETS")
        },
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-" + "x" * 60,
        "ALLOWED_HOSTS": "microcred.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MICROCRED_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "badges.W001" in output and "SIGNING_KEY_SECRETS is not set" in output
    assert "badges.W002" in output and "SITE_URL is http://localhost:8000" in output


def test_pages_send_a_content_security_policy_and_no_inline_script(client, db):
    response = client.get("/about/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "object-src 'none'" in csp
    )
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_health_check_answers_without_a_session(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
