"""ingest.sections: normalising extracted text and cutting it into sections."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import sections
from ingest.sections import lower_same_length, normalize, split_sections


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Windows line endings and lone carriage returns
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        # a form feed (page break) is a line break, even mid-line
        ("for 4 \fweeks: Upheld", "for 4\nweeks: Upheld"),
        # trailing and leading spaces go, inner runs fold
        ("  Decision   rationale:  x  \n", "Decision rationale: x"),
        # runs of blank lines become one blank line; blank lines at the ends go
        ("\n\na\n \n\n\t\nb\n\n", "a\n\nb"),
        # no-break spaces, tabs and zero-width characters from extractors
        ("Date\u00a0Assigned:\t11/23/2016\u200b", "Date Assigned: 11/23/2016"),
        # a byte-order mark at the start
        ("\ufeffHOW THE IMR", "HOW THE IMR"),
        # the 2014 double spacing: an empty line after every printed line, and a
        # printed blank line (a lone space) for a paragraph break
        (
            "l1 \n\nl2 \n\nl3 \n\nl4 \n\n \n\nl5 \n\nl6 \n\nl7 \n\nl8 \n\nl9 \n\nl10 \n\n",
            "l1\nl2\nl3\nl4\n\nl5\nl6\nl7\nl8\nl9\nl10",
        ),
        # a short text with blank lines is not mistaken for double spacing
        ("a\n\nb\n\nc", "a\n\nb\n\nc"),
        # empty input
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_lower_same_length_keeps_offsets():
    # "İ".lower() is two characters; offsets must not shift
    text = "İstanbul Decision rationale:"
    low = lower_same_length(text)
    assert len(low) == len(text)
    assert low.index("decision") == text.index("Decision")


LETTER = """Case Number: CM16-5000002
HOW THE IMR FINAL DETERMINATION WAS MADE
boilerplate
CLINICAL CASE SUMMARY
summary text
IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:
Item A: Upheld"""


@pytest.mark.parametrize(
    ("text", "header", "how_made", "summary", "issues_start", "missing"),
    [
        # all three sections, header block before them
        (LETTER, "Case Number: CM16-5000002", "boilerplate", "summary text", "The Final", ()),
        # no header (2014 layout)
        (LETTER.split("\n", 1)[1], "", "boilerplate", "summary text", "The Final", ()),
        # headings in other case, without the comma
        (
            "how the imr final determination was made\nx\nClinical Case Summary\ny\n"
            "IMR Issues Decisions and Rationales\nz",
            "",
            "x",
            "y",
            "z",
            (),
        ),
        # the case summary heading lost in extraction
        (
            LETTER.replace("CLINICAL CASE SUMMARY\n", ""),
            "Case Number: CM16-5000002",
            "boilerplate\nsummary text",
            "",
            "The Final",
            ("CLINICAL CASE SUMMARY",),
        ),
        # nothing recognisable
        (
            "just some text",
            "",
            "",
            "",
            "",
            (
                "HOW THE IMR FINAL DETERMINATION WAS MADE",
                "CLINICAL CASE SUMMARY",
                "IMR ISSUES, DECISIONS AND RATIONALES",
            ),
        ),
    ],
)
def test_split_sections(text, header, how_made, summary, issues_start, missing):
    got = split_sections(text)
    assert got.header == header
    assert got.how_made == how_made
    assert got.case_summary == summary
    assert got.issues.startswith(issues_start)
    assert got.missing == missing


def _reference_normalize(text: str) -> str:
    """What normalize() promises, written plainly: one kind of line break, each line's
    whitespace (anything str.split() splits at) folded to single spaces, at most one blank
    line in a row, none at the ends, and the zero-width characters dropped."""
    for zero_width in "\u200b\u200c\u200d\u2060\ufeff":
        text = text.replace(zero_width, "")
    for line_break in ("\r\n", "\r", "\f", "\v", "\u2028", "\u2029", "\x85"):
        text = text.replace(line_break, "\n")
    raw_lines = text.split("\n")
    if sections._is_double_spaced(raw_lines):
        raw_lines = sections._undouble(raw_lines)
    lines: list[str] = []
    for raw in raw_lines:
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# The characters that make normalize() take its slow paths (non-ASCII text, rare
# whitespace, double spacing), mixed with plain words.
_PIECES = st.sampled_from(
    [
        "word",
        "Upheld",
        " ",
        "  ",
        "\n",
        "\n\n",
        " \n",
        "\t",
        "\r\n",
        "\r",
        "\f",
        "\v",
        "\x1c",
        "\x1f",
        "\x85",
        "\xa0",
        "\u1680",
        "\u2003",
        "\u200b",
        "\u2028",
        "\u3000",
        "\ufeff",
        "é",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_it_normalizes_like_the_plain_per_line_rule(text):
    assert normalize(text) == _reference_normalize(text)
