"""Re-parse stored letters with the current parser, keeping the admins' corrections.

The original file (``Determination.source_file``) goes through the same
extract -> parse step as a new upload (``ingest.pipeline.prepare_letter``); the
letter's fields and items are rewritten by the loader's ``apply_parsed`` and
``save_items`` and the recorded corrections re-applied, all in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction

from determinations.choices import ReviewStatus
from determinations.models import Determination
from determinations.search import refresh_search_vectors
from ingest.letter import PARSER_VERSION
from ingest.loader import apply_parsed, claim_case_number, save_items
from ingest.models import Correction
from ingest.pipeline import WAITING_FOR_OCR, prepare_letter

logger = logging.getLogger("ingest")

# Fields compared before and after a re-parse (and shown in its summary).
LETTER_FIELDS = (
    "case_number",
    "claimed_case_number",
    "layout",
    "date_assigned",
    "decision_date",
    "date_of_injury",
    "ur_denial_date",
    "application_received",
    "priority",
    "patient_age",
    "patient_sex",
    "reviewer_id",
    "how_made",
    "case_summary",
    "review_status",
    "parse_error",
    "parse_warnings",
    "text_extractor",
    "ocr_confidence",
)
ITEM_FIELDS = (
    "heading",
    "treatment",
    "outcome",
    "partial",
    "original_request",
    "authorized_portion",
    "rationale",
    "category",
    "subcategory",
    "ingredients",
    "brand",
    "strength",
    "quantity",
    "refills",
    "frequency",
    "drug_class",
    # Analysis fields: what a new parser version reads differently (visits, reasons).
    "visits",
    "reason_tags",
)


@dataclass(frozen=True, slots=True)
class ReparseOutcome:
    determination_id: int
    label: str
    changes: tuple[str, ...] = ()
    error: str = ""
    corrections_applied: int = 0


def reparse(det_id: int) -> ReparseOutcome:
    """Re-read one letter from its original file; report what changed."""
    det = Determination.objects.get(pk=det_id)
    label = str(det)
    data = _original_bytes(det)
    if data is None:
        return ReparseOutcome(det_id, label, error="no original file or text is kept")
    prepared = prepare_letter(det.original_filename or f"letter-{det_id}", data)
    parsed = prepared.parsed
    if parsed is None:
        return ReparseOutcome(det_id, label, error=prepared.error or "unreadable")
    if prepared.extractor == WAITING_FOR_OCR:
        # A scan, and still no Tesseract here: the letter stays as it is (waiting, or as
        # read by OCR elsewhere).
        return ReparseOutcome(det_id, label, error=parsed.error or "waiting for OCR")
    with transaction.atomic():
        det = Determination.objects.select_for_update().get(pk=det_id)
        before = snapshot(det)
        warnings = list(parsed.warnings)
        case = parsed.case_number
        owner = (
            Determination.objects.filter(case_number=case).exclude(pk=det_id).first()
            if case
            else None
        )
        conflict = claim_case_number(det, case, owner.pk if owner else None, warnings)
        # A scan kept waiting for OCR is read now: the page says how.
        det.text_extractor = prepared.extractor
        det.ocr_confidence = prepared.ocr_confidence
        apply_parsed(det, parsed, warnings)
        if conflict:
            det.review_status = ReviewStatus.CONFLICT
        det.save()
        save_items(det, parsed, replace=True)
        # DWC's coding of a synced letter: its items again if this parse cannot read them
        # either, and DWC's values in the fields this parse left empty (dwcsync.fallback).
        from dwcsync.fallback import apply_to_letter

        apply_to_letter(det)
        applied = apply_corrections(det)
        changes = describe_changes(before, snapshot(det))
    return ReparseOutcome(det_id, str(det), tuple(changes), corrections_applied=applied)


def apply_corrections(det: Determination) -> int:
    """Re-apply the recorded corrections in the order they were made; returns how many held."""
    applied = 0
    for correction in Correction.objects.filter(determination=det).order_by("created_at", "id"):
        try:
            with transaction.atomic():
                applied += bool(correction.apply_to(det))
        except (DatabaseError, ValueError, LookupError) as exc:
            # E.g. an item renumbered by the new parse; the correction stays on record.
            logger.warning("correction %s no longer applies: %s", correction.pk, exc)
    refresh_search_vectors(connection, [det.pk])
    return applied


def reparse_outdated(batch_size: int = 200) -> dict[str, int]:
    """Re-parse every letter parsed by another parser version than the current one."""
    counts = {"reparsed": 0, "changed": 0, "failed": 0}
    last = 0
    while True:
        ids = list(
            Determination.objects.exclude(parser_version=PARSER_VERSION)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return counts
        for pk in ids:
            outcome = reparse(int(pk))
            if outcome.error:
                counts["failed"] += 1
            else:
                counts["reparsed"] += 1
                counts["changed"] += bool(outcome.changes)
        last = int(ids[-1])


def _original_bytes(det: Determination) -> bytes | None:
    if det.source_file:
        try:
            with det.source_file.open("rb") as fh:
                return bytes(fh.read())
        except OSError:
            logger.warning("original file of letter %s is missing", det.pk)
    return det.full_text.encode() if det.full_text else None


def snapshot(det: Determination) -> dict[str, Any]:
    """The compared fields of a letter and its items (one query for the items)."""
    items = {
        int(row["order"]): {f: row[f] for f in ITEM_FIELDS}
        for row in det.items.values("order", *ITEM_FIELDS)
    }
    letter = {f: getattr(det, f) for f in LETTER_FIELDS}
    return {"letter": letter, "items": items}


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Human lines like "decision_date: 2017-02-10 -> 2017-02-11", "item 3: added"."""
    changes = [
        f"{name}: {_short(old)} -> {_short(after['letter'][name])}"
        for name, old in before["letter"].items()
        if old != after["letter"][name]
    ]
    old_items, new_items = before["items"], after["items"]
    for order in sorted(set(old_items) | set(new_items)):
        if order not in new_items:
            changes.append(f"item {order}: removed")
        elif order not in old_items:
            changes.append(f"item {order}: added ({_short(new_items[order]['treatment'])})")
        else:
            changes.extend(
                f"item {order}: {name}: {_short(old)} -> {_short(new_items[order][name])}"
                for name, old in old_items[order].items()
                if old != new_items[order][name]
            )
    return changes


def _short(value: Any, width: int = 60) -> str:
    text = "(empty)" if value in (None, "", []) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
