"""ingest.parser.parse_letter on whole (synthetic) letters: layouts, errors, never raising."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.letter import Layout, Outcome, Party, Source, Stock
from ingest.parser import parse_letter

LETTER_2016 = """Case Number: CM16-5000010
Date Assigned: 11/21/2016 Date of Injury: 10/14/2016
Decision Date: 12/19/2016 UR Denial Date: 10/18/2016
Priority: Standard Application
Received:
11/14/2016

HOW THE IMR FINAL DETERMINATION WAS MADE
MAXIMUS Federal Services sent the complete case file to an expert reviewer.

The Expert Reviewer has the following credentials:
State(s) of Licensure: California,Oregon
Certification(s)/Specialty: Orthopedic Surgery

CLINICAL CASE SUMMARY
The injured worker is a 44 year old female with an industrial injury date of 10-14-2016.

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Naproxen 550mg #60: Overturned

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence
for its decision.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016,
Section(s): NSAIDs (non-steroidal anti-inflammatory drugs).

Decision rationale: The request is medically necessary.

Physical therapy 12 sessions was the original request. Physical therapy 6 sessions was
authorized by the Claims Administrator. The remaining IMR eligible portion of the original
request, Physical therapy 6 sessions is: Upheld
\f
Claims Administrator guideline: Decision based on MTUS Low Back Complaints 2004.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016,
Section(s): Physical medicine treatment.

Decision rationale: The request is not medically necessary.
"""


def _double_spaced(text: str) -> str:
    # the 2014 extraction: an empty line after every line, a lone space for a blank line
    return "".join((line or " ") + " \n\n" for line in text.split("\n"))


LETTER_2014 = _double_spaced(
    """HOW THE IMR FINAL DETERMINATION WAS MADE
MAXIMUS Federal Services sent the complete case file to an expert reviewer. The expert
reviewer is Board Certified in Neurology and is licensed to practice in Nevada and Utah.
He/she has been in active clinical practice for more than five years.

CLINICAL CASE SUMMARY
The injured worker is a 38-year-old male who reported an injury on 02/03/2012.

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Tizanidine 4mg #60 (Muscle
Relaxant):  Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines
Page(s): 66.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Muscle
relaxants Page(s): 63-66.

Decision rationale: The request is not medically necessary."""
)


def test_a_2016_letter():
    got = parse_letter(LETTER_2016)
    assert got.layout is Layout.DWC_2016
    assert got.error is None and got.warnings == ()
    assert got.case_number == "CM16-5000010"
    assert (got.date_assigned, got.decision_date, got.date_of_injury) == (
        date(2016, 11, 21),
        date(2016, 12, 19),
        date(2016, 10, 14),
    )
    assert (got.ur_denial_date, got.application_received, got.priority) == (
        date(2016, 10, 18),
        date(2016, 11, 14),
        "Standard",
    )
    assert got.reviewer.licensure_states == ("CA", "OR")
    assert got.reviewer.specialties == ("Orthopedic Surgery",)
    assert (got.patient.age, got.patient.sex) == (44, "female")
    first, second = got.items
    assert (first.heading, first.outcome, first.partial) == (
        "Naproxen 550mg #60",
        Outcome.OVERTURNED,
        False,
    )
    assert [(c.party, c.source, c.stock) for c in first.citations] == [
        (Party.CLAIMS_ADMINISTRATOR, Source.NONE, Stock.NO_EVIDENCE),
        (Party.REVIEWER, Source.MTUS, Stock.NONE),
    ]
    assert first.medication is not None and first.medication.ingredients == ("naproxen",)
    assert (second.treatment, second.partial, second.outcome) == (
        "Physical therapy 6 sessions",
        True,
        Outcome.UPHELD,
    )
    assert second.medication is None
    assert second.rationale == "The request is not medically necessary."


def test_a_2014_double_spaced_letter():
    got = parse_letter(LETTER_2014)
    assert got.layout is Layout.DWC_2014
    assert got.error is None and got.warnings == ()
    assert got.case_number is None and got.decision_date is None
    assert got.date_of_injury == date(2012, 2, 3)
    assert (got.patient.age, got.patient.sex) == (38, "male")
    assert got.reviewer.licensure_states == ("NV", "UT")
    assert got.reviewer.specialties == ("Neurology",)
    (item,) = got.items
    assert item.heading == "Tizanidine 4mg #60 (Muscle Relaxant)"
    assert [c.pages for c in item.citations] == [(66,), (63, 64, 65, 66)]
    assert "\n\n\n" not in got.text


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n"),  # Windows line endings
        lambda t: t.replace("\n\n", "\n"),  # no blank lines at all
        lambda t: t.replace("\n\n", "\n \n\f"),  # page breaks at every paragraph
    ],
)
def test_the_same_letter_in_other_extractions(transform):
    base = parse_letter(LETTER_2016)
    got = parse_letter(transform(LETTER_2016))
    assert got.warnings == ()
    assert [(i.heading, i.outcome, len(i.citations)) for i in got.items] == [
        (i.heading, i.outcome, len(i.citations)) for i in base.items
    ]


NOTICE_2013 = """Notice of Independent Medical Review Determination
Dear Injured Worker:
MAXIMUS Federal Services has completed the Independent Medical Review of case CM13-5000011.
1. MAXIMUS Federal Services, Inc. has determined the request for a lumbar brace is not
medically necessary and appropriate.
2. MAXIMUS Federal Services, Inc. has determined the request for Omeprazole 20mg #30 is
medically necessary and appropriate.
"""


@pytest.mark.parametrize(
    ("text", "layout", "error_part"),
    [
        # a 2013 notice whose list names no MAXIMUS determination: never read as a 2014 letter
        (
            NOTICE_2013.replace("MAXIMUS Federal Services, Inc. has", "The reviewer has"),
            Layout.NOTICE_2013,
            "2013",
        ),
        # a notice that carries final-determination words too, and nothing else
        (
            "Notice of Independent Medical Review Determination\nDecision rationale: see above.",
            Layout.NOTICE_2013,
            "2013",
        ),
        # some other letter
        ("Dear Sir,\nPlease find our invoice for services rendered.", Layout.UNKNOWN, "not an IMR"),
        # empty and blank text
        ("", Layout.UNKNOWN, "empty"),
        ("  \n\f\n ", Layout.UNKNOWN, "empty"),
        # binary-ish garbage decoded as text
        ("\x00\x01\x02%PDF\xff\xfe garbage \x7f" * 50, Layout.UNKNOWN, "not an IMR"),
        # the sections are there but no item could be read
        (
            "HOW THE IMR FINAL DETERMINATION WAS MADE\nx\nCLINICAL CASE SUMMARY\ny\n"
            "IMR ISSUES, DECISIONS AND RATIONALES\nThe items are listed on the next page.",
            Layout.DWC_2014,
            "no disputed items",
        ),
    ],
)
def test_letters_that_cannot_be_read(text, layout, error_part):
    got = parse_letter(text)
    assert got.layout is layout
    assert got.error is not None and error_part in got.error
    assert got.items == ()
    assert got.needs_review


def test_a_notice_without_dates_sections_or_credentials_is_read_and_flagged():
    got = parse_letter(NOTICE_2013)
    assert got.layout is Layout.NOTICE_2013 and got.error is None
    assert [(i.treatment, i.outcome) for i in got.items] == [
        ("a lumbar brace", Outcome.UPHELD),
        ("Omeprazole 20mg #30", Outcome.OVERTURNED),
    ]
    assert "notice: notice date (Dated:) missing" in got.warnings
    assert "item 1: rationale section missing" in got.warnings
    assert "reviewer credentials unreadable: section missing" in got.warnings


def test_warnings_name_what_was_not_read():
    text = LETTER_2016.replace("Decision Date: 12/19/2016 ", "").replace(
        "CLINICAL CASE SUMMARY\n", ""
    )
    got = parse_letter(text)
    assert got.error is None
    assert any("Decision Date" in w for w in got.warnings)
    assert any("CLINICAL CASE SUMMARY" in w for w in got.warnings)


@pytest.mark.parametrize(
    "text",
    [
        # odd inputs that must not raise
        "Decision rationale:" * 200,
        "Claims Administrator guideline:\nMAXIMUS guideline:\nDecision rationale:",
        ": Upheld\n" * 50,
        "Case Number: CM99-9999999\nDate Assigned: 99/99/9999\nDecision rationale: x",
        "Decision based on MTUS Page(s): 1-99999999999999999999 Decision rationale:",
        "\u0130" * 100 + " Decision rationale: x",
    ],
)
def test_it_never_raises(text):
    got = parse_letter(text)
    assert got.error is not None or got.items


def test_a_failing_step_becomes_an_error_not_an_exception(monkeypatch):
    import ingest.parser as parser

    def boom(_issues: str) -> None:
        raise RuntimeError("bug in a step")

    monkeypatch.setattr(parser, "read_items", boom)
    got = parse_letter(LETTER_2016)
    assert got.error is not None and "RuntimeError" in got.error
    assert got.items == ()


def test_a_failing_lookup_becomes_a_warning(monkeypatch):
    import ingest.parser as parser

    def boom(*_args: object) -> None:
        raise ValueError("bad table")

    monkeypatch.setattr(parser, "find_medication", boom)
    monkeypatch.setattr(parser, "categorize", boom)
    got = parse_letter(LETTER_2016)
    assert got.error is None and len(got.items) == 2
    assert any("medication lookup failed" in w for w in got.warnings)
    assert any("category lookup failed" in w for w in got.warnings)
