"""ingest.text.extract_text: PDFs by content, text files by encoding, clear errors."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ingest.text import ExtractionError, extract_text


def _pdf(pages: list[str], password: str | None = None) -> bytes:
    """A small PDF whose pages show ``pages`` (Helvetica), optionally AES-encrypted."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(612, 792)
        if text:
            font = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                }
            )
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
            )
            lines = "".join(f"({line}) Tj 0 -14 Td " for line in text.replace("(", "").split("\n"))
            stream = DecodedStreamObject()
            stream.set_data(f"BT /F1 11 Tf 72 720 Td {lines}ET".encode("latin-1"))
            page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LETTER_LINES = (
    "Case Number: CM16-5000001\nDate Assigned: 11/23/2016\nIMR ISSUES, DECISIONS AND RATIONALES"
)


@pytest.mark.parametrize(
    ("data", "kind", "extractor", "text_part", "warnings"),
    [
        # plain UTF-8 text
        (b"Decision rationale: ok\n", "text", "utf-8", "Decision rationale", ()),
        # UTF-8 with a byte-order mark: the BOM is dropped
        (b"\xef\xbb\xbfCLINICAL CASE SUMMARY\n", "text", "utf-8", "CLINICAL", ()),
        # Windows-1252 curly apostrophe: decoded, with a warning
        (b"The worker\x92s claim\n", "text", "cp1252", "worker\u2019s", ("decoded as cp1252",)),
        # a byte cp1252 leaves undefined: latin-1 takes it
        (
            b"Odd byte \x81 in a line of ordinary letter text, long enough\n" * 2,
            "text",
            "latin-1",
            "Odd byte",
            ("decoded as latin-1",),
        ),
        # UTF-16 with BOM (some Windows editors)
        ("MAXIMUS guideline: x\n".encode("utf-16"), "text", "utf-16", "MAXIMUS", ()),
        # form feeds between pages are kept
        (b"page one\fpage two\n", "text", "utf-8", "one\fpage", ()),
    ],
)
def test_it_decodes_text_files(data, kind, extractor, text_part, warnings):
    got = extract_text(data, "letter.txt")
    assert got.kind == kind
    assert got.extractor == extractor
    assert text_part in got.text
    assert got.warnings == warnings


def test_it_reads_pdfs_by_content_not_by_name():
    got = extract_text(_pdf([LETTER_LINES, "second page text here"]), "letter.txt")
    assert got.kind == "pdf"
    assert got.extractor == "pdfium"
    assert got.page_count == 2
    assert "CM16-5000001" in got.text
    assert got.text.count("\f") == 1  # pages separated by a form feed


def test_it_opens_pdfs_encrypted_with_an_empty_password():
    got = extract_text(_pdf([LETTER_LINES], password=""), "x.pdf")
    assert "Date Assigned" in got.text


@pytest.mark.parametrize("extractor", ["pdfium", "pypdf"])
def test_both_extractors_read_the_same_pdf(extractor):
    got = extract_text(_pdf([LETTER_LINES], password=""), "x.pdf", extractor=extractor)
    assert got.extractor == extractor
    assert "CM16-5000001" in got.text
    assert "\r" not in got.text  # PDFium's "\r\n" line ends become "\n", as pypdf's
    assert not got.text.endswith("\f")


def _without_root(pdf: bytes) -> bytes:
    """The PDF with /Root cut from its trailer: PDFium refuses it, pypdf finds the
    catalog object by itself."""
    at = pdf.rindex(b"trailer")
    return pdf[:at] + re.sub(rb"/Root \d+ 0 R", b"", pdf[at:])


def test_a_pdf_pdfium_refuses_is_read_with_pypdf():
    got = extract_text(_without_root(_pdf([LETTER_LINES])), "odd.pdf")
    assert got.extractor == "pypdf"
    assert "CM16-5000001" in got.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # nothing at all
        (b"", "empty file"),
        # only whitespace
        (b"  \n\n ", "empty file"),
        # NUL bytes: a binary file
        (b"MZ\x00\x00\x90\x00binary", "not a text file or PDF"),
        # control characters everywhere (no NUL)
        (bytes(range(1, 32)) * 20, "not a text file or PDF"),
        # a PDF cut short
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "truncated or corrupt"),
    ],
)
def test_it_rejects_what_it_cannot_read(data, message):
    with pytest.raises(ExtractionError, match=message):
        extract_text(data, "upload.bin")


def test_a_truncated_real_shaped_pdf_is_an_extraction_error():
    data = _pdf([LETTER_LINES], password="")
    with pytest.raises(ExtractionError, match="truncated or corrupt"):
        extract_text(data[: len(data) // 2], "half.pdf")


@pytest.mark.parametrize("extractor", ["pdfium", "pypdf"])
def test_a_pdf_without_a_text_layer_is_reported(extractor):
    with pytest.raises(ExtractionError, match="no text layer"):
        extract_text(_pdf(["", ""]), "scan.pdf", extractor=extractor)


def test_a_pdf_with_an_unknown_password_is_reported():
    with pytest.raises(ExtractionError, match="needs a password"):
        extract_text(_pdf([LETTER_LINES], password="secret"), "locked.pdf")
