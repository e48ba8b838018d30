"""Scanned and faxed letters are read by OCR (issue 26): image-only PDFs, multi-page 1-bit G4
TIFFs, rotated and skewed pages, mixed PDFs page by page; and without Tesseract a scan waits.

The scans are made here from synthetic letters (synth/): the letter's text-layer PDF is
rendered by PDFium and turned, skewed, binarised and speckled with Pillow, so no binary
fixture is committed. Few pages at 150-200 dpi keep the OCR to a few CPU-seconds each.
"""

from __future__ import annotations

import io
import random
from functools import cache

import pypdfium2
import pytest
from PIL import Image

from ingest import ocr
from ingest.letter import Layout, ParsedLetter
from ingest.parser import parse_letter
from ingest.pipeline import WAITING_FOR_OCR, ocr_findings, prepare_letter
from ingest.text import Extracted, ExtractionError, extract_text
from synth.letters import SyntheticLetter, generate_letters
from synth.pdf import text_to_pdf

needs_tesseract = pytest.mark.skipif(
    ocr.unavailable_reason() is not None, reason=f"no Tesseract here: {ocr.INSTALL_HINT}"
)


# --- making scans ------------------------------------------------------------------------------


def render(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Each page of ``pdf`` as a grayscale image at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]


def image_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), as a scanner writes one."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def fax_tiff(pages: list[Image.Image], dpi: int, seed: int = 26) -> bytes:
    """A multi-page 1-bit G4 TIFF at dpi x dpi/2 (fax "standard" resolution), with speckles."""
    rng = random.Random(seed)
    frames = []
    for page in pages:
        squashed = page.resize((page.width, page.height // 2))
        frame = squashed.point(lambda v: 255 if v > 150 else 0).convert("1")
        pixels = frame.load()
        for _ in range(frame.width * frame.height // 500):
            pixels[rng.randrange(frame.width), rng.randrange(frame.height)] = rng.choice((0, 255))
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(
        out,
        "TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="group4",
        dpi=(dpi, dpi // 2),
    )
    return out.getvalue()


def mixed_pdf(text_pdf: bytes, scan_pdf: bytes, scanned: set[int]) -> bytes:
    """Page n from ``scan_pdf`` when n is in ``scanned``, else from ``text_pdf``."""
    text, scan = pypdfium2.PdfDocument(text_pdf), pypdfium2.PdfDocument(scan_pdf)
    out = pypdfium2.PdfDocument.new()
    for n in range(1, len(text) + 1):
        out.import_pages(scan if n in scanned else text, [n - 1])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@cache
def two_page_letter() -> SyntheticLetter:
    """A 2016 letter of two pages with more than one disputed item."""
    for letter in generate_letters(40, seed=26, layout="dwc-2016"):
        truth = parse_letter(letter.text, letter.filename)
        pages = len(pypdfium2.PdfDocument(text_to_pdf(letter.text)))
        if pages == 2 and len(truth.items) >= 2 and not truth.warnings:
            return letter
    raise AssertionError("no two-page letter with two items among the first 40")


def read_as_text(letter: SyntheticLetter) -> ParsedLetter:
    return parse_letter(letter.text, letter.filename)


def assert_read_alike(got: ParsedLetter, want: ParsedLetter) -> None:
    """What an analyst relies on: the letter's identity, and each item's outcome and coding."""
    assert got.error is None, got.error
    assert (got.case_number, got.decision_date) == (want.case_number, want.decision_date)
    assert [(i.outcome, i.category, i.subcategory) for i in got.items] == [
        (i.outcome, i.category, i.subcategory) for i in want.items
    ]
    assert [i.treatment for i in got.items] == [i.treatment for i in want.items]


# --- reading scans -----------------------------------------------------------------------------


@needs_tesseract
def test_an_image_only_pdf_is_read_like_its_text_layer():
    letter = two_page_letter()
    scan = image_pdf(render(text_to_pdf(letter.text), 200), 200)
    prepared = prepare_letter("scan.pdf", scan)
    assert prepared.extractor == "ocr"
    assert prepared.ocr_pages == (1, 2)
    assert prepared.ocr_confidence is not None and prepared.ocr_confidence > 90
    assert_read_alike(prepared.parsed, read_as_text(letter))
    assert not prepared.parsed.warnings


@needs_tesseract
def test_a_150_dpi_scan_is_read_too():
    letter = two_page_letter()
    prepared = prepare_letter("scan.pdf", image_pdf(render(text_to_pdf(letter.text), 150), 150))
    assert_read_alike(prepared.parsed, read_as_text(letter))


@needs_tesseract
def test_a_multipage_1_bit_g4_fax_tiff_with_speckles_is_read():
    letter = two_page_letter()
    fax = fax_tiff(render(text_to_pdf(letter.text), 200), 200)
    assert fax.startswith(b"II*\x00")
    prepared = prepare_letter("fax.tif", fax)
    assert (prepared.extractor, prepared.ocr_pages) == ("ocr", (1, 2))
    assert_read_alike(prepared.parsed, read_as_text(letter))


@needs_tesseract
def test_upside_down_sideways_and_skewed_pages_are_turned_and_read():
    letter = two_page_letter()
    first, second = render(text_to_pdf(letter.text), 200)
    pages = [
        first.rotate(180),
        # turned a quarter clockwise, then skewed by 2 degrees (a page fed crooked)
        second.rotate(-90, expand=True).rotate(2, expand=True, fillcolor=255),
    ]
    prepared = prepare_letter("turned.pdf", image_pdf(pages, 200))
    assert prepared.extractor == "ocr"
    assert_read_alike(prepared.parsed, read_as_text(letter))


@pytest.mark.parametrize(
    "skew",
    [
        # straight: left alone
        0.0,
        # a little either way
        0.7,
        -1.3,
        # as crooked as a fed page gets (Tesseract read nothing of real pages at 2-3 degrees)
        2.5,
        -4.2,
    ],
)
def test_a_crooked_page_is_straightened(monkeypatch, skew):
    page = render(text_to_pdf(two_page_letter().text), 150)[0]
    crooked = page.rotate(skew, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    turns: list[float] = []
    rotate = Image.Image.rotate

    def spy(image, angle, *args, **kwargs):
        if kwargs.get("resample") == Image.Resampling.BICUBIC:  # the turn deskew makes
            turns.append(angle)
        return rotate(image, angle, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "rotate", spy)
    straight = ocr.deskew(crooked)
    if skew == 0:
        assert straight is crooked and not turns
    else:
        assert len(turns) == 1 and abs(turns[0] + skew) <= 0.15, turns


@needs_tesseract
def test_a_mixed_pdf_keeps_its_text_pages_and_reads_only_the_scanned_one():
    letter = two_page_letter()
    text_pdf = text_to_pdf(letter.text)
    scan_pdf = image_pdf(render(text_pdf, 200), 200)
    mixed = mixed_pdf(text_pdf, scan_pdf, scanned={2})
    extracted = extract_text(mixed, "mixed.pdf")
    assert (extracted.extractor, extracted.ocr_pages) == ("pdfium+ocr", (2,))
    # Page 1 is its text layer, character for character.
    assert extracted.text.split("\f")[0] == extract_text(text_pdf).text.split("\f")[0]
    assert_read_alike(prepare_letter("mixed.pdf", mixed).parsed, read_as_text(letter))


def test_a_pdf_with_text_on_every_page_never_reaches_ocr(monkeypatch):
    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran on a PDF with a text layer")

    monkeypatch.setattr(ocr, "read_images", no_ocr)
    monkeypatch.setattr(ocr, "has_images", no_ocr)
    letter = two_page_letter()
    prepared = prepare_letter("text.pdf", text_to_pdf(letter.text))
    assert prepared.extractor == "pdfium"
    assert prepared.ocr_confidence is None


def test_a_blank_page_without_an_image_is_not_read_by_ocr(monkeypatch):
    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran on a blank page")

    monkeypatch.setattr(ocr, "read_images", no_ocr)
    extracted = extract_text(text_to_pdf(two_page_letter().text + "\f"), "blank-end.pdf")
    assert extracted.extractor == "pdfium"
    assert extracted.blank_pages == (3,)


# --- without Tesseract: the scan waits ---------------------------------------------------------


@pytest.fixture
def no_tesseract(monkeypatch):
    monkeypatch.setattr(ocr, "tessdata_dir", lambda: None)


@pytest.mark.parametrize(
    "kind",
    [
        # an image-only PDF
        "pdf",
        # a fax TIFF
        "tiff",
    ],
)
def test_without_tesseract_a_scan_waits_for_ocr_saying_what_to_install(no_tesseract, kind):
    pages = render(text_to_pdf(two_page_letter().text), 100)
    data = image_pdf(pages, 100) if kind == "pdf" else fax_tiff(pages, 100)
    prepared = prepare_letter(f"scan.{kind}", data)
    assert prepared.extractor == WAITING_FOR_OCR
    assert prepared.parsed is not None
    assert prepared.parsed.error is not None
    assert prepared.parsed.error.startswith("waiting for OCR: ")
    assert "apt-get install tesseract-ocr tesseract-ocr-eng" in prepared.parsed.error
    # An empty parser version: re-parsing outdated letters reads it again.
    assert prepared.parsed.parser_version == ""


def test_without_tesseract_a_mixed_pdf_keeps_its_text_and_says_what_was_not_read(no_tesseract):
    text_pdf = text_to_pdf(two_page_letter().text)
    mixed = mixed_pdf(text_pdf, image_pdf(render(text_pdf, 100), 100), scanned={1})
    prepared = prepare_letter("mixed.pdf", mixed)
    assert prepared.extractor == "pdfium"
    assert any("page 1 was scanned and not read by OCR" in w for w in prepared.parsed.warnings)


# --- limits ------------------------------------------------------------------------------------


@needs_tesseract
def test_past_the_page_limit_a_scan_is_refused_with_that_reason():
    scan = image_pdf(render(text_to_pdf(two_page_letter().text), 100), 100)
    with pytest.raises(ExtractionError, match=r"2 pages to read by OCR; the limit is 1 \("):
        extract_text(scan, "long.pdf", ocr_limits=ocr.OcrLimits(max_pages=1))


@needs_tesseract
def test_past_the_time_limit_a_scan_is_refused_with_that_reason():
    scan = image_pdf(render(text_to_pdf(two_page_letter().text), 150), 150)
    with pytest.raises(ExtractionError, match=r"OCR took too long: slow.pdf was not read within"):
        extract_text(scan, "slow.pdf", ocr_limits=ocr.OcrLimits(max_seconds=0.01))


@needs_tesseract
def test_the_limits_come_from_the_settings(settings):
    settings.OCR_MAX_PAGES = 1
    prepared = prepare_letter(
        "long.pdf", image_pdf(render(text_to_pdf(two_page_letter().text), 100), 100)
    )
    assert prepared.parsed is None
    assert prepared.error is not None and "setting OCR_MAX_PAGES" in prepared.error


@pytest.mark.parametrize("value", ["0", "-3", "ten", "2.5"])
def test_a_bad_limit_setting_stops_the_start(monkeypatch, value):
    from imr_site.settings import env_positive_int

    monkeypatch.setenv("OCR_MAX_PAGES", value)
    with pytest.raises(ValueError, match="OCR_MAX_PAGES"):
        env_positive_int("OCR_MAX_PAGES", 30)


# --- review flags ------------------------------------------------------------------------------

READ = ParsedLetter(layout=Layout.DWC_2016, text="...", case_number="CM16-0000001")


@pytest.mark.parametrize(
    ("confidence", "parsed", "reasons"),
    [
        # confident, but no items and no decision date: both named
        (95.0, READ, ["read by OCR and decision date, disputed items not found"]),
        # a low confidence
        (61.4, READ, ["read by OCR with low confidence (61%, under 80%)"]),
        # no word read at all
        (None, READ, ["read by OCR with low confidence (no words, under 80%)"]),
    ],
)
def test_a_letter_read_by_ocr_is_flagged_for_low_confidence_or_missing_fields(
    confidence, parsed, reasons
):
    extracted = Extracted("...", "image", "ocr", 1, ocr_pages=(1,), ocr_confidence=confidence)
    found = ocr_findings(extracted, parsed, 0.8)
    for reason in reasons:
        assert any(f.startswith(reason) for f in found), found
