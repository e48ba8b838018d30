"""Cursor pagination: in the list's order, and stable when letters arrive mid-way."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from determinations.filters import ItemFilters
from determinations.models import DisputedItem
from determinations.search import prepare_search
from tests.factories import make_determination, make_item, refresh

pytestmark = pytest.mark.django_db


def letters_decided(*days: date | None) -> None:
    for day in days:
        letter = make_determination(decision_date=day)
        make_item(letter)
        make_item(letter, outcome="overturned")
        refresh(letter)


def list_order(sort: str) -> list[int]:
    items = DisputedItem.objects.filtered(ItemFilters(), prepare_search(""))
    return list(items.ordered(sort, prepare_search("")).values_list("id", flat=True))


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_it_pages_in_the_lists_order(api, sort):
    # Ties on the decision date, and undated letters (last in both orders).
    letters_decided(date(2016, 5, 1), date(2016, 5, 1), date(2015, 1, 2), None, date(2017, 3, 3))
    letters_decided(None, date(2016, 5, 1))
    seen, url = [], reverse("api:items") + f"?sort={sort}&page_size=3"
    while url:
        data = api.get(url).json()
        seen.extend(row["id"] for row in data["results"])
        url = data["next"]
    assert seen == list_order(sort)


def test_it_neither_repeats_nor_skips_rows_when_letters_arrive(api):
    letters_decided(*[date(2016, 1, d) for d in range(1, 11)])
    before = list_order("newest")
    first = api.get(reverse("api:items"), {"page_size": 4}).json()
    # Arrivals: newer than the page (before the cursor), on the cursor's own day, older.
    cursor_day = date.fromisoformat(first["results"][-1]["letter"]["decision_date"])
    letters_decided(date(2017, 1, 1), cursor_day, date(2015, 1, 1))
    seen = [row["id"] for row in first["results"]]
    url = first["next"]
    while url:
        data = api.get(url).json()
        seen.extend(row["id"] for row in data["results"])
        url = data["next"]
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)
    # What arrived after the cursor is sent, in its place; what arrived before it is not.
    after = list_order("newest")
    start = after.index(seen[3]) + 1
    assert seen[4:] == after[start:]


def test_it_marks_the_last_page(api):
    letters_decided(date(2016, 1, 1))
    data = api.get(reverse("api:items"), {"page_size": 2}).json()
    assert len(data["results"]) == 2
    assert data["next"] is None
