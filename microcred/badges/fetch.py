"""Fetching other issuers' documents (DID documents, status lists, credentials by URL).

A verifier that fetches URLs found in uploaded files is an open proxy unless it is careful:
every host name is resolved first and each address must be a public one (no loopback,
private, link-local or reserved ranges) unless `VERIFIER_ALLOW_PRIVATE_ADDRESSES` is on
(development and tests); the connection then goes to the address that was checked, so a
second DNS answer cannot point it elsewhere. Plain http is used only for localhost. Time
(`VERIFIER_FETCH_TIMEOUT`) and size (`VERIFIER_FETCH_MAX_BYTES`) are bounded, redirects
are not followed, and answers are kept for a minute so a page of checks fetches each
document once.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
CACHE_SECONDS = 60


class FetchError(ValueError):
    """A document that could not be fetched; the message is for a person."""


class StatusError(FetchError):
    """The server answered, but not with 200: its status and (bounded) body, because some
    answers mean something (Open Badges 2.0: 410 Gone is a revoked hosted assertion)."""

    def __init__(self, message: str, *, status: int, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def _allow_private() -> bool:
    return bool(getattr(settings, "VERIFIER_ALLOW_PRIVATE_ADDRESSES", settings.DEBUG))


def _checked_address(host: str, port: int) -> str:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host} could not be found.") from None
    addresses = [str(answer[4][0]) for answer in answers]
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    if not _allow_private():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global or ip.is_multicast:
                raise FetchError(
                    f"The host {host} points at a private or local network address ({ip}); "
                    "this verifier only fetches documents from the public internet."
                )
    return addresses[0]


def fetch_bytes(url: str, *, accept: str = "application/json") -> bytes:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise FetchError(f"{url} is not an http(s) address.")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise FetchError(f"{url} is not served over HTTPS; only HTTPS addresses are fetched.")
    if parts.username or parts.password:
        raise FetchError(f"{url} carries a user name or password; it is not fetched.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(host, port)
    timeout = float(getattr(settings, "VERIFIER_FETCH_TIMEOUT", 5))
    limit = int(getattr(settings, "VERIFIER_FETCH_MAX_BYTES", 2 * 1024 * 1024))
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            address, port, timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    try:
        response = pool.urlopen(
            "GET",
            path,
            headers={"Host": netloc, "Accept": accept, "User-Agent": "Microcred verifier"},
            redirect=False,
            preload_content=False,
        )
        try:
            if response.status != 200:
                raise StatusError(
                    f"{url} answered HTTP {response.status}.",
                    status=response.status,
                    # Only a 410's body means something (an OB 2.0 revocation reason).
                    body=(
                        (response.read(min(limit, 64 * 1024), decode_content=True) or b"")
                        if response.status == 410
                        else b""
                    ),
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url} is larger than {limit // 1024} KB; it is not read.")
            body = response.read(limit + 1, decode_content=True)
            if len(body) > limit:
                raise FetchError(f"{url} is larger than {limit // 1024} KB; it is not read.")
            return body
        finally:
            response.release_conn()
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"{url} did not answer within {timeout:g} seconds.") from None
    except urllib3.exceptions.SSLError:
        raise FetchError(f"{url} has no valid HTTPS certificate.") from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(f"{url} could not be reached ({type(error).__name__}).") from None
    finally:
        pool.close()


def fetch_json(url: str) -> Any:
    """A JSON document from the web, cached for a minute."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(url)
        if hit and hit[0] > now:
            return hit[1]
    body = fetch_bytes(url, accept="application/did+json, application/ld+json, application/json")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise FetchError(f"{url} did not answer with JSON.") from None
    with _lock:
        if len(_cache) > 512:
            _cache.clear()
        _cache[url] = (now + CACHE_SECONDS, document)
    return document


def forget() -> None:
    """Drop cached documents (tests, and after our own status lists change)."""
    with _lock:
        _cache.clear()
