"""ingest.citations: guideline citations of one party's paragraph."""

from __future__ import annotations

import pytest

from ingest.citations import parse_pages, read_citations
from ingest.letter import Party, Source, Stock

CA = Party.CLAIMS_ADMINISTRATOR


def _short(paragraph: str, party: Party = CA) -> list[tuple]:
    read = read_citations(paragraph, party)
    return [
        (c.source, c.document, c.edition_year, c.section, c.pages, c.stock) for c in read.citations
    ]


MTUS, ACOEM, ODG, OTHER, NONE = Source.MTUS, Source.ACOEM, Source.ODG, Source.OTHER, Source.NONE
CPMTG = "Chronic Pain Medical Treatment Guidelines"
ODG_NAME = "Official Disability Guidelines"
NO = Stock.NONE


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # 2014 wording: document, topic, pages
        (
            "Decision based on MTUS Chronic Pain Treatment Guidelines Muscle relaxants Page(s): 63.",
            [(MTUS, CPMTG, None, "Muscle relaxants", (63,), NO)],
        ),
        # page list with a range, wrapped over lines
        (
            "Decision based on MTUS Chronic Pain Treatment Guidelines\nPage(s): 41, 63-65.",
            [(MTUS, CPMTG, None, "", (41, 63, 64, 65), NO)],
        ),
        # 2014 ACOEM chapter by number and name: source ACOEM
        (
            "Decision based on MTUS ACOEM Chapter 13 Knee Complaints Page(s): 343-345, 347.",
            [(ACOEM, "Knee Complaints", None, "", (343, 344, 345, 347), NO)],
        ),
        # ACOEM chapter by number only
        (
            "Decision based on MTUS ACOEM Chapter 9 Page(s): 207.",
            [(ACOEM, "Shoulder Complaints", None, "", (207,), NO)],
        ),
        # ACOEM chapters 1-7 belong to General Approaches; the chapter is the section
        (
            "Decision based on MTUS ACOEM Chapter 7 Independent Medical Examinations and Consultations Page(s): 127.",
            [
                (
                    ACOEM,
                    "General Approaches",
                    None,
                    "Independent Medical Examinations and Consultations",
                    (127,),
                    NO,
                )
            ],
        ),
        # 2016 wording: edition year and sections; the source follows the words (MTUS)
        (
            "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies.",
            [(MTUS, "Knee Complaints", 2004, "Special Studies", (), NO)],
        ),
        (
            "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous electrical nerve stimulation).",
            [
                (
                    MTUS,
                    CPMTG,
                    2016,
                    "TENS, chronic pain (transcutaneous electrical nerve stimulation)",
                    (),
                    NO,
                )
            ],
        ),
        (
            "Decision based on MTUS Opioid Treatment 2016, Section(s): 2.4 Opioids for Chronic Pain: Tapering: Weaning Schedule.",
            [
                (
                    MTUS,
                    "Opioids Treatment Guidelines",
                    2016,
                    "2.4 Opioids for Chronic Pain: Tapering: Weaning Schedule",
                    (),
                    NO,
                )
            ],
        ),
        (
            "Decision based on MTUS Acupuncture Treatment 2007.",
            [(MTUS, "Acupuncture Medical Treatment Guidelines", 2007, "", (), NO)],
        ),
        # several documents in one sentence, one with commas in its name
        (
            "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies, Summary, and "
            "Forearm, Wrist, and Hand Complaints 2004, Section(s): Initial Care, and Chronic Pain "
            "Medical Treatment 2016, Section(s): Physical medicine treatment.",
            [
                (MTUS, "Knee Complaints", 2004, "Special Studies, Summary", (), NO),
                (MTUS, "Forearm, Wrist, and Hand Complaints", 2004, "Initial Care", (), NO),
                (MTUS, CPMTG, 2016, "Physical medicine treatment", (), NO),
            ],
        ),
        # a chapter name used as a section does not start a new document
        (
            "Decision based on MTUS Stress-Related Conditions 2004, Section(s): Follow-up Visits, General Approach.",
            [
                (
                    MTUS,
                    "Stress-Related Conditions",
                    2004,
                    "Follow-up Visits, General Approach",
                    (),
                    NO,
                )
            ],
        ),
        # 2014 documents separated by a bare comma
        (
            "Decision based on MTUS ACOEM,Chronic Pain Treatment Guidelines.",
            [(ACOEM, "", None, "", (), NO), (MTUS, CPMTG, None, "", (), NO)],
        ),
        # several "Decision based on" sentences; ODG with a chapter
        (
            "Decision based on MTUS Low Back Complaints 2004. Decision based on Non-MTUS Citation "
            "Official Disability Guidelines (ODG), Low Back - Lumbar & Thoracic (Acute & Chronic).",
            [
                (MTUS, "Low Back Complaints", 2004, "", (), NO),
                (ODG, ODG_NAME, None, "Low Back - Lumbar & Thoracic (Acute & Chronic)", (), NO),
            ],
        ),
        # ODG by its initials, and an edition year
        (
            "Decision based on Non-MTUS Citation ODG 2015 Hip & Pelvis Chapter: Arthroscopy.",
            [(ODG, ODG_NAME, 2015, "Hip & Pelvis Chapter: Arthroscopy", (), NO)],
        ),
        # no evidence cited: one stock citation
        (
            "The Claims Administrator did not cite any medical evidence for its decision.",
            [(NONE, "", None, "", (), Stock.NO_EVIDENCE)],
        ),
        # outside the MTUS: a stock citation, then the real ones
        (
            "The Claims Administrator based their decision on recommendation(s) outside of the MTUS "
            "Guidelines. Decision based on Non-MTUS Citation Gabapentin: Drug information, accessed "
            "from UpToDate.com on 01/02/2017.",
            [
                (NONE, "", None, "", (), Stock.OUTSIDE_MTUS),
                (OTHER, "UpToDate", None, "Gabapentin: Drug information", (), NO),
            ],
        ),
        # not based on the MTUS
        (
            "The Claims Administrator did not base their decision on the MTUS. Decision based on "
            "Non-MTUS Citation Official Disability Guidelines (ODG), Knee & Leg.",
            [(NONE, "", None, "", (), Stock.NOT_MTUS), (ODG, ODG_NAME, None, "Knee & Leg", (), NO)],
        ),
        # Non-MTUS citation with no source name: kept as printed, source OTHER
        (
            "Decision based on Non-MTUS Citation Shoulder Chapter, Subacromial decompression, Indications.",
            [(OTHER, "", None, "Shoulder Chapter, Subacromial decompression, Indications", (), NO)],
        ),
        # ODG then another guideline in one citation
        (
            "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Knee, Braces and "
            "Other Medical Treatment Guidelines www.example.org/braces.",
            [
                (ODG, ODG_NAME, None, "Knee, Braces", (), NO),
                (
                    OTHER,
                    "Other Medical Treatment Guidelines",
                    None,
                    "www.example.org/braces",
                    (),
                    NO,
                ),
            ],
        ),
        # two citations printed without a space between them
        (
            "Decision based on Non-MTUS Citation Official Disability GuidelinesMedscape Reference, Knee pain.",
            [
                (ODG, ODG_NAME, None, "", (), NO),
                (OTHER, "Medscape", None, "Reference, Knee pain", (), NO),
            ],
        ),
    ],
)
def test_read_citations(paragraph, expected):
    assert _short(paragraph) == expected


def test_citations_carry_party_and_raw_text():
    read = read_citations("Decision based on MTUS Knee Complaints 2004.", Party.REVIEWER)
    (citation,) = read.citations
    assert citation.party is Party.REVIEWER
    assert citation.raw == "Knee Complaints 2004"


def test_unusual_wording_is_kept_with_a_warning():
    read = read_citations("The reviewer relied on the ODG knee chapter.", CA)
    assert [(c.source, c.raw) for c in read.citations] == [
        (ODG, "The reviewer relied on the ODG knee chapter.")
    ]
    assert read.warnings


@pytest.mark.parametrize(
    ("text", "pages", "warned"),
    [
        ("24, 78-79", (24, 78, 79), False),  # list and range
        ("13-16, 43", (13, 14, 15, 16, 43), False),  # range first
        ("300 and 309", (300, 309), False),  # "and"
        ("79-78", (78, 79), False),  # reversed range
        ("24, 24", (24,), False),  # repeats dropped
        ("1-900", (1, 900), True),  # absurd range: ends only, warned
        ("99999", (), True),  # absurd page: dropped, warned
    ],
)
def test_parse_pages(text, pages, warned):
    got, warnings = parse_pages(text)
    assert got == pages
    assert bool(warnings) is warned
