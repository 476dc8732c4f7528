"""W3C Bitstring Status List v1.0: the compressed list of revocation bits.

Bit 0 is the left-most bit of the first byte. The list is GZIP-compressed and written as
multibase base64url without padding (a leading `u`). A list of 131,072 entries is 16 KB
before compression and a few dozen bytes after it while few bits are set.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable

MAX_ENCODED = 2 * 1024 * 1024  # refuse larger status lists from strangers
MAX_DECODED = 16 * 1024 * 1024  # 134 million entries: far beyond any real list


class BitstringError(ValueError):
    pass


def encode(size: int, set_bits: Iterable[int]) -> str:
    if size % 8:
        raise BitstringError("A status list's size must be a multiple of 8.")
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise BitstringError(f"Status index {index} is outside a list of {size}.")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The uncompressed bitstring of an `encodedList` (multibase base64url, or plain base64url
    as early drafts wrote it), refusing oversized input and compression bombs."""
    if not isinstance(encoded, str) or not encoded:
        raise BitstringError("The status list has no encodedList.")
    if len(encoded) > MAX_ENCODED:
        raise BitstringError("The status list is too large to check.")
    text = encoded[1:] if encoded[0] == "u" else encoded
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise BitstringError("The status list's encodedList is not base64url.") from None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            data = stream.read(MAX_DECODED + 1)
    except (OSError, EOFError):
        raise BitstringError("The status list's encodedList is not GZIP data.") from None
    if len(data) > MAX_DECODED:
        raise BitstringError("The status list expands beyond any sensible size.")
    return data


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise BitstringError(f"Status index {index} is outside the list ({len(bits) * 8} entries).")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
