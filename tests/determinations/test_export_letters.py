"""The export in "letters" count mode: one row per letter the list page counts (the same
set and count), its matching items summarised; items mode stays one row per item."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from determinations.exports import HEADER, LETTERS
from tests.corpus import make_corpus
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db
URL = reverse("determinations:export")
LIST = reverse("determinations:list")


def read(response):
    """(first line, header, rows) of the file."""
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    first, rest = body.split("\n", 1)
    header, *data = csv.reader(io.StringIO(rest))
    return first, header, data


def by_header(response):
    _, header, data = read(response)
    return [dict(zip(header, row, strict=True)) for row in data]


@pytest.mark.parametrize(
    "query",
    [
        # Every letter; a facet matching some items of a letter; a search; two facets.
        {"count": "letters"},
        {"count": "letters", "outcome": "overturned"},
        {"count": "letters", "q": "pain", "scope": "letter"},
        {"count": "letters", "category": "Pharmaceuticals", "sort": "oldest"},
    ],
)
def test_it_writes_one_row_per_letter_the_page_counts(analyst_client, query):
    make_corpus(40, seed=23)
    page = analyst_client.get(LIST, query)
    total = page.context["counts"].total
    assert not page.context["counts"].total_estimated
    first, header, data = read(analyst_client.get(URL, query))
    assert tuple(header) == LETTERS.header
    assert len(data) == total > 0
    links = [row[header.index("Link")] for row in data]
    assert len(set(links)) == len(links)
    assert f"{total:,} row" in first
    # The items mode of the same filters counts each matching item once.
    items = {k: v for k, v in query.items() if k != "count"}
    item_total = analyst_client.get(LIST, items).context["counts"].total
    _, header, item_rows = read(analyst_client.get(URL, items))
    assert tuple(header) == HEADER and len(item_rows) == item_total
    matching = sum(int(row[LETTERS.header.index("Matching items")]) for row in data)
    assert matching == item_total


def test_it_orders_letters_as_the_page_does(analyst_client):
    make_corpus(30, seed=5)
    for sort in ("newest", "oldest"):
        page = analyst_client.get(LIST, {"count": "letters", "sort": sort})
        shown = [letter.pk for letter, _ in page.context["page"].groups]
        rows = by_header(analyst_client.get(URL, {"count": "letters", "sort": sort}))
        exported = [int(row["Link"].rstrip("/").rsplit("/", 1)[1]) for row in rows]
        assert exported[: len(shown)] == shown


def test_it_summarises_a_letters_matching_items(analyst_client):
    letter = make_determination(case_number="CM16-0001234", decision_date=date(2016, 2, 3))
    make_drug_item(letter, "tramadol", outcome="overturned", treatment="Tramadol 50 mg #60")
    make_item(letter, outcome="upheld", treatment="Physical therapy x 12", partial=True)
    make_drug_item(letter, "hydrocodone", outcome="upheld", treatment="Norco 10/325")
    other = make_determination(decision_date=date(2015, 1, 1))
    make_item(other)
    refresh(letter, other)
    newest, oldest = by_header(analyst_client.get(URL, {"count": "letters"}))
    assert newest["Case number"] == "CM16-0001234"
    assert newest["Decision date"] == "2016-02-03"
    assert newest["Reviewer specialties"] == "Pain Medicine"
    assert newest["Link"].endswith(f"/letters/{letter.pk}/")
    assert newest["Matching items"] == "3"
    assert (newest["Overturned"], newest["Upheld"]) == ("1", "2")
    assert newest["Partial authorizations"] == "1"
    assert newest["Items"] == "1 | 2 | 3"
    assert newest["Treatments"] == "Tramadol 50 mg #60 | Physical therapy x 12 | Norco 10/325"
    assert newest["Outcomes"] == "Overturned | Upheld | Upheld"
    assert oldest["Link"].endswith(f"/letters/{other.pk}/")
    # Filtered: only the letter's matching items are summarised, as the page shows them.
    (row,) = by_header(analyst_client.get(URL, {"count": "letters", "drug_class": "Opioids"}))
    assert (row["Matching items"], row["Items"], row["Outcomes"]) == (
        "2",
        "1 | 3",
        "Overturned | Upheld",
    )


def test_it_escapes_formulas_in_letter_rows(analyst_client):
    letter = make_determination(case_number="=1+1")
    make_item(letter, treatment="=HYPERLINK(1)")
    make_item(letter, treatment="@SUM(A1)")
    refresh(letter)
    (row,) = by_header(analyst_client.get(URL, {"count": "letters"}))
    assert row["Case number"] == "'=1+1"
    assert row["Treatments"] == "'=HYPERLINK(1) | @SUM(A1)"


def test_it_caps_letter_rows_and_says_so(analyst_client, settings):
    settings.EXPORT_MAX_ROWS = 2
    for _ in range(3):
        letter = make_determination()
        make_item(letter)
        make_item(letter)
        refresh(letter)
    first, _, data = read(analyst_client.get(URL, {"count": "letters"}))
    assert len(data) == 3  # two letters and the last line
    assert data[-1][0].startswith("Export stopped at 2 rows")
    assert "2 rows of 3 (EXPORT_MAX_ROWS)" in first
