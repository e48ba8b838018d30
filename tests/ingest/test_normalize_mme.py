"""Daily morphine milligram equivalents (CDC 2016 factors)."""

import pytest

from ingest.normalize.drugs import find_medication
from ingest.normalize.mme import daily_mme, doses_per_day

HYDROCODONE = ("acetaminophen", "hydrocodone")

MME = [
    # Hydrocodone 10 mg every 8 hours: 10 x 3 x 1.
    (HYDROCODONE, "10/325 mg", "every 8 hours as needed", "", 30.0),
    # Twice daily, one tablet: 5 x 2 x 1.
    (HYDROCODONE, "5/325 mg", "twice daily", "one tablet twice daily", 10.0),
    # Two tablets per dose double it.
    (HYDROCODONE, "5/325 mg", "twice daily", "two tablets twice daily", 20.0),
    # Oxycodone factor 1.5: 10 x 4 x 1.5.
    (("oxycodone",), "10 mg", "QID", "", 60.0),
    # Tramadol factor 0.1: 50 x 3 x 0.1.
    (("tramadol",), "50 mg", "TID", "", 15.0),
    # Methadone 10 mg x 3 = 30 mg/day, factor 8 in the 21-40 mg band.
    (("methadone",), "10 mg", "every 8 hours", "", 240.0),
    # Fentanyl patch: mcg/hr x 2.4 whatever the frequency.
    (("fentanyl",), "25 mcg/hr", None, "", 60.0),
    # No frequency: unknown.
    (HYDROCODONE, "10/325 mg", None, "", None),
    # PRN alone says nothing about doses per day.
    (HYDROCODONE, "10/325 mg", "PRN", "", None),
    # Not an opioid.
    (("diazepam",), "5 mg", "BID", "", None),
    # No strength.
    (HYDROCODONE, None, "BID", "", None),
]


@pytest.mark.parametrize(("ingredients", "strength", "frequency", "treatment", "expected"), MME)
def test_it_computes_daily_mme(ingredients, strength, frequency, treatment, expected):
    assert daily_mme(ingredients, strength, frequency, treatment) == expected


FREQUENCIES = [
    # Latin abbreviations.
    ("BID", 2),
    ("TID", 3),
    ("QHS", 1),
    # Hours: the shorter interval of a range.
    ("every 4-6 hours", 6),
    ("q6h", 4),
    # Words.
    ("one daily", 1),
    ("every other day", 0.5),
    # Nothing to go on.
    ("as directed", None),
]


@pytest.mark.parametrize(("frequency", "expected"), FREQUENCIES)
def test_it_reads_doses_per_day(frequency, expected):
    assert doses_per_day(frequency) == expected


def test_it_works_from_a_treatment_as_written():
    # The whole chain: the drug reader's strength and frequency feed the MME.
    med = find_medication(
        "Norco (Hydrocodone/Acetaminophen) 10/325mg Qty 60 one tablet Q8 hours PRN"
    )
    assert med is not None
    assert daily_mme(med.ingredients, med.strength, med.frequency, "one tablet") == 30.0
