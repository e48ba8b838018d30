"""DWC's own coding of a case where the letter cannot be read (issue 24).

DWC's result rows (``DwcCase``, ``DwcItem``) code every treatment of a case: request category,
subcategory or drug, decision; and the case: decision, injury and received dates, reviewer
specialty. ``apply_dwc_coding`` uses them on the letter linked to a case, after the sync saved
it and after every re-parse (ingest.reparse):

- **The parser could not read the letter** (no text at all, an unknown layout, a notice
  without items) **or read another number of items than DWC lists**: the letter's items are
  DWC's rows, written through the loader's one path (``ingest.loader.save_items`` /
  ``insert_letter``, so every denormalised column and search vector is written as for any
  item) with ``source = "dwc_index"``. The letter stays in the review queue (failed, or
  needs review) with ``FALLBACK_WARNING``. A re-parse that reads the letter replaces them
  (the loader writes parsed items; this then finds nothing to fall back on).
- **The parse succeeded**: DWC's values fill only what the parser left empty (the 2014-15
  letters carry no decision date in their text); a parsed value is never overridden.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import connection, transaction

from determinations.choices import ItemSource, ReviewStatus
from determinations.models import Determination
from determinations.search import refresh_search_vectors
from dwcsync.agreement import Coding, pair_items
from dwcsync.models import CaseStatus, DwcCase, DwcItem
from ingest.letter import Item, Layout, Outcome, ParsedLetter, Reviewer
from ingest.loader import (
    apply_parsed,
    claim_case_number,
    insert_letter,
    reviewer_for,
    save_items,
)
from ingest.normalize.categories import DWC_SUBCATEGORY_FIXES
from ingest.normalize.credentials import parse_specialties
from ingest.pipeline import sha256_hex

log = logging.getLogger("dwcsync")

# The letter's review reason while its items are DWC's (its page says so above the items).
FALLBACK_WARNING = "items copied from DWC's index of the case: check them against the original"
# Determination.case_number_source of a number taken from DWC's listing.
CASE_NUMBER_FROM_DWC = "dwc index"
# The letter's fields DWC's case row can fill when the parser left them empty.
DATE_FIELDS = {
    "decision_date": "decision_date",
    "date_of_injury": "date_of_injury",
    "application_received": "received_date",
}


class Applied:
    NOTHING = ""
    FALLBACK = "fallback"  # the letter's items are DWC's
    FILLED = "filled"  # DWC's values filled fields the parser left empty


def dwc_outcome(decision: str) -> Outcome | None:
    """DWC's decision word as our outcome ("Upheld", "Overturned"); None for anything else
    (never guessed)."""
    word = " ".join(decision.split()).casefold()
    if word.startswith("overturn"):
        return Outcome.OVERTURNED
    if word.startswith(("upheld", "uphold")):
        return Outcome.UPHELD
    return None


def _subcategory(text: str) -> str:
    text = " ".join(text.split())
    return DWC_SUBCATEGORY_FIXES.get(text, text)


def dwc_items(rows: list[DwcItem]) -> tuple[tuple[Item, ...], list[str]]:
    """DWC's rows as the letter's items (in DWC's order), and a warning per row skipped."""
    items: list[Item] = []
    skipped: list[str] = []
    for row in rows:
        outcome = dwc_outcome(row.decision)
        if outcome is None:
            skipped.append(
                f"DWC's row {row.category} / {row.subcategory}: decision {row.decision!r}"
            )
            continue
        sub = _subcategory(row.subcategory)
        treatment = sub or row.category or "Treatment"
        items.append(
            Item(
                order=len(items) + 1,
                heading=treatment,
                treatment=treatment,
                outcome=outcome,
                rationale="",
                category=row.category[:80] or None,
                subcategory=sub[:80] or None,
            )
        )
    return tuple(items), skipped


@dataclass(frozen=True, slots=True)
class _Case:
    """What DWC's listing says about one case, read once."""

    case: DwcCase
    rows: list[DwcItem]

    @property
    def specialties(self) -> tuple[str, ...]:
        return parse_specialties(self.case.specialty) if self.case.specialty.strip() else ()


def _dwc_letter(dwc: _Case, error: str | None, warnings: tuple[str, ...]) -> ParsedLetter:
    """A ParsedLetter carrying DWC's coding: what the loader writes for a fallback letter."""
    items, _ = dwc_items(dwc.rows)
    case = dwc.case
    return ParsedLetter(
        layout=Layout.UNKNOWN,
        text="",
        case_number=case.case_number,
        decision_date=case.decision_date,
        date_of_injury=case.date_of_injury,
        application_received=case.received_date,
        reviewer=Reviewer(specialties=dwc.specialties),
        items=items,
        warnings=warnings,
        error=error,
    )


def apply_dwc_coding(case: DwcCase) -> str:
    """Apply DWC's coding of ``case`` to its letter (see the module docstring); creates the
    letter when the PDF gave no text at all. Returns what it did (``Applied``); sets
    ``case.determination_id`` when it created the letter (the caller saves the case)."""
    rows = list(case.items.order_by("id"))
    dwc = _Case(case, rows)
    with transaction.atomic():
        if case.determination_id is None:
            if not rows or case.status != CaseStatus.FAILED:
                return Applied.NOTHING
            det = _letter_without_text(dwc)
            if det is None:
                return Applied.NOTHING
            case.determination_id = det.pk
            return Applied.FALLBACK
        det = Determination.objects.select_for_update().get(pk=case.determination_id)
        return _apply(dwc, det)


def apply_to_letter(det: Determination) -> str:
    """``apply_dwc_coding`` for a letter, if DWC lists it (ingest.reparse calls this after a
    re-parse, in its transaction)."""
    case = DwcCase.objects.filter(determination_id=det.pk).first()
    if case is None:
        return Applied.NOTHING
    return _apply(_Case(case, list(case.items.order_by("id"))), det)


def release_fallback(case: DwcCase) -> None:
    """Before another file of ``case`` is ingested: delete its letter if all it holds is DWC's
    index (no item read from the letter), so the new file is saved as the case's letter, not
    as a conflicting copy. The unreadable file stays on its upload record."""
    if case.determination_id is None:
        return
    det = Determination.objects.filter(pk=case.determination_id).first()
    if det is not None and not det.items.filter(source=ItemSource.PARSED).exists():
        det.delete()
        if det.source_file:
            det.source_file.delete(save=False)
    DwcCase.objects.filter(pk=case.pk).update(determination=None)
    case.determination_id = None


def _letter_without_text(dwc: _Case) -> Determination | None:
    """A letter for a PDF the loader could not read at all (no text): its file kept, its
    items DWC's. None when the uploaded file is gone."""
    record = dwc.case.ingest_file
    if record is None or not record.file:
        return None
    try:
        with record.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        log.warning("uploaded file of DWC case %s is missing", dwc.case.case_number)
        return None
    sha = sha256_hex(data)
    held = Determination.objects.filter(sha256=sha).first()
    if held is not None:
        return held
    error = record.message or "no text could be read"
    warnings = [FALLBACK_WARNING]
    parsed = _dwc_letter(dwc, error, tuple(warnings))
    det = Determination(sha256=sha, original_filename=f"{dwc.case.case_number}.pdf")
    owner = Determination.objects.filter(case_number=dwc.case.case_number).first()
    conflict = claim_case_number(det, dwc.case.case_number, owner.pk if owner else None, warnings)
    apply_parsed(det, parsed, warnings)
    det.parser_version = ""  # nothing was parsed: any parser version re-parses it
    det.case_number_source = CASE_NUMBER_FROM_DWC
    if conflict:
        det.review_status = ReviewStatus.CONFLICT
    det.source_file.save(det.original_filename, ContentFile(data), save=False)
    insert_letter(det, parsed, source=ItemSource.DWC_INDEX)
    return det


def _fill_letter(dwc: _Case, det: Determination) -> list[str]:
    """DWC's case values in the letter's empty fields; returns the fields filled."""
    filled = []
    for ours, theirs in DATE_FIELDS.items():
        value: datetime.date | None = getattr(dwc.case, theirs)
        if getattr(det, ours) is None and value is not None:
            setattr(det, ours, value)
            filled.append(ours)
    if det.reviewer_id is None and dwc.specialties:
        det.reviewer = reviewer_for(
            ParsedLetter(Layout.UNKNOWN, "", reviewer=Reviewer(specialties=dwc.specialties))
        )
        filled.append("reviewer")
    if not det.case_number and not det.claimed_case_number:
        number = dwc.case.case_number
        if not Determination.objects.filter(case_number=number).exists():
            det.case_number, det.case_number_source = number, CASE_NUMBER_FROM_DWC
            filled += ["case_number", "case_number_source"]
    return filled


def _apply(dwc: _Case, det: Determination) -> str:
    items = list(det.items.order_by("order").values_list("source", "category", "subcategory"))
    parsed = [i for i in items if i[0] == ItemSource.PARSED]
    dwc_rows = dwc_items(dwc.rows)[0]
    unreadable = bool(det.parse_error) or not parsed
    fallback = bool(dwc_rows) and (unreadable or len(parsed) != len(dwc.rows))
    filled = _fill_letter(dwc, det)
    if not fallback:
        filled_items = _fill_items(dwc, det)
        if filled:
            det.save(update_fields=[*filled, "updated_at"])
        if filled or filled_items:
            refresh_search_vectors(connection, [det.pk])
            return Applied.FILLED
        return Applied.NOTHING
    already = not parsed and len(items) == len(dwc_rows)
    if already and not filled:
        return Applied.NOTHING  # DWC's items already, nothing new to fill
    warnings = list(det.parse_warnings)
    if not unreadable:
        count = f"the parser read {len(parsed)} items; DWC lists {len(dwc.rows)}"
        if count not in warnings:
            warnings.append(count)
    if FALLBACK_WARNING not in warnings:
        warnings.append(FALLBACK_WARNING)
    warnings += [w for w in dwc_items(dwc.rows)[1] if w not in warnings]
    det.parse_warnings = warnings
    if det.review_status == ReviewStatus.OK:
        det.review_status = ReviewStatus.NEEDS_REVIEW  # stays in the review queue
    det.save()
    if not already:
        save_items(det, _dwc_letter(dwc, None, ()), replace=True, source=ItemSource.DWC_INDEX)
    else:
        refresh_search_vectors(connection, [det.pk])
    return Applied.FALLBACK


def _fill_items(dwc: _Case, det: Determination) -> bool:
    """DWC's category and subcategory in parsed items that have none, paired as the
    agreement pairs them; True if any was filled."""
    ours = [
        Coding(c, s, o, order)
        for order, c, s, o in det.items.values_list("order", "category", "subcategory", "outcome")
    ]
    theirs = [Coding(r.category, _subcategory(r.subcategory), r.decision) for r in dwc.rows]
    changed = False
    for pair in pair_items(dwc.case.case_number, ours, theirs):
        if pair.ours is None or pair.dwc is None:
            continue
        update: dict[str, str] = {}
        if not pair.ours.category and pair.dwc.category:
            update["category"] = pair.dwc.category[:80]
            if not pair.ours.subcategory and pair.dwc.subcategory:
                update["subcategory"] = pair.dwc.subcategory[:80]
        elif pair.category_agrees and not pair.ours.subcategory and pair.dwc.subcategory:
            update["subcategory"] = pair.dwc.subcategory[:80]
        if update:
            det.items.filter(order=pair.ours.order).update(**update)
            changed = True
    return changed
