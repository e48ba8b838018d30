"""The letter records which extractor read its text (PDFium, its pypdf fallback, or a
text file's encoding)."""

from __future__ import annotations

import re

import pytest

from determinations.models import Determination
from ingest.loader import Status, ingest_bytes
from synth.pdf import text_to_pdf
from tests.loader.conftest import letter_text

pytestmark = pytest.mark.django_db


def _extractor(name: str, data: bytes) -> str:
    result = ingest_bytes(name, data)
    assert result.status is Status.NEW, result
    return Determination.objects.get(pk=result.determination_id).text_extractor


def test_a_pdf_is_read_by_pdfium():
    assert _extractor("a.pdf", text_to_pdf(letter_text(), encrypt=True)) == "pdfium"


def test_a_pdf_pdfium_refuses_is_read_by_pypdf():
    pdf = text_to_pdf(letter_text(), encrypt=False)
    at = pdf.rindex(b"trailer")  # no /Root in the trailer: PDFium refuses, pypdf recovers
    assert _extractor("b.pdf", pdf[:at] + re.sub(rb"/Root \d+ 0 R", b"", pdf[at:])) == "pypdf"


def test_a_text_file_records_its_encoding():
    assert _extractor("c.txt", letter_text().encode("cp1252")) == "utf-8"
