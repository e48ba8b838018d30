"""Bulk benchmark loader: a large synthetic corpus by COPY, with the rows the loader writes.

    .venv/bin/python benchmarks/bulk_load.py --letters 1000000 [--workers 2]

Each worker process generates a chunk of letters, parses them by the real path
(``ingest.pipeline.prepare_letter``), turns each parse into rows with the loader's own code
(``ingest.loader.apply_parsed``, ``_determination_fields``, ``_items_params``,
``_json_columns``) and writes the chunk on its own connection, in one transaction:

1. the letters by ``COPY`` into the letter table (ids drawn from its sequence);
2. each letter's items and citations (the loader's JSON) by ``COPY`` into a staging
   table (a temporary table of the worker's session), expanded with ``jsonb_to_recordset``
   as the loader's statement does;
3. the citations into their table, then the search vector and the columns computed from
   the letter and the citations (``determinations.columns``) by
   ``determinations.search.REFRESH_SQL`` run on the staged items, which then go into the
   item table in one ``INSERT ... SELECT`` (so each item row is written to the indexed
   table once), and the drug words by ``record_drug_names``.

Writing in the workers, not in one parent, lets the PostgreSQL work of one chunk (building
the search vectors is most of it) run while another worker parses: with one writer the
parent and its server process were the bottleneck. A chunk that meets another worker's
(a deadlock on a new drug name or reviewer) is rolled back whole and written again.

``benchmarks/search.py --bulk`` wraps the load in ``indexes_built_at_the_end``: the declared
indexes are dropped first and built once at the end, but for those that stand in for a
foreign key's own index, which the load's lookups by parent need.

tests/loader/test_bulk_load.py checks that the rows equal what ``ingest_bytes`` writes
for the same letters. No source file is stored (``source_file`` is blank), as nothing
reads it in the search benchmark. The letters are the ones ``generate_letters(n, seed)``
yields, so a corpus can be topped up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

CHUNK = 2000
SEED = 2026

STAGING_LETTERS = "bulk_load_letters"
STAGING_ITEMS = "bulk_load_items"


def letters_between(seed: int, start: int, stop: int) -> Iterator[Any]:
    """Letters start..stop-1 of ``generate_letters(stop, seed)``, without making the
    ones before ``start`` (letter i depends only on seed and i; the test checks this)."""
    # The one import of the generator in the benchmarks' bulk path.
    from synth.letters import CASE_SERIAL_BASE, generate_letter

    salt = random.Random(f"salt:{seed}").randrange(CASE_SERIAL_BASE)
    for i in range(start, stop):
        yield generate_letter(random.Random(f"{seed}:{i}"), index=i, salt=salt)


def _prepare_range(job: tuple[int, int, int]) -> list[Any]:
    from ingest.pipeline import prepare_letter

    seed, start, stop = job
    return [prepare_letter(x.filename, x.text.encode()) for x in letters_between(seed, start, stop)]


def _record(columns: list[tuple[str, str]]) -> str:
    from django.db import connection

    q = connection.ops.quote_name
    return ", ".join(f"{q(c)} {t}" for c, t in columns)


def _names(columns: list[tuple[str, str]], prefix: str = "") -> str:
    from django.db import connection

    q = connection.ops.quote_name
    return ", ".join(f"{prefix}{q(c)}" for c, _ in columns)


def create_staging() -> None:
    from django.db import connection

    from determinations.columns import CITATION_COLUMNS

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_LETTERS}, {STAGING_ITEMS}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING_LETTERS} (det_id bigint, items jsonb, citations jsonb)"
        )
        # Same columns and defaults as the item table, ids from its identity sequence;
        # no index, no trigger. Temporary: each worker's session has its own.
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING_ITEMS} "
            "(LIKE determinations_disputeditem INCLUDING DEFAULTS)"
        )
        cursor.execute(
            f"ALTER TABLE {STAGING_ITEMS} ALTER COLUMN id SET DEFAULT"
            " nextval(pg_get_serial_sequence('determinations_disputeditem', 'id'))"
        )
        # Staged without the columns computed from citations, which the refresh fills in.
        for column in CITATION_COLUMNS:
            cursor.execute(f"ALTER TABLE {STAGING_ITEMS} ALTER COLUMN {column} DROP NOT NULL")


def write_chunk(prepared: list[Any], seen_cases: set[str]) -> tuple[int, int]:
    """Write one chunk of prepared letters; returns (letters, items) written. Letters
    without text, and a second letter for a case number already loaded, are skipped
    (the ingest path would report them as failed or conflicts)."""
    from django.db import IntegrityError, OperationalError, transaction

    kept = []
    for p in prepared:
        parsed = p.parsed
        if parsed is None or (parsed.case_number and parsed.case_number in seen_cases):
            continue
        kept.append(p)
    if not kept:
        return 0, 0
    _resolve_reviewers(kept)
    for attempt in range(1, 6):
        try:
            with transaction.atomic():
                got = _write(kept)
        except (IntegrityError, OperationalError) as error:
            # Another worker's chunk added the same new drug name or reviewer profile in
            # another order (a deadlock) or first: nothing of this chunk was written.
            if attempt == 5:
                raise
            print(f"  chunk retried ({type(error).__name__}: {str(error).splitlines()[0]})")
            _resolve_reviewers(kept)
            continue
        seen_cases.update(p.parsed.case_number for p in kept if p.parsed.case_number)
        return got
    raise AssertionError("unreachable")


def _resolve_reviewers(prepared: list[Any]) -> None:
    """Find or create the chunk's reviewer profiles first, in key order, in a transaction
    of their own (``ingest.loader.reviewer_for``, as the loader does per letter), so that
    the chunk's transaction finds them all in the loader's cache and two workers never
    wait on each other's new profiles inside it."""
    from django.db import IntegrityError, OperationalError, connection, transaction

    from determinations.models import Reviewer
    from ingest.loader import reviewer_for

    by_key = {}
    for p in prepared:
        r = p.parsed.reviewer
        if r.specialties or r.licensure_states:
            by_key.setdefault(Reviewer.key_for(r.specialties, r.licensure_states), p.parsed)
    for attempt in range(1, 6):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                for _, parsed in sorted(by_key.items()):
                    reviewer_for(parsed)
            return
        except (IntegrityError, OperationalError):
            # Another worker created one of them first (visible once it has committed).
            if attempt == 5:
                raise


def _write(prepared: list[Any]) -> tuple[int, int]:
    from django.db import connection

    from determinations.columns import CITATION_COLUMNS
    from determinations.models import Determination, DisputedItem, GuidelineCitation
    from determinations.querysets import SAMPLE_RATE
    from determinations.search import REFRESH_SQL, SEARCH_CONFIG, record_drug_names
    from ingest.loader import (
        _base_name,
        _determination_fields,
        _items_params,
        _json_columns,
        apply_parsed,
    )

    fields = _determination_fields()
    cit_cols = _json_columns(GuidelineCitation, {"item_id"})
    # The columns computed from an item's citations are left NULL here: REFRESH_SQL
    # computes them below, from the citations already inserted.
    item_cols = _json_columns(
        DisputedItem, {"determination_id", "search_vector", "request_vector", *CITATION_COLUMNS}
    )
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        dets = []
        for p in prepared:
            parsed = p.parsed
            # As ingest.loader._save builds a new letter.
            det = Determination(sha256=p.sha256, original_filename=_base_name(p.name))
            det.case_number = parsed.case_number
            det.text_extractor = p.extractor
            apply_parsed(det, parsed, list(parsed.warnings))
            dets.append((det, parsed))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('determinations_determination', 'id'))"
            " FROM generate_series(1, %s)",
            [len(dets)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(["id", *(q(f.column) for f in fields)])
        with cursor.copy(f"COPY determinations_determination ({columns}) FROM STDIN") as copy:
            for pk, (det, _) in zip(ids, dets, strict=True):
                det.pk = pk
                copy.write_row(
                    [pk, *(f.get_db_prep_save(f.pre_save(det, True), connection) for f in fields)]
                )
        with cursor.copy(f"COPY {STAGING_LETTERS} (det_id, items, citations) FROM STDIN") as copy:
            for det, parsed in dets:
                params = _items_params(det, parsed)
                copy.write_row([det.pk, params["items"], params["citations"]])
        cursor.execute(
            f"INSERT INTO {STAGING_ITEMS} (determination_id, {_names(item_cols)})"
            f" SELECT l.det_id, {_names(item_cols, 'x.')}"
            f" FROM {STAGING_LETTERS} AS l"
            f" CROSS JOIN LATERAL jsonb_to_recordset(l.items) AS x({_record(item_cols)})"
            ' ORDER BY l.det_id, x."order"'
        )
        items = cursor.rowcount
        cursor.execute(
            f"INSERT INTO determinations_guidelinecitation (item_id, {_names(cit_cols)})"
            f" SELECT i.id, {_names(cit_cols, 'c.')} FROM {STAGING_LETTERS} AS l"
            " CROSS JOIN LATERAL jsonb_to_recordset(l.citations)"
            f" AS c(item_order smallint, {_record(cit_cols)})"
            f" JOIN {STAGING_ITEMS} AS i"
            ' ON i.determination_id = l.det_id AND i."order" = c.item_order'
            ' ORDER BY i.id, c."order"'
        )
        refresh = REFRESH_SQL.replace(
            "UPDATE determinations_disputeditem AS i", f"UPDATE {STAGING_ITEMS} AS i"
        )
        assert refresh != REFRESH_SQL, "REFRESH_SQL no longer updates the item table as i"
        cursor.execute(refresh, {"config": SEARCH_CONFIG, "ids": ids, "sample_rate": SAMPLE_RATE})
        cursor.execute(f"INSERT INTO determinations_disputeditem SELECT * FROM {STAGING_ITEMS}")
        cursor.execute(f"TRUNCATE {STAGING_LETTERS}, {STAGING_ITEMS}")
        record_drug_names(connection, ids)
    return len(dets), items


# Case numbers loaded before this run: set in the parent before the workers fork.
_SEEN: set[str] = set()
_STAGED = False


def _load_range(job: tuple[int, int, int]) -> tuple[int, int]:
    """In a worker: generate, parse and write letters start..stop-1 on its own connection."""
    global _STAGED
    if not _STAGED:
        create_staging()
        _STAGED = True
    return write_chunk(_prepare_range(job), _SEEN)


def bulk_load(count: int, *, start: int = 0, seed: int = SEED, workers: int = 2) -> None:
    """Load letters start..count-1 of the generator (seed) into the database."""
    import multiprocessing
    import os

    from _cpu import postgres_server, python_cpu, server_cpu
    from django.db import connections

    from determinations.models import Determination

    _SEEN.clear()
    _SEEN.update(
        Determination.objects.exclude(case_number=None).values_list("case_number", flat=True)
    )
    server = postgres_server()
    before = (python_cpu(), server_cpu(server), os.getloadavg()[0])
    # Each worker opens its own connection: none may inherit the parent's socket.
    connections.close_all()
    jobs = [(seed, a, min(a + CHUNK, count)) for a in range(start, count, CHUNK)]
    started = time.perf_counter()
    letters = items = 0
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for n, got in enumerate(pool.map(_load_range, jobs), start=1):
            letters += got[0]
            items += got[1]
            if n % 25 == 0 or n == len(jobs):
                rate = letters / (time.perf_counter() - started)
                print(
                    f"  {min(start + n * CHUNK, count):,}/{count:,} letters generated, "
                    f"{letters:,} loaded ({items:,} items), {rate:,.0f} letters/s",
                    flush=True,
                )
    seconds = time.perf_counter() - started
    print(
        f"bulk-loaded {letters:,} letters ({items:,} items) in {seconds:,.0f}s: "
        f"{letters / seconds:,.0f} letters/s (load {before[2]:.1f} -> {os.getloadavg()[0]:.1f})"
    )
    if letters:
        python_ms = 1000 * (python_cpu() - before[0]) / letters
        server_ms = 1000 * (server_cpu(server) - before[1]) / letters
        cpu_ms = python_ms + server_ms
        print(
            f"  CPU per letter: {python_ms:.2f} ms Python + {server_ms:.2f} ms PostgreSQL = "
            f"{cpu_ms:.2f} ms; 2 busy cores would do {2000 / cpu_ms:,.0f} letters/s"
        )


# The tables a bulk load writes; their declared indexes are built once at the end.
BULK_MODELS = ("Determination", "DisputedItem", "GuidelineCitation")


def _declared_indexes() -> list[tuple[Any, Any]]:
    """(model, index) for every index the bulk-loaded models declare in ``Meta.indexes``
    (the very definitions the migrations create), but those that stand in for a foreign
    key's own index. Primary keys, unique constraints and foreign-key indexes stay in
    place: the load looks rows up by their parent (the refresh reads each staged item's
    citations by item), and without such an index every lookup reads the whole table."""
    from django.apps import apps

    return [
        (model, index)
        for model in (apps.get_model("determinations", name) for name in BULK_MODELS)
        for index in model._meta.indexes
        if not _leads_with_foreign_key(model, index)
    ]


def _leads_with_foreign_key(model: Any, index: Any) -> bool:
    """Is ``index`` a whole-table index whose first column is a foreign key without an
    index of its own (migration 0013 dropped those where such an index covers them)?"""
    if index.condition is not None or not index.fields:
        return False
    field = model._meta.get_field(index.fields[0].lstrip("-"))
    return field.many_to_one and not field.db_index


@contextlib.contextmanager
def indexes_built_at_the_end():
    """The usual bulk-load practice: drop the declared indexes, load, build them once.

    Per-row index maintenance (GIN above all) is most of an INSERT's cost, and building an
    index from sorted rows is cheaper than growing it row by row. A run killed midway
    leaves them missing; the next run builds whatever is missing.
    """
    from django.db import connection

    with connection.schema_editor() as editor:
        for model, index in _declared_indexes():
            if index.name in _index_names(model._meta.db_table):
                editor.remove_index(model, index)
    try:
        yield
    finally:
        build_missing_indexes()


def build_missing_indexes() -> None:
    from django.db import connection

    missing = [
        (model, index)
        for model, index in _declared_indexes()
        if index.name not in _index_names(model._meta.db_table)
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Memory for the sorts and GIN builds, and both cores (a benchmark database).
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
    with connection.schema_editor() as editor:
        for model, index in missing:
            editor.add_index(model, index)
    if missing:
        print(f"  built {len(missing)} indexes in {time.perf_counter() - started:,.0f}s")


def _index_names(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def main() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _django import setup

    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="imr_bench_search")
    args = parser.parse_args()
    setup(args.db)
    from determinations.models import Determination

    bulk_load(args.letters, start=Determination.objects.count(), workers=args.workers)
    print(json.dumps({"letters": Determination.objects.count()}))


if __name__ == "__main__":
    main()
