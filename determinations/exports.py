"""CSV export of exactly the list page's filtered set: one row per disputed item.

No row limit unless ``settings.EXPORT_MAX_ROWS`` (0 = none) caps it, and then the file's
last line says so.

Columns: ``COLUMNS`` below, one entry each (header, the fields it reads, its SQL cell and
what it holds); the list is appended to this docstring from that table.

Every text cell that a spreadsheet could read as a formula (starting with = + - @, a tab
or a carriage return) is prefixed with an apostrophe.

Written by PostgreSQL: COPY (SELECT <COLUMNS_SQL> FROM <the filtered, ordered query>) TO
STDOUT (FORMAT csv), streamed to the client in the pieces psycopg receives, so memory
stays flat whatever the size and no row becomes a Python object (100,000 items take about
two seconds; formatting them in Python took three times as long). Quoting is csv.writer's
Excel dialect (minimal, quotes doubled; a cell holding a line break is quoted) with LF line
ends; the tests hold the SQL cells to ``csv.writer`` over ``escape_cell``, byte for byte.
Each party's citations are read as the text stored on the item (``CITATION_TEXT_COLUMNS``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from determinations.choices import Outcome, Party, Priority, ReviewStatus, Sex

# One guideline citation as readable text, e.g. "MTUS Chronic Pain Medical Treatment
# Guidelines 2009 - Opioids p. 74, 80".
_CITATION_TEXT = """
    CASE WHEN c.source = 'none' THEN 'No guideline cited'
    ELSE concat_ws(' ', NULLIF(c.source, 'other'), NULLIF(c.document, ''), c.edition_year,
                   CASE WHEN c.section <> '' THEN '- ' || c.section END,
                   CASE WHEN cardinality(c.pages) > 0
                        THEN 'p. ' || array_to_string(c.pages, ', ') END)
    END"""


def _party_citations_sql(party: Party) -> str:
    """SQL of one party's citations of an item as the export's cell: their text,
    "; "-separated in citation order, and "" when the party cited nothing. Over
    ``{citations}`` rows picking the item by ``{item}`` (determinations.columns)."""
    return f"""coalesce((
        SELECT string_agg({_CITATION_TEXT}, '; ' ORDER BY c."order")
        FROM {{citations}} AS c WHERE {{item}} AND c.party = '{party.value}'), '')"""


# The export's citation cells, stored on the item (DisputedItem's columns of these names)
# by the loader and the refresh with its other columns computed from citations
# (determinations.columns.CITATION_COLUMNS): the export reads one column per party where it
# aggregated every exported item's citations, which was 40% of its time at 1,000,000
# letters (BENCHMARKS.md).
CITATION_TEXT_COLUMNS: dict[str, str] = {
    "reviewer_citation_text": _party_citations_sql(Party.REVIEWER),
    "claims_citation_text": _party_citations_sql(Party.CLAIMS_ADMINISTRATOR),
}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same characters as the code points SQL's ascii() gives for a text's first character
# (one integer comparison list per cell: comparing left(text, 1) with six texts looked up
# the collation for each, a tenth of the export's time in PostgreSQL).
_FORMULA_SQL = ", ".join(str(ord(c)) for c in FORMULA_START)


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
        f"CASE WHEN ascii({expr}) IN ({_FORMULA_SQL}) THEN chr(39) || {expr}"
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


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the file: its header, the fields of the export query it reads (named
    so in ``t``), its cell as SQL over ``t`` (``{}`` per field, in order), and a note."""

    header: str
    fields: tuple[str, ...]
    sql: Callable[..., str]
    note: str = ""


def _cell(kind: Callable[[str], str]) -> Callable[..., str]:
    return lambda *cols: kind(cols[0])


# The columns, in file order. The link's cell holds the one %s, the link prefix (escaped
# beforehand, see CsvExport.copy_sql).
COLUMNS: tuple[Column, ...] = (
    Column("Case number", ("determination__case_number", "determination__claimed_case_number"),
           lambda own, claimed: _text(f"coalesce(NULLIF({own}, ''), {claimed})"),
           "the letter's case number (or the number a conflicting copy claims)"),
    Column("Decision date", ("decision_date",), _cell(_day), "YYYY-MM-DD"),
    Column("Date of injury", ("date_of_injury",), _cell(_day), "YYYY-MM-DD"),
    Column("Date assigned", ("determination__date_assigned",), _cell(_day), "YYYY-MM-DD"),
    Column("Priority", ("determination__priority",),
           lambda c: _label(c, Priority.choices), "Standard / Expedited"),
    Column("Patient age", ("determination__patient_age",), lambda c: c),
    Column("Patient sex", ("determination__patient_sex",),
           lambda c: _label(c, Sex.choices), "Male / Female"),
    Column("Reviewer specialties", ("specialties",), _cell(_joined), '"; "-separated'),
    Column("Reviewer licensure", ("licensure_states",), _cell(_joined),
           'state codes, "; "-separated'),
    Column("Item", ("order",), lambda c: c, "position of the item in the letter, 1-based"),
    Column("Treatment", ("treatment",), _cell(_text)),
    Column("Outcome", ("outcome",), lambda c: _label(c, Outcome.choices),
           "Upheld / Overturned"),
    Column("Partial", ("partial",), lambda c: f"CASE WHEN {c} THEN 'Yes' ELSE 'No' END",
           "Yes / No"),
    Column("Original request", ("original_request",), _cell(_text),
           "partial authorizations only"),
    Column("Authorized portion", ("authorized_portion",), _cell(_text),
           "partial authorizations only"),
    Column("Request category", ("category",), _cell(_text), 'DWC category ("Pharmaceuticals")'),
    Column("Subcategory", ("subcategory",), _cell(_text)),
    Column("Drug (generic)", ("ingredients",), _cell(_joined), 'ingredients, "; "-separated'),
    Column("Drug as written", ("brand",), _cell(_text)),
    Column("Strength", ("strength",), _cell(_text)),
    Column("Quantity", ("quantity",), lambda c: c),
    Column("Refills", ("refills",), lambda c: c),
    Column("Frequency", ("frequency",), _cell(_text)),
    Column("Drug class", ("drug_class",), _cell(_text)),
    Column("Reviewer citations", ("reviewer_citation_text",), _cell(_text), '"; "-separated'),
    Column("Claims administrator citations", ("claims_citation_text",), _cell(_text)),
    Column("Rationale", ("rationale",), _cell(_text)),
    Column("Review status", ("review_status",), lambda c: _label(c, ReviewStatus.choices),
           "OK / Needs review / Conflicting case number / Failed"),
    Column("Link", ("determination_id",), lambda c: f"%s || {c} || '/'",
           "the letter's page on this site"),
)  # fmt: skip

HEADER = tuple(c.header for c in COLUMNS)
# The export query's fields, each once, in first-use order.
FIELDS = tuple(dict.fromkeys(f for c in COLUMNS for f in c.fields))
COLUMNS_SQL = tuple(c.sql(*(_col(f) for f in c.fields)) for c in COLUMNS)

__doc__ = (
    (__doc__ or "")
    + "\nColumns, in this fixed order (the header row uses these names):\n\n"
    + ("\n".join(f"    {n:2} {c.header:<20} {c.note}".rstrip() for n, c in enumerate(COLUMNS, 1)))
)


# The size of the pieces the file is streamed in.
CHUNK_BYTES = 64 * 1024


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
        qs = self.items.values_list(*FIELDS)
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
                # psycopg hands over one row at a time: joined into pieces of about
                # CHUNK_BYTES, the response's layers (Django, WSGI, the socket) handle
                # 2,000 pieces per 100,000 rows instead of 100,000.
                chunk = bytearray()
                for piece in copy:
                    chunk += piece
                    if len(chunk) >= CHUNK_BYTES:
                        yield bytes(chunk)
                        chunk.clear()
                if chunk:
                    yield bytes(chunk)
            rows = raw.rowcount
        if more:
            cap = f"{self.cap:,}"
            note = f"Export stopped at {cap} rows (EXPORT_MAX_ROWS); the filtered set has more."
            yield _csv_line([note]).encode()
        self.rows = rows
