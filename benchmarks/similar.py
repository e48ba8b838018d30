"""Benchmark of the "Find similar decisions" page over the search benchmark's corpus.

    .venv/bin/python benchmarks/similar.py [--letters 200000] [--db imr_bench_search]
        [--requests 200] [--bulk]

Uses benchmarks/search.py's database and loader (synthetic letters through the ingest
path, or by COPY with ``--bulk``: benchmarks/bulk_load.py; kept between runs), warms the
tables as it does, then prints p50/p95 of the whole page (understand -> match -> rank ->
estimate -> render, the Django test client in-process, DEBUG off), of its phases (the
matched set, the ten ranked results, the estimate block), and of the same searches
through /api/v1/similar/ (a token, throttled and audited as any call), over a fixed mix
of requests. Targets on the 2-core reference machine at 200,000 letters: find page
p95 <= 300 ms, estimate block p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

# A benchmark is not a client to slow down (the limiter itself still runs on every call);
# one log line per call would drown the numbers.
os.environ.setdefault("API_RATE_LIMIT", "1000000/minute")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import search  # benchmarks/search.py: the corpus and the warm-up

# One log line per request would drown the numbers (and its writing is timed).
os.environ.setdefault("LOG_LEVEL", "WARNING")

from _django import setup

# Requests as users type them: drugs, combinations, therapies with visits and regions,
# procedures, and one nothing understands (the full-text fallback).
REQUESTS = [
    "Lidoderm patch 5% #30",
    "Norco 10/325 #90",
    "Gabapentin 600mg #90",
    "Cyclobenzaprine 7.5mg #60",
    "Omeprazole 20mg #60",
    "Tramadol ER 150mg #30",
    "L4-5 ESI",
    "12 sessions of chiropractic for the neck",
    "Physical therapy 2x4 for the right knee",
    "Acupuncture 6 visits lumbar spine",
    "MRI of the lumbar spine",
    "EMG/NCV bilateral upper extremities",
    "TENS unit purchase",
    "Functional restoration program",
    "Zumba classes 20 sessions",
]


def percentiles(samples: list[float]) -> str:
    return search.percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200_000)
    parser.add_argument("--db", default=search.DB_NAME)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bulk", action="store_true", help="load missing letters by COPY")
    args = parser.parse_args()
    setup(args.db)
    search.load_corpus(args.letters, args.workers, bulk_copy=args.bulk)

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from api.models import ApiToken
    from determinations.models import Determination, DisputedItem
    from similar.estimate import estimate
    from similar.matching import RESULTS, match, ranked
    from similar.request import understand

    print(
        f"corpus: {Determination.objects.count():,} letters, "
        f"{DisputedItem.objects.count():,} disputed items"
    )
    search.warm_up()
    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    url = reverse("similar:find")
    mix = [REQUESTS[i % len(REQUESTS)] for i in range(args.requests)]
    for text in REQUESTS:  # warm the normalizers' caches and the connection
        search.timed_get(client, f"{url}?{urlencode({'text': text})}")

    pages: dict[str, list[float]] = {}
    for text in mix:
        pages.setdefault(text, []).append(
            search.timed_get(client, f"{url}?{urlencode({'text': text})}")
        )
    every = [t for times in pages.values() for t in times]
    print(f"find page, {len(every)} requests: {percentiles(every)}")
    for text, times in pages.items():
        print(f"  {text:<42} {percentiles(times)}")

    # The page's phases, as similar.results.find runs them.
    phases: dict[str, list[float]] = {"match": [], "ranked": [], "estimate": []}
    for text in mix:
        wanted = understand(text)
        started = time.perf_counter()
        m = match(wanted)
        filters, prepared = m.filters, m.search
        matched = time.perf_counter()
        list(ranked(m).with_letter()[:RESULTS])
        ranked_at = time.perf_counter()
        estimate(filters, prepared, wanted.kind_params())
        done = time.perf_counter()
        phases["match"].append(1000 * (matched - started))
        phases["ranked"].append(1000 * (ranked_at - matched))
        phases["estimate"].append(1000 * (done - ranked_at))
    print(f"estimate block, {len(mix)} requests: {percentiles(phases['estimate'])}")
    for name in ("match", "ranked"):
        print(f"  phase {name:<36} {percentiles(phases[name])}")

    _token, secret = ApiToken.create_for(user, "benchmark")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    api_url = reverse("api:similar")
    calls = [search.timed_get(api, f"{api_url}?{urlencode({'text': text})}") for text in mix]
    print(f"API similar, {len(calls)} requests: {percentiles(calls)}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
