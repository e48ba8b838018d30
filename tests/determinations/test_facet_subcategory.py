"""The "request subcategory" facet: the DWC subcategory of an item within its category
("Chiropractic", "Imaging (Radiology)"; a medication's drug class), as the parser reads it."""

from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import QueryDict

from determinations import querysets
from determinations.filters import ItemFilters, ItemFilterSet
from determinations.models import DisputedItem, SampleItem
from determinations.querysets import FacetCount
from ingest.loader import ingest_bytes
from synth.letters import generate_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    for letter in generate_letters(60, seed=22):
        ingest_bytes(letter.filename, letter.text.encode())
    return dict(DisputedItem.objects.values_list("pk", "subcategory"))


def test_it_is_copied_to_the_sample_rows(loaded):
    # The corpus has several subcategories, so the facet has something to count.
    assert len({v for v in loaded.values() if v}) >= 3
    DisputedItem.objects.update(sample=0)
    assert dict(SampleItem.objects.values_list("pk", "subcategory")) == loaded


def test_it_reads_the_url_forgivingly():
    f = ItemFilters.from_query(
        QueryDict("subcategory=Chiropractic&subcategory=%20Chiropractic%20&subcategory=%00")
    )
    # Whitespace folded, duplicates and unprintable values dropped.
    assert f.subcategory == ("Chiropractic",)


def test_it_filters_and_counts_like_a_brute_force(loaded):
    wanted = Counter(v for v in loaded.values() if v).most_common(2)
    chosen = {wanted[0][0], wanted[1][0]}
    query = QueryDict(mutable=True)
    query.setlist("subcategory", sorted(chosen))
    assert {i.pk for i in ItemFilterSet(query).qs} == {
        pk for pk, v in loaded.items() if v in chosen
    }
    counts = ItemFilterSet(QueryDict("")).counts()
    assert "subcategory" not in counts.estimated
    counted = {fc.value: fc.count for fc in counts.by_facet["subcategory"]}
    assert counted == Counter(v for v in loaded.values() if v)


def test_it_is_estimated_from_the_sample(loaded, monkeypatch):
    DisputedItem.objects.update(sample=0)
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    counts = ItemFilterSet(QueryDict("")).counts()
    assert "subcategory" in counts.estimated
    estimated = {fc.value: fc.count for fc in counts.by_facet["subcategory"]}
    exact = Counter(v for v in loaded.values() if v)
    assert estimated == {v: querysets.scaled(FacetCount(v, n, 0)).count for v, n in exact.items()}


def test_the_list_page_shows_the_facet(loaded, analyst_client):
    value = Counter(v for v in loaded.values() if v).most_common(1)[0][0]
    response = analyst_client.get("/", {"subcategory": [value, "nonsense"]})
    page = response.content.decode()
    assert "Request subcategory" in page
    assert 'name="subcategory"' in page
    assert response.context["counts"].total == sum(v == value for v in loaded.values())


@pytest.mark.django_db(transaction=True)
def test_its_migration_fills_the_stored_sample_rows(loaded):
    executor = MigrationExecutor(connection)
    executor.migrate([("determinations", "0009_determination_text_extractor")])
    try:
        with connection.cursor() as cursor:
            # Written at 0009, whose trigger knows no subcategory.
            cursor.execute("UPDATE determinations_disputeditem SET sample = 1")
            cursor.execute("UPDATE determinations_disputeditem SET sample = 0")
            cursor.execute("SELECT count(*) FROM determinations_sampleitem")
            assert cursor.fetchone()[0] == len(loaded)
        executor = MigrationExecutor(connection)
        executor.migrate([("determinations", "0010_subcategory_facet")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(SampleItem.objects.values_list("pk", "subcategory")) == loaded
