"""Where the bytes of an unfinished upload wait: somewhere every web process can append to.

Two places, chosen when an upload is created and remembered on its row:

- `FileStaging`: one file per upload in `UPLOAD_STAGING_DIR`, a directory the web
  processes share (one host's disk, or a volume mounted on every host).
- `S3Staging` (when evidence lives in an object store, `S3_BUCKET`): an S3 multipart
  upload straight to the evidence's final key. S3 takes parts of at least 5 MiB (but the
  last), so bytes short of a part wait in a "tail" object and are sent with the next
  piece; a tail object is named by the offset it ends at, so the row's offset always
  names the tail that goes with it, even when a request dies half-way.

Neither knows who may append or when: the service (earning/services.py) claims the row
before calling `append` and records the new offset after it. Bytes beyond the row's offset
(from a request that died before recording them) are simply overwritten by the next append.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, Any, Protocol, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from microcred.earning.models import UploadSession

COPY_BLOCK = 256 * 1024
# A staging file's bytes are sent on to the disk every this many bytes, while the rest of the
# piece arrives, rather than piling up in memory until the kernel gets round to them: the
# disk works alongside the network, and an upload is on disk soon after its last byte.
WRITEBACK_BYTES = 8 * 1024 * 1024


class StagingLost(Exception):
    """The staged bytes are gone (cleaned up, or cancelled by another request)."""


class Staging(Protocol):
    def create(self, session: UploadSession) -> None:
        """Prepare a place for the bytes; may set fields on the (unsaved) session."""

    def append(self, session: UploadSession, blocks: Iterable[bytes]) -> int:
        """Append the blocks at `session.offset`; return the offset now kept. May update
        the session's part fields (saved by the caller with the offset)."""

    def complete(self, session: UploadSession) -> None:
        """Every byte is staged: put the file together (no-op where it already is)."""

    def head(self, session: UploadSession, length: int) -> bytes:
        """The first bytes of the completed file."""

    def store(self, session: UploadSession, name: str) -> str:
        """Put the completed file into the default storage; return its key there."""

    def discard(self, session: UploadSession) -> None:
        """Forget the staged bytes (never fails if they are already gone)."""


def staging_for_new_upload() -> Staging:
    return S3Staging() if in_object_store() else FileStaging()


def staging_of(session: UploadSession) -> Staging:
    return S3Staging() if session.backend == UploadSession.Backend.S3 else FileStaging()


def in_object_store() -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(default_storage, S3Storage)


# ----------------------------------------------------------------------------- files


class StagedFile(File[bytes]):
    """A finished staging file; FileSystemStorage moves it into place instead of copying."""

    def __init__(self, path: str, name: str) -> None:
        super().__init__(open(path, "rb"), name=name)  # noqa: SIM115 - File closes it
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """Linux's sync_file_range(2) (which Python's os module lacks), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], function)


SYNC_FILE_RANGE = _sync_file_range()
SYNC_FILE_RANGE_WRITE = 2  # start writing the range's dirty pages; do not wait for them


def _start_writeback(fd: int, start: int, end: int) -> None:
    """Start writing the bytes from `start` to `end` to the disk, without waiting for them
    (Linux; elsewhere the kernel's own writeback does it a little later). A failure only
    leaves that to the kernel: the bytes are written either way."""
    if end > start and SYNC_FILE_RANGE is not None:
        SYNC_FILE_RANGE(fd, start, end - start, SYNC_FILE_RANGE_WRITE)


class FileStaging:
    @staticmethod
    def path(session: UploadSession) -> str:
        return os.path.join(settings.UPLOAD_STAGING_DIR, f"{session.token.hex}.part")

    def create(self, session: UploadSession) -> None:
        session.backend = UploadSession.Backend.FILE
        os.makedirs(settings.UPLOAD_STAGING_DIR, exist_ok=True)
        open(self.path(session), "wb").close()

    def append(self, session: UploadSession, blocks: Iterable[bytes]) -> int:
        try:
            handle = open(self.path(session), "r+b")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise StagingLost from None
        with handle:
            handle.seek(session.offset)
            if os.fstat(handle.fileno()).st_size > session.offset:
                handle.truncate()  # what a dead request wrote past the recorded offset
            flushed = unflushed = session.offset
            for block in blocks:
                handle.write(block)
                unflushed += len(block)
                if unflushed - flushed >= WRITEBACK_BYTES:
                    handle.flush()
                    _start_writeback(handle.fileno(), flushed, unflushed)
                    flushed = unflushed
            handle.flush()
            _start_writeback(handle.fileno(), flushed, unflushed)
            return unflushed

    def complete(self, session: UploadSession) -> None:
        pass

    def head(self, session: UploadSession, length: int) -> bytes:
        try:
            with open(self.path(session), "rb") as handle:
                return handle.read(length)
        except FileNotFoundError:
            raise StagingLost from None

    def store(self, session: UploadSession, name: str) -> str:
        path = self.path(session)
        staged = StagedFile(path, name)
        try:
            key = default_storage.save(name, staged)
        finally:
            staged.close()
        with contextlib.suppress(FileNotFoundError):  # moved, or copied by another storage
            os.unlink(path)
        return key

    def discard(self, session: UploadSession) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(session))

    @staticmethod
    def clean_orphans(live: set[uuid.UUID], older_than_ts: float) -> int:
        """Remove staging files of no upload, untouched since `older_than_ts`."""
        directory = str(settings.UPLOAD_STAGING_DIR)
        try:
            names = os.listdir(directory)
        except FileNotFoundError:
            return 0
        kept = {f"{token.hex}.part" for token in live}
        removed = 0
        for name in names:
            if not name.endswith(".part") or name in kept:
                continue
            path = os.path.join(directory, name)
            with contextlib.suppress(FileNotFoundError):
                if os.path.getmtime(path) < older_than_ts:
                    os.unlink(path)
                    removed += 1
        return removed


# ----------------------------------------------------------------------------- object store


class S3Staging:
    def __init__(self) -> None:
        storage: Any = default_storage  # an S3Storage (see staging_for_new_upload)
        self.storage = storage
        self.client: Any = storage.connection.meta.client
        self.bucket: str = storage.bucket_name

    def _key(self, name: str) -> str:
        return str(self.storage._normalize_name(name))

    def _tail(self, session: UploadSession, end: int) -> str:
        return self._key(f"uploads/{session.token.hex}/{end}.tail")

    def create(self, session: UploadSession) -> None:
        extension = os.path.splitext(session.file_name)[1].lower()[:12]
        session.backend = UploadSession.Backend.S3
        session.storage_key = f"evidence/{uuid.uuid4().hex}{extension}"
        begun = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self._key(session.storage_key)
        )
        session.multipart_id = begun["UploadId"]

    def append(self, session: UploadSession, blocks: Iterable[bytes]) -> int:
        part_bytes = int(settings.UPLOAD_PART_BYTES)
        with tempfile.TemporaryFile() as part:  # on disk: memory stays flat
            filled = session.offset - session.parts_bytes
            if filled:
                try:
                    tail = self.client.get_object(
                        Bucket=self.bucket, Key=self._tail(session, session.offset)
                    )["Body"]
                except self.client.exceptions.NoSuchKey:
                    raise StagingLost from None
                for block in iter(lambda: tail.read(COPY_BLOCK), b""):
                    part.write(block)
            for block in blocks:
                while block:
                    taken = block[: part_bytes - filled]
                    block = block[len(taken) :]
                    part.write(taken)
                    filled += len(taken)
                    if filled == part_bytes:
                        self._send_part(session, part, filled)
                        filled = 0
            end = session.parts_bytes + filled
            if filled and end >= session.size:
                self._send_part(session, part, filled)  # the last part may be short
            elif filled:
                part.seek(0)
                self.client.put_object(Bucket=self.bucket, Key=self._tail(session, end), Body=part)
            return end

    def _send_part(self, session: UploadSession, part: IO[bytes], length: int) -> None:
        """Send what `part` holds (exactly `length` bytes) as the next part, and empty it."""
        number = len(session.parts) + 1
        part.seek(0)
        try:
            sent = self.client.upload_part(
                Bucket=self.bucket,
                Key=self._key(session.storage_key),
                UploadId=session.multipart_id,
                PartNumber=number,
                Body=part,
            )
        except self.client.exceptions.NoSuchUpload:  # cancelled meanwhile
            raise StagingLost from None
        session.parts = [*session.parts, {"PartNumber": number, "ETag": sent["ETag"]}]
        session.parts_bytes += length
        part.seek(0)
        part.truncate()

    def complete(self, session: UploadSession) -> None:
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=self._key(session.storage_key),
            UploadId=session.multipart_id,
            MultipartUpload={"Parts": session.parts},
        )
        self._forget_tails(session)

    def head(self, session: UploadSession, length: int) -> bytes:
        got = self.client.get_object(
            Bucket=self.bucket, Key=self._key(session.storage_key), Range=f"bytes=0-{length - 1}"
        )
        return bytes(got["Body"].read())

    def store(self, session: UploadSession, name: str) -> str:
        return session.storage_key  # the multipart upload wrote it in place

    def discard(self, session: UploadSession) -> None:
        with contextlib.suppress(self.client.exceptions.NoSuchUpload):
            self.client.abort_multipart_upload(
                Bucket=self.bucket,
                Key=self._key(session.storage_key),
                UploadId=session.multipart_id,
            )
        self._forget_tails(session)

    def _forget_tails(self, session: UploadSession) -> None:
        prefix = self._key(f"uploads/{session.token.hex}/")
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        for item in listed.get("Contents", []):
            self.client.delete_object(Bucket=self.bucket, Key=item["Key"])

    def clean_orphans(self, live: set[uuid.UUID], older_than: datetime) -> int:
        """Abort multipart uploads and remove tail objects of no upload (a row deleted
        without its bytes, e.g. with its attempt) begun before `older_than`."""
        live_ids = set(
            UploadSession.objects.filter(backend=UploadSession.Backend.S3).values_list(
                "multipart_id", flat=True
            )
        )
        removed = 0
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self._key("evidence/")
        )
        for page in pages:
            for upload in page.get("Uploads", []):
                if upload["UploadId"] in live_ids or upload["Initiated"] >= older_than:
                    continue
                with contextlib.suppress(self.client.exceptions.NoSuchUpload):
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
                removed += 1
        live_tails = {token.hex for token in live}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key("uploads/")
        )
        for page in pages:
            for item in page.get("Contents", []):
                token = item["Key"].rsplit("/", 2)[-2]
                if token in live_tails or item["LastModified"] >= older_than:
                    continue
                self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                removed += 1
        return removed
