"""The CSV export: streamed, fixed columns, readable values, formula-safe, capped."""

import csv
import io

import pytest
from django.urls import reverse

from determinations.exports import HEADER, escape_cell
from tests.factories import make_citation, make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db
URL = reverse("determinations:export")


def read(response):
    """The rows after the first line (which says what produced the file), header first."""
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff# IMR determinations export")
    _first, rest = body.lstrip("\ufeff").split("\n", 1)
    return list(csv.reader(io.StringIO(rest)))


def test_it_streams_one_row_per_item_with_the_documented_columns(analyst_client):
    letter = make_determination(case_number="CM16-0007777", priority="expedited")
    make_drug_item(letter, "tramadol", outcome="overturned", partial=True, quantity=30)
    make_item(letter)
    refresh(letter)
    response = analyst_client.get(URL)
    assert response.streaming
    rows = read(response)
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 3
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["Case number"] == "CM16-0007777"
    assert row["Priority"] == "Expedited"
    assert row["Outcome"] == "Overturned" and row["Partial"] == "Yes"
    assert row["Drug (generic)"] == "tramadol" and row["Quantity"] == "30"
    assert row["Reviewer specialties"] == "Pain Medicine"
    assert row["Link"].endswith(f"/letters/{letter.pk}/")


def test_it_exports_only_the_filtered_set(analyst_client):
    letter = make_determination()
    make_drug_item(letter, "tramadol")
    make_item(letter)
    refresh(letter)
    rows = read(analyst_client.get(URL, {"drug": "tramadol"}))
    assert len(rows) == 2 and rows[1][HEADER.index("Drug (generic)")] == "tramadol"


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Norco", "Norco"),
        (12, 12),
    ],
)
def test_it_escapes_formula_cells(value, expected):
    assert escape_cell(value) == expected


def test_it_escapes_formulas_in_the_file(analyst_client):
    letter = make_determination()
    make_item(letter, treatment="=cmd|' /C calc'!A0")
    refresh(letter)
    rows = read(analyst_client.get(URL))
    assert rows[1][HEADER.index("Treatment")] == "'=cmd|' /C calc'!A0"


def test_it_names_the_file_after_the_filters_and_date(analyst_client):
    response = analyst_client.get(URL, {"outcome": "overturned", "drug_class": "Opioids"})
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="imr-overturned_opioids-20')
    assert disposition.endswith('.csv"')


def test_it_says_so_in_the_last_line_when_capped(analyst_client, settings):
    settings.EXPORT_MAX_ROWS = 2
    letter = make_determination()
    for _ in range(3):
        make_item(letter)
    refresh(letter)
    rows = read(analyst_client.get(URL))
    assert len(rows) == 4
    assert rows[-1][0].startswith("Export stopped at 2 rows")


def test_it_does_not_cap_without_the_setting(analyst_client):
    letter = make_determination()
    for _ in range(3):
        make_item(letter)
    refresh(letter)
    rows = read(analyst_client.get(URL))
    assert len(rows) == 4 and not rows[-1][0].startswith("Export stopped")


def test_it_writes_each_partys_citations_in_order(analyst_client):
    letter = make_determination()
    item = make_drug_item(letter, "tramadol")
    make_citation(
        item, order=2, source="ODG", document="Pain", section="", edition_year=None, pages=[]
    )
    make_citation(item, order=1, pages=[74, 80])
    make_citation(item, party="claims_administrator", source="none", document="", pages=[])
    make_citation(
        item, party="claims_administrator", order=1, source="other", document="Harrison's"
    )
    bare = make_item(letter)
    refresh(letter)
    rows = read(analyst_client.get(URL))
    by_item = {row[HEADER.index("Item")]: row for row in rows[1:]}
    cited = by_item[str(item.order)]
    assert cited[HEADER.index("Reviewer citations")] == (
        "MTUS Chronic Pain Medical Treatment Guidelines 2009 - Opioids p. 74, 80; ODG Pain"
    )
    assert cited[HEADER.index("Claims administrator citations")] == (
        "No guideline cited; Harrison's 2009 - Opioids p. 74"
    )
    uncited = by_item[str(bare.order)]
    assert uncited[HEADER.index("Reviewer citations")] == ""
    assert uncited[HEADER.index("Claims administrator citations")] == ""


def test_it_streams_rows_in_pieces_of_about_chunk_bytes(analyst_client, monkeypatch):
    # One piece per row would send each row through every layer of the response.
    from determinations import exports

    monkeypatch.setattr(exports, "CHUNK_BYTES", 2048)
    letter = make_determination(case_number="CM16-0007778")
    for _ in range(12):
        make_item(letter, rationale="Not medically necessary. " * 20)
    refresh(letter)
    pieces = list(analyst_client.get(URL).streaming_content)
    header, rows = pieces[0], pieces[1:]
    assert header.startswith("\ufeff".encode())
    assert 1 < len(rows) < 12
    assert all(len(p) >= 2048 for p in rows[:-1])
    body = b"".join(pieces).decode().lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(body.split("\n", 1)[1])))) == 13
