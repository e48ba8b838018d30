"""The enumerations of stored letters, as Django choices: the one module that declares them.

Values the parser produces (layout, outcome, party, guideline source, stock sentence) are
``StrEnum``s of the pure parsing library (``ingest.letter``); here each gets its labels, and
``forgiving`` refuses to build a choices class whose labels do not cover exactly the
parser's members, so the two can never drift. Values only the site knows (review status,
priority, sex) are declared here alone.

Every class has ``parse``: URL or file input -> member or None, never an error, so a
hand-edited URL never becomes a 500.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from ingest import letter


class ForgivingChoices(models.TextChoices):
    """TextChoices whose ``parse`` turns URL or file input into a member or None, never an error."""

    @classmethod
    def parse(cls, value: object) -> ForgivingChoices | None:
        if value is None:
            return None
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if text in (member.value.lower(), member.name.lower(), str(member.label).lower()):
                return member
        return None


def forgiving(enum: type[StrEnum], labels: dict[str, str]) -> type[ForgivingChoices]:
    """A ForgivingChoices with ``enum``'s members (same names and values) and ``labels``
    (value -> label), which must name every member and nothing else."""
    values = {member.value for member in enum}
    if set(labels) != values:
        raise ValueError(f"labels of {enum.__name__} must be exactly {sorted(values)}")
    members = {member.name: (member.value, labels[member.value]) for member in enum}
    return ForgivingChoices(enum.__name__, members)  # type: ignore[return-value]


Layout = forgiving(
    letter.Layout,
    {
        "dwc-2014": "2014-2015 letter",
        "dwc-2016": "2016-2017 DWC PDF",
        "notice-2013": "2013 notice",
        "unknown": "Unknown layout",
    },
)
Outcome = forgiving(letter.Outcome, {"upheld": "Upheld", "overturned": "Overturned"})
Party = forgiving(
    letter.Party,
    {"claims_administrator": "Claims administrator", "reviewer": "MAXIMUS reviewer"},
)
Source = forgiving(
    letter.Source,
    {"MTUS": "MTUS", "ACOEM": "ACOEM", "ODG": "ODG", "other": "Other", "none": "No guideline"},
)
Stock = forgiving(
    letter.Stock,
    {
        "": "-",
        "no_evidence": "Did not cite any medical evidence",
        "outside_mtus": "Based on recommendations outside the MTUS",
        "not_mtus": "Did not base the decision on the MTUS",
    },
)


class Priority(ForgivingChoices):
    STANDARD = "standard", "Standard"
    EXPEDITED = "expedited", "Expedited"


class Sex(ForgivingChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class ReviewStatus(ForgivingChoices):
    """A letter's review state. ``ingest.loader.Status`` (what saving one file did) takes
    its conflict, review and failure values from here."""

    OK = "ok", "OK"
    NEEDS_REVIEW = "needs_review", "Needs review"
    CONFLICT = "conflict", "Conflicting case number"
    FAILED = "failed", "Failed"


class ItemSource(ForgivingChoices):
    """Where a disputed item's coding comes from: the letter as the parser read it, or, when
    the letter cannot be read, DWC's own index of the case (dwcsync.fallback)."""

    PARSED = "parsed", "The letter"
    DWC_INDEX = "dwc_index", "DWC's index"
