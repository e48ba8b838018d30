"""parse -> save: the one path every letter takes into the database.

The ``ingest`` command, the admin upload and the tests all call ``ingest_bytes``
(or ``save_prepared`` after preparing letters in worker processes). Each letter
is saved in one transaction; saving the same file again changes nothing
(SHA-256), and a different file for a case number already stored is kept and
flagged as a conflict, never written over the existing letter.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import multiprocessing
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import PurePosixPath
from typing import Any

import psycopg
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, connections, transaction

from determinations.choices import ItemSource, ReviewStatus
from determinations.columns import LETTER_COLUMNS, citation_columns, letters_sql
from determinations.models import Determination, DisputedItem, GuidelineCitation, Reviewer
from determinations.search import (
    DRUG_NAMES_SQL,
    SEARCH_CONFIG,
    drug_words,
    request_vector_sql,
    search_vector_sql,
)
from ingest.letter import ParsedLetter
from ingest.parser import load_dictionaries
from ingest.pipeline import PreparedLetter, prepare_letter

logger = logging.getLogger("ingest")


class Status(StrEnum):
    """What saving one file did (an upload's ``ingest.models.FileStatus`` is built from it)."""

    NEW = "new"
    UNCHANGED = "unchanged"  # the very same file was ingested before
    # A different file claims a case number already stored.
    CONFLICT = ReviewStatus.CONFLICT.value
    # Saved, but the parser left warnings.
    NEEDS_REVIEW = ReviewStatus.NEEDS_REVIEW.value
    # Nothing could be read, or nothing saved.
    FAILED = ReviewStatus.FAILED.value


@dataclass(frozen=True, slots=True)
class IngestResult:
    name: str
    status: Status
    determination_id: int | None = None
    message: str = ""
    warnings: tuple[str, ...] = field(default=())


# Letters handed to each worker at a time, and chunks queued per worker: enough to keep
# every worker busy, few enough that a backlog of any size holds only these in memory.
CHUNK = 8
QUEUED_PER_WORKER = 4


def ingest_all(pairs: Iterable[tuple[str, bytes]], workers: int = 1) -> Iterator[IngestResult]:
    """``ingest_bytes`` over many files, in order, optionally in ``workers`` processes.

    Each worker extracts, parses and saves (one transaction per letter) on its own
    connection, so PostgreSQL's share of the work is spread too. ``pairs`` is read as
    the workers need it (at most ``workers * QUEUED_PER_WORKER`` chunks ahead), so a
    folder of a million PDFs is never held in memory.
    """
    if workers <= 1:
        for name, data in pairs:
            yield ingest_bytes(name, data)
        return
    # Forked children must not share the parent's socket: connect once (which starts
    # an embedded server if that is the database), then close before forking.
    connection.ensure_connection()
    connections.close_all()
    # Forked (not spawned, Python 3.14's default): the workers start with Django set up
    # and with the parser's dictionaries, loaded here once.
    load_dictionaries()
    # The objects made so far (Django, the dictionaries) are never garbage: out of the
    # collector's reach, the workers' collections neither scan them nor copy their pages
    # (measured: the collector's time per letter 0.16 -> 0.03 ms).
    gc.freeze()
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=fork) as pool:
        queued: deque[Future[list[IngestResult]]] = deque()
        for chunk in itertools.batched(pairs, CHUNK):
            queued.append(pool.submit(_ingest_chunk, chunk))
            if len(queued) >= workers * QUEUED_PER_WORKER:
                yield from queued.popleft().result()
        while queued:
            yield from queued.popleft().result()


def _ingest_chunk(chunk: tuple[tuple[str, bytes], ...]) -> list[IngestResult]:
    return [ingest_bytes(name, data) for name, data in chunk]


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
    _expire_caches()
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
            # "conflict"; a second failure is a real refusal. (Or a cached reviewer profile
            # was deleted meanwhile: the second attempt looks it up afresh.)
            _REVIEWERS.clear()
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
            with connection.cursor() as cursor:
                # Commit without waiting for the WAL flush (measured +23% letters/s with
                # 2 workers). A server crash can lose the last fraction of a second of
                # letters, never part of one: they were saved whole or not at all, an
                # upload batch marks its file in the same transaction (so the file is
                # done again), and the ingest command is idempotent to re-run. Any later
                # ordinary commit flushes them for good.
                # One query answers both "seen this file?" and "is this case number taken?",
                # sent with the SET in one round trip.
                cursor.execute(
                    "SET LOCAL synchronous_commit = off;"
                    " SELECT id, sha256 FROM determinations_determination"
                    " WHERE sha256 = %s OR case_number = %s FOR UPDATE",
                    [prepared.sha256, case],
                )
                cursor.nextset()
                rows = cursor.fetchall()
            for pk, sha in rows:
                if sha == prepared.sha256:
                    return IngestResult(prepared.name, Status.UNCHANGED, pk, "already ingested")
            if claim_case_number(det, case, rows[0][0] if rows else None, warnings):
                status = Status.CONFLICT
            det.text_extractor = prepared.extractor
            det.ocr_confidence = prepared.ocr_confidence
            apply_parsed(det, parsed, warnings)
            if status is Status.CONFLICT:
                det.review_status = ReviewStatus.CONFLICT
            elif det.review_status != ReviewStatus.OK:
                status = Status.NEEDS_REVIEW if parsed.error is None else Status.FAILED
            det.source_file.save(det.original_filename or "letter", ContentFile(data), save=False)
            stored_name = det.source_file.name
            # The letter, its items and citations and their drug words: one statement.
            insert_letter(det, parsed)
    except Exception:
        if stored_name:
            det.source_file.storage.delete(stored_name)
        raise
    message = parsed.error or ("; ".join(warnings[:3]) if warnings else "")
    return IngestResult(prepared.name, status, det.pk, message, tuple(warnings))


def claim_case_number(
    det: Determination, case: str | None, owner: int | None, warnings: list[str]
) -> bool:
    """The conflict rule: ``det`` takes case number ``case`` unless letter ``owner`` (a
    different file) already holds it; then ``det`` only claims it, a warning says so, and
    True is returned (the caller marks the letter CONFLICT after ``apply_parsed``)."""
    if owner is None:
        det.case_number, det.claimed_case_number = case, ""
        return False
    warnings.append(
        f"case number {case} already belongs to letter #{owner}, "
        "which has different content; kept separately for review"
    )
    det.case_number, det.claimed_case_number = None, case or ""
    return True


def apply_parsed(det: Determination, parsed: ParsedLetter, warnings: list[str]) -> None:
    """Copy the letter-level fields of a parse onto ``det`` (not saved)."""
    det.layout = parsed.layout.value
    det.case_number_source = parsed.case_number_source.value if parsed.case_number_source else ""
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


# Reviewer profile key -> Reviewer row, per process: letters share a few hundred
# profiles, so this saves a round trip per letter. A row is added only once the
# transaction that found or created it has committed, and the cache is cleared on an
# IntegrityError (a profile deleted meanwhile). The rows are never modified here.
_REVIEWERS: dict[str, Reviewer] = {}
# The per-process caches (_REVIEWERS, _DRUG_WORDS) are dropped this often, so that a
# long-lived process (the upload worker) sees edits made in the admin meanwhile.
CACHE_SECONDS = 60.0
_caches_since = time.monotonic()


def _expire_caches() -> None:
    global _caches_since
    if time.monotonic() - _caches_since > CACHE_SECONDS:
        _REVIEWERS.clear()
        _DRUG_WORDS.clear()
        _caches_since = time.monotonic()


def reviewer_for(parsed: ParsedLetter) -> Reviewer | None:
    specialties = parsed.reviewer.specialties
    states = parsed.reviewer.licensure_states
    if not specialties and not states:
        return None
    key = Reviewer.key_for(specialties, states)
    reviewer = _REVIEWERS.get(key)
    if reviewer is None:
        reviewer = _find_or_create_reviewer(key, sorted(set(specialties)), sorted(states))
        found = reviewer
        transaction.on_commit(lambda: _REVIEWERS.__setitem__(key, found))
    return reviewer


# A new profile, its new specialties and its links, in one statement. A concurrent
# session creating the same profile makes it fail with an IntegrityError, and the
# letter's retry then finds the profile.
CREATE_REVIEWER_SQL = """
WITH new_specialty AS (
    INSERT INTO determinations_specialty (name)
    SELECT DISTINCT name FROM unnest(%(names)s::text[]) AS name ORDER BY name
    ON CONFLICT (name) DO NOTHING RETURNING id),
reviewer AS (
    INSERT INTO determinations_reviewer (profile_key, licensure_states)
    VALUES (%(key)s, %(states)s) RETURNING id),
link AS (
    INSERT INTO determinations_reviewer_specialties (reviewer_id, specialty_id)
    SELECT reviewer.id, s.id FROM reviewer, (
        SELECT id FROM new_specialty
        UNION SELECT id FROM determinations_specialty WHERE name = ANY(%(names)s)) AS s
    RETURNING 1)
SELECT (SELECT id FROM reviewer), (SELECT count(*) FROM link)
"""


def _find_or_create_reviewer(key: str, specialties: list[str], states: list[str]) -> Reviewer:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, licensure_states FROM determinations_reviewer WHERE profile_key = %s",
            [key],
        )
        row = cursor.fetchone()
        if row is not None:
            return _loaded(Reviewer(pk=row[0], profile_key=key, licensure_states=row[1]))
        cursor.execute(CREATE_REVIEWER_SQL, {"names": specialties, "key": key, "states": states})
        pk, linked = cursor.fetchone()
    if linked != len(specialties):
        # A specialty another session added after this statement began is not visible
        # to it: start the letter again (the retry sees it).
        raise IntegrityError(f"specialties of reviewer profile {key!r} changed meanwhile")
    return _loaded(Reviewer(pk=pk, profile_key=key, licensure_states=states))


def _loaded(reviewer: Reviewer) -> Reviewer:
    reviewer._state.adding = False
    reviewer._state.db = connection.alias
    return reviewer


def save_items(
    det: Determination,
    parsed: ParsedLetter,
    *,
    replace: bool = True,
    source: ItemSource = ItemSource.PARSED,
) -> None:
    """(Re)write the disputed items and citations of ``det`` (already saved) from a parse
    (or, ``source`` DWC_INDEX, from DWC's coding of the case: dwcsync.fallback)."""
    if replace:
        det.items.all().delete()
    _write_letter(det, parsed, insert_determination=False, source=source)


def insert_letter(
    det: Determination, parsed: ParsedLetter, *, source: ItemSource = ItemSource.PARSED
) -> None:
    """INSERT ``det`` (not yet saved) with its items and citations: one statement."""
    _write_letter(det, parsed, insert_determination=True, source=source)


def _write_letter(
    det: Determination,
    parsed: ParsedLetter,
    *,
    insert_determination: bool,
    source: ItemSource = ItemSource.PARSED,
) -> None:
    """Write the items and citations of ``det`` (and ``det`` itself if asked) in one statement.

    The items' search vector and denormalised columns are written with the rows themselves,
    by the SQL that ``determinations.search.refresh_search_vectors`` runs over the stored
    rows (determinations.columns, ``search_vector_sql``): inserting and then updating would
    write every index of every item twice. The letter's drug words are added to DrugName
    (``determinations.search.drug_words``) unless this process has already seen every one of
    them committed.
    """
    params = _items_params(det, parsed, source)
    words: set[str] = set()
    for item in parsed.items:
        if item.medication is not None:
            words |= drug_words(item.medication.ingredients, item.medication.brand)
    new_words = not words <= _DRUG_WORDS
    if new_words:
        params["drug_words"] = sorted(words)
    if insert_determination:
        for n, f in enumerate(_determination_fields()):
            params[f"d{n}"] = f.get_db_prep_save(f.pre_save(det, True), connection)
    sql, names = _letter_statement(insert_determination, new_words)
    connection.ensure_connection()
    raw = connection.connection
    # A server-side prepared statement with PostgreSQL's own $n placeholders (psycopg's
    # RawCursor on Django's connection, in its transaction): the ~5 KB statement is parsed
    # and planned once per connection instead of once per letter, and neither side re-reads
    # its text per letter. Django opens connections with prepare_threshold None, which
    # makes psycopg ignore prepare=True as well; a threshold no count reaches prepares this
    # statement alone (measured on real letters: PostgreSQL 4.0-4.7 -> 3.4-3.6 ms a
    # letter). Its errors are Django's (IntegrityError, DataError), as a Django cursor's
    # would be.
    if raw.prepare_threshold is None:
        raw.prepare_threshold = ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.RawCursor(raw) as cursor:
        cursor.execute(sql, [params[name] for name in names], prepare=True)
        (pk,) = cursor.fetchone()
    if insert_determination:
        det.pk = pk
        det._state.adding = False
        det._state.db = connection.alias
    if new_words:
        transaction.on_commit(lambda: _DRUG_WORDS.update(words))


# psycopg's prepare_threshold (how many runs of a query make psycopg prepare it) that no
# query reaches: only statements executed with prepare=True are prepared.
ONLY_WHEN_ASKED = 2**31 - 1

# Drug words (DrugName rows) this process has seen committed: most letters name only
# drugs seen before, and skipping their INSERT ... ON CONFLICT saves PostgreSQL a tenth
# of its work per letter.
_DRUG_WORDS: set[str] = set()


@cache
def _determination_fields() -> list[Any]:
    return [f for f in Determination._meta.concrete_fields if not f.primary_key]


def _json_columns(model: Any, skip: set[str]) -> list[tuple[str, str]]:
    """Columns of ``model`` read from the JSON built by _items_params, with their types
    (varchar read as text: the INSERT checks the length). An item's LETTER_COLUMNS are
    never in it: the statement reads them from the letter row."""
    if model is DisputedItem:
        skip = skip | LETTER_COLUMNS.keys()
    return [
        (f.column, re.sub(r"varchar\(\d+\)", "text", f.db_type(connection)))
        for f in model._meta.concrete_fields
        if not f.primary_key and f.column not in skip
    ]


# A named parameter of the statement's SQL ("%(items)s"), and a literal percent sign.
NAMED_PARAMETER_RE = re.compile(r"%\((\w+)\)s|%%")


@cache
def _letter_statement(insert_determination: bool, drug_names: bool) -> tuple[str, list[str]]:
    """``_letter_sql`` with PostgreSQL's $n placeholders, and the parameter names in $n
    order (a name used twice is one parameter)."""
    names: list[str] = []

    def numbered(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "%"
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = NAMED_PARAMETER_RE.sub(numbered, _letter_sql(insert_determination, drug_names))
    return sql, names


def _letter_sql(insert_determination: bool, drug_names: bool) -> str:
    """The statement _write_letter runs, with named parameters (whitespace folded)."""
    q = connection.ops.quote_name
    # Columns computed from the citations (determinations.columns) are SQL here too.
    from_citations = citation_columns("c", 'c.item_order = x."order"')
    item_cols = _json_columns(
        DisputedItem, {"determination_id", "search_vector", "request_vector", *from_citations}
    )
    cit_cols = _json_columns(GuidelineCitation, {"item_id"})
    if insert_determination:
        fields = _determination_fields()
        columns = ", ".join(q(f.column) for f in fields)
        values = ", ".join(f"%(d{n})s" for n in range(len(fields)))
        det = f"INSERT INTO determinations_determination ({columns}) VALUES ({values}) RETURNING *"
    else:
        det = "SELECT * FROM determinations_determination WHERE id = %(det_id)s::bigint"

    def record(cols: list[tuple[str, str]]) -> str:
        return ", ".join(f"{q(c)} {t}" for c, t in cols)

    item_names = ", ".join(q(c) for c, _ in item_cols)
    cit_names = ", ".join(q(c) for c, _ in cit_cols)
    c_names = ", ".join(f"c.{q(c)}" for c, _ in cit_cols)
    letter_names = ", ".join(q(c) for c in LETTER_COLUMNS)
    # The letter's columns and its case summary's vector: once per letter (``letter``), as
    # REFRESH_SQL computes them. A citation's ``id`` is its place in the letter (the JSON is
    # in letter order, and so are the ids it is inserted with), which orders the citations'
    # words in the vector as REFRESH_SQL orders the stored ones, by id.
    sql = f"""
WITH det AS ({det}),
letter AS MATERIALIZED ({letters_sql("det")}),
x AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(%(items)s::jsonb) AS x({record(item_cols)})),
c AS MATERIALIZED (
    SELECT * FROM ROWS FROM (jsonb_to_recordset(%(citations)s::jsonb)
        AS (item_order smallint, {record(cit_cols)}))
    WITH ORDINALITY AS c(item_order, {cit_names}, id)),
items AS (
    INSERT INTO determinations_disputeditem (determination_id, {item_names}, {letter_names},
        {", ".join(q(c) for c in from_citations)}, search_vector, request_vector)
    SELECT letter.id, {item_names}, {", ".join(f"letter.{q(c)}" for c in LETTER_COLUMNS)},
        {", ".join(from_citations.values())},
        {search_vector_sql("x", "c", 'c.item_order = x."order"', "letter.summary")},
        {request_vector_sql("x")}
    FROM letter, x
    ORDER BY x."order"
    RETURNING id, "order"),
citations AS (
    INSERT INTO determinations_guidelinecitation (item_id, {cit_names})
    SELECT items.id, {c_names}
    FROM items JOIN c ON c.item_order = items."order"
    ORDER BY c.id)
"""
    if drug_names:
        sql += f",\ndrug_names AS ({DRUG_NAMES_SQL})\n"
    sql += "SELECT id FROM letter"
    return " ".join(sql.split())


def _items_params(
    det: Determination, parsed: ParsedLetter, source: ItemSource = ItemSource.PARSED
) -> dict[str, Any]:
    items = []
    citations = []
    for item in parsed.items:
        med = item.medication
        items.append(
            {
                "order": item.order,
                "heading": item.heading,
                "treatment": item.treatment,
                "outcome": item.outcome.value,
                "partial": item.partial,
                "original_request": item.original_request or "",
                "authorized_portion": item.authorized_portion or "",
                "rationale": item.rationale,
                "category": item.category or "",
                "subcategory": item.subcategory or "",
                "ingredients": list(med.ingredients) if med else [],
                "brand": med.brand if med else "",
                "strength": (med.strength or "") if med else "",
                "quantity": med.quantity if med else None,
                "refills": med.refills if med else None,
                "frequency": (med.frequency or "") if med else "",
                "drug_class": (med.drug_class or "") if med else "",
                # Analysis fields, from the parse only (refresh_search_vectors leaves them).
                "visits": item.visits,
                "body_region": item.body_region or "",
                "mme": med.mme if med else None,
                "reason_tags": list(item.reason_tags),
                "reason_evidence": dict(item.reason_evidence),
                "guideline_sections": list(item.guideline_sections),
                "claims_guideline_sections": list(item.claims_guideline_sections),
                "same_guideline": item.same_guideline,
                "source": source.value,
            }
        )
        citations.extend(
            {
                "item_order": item.order,
                "order": n,
                "party": c.party.value,
                "source": c.source.value,
                "document": c.document[:200],
                "edition_year": c.edition_year,
                "section": c.section[:300],
                "pages": list(c.pages),
                "raw": c.raw,
                "stock": c.stock.value,
            }
            for n, c in enumerate(item.citations)
        )
    return {
        "det_id": det.pk,
        "config": SEARCH_CONFIG,
        "items": json.dumps(items, ensure_ascii=False),
        "citations": json.dumps(citations, ensure_ascii=False),
    }


def _base_name(name: str) -> str:
    # "batch.zip!2016/letter.pdf" -> "letter.pdf"; "/path/to/x.txt" -> "x.txt"
    return PurePosixPath(name.split("!")[-1].replace("\\", "/")).name[:300]
