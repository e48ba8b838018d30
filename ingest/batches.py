"""Upload batches: keep every uploaded file, then save each through the loader.

``create_batch`` records one ``IngestFile`` per letter (zips expanded member by
member, refusals recorded with their reason). ``process_batch`` saves the pending
files one at a time through ``ingest.loader.save_prepared`` -- the path the ``ingest``
command takes -- each in one transaction with the file's own status, so a worker
killed mid-batch leaves every file either done or pending, never a letter half-saved.

Who is processing a batch is known to PostgreSQL itself: the processor holds a
session advisory lock on the batch id (``batch_lock``), released by the server when the
process dies. Handing a batch to the background worker, and resuming stalled ones, is
``ingest.tasks``'s (it imports this module, never the reverse).
"""

from __future__ import annotations

import codecs
import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction

from ingest.loader import save_prepared
from ingest.models import FileKind, FileStatus, IngestBatch, IngestFile
from ingest.ocr import is_image
from ingest.pipeline import prepare_letter, sha256_hex
from ingest.sources import Limits, is_zip, iter_zip_bytes, too_large
from ingest.text import MAX_CONTROL_SHARE, PDF_MAGIC, PDF_MAGIC_WINDOW

logger = logging.getLogger("ingest")

# Small batches are processed before the upload page returns; larger ones in the worker.
INLINE_MAX_FILES = 5
INLINE_MAX_BYTES = 1024 * 1024

# First key of the two-key advisory lock (pg_try_advisory_lock(int, int)): this app's
# "batch processing" namespace; the second key is the batch id.
BATCH_LOCK_NAMESPACE = 4_1170


def limits() -> Limits:
    return Limits(
        max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
        max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES,
        max_archive_members=settings.INGEST_MAX_ARCHIVE_MEMBERS,
    )


def detect_kind(data: bytes) -> FileKind:
    """PDF, zip, scanned image or text by content (a ``.pdf`` name on a zip is a zip)."""
    if PDF_MAGIC in data[:PDF_MAGIC_WINDOW]:
        return FileKind.PDF
    if is_zip(data):
        return FileKind.ZIP
    if is_image(data):
        return FileKind.IMAGE
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FileKind.TEXT
    if not data.strip() or b"\x00" in data:
        return FileKind.UNKNOWN
    sample = data[:65536].decode("utf-8", errors="replace")
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f")
    # As ingest.text: a few control characters at most in a real letter.
    return FileKind.TEXT if controls <= MAX_CONTROL_SHARE * len(sample) else FileKind.UNKNOWN


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file, already read (uploads are bounded by INGEST_MAX_BATCH_BYTES)."""

    name: str
    data: bytes


def create_batch(uploads: list[Upload], user: Any = None) -> IngestBatch:
    """Record a batch and one file per letter; nothing is parsed yet."""
    file_limits = limits()
    with transaction.atomic():
        batch = IngestBatch.objects.create(
            uploaded_by=user, uploaded_names=", ".join(u.name for u in uploads)[:5000]
        )
        position = 0
        for upload in uploads:
            for record in _records(upload, file_limits):
                position += 1
                record.batch = batch
                record.position = position
                record.save()
    return batch


def _records(upload: Upload, file_limits: Limits) -> Iterator[IngestFile]:
    kind = detect_kind(upload.data)
    if kind is FileKind.ZIP:
        for member in iter_zip_bytes(upload.data, upload.name, file_limits):
            if member.data is None:
                # An archive that cannot be read at all is kept as it came; a refused
                # member (unsafe path, zip bomb, too large) is recorded with the reason.
                whole = upload.data if member.name == upload.name else None
                yield _record(member.name, whole, FileKind.ZIP, member.error or "refused")
            else:
                yield _record(member.name, member.data, detect_kind(member.data))
        return
    if len(upload.data) > file_limits.max_file_bytes:
        refusal = too_large(len(upload.data), file_limits.max_file_bytes)
        yield _record(upload.name, None, kind, refusal)
        return
    yield _record(upload.name, upload.data, kind)


def _record(name: str, data: bytes | None, kind: FileKind, refusal: str = "") -> IngestFile:
    record = IngestFile(name=name[:500], kind=kind)
    if data is not None:
        record.size = len(data)
        record.sha256 = sha256_hex(data)
        record.file = ContentFile(data, name=_stored_name(name))
    if refusal:
        record.mark(FileStatus.FAILED, refusal)
    elif kind is FileKind.ZIP:
        record.mark(FileStatus.FAILED, "refused: a zip archive inside a zip archive")
    elif kind is FileKind.UNKNOWN:
        record.mark(
            FileStatus.FAILED,
            "refused: not a PDF, text, scanned image or zip file (checked by content)",
        )
    return record


def _stored_name(name: str) -> str:
    base = PurePosixPath(name.split("!")[-1].replace("\\", "/")).name
    return base[-100:] or "letter"


def is_small(batch: IngestBatch) -> bool:
    """Few and small enough to process before the upload page returns."""
    pending = list(batch.files.pending().values_list("size", flat=True))
    return len(pending) <= INLINE_MAX_FILES and sum(pending) <= INLINE_MAX_BYTES


@contextmanager
def batch_lock(batch_id: int, *, wait: bool = False) -> Iterator[bool]:
    """Hold PostgreSQL's session advisory lock for this batch; yields whether it was got.

    The server drops the lock when the holder's connection ends, so a killed worker
    never leaves a batch locked.
    """
    with connection.cursor() as cursor:
        fn = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        cursor.execute(f"SELECT {fn}(%s, %s)", [BATCH_LOCK_NAMESPACE, batch_id])
        row = cursor.fetchone()
    got = wait or bool(row and row[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [BATCH_LOCK_NAMESPACE, batch_id]
                )


def process_batch(batch_id: int) -> int:
    """Save every pending file of the batch; returns how many this call processed.

    Returns at once (0) when another process holds the batch.
    """
    done = 0
    with batch_lock(batch_id) as got:
        if not got:
            return 0
        while True:
            next_id = (
                IngestFile.objects.pending()
                .filter(batch_id=batch_id)
                .order_by("position", "id")
                .values_list("pk", flat=True)
                .first()
            )
            if next_id is None:
                break
            process_file(int(next_id))
            done += 1
        IngestBatch.objects.filter(pk=batch_id, finished_at=None).update(
            finished_at=datetime.datetime.now(tz=datetime.UTC)
        )
    return done


def process_file(file_id: int) -> None:
    """Extract, parse and save one pending file, and mark it, in one transaction."""
    record = IngestFile.objects.get(pk=file_id)
    try:
        with record.file.open("rb") as fh:
            data = fh.read()
        # Extraction and parsing touch no database: done before the transaction opens.
        prepared = prepare_letter(record.name, data)
        with transaction.atomic():
            locked = (
                IngestFile.objects.select_for_update(skip_locked=True)
                .filter(pk=file_id, status=FileStatus.PENDING)
                .first()
            )
            if locked is None:
                return  # done meanwhile, or being done by another process
            result = save_prepared(prepared, data)
            locked.mark(result.status.value, result.message, list(result.warnings))
            locked.determination_id = result.determination_id
            locked.save()
    except Exception as exc:
        # A bug or a storage error must not leave the batch stuck on this file.
        logger.exception("ingest of uploaded file %s failed", file_id)
        record.mark(FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        IngestFile.objects.filter(pk=file_id, status=FileStatus.PENDING).update(
            status=record.status, message=record.message, processed_at=record.processed_at
        )
