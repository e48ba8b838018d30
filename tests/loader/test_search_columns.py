"""The loader writes the items' search columns exactly as the SQL refresh computes them."""

from __future__ import annotations

import pytest
from django.db import connection

from determinations.models import DisputedItem
from determinations.search import refresh_search_vectors
from ingest.loader import ingest_bytes
from ingest.synth import generate_letters

pytestmark = pytest.mark.django_db

COLUMNS = [
    "search_vector",
    "decision_date",
    "decision_year",
    "date_of_injury",
    "review_status",
    "specialties",
    "licensure_states",
    "guidelines",
    "sample",
]


def snapshot() -> dict[int, dict]:
    rows = DisputedItem.objects.order_by("pk").values("pk", *COLUMNS)
    # Array order follows the database's collation in SQL and code points in Python;
    # the facets read them as sets.
    return {
        r["pk"]: {
            k: sorted(v) if isinstance(v, list) else str(v) if k == "search_vector" else v
            for k, v in r.items()
        }
        for r in rows
    }


def test_it_writes_the_search_columns_the_refresh_would():
    ids = []
    for letter in generate_letters(40, seed=11):
        result = ingest_bytes(letter.filename, letter.text.encode())
        ids.append(result.determination_id)
    as_inserted = snapshot()
    assert len(as_inserted) > 60
    assert all(row["search_vector"] not in ("", "None") for row in as_inserted.values())
    refresh_search_vectors(connection, ids)
    assert snapshot() == as_inserted
