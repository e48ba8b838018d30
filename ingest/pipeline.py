"""extract -> parse for one file, with no database: what the ingest workers run.

Pure and picklable, so ``manage.py ingest --workers N`` can run it in a process
pool while the main process saves results. Never raises for bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.letter import Layout, ParsedLetter
from ingest.parser import parse_letter
from ingest.text import Extracted, ExtractionError, OcrWaiting, extract_text

# PreparedLetter.extractor of a scan kept until OCR can run here: the letter is saved with
# this error and an empty parser version, so that re-parsing outdated letters (the admin's
# action, ingest.reparse.reparse_outdated) reads it again once Tesseract is installed.
WAITING_FOR_OCR = "ocr-waiting"
# A letter read by OCR whose mean word confidence is below this share is flagged for review
# (the setting OCR_REVIEW_CONFIDENCE); its fields read below are checked as well.
DEFAULT_REVIEW_CONFIDENCE = 0.8


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
    # What is worth knowing but needs no review ("page 3 is blank, after the letter's
    # last text"): never in the parse's warnings, which flag a letter for review.
    notes: tuple[str, ...] = ()
    # Read by OCR: the mean confidence of its words (0-100), and which pages it read.
    ocr_confidence: float | None = None
    ocr_pages: tuple[int, ...] = ()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare_letter(name: str, data: bytes) -> PreparedLetter:
    digest = sha256_hex(data)
    if not data.strip():
        return PreparedLetter(name, digest, len(data), None, error="empty file")
    try:
        extracted = extract_text(data, name)
    except OcrWaiting as exc:
        waiting = ParsedLetter(
            layout=Layout.UNKNOWN, text="", error=f"waiting for OCR: {exc}", parser_version=""
        )
        return PreparedLetter(name, digest, len(data), waiting, extractor=WAITING_FOR_OCR)
    except ExtractionError as exc:
        return PreparedLetter(name, digest, len(data), None, error=str(exc))
    parsed = parse_letter(extracted.text, name)
    review, notes = blank_page_findings(extracted.blank_pages, extracted.page_count, parsed)
    warnings = (*extracted.warnings, *review)
    if extracted.ocr_pages:
        warnings = (*warnings, *ocr_findings(extracted, parsed, review_confidence()))
    if warnings:
        parsed = _with_warnings(parsed, warnings)
    return PreparedLetter(
        name,
        digest,
        len(data),
        parsed,
        extractor=extracted.extractor,
        notes=notes,
        ocr_confidence=extracted.ocr_confidence,
        ocr_pages=extracted.ocr_pages,
    )


def review_confidence() -> float:
    """The setting OCR_REVIEW_CONFIDENCE (a share), or its default outside Django."""
    from django.conf import settings

    if not settings.configured:
        return DEFAULT_REVIEW_CONFIDENCE
    return float(getattr(settings, "OCR_REVIEW_CONFIDENCE", DEFAULT_REVIEW_CONFIDENCE))


def ocr_findings(extracted: Extracted, parsed: ParsedLetter, threshold: float) -> tuple[str, ...]:
    """Review reasons of a letter read by OCR: a low mean confidence, and the fields every
    letter has that were not found (OCR may have misread them)."""
    out: list[str] = []
    confidence = extracted.ocr_confidence
    if confidence is None or confidence < 100 * threshold:
        shown = "no words" if confidence is None else f"{confidence:.0f}%"
        out.append(
            f"read by OCR with low confidence ({shown}, under {100 * threshold:.0f}%): "
            "check the text against the original"
        )
    if parsed.error is None:
        missing = [
            name
            for name, value in (
                ("case number", parsed.case_number),
                ("decision date", parsed.decision_date),
                ("disputed items", parsed.items),
            )
            if not value
        ]
        if missing:
            out.append(f"read by OCR and {', '.join(missing)} not found: check the original")
    return tuple(out)


def blank_page_findings(
    blank_pages: tuple[int, ...], page_count: int, parsed: ParsedLetter
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(review reasons, notes) for a PDF's pages without text.

    A page without text could hide content only where the letter goes on after it (a
    scanned page inside the letter), or where the parse is missing something (the missing
    part may be on that page, as an image). Blank pages after the last page with text
    in a letter read in full are common (3 of the 122 real DWC PDFs in ../shared end with
    one): a note, not a reason to review the letter.
    """
    if not blank_pages:
        return (), ()
    blank = set(blank_pages)
    last_text = max((n for n in range(1, page_count + 1) if n not in blank), default=0)
    inside = [n for n in blank_pages if n < last_text]
    trailing = [n for n in blank_pages if n > last_text]
    review: list[str] = [
        f"page {n} has no text, and later pages do: check the original for a scanned page"
        for n in inside
    ]
    notes: list[str] = []
    if trailing and parsed.needs_review:
        review.append(
            f"{_pages(trailing, 'has', 'have')} no text, and the parse is incomplete: "
            "check the original for what the parser could not read there"
        )
    elif trailing:
        notes.append(f"{_pages(trailing, 'is', 'are')} blank, after the letter's last text")
    return tuple(review), tuple(notes)


def _pages(numbers: list[int], one: str, many: str) -> str:
    """ "page 3 is" / "pages 3-4 are": the subject and verb of a finding (``numbers`` are
    consecutive)."""
    if len(numbers) == 1:
        return f"page {numbers[0]} {one}"
    return f"pages {numbers[0]}-{numbers[-1]} {many}"


def _with_warnings(parsed: ParsedLetter, warnings: tuple[str, ...]) -> ParsedLetter:
    from dataclasses import replace

    return replace(parsed, warnings=(*warnings, *parsed.warnings))


def prepare_pair(pair: tuple[str, bytes]) -> PreparedLetter:
    """``prepare_letter`` taking one tuple, for ``ProcessPoolExecutor.map``."""
    return prepare_letter(*pair)
