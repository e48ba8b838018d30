"""Turn an uploaded file (PDF or plain text) into text for the parser.

Extraction is kept apart from parsing: ``ingest.parser`` only ever sees a ``str``.
Everything that can go wrong here raises :class:`ExtractionError` with a sentence a
clerk can read; no other exception type escapes :func:`extract_text`.

PDFs and images are recognised by their magic bytes, never by file name. The DWC-posted
letters are AES-encrypted with an empty user password, so every PDF is opened with
the password ``""``. Pages are joined with a form feed (``\\f``), which the parser
treats as a line break.

PDF text comes from PDFium (``pypdfium2``): 4-5 ms per real DWC letter against pypdf's
55-66 ms. PDFium's text is normalised to pypdf's conventions (``\\n`` line ends, a
hyphen that ends a line kept with its line break), so the parser reads the same
letter either way; tests/ingest/test_extractors_real.py checks this on every real PDF
in ../shared. A PDF that PDFium refuses to open is read with pypdf, and
``Extracted.extractor`` says which one read it.

Scans are read by OCR (``ingest.ocr``, Tesseract): image files (TIFF, PNG, JPEG), and the
pages of a PDF that have no text layer but show an image. A mixed PDF keeps each text page's
own text and OCRs only the others; the extractor is then "pdfium+ocr" ("ocr" when every page
was a scan), and ``Extracted.ocr_pages`` and ``ocr_confidence`` say what OCR read. A PDF
whose every page has text never reaches OCR: the text path does no more work than before.
"""

from __future__ import annotations

import codecs
import ctypes
import io
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

from ingest import ocr

ExtractorName = Literal["pdfium", "pypdf"]

# A PDF may have junk before the header (some mailers prepend bytes); the spec lets
# readers look within the first 1024 bytes.
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024

# Fewer non-blank characters than this in the whole document means there is no
# usable text layer (scanned pages, or a PDF of empty pages).
MIN_TEXT_CHARS = 20
# MIN_TEXT_CHARS non-blank characters, blanks between them allowed.
_SOME_TEXT_RE = re.compile(rf"\S(?:\s*\S){{{MIN_TEXT_CHARS - 1}}}")

# Share of control characters (other than tab, newline, carriage return, form feed)
# above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.02

_TEXT_CONTROLS = frozenset("\t\n\r\f")


class ExtractionError(Exception):
    """The file could not be turned into text; the message says why."""


class OcrWaiting(ExtractionError):
    """The file is a scan, and OCR cannot run here: the message says what to install."""


# Extracted.extractor of a letter read (wholly or partly) by OCR.
OCR = "ocr"


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    kind: Literal["pdf", "text", "image"]
    # "pdfium", "pypdf", "ocr", "pdfium+ocr" (a mixed PDF), or the text encoding
    # ("utf-8", "cp1252").
    extractor: str
    page_count: int  # 1 for text files
    warnings: tuple[str, ...] = ()
    # 1-based numbers of the PDF's pages without any text (a blank last page, or a scanned
    # page with no text layer); whether one is worth a review is ingest.pipeline's call.
    blank_pages: tuple[int, ...] = ()
    # 1-based numbers of the pages read by OCR, and the mean confidence of its words (0-100).
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: float | None = None


def extract_text(
    data: bytes,
    filename: str = "",
    extractor: ExtractorName = "pdfium",
    ocr_limits: ocr.OcrLimits | None = None,
) -> Extracted:
    """Return the text of ``data``: a PDF, an image (detected by content) or a text file.

    ``filename`` is used only in error messages. ``extractor`` picks the PDF text
    extractor tried first: PDFium, falling back to pypdf for a file PDFium cannot
    open; or pypdf alone. ``ocr_limits`` bound the OCR of scans (default: the settings).
    Raises :class:`OcrWaiting` for a scan when Tesseract is not installed.
    """
    label = filename or "file"
    if not data:
        raise ExtractionError(f"empty file: {label} has no bytes")
    if PDF_MAGIC in data[:PDF_MAGIC_WINDOW]:
        if extractor == "pdfium":
            pages = _pdfium_pages(data)
            if pages is not None:
                scans = _scanned_pages(data, pages)
                if scans:
                    return _pdf_with_ocr(data, pages, scans, label, ocr_limits)
                return _pdf_result(pages, "pdfium", label)
        return _pdf_with_pypdf(data, label)
    if ocr.is_image(data):
        return _image_result(data, label, ocr_limits)
    return _decode_text(data, label)


def _scanned_pages(data: bytes, pages: list[str]) -> list[int]:
    """The (1-based) pages to read by OCR: almost no text (under MIN_TEXT_CHARS non-blank
    characters, such as a fax header) and an image. Looks into the PDF again only when a
    page has so little text, which a PDF with a text layer on every page never has."""
    sparse = [n for n, page in enumerate(pages, start=1) if _SOME_TEXT_RE.search(page) is None]
    return ocr.has_images(data, sparse) if sparse else []


def _pdf_with_ocr(
    data: bytes, pages: list[str], scans: list[int], label: str, limits: ocr.OcrLimits | None
) -> Extracted:
    """A PDF some of whose pages are scans: those pages' text read by OCR, the others' kept."""
    has_text = any(_SOME_TEXT_RE.search(p) for n, p in enumerate(pages, 1) if n not in scans)
    try:
        read = ocr.read_images(
            ocr.pdf_page_images(data, scans),
            len(scans),
            limits or ocr.OcrLimits.from_settings(),
            label,
        )
    except ocr.OcrUnavailable as exc:
        if not has_text:
            raise OcrWaiting(f"scanned PDF: {label} has no text layer; {exc}") from exc
        # The text pages are still read; the blank-page findings flag the scanned ones.
        result = _pdf_result(pages, "pdfium", label)
        note = f"{_page_list(scans)} scanned and not read by OCR: {exc}"
        return Extracted(**{**_fields(result), "warnings": (*result.warnings, note)})
    except ocr.OcrRefused as exc:
        raise ExtractionError(str(exc)) from exc
    pages = list(pages)
    for n, page in zip(scans, read, strict=True):
        pages[n - 1] = page.text
    text = "\f".join(pages)
    if _SOME_TEXT_RE.search(text) is None:
        raise ExtractionError(
            f"no text: {label} has {len(pages)} scanned page(s) in which OCR found no text"
        )
    return Extracted(
        text=text,
        kind="pdf",
        extractor=f"pdfium+{OCR}" if has_text else OCR,
        page_count=len(pages),
        blank_pages=_blank_pages(pages),
        ocr_pages=tuple(scans),
        ocr_confidence=ocr.mean_confidence(read),
    )


def _image_result(data: bytes, label: str, limits: ocr.OcrLimits | None) -> Extracted:
    """An image file (a TIFF may have many pages) read by OCR."""
    try:
        count, images = ocr.image_pages(data, label)
    except ValueError as exc:
        raise ExtractionError(str(exc)) from exc
    try:
        read = ocr.read_images(images, count, limits or ocr.OcrLimits.from_settings(), label)
    except ocr.OcrUnavailable as exc:
        raise OcrWaiting(f"scanned image: {label}; {exc}") from exc
    except ocr.OcrRefused as exc:
        raise ExtractionError(str(exc)) from exc
    pages = [page.text for page in read]
    text = "\f".join(pages)
    if _SOME_TEXT_RE.search(text) is None:
        raise ExtractionError(f"no text: OCR found no text in the {count} page(s) of {label}")
    return Extracted(
        text=text,
        kind="image",
        extractor=OCR,
        page_count=count,
        blank_pages=_blank_pages(pages),
        ocr_pages=tuple(range(1, count + 1)),
        ocr_confidence=ocr.mean_confidence(read),
    )


def _fields(extracted: Extracted) -> dict[str, Any]:
    return {name: getattr(extracted, name) for name in Extracted.__slots__}


def _page_list(numbers: list[int]) -> str:
    """ "page 2 was" / "pages 2, 3 were" """
    if len(numbers) == 1:
        return f"page {numbers[0]} was"
    return f"pages {', '.join(map(str, numbers))} were"


# PDFium writes U+0002 for a hyphen that ends a line (and then no line break); pypdf
# prints the hyphen and the break. Lines end in "\r\n" in PDFium's text, "\n" in pypdf's.
# (Two str.replace calls: str.translate with a mapping looks up every character, 25x
# slower, a quarter of a millisecond per real letter.)
def _as_pypdf_writes(text: str) -> str:
    return text.replace("\r", "").replace("\x02", "-\n")


def _pdfium_pages(data: bytes) -> list[str] | None:
    """The text of each page as PDFium reads it, or None if PDFium cannot open the file
    (pypdf then decides whether it is unreadable, locked or merely unusual).

    Pages and text pages go through PDFium's own functions (``pypdfium2.raw``), not the
    wrapper objects, whose finalizers and bookkeeping cost about a quarter of a
    millisecond per letter; and each page's text is read in one call into a buffer sized
    from its character count, where the wrapper measures it first with a second full
    pass. The text is the same as ``PdfTextPage.get_text_bounded()`` over the page's
    bounding box (checked on every real PDF in ../shared).
    """
    import pypdfium2  # imported lazily: text uploads and the parser never need it
    import pypdfium2.raw as pdfium

    try:
        document = pypdfium2.PdfDocument(data, password="")
    except pypdfium2.PdfiumError:
        return None
    try:
        pages: list[str] = []
        box = pdfium.FS_RECTF()
        for index in range(len(document)):
            page = pdfium.FPDF_LoadPage(document, index)
            if not page:
                return None
            try:
                textpage = pdfium.FPDFText_LoadPage(page)
                if not textpage or not pdfium.FPDF_GetPageBoundingBox(page, box):
                    return None
                try:
                    pages.append(_as_pypdf_writes(_bounded_text(textpage, box)))
                finally:
                    pdfium.FPDFText_ClosePage(textpage)
            finally:
                pdfium.FPDF_ClosePage(page)
        return pages
    finally:
        document.close()


def _bounded_text(textpage: Any, box: Any) -> str:
    """The text of ``textpage`` inside ``box``: FPDFText_GetBoundedText, whose count of
    UTF-16 units written includes a terminating NUL. The line breaks it inserts are
    generated characters, so three units per character always suffice; a fuller buffer
    is measured and read again."""
    import pypdfium2.raw as pdfium

    area = (textpage, box.left, box.top, box.right, box.bottom)
    size = 3 * max(pdfium.FPDFText_CountChars(textpage), 0) + 16
    buffer = (ctypes.c_ushort * size)()
    written = pdfium.FPDFText_GetBoundedText(*area, buffer, size)
    if written >= size:
        size = pdfium.FPDFText_GetBoundedText(*area, None, 0) + 1
        buffer = (ctypes.c_ushort * size)()
        written = pdfium.FPDFText_GetBoundedText(*area, buffer, size)
    if written <= 0:
        return ""
    # Only the units written are copied out of the buffer.
    text = ctypes.string_at(buffer, 2 * written).decode("utf-16-le", errors="ignore")
    return text.removesuffix("\x00")


def _blank_pages(pages: list[str]) -> tuple[int, ...]:
    return tuple(n for n, page in enumerate(pages, start=1) if not page.strip())


def _pdf_with_pypdf(data: bytes, label: str) -> Extracted:
    import pypdf  # imported lazily: text uploads and the parser never need it

    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ExtractionError(f"encrypted PDF: {label} needs a password to open")
            pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise ExtractionError(f"unreadable PDF: {label} is truncated or corrupt ({exc})") from exc
    return _pdf_result(pages, "pypdf", label)


def _pdf_result(pages: list[str], extractor: str, label: str) -> Extracted:
    text = "\f".join(pages)
    # Found by a regex that stops at the MIN_TEXT_CHARS-th non-blank character: counting
    # every character (in Python, then by str.split) was most of this function's time.
    if _SOME_TEXT_RE.search(text) is None:
        raise ExtractionError(
            f"no text layer: {label} has {len(pages)} page(s) but no extractable text "
            "(scanned images need OCR first)"
        )
    return Extracted(
        text=text,
        kind="pdf",
        extractor=extractor,
        page_count=len(pages),
        blank_pages=_blank_pages(pages),
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
