"""The tus 1.0.0 resumable upload protocol (https://tus.io/protocols/resumable-upload), as
far as the evidence uploads speak it: core (HEAD, PATCH), creation (POST), termination
(DELETE) and expiration (`Upload-Expires`). This module reads the protocol's headers and
writes its answers; what an upload may do is the services' business.

Cross-site requests: tus clients send no CSRF token, and the upload views are exempt from
Django's check. They stay safe because every request that changes something must carry
`Tus-Resumable: 1.0.0` (`require_version`): an HTML form on another site cannot send a
custom header, and a script on another origin can only send one after a CORS preflight,
which these views never answer with `Access-Control-Allow-*` (so the browser stops
there). The session cookie (SameSite=Lax) is what authenticates the educator.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.utils.http import http_date

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
PATCH_CONTENT_TYPE = "application/offset+octet-stream"
# Read request bodies in blocks small enough to be reused by the allocator, so a worker's
# memory stays flat however large the upload (see bench/upload.py).
READ_BLOCK = 256 * 1024


class ProtocolError(Exception):
    """A request that breaks the protocol; `status` is the one tus prescribes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def response(status: int = 204, text: str = "", **headers: str | int) -> HttpResponse:
    """An answer with the protocol's headers; `text` (a refusal's message for the person
    uploading) is the plain-text body. Header names are given with underscores."""
    answer = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    answer["Tus-Resumable"] = VERSION
    answer["Cache-Control"] = "no-store"
    for name, value in headers.items():
        answer[name.replace("_", "-")] = str(value)
    return answer


def endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every answer of a tus view carries `Tus-Resumable`, refusals included."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            answer = view(request, *args, **kwargs)
        except ProtocolError as error:
            extra = {"Tus_Version": VERSION} if error.status == 412 else {}
            return response(error.status, error.message, **extra)
        except Http404:
            return response(404, "There is no such upload (it may have finished or expired).")
        except PermissionDenied as denied:
            return response(403, str(denied) or "You cannot upload here.")
        answer["Tus-Resumable"] = VERSION
        return answer

    return wrapper


def require_version(request: HttpRequest) -> None:
    """The client speaks our version (and, being able to set this header, is not a form
    on another site: see the module's docstring)."""
    if request.headers.get("Tus-Resumable") != VERSION:
        raise ProtocolError(412, f"Send Tus-Resumable: {VERSION} with every request.")


def options(max_size: int) -> HttpResponse:
    return response(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS, Tus_Max_Size=max_size)


def upload_length(request: HttpRequest) -> int:
    value = request.headers.get("Upload-Length", "")
    if not value.isdigit():
        raise ProtocolError(400, "Say how big the file is (Upload-Length, in bytes).")
    return int(value)


def metadata(request: HttpRequest) -> dict[str, str]:
    """`Upload-Metadata`: comma-separated `key base64value` pairs (the value may be left out)."""
    pairs: dict[str, str] = {}
    for item in request.headers.get("Upload-Metadata", "").split(","):
        if not item.strip():
            continue
        key, _, encoded = item.strip().partition(" ")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ProtocolError(400, f"The metadata “{key}” is not base64 of UTF-8.") from None
    return pairs


def flag(value: str | None) -> bool:
    """A yes/no metadata value: present without a value, or 1/true/on/yes."""
    return value is not None and value.strip().lower() in ("", "1", "true", "on", "yes")


@dataclass(frozen=True)
class Creation:
    """A creation request: the file's length and what its metadata says about it."""

    length: int
    filename: str
    consent: bool
    caption: str


def creation(request: HttpRequest) -> Creation:
    """`filename` (or Uppy's `name`), `consent` (a yes/no flag) and `caption`."""
    pairs = metadata(request)
    return Creation(
        length=upload_length(request),
        filename=pairs.get("filename") or pairs.get("name", ""),
        consent=flag(pairs.get("consent")),
        caption=pairs.get("caption", ""),
    )


def patch_offset(request: HttpRequest) -> int:
    if request.content_type != PATCH_CONTENT_TYPE:
        raise ProtocolError(415, f"Send the file's bytes as {PATCH_CONTENT_TYPE}.")
    value = request.headers.get("Upload-Offset", "")
    if not value.isdigit():
        raise ProtocolError(400, "Say where this piece starts (Upload-Offset, in bytes).")
    return int(value)


def body_length(request: HttpRequest) -> int | None:
    value = request.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def body_blocks(request: HttpRequest) -> Iterator[bytes]:
    """The request body as it arrives, block by block. A connection that drops ends the
    blocks early: what arrived is kept and the client resumes from there."""
    while True:
        try:
            block = request.read(READ_BLOCK)
        except (OSError, UnreadablePostError):
            return
        if not block:
            return
        yield block


def expires(when: datetime) -> str:
    return http_date(when.timestamp())


def status(offset: int, length: int, expires_at: datetime) -> HttpResponse:
    """The answer to HEAD: how much the server has, of how much."""
    return response(
        200, Upload_Offset=offset, Upload_Length=length, Upload_Expires=expires(expires_at)
    )


def created(location: str, expires_at: datetime) -> HttpResponse:
    return response(201, Location=location, Upload_Offset=0, Upload_Expires=expires(expires_at))


def progressed(offset: int, expires_at: datetime) -> HttpResponse:
    return response(204, Upload_Offset=offset, Upload_Expires=expires(expires_at))
