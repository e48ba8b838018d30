"""Finding letter files: plain files, folders and .zip archives, read safely.

Pure Python (no Django). Yields (name, bytes) pairs or a refusal with a clear
reason; never raises for bad input. Zip members are guarded against path
traversal names, symlinks, absurd compression ratios (zip bombs) and size limits.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Scans too: image files are read by OCR (ingest.ocr), recognised by content like PDFs.
LETTER_SUFFIXES = (".pdf", ".txt", ".tif", ".tiff", ".png", ".jpg", ".jpeg")
# A real letter compresses maybe 5:1; anything past this ratio is a zip bomb.
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_archive_bytes: int = 500 * 1024 * 1024
    max_archive_members: int = 20_000


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One candidate letter. ``data`` is None when it was refused; ``error`` says why."""

    name: str  # path on disk, or "archive.zip!member.pdf"
    data: bytes | None
    error: str | None = None


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def iter_paths(paths: list[Path], limits: Limits) -> Iterator[SourceFile]:
    """Every letter under the given files and folders, zips opened, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in (*LETTER_SUFFIXES, ".zip"):
                    yield from _read_file(child, limits)
        elif path.exists():
            yield from _read_file(path, limits)
        else:
            yield SourceFile(str(path), None, "no such file or folder")


def count_letters(paths: list[Path]) -> int:
    """How many letters ``iter_paths`` will yield for ``paths`` (for a progress bar), read
    from names and zip directories, not from the files: each missing path, refused zip
    and file counts once (a file that turns out to be a zip inside counts once too)."""
    total = 0
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if child.suffix.lower() in (*LETTER_SUFFIXES, ".zip") and child.is_file():
                    total += _zip_members(child) if child.suffix.lower() == ".zip" else 1
        else:
            total += _zip_members(path) if path.suffix.lower() == ".zip" else 1
    return total


def _zip_members(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return max(1, sum(not m.is_dir() for m in archive.infolist()))
    except (zipfile.BadZipFile, OSError):
        return 1


def _read_file(path: Path, limits: Limits) -> Iterator[SourceFile]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield SourceFile(str(path), None, f"cannot read: {exc.strerror}")
        return
    if path.suffix.lower() == ".zip":
        # Archives are bounded by their own limits, member by member.
        try:
            with zipfile.ZipFile(path) as archive:
                yield from iter_archive(archive, str(path), limits)
        except (zipfile.BadZipFile, OSError) as exc:
            yield SourceFile(str(path), None, f"not a readable zip archive ({exc})")
        return
    if size > limits.max_file_bytes:
        yield SourceFile(str(path), None, too_large(size, limits.max_file_bytes))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield SourceFile(str(path), None, f"cannot read: {exc.strerror}")
        return
    if is_zip(data):
        yield from iter_zip_bytes(data, str(path), limits)
    else:
        yield SourceFile(str(path), data)


def iter_zip_bytes(data: bytes, name: str, limits: Limits) -> Iterator[SourceFile]:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from iter_archive(archive, name, limits)
    except zipfile.BadZipFile as exc:
        yield SourceFile(name, None, f"not a readable zip archive ({exc})")


def iter_archive(archive: zipfile.ZipFile, name: str, limits: Limits) -> Iterator[SourceFile]:
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > limits.max_archive_members:
        yield SourceFile(
            name,
            None,
            f"archive has {len(members):,} files; the limit is {limits.max_archive_members:,}",
        )
        return
    total = 0
    for info in members:
        label = f"{name}!{info.filename}"
        problem = _member_problem(info)
        if problem:
            yield SourceFile(label, None, problem)
            continue
        if PurePosixPath(info.filename).suffix.lower() not in LETTER_SUFFIXES:
            yield SourceFile(label, None, "skipped: not a .pdf or .txt file")
            continue
        if info.file_size > limits.max_file_bytes:
            yield SourceFile(label, None, too_large(info.file_size, limits.max_file_bytes))
            continue
        total += info.file_size
        if total > limits.max_archive_bytes:
            yield SourceFile(
                label,
                None,
                f"archive expands past {limits.max_archive_bytes:,} bytes; stopped reading it",
            )
            return
        try:
            # Read at most the declared size + 1: a lying header cannot make us read more.
            with archive.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            yield SourceFile(label, None, f"cannot read archive member ({exc})")
            continue
        if len(data) > info.file_size:
            yield SourceFile(label, None, "archive member is larger than its header says")
            continue
        yield SourceFile(label, data)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        return "refused: unsafe path in archive (absolute or '..')"
    # Unix mode bits live in the high 16 bits; 0o120000 marks a symlink.
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "refused: symbolic link in archive"
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
        return "refused: compression ratio suggests a zip bomb"
    if info.flag_bits & 0x1:
        return "refused: encrypted archive member"
    return None


def too_large(size: int, limit: int) -> str:
    return f"file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB"
