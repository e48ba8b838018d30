"""Facet counts in SQL agree with a brute-force count in Python over the same corpus.

The brute force reads the letters, reviewers and citations themselves, not the
denormalised columns, so it also checks refresh_search_vectors.
"""

from collections import defaultdict

import pytest
from django.http import QueryDict

from determinations.facets import FACETS
from determinations.filters import ItemFilters
from determinations.models import DisputedItem
from determinations.search import prepare_search
from tests.corpus import make_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    make_corpus(60, seed=3)
    rows = []
    items = DisputedItem.objects.select_related("determination__reviewer").prefetch_related(
        "citations", "determination__reviewer__specialties"
    )
    for item in items:
        letter, reviewer = item.determination, item.determination.reviewer
        keys = set()
        for c in item.citations.all():
            if c.source != "none":
                keys.add(c.source)
                if c.document:
                    keys.add(f"{c.source}|{c.document}")
                    if c.section:
                        keys.add(f"{c.source}|{c.document}|{c.section}")
        # A facet not derived below (e.g. one added later, with a test of its own that
        # checks the column) is read as stored.
        stored = {
            f.param: {str(v) for v in getattr(item, f.column)}
            if f.array
            else {str(getattr(item, f.column))} - {"", "None"}
            for f in FACETS
        }
        rows.append(
            {
                **stored,
                "letter": letter.pk,
                "overturned": item.outcome == "overturned",
                "partial": item.partial,
                "outcome": {item.outcome},
                "category": {item.category} - {""},
                "drug": set(item.ingredients),
                "drug_class": {item.drug_class} - {""},
                "specialty": {s.name for s in reviewer.specialties.all()} if reviewer else set(),
                "state": set(reviewer.licensure_states) if reviewer else set(),
                "year": {str(letter.decision_date.year) if letter.decision_date else "unknown"},
                "guideline": keys,
                # Analysis facets: stored from the parse, read as stored.
                "section": set(item.guideline_sections),
                "same_guideline": set()
                if item.same_guideline is None
                else {"true" if item.same_guideline else "false"},
                "reason": set(item.reason_tags),
                "region": {item.body_region} - {""},
            }
        )
    return rows


def brute_force(rows, filters: ItemFilters):
    """{facet: {value: (count, overturned)}} and the total, the slow and obvious way."""

    def passes(row, skip=None):
        for facet in FACETS:
            chosen = set(filters.selected(facet.param))
            if chosen and facet.param != skip and not (row[facet.param] & chosen):
                return False
        return not filters.partial or row["partial"]

    def tally(matching):
        if filters.count == "letters":
            return (
                len({r["letter"] for r in matching}),
                len({r["letter"] for r in matching if r["overturned"]}),
            )
        return len(matching), sum(r["overturned"] for r in matching)

    total = tally([r for r in rows if passes(r)])
    by_facet = {}
    for facet in FACETS:
        groups = defaultdict(list)
        for row in rows:
            if passes(row, skip=facet.param):
                for value in row[facet.param]:
                    groups[value].append(row)
        by_facet[facet.param] = {value: tally(group) for value, group in groups.items()}
    return total, by_facet


def sql_counts(filters: ItemFilters):
    counts = DisputedItem.objects.facet_counts(filters, prepare_search(filters.q))
    by_facet = {
        param: {fc.value: (fc.count, fc.overturned) for fc in values}
        for param, values in counts.by_facet.items()
    }
    return (counts.total, counts.overturned), by_facet


@pytest.mark.parametrize(
    "query",
    [
        "",
        "outcome=overturned",
        "drug=hydrocodone&drug=gabapentin",
        "drug=hydrocodone&specialty=Pain+Medicine",
        "guideline=MTUS%7CChronic+Pain+Medical+Treatment+Guidelines&year=2015",
        "state=CA&category=Pharmaceuticals&category=Injection&partial=1",
        "drug_class=Opioids&guideline=ODG&outcome=upheld",
        "count=letters",
        "count=letters&drug=tramadol&specialty=Psychiatry&specialty=Pain+Medicine",
        "count=letters&guideline=ODG%7COfficial+Disability+Guidelines%7CPain&year=2016",
        "same_guideline=true&reason=no-functional-improvement&reason=exceeds-visits",
        "count=letters&same_guideline=false&region=Lumbar+spine",
    ],
)
def test_it_matches_a_brute_force_count(corpus, query):
    filters = ItemFilters.from_query(QueryDict(query))
    assert sql_counts(filters) == brute_force(corpus, filters)


def test_it_does_not_shrink_a_facet_by_its_own_selection(corpus):
    everything = sql_counts(ItemFilters())[1]["drug"]
    _, chosen = sql_counts(ItemFilters(drug=("hydrocodone",)))
    assert chosen["drug"] == everything
    # ...but it does narrow the other facets.
    assert (
        sql_counts(ItemFilters(drug=("hydrocodone",)))[1]["outcome"]
        != sql_counts(ItemFilters())[1]["outcome"]
    )


def test_it_ors_values_within_a_facet_and_ands_facets(corpus):
    one = sql_counts(ItemFilters(drug=("hydrocodone",)))[0][0]
    other = sql_counts(ItemFilters(drug=("gabapentin",)))[0][0]
    both = sql_counts(ItemFilters(drug=("hydrocodone", "gabapentin")))[0][0]
    assert both == one + other  # no corpus item has both
    narrowed = sql_counts(ItemFilters(drug=("hydrocodone", "gabapentin"), outcome=("upheld",)))
    assert narrowed[0][0] < both


def test_it_counts_each_letter_once_across_items(corpus):
    items = sql_counts(ItemFilters())[0][0]
    letters = sql_counts(ItemFilters(count="letters"))[0][0]
    assert letters == 60 < items == len(corpus)


def test_it_counts_a_search_within_the_same_set(corpus):
    filters = ItemFilters(q="gabapentin")
    (total, _), by_facet = sql_counts(filters)
    assert (
        total
        == by_facet["drug"]["gabapentin"][0]
        == sum(1 for r in corpus if "gabapentin" in r["drug"])
    )
