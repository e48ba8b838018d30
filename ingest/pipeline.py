"""extract -> parse for one file, with no database: what the ingest workers run.

Pure and picklable, so ``manage.py ingest --workers N`` can run it in a process
pool while the main process saves results. Never raises for bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.letter import ParsedLetter
from ingest.parser import parse_letter
from ingest.text import ExtractionError, extract_text


@dataclass(frozen=True, slots=True)
class PreparedLetter:
    name: str
    sha256: str
    size: int
    # Set when text could be read (the parse may still carry an error or warnings).
    parsed: ParsedLetter | None
    extractor: str = ""
    # Why no text could be read at all (binary, no text layer, corrupt PDF, empty).
    error: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare_letter(name: str, data: bytes) -> PreparedLetter:
    digest = sha256_hex(data)
    if not data.strip():
        return PreparedLetter(name, digest, len(data), None, error="empty file")
    try:
        extracted = extract_text(data, name)
    except ExtractionError as exc:
        return PreparedLetter(name, digest, len(data), None, error=str(exc))
    parsed = parse_letter(extracted.text, name)
    if extracted.warnings:
        parsed = _with_warnings(parsed, extracted.warnings)
    return PreparedLetter(name, digest, len(data), parsed, extractor=extracted.extractor)


def _with_warnings(parsed: ParsedLetter, warnings: tuple[str, ...]) -> ParsedLetter:
    from dataclasses import replace

    return replace(parsed, warnings=(*warnings, *parsed.warnings))


def prepare_pair(pair: tuple[str, bytes]) -> PreparedLetter:
    """``prepare_letter`` taking one tuple, for ``ProcessPoolExecutor.map``."""
    return prepare_letter(*pair)
