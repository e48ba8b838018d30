"""Canonical guideline sections from citations in both letter styles."""

import pytest

from ingest.letter import Citation, Party, Source, Stock
from ingest.normalize.guidelines import (
    canonical_sections,
    same_guideline,
    section_label,
)

CP = "Chronic Pain Medical Treatment Guidelines"
ODG = "Official Disability Guidelines"
OPIOIDS = "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids"
BENZOS = "MTUS|Chronic Pain Medical Treatment Guidelines|Benzodiazepines"


def cite(source: Source, document: str, section: str = "", pages: tuple[int, ...] = ()):
    return Citation(Party.REVIEWER, source, document, None, section, pages, "")


CASES = [
    # 2016 style: the section is printed.
    (cite(Source.MTUS, CP, "Benzodiazepines"), (BENZOS,)),
    # 2014 style: pages only; page 24 of the 2009 guideline is Benzodiazepines.
    (cite(Source.MTUS, CP, "", (24,)), (BENZOS,)),
    # Two topics by page: benzodiazepines (24) and opioids on-going management (78-79).
    (cite(Source.MTUS, CP, "", (24, 78, 79)), (BENZOS, OPIOIDS)),
    # Wording variants of one topic cluster together.
    (cite(Source.MTUS, CP, "Opioids, criteria for use"), (OPIOIDS,)),
    (cite(Source.MTUS, CP, "On-going management of opioid use"), (OPIOIDS,)),
    (cite(Source.MTUS, CP, "on-going management", (78,)), (OPIOIDS,)),
    # A drug named as the section files under its class's topic.
    (
        cite(Source.MTUS, CP, "Cyclobenzaprine (Flexeril)"),
        ("MTUS|Chronic Pain Medical Treatment Guidelines|Muscle relaxants",),
    ),
    # "Proton Pump Inhibitors (PPIs)" and "NSAIDs, GI symptoms ..." share the GI topic.
    (
        cite(Source.MTUS, CP, "Proton Pump Inhibitors (PPIs)"),
        ("MTUS|Chronic Pain Medical Treatment Guidelines|GI symptoms & PPIs",),
    ),
    # No section and no pages: the document alone.
    (cite(Source.MTUS, CP), ("MTUS|Chronic Pain Medical Treatment Guidelines",)),
    # ACOEM chapters are filed under ACOEM whether the letter says MTUS or ACOEM.
    (
        cite(Source.MTUS, "Low Back Complaints", "Special Studies"),
        ("ACOEM|Low Back Complaints|Special Studies",),
    ),
    (
        cite(Source.ACOEM, "Low Back Complaints", "", (303,)),
        ("ACOEM|Low Back Complaints|Special Studies",),
    ),
    # "Summary" is dropped when a real section is also cited.
    (
        cite(Source.MTUS, "Knee Complaints", "Special Studies, Summary"),
        ("ACOEM|Knee Complaints|Special Studies",),
    ),
    # A page number printed as the section ("Section(s): 326") is read as a page.
    (cite(Source.MTUS, "Elbow Complaints", "326"), ("ACOEM|Elbow Complaints",)),
    # 2016 MTUS Opioids guideline: numbering and the repeated chapter title are dropped.
    (
        cite(
            Source.MTUS,
            "Opioids Treatment Guidelines",
            "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of "
            "Chronic Opioid Treatment",
        ),
        ("MTUS|Opioids Treatment Guidelines|Maintenance of Chronic Opioid Treatment",),
    ),
    # ODG chapter + topic, MRI spelt out.
    (cite(Source.ODG, ODG, "Low Back Chapter, Magnetic resonance imaging"), ("ODG|Low Back|MRI",)),
    # ODG chapter wording with "- Lumbar & Thoracic" and a colon.
    (
        cite(
            Source.ODG, ODG, "Low Back- Lumbar & Thoracic chapter: MRI (magnetic resonance imaging)"
        ),
        ("ODG|Low Back|MRI",),
    ),
    # Parenthesised update stamp after the chapter.
    (
        cite(
            Source.ODG,
            ODG,
            "Neck and Upper Back (updated 11/16/16), Magnetic Resonance Imaging (MRI)",
        ),
        ("ODG|Neck and Upper Back|MRI",),
    ),
    # Facet joint injections in ODG's Low Back chapter.
    (
        cite(Source.ODG, ODG, "Low Back Chapter, Facet joint diagnostic blocks (injections)"),
        ("ODG|Low Back|Facet joint injections",),
    ),
    # Two chapters in one sentence.
    (
        cite(Source.ODG, ODG, "Low back, Manipulation; Neck and Upper back, Manipulation"),
        (
            "ODG|Low Back|Manual therapy & manipulation",
            "ODG|Neck and Upper Back|Manual therapy & manipulation",
        ),
    ),
    # A drug topic without a chapter belongs to ODG's Pain chapter.
    (cite(Source.ODG, ODG, "Benzodiazepines"), ("ODG|Pain (Chronic)|Benzodiazepines",)),
    # A part without a chapter continues the previous part's chapter.
    (
        cite(Source.ODG, ODG, "Low Back - Lumbar & Thoracic (Acute & Chronic), EMG; NCS"),
        ("ODG|Low Back|Electrodiagnostic testing",),
    ),
    # Stock sentences and non-guideline sources have no section.
    (Citation(Party.REVIEWER, Source.NONE, "", None, "", (), "", Stock.NO_EVIDENCE), ()),
    (cite(Source.OTHER, "UpToDate", "Sildenafil: Drug information"), ()),
]


@pytest.mark.parametrize(("citation", "expected"), CASES)
def test_it_finds_the_canonical_section(citation, expected):
    assert canonical_sections(citation) == expected


LABELS = [
    # Source, document and topic.
    (OPIOIDS, "MTUS Chronic Pain Medical Treatment Guidelines - Opioids"),
    # Document only.
    ("ACOEM|Low Back Complaints", "ACOEM Low Back Complaints"),
    # ODG topic without a chapter.
    ("ODG||Physical medicine", "ODG - Physical medicine"),
]


@pytest.mark.parametrize(("key", "label"), LABELS)
def test_it_labels_keys(key, label):
    assert section_label(key) == label


SAME = [
    # Same section.
    ((OPIOIDS,), (OPIOIDS,), True),
    # Same document, one side without a section.
    ((OPIOIDS,), ("MTUS|Chronic Pain Medical Treatment Guidelines",), True),
    # Different sections of one document.
    ((OPIOIDS,), (BENZOS,), False),
    # Different guidelines.
    (("ODG|Low Back|MRI",), ("ACOEM|Low Back Complaints|Special Studies",), False),
    # The claims administrator cited nothing: unknown.
    ((OPIOIDS,), (), None),
]


@pytest.mark.parametrize(("reviewer", "claims", "expected"), SAME)
def test_it_tells_whether_both_cited_the_same_guideline(reviewer, claims, expected):
    assert same_guideline(reviewer, claims) is expected
