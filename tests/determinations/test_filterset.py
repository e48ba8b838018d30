"""ItemFilterSet: the django-filter FilterSet the list, export, analytics and API share."""

import pytest
from django.http import QueryDict

from determinations.facets import CONSTRAINTS, FACETS
from determinations.filters import ItemFilters, ItemFilterSet
from determinations.models import DisputedItem
from tests.factories import make_determination, make_drug_item, refresh

pytestmark = pytest.mark.django_db


def test_it_has_one_filter_per_facet_and_constraint():
    names = set(ItemFilterSet.base_filters)
    assert {f.param for f in FACETS} <= names
    assert {c.param for c in CONSTRAINTS} <= names
    assert {"q", "count", "sort", "page"} <= names


def test_it_is_always_valid_and_forgives_bad_input():
    # A DRF view hands request.query_params (a QueryDict); garbage must not be a 400 or 500.
    data = QueryDict("outcome=maybe&year=20x6&decided_from=2016-02-30&page=-1&status=x&q=%00")
    filterset = ItemFilterSet(data, queryset=DisputedItem.objects.all())
    assert filterset.is_valid()
    assert filterset.state == ItemFilters()
    assert list(filterset.qs) == []


def test_it_filters_like_the_queryset(letters):
    data = QueryDict("drug=Gabapentin&outcome=upheld")
    filterset = ItemFilterSet(data, queryset=DisputedItem.objects.all())
    expected = DisputedItem.objects.filter(ingredients__overlap=["gabapentin"], outcome="upheld")
    assert set(filterset.qs) == set(expected)
    assert expected.exists()


def test_it_gives_the_canonical_state_for_saved_searches():
    data = QueryDict("drug=Gabapentin&drug=gabapentin&year=2016&sort=bogus&page=2&partial=yes")
    filterset = ItemFilterSet(data)
    assert filterset.canonical_dict() == {
        "drug": ["gabapentin"],
        "year": ["2016"],
        "partial": ["1"],
        "page": ["2"],
    }
    assert filterset.canonical_query_string() == "drug=gabapentin&year=2016&partial=1&page=2"
    # The canonical state reads back to itself.
    assert ItemFilterSet(QueryDict(filterset.canonical_query_string())).state == filterset.state


def test_it_reads_a_plain_dict_too():
    assert ItemFilters.from_query({"state": "ca", "drug": ["Norco"]}).state == ("CA",)


def test_an_unbound_filterset_filters_nothing(letters):
    assert ItemFilterSet().qs.count() == DisputedItem.objects.count()


@pytest.fixture
def letters():
    for drug, outcome in [
        ("gabapentin", "upheld"),
        ("gabapentin", "overturned"),
        ("tramadol", "upheld"),
    ]:
        letter = make_determination()
        make_drug_item(letter, drug, outcome=outcome)
        refresh(letter)


def test_each_filterset_has_its_own_filters_sharing_the_registry_entries():
    # Filters are copied per request cheaply (filters._CopiedCheaply): each set's filters
    # are its own objects pointing at it, while the immutable registry entries are shared.
    first = ItemFilterSet(QueryDict("drug=tramadol"))
    second = ItemFilterSet(QueryDict("drug=gabapentin"))
    for name, base in ItemFilterSet.base_filters.items():
        a, b = first.filters[name], second.filters[name]
        assert a is not b and a is not base
        assert a.parent is first and b.parent is second
        assert a.extra == base.extra and a.extra is not base.extra
        assert a.field is not b.field
        if hasattr(base, "entry"):
            assert a.entry is base.entry is b.entry
    assert first.state.drug == ("tramadol",) and second.state.drug == ("gabapentin",)
