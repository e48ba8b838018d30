"""Pages without text (issue 23, "False review flags"): a review reason only where such a
page could hide part of the letter, otherwise a note (ingest.pipeline.blank_page_findings).

The real-letter check at the end reads ../shared and is skipped without it; nothing from
the letters is stored here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.letter import Layout, ParsedLetter
from ingest.pipeline import blank_page_findings, prepare_letter
from synth.letters import generate_letters
from synth.pdf import text_to_pdf

COMPLETE = ParsedLetter(layout=Layout.DWC_2016, text="...")
INCOMPLETE = ParsedLetter(layout=Layout.DWC_2016, text="...", warnings=("section missing: X",))
FAILED = ParsedLetter(layout=Layout.UNKNOWN, text="...", error="not an IMR letter")

INSIDE = "page 2 has no text, and later pages do: check the original for a scanned page"


@pytest.mark.parametrize(
    ("blank_pages", "page_count", "parsed", "review", "notes"),
    [
        # no blank page: nothing to say
        ((), 3, COMPLETE, (), ()),
        # a blank last page of a letter read in full: a note, no flag
        ((3,), 3, COMPLETE, (), ("page 3 is blank, after the letter's last text",)),
        # two blank pages at the end: one note naming both
        ((3, 4), 4, COMPLETE, (), ("pages 3-4 are blank, after the letter's last text",)),
        # a blank page with text after it may be a scanned page of the letter: flagged
        ((2,), 3, COMPLETE, (INSIDE,), ()),
        # ... the first page too
        (
            (1,),
            2,
            COMPLETE,
            ("page 1 has no text, and later pages do: check the original for a scanned page",),
            (),
        ),
        # a blank last page when fields are missing: what is missing may be on it
        (
            (3,),
            3,
            INCOMPLETE,
            (
                "page 3 has no text, and the parse is incomplete: "
                "check the original for what the parser could not read there",
            ),
            (),
        ),
        # ... or when nothing could be read
        (
            (2, 3),
            3,
            FAILED,
            (
                "pages 2-3 have no text, and the parse is incomplete: "
                "check the original for what the parser could not read there",
            ),
            (),
        ),
        # one inside and one at the end, letter read in full: the inside one is flagged,
        # the last one is a note
        ((2, 4), 4, COMPLETE, (INSIDE,), ("page 4 is blank, after the letter's last text",)),
    ],
)
def test_blank_pages_are_flagged_only_where_they_could_hide_content(
    blank_pages, page_count, parsed, review, notes
):
    assert blank_page_findings(blank_pages, page_count, parsed) == (review, notes)


@pytest.fixture(scope="module")
def letter_text() -> str:
    """A synthetic letter the parser reads in full."""
    letter = next(
        letter
        for letter in generate_letters(20, seed=7)
        if not prepare_letter("x.txt", letter.text.encode()).parsed.needs_review
    )
    return letter.text


def test_a_pdf_ending_with_a_blank_page_is_not_flagged(letter_text):
    prepared = prepare_letter("letter.pdf", text_to_pdf(letter_text + "\f"))
    assert prepared.parsed is not None and not prepared.parsed.needs_review
    assert prepared.extractor == "pdfium"
    assert len(prepared.notes) == 1 and prepared.notes[0].endswith("after the letter's last text")


def test_a_pdf_with_a_blank_page_inside_is_flagged(letter_text):
    lines = letter_text.split("\n")
    half = len(lines) // 2
    text = "\n".join(lines[:half]) + "\f\f" + "\n".join(lines[half:])
    prepared = prepare_letter("letter.pdf", text_to_pdf(text, lines_per_page=500))
    assert prepared.parsed is not None
    assert any("later pages do" in w for w in prepared.parsed.warnings)
    assert prepared.notes == ()


LETTERS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "letters"
FOLDERS = ("dwc-2016", "dwc-2016-labelled")
PDFS = sorted(p for folder in FOLDERS for p in (LETTERS_DIR / folder).glob("*.pdf"))


@pytest.mark.real_letters
@pytest.mark.skipif(
    not PDFS, reason=f"real PDFs not found in {LETTERS_DIR}/{{{','.join(FOLDERS)}}}"
)
def test_no_real_letter_is_flagged_for_a_blank_last_page():
    # Before this rule 3 of the 122 real PDFs were flagged "page N has no text", each for a
    # blank last page of a letter otherwise read in full.
    flagged, noted = [], []
    for path in PDFS:
        prepared = prepare_letter(path.name, path.read_bytes())
        assert prepared.parsed is not None, path.name
        if any("no text" in w for w in prepared.parsed.warnings):
            flagged.append(path.name)
        if prepared.notes:
            noted.append(path.name)
    assert flagged == []
    assert len(noted) >= 1
