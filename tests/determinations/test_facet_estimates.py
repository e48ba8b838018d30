"""Large result sets: facet counts estimated from the letter sample (1 in 32, or the
sparse 1 in 128 once the dense one is large).

The fixtures are small, so the estimate path is forced by lowering EXACT_LIMIT (and the
sparse sample by lowering sampling.DENSE_SAMPLE_MAX_ITEMS). With every letter moved into
the sample, an estimate must be exactly the rate times the exact count (rounded to two
figures): the sample statement and the exact one apply the same filters, the same "a
facet's own selection does not shrink it" rule and the same letters/items counting.
"""

import hashlib

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from determinations import querysets, sampling
from determinations.facets import FACETS
from determinations.filters import ItemFilters
from determinations.models import Determination, DisputedItem, SampleItem
from determinations.sampling import SAMPLE_RATE, SPARSE_RATE, sample_of
from determinations.search import prepare_search
from ingest.loader import ingest_bytes
from synth.letters import generate_letters
from tests.corpus import make_corpus

pytestmark = pytest.mark.django_db
URL = reverse("determinations:list")

QUERIES = [
    "",
    "outcome=overturned",
    "drug=hydrocodone&outcome=upheld",
    "q=pain&specialty=Pain+Medicine",
    "category=Pharmaceuticals&state=CA&year=2016",
    "count=letters",
    "count=letters&drug=tramadol&guideline=MTUS",
]


def counts_for(query: str):
    filters = ItemFilters.from_query(QueryDict(query))
    return DisputedItem.objects.facet_counts(filters, prepare_search(filters.q))


def two_figures(n: int) -> int:
    return querysets._two_figures(n)


def sample_everything() -> None:
    """Move every letter into both samples: a hash of 0 (sampling.SAMPLE_SQL, SPARSE_SQL),
    then its items' sample bucket 0, whose update the copy trigger follows."""
    for pk in Determination.objects.values_list("pk", flat=True):
        Determination.objects.filter(pk=pk).update(sha256=f"{0:08x}{pk:056x}")
    DisputedItem.objects.update(sample=0)


@pytest.fixture(params=[SAMPLE_RATE, SPARSE_RATE], ids=["dense", "sparse"])
def all_sampled(request, monkeypatch) -> int:
    """A corpus whose every letter is in the sample read at the given rate (the sparse
    sample forced by a lower threshold), so estimates are rate x exact. Gives the rate."""
    make_corpus(50, seed=21)
    sample_everything()
    if request.param == SPARSE_RATE:
        monkeypatch.setattr(sampling, "DENSE_SAMPLE_MAX_ITEMS", -1)
    assert querysets.current_sample_rate() == request.param
    return request.param


def test_the_sample_is_the_documented_hash_of_the_letter():
    for letter in generate_letters(12, seed=5):
        ingest_bytes(letter.filename, letter.text.encode())
    letters = Determination.objects.prefetch_related("items")
    assert letters
    for letter in letters:
        expected = int(letter.sha256[:8], 16) % 32
        assert letter.sample == sample_of(letter.sha256) == expected
        assert {item.sample for item in letter.items.all()} <= {expected}
    assert SAMPLE_RATE == 32
    assert sample_of(hashlib.sha256(b"x").hexdigest()) == 0x2D711642 % 32


def test_small_sets_are_counted_exactly(all_sampled, monkeypatch):
    # Every set here predicts at most the whole corpus: at most rate x its items.
    monkeypatch.setattr(querysets, "EXACT_LIMIT", DisputedItem.objects.count() * all_sampled)
    for query in QUERIES:
        assert counts_for(query).estimated == frozenset(), query


@pytest.mark.parametrize("query", QUERIES)
def test_large_sets_are_estimated_from_the_sample(all_sampled, monkeypatch, query):
    monkeypatch.setattr(querysets, "EXACT_LIMIT", DisputedItem.objects.count() * all_sampled)
    exact = counts_for(query)
    assert exact.estimated == frozenset()
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    estimate = counts_for(query)
    if not exact.total:
        assert estimate.estimated == frozenset()
        return
    rate = all_sampled
    assert estimate.sample_rate == rate
    assert "" in estimate.estimated
    assert estimate.total == two_figures(exact.total * rate)
    assert estimate.overturn_rate == exact.overturn_rate
    for facet in FACETS:
        assert facet.param in estimate.estimated
        scaled = {fc.value: two_figures(fc.count * rate) for fc in exact.by_facet[facet.param]}
        assert {fc.value: fc.count for fc in estimate.by_facet[facet.param]} == scaled
        assert all(fc.estimated for fc in estimate.by_facet[facet.param])
    assert estimate.without == {k: two_figures(v * rate) for k, v in exact.without.items()}


def test_only_the_facets_with_a_large_base_set_are_estimated(all_sampled, monkeypatch):
    # The drug facet's own base set is every item; the rest count hydrocodone items.
    everything = DisputedItem.objects.count()
    monkeypatch.setattr(querysets, "EXACT_LIMIT", everything * all_sampled)
    exact = counts_for("drug=hydrocodone")
    monkeypatch.setattr(querysets, "EXACT_LIMIT", (everything - 1) * all_sampled)
    mixed = counts_for("drug=hydrocodone")
    assert mixed.estimated == {"drug", "~drug"}
    assert mixed.total == exact.total
    assert mixed.by_facet["outcome"] == exact.by_facet["outcome"]


def test_an_empty_sample_never_gives_an_estimate_of_zero(monkeypatch):
    make_corpus(30, seed=4)
    DisputedItem.objects.update(sample=1)
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    counts = counts_for("")
    assert counts.estimated == frozenset()
    assert counts.total == DisputedItem.objects.count()


def test_the_page_marks_estimates(analyst_client, all_sampled, monkeypatch):
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    response = analyst_client.get(URL)
    html = response.content.decode()
    total = response.context["counts"].total
    assert f"about {total:,} disputed items" in html
    assert "&asymp;" in html
    assert f"estimated from a 1-in-{all_sampled} sample of letters" in html
    assert "the CSV export has every row" in html


def test_the_page_shows_no_estimate_for_small_sets(analyst_client, all_sampled, monkeypatch):
    monkeypatch.setattr(querysets, "EXACT_LIMIT", DisputedItem.objects.count() * all_sampled)
    html = analyst_client.get(URL).content.decode()
    assert "&asymp;" not in html
    assert "estimated from" not in html


@pytest.mark.parametrize(
    "query",
    [
        *QUERIES,
        "q=%22physical+therapy%22&sort=relevance&page=3",
        "count=letters&q=opioids&outcome=overturned&page=2",
        "year=2016&year=2015&guideline=MTUS%7CChronic+Pain+Medical+Treatment+Guidelines",
        "q=gabapentin&outcome=overturned&drug=nothing",
    ],
)
def test_the_estimate_path_never_fails(analyst_client, all_sampled, monkeypatch, query):
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    assert analyst_client.get(f"{URL}?{query}").status_code == 200


def test_the_sparse_sample_is_read_once_the_dense_one_is_large(monkeypatch):
    make_corpus(40, seed=6)
    sample_everything()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE determinations_sampleitem")
    sampled = SampleItem.objects.count()
    querysets._dense_sizes.clear()
    monkeypatch.setattr(sampling, "DENSE_SAMPLE_MAX_ITEMS", sampled)
    assert querysets.current_sample_rate() == SAMPLE_RATE
    # Read once per SAMPLE_CHOICE_SECONDS: a lower threshold applies to the size known.
    monkeypatch.setattr(sampling, "DENSE_SAMPLE_MAX_ITEMS", sampled - 1)
    assert querysets.current_sample_rate() == SPARSE_RATE
    assert counts_for("").sample_rate == SPARSE_RATE
    # The size is read again only when the process's reading is older than that.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM determinations_sampleitem")
        cursor.execute("ANALYZE determinations_sampleitem")
    assert querysets.current_sample_rate() == SPARSE_RATE
    monkeypatch.setattr(querysets, "SAMPLE_CHOICE_SECONDS", -1.0)
    assert querysets.current_sample_rate() == SAMPLE_RATE
