"""Fetching other issuers' documents (DID documents, status lists, credentials by URL).

A verifier that fetches URLs found in uploaded files is an open proxy unless it is careful:
every host name is resolved first and each address must be a public one (no loopback,
private, link-local or reserved ranges, nor an IPv6 address that carries such an IPv4
address inside it: NAT64, 6to4, Teredo, IPv4-mapped or -compatible) unless
`VERIFIER_ALLOW_PRIVATE_ADDRESSES` is on (development and tests); the connection then goes
to the address that was checked, so a second DNS answer cannot point it elsewhere. Plain
http is used only for localhost. Redirects are not followed.

A server that answers one byte every few seconds must not hold a worker: each fetch has one
deadline for everything (connect, TLS, headers, body; `VERIFIER_FETCH_TIMEOUT`), enforced by
a timer that closes the socket, and a size limit (`VERIFIER_FETCH_MAX_BYTES`). The fetches of
one verification share a budget (`time_budget`, `VERIFIER_CHECK_TIMEOUT`), and a process
runs at most `VERIFIER_MAX_CONCURRENT_FETCHES` fetches at once, so the verifier can never
take every thread of a web worker. Answers are kept for a minute so a page of checks
fetches each document once.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
CACHE_SECONDS = 60
MAX_DEPTH = 64  # nesting of a fetched JSON document; real ones are a handful deep
CHUNK = 16 * 1024

# IETF protocol assignments (RFC 6890): never a web server, although ipaddress calls two of
# its addresses global.
_IETF_PROTOCOL = ipaddress.ip_network("192.0.0.0/24")
# IPv6 ranges whose last 32 bits are an IPv4 address a gateway will connect to.
_EMBEDS_IPV4 = (
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64, well-known prefix (RFC 6052)
    ipaddress.ip_network("64:ff9b:1::/48"),  # NAT64, local-use prefix (RFC 8215)
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765 SIIT)
)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated (RFC 4291 §2.5.5.1)


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
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "verifier_deadline", default=None
)
_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _allow_private() -> bool:
    return bool(getattr(settings, "VERIFIER_ALLOW_PRIVATE_ADDRESSES", settings.DEBUG))


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is one on the public internet, IPv4 inside IPv6 included."""
    if ip.is_multicast or not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return ip not in _IETF_PROTOCOL
    if ip in _IPV4_COMPATIBLE:
        return False
    inner: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        inner.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        inner.append(ip.sixtofour)
    if ip.teredo is not None:
        inner.extend(ip.teredo)
    if any(ip in network for network in _EMBEDS_IPV4):
        inner.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return all(is_public_address(address) for address in inner)


# Name lookups run here so the fetch's deadline covers them too (getaddrinfo itself cannot be
# given a timeout); a few at a time, so a slow name server cannot pile up threads.
_lookups = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="verifier-dns")


def _checked_address(host: str, port: int, timeout: float) -> str:
    lookup = _lookups.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        answers = lookup.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        lookup.cancel()
        raise TimeoutError from None
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host} could not be found.") from None
    addresses = [str(answer[4][0]) for answer in answers]
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    if not _allow_private():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not is_public_address(ip):
                raise FetchError(
                    f"The host {host} points at a private or local network address ({ip}); "
                    "this verifier only fetches documents from the public internet."
                )
    return addresses[0]


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """All fetches inside share one deadline (a verification fetches a credential, a DID
    document or two and a status list). Nested budgets keep the outer, earlier deadline."""
    if seconds is None:
        seconds = float(getattr(settings, "VERIFIER_CHECK_TIMEOUT", 10))
    outer = _deadline.get()
    mine = time.monotonic() + seconds
    token = _deadline.set(mine if outer is None else min(outer, mine))
    try:
        yield
    finally:
        _deadline.reset(token)


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    wanted = max(1, int(getattr(settings, "VERIFIER_MAX_CONCURRENT_FETCHES", 2)))
    with _slots_lock:
        if _slots is None or _slots[0] != wanted:
            _slots = (wanted, threading.BoundedSemaphore(wanted))
        return _slots[1]


def _shut(holder: list[socket.socket]) -> None:
    """Close the connection under a reader that is still waiting (the deadline passed)."""
    with contextlib.suppress(OSError):
        # socket.socket's own shutdown: an SSLSocket's would touch TLS state in use.
        socket.socket.shutdown(holder[0], socket.SHUT_RDWR)


def fetch_bytes(url: str, *, accept: str = "application/json") -> bytes:
    parts = urlsplit(url)
    try:
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{url} is not a valid address.") from None
    if parts.scheme not in ("https", "http") or not host:
        raise FetchError(f"{url} is not an http(s) address.")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise FetchError(f"{url} is not served over HTTPS; only HTTPS addresses are fetched.")
    if parts.username or parts.password:
        raise FetchError(f"{url} carries a user name or password; it is not fetched.")
    timeout = float(getattr(settings, "VERIFIER_FETCH_TIMEOUT", 5))
    limit = int(getattr(settings, "VERIFIER_FETCH_MAX_BYTES", 2 * 1024 * 1024))
    start = time.monotonic()
    deadline = start + timeout
    shared = _deadline.get()
    if shared is not None and shared < deadline:
        deadline = shared
    if deadline - start <= 0:
        raise FetchError(f"{url} was not fetched: the verifier's time for this check ran out.")
    slots = _semaphore()
    # A short wait only: a request waiting here holds one of the web server's threads.
    if not slots.acquire(timeout=min(0.2, deadline - start)):
        raise FetchError(
            f"{url} was not fetched: the verifier is busy fetching other documents. "
            "Try again in a minute."
        )
    try:
        return _fetch(url, parts.scheme, host, port, parts, accept, deadline, limit)
    except TimeoutError:
        raise FetchError(f"{url} did not answer within {deadline - start:.0f} seconds.") from None
    finally:
        slots.release()


def _fetch(
    url: str,
    scheme: str,
    host: str,
    port: int,
    parts: Any,
    accept: str,
    deadline: float,
    limit: int,
) -> bytes:
    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining

    address = _checked_address(host, port, left())
    try:
        raw = socket.create_connection((address, port), timeout=left())
    except TimeoutError:
        raise
    except OSError:
        raise FetchError(f"{url} could not be reached (no connection).") from None
    holder: list[socket.socket] = [raw]
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, args=(holder,))
    watchdog.daemon = True
    watchdog.start()
    connection = http.client.HTTPConnection(host, port, timeout=left())
    try:
        sock: socket.socket = raw
        if scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
            holder[0] = sock  # before the handshake, so the deadline can cut it short too
            try:
                sock.do_handshake()
            except (ssl.SSLError, ssl.CertificateError):
                if time.monotonic() >= deadline:
                    raise TimeoutError from None
                raise FetchError(f"{url} has no valid HTTPS certificate.") from None
        sock.settimeout(left())
        connection.sock = sock
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        if ":" in host and not netloc.startswith("["):
            netloc = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
        connection.request(
            "GET",
            path,
            headers={"Host": netloc, "Accept": accept, "User-Agent": "Microcred verifier"},
        )
        response = connection.getresponse()
        if response.status != 200:
            # Only a 410's body means something (an OB 2.0 revocation reason).
            gone = b""
            if response.status == 410:
                sock.settimeout(left())
                gone = response.read1(min(limit, 64 * 1024))
            raise StatusError(
                f"{url} answered HTTP {response.status}.", status=response.status, body=gone
            )
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and len(declared) < 19 and int(declared) > limit:
            raise FetchError(f"{url} is larger than {limit // 1024} KB; it is not read.")
        body = bytearray()
        while len(body) <= limit:
            sock.settimeout(left())
            chunk = response.read1(min(CHUNK, limit + 1 - len(body)))
            if not chunk:
                break
            body += chunk
        if len(body) > limit:
            raise FetchError(f"{url} is larger than {limit // 1024} KB; it is not read.")
        left()
        return bytes(body)
    except (FetchError, TimeoutError):
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if time.monotonic() >= deadline:
            raise TimeoutError from None
        raise FetchError(f"{url} could not be reached ({type(error).__name__}).") from None
    finally:
        watchdog.cancel()
        connection.close()
        with contextlib.suppress(OSError):
            holder[0].close()


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply a JSON value nests (counted without recursion), stopping past `limit`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def fetch_json(url: str) -> Any:
    """A JSON document from the web, cached for a minute."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(url)
        if hit and hit[0] > now:
            return hit[1]
    body = fetch_bytes(url, accept="application/did+json, application/ld+json, application/json")
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise FetchError(f"{url} did not answer with JSON.") from None
    if depth(document) > MAX_DEPTH:
        raise FetchError(f"{url} answered with JSON nested too deeply to be a real document.")
    with _lock:
        if len(_cache) > 512:
            _cache.clear()
        _cache[url] = (now + CACHE_SECONDS, document)
    return document


def forget() -> None:
    """Drop cached documents (tests, and after our own status lists change)."""
    with _lock:
        _cache.clear()
