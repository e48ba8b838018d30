"""What the parser returns: frozen dataclasses describing one IMR letter.

This module is the contract between the pure parsing library (``ingest.parser``,
``ingest.normalize``) and everything that stores or prints its results
(``ingest.loader``, the ``parse_letters`` command). No Django imports here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

# Bump whenever parsing output can change for the same input text; stored on
# every Determination so admins can re-parse letters read by an older parser.
# 1.1.0: analysis fields (visits, body region, MME, guideline sections, reason tags).
# 1.2.0: normalizers measured on labelled real letters (kits and medical foods, surgery,
#        pre-op, DME and diagnostic wording, visits in words, reason tags mapped to the
#        labelled set's), case number from the file name when the text has none.
# 1.2.1: reason tags: a guideline's general rule quoted is not a finding about the case,
#        and more wording classes (reasons precision 0.87 -> 0.91 on the labelled letters).
# 1.3.0: 2013 notices ("Notice of Independent Medical Review Determination") are read: items,
#        outcomes, dates, reviewer, summary, rationales and citations (issue 24, part 1).
# 1.4.0: visits for any session modality and wording, partial authorizations read in three
#        parts in more wordings, reasons only from the decisive sentence, each with its
#        evidence sentence, guideline visit limits (issue 25).
PARSER_VERSION = "1.4.0"


class CaseNumberSource(StrEnum):
    """Where a letter's case number came from."""

    # The 2016 header block ("Case Number: CM16-0000001").
    TEXT = "text"
    # No case number in the text (the 2014-2015 layout has no header block), but the file is
    # named by one, as DWC names its PDFs ("CM15-0000001.pdf").
    FILE_NAME = "file name"


class Layout(StrEnum):
    # 2014-2015 final determinations: no header block, credentials in prose or
    # in the "State(s) of Licensure" block.
    DWC_2014 = "dwc-2014"
    # 2016-2017 DWC-posted PDFs: a header block with case number and dates.
    DWC_2016 = "dwc-2016"
    # 2013 "Notice of Independent Medical Review Determination": a numbered list of
    # decisions, dates and credentials in prose, a rationale section per item; never read
    # as a 2014 letter.
    NOTICE_2013 = "notice-2013"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Party(StrEnum):
    CLAIMS_ADMINISTRATOR = "claims_administrator"
    REVIEWER = "reviewer"


class Source(StrEnum):
    MTUS = "MTUS"
    ACOEM = "ACOEM"
    ODG = "ODG"
    OTHER = "other"
    # Stock sentences that cite nothing ("did not cite any medical evidence").
    NONE = "none"


class Stock(StrEnum):
    """Stock sentences that stand in for, or precede, a citation."""

    NONE = ""
    # "The Claims Administrator did not cite any medical evidence for its decision."
    NO_EVIDENCE = "no_evidence"
    # "... based their decision on recommendation(s) outside of the MTUS Guidelines."
    OUTSIDE_MTUS = "outside_mtus"
    # "The Claims Administrator did not base their decision on the MTUS."
    NOT_MTUS = "not_mtus"


@dataclass(frozen=True, slots=True)
class Citation:
    party: Party
    source: Source
    # Human name of the guideline document, normalised
    # ("Chronic Pain Medical Treatment Guidelines", "Low Back Complaints",
    # "Official Disability Guidelines"); "" when none was given.
    document: str
    edition_year: int | None
    # Topic or section as printed, tidied ("Benzodiazepines", "Special Studies",
    # "3.3.9 Opioids for Chronic Pain"); "" when none was given.
    section: str
    pages: tuple[int, ...]
    raw: str
    stock: Stock = Stock.NONE


@dataclass(frozen=True, slots=True)
class Medication:
    # Canonical generic ingredients, lowercase, sorted ("acetaminophen", "hydrocodone").
    ingredients: tuple[str, ...]
    # The drug name as written in the letter ("Norco", "Alprozam", "Lorezepam - Ativan").
    brand: str
    strength: str | None = None  # "10/325 mg", "0.5 mg", "5%"
    quantity: int | None = None  # "#60", "Qty 30"
    refills: int | None = None  # "with 1 Refill"
    frequency: str | None = None  # "QHS", "BID", "every 12 hours"
    drug_class: str | None = None  # DWC drug class ("Opioids", "Benzodiazepines")
    # Daily morphine milligram equivalents, opioids with strength and frequency only
    # (normalize.mme). Not in letter_as_dict: analysis fields stay out of the golden files.
    mme: float | None = None


@dataclass(frozen=True, slots=True)
class Item:
    order: int  # 1-based position in the letter
    heading: str  # as printed, whitespace folded, without the outcome word
    treatment: str  # the disputed treatment (for partials: the remaining portion)
    outcome: Outcome
    rationale: str
    partial: bool = False
    original_request: str | None = None  # partials only
    authorized_portion: str | None = None  # partials only
    category: str | None = None  # DWC request category ("Pharmaceuticals")
    subcategory: str | None = None  # DWC subcategory / drug class ("Opioids")
    medication: Medication | None = None
    citations: tuple[Citation, ...] = ()
    # Analysis fields (normalize.therapy / guidelines / reasons), deliberately not in
    # letter_as_dict so the golden files keep describing what the letter says.
    visits: int | None = None  # "2 times a week for 6 weeks" -> 12
    body_region: str | None = None  # "Lumbar spine", "Knee", "Multiple regions"
    reason_tags: tuple[str, ...] = ()  # normalize.reasons keys
    # (tag, the rationale's sentence it was read from), one per tag, in tag order: why the
    # item got each reason, for an analyst to check ("why: ...").
    reason_evidence: tuple[tuple[str, str], ...] = ()
    # Canonical guideline section keys of the reviewer's and the claims administrator's
    # citations ("MTUS|Chronic Pain Medical Treatment Guidelines|Opioids").
    guideline_sections: tuple[str, ...] = ()
    claims_guideline_sections: tuple[str, ...] = ()
    # Reviewer cited the claims administrator's guideline; None when either cited none.
    same_guideline: bool | None = None


@dataclass(frozen=True, slots=True)
class Reviewer:
    specialties: tuple[str, ...] = ()  # normalised to DWC's specialty list
    licensure_states: tuple[str, ...] = ()  # two-letter codes, sorted
    raw: str = ""  # the credential text as printed


@dataclass(frozen=True, slots=True)
class Patient:
    age: int | None = None
    sex: str | None = None  # "male" / "female"


@dataclass(frozen=True, slots=True)
class ParsedLetter:
    layout: Layout
    text: str  # the normalised full text the parser read
    case_number: str | None = None
    # None when there is no case number. Not in letter_as_dict (golden files keep their shape).
    case_number_source: CaseNumberSource | None = None
    date_assigned: date | None = None
    decision_date: date | None = None
    date_of_injury: date | None = None
    ur_denial_date: date | None = None
    application_received: date | None = None
    priority: str | None = None  # "Standard" / "Expedited"
    reviewer: Reviewer = field(default_factory=Reviewer)
    patient: Patient = field(default_factory=Patient)
    how_made: str = ""  # "HOW THE IMR FINAL DETERMINATION WAS MADE" section
    case_summary: str = ""  # "CLINICAL CASE SUMMARY" section
    issues_text: str = ""  # "IMR ISSUES, DECISIONS AND RATIONALES" section
    items: tuple[Item, ...] = ()
    warnings: tuple[str, ...] = ()
    # Why nothing could be read (no text, not an IMR letter); None when items were read.
    error: str | None = None
    parser_version: str = PARSER_VERSION

    @property
    def needs_review(self) -> bool:
        return bool(self.warnings) or self.error is not None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def citation_as_dict(c: Citation) -> dict[str, Any]:
    return {
        "party": c.party.value,
        "source": c.source.value,
        "document": c.document,
        "edition_year": c.edition_year,
        "section": c.section,
        "pages": list(c.pages),
        "stock": c.stock.value,
    }


def item_as_dict(item: Item) -> dict[str, Any]:
    med = item.medication
    return {
        "order": item.order,
        "heading": item.heading,
        "treatment": item.treatment,
        "outcome": item.outcome.value,
        "partial": item.partial,
        # Partial authorizations: what was asked and what the administrator allowed; the
        # treatment is the disputed remainder.
        "original_request": item.original_request,
        "authorized_portion": item.authorized_portion,
        "category": item.category,
        "subcategory": item.subcategory,
        "drugs": list(med.ingredients) if med else [],
        "medication": None
        if med is None
        else {
            "brand": med.brand,
            "strength": med.strength,
            "quantity": med.quantity,
            "refills": med.refills,
            "frequency": med.frequency,
            "drug_class": med.drug_class,
        },
        "citations": [citation_as_dict(c) for c in item.citations],
    }


def item_analysis_as_dict(item: Item, reasons: tuple[str, ...]) -> dict[str, Any]:
    """An item's analysis fields, for ``parse_letters --analysis`` (not in golden files).

    ``reasons`` are the item's reason tags as the labelled real letters name them
    (``normalize.reasons.labelled_tags``; this module imports no normalizer).
    """
    return {
        "visits": item.visits,
        "body_region": item.body_region,
        "reasons": list(reasons),
        "reason_tags": list(item.reason_tags),
        "guideline_sections": list(item.guideline_sections),
        "claims_guideline_sections": list(item.claims_guideline_sections),
        "same_guideline": item.same_guideline,
        "mme": item.medication.mme if item.medication else None,
    }


def letter_as_dict(letter: ParsedLetter) -> dict[str, Any]:
    """The JSON shape printed by ``manage.py parse_letters`` and stored in golden files."""
    return {
        "layout": letter.layout.value,
        "case_number": letter.case_number,
        "date_assigned": _iso(letter.date_assigned),
        "decision_date": _iso(letter.decision_date),
        "date_of_injury": _iso(letter.date_of_injury),
        "ur_denial_date": _iso(letter.ur_denial_date),
        "application_received": _iso(letter.application_received),
        "priority": letter.priority,
        "reviewer": {
            "specialties": list(letter.reviewer.specialties),
            "licensure_states": list(letter.reviewer.licensure_states),
        },
        "patient": {"age": letter.patient.age, "sex": letter.patient.sex},
        "items": [item_as_dict(i) for i in letter.items],
        "warnings": list(letter.warnings),
        "error": letter.error,
        "parser_version": letter.parser_version,
    }
