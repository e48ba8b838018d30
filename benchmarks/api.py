"""API benchmark: the items endpoint and the facets endpoint over the search corpus.

    .venv/bin/python benchmarks/api.py [--letters 200000] [--requests 200]

Uses the search benchmark's corpus (benchmarks/search.py: same database, loaded through
the ingest path, warmed the same way) and its request mix (common words, rare phrases,
drug + outcome, specialty + year, three facets), called as a script calls the API: a
token in the Authorization header, every call throttled and written to the audit log.
Items pages are the first page of each request and the page after it (its ``next``
cursor). Targets on the 2-core reference machine at 200,000 letters: items page
p95 <= 150 ms, facets p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import os
import time
from urllib.parse import urlencode

# A benchmark is not a client to slow down (the limiter itself still runs on every call).
os.environ.setdefault("API_RATE_LIMIT", "1000000/minute")
# One log line per call (request log, audit log) would drown the numbers.
os.environ.setdefault("LOG_LEVEL", "WARNING")

from _django import setup
from search import DB_NAME, load_corpus, percentiles, request_mix, warm_up


def timed(client, url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = 1000 * (time.perf_counter() - started)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed, response.json()


def bench(n_requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from api.models import ApiToken

    user, _ = get_user_model().objects.get_or_create(username="bench")
    _token, secret = ApiToken.create_for(user, "benchmark")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    mix = request_mix(n_requests)
    items_url, facets_url = reverse("api:items"), reverse("api:facets")
    for _, params in mix[:10]:  # warm caches and connections
        timed(client, f"{items_url}?{urlencode(params)}")
        timed(client, f"{facets_url}?{urlencode(params)}")

    items: dict[str, list[float]] = {}
    for kind, params in mix:
        elapsed, data = timed(client, f"{items_url}?{urlencode(params)}")
        items.setdefault(kind, []).append(elapsed)
        if data["next"]:
            elapsed, _ = timed(client, data["next"])
            items[kind].append(elapsed)
    every = [t for times in items.values() for t in times]
    print(f"API items page (25 items), {len(every)} requests: {percentiles(every)}")
    for kind, times in items.items():
        print(f"  {kind:<20} {percentiles(times)}")

    facets: dict[str, list[float]] = {}
    for kind, params in mix:
        elapsed, _ = timed(client, f"{facets_url}?{urlencode(params)}")
        facets.setdefault(kind, []).append(elapsed)
    every = [t for times in facets.values() for t in times]
    print(f"API facets, {len(every)} requests: {percentiles(every)}")
    for kind, times in facets.items():
        print(f"  {kind:<20} {percentiles(times)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setup(DB_NAME)
    load_corpus(args.letters, args.workers)
    from determinations.models import Determination

    print(f"corpus: {Determination.objects.count():,} letters")
    warm_up()
    bench(args.requests)


if __name__ == "__main__":
    main()
