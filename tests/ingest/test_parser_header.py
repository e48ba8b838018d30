"""ingest.header, ingest.patient, ingest.reviewer, ingest.dates: the letter's facts."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import parse_date
from ingest.header import detect_layout, read_header
from ingest.letter import Layout
from ingest.patient import read_case_summary
from ingest.reviewer import find_credentials, read_reviewer

# The seven values every header variant below carries.
EXPECTED = {
    "case_number": "CM16-5000003",
    "date_assigned": date(2016, 11, 21),
    "decision_date": date(2016, 12, 19),
    "date_of_injury": date(2016, 10, 14),
    "ur_denial_date": date(2016, 10, 18),
    "application_received": date(2016, 11, 14),
    "priority": "Standard",
}

HEADERS = [
    # pypdf, row by row; "Application Received:" wraps, its value on the next line
    """Case Number: CM16-5000003
Date Assigned: 11/21/2016 Date of Injury: 10/14/2016
Decision Date: 12/19/2016 UR Denial Date: 10/18/2016
Priority: Standard Application
Received:
11/14/2016""",
    # pdfminer, column by column, one value kept beside its label, an injury date
    # printed before its label
    """Case Number:
Date Assigned:
Decision Date:
Priority:

CM16-5000003
11/21/2016
12/19/2016
Standard

10/14/2016
Date of Injury:
UR Denial Date: 10/18/2016
11/14/2016
Application
Received:""",
    # pdfminer, the application date between the two words of its label
    """Case Number:
Date Assigned:
Decision Date:
Priority:
CM16-5000003
11/21/2016
12/19/2016
Standard
Date of Injury:
10/14/2016
UR Denial Date: 10/18/2016
Application
11/14/2016
Received:""",
    # pdfminer, all right-column labels then all their values
    """Case Number:
Date Assigned:
Decision Date:
Priority:
CM16-5000003
11/21/2016
12/19/2016
Standard
Date of Injury:
UR Denial Date:
Application
Received:
10/14/2016
10/18/2016
11/14/2016""",
    # every label on its own line with its value
    """Case Number: CM16-5000003
Date Assigned: 11/21/2016
Decision Date: 12/19/2016
Priority: Standard
Date of Injury: 10/14/2016
UR Denial Date: 10/18/2016
Application Received: 11/14/2016""",
]


@pytest.mark.parametrize("header", HEADERS)
def test_read_header_row_and_column_wise(header):
    got = read_header(header)
    assert {k: getattr(got, k) for k in EXPECTED} == EXPECTED
    assert got.warnings == ()


@pytest.mark.parametrize(
    ("header", "field", "value", "warning"),
    [
        # expedited review
        (
            "Case Number: CM17-5000004\nPriority: Expedited",
            "priority",
            "Expedited",
            "Date Assigned missing",
        ),
        # the case number is missing
        ("Date Assigned: 01/02/2017", "case_number", None, "case number unreadable"),
        # an impossible date
        (
            "Case Number: CM17-5000005\nDate Assigned: 02/30/2017",
            "date_assigned",
            None,
            "not a valid date",
        ),
        # labels without enough dates to go round
        (
            "Case Number: CM17-5000006\nDate Assigned:\nDecision Date:\n01/02/2017",
            "date_assigned",
            None,
            "could not match dates",
        ),
    ],
)
def test_read_header_warns_for_what_it_cannot_read(header, field, value, warning):
    got = read_header(header)
    assert getattr(got, field) == value
    assert any(warning in w for w in got.warnings), got.warnings


@pytest.mark.parametrize(
    ("text", "header", "layout"),
    [
        # header block and sections: 2016
        (
            "Case Number: CM16-5000007\nIMR ISSUES, DECISIONS AND RATIONALES\nx",
            "Case Number: CM16-5000007",
            Layout.DWC_2016,
        ),
        # sections, no header: 2014
        (
            "HOW THE IMR FINAL DETERMINATION WAS MADE\nIMR ISSUES, DECISIONS AND RATIONALES",
            "",
            Layout.DWC_2014,
        ),
        # only item labels survived extraction: still a determination
        ("Claims Administrator guideline: Decision based on MTUS.", "", Layout.DWC_2014),
        # the 2013 notice, even with final-determination words in it
        (
            "Notice of Independent\nMedical Review Determination\nDecision rationale: x",
            "",
            Layout.NOTICE_2013,
        ),
        # anything else
        ("Dear Sir, please find the invoice attached.", "", Layout.UNKNOWN),
    ],
)
def test_detect_layout(text, header, layout):
    assert detect_layout(text, header) is layout


@pytest.mark.parametrize(
    ("summary", "age", "sex", "injury"),
    [
        # hyphenated age, injury reported on a numeric date
        (
            "The injured worker is a 61-year-old male who reported an injury on 03/04/1990.",
            61,
            "male",
            date(1990, 3, 4),
        ),
        # spaced age, written-out date
        (
            "The injured worker is a 47 year old female, who sustained an industrial injury on March 9, 2001.",
            47,
            "female",
            date(2001, 3, 9),
        ),
        # "industrial injury date of" with hyphens
        (
            "The injured worker is a 33 year old man with an industrial injury date of 07-19-2016.",
            33,
            "male",
            date(2016, 7, 19),
        ),
        # two-digit year and no age
        (
            "This is a patient with a date of injury of 5/17/07. A utilization review ...",
            None,
            None,
            date(2007, 5, 17),
        ),
        # "claim from" wording, words between age and sex
        (
            "The patient is a 52 year old right-handed woman with a history of an occupational claim from 11/08/2016.",
            52,
            "female",
            date(2016, 11, 8),
        ),
        # "was injured on" across a line break
        (
            "The patient is a 29 year old female who was injured\non 12/01/2012.",
            29,
            "female",
            date(2012, 12, 1),
        ),
        # nothing stated
        ("The records were reviewed.", None, None, None),
    ],
)
def test_read_case_summary(summary, age, sex, injury):
    got = read_case_summary(summary)
    assert (got.patient.age, got.patient.sex, got.date_of_injury) == (age, sex, injury)


@pytest.mark.parametrize(
    ("how_made", "specialty_text", "state_text", "specialties", "states"),
    [
        # prose, two states joined by "and"
        (
            "The expert reviewer is Board Certified in Internal Medicine and is licensed to\n"
            "practice in Texas and Ohio. He/she has been in active clinical practice",
            "Internal Medicine",
            "Texas and Ohio",
            ("Internal Medicine",),
            ("OH", "TX"),
        ),
        # prose with a subspecialty
        (
            "The expert reviewer is Board Certified in Anesthesiology, has a subspecialty in Pain "
            "Medicine and is licensed to practice in California.",
            "Anesthesiology, Pain Medicine",
            "California",
            None,
            ("CA",),
        ),
        # block, states without a space after the comma
        (
            "The Expert Reviewer has the following credentials:\n"
            "State(s) of Licensure: California,North Carolina\n"
            "Certification(s)/Specialty: Family Practice",
            "Family Practice",
            "California,North Carolina",
            ("Family Practice",),
            ("CA", "NC"),
        ),
        # block whose specialty line wraps
        (
            "State(s) of Licensure: New Jersey\n"
            "Certification(s)/Specialty: Preventive Medicine, Occupational\nMedicine\n\nnext",
            "Preventive Medicine, Occupational Medicine",
            "New Jersey",
            ("Preventive Medicine", "Occupational Medicine"),
            ("NJ",),
        ),
    ],
)
def test_reviewer_credentials(how_made, specialty_text, state_text, specialties, states):
    found = find_credentials(how_made)
    assert (found.specialties, found.states) == (specialty_text, state_text)
    reviewer, warnings = read_reviewer(how_made)
    if specialties is not None:
        assert reviewer.specialties == specialties
    assert reviewer.licensure_states == states
    assert reviewer.raw
    assert warnings == ()


def test_reviewer_without_credentials_warns():
    reviewer, warnings = read_reviewer("MAXIMUS Federal Services sent the case file to a reviewer.")
    assert reviewer.specialties == () and reviewer.licensure_states == ()
    assert len(warnings) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11/23/2016", date(2016, 11, 23)),  # usual
        ("8/28/06", date(2006, 8, 28)),  # two-digit year, 2000s
        ("11/06/86", date(1986, 11, 6)),  # two-digit year, 1900s
        ("10-16-2016", date(2016, 10, 16)),  # hyphens
        ("August 31, 1999", date(1999, 8, 31)),  # written out
        ("Sept. 3 2015", date(2015, 9, 3)),  # abbreviated, no comma
        ("13/01/2016", None),  # not a month
        ("Smarch 3, 2016", None),  # not a month name
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected
