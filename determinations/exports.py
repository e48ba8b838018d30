"""CSV export of exactly the list page's filtered set: one row per disputed item, or, in
the "letters" count mode, one row per letter the page counts, its matching items summarised.

No row limit unless ``settings.EXPORT_MAX_ROWS`` (0 = none) caps it, and then the file's
last line says so.

The file: a byte-order mark; a first line, one cell, saying what produced it (``first_line``:
"# IMR determinations export · 94 requests for “epidural steroid” - Upheld · filters: q=...;
outcome=upheld · newest first · 2026-12-07 23:40 UTC · 94 rows"); the header; the rows.

Columns: ``COLUMNS`` (a row per item) and ``LETTER_ROW_COLUMNS`` (a row per letter) below,
one entry each (header, the fields it reads, its SQL cell and what it holds); the lists are
appended to this docstring from those tables.

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
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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
    so in ``t``), its cell as SQL over ``t`` (``{}`` per field, in order), and a note.
    ``letter``: the value is its letter's (or its reviewer's), the same on every item of
    the letter, so a row per letter has it too (``of_letter``)."""

    header: str
    fields: tuple[str, ...]
    sql: Callable[..., str]
    note: str = ""
    letter: bool = False

    def of_letter(self) -> Column:
        """This column in a row per letter: the same cell over any one of the letter's
        items. They all hold the letter's value, so ``min`` picks it (PostgreSQL's
        ``any_value`` would say so better, but it needs PostgreSQL 16; Debian 12 has 15)."""
        sql = self.sql
        return Column(
            self.header,
            self.fields,
            lambda *cols: sql(*(f"min({c})" for c in cols)),
            self.note,
            letter=True,
        )


def _cell(kind: Callable[[str], str]) -> Callable[..., str]:
    return lambda *cols: kind(cols[0])


# The columns of a row per item, in file order. The link's cell holds the one %s, the link
# prefix (escaped beforehand, see CsvExport.copy_sql). Every cell reads the item row's own
# columns (the letter's are joined once by the query, not looked up per row).
COLUMNS: tuple[Column, ...] = (
    Column("Case number", ("determination__case_number", "determination__claimed_case_number"),
           lambda own, claimed: _text(f"coalesce(NULLIF({own}, ''), {claimed})"),
           "the letter's case number (or the number a conflicting copy claims)", letter=True),
    Column("Decision date", ("decision_date",), _cell(_day), "YYYY-MM-DD", letter=True),
    Column("Date of injury", ("date_of_injury",), _cell(_day), "YYYY-MM-DD", letter=True),
    Column("Date assigned", ("determination__date_assigned",), _cell(_day), "YYYY-MM-DD",
           letter=True),
    Column("Priority", ("determination__priority",),
           lambda c: _label(c, Priority.choices), "Standard / Expedited", letter=True),
    Column("Patient age", ("determination__patient_age",), lambda c: c, letter=True),
    Column("Patient sex", ("determination__patient_sex",),
           lambda c: _label(c, Sex.choices), "Male / Female", letter=True),
    Column("Reviewer specialties", ("specialties",), _cell(_joined), '"; "-separated',
           letter=True),
    Column("Reviewer licensure", ("licensure_states",), _cell(_joined),
           'state codes, "; "-separated', letter=True),
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
    Column("Body region", ("body_region",), _cell(_text),
           'of the request ("Lumbar spine"), as the "region" filter'),
    Column("Visits", ("visits",), lambda c: c, "visits or sessions requested"),
    Column("Drug (generic)", ("ingredients",), _cell(_joined), 'ingredients, "; "-separated'),
    Column("Drug as written", ("brand",), _cell(_text)),
    Column("Strength", ("strength",), _cell(_text)),
    Column("Quantity", ("quantity",), lambda c: c),
    Column("Refills", ("refills",), lambda c: c),
    Column("Frequency", ("frequency",), _cell(_text)),
    Column("Drug class", ("drug_class",), _cell(_text)),
    Column("Reviewer citations", ("reviewer_citation_text",), _cell(_text), '"; "-separated'),
    Column("Guideline sections", ("guideline_sections",), _cell(_joined),
           'canonical sections the reviewer cited ("MTUS|<document>|<topic>", as the '
           '"section" filter), "; "-separated'),
    Column("Claims administrator citations", ("claims_citation_text",), _cell(_text)),
    Column("Claims administrator guideline source", ("claims_sources",), _cell(_joined),
           'MTUS / ACOEM / ODG / other / none, "; "-separated, as the "claims_source" filter'),
    Column("Reason tags", ("reason_tags",), _cell(_joined),
           'what the rationale gives as reasons ("no-functional-improvement", as the '
           '"reason" filter), "; "-separated'),
    Column("Rationale", ("rationale",), _cell(_text)),
    Column("Review status", ("review_status",), lambda c: _label(c, ReviewStatus.choices),
           "OK / Needs review / Conflicting case number / Failed", letter=True),
    Column("Link", ("determination_id",), lambda c: f"%s || {c} || '/'",
           "the letter's page on this site", letter=True),
)  # fmt: skip


def _per_item(expr: str, order: str) -> str:
    """SQL of a letter row's list of its matching items' values, in item order and
    " | "-separated, so that the lists of one row line up item by item."""
    return _text(f"string_agg({expr}, ' | ' ORDER BY {order})")


def _count_where(condition: str) -> str:
    return f"count(*) FILTER (WHERE {condition})"


# The columns of a row per letter ("letters" count mode): the letter's own columns of the
# item table, then its matching items (those of the filtered set, as the page shows under
# the letter) summarised.
LETTER_ROW_COLUMNS: tuple[Column, ...] = (
    *(c.of_letter() for c in COLUMNS if c.letter),
    Column("Matching items", (), lambda: "count(*)",
           "the letter's items in the filtered set (what the page shows under it)"),
    Column("Overturned", ("outcome",),
           lambda c: _count_where(f"{c} = {_literal(Outcome.OVERTURNED.value)}"),
           "matching items overturned"),
    Column("Upheld", ("outcome",),
           lambda c: _count_where(f"{c} = {_literal(Outcome.UPHELD.value)}"),
           "matching items upheld"),
    Column("Partial authorizations", ("partial",), lambda c: _count_where(c),
           "matching items partly authorized"),
    Column("Items", ("order",), lambda c: _per_item(f"{c}::text", c),
           'the matching items\' positions in the letter, " | "-separated'),
    Column("Treatments", ("treatment", "order"), _per_item, '" | "-separated, in item order'),
    Column("Outcomes", ("outcome", "order"), lambda c, o: _per_item(_label(c, Outcome.choices), o),
           'Upheld / Overturned, " | "-separated, in item order'),
)  # fmt: skip

# A row per letter groups the filtered items by these fields (the letter's; the first
# gives the rows' order): in the item query's order, so the grouping needs no sort.
_LETTER_KEYS = ("decision_date", "determination_id")


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of one kind of file: its columns, the export query's fields they read
    (each once, in first-use order), their SQL cells, and whether a row is a letter (the
    filtered items grouped by letter) or an item."""

    columns: tuple[Column, ...]
    header: tuple[str, ...]
    fields: tuple[str, ...]
    sql: tuple[str, ...]
    per_letter: bool

    @classmethod
    def of(cls, columns: tuple[Column, ...], *, per_letter: bool = False) -> Table:
        keys = _LETTER_KEYS if per_letter else ()
        fields = tuple(dict.fromkeys([*(f for c in columns for f in c.fields), *keys]))
        return cls(
            columns,
            tuple(c.header for c in columns),
            fields,
            tuple(c.sql(*(_col(f) for f in c.fields)) for c in columns),
            per_letter,
        )


ITEMS = Table.of(COLUMNS)
LETTERS = Table.of(LETTER_ROW_COLUMNS, per_letter=True)

# The item table's, by the names the tests and benchmarks read.
HEADER = ITEMS.header
FIELDS = ITEMS.fields
COLUMNS_SQL = ITEMS.sql


def _described(columns: tuple[Column, ...]) -> str:
    return "\n".join(
        f"    {n:2} {c.header:<22} {c.note}".rstrip() for n, c in enumerate(columns, 1)
    )


__doc__ = (
    (__doc__ or "")
    + "\nColumns of a row per item, in this fixed order (the header row uses these names):\n\n"
    + _described(COLUMNS)
    + "\n\nColumns of a row per letter (count=letters), in this fixed order:\n\n"
    + _described(LETTER_ROW_COLUMNS)
)


# The size of the pieces the file is streamed in.
CHUNK_BYTES = 64 * 1024

# The file's orders (the list's relevance is not computed for exports).
ORDERS = {"newest": "newest first", "oldest": "oldest first"}
# Parameters of the filter state about how the list page is shown, not which rows: left
# out of the first line, which gives the file's own order instead.
SHOWN_ONLY = ("sort", "page")


def max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", 0) or 0)


def _csv_line(cells: Iterable[str]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(cells)
    return line.getvalue()


class FilterState(Protocol):
    """What the first line reads of a filter state (determinations.filters.ItemFilters)."""

    def summary(self, total: int | None = None, approximate: bool = False) -> str: ...

    def as_dict(self) -> dict[str, list[str]]: ...


def _one_line(text: str) -> str:
    """``text`` with every line break, tab or other unprintable character as a space."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def first_line(
    filters: FilterState | None,
    total: int,
    rows: int,
    order: str = "newest",
    now: datetime | None = None,
) -> str:
    """The file's first line: what produced it, as one CSV cell on one line (quoted when
    it holds a comma or a quote), starting "# IMR determinations export":

        # IMR determinations export · 94 requests for “epidural steroid” - Upheld - decided
        2016 · filters: q=epidural steroid; outcome=upheld; year=2016 · newest first ·
        2026-12-07 23:40 UTC · 94 rows

    The sentence is the list page's own (``summary`` of ``total``, the set counted in its
    mode); the filters are the state's every parameter (``as_dict``, so one added to the
    state, like the search scope, appears here) but how the page is shown; ``rows`` is
    what the file holds (fewer than ``total`` when EXPORT_MAX_ROWS cut it). Each value is
    formula-escaped like a cell, and so is the line.
    """
    when = (now or timezone.now()).astimezone(UTC)
    parts = ["# IMR determinations export"]
    if filters is not None:
        params = [
            f"{name}={escape_cell(value)}"
            for name, values in filters.as_dict().items()
            if name not in SHOWN_ONLY
            for value in values
        ]
        parts += [filters.summary(total), "filters: " + ("; ".join(params) or "none")]
    parts += [ORDERS.get(order, order), f"{when:%Y-%m-%d %H:%M} UTC"]
    parts.append(f"{rows:,} row" + ("" if rows == 1 else "s"))
    if rows < total:
        parts[-1] += f" of {total:,} (EXPORT_MAX_ROWS)"
    return _csv_line([escape_cell(_one_line(" · ".join(parts)))])


class CsvExport:
    """The file, as an iterable of byte strings: a byte-order mark, the first line
    (``first_line``) and the header, every row as PostgreSQL's COPY ... TO STDOUT (FORMAT
    csv) writes it, in the pieces psycopg receives, and, when ``cap`` cut the set short, a
    last line saying so. ``rows`` is the number of rows written once the stream has ended
    (None before, or if cut off).

    ``items`` is the filtered set, ordered; ``table`` what a row is (``ITEMS``, or
    ``LETTERS``: the items grouped by letter, in ``order``); ``counted`` the queryset whose
    count the first line gives (the page's own: ``items``, or its letter ids), counted in
    the same snapshot as the rows are read.

    PostgreSQL formats every cell (``Table.sql``) and the CSV itself: no row becomes a
    Python object (which made the file about three times slower to produce), and memory
    stays flat whatever the size.
    """

    def __init__(
        self,
        items: Any,
        link_prefix: str,
        cap: int = 0,
        *,
        table: Table = ITEMS,
        counted: Any = None,
        filters: FilterState | None = None,
        order: str = "newest",
    ) -> None:
        self.items = items
        self.link_prefix = link_prefix
        self.cap = cap
        self.table = table
        self.counted = items if counted is None else counted
        self.filters = filters
        self.order = order
        self.rows: int | None = None

    def copy_sql(self) -> tuple[str, list[Any]]:
        table = self.table
        qs = self.items.values_list(*table.fields)
        if self.cap and not table.per_letter:
            qs = qs[: self.cap]
        sql, params = qs.query.sql_with_params()
        select = f"SELECT {', '.join(table.sql)} FROM ({sql}) AS t"
        if table.per_letter:
            # The items come in the list's order (decision date, letter, item), so the
            # groups do too, and each letter's lists are in item order without a sort.
            way = "ASC" if self.order == "oldest" else "DESC"
            keys = [_col(k) for k in _LETTER_KEYS]
            select += f" GROUP BY {', '.join(keys)} ORDER BY {keys[0]} {way} NULLS LAST"
            select += f", {keys[1]} {way}"
            if self.cap:
                select += f" LIMIT {int(self.cap)}"
        copy = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
        return copy, [escape_cell(self.link_prefix), *params]

    def __iter__(self) -> Iterator[bytes]:
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=connection.alias):
            if outermost:
                # One snapshot for the count the first line gives and the rows COPY writes
                # (a letter ingested in between would make them disagree).
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            total = self.counted.using(connection.alias).count()
            written = min(total, self.cap) if self.cap else total
            line = first_line(self.filters, total, written, self.order)
            # BOM: Excel then reads UTF-8.
            yield ("\ufeff" + line + _csv_line(self.table.header)).encode()
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
        if written < total:
            cap = f"{self.cap:,}"
            note = f"Export stopped at {cap} rows (EXPORT_MAX_ROWS); the filtered set has more."
            yield _csv_line([note]).encode()
        self.rows = rows
