"""Step 4 of parsing: the patient's age, sex and date of injury from the case summary.

The summary opens with a stock sentence in many spellings:
"The injured worker is a 52-year-old male who reported an injury on 04/17/2009",
"The patient is a 41 year old female who was injured on 06/02/2012",
"The injured worker is a 58 year old male with an industrial injury date of 03-09-2015",
"This is a patient with a date of injury of 5/14/07".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.dates import ANY_DATE, parse_date
from ingest.letter import Patient

# Age and sex, with up to two words between ("a 45 year old right-handed female"):
# "59-year-old male", "65 year old male", "30 year-old woman".
AGE_SEX_RE = re.compile(
    r"\b(?P<age>\d{1,3})[\s-]*(?:year|yr)s?[\s-]*old,?\s+(?:[a-z-]+\s+){0,2}?"
    r"(?P<sex>male|female|man|woman|gentleman|lady)\b",
    re.I,
)

# The date of injury, after "injury"/"injured" and a short connector:
# "reported an injury on 04/17/2009", "sustained an industrial injury on March 3, 2001",
# "industrial injury date of 03-09-2015", "with a date of injury of 5/14/07",
# "with a history of an occupational claim from 07/22/2015".
INJURY_DATE_RE = re.compile(
    rf"\b(?:injur(?:y|ies|ed)|claim)\b[^.;]{{0,30}}?\b(?:on|of|from|dated?|was|:)\s*"
    rf"(?P<date>{ANY_DATE})",
    re.I,
)

# Ages outside this range are misreads ("1986-year-old" never happens, "3 year old" is a child).
MIN_AGE, MAX_AGE = 14, 110

_SEX = {
    "male": "male",
    "man": "male",
    "gentleman": "male",
    "female": "female",
    "woman": "female",
    "lady": "female",
}


@dataclass(frozen=True, slots=True)
class SummaryFacts:
    patient: Patient
    date_of_injury: date | None


def read_case_summary(summary: str) -> SummaryFacts:
    """Age, sex and date of injury from the first sentences that state them."""
    folded = " ".join(summary.split())
    age: int | None = None
    sex: str | None = None
    match = AGE_SEX_RE.search(folded)
    if match:
        sex = _SEX[match.group("sex").lower()]
        value = int(match.group("age"))
        age = value if MIN_AGE <= value <= MAX_AGE else None
    injury = INJURY_DATE_RE.search(folded)
    return SummaryFacts(
        patient=Patient(age=age, sex=sex),
        date_of_injury=parse_date(injury.group("date")) if injury else None,
    )
