"""Digest benchmark: the daily digest job for 1,000 saved searches over a day's new letters.

    .venv/bin/python benchmarks/digest.py [--letters 200000] [--searches 1000] [--new 600]

On the search benchmark's corpus (benchmarks/search.py), makes ``--searches`` daily saved
searches for 100 users (search text, facets and their combinations, as analysts save
them), ingests ``--new`` new letters through the ingest path, and times one run of the
daily job (alerts.digest.send_digests) mailing every digest to a real SMTP server on
127.0.0.1 (aiosmtpd). The new letters, searches and users are deleted afterwards, so the
corpus stays as the other benchmarks expect it. Target on the 2-core reference machine at
200,000 letters: <= 60 s for 1,000 searches over 600 new letters.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import time
from urllib.parse import urlencode

from _django import setup
from search import DB_NAME, load_corpus, request_mix, warm_up

USERS = 100
# One log line per SMTP command and per digest would drown the numbers.
os.environ.setdefault("LOG_LEVEL", "WARNING")


def saved_search_states(n: int) -> list[str]:
    """``n`` list states: the search benchmark's mix plus single facets and pairs."""
    rng = random.Random(14)
    singles = [
        {"drug": d}
        for d in ("hydrocodone", "gabapentin", "tramadol", "cyclobenzaprine", "omeprazole")
    ] + [
        {"category": c}
        for c in ("Pharmaceuticals", "Physical Medicine", "Diagnostic Testing", "Surgery")
    ]
    outcomes = [{}, {"outcome": "overturned"}, {"outcome": "upheld"}]
    mixed = [params for _, params in request_mix(50)]
    states = []
    for i in range(n):
        base = rng.choice(singles + mixed)
        states.append(urlencode({**base, **rng.choice(outcomes)}) if i % 3 else urlencode(base))
    return states


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--new", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setup(DB_NAME)
    load_corpus(args.letters, args.workers)
    warm_up()

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from alerts.digest import send_digests
    from alerts.models import (
        AlertAddress,
        Digest,
        DigestLetter,
        Frequency,
        SavedSearch,
        canonical_state,
    )
    from determinations.models import Determination
    from ingest.loader import ingest_all
    from synth.letters import generate_letters

    controller = Controller(Sink(), hostname="127.0.0.1", port=8026)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 8026},
        }
    }
    User = get_user_model()
    users = [
        User.objects.create_user(f"digest-bench-{i}", f"bench{i}@example.com") for i in range(USERS)
    ]
    now = timezone.now()
    # Digests go to verified addresses only.
    AlertAddress.objects.bulk_create(
        AlertAddress(user=u, email=u.email, verified_at=now) for u in users
    )
    SavedSearch.objects.bulk_create(
        SavedSearch(
            user=users[i % USERS],
            name=f"search {i}",
            state=canonical_state(state),
            frequency=Frequency.DAILY,
            last_opened_at=now,
            alert_since=now,
            alert_mark=now,
        )
        for i, state in enumerate(saved_search_states(args.searches))
    )
    logging.getLogger("ingest").setLevel(logging.WARNING)
    # New letters: another seed, so new case numbers and files.
    letters = [(x.filename, x.text.encode()) for x in generate_letters(args.new, seed=600)]
    new_ids = [r.determination_id for r in ingest_all(letters, args.workers) if r.determination_id]
    print(f"corpus: {Determination.objects.count():,} letters, {len(new_ids)} of them new")
    try:
        started = time.perf_counter()
        report = send_digests("daily", "bench")
        seconds = time.perf_counter() - started
        per_search = (
            DigestLetter.objects.values("search").annotate(n=Count("id")).order_by().count()
        )
        print(
            f"daily digest: {args.searches:,} saved searches of {USERS} users over "
            f"{len(new_ids)} new letters: {report.sent} digests, {report.letters:,} letters "
            f"({per_search} searches with new letters) in {seconds:.1f} s "
            f"({1000 * seconds / args.searches:.1f} ms per search)"
        )
        started = time.perf_counter()
        again = send_digests("daily", "bench-2")
        print(
            f"  a second run, nothing new: {again.sent} digests in "
            f"{time.perf_counter() - started:.1f} s"
        )
    finally:
        controller.stop()
        Digest.objects.filter(user__in=users).delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()
        for chunk in itertools.batched(new_ids, 500):
            Determination.objects.filter(pk__in=chunk).delete()


if __name__ == "__main__":
    main()
