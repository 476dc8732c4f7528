"""A real OpenID provider for the single sign-on tests: panva's `oidc-provider` (npm), run by
interop/oidc-provider.mjs in a node process on localhost. Its accounts sign in with their
login and any password; their claims are `ACCOUNTS`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

INTEROP = Path(__file__).resolve().parents[3] / "interop"
PROVIDER_ID = "district-riverbend"  # services.sso_provider_id of Riverbend
CLIENT_ID, SECRET = "microcred-riverbend", "riverbend-secret-0123456789-0123456789-abcdef"
# A client whose ID tokens the provider signs with the client secret (HS256), not with
# the keys it publishes: such a token must be refused.
HS_CLIENT_ID = "microcred-hs256"

ACCOUNTS = {
    # login at the provider -> the claims it sends
    "ana": {"email": "educator@riverbend.example", "email_verified": True, "name": "Ana Ruiz"},
    "ana-unverified": {"email": "educator@riverbend.example", "email_verified": False},
    "ana-string": {"email": "educator@riverbend.example", "email_verified": "true"},
    "carmen": {"email": "coach@riverbend.example", "email_verified": True, "name": "Carmen"},
    "oz": {"email": "designer@lakeshore.example", "email_verified": True, "name": "Oz"},
    "stranger": {"email": "sam@riverbend.example", "email_verified": True, "name": "Sam Lee"},
    "dee-roster": {"email": "dee@home.example", "email_verified": False, "sourcedId": "t-100"},
}


def _node() -> str:
    node = shutil.which("node")
    if node and (INTEROP / "node_modules" / "oidc-provider").exists():
        return node
    message = "node and interop/node_modules are needed (npm ci --prefix interop)"
    if os.environ.get("MICROCRED_REQUIRE_NODE"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def provider(folder: Path, base_url: str) -> Iterator[str]:
    """The provider, with Microcred at `base_url` as its clients; yields its issuer URL."""
    node = _node()
    client = {
        "redirect_uris": [f"{base_url}/accounts/oidc/{PROVIDER_ID}/login/callback/"],
        "token_endpoint_auth_method": "client_secret_post",
    }
    config = {
        "port": 0,
        "accounts": ACCOUNTS,
        "clients": [
            {**client, "client_id": CLIENT_ID, "client_secret": SECRET},
            {
                **client,
                "client_id": HS_CLIENT_ID,
                "client_secret": SECRET,
                "id_token_signed_response_alg": "HS256",
            },
        ],
    }
    path = folder / "provider.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(  # noqa: S603 - node and our own script
        [node, str(INTEROP / "oidc-provider.mjs"), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), f"the provider did not start: {line!r}"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
