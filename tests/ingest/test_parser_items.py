"""ingest.items: disputed items, their outcomes, partial authorizations and paragraphs."""

from __future__ import annotations

import pytest

from ingest.items import read_items
from ingest.letter import Outcome
from ingest.sections import normalize

INTRO = "The Final Determination was based on decisions for the disputed items/services set forth below:"
CA = "Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines."
MAX = "MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): 9."
WHY = "Decision rationale: The request is not medically necessary."


def _issues(*headings: str, sep: str = "\n\n") -> str:
    blocks = [INTRO] + [f"{h}{sep}{CA}{sep}{MAX}{sep}{WHY}" for h in headings]
    return normalize(sep.join(blocks))


@pytest.mark.parametrize(
    ("heading", "expected_heading", "outcome"),
    [
        # the usual one-line heading
        ("Zanaflex 4mg #90: Upheld", "Zanaflex 4mg #90", Outcome.UPHELD),
        # two spaces before the outcome, other case
        (
            "Bone scan of the left wrist:  OVERTURNED",
            "Bone scan of the left wrist",
            Outcome.OVERTURNED,
        ),
        # colons and parentheses inside the heading
        (
            "Retrospective Meloxicam 7.5mg #30 (DOS: 10/02/16) (NSAID): Upheld",
            "Retrospective Meloxicam 7.5mg #30 (DOS: 10/02/16) (NSAID)",
            Outcome.UPHELD,
        ),
        # the heading wraps over three lines
        (
            "Aquatic therapy for the lumbar spine and both knees, two times a week\n"
            "for six weeks, with a home program and a reassessment after the\nsixth visit: Upheld",
            "Aquatic therapy for the lumbar spine and both knees, two times a week for six weeks, "
            "with a home program and a reassessment after the sixth visit",
            Outcome.UPHELD,
        ),
        # the outcome alone on the next line
        ("Cervical pillow purchase:\nOverturned", "Cervical pillow purchase", Outcome.OVERTURNED),
        # a page break inside the heading, mid-line
        (
            "Home health aide four hours a day \fthree days a week: Upheld",
            "Home health aide four hours a day three days a week",
            Outcome.UPHELD,
        ),
        # a page break inside the heading with blank lines around it
        (
            "Home health aide four hours a day\n \n\fthree days a week: Upheld",
            "Home health aide four hours a day three days a week",
            Outcome.UPHELD,
        ),
        # a trailing full stop after the outcome
        ("Gym membership: Upheld.", "Gym membership", Outcome.UPHELD),
    ],
)
def test_headings(heading, expected_heading, outcome):
    got = read_items(_issues(heading))
    assert [(i.heading, i.outcome) for i in got.items] == [(expected_heading, outcome)]
    assert got.warnings == ()


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_several_items_with_and_without_blank_lines(sep):
    # the pdf of some letters has no blank line anywhere: headings start after the
    # finished sentence that ends the previous rationale
    got = read_items(
        _issues(
            "Item one 10mg #30: Upheld",
            "Item two\nwrapped: Overturned",
            "Item three: Upheld",
            sep=sep,
        )
    )
    assert [(i.order, i.heading, i.outcome) for i in got.items] == [
        (1, "Item one 10mg #30", Outcome.UPHELD),
        (2, "Item two wrapped", Outcome.OVERTURNED),
        (3, "Item three", Outcome.UPHELD),
    ]
    assert got.items[0].claims_administrator_guideline == CA.split(": ", 1)[1]
    assert got.items[0].maximus_guideline == MAX.split(": ", 1)[1]
    assert got.items[2].rationale == WHY.split(": ", 1)[1]
    assert got.warnings == ()


@pytest.mark.parametrize(
    ("paragraph", "treatment", "original", "authorized", "outcome"),
    [
        # the usual wording, wrapped, with a line that ends in a full stop
        (
            "Gabapentin 300mg #90 was the original request.\nGabapentin 300mg #45 was authorized by the\n"
            "Claims Administrator. The remaining IMR eligible portion of the original request,\n"
            "Gabapentin 300mg #45 is: Upheld",
            "Gabapentin 300mg #45",
            "Gabapentin 300mg #90",
            "Gabapentin 300mg #45",
            Outcome.UPHELD,
        ),
        # the outcome on its own line
        (
            "Massage therapy times 10 was the original request. Massage therapy times 4 was\n"
            "authorized by the Claims Administrator. The remaining IMR eligible portion of the\n"
            "original request, Massage therapy times 6 is:\nOverturned",
            "Massage therapy times 6",
            "Massage therapy times 10",
            "Massage therapy times 4",
            Outcome.OVERTURNED,
        ),
        # the whole request left eligible after a different authorization
        (
            "Work hardening program was the original request. The Claims Administrator\n"
            "authorized a screening only for a work hardening program, leaving the original request\n"
            "IMR eligible. The original request, Work hardening program is: Overturned",
            "Work hardening program",
            "Work hardening program",
            "a screening only for a work hardening program",
            Outcome.OVERTURNED,
        ),
    ],
)
def test_partial_authorizations(paragraph, treatment, original, authorized, outcome):
    got = read_items(_issues("Walker purchase: Upheld", paragraph))
    first, item = got.items
    assert first.heading == "Walker purchase" and not first.partial
    assert item.partial
    assert (item.treatment, item.original_request, item.authorized_portion, item.outcome) == (
        treatment,
        original,
        authorized,
        outcome,
    )
    assert item.heading == " ".join(paragraph.split()).rsplit(":", 1)[0].rstrip(":")
    assert got.warnings == ()


@pytest.mark.parametrize(
    ("issues", "count", "warning"),
    [
        # no outcome printed: read from the rationale, with a warning
        (normalize(f"{INTRO}\nKnee brace\n{CA}\n{MAX}\n{WHY}"), 1, "outcome not printed"),
        # a paragraph missing
        (
            normalize(f"{INTRO}\nKnee brace: Upheld\n{CA}\n{WHY}"),
            1,
            "'MAXIMUS guideline:' paragraph missing",
        ),
        # no outcome anywhere: reported
        (
            normalize(f"{INTRO}\nKnee brace\n{CA}\n{MAX}\nDecision rationale: see file."),
            1,
            "no outcome",
        ),
        # nothing but the opening sentence
        (normalize(INTRO), 0, "no disputed items"),
    ],
)
def test_items_warn_for_what_is_missing(issues, count, warning):
    got = read_items(issues)
    assert len(got.items) == count
    assert any(warning in w for w in got.warnings), got.warnings


def test_an_empty_section_reads_nothing_quietly():
    assert read_items("").items == ()
