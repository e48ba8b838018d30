"""PDFium and pypdf give the parser the same letter, on every real PDF in ../shared.

PDFium replaced pypdf as the PDF text extractor (12-14x faster on the DWC letters);
pypdf remains the fallback for files PDFium refuses. The switch must not change a
single parse: items, outcomes, header fields, citations and every other field of
``ParsedLetter`` are compared; the raw text and the three section texts, whose
whitespace differs, are compared with whitespace folded (sections) or not at all. Skipped
when ../shared/letters is absent; nothing from the letters is stored here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ingest.parser import parse_letter
from ingest.text import extract_text

pytestmark = pytest.mark.real_letters

LETTERS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "letters"
FOLDERS = ("dwc-2016", "dwc-2016-labelled")
PDFS = sorted(p for folder in FOLDERS for p in (LETTERS_DIR / folder).glob("*.pdf"))

# Kept as printed: pypdf ends most lines with a space, PDFium does not. Compared with
# whitespace folded (as the search vector and the pages read them).
SECTIONS = ("how_made", "case_summary", "issues_text")

needs_letters = pytest.mark.skipif(
    not PDFS, reason=f"real PDFs not found in {LETTERS_DIR}/{{{','.join(FOLDERS)}}}"
)


@needs_letters
def test_both_folders_are_read() -> None:
    for folder in FOLDERS:
        assert any(p.parent.name == folder for p in PDFS), folder


@needs_letters
@pytest.mark.parametrize("path", PDFS, ids=[f"{p.parent.name}/{p.name}" for p in PDFS])
def test_pdfium_and_pypdf_parse_the_same(path: Path) -> None:
    data = path.read_bytes()
    pdfium = extract_text(data, path.name)
    pypdf = extract_text(data, path.name, extractor="pypdf")
    assert pdfium.extractor == "pdfium"  # no real letter needs the fallback
    assert pypdf.extractor == "pypdf"
    assert pdfium.page_count == pypdf.page_count
    assert pdfium.warnings == pypdf.warnings
    from_pdfium = parse_letter(pdfium.text)
    from_pypdf = parse_letter(pypdf.text)
    assert from_pdfium.items, "a real letter has disputed items"
    assert len(from_pdfium.items) == len(from_pypdf.items)
    for ours, theirs in zip(from_pdfium.items, from_pypdf.items, strict=True):
        assert ours.outcome == theirs.outcome, ours.order
        assert ours.citations == theirs.citations, ours.order
        assert ours == theirs, ours.order
    for section in SECTIONS:
        assert _folded(getattr(from_pdfium, section)) == _folded(getattr(from_pypdf, section))
    blank = dict.fromkeys(("text", *SECTIONS), "")
    assert replace(from_pdfium, **blank) == replace(from_pypdf, **blank)


def _folded(text: str) -> str:
    return " ".join(text.split())
