"""Read scanned pages with Tesseract: image files and PDF pages without a text layer.

The letters a claims administrator, attorney or physician holds are often scans or faxes:
image-only PDFs, multi-page TIFFs (1-bit fax G4 among them), PNG or JPEG. Their pages go
through Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-eng``) by way of ``tesserocr``,
which keeps one Tesseract instance per process: measured on 10 pages of real letters at
200 dpi, 1.9 CPU-s a page against 2.9 for pytesseract (a tesseract process per call) and
4.6 for OCRmyPDF, with the same words read (99.7% of the text layer's) and per-word
confidences, which OCRmyPDF's text output has not.

Each page is made upright before it is read: a fax's non-square pixels (200x100 dpi) are
stretched square, pages are grayscale, speckles of 1-bit scans are removed by a median
filter, Tesseract's orientation detection (OSD) turns pages scanned sideways or upside
down, and a page fed crooked is straightened (``deskew``): Tesseract read nothing at all of
some real pages skewed by 2-3 degrees.

Limits (``OcrLimits``, from the settings OCR_MAX_PAGES and OCR_MAX_SECONDS) bound the work
per letter: past either, :class:`OcrRefused` says which. When Tesseract's English data
cannot be found, :class:`OcrUnavailable` says what to install. Pure: no Django (the limits
are read from its settings only when they are configured).
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

# Where Debian, Ubuntu, Fedora, Homebrew and source builds put Tesseract's language data;
# TESSDATA_PREFIX (Tesseract's own variable) is looked at first.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
    "/opt/homebrew/share/tessdata",
)
LANGUAGE = "eng"
INSTALL_HINT = (
    "install Tesseract with its English data (Debian/Ubuntu: apt-get install tesseract-ocr "
    "tesseract-ocr-eng; macOS: brew install tesseract), or set TESSDATA_PREFIX to the folder "
    "holding eng.traineddata; then re-parse the letter"
)

# Image files by their magic bytes, never by name: TIFF (both byte orders), PNG, JPEG.
IMAGE_MAGIC = (b"II*\x00", b"MM\x00*", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

# The resolution assumed for an image file that states none, and the range a PDF page is
# rendered at: its embedded scan's own resolution, within these bounds.
DEFAULT_DPI = 200
MIN_DPI, MAX_DPI = 150, 300
# Scans coarser than this are enlarged to UPSCALED_DPI before reading: at 150 dpi Tesseract
# misreads more small marks (a heading read with a stray full stop after it), at 300 not.
SHARP_DPI, UPSCALED_DPI = 190, 300
# Skews searched by ``deskew``, in degrees either way, and the least one worth correcting.
MAX_SKEW, MIN_SKEW = 5.0, 0.2
# ``deskew`` measures on a copy about this wide (text lines stay distinct at that size).
SKEW_WIDTH = 500
# OSD's confidence in a page's orientation (Tesseract: "15 is reasonably confident") below
# which the page is read as it is: on a page with little text OSD guesses.
MIN_ORIENTATION_CONFIDENCE = 2.0


class OcrUnavailable(Exception):
    """Tesseract (or its English data) is not installed; the message says what to install."""


class OcrRefused(Exception):
    """The letter is past a limit (pages or time); the message says which."""


@dataclass(frozen=True, slots=True)
class OcrLimits:
    """How much OCR one letter may take (the settings OCR_MAX_PAGES, OCR_MAX_SECONDS)."""

    max_pages: int = 30
    max_seconds: float = 300.0

    @classmethod
    def from_settings(cls) -> OcrLimits:
        from django.conf import settings

        default = cls()
        if not settings.configured:
            return default
        return cls(
            max_pages=getattr(settings, "OCR_MAX_PAGES", default.max_pages),
            max_seconds=float(getattr(settings, "OCR_MAX_SECONDS", default.max_seconds)),
        )


@dataclass(frozen=True, slots=True)
class OcrPage:
    text: str
    # Tesseract's word confidences (0-100): their mean is the page's confidence.
    word_confidences: tuple[int, ...]
    # Degrees the page was turned (counter-clockwise) to read it upright.
    turned: int = 0


def mean_confidence(pages: Iterable[OcrPage]) -> float | None:
    """The mean word confidence (0-100) over ``pages``; None when no word was read."""
    confidences = [c for page in pages for c in page.word_confidences]
    return sum(confidences) / len(confidences) if confidences else None


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC)


def unavailable_reason() -> str | None:
    """Why OCR cannot run here (with what to install), or None when it can."""
    try:
        _reader()
    except OcrUnavailable as exc:
        return str(exc)
    return None


def tessdata_dir() -> str | None:
    """The folder holding Tesseract's English data, or None."""
    prefix = os.environ.get("TESSDATA_PREFIX", "")
    candidates = [prefix, str(Path(prefix) / "tessdata")] if prefix else []
    for folder in (*candidates, *TESSDATA_DIRS):
        if (Path(folder) / f"{LANGUAGE}.traineddata").is_file():
            return folder
    return None


class _Reader:
    """Tesseract loaded once per process: the English model and the orientation model. One
    page at a time (a Tesseract instance is not thread-safe; gunicorn may run threads)."""

    def __init__(self, folder: str) -> None:
        self.lock = threading.Lock()
        # Tesseract's own threads only slow down a machine whose cores the ingest workers
        # already keep busy (OCRmyPDF sets the same).
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr

        self.tesserocr = tesserocr
        self.text = tesserocr.PyTessBaseAPI(path=folder, lang=LANGUAGE, psm=tesserocr.PSM.AUTO)
        osd = Path(folder) / "osd.traineddata"
        self.osd = (
            tesserocr.PyTessBaseAPI(path=folder, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
            if osd.is_file()
            else None
        )

    def orientation(self, image: Image) -> int:
        """Degrees to turn ``image`` counter-clockwise to have it upright (0 when unsure)."""
        if self.osd is None:
            return 0
        self.osd.SetImage(image)
        try:
            found = self.osd.DetectOrientationScript()
        except RuntimeError:  # too few characters to tell
            return 0
        if not found or found["orient_conf"] < MIN_ORIENTATION_CONFIDENCE:
            return 0
        return int(found["orient_deg"])

    def read(self, image: Image, timeout_ms: int) -> OcrPage | None:
        """The page's text, or None when ``timeout_ms`` ran out first."""
        with self.lock:
            return self._read(image, timeout_ms)

    def _read(self, image: Image, timeout_ms: int) -> OcrPage | None:
        turned = self.orientation(image)
        if turned:
            image = image.rotate(turned, expand=True, fillcolor=255)
        image = deskew(image)
        self.text.SetImage(image)
        if not self.text.Recognize(timeout=max(1, timeout_ms)):
            return None
        return OcrPage(
            self.text.GetUTF8Text(), tuple(self.text.AllWordConfidences()), turned=turned
        )


@cache
def _loaded_reader(folder: str) -> _Reader:
    return _Reader(folder)


def _reader() -> _Reader:
    folder = tessdata_dir()
    if folder is None:
        raise OcrUnavailable(
            f"Tesseract's English data (eng.traineddata) is missing: {INSTALL_HINT}"
        )
    try:
        return _loaded_reader(folder)
    except (ImportError, RuntimeError) as exc:
        raise OcrUnavailable(f"Tesseract cannot be loaded ({exc}): {INSTALL_HINT}") from exc


def read_images(
    pages: Iterable[Callable[[], Image]], count: int, limits: OcrLimits, label: str
) -> list[OcrPage]:
    """OCR ``count`` pages, each made by calling one of ``pages`` (so that only one page's
    pixels are held at a time). Raises OcrRefused past a limit, OcrUnavailable without
    Tesseract."""
    if count > limits.max_pages:
        raise OcrRefused(
            f"too many scanned pages: {label} has {count} pages to read by OCR; "
            f"the limit is {limits.max_pages} (setting OCR_MAX_PAGES)"
        )
    reader = _reader()
    deadline = time.monotonic() + limits.max_seconds
    out: list[OcrPage] = []
    for make in pages:
        left_ms = int((deadline - time.monotonic()) * 1000)
        page = reader.read(prepare_image(make()), left_ms) if left_ms > 0 else None
        if page is None:
            raise OcrRefused(
                f"OCR took too long: {label} was not read within {limits.max_seconds:g} s "
                f"(read {len(out)} of {count} pages; setting OCR_MAX_SECONDS)"
            )
        out.append(page)
    return out


def prepare_image(image: Image) -> Image:
    """Grayscale, square pixels, and no fax speckles: what Tesseract reads best."""
    from PIL import ImageFilter

    bilevel = image.mode == "1"
    x_dpi, y_dpi = _dpi(image)
    if abs(x_dpi - y_dpi) > 1:
        # A fax at 200x100 dpi: each pixel is twice as tall as wide.
        scale = max(x_dpi, y_dpi)
        size = (round(image.width * scale / x_dpi), round(image.height * scale / y_dpi))
        image = image.convert("L").resize(size)
    if image.mode != "L":
        image = image.convert("L")
    dpi = max(x_dpi, y_dpi)
    if dpi < SHARP_DPI:
        factor = UPSCALED_DPI / dpi
        image = image.resize((round(image.width * factor), round(image.height * factor)))
    if bilevel:
        # Lone black or white pixels (line noise of a fax) go; strokes are wider than 1 px.
        image = image.filter(ImageFilter.MedianFilter(3))
    return image


def deskew(image: Image) -> Image:
    """``image`` turned by the small angle that lines its text up with the rows of pixels.

    The projection-profile method: on a reduced, inverted copy, the angle whose rows' ink
    varies most from row to row (dark text lines, blank gaps between them) is the one at
    which the lines are level; searched in whole degrees, then in tenths around the best.
    """
    from PIL import Image as PILImage
    from PIL import ImageOps

    factor = -(-image.width // SKEW_WIDTH)
    small = ImageOps.invert(image.reduce(factor) if factor > 1 else image)

    def spread(angle: float) -> float:
        turned = small.rotate(angle, resample=PILImage.Resampling.BILINEAR, fillcolor=0)
        # One byte per row: the row's mean ink.
        rows = turned.resize((1, turned.height), PILImage.Resampling.BOX).tobytes()
        mean = sum(rows) / len(rows)
        return sum((r - mean) ** 2 for r in rows)

    coarse = max(range(-int(MAX_SKEW), int(MAX_SKEW) + 1), key=spread)
    best = max((coarse + a / 10 for a in range(-7, 8)), key=spread)
    if abs(best) < MIN_SKEW:
        return image
    return image.rotate(best, resample=PILImage.Resampling.BICUBIC, expand=True, fillcolor=255)


def _dpi(image: Image) -> tuple[float, float]:
    dpi: Any = image.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return float(DEFAULT_DPI), float(DEFAULT_DPI)
    if x <= 0 or y <= 0:
        return float(DEFAULT_DPI), float(DEFAULT_DPI)
    return x, y


def image_pages(data: bytes, label: str) -> tuple[int, Iterable[Callable[[], Image]]]:
    """The pages of an image file (a TIFF may hold many): their count, and a function per
    page returning it. Raises ValueError when the file cannot be decoded."""
    from PIL import Image as PILImage

    try:
        image = PILImage.open(io.BytesIO(data))
        count = int(getattr(image, "n_frames", 1))
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise ValueError(f"unreadable image: {label} ({exc})") from exc

    def page(n: int) -> Callable[[], Image]:
        def load() -> Image:
            image.seek(n)
            frame = image.copy()
            frame.info["dpi"] = image.info.get("dpi", frame.info.get("dpi"))
            return frame

        return load

    return count, (page(n) for n in range(count))


def pdf_page_images(data: bytes, numbers: Iterable[int]) -> Iterable[Callable[[], Image]]:
    """A function per given (1-based) page of a PDF that renders it, grayscale, at the
    resolution of its scan (within MIN_DPI..MAX_DPI)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data, password="")

    def page(n: int) -> Callable[[], Image]:
        def render() -> Image:
            pdf_page = document[n - 1]
            dpi = _scan_dpi(pdf_page)
            dpi = dpi if dpi >= SHARP_DPI else UPSCALED_DPI
            image: Image = pdf_page.render(scale=dpi / 72, grayscale=True).to_pil()
            image.info["dpi"] = (dpi, dpi)
            return image

        return render

    return [page(n) for n in numbers]


def has_images(data: bytes, numbers: Iterable[int]) -> list[int]:
    """Which of the given (1-based) pages of a PDF show an image: a page without text but
    with an image is a scan; one with neither is blank and needs no OCR."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(data, password="")
    try:
        return [
            n
            for n in numbers
            if any(True for _ in document[n - 1].get_objects((pdfium.FPDF_PAGEOBJ_IMAGE,)))
        ]
    finally:
        document.close()


def _scan_dpi(page: Any) -> float:
    """The resolution of the largest image on ``page`` (pixels per inch as placed)."""
    import pypdfium2.raw as pdfium

    best = 0.0
    for obj in page.get_objects((pdfium.FPDF_PAGEOBJ_IMAGE,)):
        try:
            width, height = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # noqa: S112 - an image PDFium cannot measure: try the next one
            continue
        if right - left > 0 and top - bottom > 0:
            # Both axes: a fax's taller pixels are read at its finer resolution.
            best = max(best, width * 72 / (right - left), height * 72 / (top - bottom))
    if not best:
        return float(DEFAULT_DPI)
    return min(max(best, MIN_DPI), MAX_DPI)
