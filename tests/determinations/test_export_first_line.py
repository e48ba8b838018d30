"""The export's first line says what produced the file (the page's sentence, every filter
of the state, the order, when, how many rows), as one formula-safe CSV cell on one line;
the rest of the file is the header and rows, valid CSV."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from determinations.exports import HEADER, first_line
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db
URL = reverse("determinations:export")
LIST = reverse("determinations:list")


def split(response):
    """(the first line's cells, the rest as dicts by header)."""
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    first, rest = body.lstrip("\ufeff").split("\n", 1)
    return next(csv.reader([first])), list(csv.DictReader(io.StringIO(rest)))


def letters_about_epidurals():
    for outcome in ("upheld", "upheld", "overturned"):
        letter = make_determination()
        make_item(
            letter,
            treatment="Lumbar epidural steroid injection L4-5",
            heading="Lumbar epidural steroid injection L4-5",
            outcome=outcome,
        )
        make_item(letter, treatment="Physical therapy 12 sessions")
        refresh(letter)


def test_it_describes_the_search_filters_and_scope_as_the_page_does(analyst_client):
    letters_about_epidurals()
    query = {"q": "epidural steroid", "scope": "rationale", "outcome": "upheld", "year": "2016"}
    summary = analyst_client.get(LIST, query).context["summary"]
    (cell,), rows = split(analyst_client.get(URL, query))
    parts = cell.split(" · ")
    assert parts[0] == "# IMR determinations export"
    assert parts[1] == summary  # "2 disputed items whose request, ... mention “...” - ..."
    assert summary.startswith("2 disputed items whose request, guidelines or rationale")
    assert parts[2] == "filters: q=epidural steroid; scope=rationale; outcome=upheld; year=2016"
    assert parts[3] == "newest first"
    assert parts[4].endswith(" UTC") and len(parts[4]) == len("2026-12-07 23:40 UTC")
    assert parts[5] == "2 rows" == f"{len(rows)} rows"


def test_it_names_the_count_mode_and_order_and_no_filters(analyst_client):
    letters_about_epidurals()
    (cell,), _ = split(analyst_client.get(URL, {"count": "letters", "sort": "oldest"}))
    assert cell.startswith("# IMR determinations export · 3 letters · filters: count=letters ·")
    assert " · oldest first · " in cell and cell.endswith(" · 3 rows")
    (cell,), _ = split(analyst_client.get(URL))
    assert " · 6 disputed items · filters: none · newest first · " in cell


def test_it_reads_every_parameter_of_the_state_generically():
    class State:
        def summary(self, total=None, approximate=False):
            return f"{total} requests for \u201cnorco\u201d"

        def as_dict(self):
            return {"q": ["norco"], "scope": ["letter"], "later_param": ["a", "b"], "page": ["3"]}

    line = first_line(State(), 1, 1, now=datetime(2026, 12, 7, 23, 40, tzinfo=UTC))
    assert line == (
        "# IMR determinations export · 1 requests for \u201cnorco\u201d · filters: q=norco; "
        "scope=letter; later_param=a; later_param=b · newest first · 2026-12-07 23:40 UTC"
        " · 1 row\n"
    )


def test_it_keeps_the_first_line_one_formula_safe_cell_on_one_line():
    class State:
        def summary(self, total=None, approximate=False):
            return '=HYPERLINK(1), "quoted"\r\nnext line\ttab'

        def as_dict(self):
            return {"category": ["=cmd|' /C calc'!A0"], "specialty": ["@SUM(A1)"]}

    line = first_line(State(), 5, 5)
    assert line.count("\n") == 1 and "\r" not in line and "\t" not in line
    (cells,) = csv.reader(io.StringIO(line))
    (cell,) = cells  # the comma and quotes are quoted, not a second cell
    assert cell.startswith('# IMR determinations export · =HYPERLINK(1), "quoted" next line')
    assert "category='=cmd|' /C calc'!A0; specialty='@SUM(A1)" in cell


def test_it_escapes_formulas_from_the_url_in_the_first_line(analyst_client):
    letter = make_determination()
    make_item(letter, category="=cmd")
    refresh(letter)
    (cell,), rows = split(analyst_client.get(URL, {"category": "=cmd"}))
    assert "filters: category='=cmd · " in cell
    assert rows[0]["Request category"] == "'=cmd"


def test_it_round_trips_through_the_csv_module(analyst_client):
    letter = make_determination(case_number="CM16-0000042")
    nasty = 'He said "no", then,\nlater: =SUM(A1)\r\n; -1 @x'
    make_drug_item(letter, "tramadol", rationale=nasty, treatment="Tramadol, 50 mg")
    make_item(letter, treatment='"Quoted" treatment', body_region="Knee, left")
    refresh(letter)
    (cell,), rows = split(analyst_client.get(URL))
    assert cell.endswith(" · 2 rows")
    assert list(rows[0]) == list(HEADER)
    first, second = rows
    assert first["Rationale"] == nasty
    assert first["Treatment"] == "Tramadol, 50 mg"
    assert second["Treatment"] == '"Quoted" treatment'
    assert second["Body region"] == "Knee, left"
    assert all(None not in row and len(row) == len(HEADER) for row in rows)


@pytest.mark.django_db(transaction=True)
def test_it_counts_and_copies_in_one_read_only_snapshot_outside_a_transaction(analyst_client):
    # Outside the test's own transaction the export opens its own (repeatable read).
    letters_about_epidurals()
    (cell,), rows = split(analyst_client.get(URL, {"count": "letters"}))
    assert cell.endswith(" · 3 rows") and len(rows) == 3
