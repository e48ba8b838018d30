"""Turn an uploaded file (PDF or plain text) into text for the parser.

Extraction is kept apart from parsing: ``ingest.parser`` only ever sees a ``str``.
Everything that can go wrong here raises :class:`ExtractionError` with a sentence a
clerk can read; no other exception type escapes :func:`extract_text`.

PDFs are recognised by their ``%PDF-`` magic, never by file name. The DWC-posted
letters are AES-encrypted with an empty user password, so every PDF is opened with
``decrypt("")``. Pages are joined with a form feed (``\\f``), which the parser treats
as a line break.
"""

from __future__ import annotations

import codecs
import io
import logging
from dataclasses import dataclass
from typing import Literal

ExtractorName = Literal["pypdf", "pdfminer"]

# A PDF may have junk before the header (some mailers prepend bytes); the spec lets
# readers look within the first 1024 bytes.
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024

# Fewer non-blank characters than this in the whole document means there is no
# usable text layer (scanned pages, or a PDF of empty pages).
MIN_TEXT_CHARS = 20

# Share of control characters (other than tab, newline, carriage return, form feed)
# above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.02

_TEXT_CONTROLS = frozenset("\t\n\r\f")


class ExtractionError(Exception):
    """The file could not be turned into text; the message says why."""


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    kind: Literal["pdf", "text"]
    extractor: str  # "pypdf", "pdfminer", or the text encoding ("utf-8", "cp1252")
    page_count: int  # 1 for text files
    warnings: tuple[str, ...] = ()


def extract_text(data: bytes, filename: str = "", extractor: ExtractorName = "pypdf") -> Extracted:
    """Return the text of ``data``: a PDF (detected by content) or a text file.

    ``filename`` is used only in error messages. ``extractor`` picks the PDF text
    extractor; pdfminer lays the DWC header out column-wise, which the parser reads too.
    """
    label = filename or "file"
    if not data:
        raise ExtractionError(f"empty file: {label} has no bytes")
    if PDF_MAGIC in data[:PDF_MAGIC_WINDOW]:
        if extractor == "pdfminer":
            return _pdf_with_pdfminer(data, label)
        return _pdf_with_pypdf(data, label)
    return _decode_text(data, label)


def _pdf_with_pypdf(data: bytes, label: str) -> Extracted:
    import pypdf  # imported lazily: text uploads and the parser never need it

    warnings: list[str] = []
    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ExtractionError(f"encrypted PDF: {label} needs a password to open")
            pages: list[str] = []
            for number, page in enumerate(reader.pages, start=1):
                page_text = page.extract_text() or ""
                if not page_text.strip():
                    warnings.append(f"page {number} has no text")
                pages.append(page_text)
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise ExtractionError(f"unreadable PDF: {label} is truncated or corrupt ({exc})") from exc
    return _pdf_result(pages, "pypdf", label, warnings)


def _pdf_with_pdfminer(data: bytes, label: str) -> Extracted:
    from pdfminer.high_level import extract_text as pdfminer_text
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with _quiet("pdfminer"):
            text = pdfminer_text(io.BytesIO(data), password="")
    except PDFPasswordIncorrect as exc:
        raise ExtractionError(f"encrypted PDF: {label} needs a password to open") from exc
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractionError(f"unreadable PDF: {label} is truncated or corrupt ({exc})") from exc
    # pdfminer ends every page with a form feed; drop the last one so pages are
    # *separated* by \f as with pypdf.
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    warnings = [f"page {n} has no text" for n, p in enumerate(pages, start=1) if not p.strip()]
    return _pdf_result(pages, "pdfminer", label, warnings)


def _pdf_result(pages: list[str], extractor: str, label: str, warnings: list[str]) -> Extracted:
    text = "\f".join(pages)
    if sum(not c.isspace() for c in text) < MIN_TEXT_CHARS:
        raise ExtractionError(
            f"no text layer: {label} has {len(pages)} page(s) but no extractable text "
            "(scanned images need OCR first)"
        )
    return Extracted(
        text=text,
        kind="pdf",
        extractor=extractor,
        page_count=len(pages),
        warnings=tuple(warnings),
    )


def _decode_text(data: bytes, label: str) -> Extracted:
    warnings: list[str] = []
    text: str | None = None
    encoding = "utf-8"
    for bom, bom_encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(bom_encoding)
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"not a text file or PDF: {label} ({exc.reason})") from exc
            encoding = "utf-16" if bom_encoding == "utf-16" else "utf-8"
            break
    if text is None:
        if b"\x00" in data:
            raise ExtractionError(f"not a text file or PDF: {label} contains NUL bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Letters saved on Windows are cp1252 (curly quotes as 0x92); latin-1 is the
            # last resort because it decodes any byte.
            for fallback in ("cp1252", "latin-1"):
                try:
                    text = data.decode(fallback)
                except UnicodeDecodeError:
                    continue
                encoding = fallback
                warnings.append(f"decoded as {fallback}")
                break
    assert text is not None  # latin-1 decodes every byte string
    if _looks_binary(text):
        raise ExtractionError(f"not a text file or PDF: {label} is mostly non-printable bytes")
    if not text.strip():
        raise ExtractionError(f"empty file: {label} contains only whitespace")
    return Extracted(
        text=text,
        kind="text",
        extractor=encoding,
        page_count=text.count("\f") + 1,
        warnings=tuple(warnings),
    )


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    # Deleting the control characters in C and comparing lengths: a loop over every
    # character in Python was ~7% of an ingest's Python time.
    controls = len(text) - len(text.translate(_DROP_CONTROLS))
    return controls > MAX_CONTROL_SHARE * len(text)


# C0 and C1 control characters other than line breaks, tabs and form feeds.
_DROP_CONTROLS = dict.fromkeys(
    c for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in _TEXT_CONTROLS
)


class _quiet:
    """Silence a library's logger while it reads a broken file (its warnings are noise
    in the job log; the outcome is reported through Extracted.warnings or an error)."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)
        self._level = self._logger.level

    def __enter__(self) -> None:
        self._logger.setLevel(logging.ERROR + 1)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
