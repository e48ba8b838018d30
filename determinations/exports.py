"""CSV export of exactly the list page's filtered set: one row per disputed item.

No row limit unless ``settings.EXPORT_MAX_ROWS`` (0 = none) caps it, and then the file's
last line says so.

Columns, in this fixed order (the header row uses these names):

     1 Case number          the letter's case number (or the number a conflicting copy claims)
     2 Decision date        YYYY-MM-DD
     3 Date of injury       YYYY-MM-DD
     4 Date assigned        YYYY-MM-DD
     5 Priority             Standard / Expedited
     6 Patient age
     7 Patient sex          Male / Female
     8 Reviewer specialties "; "-separated
     9 Reviewer licensure   state codes, "; "-separated
    10 Item                 position of the item in the letter, 1-based
    11 Treatment
    12 Outcome              Upheld / Overturned
    13 Partial              Yes / No
    14 Original request     partial authorizations only
    15 Authorized portion   partial authorizations only
    16 Request category     DWC category ("Pharmaceuticals")
    17 Subcategory
    18 Drug (generic)       ingredients, "; "-separated
    19 Drug as written
    20 Strength
    21 Quantity
    22 Refills
    23 Frequency
    24 Drug class
    25 Reviewer citations   "; "-separated
    26 Claims administrator citations
    27 Rationale
    28 Review status        OK / Needs review / Conflicting case number / Failed
    29 Link                 the letter's page on this site

Every text cell that a spreadsheet could read as a formula (starting with = + - @, a tab
or a carriage return) is prefixed with an apostrophe.

Written by PostgreSQL: COPY (SELECT <COLUMNS_SQL> FROM <the filtered, ordered query>) TO
STDOUT (FORMAT csv), streamed to the client in the pieces psycopg receives, so memory
stays flat whatever the size and no row becomes a Python object (100,000 items take about
two seconds; formatting them in Python took three times as long). Quoting is csv.writer's
Excel dialect (minimal, quotes doubled; a cell holding a line break is quoted) with LF line
ends; the tests hold the SQL cells to ``csv.writer`` over ``escape_cell``, byte for byte.
Each item's citations come from one correlated subquery that aggregates both parties.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL

from determinations.models import Outcome, Party, Priority, ReviewStatus, Sex

# One guideline citation as readable text, e.g. "MTUS Chronic Pain Medical Treatment
# Guidelines 2009 - Opioids p. 74, 80".
_CITATION_TEXT = """
    CASE WHEN c.source = 'none' THEN 'No guideline cited'
    ELSE concat_ws(' ', NULLIF(c.source, 'other'), NULLIF(c.document, ''), c.edition_year,
                   CASE WHEN c.section <> '' THEN '- ' || c.section END,
                   CASE WHEN cardinality(c.pages) > 0
                        THEN 'p. ' || array_to_string(c.pages, ', ') END)
    END"""
# Both parties' citations, "; "-separated in citation order, as a two-element array
# (reviewer, claims administrator; NULL when that party cited nothing): one index scan
# per item instead of one per party.
EXPORT_CITATIONS_SQL = f"""
SELECT ARRAY[
    string_agg({_CITATION_TEXT}, '; ' ORDER BY c."order") FILTER (WHERE c.party = %s),
    string_agg({_CITATION_TEXT}, '; ' ORDER BY c."order") FILTER (WHERE c.party = %s)]
FROM determinations_guidelinecitation AS c
WHERE c.item_id = determinations_disputeditem.id
"""

# Columns read per item (named so in COLUMNS_SQL's ``t``). Keep in step with the docstring.
FIELDS = (
    "determination__case_number",
    "determination__claimed_case_number",
    "decision_date",
    "date_of_injury",
    "determination__date_assigned",
    "determination__priority",
    "determination__patient_age",
    "determination__patient_sex",
    "specialties",
    "licensure_states",
    "order",
    "treatment",
    "outcome",
    "partial",
    "original_request",
    "authorized_portion",
    "category",
    "subcategory",
    "ingredients",
    "brand",
    "strength",
    "quantity",
    "refills",
    "frequency",
    "drug_class",
    "export_citations",
    "rationale",
    "review_status",
    "determination_id",
)

HEADER = (
    "Case number",
    "Decision date",
    "Date of injury",
    "Date assigned",
    "Priority",
    "Patient age",
    "Patient sex",
    "Reviewer specialties",
    "Reviewer licensure",
    "Item",
    "Treatment",
    "Outcome",
    "Partial",
    "Original request",
    "Authorized portion",
    "Request category",
    "Subcategory",
    "Drug (generic)",
    "Drug as written",
    "Strength",
    "Quantity",
    "Refills",
    "Frequency",
    "Drug class",
    "Reviewer citations",
    "Claims administrator citations",
    "Rationale",
    "Review status",
    "Link",
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same characters in SQL, for the cells PostgreSQL writes.
_FORMULA_SQL = "'=', '+', '-', '@', chr(9), chr(13)"


def escape_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: "=HYPERLINK(...)" -> "'=HYPERLINK(...)"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(expr: str) -> str:
    """SQL of a text cell: formula-escaped like ``escape_cell``, and NULL when empty
    (COPY writes NULL as nothing but '' as "", where csv.writer writes nothing)."""
    return (
        f"CASE WHEN left({expr}, 1) IN ({_FORMULA_SQL}) THEN chr(39) || {expr}"
        f" ELSE NULLIF({expr}, '') END"
    )


def _label(expr: str, choices: list[tuple[str, str]]) -> str:
    """SQL of a coded cell: the code's label; an unknown code as it is, escaped."""
    whens = " ".join(f"WHEN {_literal(value)} THEN {_literal(label)}" for value, label in choices)
    return f"CASE {expr} {whens} ELSE {_text(expr)} END"


def _joined(expr: str) -> str:
    return _text(f"array_to_string({expr}, '; ')")


def _day(expr: str) -> str:
    return f"to_char({expr}, 'YYYY-MM-DD')"


def _col(name: str) -> str:
    return f't."{name}"'


# Each column of the file as SQL over ``t``, a row of the export query (its columns named
# as in FIELDS), in HEADER order. The one %s is the link prefix.
COLUMNS_SQL = (
    _text(
        f"coalesce(NULLIF({_col('determination__case_number')}, ''),"
        f" {_col('determination__claimed_case_number')})"
    ),
    _day(_col("decision_date")),
    _day(_col("date_of_injury")),
    _day(_col("determination__date_assigned")),
    _label(_col("determination__priority"), Priority.choices),
    _col("determination__patient_age"),
    _label(_col("determination__patient_sex"), Sex.choices),
    _joined(_col("specialties")),
    _joined(_col("licensure_states")),
    _col("order"),
    _text(_col("treatment")),
    _label(_col("outcome"), Outcome.choices),
    f"CASE WHEN {_col('partial')} THEN 'Yes' ELSE 'No' END",
    _text(_col("original_request")),
    _text(_col("authorized_portion")),
    _text(_col("category")),
    _text(_col("subcategory")),
    _joined(_col("ingredients")),
    _text(_col("brand")),
    _text(_col("strength")),
    _col("quantity"),
    _col("refills"),
    _text(_col("frequency")),
    _text(_col("drug_class")),
    _text(f"{_col('export_citations')}[1]"),
    _text(f"{_col('export_citations')}[2]"),
    _text(_col("rationale")),
    _label(_col("review_status"), ReviewStatus.choices),
    # The prefix is one parameter, escaped beforehand (see CsvExport.copy_sql).
    f"%s || {_col('determination_id')} || '/'",
)


def max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", 0) or 0)


def _csv_line(cells: Iterable[str]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(cells)
    return line.getvalue()


class CsvExport:
    """The file, as an iterable of byte strings: a byte-order mark and the header, every
    row as PostgreSQL's COPY ... TO STDOUT (FORMAT csv) writes it, in the pieces psycopg
    receives, and, when ``cap`` cut the set short, a last line saying so. ``rows`` is the
    number of rows written once the stream has ended (None before, or if cut off).

    PostgreSQL formats every cell (``COLUMNS_SQL``) and the CSV itself: no row becomes a
    Python object (which made the file about three times slower to produce), and memory
    stays flat whatever the size.
    """

    def __init__(self, items: Any, link_prefix: str, cap: int = 0) -> None:
        self.items = items
        self.link_prefix = link_prefix
        self.cap = cap
        self.rows: int | None = None

    def copy_sql(self) -> tuple[str, list[Any]]:
        parties = (Party.REVIEWER.value, Party.CLAIMS_ADMINISTRATOR.value)
        citations = RawSQL(EXPORT_CITATIONS_SQL, parties)  # noqa: S611 constant SQL
        qs = self.items.annotate(export_citations=citations).values_list(*FIELDS)
        if self.cap:
            qs = qs[: self.cap]
        sql, params = qs.query.sql_with_params()
        columns = ", ".join(COLUMNS_SQL)
        copy = f"COPY (SELECT {columns} FROM ({sql}) AS t) TO STDOUT WITH (FORMAT csv)"
        return copy, [escape_cell(self.link_prefix), *params]

    def __iter__(self) -> Iterator[bytes]:
        yield ("\ufeff" + _csv_line(HEADER)).encode()  # BOM: Excel then reads UTF-8
        more = bool(self.cap) and self.items.order_by()[self.cap : self.cap + 1].exists()
        sql, params = self.copy_sql()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(sql, params) as copy:
                for piece in copy:
                    yield bytes(piece)
            rows = raw.rowcount
        if more:
            cap = f"{self.cap:,}"
            note = f"Export stopped at {cap} rows (EXPORT_MAX_ROWS); the filtered set has more."
            yield _csv_line([note]).encode()
        self.rows = rows
