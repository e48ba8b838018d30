"""parse -> save: the one path every letter takes into the database.

The ``ingest`` command, the admin upload and the tests all call ``ingest_bytes``
(or ``save_prepared`` after preparing letters in worker processes). Each letter
is saved in one transaction; saving the same file again changes nothing
(SHA-256), and a different file for a case number already stored is kept and
flagged as a conflict, never written over the existing letter.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q

from determinations.models import (
    Determination,
    DisputedItem,
    GuidelineCitation,
    Reviewer,
    ReviewStatus,
    Specialty,
)
from determinations.search import refresh_search_vectors
from ingest.letter import ParsedLetter
from ingest.pipeline import PreparedLetter, prepare_letter

logger = logging.getLogger("ingest")


class Status(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"  # the very same file was ingested before
    CONFLICT = "conflict"  # a different file claims a case number already stored
    NEEDS_REVIEW = "needs_review"  # saved, but the parser left warnings
    FAILED = "failed"  # nothing could be read, or nothing saved


@dataclass(frozen=True, slots=True)
class IngestResult:
    name: str
    status: Status
    determination_id: int | None = None
    message: str = ""
    warnings: tuple[str, ...] = field(default=())


def ingest_all(pairs: list[tuple[str, bytes]], workers: int = 1) -> Iterator[IngestResult]:
    """``ingest_bytes`` over many files, in order, optionally in ``workers`` processes.

    Each worker extracts, parses and saves (one transaction per letter) on its own
    connection, so PostgreSQL's share of the work is spread too.
    """
    if workers > 1 and len(pairs) > 1:
        # Forked children must not share the parent's socket: connect once (which starts
        # an embedded server if that is the database), then close before forking.
        connection.ensure_connection()
        connections.close_all()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(_ingest_pair, pairs, chunksize=8)
    else:
        for name, data in pairs:
            yield ingest_bytes(name, data)


def _ingest_pair(pair: tuple[str, bytes]) -> IngestResult:
    return ingest_bytes(*pair)


def ingest_bytes(name: str, data: bytes) -> IngestResult:
    """Extract, parse and save one file."""
    return save_prepared(prepare_letter(name, data), data)


def save_prepared(prepared: PreparedLetter, data: bytes) -> IngestResult:
    if prepared.parsed is None:
        existing = Determination.objects.filter(sha256=prepared.sha256).values_list("pk", flat=True)
        if existing:
            return IngestResult(prepared.name, Status.UNCHANGED, existing[0], "already ingested")
        # No text at all: nothing a reader could use. The file stays where it came from
        # (on disk, or in the upload batch), and the reason is reported.
        return IngestResult(prepared.name, Status.FAILED, None, prepared.error or "unreadable")
    for attempt in (1, 2):
        try:
            return _save(prepared, prepared.parsed, data)
        except IntegrityError as exc:
            # Another process saved the same file, or claimed the same case number, between
            # our check and our insert. Looking again turns that into "unchanged" or
            # "conflict"; a second failure is a real refusal.
            if attempt == 2:
                logger.exception("ingest failed for %s", prepared.name)
                return IngestResult(
                    prepared.name, Status.FAILED, None, f"database refused it: {exc}"
                )
    raise AssertionError("unreachable")


def _save(prepared: PreparedLetter, parsed: ParsedLetter, data: bytes) -> IngestResult:
    warnings = list(parsed.warnings)
    status = Status.NEW
    det = Determination(sha256=prepared.sha256, original_filename=_base_name(prepared.name))
    stored_name = None
    case = parsed.case_number
    try:
        with transaction.atomic():
            # One query answers both "seen this file?" and "is this case number taken?".
            same = Q(sha256=prepared.sha256)
            rows = list(
                Determination.objects.select_for_update()
                .filter(same | Q(case_number=case) if case else same)
                .values_list("pk", "sha256")
            )
            for pk, sha in rows:
                if sha == prepared.sha256:
                    return IngestResult(prepared.name, Status.UNCHANGED, pk, "already ingested")
            if rows:
                owner = rows[0][0]
                warnings.append(
                    f"case number {case} already belongs to letter #{owner}, "
                    "which has different content; kept separately for review"
                )
                det.claimed_case_number = case or ""
                case = None
                status = Status.CONFLICT
            det.case_number = case
            apply_parsed(det, parsed, warnings)
            if status is Status.CONFLICT:
                det.review_status = ReviewStatus.CONFLICT
            elif det.review_status != ReviewStatus.OK:
                status = Status.NEEDS_REVIEW if parsed.error is None else Status.FAILED
            det.source_file.save(det.original_filename or "letter", ContentFile(data), save=False)
            stored_name = det.source_file.name
            det.save()
            save_items(det, parsed, replace=False)
    except Exception:
        if stored_name:
            det.source_file.storage.delete(stored_name)
        raise
    message = parsed.error or ("; ".join(warnings[:3]) if warnings else "")
    return IngestResult(prepared.name, status, det.pk, message, tuple(warnings))


def apply_parsed(det: Determination, parsed: ParsedLetter, warnings: list[str]) -> None:
    """Copy the letter-level fields of a parse onto ``det`` (not saved)."""
    det.layout = parsed.layout.value
    det.date_assigned = parsed.date_assigned
    det.decision_date = parsed.decision_date
    det.date_of_injury = parsed.date_of_injury
    det.ur_denial_date = parsed.ur_denial_date
    det.application_received = parsed.application_received
    det.priority = (parsed.priority or "").lower()
    det.patient_age = parsed.patient.age
    det.patient_sex = parsed.patient.sex or ""
    det.how_made = parsed.how_made
    det.case_summary = parsed.case_summary
    det.issues_text = parsed.issues_text
    det.full_text = parsed.text
    det.parser_version = parsed.parser_version
    det.parse_warnings = warnings
    det.parse_error = parsed.error or ""
    det.reviewer = reviewer_for(parsed)
    if parsed.error is not None:
        det.review_status = ReviewStatus.FAILED
    elif warnings:
        det.review_status = ReviewStatus.NEEDS_REVIEW
    else:
        det.review_status = ReviewStatus.OK


def reviewer_for(parsed: ParsedLetter) -> Reviewer | None:
    specialties = parsed.reviewer.specialties
    states = parsed.reviewer.licensure_states
    if not specialties and not states:
        return None
    key = Reviewer.key_for(specialties, states)
    reviewer, created = Reviewer.objects.get_or_create(
        profile_key=key, defaults={"licensure_states": sorted(states)}
    )
    if created:
        rows = [Specialty.objects.get_or_create(name=name)[0] for name in specialties]
        reviewer.specialties.set(rows)
    return reviewer


def save_items(det: Determination, parsed: ParsedLetter, *, replace: bool = True) -> None:
    """(Re)write the disputed items and citations of ``det`` from a parse."""
    if replace:
        det.items.all().delete()
    items = DisputedItem.objects.bulk_create(
        [
            DisputedItem(
                determination=det,
                order=item.order,
                heading=item.heading,
                treatment=item.treatment,
                outcome=item.outcome.value,
                partial=item.partial,
                original_request=item.original_request or "",
                authorized_portion=item.authorized_portion or "",
                rationale=item.rationale,
                category=item.category or "",
                subcategory=item.subcategory or "",
                ingredients=list(item.medication.ingredients) if item.medication else [],
                brand=item.medication.brand if item.medication else "",
                strength=(item.medication.strength or "") if item.medication else "",
                quantity=item.medication.quantity if item.medication else None,
                refills=item.medication.refills if item.medication else None,
                frequency=(item.medication.frequency or "") if item.medication else "",
                drug_class=(item.medication.drug_class or "") if item.medication else "",
            )
            for item in parsed.items
        ]
    )
    GuidelineCitation.objects.bulk_create(
        [
            GuidelineCitation(
                item=row,
                order=n,
                party=c.party.value,
                source=c.source.value,
                document=c.document[:200],
                edition_year=c.edition_year,
                section=c.section[:300],
                pages=list(c.pages),
                raw=c.raw,
                stock=c.stock.value,
            )
            for row, item in zip(items, parsed.items, strict=True)
            for n, c in enumerate(item.citations)
        ]
    )
    refresh_search_vectors(connection, [det.pk])


def _base_name(name: str) -> str:
    # "batch.zip!2016/letter.pdf" -> "letter.pdf"; "/path/to/x.txt" -> "x.txt"
    return PurePosixPath(name.split("!")[-1].replace("\\", "/")).name[:300]
