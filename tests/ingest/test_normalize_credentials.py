"""Reviewer credentials: specialty names to DWC's list, licensure states to postal codes."""

import pytest

from ingest.normalize.credentials import parse_specialties, parse_states
from ingest.normalize.specialties_data import DWC_SPECIALTIES

SPECIALTY_CASES = [
    # The 2016 header block: several DWC names, comma-separated, kept in order.
    (
        "Preventive Medicine, Occupational Medicine, Family Practice",
        ("Preventive Medicine", "Occupational Medicine", "Family Practice"),
    ),
    # "&" as DWC writes it.
    (
        "Physical Medicine & Rehabilitation, Pain Management",
        ("Physical Medicine & Rehabilitation", "Pain Management"),
    ),
    # The 2014 prose form, as the parser cuts it or with "Board Certified in" left on.
    ("Physical Medicine & Rehabilitation", ("Physical Medicine & Rehabilitation",)),
    (
        "Board Certified in Physical Medicine & Rehabilitation",
        ("Physical Medicine & Rehabilitation",),
    ),
    # "and" for "&".
    ("Physical Medicine and Rehabilitation", ("Physical Medicine & Rehabilitation",)),
    # The person for the discipline.
    ("Chiropractor", ("Chiropractic",)),
    # British spelling.
    ("Orthopaedic Surgery", ("Orthopedic Surgery",)),
    # DWC lists both "Psychologist" and "Psychology": each kept as written.
    ("Psychologist", ("Psychologist",)),
    ("Psychology", ("Psychology",)),
    # Acupuncturists are DWC's "Oriental Medicine".
    ("Acupuncturist", ("Oriental Medicine",)),
    ("Licensed Acupuncturist", ("Oriental Medicine",)),
    ("Oriental Medicine", ("Oriental Medicine",)),
    # Two specialties.
    ("Internal Medicine, Pulmonary Disease", ("Internal Medicine", "Pulmonary Disease")),
    # Joined by "and" when both halves are specialties...
    ("Internal Medicine and Pulmonary Disease", ("Internal Medicine", "Pulmonary Disease")),
    ("Psychiatry and Neurology", ("Psychiatry", "Neurology")),
    # ...but a DWC name containing "and" stays whole.
    ("Allergy and Immunology", ("Allergy and Immunology",)),
    # Wrapped across lines by the PDF.
    (
        "Physical Medicine &\nRehabilitation, Pain\nManagement",
        ("Physical Medicine & Rehabilitation", "Pain Management"),
    ),
    # DWC names that contain "&" and several words.
    (
        "Anesthesiology, Pain Management, Hospice & Palliative Medicine",
        ("Anesthesiology", "Pain Management", "Hospice & Palliative Medicine"),
    ),
    # An unknown specialty is kept, title-cased, not dropped.
    (
        "Physical Medicine & Rehabilitation, Pediatric Rehabilitation Medicine",
        ("Physical Medicine & Rehabilitation", "Pediatric Rehabilitation Medicine"),
    ),
    ("board certified in spine surgery", ("Spine Surgery",)),
    # Lower case and repeated names: normalised and deduplicated.
    ("occupational medicine, Occupational Medicine", ("Occupational Medicine",)),
    # Common variants.
    ("Family Medicine", ("Family Practice",)),
    ("Pain Medicine", ("Pain Management",)),
    ("Neurosurgery", ("Neurological Surgery",)),
    ("Surgery, Surgical Critical Care", ("Surgery", "Surgical Critical Care")),
    # Separators other than commas.
    ("Orthopedic Surgery; Hand Surgery", ("Orthopedic Surgery", "Hand Surgery")),
    # Nothing to read.
    ("", ()),
]


@pytest.mark.parametrize(("text", "expected"), SPECIALTY_CASES)
def test_parse_specialties(text: str, expected: tuple[str, ...]) -> None:
    assert parse_specialties(text) == expected


@pytest.mark.parametrize("name", DWC_SPECIALTIES)
def test_every_dwc_specialty_reads_as_itself(name: str) -> None:
    assert parse_specialties(name) == (name,)


def test_there_are_56_dwc_specialties() -> None:
    assert len(DWC_SPECIALTIES) == 56 == len(set(DWC_SPECIALTIES))


STATE_CASES = [
    # The 2016 header block, no space after the comma.
    ("California,North Carolina", ("CA", "NC")),
    # The 2014 prose, with or without its lead-in; codes come back sorted.
    ("licensed to practice in Texas and Ohio", ("OH", "TX")),
    ("Texas and Ohio", ("OH", "TX")),
    # Postal codes as written.
    ("CA, NV", ("CA", "NV")),
    ("CA/OR", ("CA", "OR")),
    # Two-word names.
    ("New York", ("NY",)),
    ("Ohio, West Virginia, California", ("CA", "OH", "WV")),
    # "West Virginia" must not also count as Virginia; "Arkansas" not as Kansas.
    ("West Virginia", ("WV",)),
    ("Kansas and Arkansas", ("AR", "KS")),
    # The District, however written; "Washington, D.C." is not Washington state.
    ("District of Columbia", ("DC",)),
    ("Washington, D.C.", ("DC",)),
    ("Washington", ("WA",)),
    # Puerto Rico.
    ("Puerto Rico", ("PR",)),
    # Wrapped name.
    ("North\nCarolina", ("NC",)),
    # Repeats collapse.
    ("California, california, CA", ("CA",)),
    # The word "in" is not Indiana, even shouted.
    ("licensed in Indiana", ("IN",)),
    ("LICENSED TO PRACTICE IN TEXAS", ("TX",)),
    # Nothing to read.
    ("", ()),
]


@pytest.mark.parametrize(("text", "expected"), STATE_CASES)
def test_parse_states(text: str, expected: tuple[str, ...]) -> None:
    assert parse_states(text) == expected
