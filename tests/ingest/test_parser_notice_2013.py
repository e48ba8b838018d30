"""2013 "Notice of Independent Medical Review Determination": read, flagged only for what is
missing. The notices here are written for the tests, in the layout issue 24 describes."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.letter import CaseNumberSource, Layout, Outcome, Party, Source
from ingest.parser import parse_letter

LIST = """1) MAXIMUS Federal Services, Inc. has determined the request for a lumbar brace is not
medically necessary and appropriate.
2) MAXIMUS Federal Services, Inc. has determined the request for Omeprazole 20mg #30 is
medically necessary and appropriate.
"""

QUALIFICATIONS = """Medical Qualifications of the Expert Reviewer:
The independent Medical Doctor who made the decision has no affiliation with the employer.
The physician reviewer is Board Certified in Physical Medicine & Rehabilitation and is
licensed to practice in California and Texas. He/she has been in active clinical practice.
"""

SECTIONS = """1) Regarding the request for a lumbar brace:
Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:
The Claims Administrator based its decision on the MTUS ACOEM Chapter 12 Low Back
Complaints, pages 301.
Medical Treatment Guideline(s) Relied Upon by the Expert Reviewer:
The Expert Reviewer based his/her decision on the MTUS Chronic Pain Medical Treatment
Guidelines, pages 9-10. The Expert Reviewer based his/her decision on the Non-MTUS Citation
Official Disability Guidelines (ODG), Low Back Chapter.
Rationale for the Decision:
Lumbar supports have no lasting benefit beyond the acute phase. The request for a lumbar
brace is not medically necessary.

2) Regarding the request for Omeprazole 20mg #30:
Rationale for the Decision:
The worker takes an NSAID and reports dyspepsia. The request for Omeprazole 20mg #30 is
medically necessary.
"""


def notice(
    *,
    title: str = "Notice of Independent Medical Review Determination\nDated: 9/26/2013\n",
    first: str = LIST,
    intro: str = (
        "An application for Independent Medical Review was filed on 9/6/2013 disputing the\n"
        "Utilization Review Denial dated 8/30/2013. A Notice of Assignment and Request for\n"
        "Information was provided to the above parties on 9/23/2013. A decision has been made\n"
        "for each of the treatment and/or services that were in dispute:\n"
    ),
    repeat: str = LIST,
    qualifications: str = QUALIFICATIONS,
    summary: str = (
        "Case Summary:\nDisclaimer: The following case summary was taken directly from the "
        "utilization review\ndenial/modification dated Aug. 30, 2013.\n"
        "\u201cThe patient is a 44 year-old female with a date of injury of 8/28/2001.\u201d\n"
    ),
    sections: str = SECTIONS,
) -> str:
    return (
        f"MAXIMUS FEDERAL SERVICES, INC.\n{title}\n{first}\n"
        f"INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\n{intro}{repeat}\n"
        f"{qualifications}\n{summary}\n{sections}"
    )


def test_a_whole_notice_is_read_without_warnings() -> None:
    got = parse_letter(notice())
    assert got.layout is Layout.NOTICE_2013
    assert got.error is None and got.warnings == ()
    # The notice's date is its decision date; the application filed and the UR denial are
    # the 2016 header's "Application Received" and "UR Denial Date"; the notice of assignment
    # its "Date Assigned".
    assert (got.decision_date, got.application_received, got.ur_denial_date) == (
        date(2013, 9, 26),
        date(2013, 9, 6),
        date(2013, 8, 30),
    )
    assert got.date_assigned == date(2013, 9, 23)
    assert got.date_of_injury == date(2001, 8, 28)
    assert (got.patient.age, got.patient.sex) == (44, "female")
    assert got.reviewer.specialties == ("Physical Medicine & Rehabilitation",)
    assert got.reviewer.licensure_states == ("CA", "TX")
    assert [(i.order, i.treatment, i.outcome) for i in got.items] == [
        (1, "a lumbar brace", Outcome.UPHELD),
        (2, "Omeprazole 20mg #30", Outcome.OVERTURNED),
    ]
    brace, omeprazole = got.items
    assert brace.rationale.startswith("Lumbar supports have no lasting benefit")
    assert [(c.party, c.source, c.document, c.pages) for c in brace.citations] == [
        (Party.CLAIMS_ADMINISTRATOR, Source.ACOEM, "Low Back Complaints", (301,)),
        (Party.REVIEWER, Source.MTUS, "Chronic Pain Medical Treatment Guidelines", (9, 10)),
        (Party.REVIEWER, Source.ODG, "Official Disability Guidelines", ()),
    ]
    # No guideline named for this item: nothing to read, nothing to flag.
    assert omeprazole.citations == ()
    assert omeprazole.medication is not None and omeprazole.medication.ingredients == (
        "omeprazole",
    )


def test_the_summary_is_kept_without_its_disclaimer() -> None:
    got = parse_letter(notice())
    assert got.case_summary.startswith("\u201cThe patient is a 44 year-old female")
    assert "Disclaimer" not in got.case_summary


# Each list writes the same two decisions in another way the layout allows.
LIST_VARIANTS = [
    # "1." instead of "1)"
    LIST.replace("1)", "1.").replace("2)", "2."),
    # no ", Inc."
    LIST.replace(", Inc.", ""),
    # "medically necessary" without "and appropriate"
    LIST.replace(" and appropriate", "").replace(" and\nappropriate", ""),
    # extra spaces, and a line break in the middle of every phrase
    LIST.replace(") MAXIMUS", ")   MAXIMUS").replace(" has determined", "\nhas  determined"),
    # "not" glued to "medically" by the PDF's text layer
    LIST.replace("is not\nmedically", "is notmedically"),
    # all on one line each
    LIST.replace(" not\nmedically", " not medically").replace(" is\nmedically", " is medically"),
    # a page break inside an entry
    LIST.replace("lumbar brace is not\n", "lumbar\f brace is not\n"),
]


@pytest.mark.parametrize("listed", LIST_VARIANTS)
def test_the_list_is_read_however_it_is_printed(listed: str) -> None:
    got = parse_letter(notice(first=listed, repeat=listed))
    assert [(i.treatment, i.outcome) for i in got.items] == [
        ("a lumbar brace", Outcome.UPHELD),
        ("Omeprazole 20mg #30", Outcome.OVERTURNED),
    ]
    assert got.warnings == ()


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        # no "Dated:" line
        ({"title": "Notice of Independent Medical Review Determination\n"}, "notice: notice date"),
        # no sentence with the application and UR denial dates
        ({"intro": "A decision has been made for each of the treatments in dispute:\n"}, "filed"),
        (
            {"intro": "A decision has been made for each of the treatments in dispute:\n"},
            "UR denial",
        ),
        # no qualifications: the reviewer is unknown, not guessed
        ({"qualifications": ""}, "section missing: Medical Qualifications of the Expert Reviewer"),
        ({"qualifications": ""}, "reviewer credentials unreadable: section missing"),
        # no rationale sections at all
        ({"sections": ""}, "item 1: rationale section missing"),
        # a section without its rationale paragraph
        (
            {"sections": SECTIONS.replace("Rationale for the Decision:\nLumbar", "Lumbar")},
            "item 1: 'Rationale for the Decision:' paragraph missing",
        ),
        # the repeat disagrees with the first list
        (
            {"repeat": LIST.replace("is\nmedically", "is not\nmedically")},
            "the two lists of decisions differ; the first one was read",
        ),
        # the rationale says the opposite of the list
        (
            {"sections": SECTIONS.replace("brace is not medically", "brace is medically")},
            "item 1: the rationale ends overturned, the list says upheld",
        ),
        # an entry that is not in the usual wording
        (
            {"first": LIST.replace("is\nmedically necessary", "is\nwithdrawn"), "repeat": ""},
            "1 numbered decisions could not be read",
        ),
        # numbering that skips an entry
        ({"first": LIST.replace("2)", "3)"), "repeat": ""}, "decisions numbered 1, 3, not 1 to 2"),
    ],
)
def test_what_is_missing_is_flagged_never_guessed(changes: dict[str, str], warning: str) -> None:
    got = parse_letter(notice(**changes))
    assert got.error is None and got.items
    assert any(warning in w for w in got.warnings), got.warnings


def test_a_missing_date_stays_empty() -> None:
    got = parse_letter(notice(title="Notice of Independent Medical Review Determination\n"))
    assert got.decision_date is None
    # "dated" in the disclaimer or the narrative is not the notice's date.
    assert got.ur_denial_date == date(2013, 8, 30)


def test_the_first_list_is_read_when_its_repeat_heading_is_lost() -> None:
    text = notice().replace("INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\n", "")
    got = parse_letter(text)
    assert [i.treatment for i in got.items] == ["a lumbar brace", "Omeprazole 20mg #30"]
    assert got.application_received == date(2013, 9, 6)
    assert any("INDEPENDENT MEDICAL REVIEW DECISION" in w for w in got.warnings)


def test_the_case_number_comes_from_the_text_or_else_the_file_name() -> None:
    without = parse_letter(notice(), "CM13-0001234.pdf")
    assert (without.case_number, without.case_number_source) == (
        "CM13-0001234",
        CaseNumberSource.FILE_NAME,
    )
    text = notice(
        title="Notice of Independent Medical Review Determination\nDated: 9/26/2013\n"
        "IMR Case Number: CM13-0005678\n"
    )
    within = parse_letter(text, "CM13-0001234.pdf")
    assert (within.case_number, within.case_number_source) == (
        "CM13-0005678",
        CaseNumberSource.TEXT,
    )


@pytest.mark.parametrize(
    "text",
    [
        # a scan: the text layer holds the letterhead and title only
        "MAXIMUS FEDERAL SERVICES, INC.\nNotice of Independent Medical Review Determination\n"
        "Page 1 of 4\n",
        # the list lost, everything else there
        notice(first="", repeat=""),
    ],
)
def test_a_notice_without_a_readable_decision_is_an_error(text: str) -> None:
    got = parse_letter(text, "CM13-0001234.pdf")
    assert got.layout is Layout.NOTICE_2013
    assert got.items == () and got.error is not None and "2013" in got.error
    assert got.needs_review


def test_an_entry_in_other_words_does_not_swallow_the_next() -> None:
    listed = LIST.replace("is not\nmedically necessary and appropriate", "is\nwithdrawn")
    got = parse_letter(notice(first=listed, repeat=""))
    assert [(i.treatment, i.outcome) for i in got.items] == [
        ("Omeprazole 20mg #30", Outcome.OVERTURNED)
    ]
    assert "1 numbered decisions could not be read" in got.warnings
