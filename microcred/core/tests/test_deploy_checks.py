"""`check --deploy` speaks up when a switch meant for one's own machine is on in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.checks import Tags, run_checks

ROOT = Path(__file__).resolve().parents[3]
LOCAL_SWITCHES = ("DEBUG", "LOCAL_DEMO", "SHOW_DEMO_LOGINS", "VERIFIER_ALLOW_PRIVATE_ADDRESSES")


def check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", *LOCAL_SWITCHES)
        },
        "SECRET_KEY": "a-production-secret-" + "x" * 60,
        "ALLOWED_HOSTS": "microcred.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MICROCRED_VAR_DIR": str(tmp_path),
        "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
        "SITE_URL": "https://microcred.example.org",
        "SIGNING_KEY_SECRETS": "a-separate-secret-for-signing-keys-" + "y" * 30,
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def core_warnings() -> set[str]:
    # Only the security checks: the model checks would ask the database about its features.
    found = run_checks(include_deployment_checks=True, tags=[Tags.security])
    ids = (m.id or "" for m in found)
    return {i for i in ids if i.startswith("core.")}


def test_check_deploy_warns_about_demo_logins_and_private_verifier_fetches(tmp_path):
    result = check_deploy(tmp_path, SHOW_DEMO_LOGINS="1", VERIFIER_ALLOW_PRIVATE_ADDRESSES="true")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "core.W001" in output and "SHOW_DEMO_LOGINS is on" in output
    assert "core.W002" in output and "VERIFIER_ALLOW_PRIVATE_ADDRESSES is on" in output
    assert "core.W003" not in output


def test_check_deploy_warns_about_the_local_demo_switch_make_run_uses(tmp_path):
    result = check_deploy(tmp_path, LOCAL_DEMO="1")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    # LOCAL_DEMO turns both on, and is named itself.
    assert "core.W001" in output and "core.W002" in output
    assert "core.W003" in output and "LOCAL_DEMO is on" in output


def test_check_deploy_is_quiet_when_the_local_switches_are_off(tmp_path):
    result = check_deploy(tmp_path, SHOW_DEMO_LOGINS="0", VERIFIER_ALLOW_PRIVATE_ADDRESSES="0")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "core.W00" not in result.stdout + result.stderr


def test_each_switch_is_named_on_its_own(settings):
    settings.DEBUG = False
    settings.LOCAL_DEMO = False
    settings.SHOW_DEMO_LOGINS = True
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    assert core_warnings() == {"core.W001"}

    settings.SHOW_DEMO_LOGINS = False
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True
    assert core_warnings() == {"core.W002"}

    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    assert core_warnings() == set()


def test_with_debug_on_django_own_warning_speaks_instead(settings):
    settings.DEBUG = True
    settings.LOCAL_DEMO = True
    settings.SHOW_DEMO_LOGINS = True
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True

    messages = run_checks(include_deployment_checks=True, tags=[Tags.security])

    ids = {m.id for m in messages}
    assert "security.W018" in ids  # DEBUG in deployment
    assert not {i for i in ids if (i or "").startswith("core.")}
