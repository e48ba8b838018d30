"""Search benchmark: the analyst pages over a large synthetic corpus.

    .venv/bin/python benchmarks/search.py [--letters 200000] [--requests 200] [--db NAME] [--bulk]

Loads synthetic letters through the ingest path into a benchmark database (kept between
runs: only the missing letters are added), reads its tables into PostgreSQL's buffers as a
serving database would hold them (``warm_up``), then prints p50/p95 over a fixed mix of
realistic list requests (every facet count included), detail pages, and a CSV export of
100,000 items (rows/s and the exporting process's peak RSS). Targets on the 2-core
reference machine: list p95 <= 300 ms, detail p95 <= 50 ms, export >= 20,000 rows/s
under 200 MB RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

# One log line per request would drown the numbers (and its writing is timed).
os.environ.setdefault("LOG_LEVEL", "WARNING")

from _cpu import backend_pid, page_faults
from _django import peak_rss_mb, setup
from bulk_load import build_missing_indexes, indexes_built_at_the_end

DB_NAME = "imr_bench_search"
EXPORT_ROWS = 100_000

# The request mix: (kind, query parameters). Each kind is a fifth of the requests.
COMMON_WORDS = ["pain", "physical therapy", "opioids", "MRI", "functional improvement"]
RARE_PHRASES = [
    '"functional restoration program"',
    '"urine drug screen"',
    '"radiofrequency ablation"',
    "gabapenten",  # a typo: trigram correction finds gabapentin
    '"home health"',
]
DRUG_OUTCOMES = [
    {"drug": "hydrocodone", "outcome": "overturned"},
    {"drug": "cyclobenzaprine", "outcome": "upheld"},
    {"drug": "gabapentin", "outcome": "overturned"},
    {"drug": "tramadol", "outcome": "upheld"},
    {"drug": "omeprazole", "outcome": "upheld"},
]
SPECIALTY_YEARS = [
    {"specialty": "Pain Management", "year": "2016"},
    {"specialty": "Orthopedic Surgery", "year": "2015"},
    {"specialty": "Family Practice", "year": "2017"},
    {"specialty": "Physical Medicine & Rehabilitation", "year": "2014"},
    {"specialty": "Chiropractic", "year": "2016"},
]
THREE_FACETS = [
    {"category": "Pharmaceuticals", "state": "CA", "year": "2016"},
    {"category": "Rehabilitation", "outcome": "upheld", "specialty": "Chiropractic"},
    {"drug_class": "Opioids", "guideline": "MTUS", "year": "2015"},
    {"category": "Diagnostic Testing", "state": "NY", "outcome": "overturned"},
    {"category": "Surgery", "year": "2017", "count": "letters"},
]


def request_mix(n: int) -> list[tuple[str, dict[str, str]]]:
    # The searches in the default scope (the request, determinations.search.SearchScope),
    # and the common words in each wider scope: "whole letter" is what every search
    # matched before the scopes.
    kinds = [
        ("common word", [{"q": w} for w in COMMON_WORDS]),
        ("word, rationale", [{"q": w, "scope": "rationale"} for w in COMMON_WORDS]),
        ("word, whole letter", [{"q": w, "scope": "letter"} for w in COMMON_WORDS]),
        ("rare phrase", [{"q": w} for w in RARE_PHRASES]),
        ("drug + outcome", DRUG_OUTCOMES),
        ("specialty + year", SPECIALTY_YEARS),
        ("no query, 3 facets", THREE_FACETS),
    ]
    mix = []
    for i in range(n):
        kind, params = kinds[i % len(kinds)]
        mix.append((kind, params[(i // len(kinds)) % len(params)]))
    return mix


def load_corpus(target: int, workers: int, bulk_copy: bool = False) -> None:
    from django.db import connection

    from determinations.models import Determination
    from ingest.loader import ingest_all
    from synth.letters import generate_letters

    have = Determination.objects.count()
    # The generator's deliberately unreadable letters are never stored, so a complete
    # corpus can be a letter or so short: topping it up would regenerate every letter
    # before it (a minute of CPU, after which this machine runs measurably slower).
    if have >= target - max(1, target // 1000):
        print(f"corpus: {have:,} letters already loaded")
        build_missing_indexes()
        return
    print(f"corpus: {have:,} letters; loading {target - have:,} more through the ingest path...")
    # One line per letter is too much for a bulk load.
    logging.getLogger("ingest").setLevel(logging.WARNING)
    started = time.perf_counter()
    letters = itertools.islice(generate_letters(target, seed=2026), have, None)
    done = 0
    # A few letters short: load them with the indexes in place rather than rebuilding
    # every GIN index for them.
    bulk = target - have > 1000
    with indexes_built_at_the_end() if bulk else contextlib.nullcontext():
        if bulk_copy:
            # benchmarks/bulk_load.py: the same rows by COPY, letters have..target-1.
            from bulk_load import bulk_load

            bulk_load(target, start=have, seed=2026, workers=workers)
        while not bulk_copy:
            batch = [(x.filename, x.text.encode()) for x in itertools.islice(letters, 5000)]
            if not batch:
                break
            for _ in ingest_all(batch, workers):
                done += 1
            rate = done / (time.perf_counter() - started)
            print(f"  {have + done:,}/{target:,} letters ({rate:,.0f}/s)", flush=True)
    print(f"  loaded and indexed in {time.perf_counter() - started:,.0f}s")
    if bulk:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# What the measured pages and the export read, least needed first: the letters' full texts
# (the detail page), the items' search vectors and long rationales (TOAST), the search
# index, the citations, the letters, the item indexes and rows, and the samples with the
# reviewer tables that every list page reads. (table, part): "toast", "heap", "indexes" or
# the name of one index.
WARM_ORDER = (
    ("determinations_determination", "toast"),
    ("determinations_disputeditem", "toast"),
    ("determinations_disputeditem", "item_search_gin"),
    ("determinations_guidelinecitation", "indexes"),
    ("determinations_guidelinecitation", "heap"),
    ("determinations_determination", "indexes"),
    ("determinations_determination", "heap"),
    ("determinations_disputeditem", "indexes"),
    ("determinations_disputeditem", "heap"),
    ("determinations_reviewer", "heap"),
    ("determinations_reviewer", "indexes"),
    ("determinations_sampleitem", "toast"),
    ("determinations_sampleitem", "indexes"),
    ("determinations_sampleitem", "heap"),
    ("determinations_sparsesampleitem", "toast"),
    ("determinations_sparsesampleitem", "indexes"),
    ("determinations_sparsesampleitem", "heap"),
)

# The relations of one (table, part), with their sizes.
_PART_SQL = """
SELECT c.oid, pg_relation_size(c.oid) FROM pg_class AS c
WHERE CASE %(part)s
    WHEN 'heap' THEN c.oid = %(table)s::regclass
    WHEN 'toast' THEN c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = %(table)s::regclass)
        OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid =
            (SELECT reltoastrelid FROM pg_class WHERE oid = %(table)s::regclass))
    WHEN 'indexes' THEN c.oid IN (SELECT indexrelid FROM pg_index
        WHERE indrelid = %(table)s::regclass) AND c.relname <> 'item_search_gin'
    ELSE c.relname = %(part)s END
"""


def warm_up() -> None:
    """Read what the measured pages read into PostgreSQL's buffers before timing anything.

    A serving database holds its working set in memory; a benchmark right after a server
    start would otherwise time disk reads (this machine's page cache is reclaimed within
    a minute, so even the operating system does not keep the files: measured, the first
    run after a restart gave list p95 269 ms and an export at 7,500 rows/s). At 200,000
    letters everything fits in shared_buffers; at 1,000,000 (25 GB) it does not, and
    reading it all would leave in the buffers whatever came last. So the parts of
    WARM_ORDER are taken from the most needed down while they fit in 90% of
    shared_buffers, and read least needed first. pg_prewarm ships with PostgreSQL; without
    it nothing is warmed and the first run is a cold one.
    """
    from django.db import DatabaseError, connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except DatabaseError as exc:  # not installed on that server: report, go on
            print(f"  no warm-up (pg_prewarm unavailable: {exc})")
            return
        cursor.execute("SELECT pg_size_bytes(current_setting('shared_buffers'))")
        (budget,) = cursor.fetchone()
        left = int(0.9 * budget)
        chosen: list[tuple[str, list[int]]] = []
        skipped: list[str] = []
        for table, part in reversed(WARM_ORDER):
            cursor.execute(_PART_SQL, {"table": table, "part": part})
            relations = cursor.fetchall()
            size = sum(size for _, size in relations)
            if size <= left:
                left -= size
                chosen.append((f"{table} {part}", [oid for oid, _ in relations]))
            else:
                skipped.append(f"{table.removeprefix('determinations_')} {part}")
        blocks = 0
        for _, oids in reversed(chosen):
            for oid in oids:
                cursor.execute("SELECT pg_prewarm(%s::regclass)", [oid])
                blocks += cursor.fetchone()[0]
    print(
        f"warm-up: {blocks * 8 / 1024:,.0f} MB of tables and indexes read into shared "
        f"buffers ({budget / 2**30:.0f} GB; pg_prewarm) in {time.perf_counter() - started:.1f}s"
        + (f"; not warmed (no room): {', '.join(skipped)}" if skipped else "")
    )


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        for _ in response.streaming_content:
            pass
    elapsed = 1000 * (time.perf_counter() - started)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def bench_pages(n_requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from determinations.models import Determination

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    list_url = reverse("determinations:list")
    mix = request_mix(n_requests)
    for _, params in mix[:10]:  # warm caches and connections
        timed_get(client, f"{list_url}?{urlencode(params)}")

    by_kind: dict[str, list[float]] = {}
    for kind, params in mix:
        by_kind.setdefault(kind, []).append(timed_get(client, f"{list_url}?{urlencode(params)}"))
    every = [t for times in by_kind.values() for t in times]
    print(f"list page with all facet counts, {len(every)} requests: {percentiles(every)}")
    for kind, times in by_kind.items():
        print(f"  {kind:<20} {percentiles(times)}")

    rng = random.Random(5)
    top = Determination.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(n_requests)]
    existing = set(Determination.objects.filter(pk__in=ids).values_list("pk", flat=True))
    detail = [
        timed_get(client, reverse("determinations:detail", args=[pk]))
        for pk in ids
        if pk in existing
    ]
    print(f"detail page, {len(detail)} letters: {percentiles(detail)}")


def bench_export_in_child(db: str = DB_NAME) -> None:
    """Run the export in a fresh process so its peak RSS is the export's own."""
    env = {**os.environ, "EXPORT_MAX_ROWS": str(EXPORT_ROWS)}
    env.setdefault("EMBEDDED_DB_NAME", db)
    out = subprocess.run(
        [sys.executable, __file__, "--export-child"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for run, label in zip(result["runs"], EXPORT_RUNS, strict=True):
        print(
            f"CSV export, {label}: {run['rows']:,} rows in {run['seconds']:.1f}s = "
            f"{run['rows'] / run['seconds']:,.0f} rows/s, {run['bytes'] / 1e6:.0f} MB; "
            f"the server process took {run['faults']:,} page faults"
        )
    print(
        f"  peak RSS of the exporting process {result['peak_rss_mb']:.0f} MB "
        f"(before the first export: {result['rss_before_mb']:.0f} MB)"
    )


# The export is timed twice in one process: in a new database session, as the first request
# of a fresh web worker would run it, and again in the same session, as a serving worker
# (CONN_MAX_AGE keeps its connection) runs the next one. The difference is the server
# process mapping the shared buffers it reads, one page fault per 4 KB page (or per 64 KB
# once another process has mapped them) unless the server uses huge pages.
EXPORT_RUNS = ("new database session", "same session again")


def export_child() -> None:
    setup(os.environ.get("EMBEDDED_DB_NAME", DB_NAME))
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from audit.models import Action, AuditEvent

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    # The test client keeps the connection between requests, as a serving web worker does
    # (settings: DATABASE_CONN_MAX_AGE): both exports run on this one server process.
    server_pid = backend_pid()
    before = peak_rss_mb()
    runs = []
    for _ in EXPORT_RUNS:
        faults = page_faults(server_pid)
        started = time.perf_counter()
        response = client.get(reverse("determinations:export"))
        # Consume the stream as a downloading client would (bytes, no parsing here), then
        # take the row count the server recorded in the audit log when the stream ended.
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
        event = AuditEvent.objects.filter(action=Action.EXPORT).latest("created_at")
        runs.append(
            {
                "rows": event.rows or 0,
                "bytes": size,
                "seconds": seconds,
                "faults": page_faults(server_pid) - faults,
            }
        )
    print(json.dumps({"runs": runs, "peak_rss_mb": peak_rss_mb(), "rss_before_mb": before}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default=DB_NAME, help="benchmark database (embedded server)")
    parser.add_argument(
        "--bulk", action="store_true", help="load by COPY (benchmarks/bulk_load.py), not ingest"
    )
    parser.add_argument(
        "--load-only", action="store_true", help="build or top up the corpus, measure nothing"
    )
    parser.add_argument(
        "--pages-only", action="store_true", help="measure the pages, not the export"
    )
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child()
        return
    setup(args.db)
    from django.db import connection

    load_corpus(args.letters, args.workers, bulk_copy=args.bulk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")
    from determinations.models import DisputedItem

    print(f"corpus: {DisputedItem.objects.count():,} disputed items")
    if args.load_only:
        return
    warm_up()
    from determinations.querysets import current_sample_rate

    print(f"large sets are estimated from the 1-in-{current_sample_rate()} sample of letters")
    bench_pages(args.requests)
    if not args.pages_only:
        bench_export_in_child(args.db)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
