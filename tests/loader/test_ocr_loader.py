"""A scan is saved like any letter (issue 26): it records that OCR read it and how confident
OCR was, its page says so, its original is kept; without Tesseract it is kept waiting for
OCR, and re-parsing picks it up once Tesseract is there. Past a limit it is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from determinations.choices import ReviewStatus
from determinations.models import Determination
from ingest import ocr
from ingest.loader import Status, ingest_bytes
from ingest.pipeline import WAITING_FOR_OCR
from ingest.reparse import reparse_outdated
from synth.pdf import text_to_pdf
from tests.ingest.test_ocr import image_pdf, render
from tests.loader.conftest import letter_text

pytestmark = pytest.mark.django_db

needs_tesseract = pytest.mark.skipif(
    ocr.unavailable_reason() is not None, reason=f"no Tesseract here: {ocr.INSTALL_HINT}"
)


def scan(case: str = "CM17-5000001") -> bytes:
    """The loader tests' one-page letter as a 200-dpi image-only PDF."""
    return image_pdf(render(text_to_pdf(letter_text(case)), 200), 200)


@needs_tesseract
def test_a_scan_is_saved_with_its_extractor_confidence_items_and_original(analyst_client):
    data = scan()
    result = ingest_bytes("scan.pdf", data)
    assert result.status is Status.NEW, result
    det = Determination.objects.get(pk=result.determination_id)
    assert det.text_extractor == "ocr"
    assert det.ocr_confidence is not None and det.ocr_confidence > 90
    assert det.review_status == ReviewStatus.OK
    assert det.case_number == "CM17-5000001"
    assert list(det.items.order_by("order").values_list("outcome", flat=True)) == [
        "upheld",
        "overturned",
    ]
    with det.source_file.open("rb") as fh:
        assert fh.read() == data
    page = analyst_client.get(reverse("determinations:detail", args=[det.pk])).content.decode()
    assert "Scan, read by OCR (Tesseract)" in page
    assert "OCR confidence" in page


@needs_tesseract
def test_a_scan_read_with_low_confidence_is_flagged_for_review_with_that_reason(settings):
    settings.OCR_REVIEW_CONFIDENCE = 0.999
    result = ingest_bytes("scan.pdf", scan())
    assert result.status is Status.NEEDS_REVIEW
    det = Determination.objects.get(pk=result.determination_id)
    assert det.review_status == ReviewStatus.NEEDS_REVIEW
    assert any(w.startswith("read by OCR with low confidence") for w in det.parse_warnings)


@needs_tesseract
def test_past_the_page_limit_a_scan_is_refused_with_that_reason(settings):
    settings.OCR_MAX_PAGES = 1
    two_pages = image_pdf(render(text_to_pdf(letter_text() + "\f" + letter_text()), 100), 100)
    result = ingest_bytes("long.pdf", two_pages)
    assert result.status is Status.FAILED
    assert "the limit is 1 (setting OCR_MAX_PAGES)" in result.message
    assert not Determination.objects.exists()


@needs_tesseract
def test_without_tesseract_a_scan_is_kept_waiting_and_a_reparse_reads_it_later(
    monkeypatch, analyst_client
):
    data = scan()
    with monkeypatch.context() as missing:
        missing.setattr(ocr, "tessdata_dir", lambda: None)
        result = ingest_bytes("scan.pdf", data)
        det = Determination.objects.get(pk=result.determination_id)
        assert det.text_extractor == WAITING_FOR_OCR
        assert det.review_status == ReviewStatus.FAILED
        assert det.parse_error.startswith("waiting for OCR: ")
        assert "apt-get install tesseract-ocr tesseract-ocr-eng" in det.parse_error
        with det.source_file.open("rb") as fh:
            assert fh.read() == data
        page = analyst_client.get(reverse("determinations:detail", args=[det.pk]))
        assert "waiting for OCR" in page.content.decode()
        # Still no Tesseract: a re-parse leaves it waiting.
        assert reparse_outdated() == {"reparsed": 0, "changed": 0, "failed": 1}
    # Tesseract is there now: the admin's "re-parse outdated letters" reads it.
    assert reparse_outdated() == {"reparsed": 1, "changed": 1, "failed": 0}
    det.refresh_from_db()
    assert det.text_extractor == "ocr"
    assert det.ocr_confidence is not None
    assert det.review_status == ReviewStatus.OK
    assert det.case_number == "CM17-5000001"
    assert det.items.count() == 2


@needs_tesseract
def test_an_uploaded_png_scan_is_read_through_the_admin_batch(admin_client):
    """An admin upload of a scanned page (PNG): detected as a scan by its bytes, read by
    OCR through the same batch path as any letter."""
    import io

    from ingest.batches import Upload, create_batch, process_batch

    page = render(text_to_pdf(letter_text("CM17-5000009")), 200)[0]
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    batch = create_batch([Upload("fax-scan.png", buffer.getvalue())])
    process_batch(batch.pk)
    record = batch.files.get()
    assert record.kind == "image"
    assert record.status in ("new", "needs_review"), record.message
    letter = Determination.objects.get(case_number="CM17-5000009")
    assert letter.text_extractor == "ocr"
    assert letter.items.exists()
