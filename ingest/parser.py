"""Read one IMR Final Determination letter: text in, :class:`ParsedLetter` out.

Pure and total: no database, no network, and :func:`parse_letter` never raises. Each
step lives in its own module and is testable alone:

1. ``sections.normalize``      one kind of line break, undoubled 2014 spacing
2. ``sections.split_sections`` header / how made / case summary / issues
3. ``header``                  layout, then the 2016 header block
4. ``patient``                 age, sex, date of injury from the case summary
5. ``reviewer``                credentials -> ``normalize.credentials``
6. ``items``                   disputed items, outcomes, partial authorizations
7. ``citations``               guideline citations of each party
8. ``normalize.drugs`` / ``normalize.categories``  medication and DWC category per item

Anything a step cannot read becomes a short sentence in ``warnings``; ``error`` is set
only when nothing usable came out (not a determination, no items).

A 2013 "Notice of Independent Medical Review Determination" takes its own path
(``_parse_notice``): ``sections.split_notice``, ``header.read_notice_header``,
``items.read_notice_items``, then the same reviewer, summary, citation and item steps.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePath

from ingest.citations import notice_guideline, read_citations
from ingest.header import Header, detect_layout, read_header, read_notice_header
from ingest.items import IssuesRead, RawItem, read_items, read_notice_items
from ingest.letter import (
    CaseNumberSource,
    Citation,
    Item,
    Layout,
    Medication,
    ParsedLetter,
    Party,
    Patient,
    Reviewer,
)
from ingest.normalize import analysis
from ingest.normalize.categories import categorize
from ingest.normalize.drugs import find_medication
from ingest.patient import read_case_summary
from ingest.reviewer import read_reviewer
from ingest.sections import normalize, split_notice, split_sections

NOT_A_DETERMINATION = "not an IMR final determination letter"
EMPTY_TEXT = "empty text: nothing to parse"
NOTICE_NO_ITEMS = (
    "2013 'Notice of Independent Medical Review Determination': no numbered decision "
    "('N) MAXIMUS Federal Services ... has determined the request for ...') could be read"
)
NO_ITEMS = "no disputed items could be read"

# A file named by a DWC case number: "CM15-1234567.pdf", "archive.zip!CM16-0001234.txt".
CASE_NUMBER_FILE_RE = re.compile(r"^CM\d{2}-\d{7}$")


def case_number_from_file_name(file_name: str) -> str | None:
    """The DWC case number a file is named by, or None."""
    stem = PurePath(file_name.rsplit("!", 1)[-1].replace("\\", "/")).stem.strip().upper()
    return stem if CASE_NUMBER_FILE_RE.match(stem) else None


def parse_letter(text: str, file_name: str | None = None) -> ParsedLetter:
    """Parse one letter's text; never raises (surprises become ``error``/``warnings``).

    ``file_name`` supplies the case number when the text has none (2014-2015 letters have no
    header block) and the file is named by one; ``case_number_source`` says which it was.
    """
    letter = _parse_safely(text)
    if letter.case_number is not None:
        return dataclasses.replace(letter, case_number_source=CaseNumberSource.TEXT)
    from_name = case_number_from_file_name(file_name) if file_name else None
    if from_name is not None and letter.error is None:
        return dataclasses.replace(
            letter, case_number=from_name, case_number_source=CaseNumberSource.FILE_NAME
        )
    return letter


def load_dictionaries() -> None:
    """Load what the parser otherwise loads on its first drug name (the drug dictionary,
    ~0.7 s): before forking workers, so that they share it instead of each loading it."""
    find_medication("gabapentin")


def _parse_safely(text: str) -> ParsedLetter:
    try:
        return _parse(text)
    except Exception as exc:  # the contract: a bad letter must not stop a batch
        try:
            normalised = normalize(text) if isinstance(text, str) else ""
        except Exception:
            normalised = ""
        return ParsedLetter(
            layout=Layout.UNKNOWN,
            text=normalised,
            warnings=(f"parser failure: {type(exc).__name__}: {exc}",),
            error=f"parser failure ({type(exc).__name__}); please report this letter",
        )


def _parse(text: str) -> ParsedLetter:
    normalised = normalize(text)
    if not normalised.strip():
        return ParsedLetter(layout=Layout.UNKNOWN, text=normalised, error=EMPTY_TEXT)
    sections = split_sections(normalised)
    layout = detect_layout(normalised, sections.header)
    warnings: list[str] = []

    if layout is Layout.UNKNOWN:
        return ParsedLetter(layout=layout, text=normalised, error=NOT_A_DETERMINATION)
    if layout is Layout.NOTICE_2013:
        return _parse_notice(normalised)

    warnings.extend(f"section missing: {name}" for name in sections.missing)
    header = Header()
    if layout is Layout.DWC_2016:
        header = read_header(sections.header)
        warnings.extend(header.warnings)

    summary = read_case_summary(sections.case_summary)
    date_of_injury = header.date_of_injury or summary.date_of_injury
    if date_of_injury is None:
        warnings.append("date of injury unreadable")
    # No warning for a missing age or sex: many summaries never state them.

    reviewer, reviewer_warnings = _reviewer(sections.how_made)
    warnings.extend(reviewer_warnings)

    issues = read_items(sections.issues or normalised)
    warnings.extend(issues.warnings)
    items = _items(issues, warnings)
    # Orders stay as printed even if an item had to be dropped.
    return ParsedLetter(
        layout=layout,
        text=normalised,
        case_number=header.case_number,
        date_assigned=header.date_assigned,
        decision_date=header.decision_date,
        date_of_injury=date_of_injury,
        ur_denial_date=header.ur_denial_date,
        application_received=header.application_received,
        priority=header.priority,
        reviewer=reviewer,
        patient=summary.patient if summary.patient else Patient(),
        how_made=sections.how_made,
        case_summary=sections.case_summary,
        issues_text=sections.issues,
        items=tuple(items),
        warnings=tuple(dict.fromkeys(warnings)),
        error=None if items else NO_ITEMS,
    )


def _parse_notice(normalised: str) -> ParsedLetter:
    """A 2013 notice: items and outcomes from its numbered list, dates from its prose,
    credentials from "Medical Qualifications of the Expert Reviewer:", the summary without
    its disclaimer, each item's guideline paragraphs and rationale from its own section."""
    sections = split_notice(normalised)
    warnings = [f"section missing: {name}" for name in sections.missing]
    header = read_notice_header(sections.header, sections.decision or normalised)
    warnings.extend(header.warnings)
    summary = read_case_summary(sections.summary)
    if summary.date_of_injury is None:
        warnings.append("date of injury unreadable")
    reviewer, reviewer_warnings = _reviewer(sections.qualifications)
    warnings.extend(reviewer_warnings)
    issues = read_notice_items(sections.header, sections.decision, sections.rationales)
    warnings.extend(issues.warnings)
    items = _items(issues, warnings, notice=True)
    return ParsedLetter(
        layout=Layout.NOTICE_2013,
        text=normalised,
        case_number=header.case_number,
        date_assigned=header.date_assigned,
        decision_date=header.decision_date,
        date_of_injury=summary.date_of_injury,
        ur_denial_date=header.ur_denial_date,
        application_received=header.application_received,
        reviewer=reviewer,
        patient=summary.patient,
        how_made=sections.qualifications,
        case_summary=sections.summary,
        issues_text=sections.rationales or sections.decision,
        items=tuple(items),
        warnings=tuple(dict.fromkeys(warnings)),
        error=None if items else NOTICE_NO_ITEMS,
    )


def _items(issues: IssuesRead, warnings: list[str], *, notice: bool = False) -> list[Item]:
    items: list[Item] = []
    for raw in issues.items:
        item, item_warnings = _item(raw, notice=notice)
        warnings.extend(item_warnings)
        if item is not None:
            items.append(item)
    return items


def _reviewer(how_made: str) -> tuple[Reviewer, tuple[str, ...]]:
    if not how_made:
        return Reviewer(), ("reviewer credentials unreadable: section missing",)
    return read_reviewer(how_made)


def _item(raw: RawItem, *, notice: bool = False) -> tuple[Item | None, list[str]]:
    warnings: list[str] = []
    if raw.outcome is None:
        warnings.append(f"item {raw.order}: dropped, no outcome")
        return None, warnings
    citations: list[Citation] = []
    for party, paragraph in (
        (Party.CLAIMS_ADMINISTRATOR, raw.claims_administrator_guideline),
        (Party.REVIEWER, raw.maximus_guideline),
    ):
        if paragraph is None:
            # items.read_items already warned that the paragraph is missing; a notice
            # gives guidelines only where the reviewer cited some.
            continue
        if notice:
            paragraph = notice_guideline(paragraph)
        read = read_citations(paragraph, party)
        citations.extend(read.citations)
        warnings.extend(f"item {raw.order}: {w}" for w in read.warnings)
        if not read.citations:
            warnings.append(f"item {raw.order}: no citation in the {party.value} guideline")

    medication: Medication | None = None
    try:
        medication = find_medication(raw.treatment)
    except Exception as exc:  # a bug in the drug table must not lose the letter
        warnings.append(f"item {raw.order}: medication lookup failed ({type(exc).__name__})")
    category: str | None = None
    subcategory: str | None = None
    try:
        category, subcategory = categorize(raw.treatment, medication)
    except Exception as exc:
        warnings.append(f"item {raw.order}: category lookup failed ({type(exc).__name__})")

    item = Item(
        order=raw.order,
        heading=raw.heading,
        treatment=raw.treatment,
        outcome=raw.outcome,
        rationale=raw.rationale or "",
        partial=raw.partial,
        original_request=raw.original_request,
        authorized_portion=raw.authorized_portion,
        category=category,
        subcategory=subcategory,
        medication=medication,
        citations=tuple(citations),
    )
    try:
        item = analysis.analyse(item)
    except Exception as exc:  # analysis is a bonus: never lose the item over it
        warnings.append(f"item {raw.order}: analysis failed ({type(exc).__name__})")
    return item, warnings
