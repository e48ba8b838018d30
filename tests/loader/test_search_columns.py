"""The loader writes the items' search columns exactly as the SQL refresh computes them."""

from __future__ import annotations

import pytest
from django.db import connection

from determinations.columns import CITATION_COLUMNS
from determinations.models import DisputedItem, DrugName
from determinations.search import record_drug_names, refresh_search_vectors
from ingest import loader
from ingest.loader import ingest_bytes
from ingest.pipeline import prepare_letter
from synth.letters import generate_letters

pytestmark = pytest.mark.django_db

COLUMNS = [
    "search_vector",
    "decision_date",
    "decision_year",
    "date_of_injury",
    "review_status",
    "specialties",
    "licensure_states",
    "sample",
    # Every column computed from the citations, whichever facet declared it.
    *CITATION_COLUMNS,
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


def drug_names() -> set[str]:
    return set(DrugName.objects.values_list("name", flat=True))


def test_it_records_the_drug_words_the_refresh_would():
    ids = []
    for letter in generate_letters(40, seed=12):
        ids.append(ingest_bytes(letter.filename, letter.text.encode()).determination_id)
    as_inserted = drug_names()
    assert len(as_inserted) > 10
    DrugName.objects.all().delete()
    record_drug_names(connection, ids)
    assert drug_names() == as_inserted


def test_its_drug_words_are_the_ones_postgresql_reads():
    # The loader skips the DrugName insert when it has seen every word of a letter
    # before: the words it computes must be those DRUG_NAMES_SQL takes.
    for letter in generate_letters(30, seed=13):
        DrugName.objects.all().delete()
        parsed = prepare_letter(letter.filename, letter.text.encode()).parsed
        result = ingest_bytes(letter.filename, letter.text.encode())
        words = loader._drug_words(parsed)
        assert words is not None
        assert words == drug_names(), result
