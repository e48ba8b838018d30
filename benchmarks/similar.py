"""Benchmark of the "Find similar decisions" page over the search benchmark's corpus.

    .venv/bin/python benchmarks/similar.py [--letters 200000] [--requests 200]

Uses benchmarks/search.py's database and loader (synthetic letters through the ingest
path, kept between runs), warms the tables as it does, then prints p50/p95 of the whole
page (understand -> match -> rank -> estimate -> render, the Django test client
in-process, DEBUG off) and of the estimate block alone, over a fixed mix of requests.
Targets on the 2-core reference machine: page p95 <= 300 ms, estimate p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

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
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setup(search.DB_NAME)
    search.load_corpus(args.letters, args.workers)

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from determinations.models import Determination, DisputedItem
    from similar.estimate import estimate
    from similar.matching import match
    from similar.request import understand
    from similar.views import kind_params

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

    blocks = []
    for text in mix:
        wanted = understand(text)
        m = match(wanted)
        filters, prepared = m.filters, m.search
        started = time.perf_counter()
        estimate(filters, prepared, kind_params(wanted))
        blocks.append(1000 * (time.perf_counter() - started))
    print(f"estimate block, {len(blocks)} requests: {percentiles(blocks)}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
