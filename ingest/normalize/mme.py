"""Daily morphine milligram equivalents (MME) of an opioid request.

    daily MME = strength (mg per dose unit) x dose units per day x conversion factor

computed only when the letter states both the strength and the frequency ("Norco 10/325mg
one tablet Q8 hours" -> 10 mg x 3 x 1 = 30 MME/day); None otherwise: a quantity alone
("#120") does not say over how many days it is taken.

Conversion factors are the CDC's, from "Calculating Total Daily Dose of Opioids for Safer
Dosage" (CDC, 2016; https://www.cdc.gov/drugoverdose/pdf/calculating_total_daily_dose-a.pdf),
the table published with the CDC Guideline for Prescribing Opioids for Chronic Pain (2016),
the guidance in force when these letters were written. Fentanyl patches are dosed in mcg/hr
and worn continuously: their factor applies to the mcg/hr strength, whatever the frequency.
Methadone's factor rises with the daily dose (the CDC's 2016 sliding scale).
"""

from __future__ import annotations

import re

# CDC (2016) MME conversion factors per mg (fentanyl: per mcg/hr).
MME_FACTORS: dict[str, float] = {
    "codeine": 0.15,
    "dihydrocodeine": 0.25,
    "fentanyl": 2.4,  # transdermal, per mcg/hr
    "hydrocodone": 1.0,
    "hydromorphone": 4.0,
    "levorphanol": 11.0,
    "meperidine": 0.1,
    "morphine": 1.0,
    "oxycodone": 1.5,
    "oxymorphone": 3.0,
    "pentazocine": 0.37,
    "tapentadol": 0.4,
    "tramadol": 0.1,
}

# Methadone (CDC 2016): 1-20 mg/day x4, 21-40 x8, 41-60 x10, 61-80 x12 (and above).
METHADONE_STEPS: tuple[tuple[float, float], ...] = ((20, 4.0), (40, 8.0), (60, 10.0))
METHADONE_TOP = 12.0

OPIOIDS = frozenset(MME_FACTORS) | {"methadone"}

# Doses per day of each frequency as written (lower-cased, dots and spaces removed).
DOSES_PER_DAY: dict[str, float] = {
    "qd": 1,
    "daily": 1,
    "oncedaily": 1,
    "onedaily": 1,
    "1daily": 1,
    "onceaday": 1,
    "oneaday": 1,
    "qhs": 1,
    "hs": 1,
    "atbedtime": 1,
    "nightly": 1,
    "everynight": 1,
    "everymorning": 1,
    "everyday": 1,
    "qam": 1,
    "qpm": 1,
    "bid": 2,
    "twicedaily": 2,
    "twiceaday": 2,
    "twodaily": 2,
    "2daily": 2,
    "twiceperday": 2,
    "tid": 3,
    "threetimesdaily": 3,
    "threetimesaday": 3,
    "3daily": 3,
    "qid": 4,
    "fourtimesdaily": 4,
    "fourtimesaday": 4,
    "qod": 0.5,
    "everyotherday": 0.5,
}

# "every 8 hours", "q6h", "Q8 hours", "every 4-6 hours" (the shorter interval: the most a
# prescription allows), with "as needed" ignored.
EVERY_HOURS_RE = re.compile(
    r"\b(?:every|q)\s*(?:(?P<low>\d{1,2})\s*-\s*)?(?P<hours>\d{1,2})\s*(?:h|hrs?|hours?)\b", re.I
)
AS_NEEDED_RE = re.compile(r"\s*\b(?:prn|as\s+needed)\b\s*", re.I)

# Dose units per dose: "one tablet", "two tablets", "1-2 tabs" (the upper bound), "2 caps".
UNITS_PER_DOSE_RE = re.compile(
    r"\b(?:(?P<low>\d|one|two)\s*(?:-|to)\s*)?(?P<n>\d|one|two|three)\s+"
    r"(?:tablets?|tabs?|capsules?|caps?|pills?)\b(?!\s*(?:of|#))",
    re.I,
)
_WORDS = {"one": 1, "two": 2, "three": 3}

# The opioid's strength: the first number of "10/325 mg" (the opioid comes first in US
# combination names: hydrocodone 10 mg / acetaminophen 325 mg), or "50 mg", "25 mcg/hr".
STRENGTH_RE = re.compile(
    r"(?P<num>\d*\.?\d+)(?:\s*/\s*\d*\.?\d+)*\s*(?P<unit>mg|mcg)(?:\s*/\s*(?P<per>hr|h))?", re.I
)


def doses_per_day(frequency: str | None) -> float | None:
    """Doses a day of a frequency as written ("BID" -> 2, "every 8 hours as needed" -> 3);
    None when it does not say ("PRN" alone, "as directed")."""
    if not frequency:
        return None
    hours = EVERY_HOURS_RE.search(frequency)
    if hours:
        interval = int(hours.group("low") or hours.group("hours"))
        return 24 / interval if 0 < interval <= 24 else None
    key = re.sub(r"[\s.]", "", AS_NEEDED_RE.sub(" ", frequency).lower())
    return DOSES_PER_DAY.get(key)


def units_per_dose(treatment: str) -> int:
    """Tablets per dose as written ("two tablets every 6 hours" -> 2); 1 when unsaid."""
    found = UNITS_PER_DOSE_RE.search(treatment)
    if not found:
        return 1
    n = found.group("n").lower()
    return int(n) if n.isdigit() else _WORDS[n]


def daily_mme(
    ingredients: tuple[str, ...], strength: str | None, frequency: str | None, treatment: str = ""
) -> float | None:
    """Daily MME of an opioid request; None unless exactly one opioid, its strength and the
    frequency are known."""
    opioids = [i for i in ingredients if i in OPIOIDS]
    if len(opioids) != 1 or not strength:
        return None
    opioid = opioids[0]
    found = STRENGTH_RE.search(strength)
    if not found:
        return None
    amount = float(found.group("num"))
    unit = found.group("unit").lower()
    if opioid == "fentanyl":
        # Patches: mcg/hr, continuous.
        if unit != "mcg" or not found.group("per"):
            return None
        return round(amount * MME_FACTORS["fentanyl"], 1)
    if unit != "mg":
        return None
    per_day = doses_per_day(frequency)
    if per_day is None:
        return None
    mg_per_day = amount * per_day * units_per_dose(treatment)
    if opioid == "methadone":
        factor = next((f for limit, f in METHADONE_STEPS if mg_per_day <= limit), METHADONE_TOP)
    else:
        factor = MME_FACTORS[opioid]
    return round(mg_per_day * factor, 1)
