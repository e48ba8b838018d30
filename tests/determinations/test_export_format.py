"""The cells and lines PostgreSQL writes for the export (exports.COLUMNS_SQL, COPY ... CSV)
against the reference they replace: ``csv.writer`` over cells passed through
``escape_cell``, byte for byte (LF line ends), for any text."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from determinations.exports import COLUMNS_SQL, FIELDS, HEADER, escape_cell
from determinations.models import Outcome, Priority, ReviewStatus, Sex

pytestmark = pytest.mark.django_db

LINK = "https://imr.example/letters/"
# Text as letters and spreadsheets see it: formula starts, separators, quotes, line
# breaks, non-ASCII; plus any other character now and then. PostgreSQL text has no NUL
# and UTF-8 no lone surrogates.
TEXT = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n,;\"' aZ0é€😀"))
    | st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
    max_size=40,
)
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The SQL type of each FIELDS column, for feeding a row to COLUMNS_SQL.
TYPES = {
    "decision_date": "date",
    "date_of_injury": "date",
    "determination__date_assigned": "date",
    "determination__patient_age": "integer",
    "specialties": "text[]",
    "licensure_states": "text[]",
    "order": "integer",
    "partial": "boolean",
    "ingredients": "text[]",
    "quantity": "integer",
    "refills": "integer",
    "visits": "integer",
    "guideline_sections": "text[]",
    "claims_sources": "text[]",
    "reason_tags": "text[]",
    "determination_id": "bigint",
}


def reference_line(cells: list[Any]) -> str:
    # The Excel dialect's quoting (a carriage return inside a cell is quoted too), with
    # PostgreSQL's LF line end.
    line = io.StringIO()
    csv.writer(line).writerow([escape_cell(c) for c in cells])
    return line.getvalue().removesuffix("\r\n") + "\n"


def copied_line(row: tuple[Any, ...]) -> str:
    """The line PostgreSQL's COPY writes for ``row`` (in FIELDS order)."""
    values = ", ".join(f'%s::{TYPES.get(f, "text")} AS "{f}"' for f in FIELDS)
    sql = f"COPY (SELECT {', '.join(COLUMNS_SQL)} FROM (SELECT {values}) AS t) TO STDOUT CSV"
    params = [escape_cell(LINK), *(list(v) if isinstance(v, tuple) else v for v in row)]
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        return b"".join(bytes(piece) for piece in copy).decode()


def reference_cells(row: tuple[Any, ...]) -> list[Any]:
    """The readable cells of one row, as the export has always written them."""
    v = dict(zip(FIELDS, row, strict=True))
    day = lambda d: d.isoformat() if d else ""  # noqa: E731
    return [
        v["determination__case_number"] or v["determination__claimed_case_number"] or "",
        day(v["decision_date"]),
        day(v["date_of_injury"]),
        day(v["determination__date_assigned"]),
        dict(Priority.choices).get(
            v["determination__priority"], v["determination__priority"] or ""
        ),
        "" if v["determination__patient_age"] is None else v["determination__patient_age"],
        dict(Sex.choices).get(
            v["determination__patient_sex"], v["determination__patient_sex"] or ""
        ),
        "; ".join(v["specialties"] or ()),
        "; ".join(v["licensure_states"] or ()),
        v["order"],
        v["treatment"],
        dict(Outcome.choices).get(v["outcome"], v["outcome"]),
        "Yes" if v["partial"] else "No",
        v["original_request"],
        v["authorized_portion"],
        v["category"],
        v["subcategory"],
        v["body_region"],
        "" if v["visits"] is None else v["visits"],
        "; ".join(v["ingredients"] or ()),
        v["brand"],
        v["strength"],
        "" if v["quantity"] is None else v["quantity"],
        "" if v["refills"] is None else v["refills"],
        v["frequency"],
        v["drug_class"],
        v["reviewer_citation_text"],
        "; ".join(v["guideline_sections"] or ()),
        v["claims_citation_text"],
        "; ".join(v["claims_sources"] or ()),
        "; ".join(v["reason_tags"] or ()),
        v["rationale"],
        dict(ReviewStatus.choices).get(v["review_status"], v["review_status"]),
        f"{LINK}{v['determination_id']}/",
    ]


@st.composite
def rows(draw) -> tuple[Any, ...]:
    """A database row in ``FIELDS`` order: letter text in every text column, codes
    known or unknown, and empty or missing values."""
    text = TEXT
    code = lambda choices: st.sampled_from([c for c, _ in choices]) | text  # noqa: E731
    some_date = st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 1, 1))
    number = st.none() | st.integers(min_value=0, max_value=5000)
    values = {
        "determination__case_number": st.none() | text,
        "determination__claimed_case_number": text,
        "decision_date": some_date,
        "date_of_injury": some_date,
        "determination__date_assigned": some_date,
        "determination__priority": code(Priority.choices),
        "determination__patient_age": number,
        "determination__patient_sex": code(Sex.choices),
        "specialties": st.lists(text, max_size=3),
        "licensure_states": st.lists(text, max_size=3),
        "order": st.integers(min_value=1, max_value=40),
        "treatment": text,
        "outcome": code(Outcome.choices),
        "partial": st.booleans(),
        "original_request": text,
        "authorized_portion": text,
        "category": text,
        "subcategory": text,
        "body_region": text,
        "visits": number,
        "ingredients": st.lists(text, max_size=3),
        "brand": text,
        "strength": text,
        "quantity": number,
        "refills": number,
        "frequency": text,
        "drug_class": text,
        "reviewer_citation_text": text,
        "guideline_sections": st.lists(text, max_size=3),
        "claims_citation_text": text,
        "claims_sources": st.lists(text, max_size=3),
        "reason_tags": st.lists(text, max_size=3),
        "rationale": text,
        "review_status": code(ReviewStatus.choices),
        "determination_id": st.integers(min_value=1, max_value=10**9),
    }
    return tuple(draw(values[field]) for field in FIELDS)


@PROPERTY
@given(rows())
def test_a_line_is_what_csv_writer_writes_for_the_escaped_cells(row):
    assert copied_line(row) == reference_line(reference_cells(row))


@PROPERTY
@given(rows())
def test_no_cell_of_a_line_reads_as_a_formula(row):
    (cells,) = csv.reader(io.StringIO(copied_line(row), newline=""))
    assert len(cells) == len(HEADER)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_every_text_column_is_escaped():
    formula = "=1+1"
    row = tuple(
        {
            "determination__case_number": formula,
            "decision_date": None,
            "date_of_injury": None,
            "determination__date_assigned": None,
            "determination__patient_age": None,
            "specialties": [formula, "Pain Medicine"],
            "licensure_states": [formula],
            "order": 1,
            "partial": False,
            "ingredients": [formula],
            "quantity": None,
            "refills": None,
            "visits": None,
            "guideline_sections": [formula],
            "claims_sources": [formula],
            "reason_tags": [formula],
            "determination_id": 3,
        }.get(field, formula)
        for field in FIELDS
    )
    (cells,) = csv.reader(io.StringIO(copied_line(row), newline=""))
    row_by_name = dict(zip(HEADER, cells, strict=True))
    numbers_and_fixed = {
        "Decision date",
        "Date of injury",
        "Date assigned",
        "Patient age",
        "Item",
        "Partial",
        "Quantity",
        "Refills",
        "Visits",
        "Link",
    }
    for name, cell in row_by_name.items():
        if name not in numbers_and_fixed:
            assert cell.startswith("'=1+1"), name
    assert row_by_name["Reviewer specialties"] == "'=1+1; Pain Medicine"
    assert row_by_name["Link"] == f"{LINK}3/"
