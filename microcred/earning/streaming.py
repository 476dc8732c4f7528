"""Serving private files from storage with HTTP range requests (RFC 9110 §14).

Video players ask for byte ranges to start playing before the whole file arrives and
to seek; this answers a single range with 206 and the exact bytes, an unsatisfiable
one with 416, and anything else (no Range, several ranges, a stale If-Range) with
the whole file. Files are read from the storage in blocks, never whole: from local disk
by seeking, from an S3-compatible store by asking it for just the bytes of the range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header, http_date

if TYPE_CHECKING:
    from microcred.earning.models import Evidence

BLOCK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    pass


def _number(digits: str) -> int:
    """A byte position; thousands of digits (past what int() converts) mean "past the end"."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else 10**18


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one range asked for, None for "send everything", Unsatisfiable for a range
    wholly past the end of the file."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None  # malformed or several ranges: ignore the header (allowed by the RFC)
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = _number(last)
        if suffix == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = _number(first)
    if start >= size:
        raise Unsatisfiable
    end = _number(last) if last else size - 1
    if end < start:
        return None
    return ByteRange(start, min(end, size - 1))


def _blocks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        remote = getattr(handle, "obj", None)  # django-storages' S3File: a boto3 Object
        if remote is not None:
            if length > 0:
                body = remote.get(Range=f"bytes={start}-{start + length - 1}")["Body"]
                try:
                    yield from body.iter_chunks(BLOCK)
                finally:
                    body.close()
            return
        handle.seek(start)
        remaining = length
        while remaining > 0:
            block = handle.read(min(BLOCK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()


def serve(
    request: HttpRequest,
    *,
    key: str,
    size: int,
    content_type: str,
    file_name: str,
    as_attachment: bool,
    etag: str,
    last_modified: float | None = None,
) -> HttpResponse:
    """Answer a GET for the stored file `key` with range support and safe headers."""
    byte_range: ByteRange | None = None
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    if header and (not if_range or if_range == etag):
        try:
            byte_range = parse_range(header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _secure(response, etag, file_name, as_attachment)
    handle = default_storage.open(key, "rb")
    if byte_range is None:
        streaming = StreamingHttpResponse(_blocks(handle, 0, size), content_type=content_type)
        streaming["Content-Length"] = str(size)
    else:
        streaming = StreamingHttpResponse(
            _blocks(handle, byte_range.start, byte_range.length),
            status=206,
            content_type=content_type,
        )
        streaming["Content-Length"] = str(byte_range.length)
        streaming["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
    if last_modified is not None:
        streaming["Last-Modified"] = http_date(last_modified)
    return _secure(streaming, etag, file_name, as_attachment)


# What a browser may show in place (with `?download=1` it is saved instead).
INLINE_TYPES = ("video/", "image/", "application/pdf", "audio/")


def serve_evidence(request: HttpRequest, item: Evidence, *, download: bool) -> HttpResponse:
    """An evidence file, by `serve`: shown in place when the browser can, saved otherwise;
    the answer varies with Sec-Fetch-Dest, which picks the player page for a video opened
    on its own."""
    inline = not download and item.content_type.startswith(INLINE_TYPES)
    response = serve(
        request,
        key=item.file.name or "",
        size=item.size,
        content_type=item.content_type or "application/octet-stream",
        file_name=item.file_name or "evidence",
        as_attachment=not inline,
        etag=f'"{item.public_id.hex}"',
        last_modified=item.created_at.timestamp(),
    )
    patch_vary_headers(response, ["Sec-Fetch-Dest"])
    return response


def _secure(
    response: HttpResponse | StreamingHttpResponse, etag: str, file_name: str, as_attachment: bool
) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    disposition = content_disposition_header(as_attachment, file_name)
    if disposition:
        response["Content-Disposition"] = disposition
    # A file must never run as a page of this site, whatever its bytes say; the review
    # screen may frame it. (Chromium's PDF viewer refuses to run in a sandbox.)
    policy = "default-src 'none'; frame-ancestors 'self'"
    if response.get("Content-Type", "") != "application/pdf":
        policy += "; sandbox"
    response["Content-Security-Policy"] = policy
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response  # type: ignore[return-value]
