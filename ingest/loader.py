"""parse -> save: the one path every letter takes into the database.

The ``ingest`` command, the admin upload and the tests all call ``ingest_bytes``
(or ``save_prepared`` after preparing letters in worker processes). Each letter
is saved in one transaction; saving the same file again changes nothing
(SHA-256), and a different file for a case number already stored is kept and
flagged as a conflict, never written over the existing letter.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath

from django.contrib.postgres.search import CombinedSearchVector, SearchVector
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q, Value

from determinations.models import (
    Determination,
    DisputedItem,
    GuidelineCitation,
    Reviewer,
    ReviewStatus,
    Specialty,
)
from determinations.search import SEARCH_CONFIG, record_drug_names
from ingest.letter import Citation, Item, ParsedLetter
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
    started = time.monotonic()
    result = _save_prepared(prepared, data)
    # One structured log line per letter (LOG_FORMAT=json): file, status, ms to save.
    logger.info(
        "ingest %s %s",
        prepared.name,
        result.status.value,
        extra={
            "event": "ingest",
            "file": prepared.name,
            "status": result.status.value,
            "letter_id": result.determination_id,
            "ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return result


def _save_prepared(prepared: PreparedLetter, data: bytes) -> IngestResult:
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
    """(Re)write the disputed items and citations of ``det`` from a parse.

    The items' search vector and denormalised facet columns are written with the rows
    themselves (the vector by PostgreSQL's to_tsvector inside the INSERT): inserting and
    then updating would write every index of every item twice. They hold exactly what
    ``determinations.search.refresh_search_vectors`` computes from the stored rows; a
    test keeps the two in step, and that refresh is what to call after editing a letter.
    """
    if replace:
        det.items.all().delete()
    specialties, states = _reviewer_facets(det, parsed)
    year = det.decision_date.year if det.decision_date else None
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
                ingredients=list(med.ingredients) if med else [],
                brand=med.brand if med else "",
                strength=(med.strength or "") if med else "",
                quantity=med.quantity if med else None,
                refills=med.refills if med else None,
                frequency=(med.frequency or "") if med else "",
                drug_class=(med.drug_class or "") if med else "",
                search_vector=_search_vector(item, det.case_summary),
                decision_date=det.decision_date,
                decision_year=year,
                date_of_injury=det.date_of_injury,
                review_status=det.review_status,
                specialties=specialties,
                licensure_states=states,
                guidelines=guideline_keys(item.citations),
                # Analysis fields, from the parse only (refresh_search_vectors leaves them).
                visits=item.visits,
                body_region=item.body_region or "",
                mme=med.mme if med else None,
                reason_tags=list(item.reason_tags),
                guideline_sections=list(item.guideline_sections),
                claims_guideline_sections=list(item.claims_guideline_sections),
                same_guideline=item.same_guideline,
                sample=det.sample,
            )
            for item in parsed.items
            for med in [item.medication]
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
    if any(item.medication for item in parsed.items):
        record_drug_names(connection, [det.pk])


def _search_vector(item: Item, case_summary: str) -> CombinedSearchVector:
    """Weights as in determinations.search: A treatment, B citations, C rationale, D summary."""
    med = item.medication
    treatment = " ".join(
        [
            item.treatment,
            item.heading,
            med.brand if med else "",
            " ".join(med.ingredients) if med else "",
        ]
    )
    citations = " ".join(" ".join([c.source.value, c.document, c.section]) for c in item.citations)
    parts = [(treatment, "A"), (citations, "B"), (item.rationale, "C"), (case_summary, "D")]
    vectors = [SearchVector(Value(text), weight=w, config=SEARCH_CONFIG) for text, w in parts]
    return vectors[0] + vectors[1] + vectors[2] + vectors[3]


def guideline_keys(citations: tuple[Citation, ...]) -> list[str]:
    """Facet keys of an item's citations at three depths ("MTUS", "MTUS|doc", "MTUS|doc|sec")."""
    keys = set()
    for c in citations:
        if c.source.value == "none":
            continue
        keys.add(c.source.value)
        if c.document:
            keys.add(f"{c.source.value}|{c.document}")
            if c.section:
                keys.add(f"{c.source.value}|{c.document}|{c.section}")
    return sorted(keys)


def _reviewer_facets(det: Determination, parsed: ParsedLetter) -> tuple[list[str], list[str]]:
    reviewer = det.reviewer
    if reviewer is None:
        return [], []
    specialties, states = parsed.reviewer.specialties, parsed.reviewer.licensure_states
    if reviewer.profile_key == Reviewer.key_for(specialties, states):
        return sorted(specialties), sorted(states)
    # The letter's reviewer was corrected by hand: read the profile it points at.
    names = reviewer.specialties.order_by("name").values_list("name", flat=True)
    return list(names), sorted(reviewer.licensure_states)


def _base_name(name: str) -> str:
    # "batch.zip!2016/letter.pdf" -> "letter.pdf"; "/path/to/x.txt" -> "x.txt"
    return PurePosixPath(name.split("!")[-1].replace("\\", "/")).name[:300]
