"""Dates as the letters print them: "02/06/2017", "03-09-2015", "5/14/07", "March 3, 2001"."""

from __future__ import annotations

import re
from datetime import date

# Two-digit years below this are 20xx, the rest 19xx ("5/14/07" -> 2007,
# "11/06/86" -> 1986): injuries in these letters go back to the 1970s.
TWO_DIGIT_PIVOT = 50

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

# A numeric date, slashes or hyphens, 2- or 4-digit year: "02/06/2017", "03-09-2015", "5/14/07".
NUMERIC_DATE = r"\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})(?!\d)"
# A written-out date: "March 3, 2001", "Mar. 3 2001", "January 9, 2017".
WORDED_DATE = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}(?!\d)"
)
# Either form, for use inside other patterns.
ANY_DATE = rf"(?:{NUMERIC_DATE}|{WORDED_DATE})"

# Splits a numeric date into its parts: "5/14/07" -> 5, 14, 07.
NUMERIC_PARTS_RE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")
# Splits a written-out date: "March 3, 2001" -> March, 3, 2001.
WORDED_PARTS_RE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


def parse_date(text: str) -> date | None:
    """Read one date; None when it is not a real calendar date."""
    text = text.strip()
    numeric = NUMERIC_PARTS_RE.fullmatch(text)
    try:
        if numeric:
            month, day, year = (int(part) for part in numeric.groups())
            if year < 100:
                year += 2000 if year < TWO_DIGIT_PIVOT else 1900
            return date(year, month, day)
        worded = WORDED_PARTS_RE.fullmatch(text)
        if worded:
            month_number = _MONTHS.get(worded.group(1).lower())
            if month_number is None:
                return None
            return date(int(worded.group(3)), month_number, int(worded.group(2)))
    except ValueError:  # 02/30/2016 and friends
        return None
    return None
