"""The export's columns of what the rationale and citations say: body region, visits,
reason tags, the reviewer's canonical guideline sections and the claims administrator's
guideline source, read from the item row, formula-escaped like every text cell."""

import csv
import io

import pytest
from django.urls import reverse

from determinations.exports import COLUMNS, HEADER, LETTER_ROW_COLUMNS
from tests.factories import make_citation, make_determination, make_item, refresh

pytestmark = pytest.mark.django_db
URL = reverse("determinations:export")
SECTION = "MTUS|Chronic Pain Medical Treatment Guidelines|Physical Medicine"
NEW = (
    "Body region",
    "Visits",
    "Reason tags",
    "Guideline sections",
    "Claims administrator guideline source",
)


def rows(response):
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, *data = csv.reader(io.StringIO(body.split("\n", 1)[1]))
    return [dict(zip(header, row, strict=True)) for row in data]


def test_it_declares_each_column_once():
    assert len(set(HEADER)) == len(HEADER)
    assert all(HEADER.count(name) == 1 for name in NEW)
    letter_headers = [c.header for c in LETTER_ROW_COLUMNS]
    assert len(set(letter_headers)) == len(letter_headers)
    # A letter row's own columns are the item table's, not declared again.
    for column in LETTER_ROW_COLUMNS:
        if column.letter:
            assert column.header in HEADER
    assert not any(c.header in NEW for c in COLUMNS if c.letter)


def test_it_writes_the_items_region_visits_reasons_and_sections(analyst_client):
    letter = make_determination()
    item = make_item(
        letter,
        body_region="Lumbar spine",
        visits=12,
        reason_tags=["no-functional-improvement", "exceeds-guideline-quantity"],
        guideline_sections=[SECTION, "MTUS|ACOEM|Low Back"],
    )
    make_citation(item, party="claims_administrator", source="ODG", document="Low Back")
    make_citation(item, party="claims_administrator", source="MTUS")
    make_item(letter)
    refresh(letter)
    first, second = rows(analyst_client.get(URL, {"sort": "oldest"}))
    assert first["Body region"] == "Lumbar spine"
    assert first["Visits"] == "12"
    assert first["Reason tags"] == "no-functional-improvement; exceeds-guideline-quantity"
    assert first["Guideline sections"] == f"{SECTION}; MTUS|ACOEM|Low Back"
    # claims_sources, computed from the citations by the refresh: distinct, sorted.
    assert first["Claims administrator guideline source"] == "MTUS; ODG"
    # Nothing said: empty cells, and "none" for a claims administrator citing nothing.
    assert [second[name] for name in NEW] == ["", "", "", "", "none"]


def test_it_escapes_formulas_in_the_new_cells(analyst_client):
    letter = make_determination()
    make_item(
        letter,
        body_region="=HYPERLINK(1)",
        reason_tags=["+cmd", "plain"],
        guideline_sections=["@SUM(A1)"],
    )
    refresh(letter)
    (row,) = rows(analyst_client.get(URL))
    assert row["Body region"] == "'=HYPERLINK(1)"
    assert row["Reason tags"] == "'+cmd; plain"
    assert row["Guideline sections"] == "'@SUM(A1)"


def test_it_filters_by_a_new_columns_value_as_the_list_does(analyst_client):
    letter = make_determination()
    make_item(letter, body_region="Knee")
    make_item(letter, body_region="Lumbar spine")
    refresh(letter)
    (row,) = rows(analyst_client.get(URL, {"region": "Knee"}))
    assert row["Body region"] == "Knee"
