"""The demo installation served by granian on a throw-away SQLite database, for the scripts
that drive it in Chromium (screenshots.py, sweep.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(
    port: int, *, prefix: str = "microcred-demo-"
) -> tuple[subprocess.Popen[bytes], Path, dict[str, str]]:
    """Migrate and load the demo into a new data directory, start granian on `port` with
    SITE_URL on the same origin, and wait for /healthz: (server, data directory, env)."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    base = f"http://localhost:{port}"
    env = {
        **os.environ,
        "MICROCRED_VAR_DIR": str(data),
        "DEBUG": "1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{data / 'demo.sqlite3'}",
        "SHOW_DEMO_LOGINS": "0",
        "SITE_URL": base,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "microcred.wsgi:application",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - our own server
            break
        except OSError:
            time.sleep(0.25)
    return server, data, env
