"""The "claims administrator's guideline source" facet: MTUS, ACOEM, ODG (or other) as the
claims administrator cited them for the item, "none" when it cited no guideline."""

from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict

from determinations.filters import ItemFilters, ItemFilterSet
from determinations.models import DisputedItem, SampleItem
from determinations.search import refresh_search_vectors
from ingest.loader import ingest_bytes
from synth.letters import generate_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    ids = [
        ingest_bytes(letter.filename, letter.text.encode()).determination_id
        for letter in generate_letters(60, seed=21)
    ]
    return [i for i in ids if i]


def expected_sources() -> dict[int, list[str]]:
    """From the stored citations themselves, in Python."""
    out = {}
    for item in DisputedItem.objects.prefetch_related("citations"):
        cited = {
            c.source
            for c in item.citations.all()
            if c.party == "claims_administrator" and c.source != "none"
        }
        out[item.pk] = sorted(cited) or ["none"]
    return out


def test_it_stores_the_sources_the_claims_administrator_cited(loaded):
    expected = expected_sources()
    stored = dict(DisputedItem.objects.values_list("pk", "claims_sources"))
    assert {pk: sorted(v) for pk, v in stored.items()} == expected
    values = Counter(v for sources in expected.values() for v in sources)
    # The corpus has items of both kinds: some cite MTUS, some cite nothing.
    assert values["MTUS"] and values["none"]
    # The refresh computes the same from the stored rows.
    DisputedItem.objects.update(claims_sources=[])
    refresh_search_vectors(connection, loaded)
    assert {
        pk: sorted(v) for pk, v in DisputedItem.objects.values_list("pk", "claims_sources")
    } == expected
    # ...and the sample table follows.
    sampled = dict(SampleItem.objects.values_list("pk", "claims_sources"))
    assert all(sorted(v) == expected[pk] for pk, v in sampled.items())


def test_it_reads_the_url_forgivingly():
    f = ItemFilters.from_query(
        QueryDict("claims_source=mtus&claims_source=bogus&claims_source=None")
    )
    assert f.claims_source == ("MTUS", "none")


def test_it_filters_and_counts_like_a_brute_force(loaded):
    expected = expected_sources()
    filterset = ItemFilterSet(QueryDict("claims_source=MTUS&claims_source=none"))
    assert {i.pk for i in filterset.qs} == {
        pk for pk, v in expected.items() if {"MTUS", "none"} & set(v)
    }
    counts = ItemFilterSet(QueryDict("")).counts()
    counted = {fc.value: fc.count for fc in counts.by_facet["claims_source"]}
    assert counted == Counter(v for sources in expected.values() for v in sources)


def test_the_list_page_shows_the_facet(loaded, analyst_client):
    page = analyst_client.get("/?claims_source=ODG&claims_source=nonsense").content.decode()
    assert "Claims administrator&#x27;s guideline source" in page
    assert 'name="claims_source"' in page
