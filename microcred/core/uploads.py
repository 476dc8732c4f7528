"""Checking and storing uploaded files.

The type of a file is read from its bytes, never from its name or the browser's
claim; size is bounded; the stored name is random, with the person's file name
kept (sanitized) only for display and downloads.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from microcred.core.errors import Invalid

# Media types by family, with the words people use for them.
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "text/plain": "plain text",
}
IMAGE_TYPES = {
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
}
VIDEO_TYPES = {
    "video/mp4": "MP4 video",
    "video/quicktime": "QuickTime video",
    "video/webm": "WebM video",
}
AUDIO_TYPES = {"audio/mpeg": "MP3 audio", "audio/mp4": "M4A audio"}

KNOWN_BAD = {
    "application/x-msdownload": "Windows program",
    "application/x-executable": "Linux program",
    "application/x-elf": "Linux program",
    "application/x-mach-binary": "macOS program",
    "application/x-sh": "shell script",
    "application/zip": "ZIP archive",
    "application/x-rar-compressed": "RAR archive",
    "application/x-7z-compressed": "7-Zip archive",
}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    label: str


@dataclass(frozen=True)
class StoredUpload:
    name: str  # the storage key
    file_name: str  # sanitized original name, for display and Content-Disposition
    content_type: str
    size: int


SNIFF_BYTES = 8192


def sniff(upload: UploadedFile) -> Sniffed | None:
    """The real type of the file from its first bytes, or None if unrecognized."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> Sniffed | None:
    """The real type of a file from its first bytes (up to SNIFF_BYTES), or None."""
    if not head:
        return None
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime in ("video/x-m4v",):
            mime = "video/mp4"
        label = {**DOCUMENT_TYPES, **IMAGE_TYPES, **VIDEO_TYPES, **AUDIO_TYPES, **KNOWN_BAD}.get(
            mime, f"{kind.extension.upper()} file"
        )
        return Sniffed(mime, label)
    if head.startswith(b"#!"):
        return Sniffed("application/x-sh", "shell script")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A chunk boundary can split a multi-byte character at the very end.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return Sniffed("text/plain", "plain text")
    return None


def sanitize_filename(name: str, fallback: str = "file") -> str:
    """A file name safe to show and to send in Content-Disposition."""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]+", "", name).strip(" .")
    name = re.sub(r"\s+", " ", name)
    if not name:
        return fallback
    stem, ext = os.path.splitext(name)
    return f"{stem[:120]}{ext[:12]}"


def check_and_store(
    upload: UploadedFile,
    *,
    folder: str,
    allowed: dict[str, str],
    max_bytes: int,
    what: str = "file",
) -> StoredUpload:
    """Refuse empty, oversized or wrongly typed files with a message that says what to do;
    store the rest under a random name in `folder`."""
    display = sanitize_filename(upload.name or "", fallback=what)
    size = upload.size or 0
    if size == 0:
        raise Invalid(
            f"“{display}” is empty. Choose the file again; it may not have finished saving."
        )
    if size > max_bytes:
        raise Invalid(
            f"“{display}” is {filesizeformat(size)}; the limit is {filesizeformat(max_bytes)}. "
            "Compress it or link to it instead."
        )
    sniffed = sniff(upload)
    if sniffed is None or sniffed.content_type not in allowed:
        kinds = ", ".join(sorted(set(allowed.values())))
        real = f"a {sniffed.label}" if sniffed else "a file type we cannot recognise"
        raise Invalid(f"“{display}” is {real}. Upload one of: {kinds}.")
    extension = os.path.splitext(display)[1].lower()[:12]
    key = default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", upload)
    return StoredUpload(name=key, file_name=display, content_type=sniffed.content_type, size=size)
