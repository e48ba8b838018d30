"""Read one result page of DWC's IMR decision search; refuse any page of another shape.

The shape is reconstructed from a public 2017 crawler of the form (talhaabacus/IMRCrawler,
``WebSearch.cs``), not from DWC documentation, so every page is checked against it and a
mismatch raises :class:`ShapeError` naming what was expected and what was found. Nothing here
guesses: no column is found "by looking for something like a date".

The reconstructed page: a ``<table class="tabborder">`` whose first row is the header
(``COLUMNS``); then one row per treatment. A case's first row has all eight cells, the first
a link to the letter's PDF whose text is the case number; its further treatments are rows of
four cells, the first an empty ``colspan="5"`` cell, then category, subcategory/drug and
decision. After the table, an element holds the total number of results in ``<strong>``;
pages hold ``ROWS_PER_PAGE`` rows; a ``<form name="Nextpage">`` is there when a next page is.

Pure: no Django, no network.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The result table's header, in order: the one declaration of its shape.
COLUMNS: tuple[str, ...] = (
    "Case Number",
    "Decision Date",
    "Date of Injury",
    "Received Date",
    "IMRO Reviewer Specialty",
    "Request Category",
    "SubCategory/Drug",
    "Request Decision",
)
ROWS_PER_PAGE = 25
TABLE_CLASS = "tabborder"
NEXT_FORM_NAME = "Nextpage"
# A further treatment of the case above: an empty cell spanning the case's first five columns.
CONTINUATION_COLSPAN = 5
DATE_FORMAT = "%m/%d/%Y"  # as the form takes and shows dates ("02/14/2017")
# DWC case numbers: "CM16-9000001" (letters and year, then digits).
CASE_NUMBER_RE = re.compile(r"^[A-Z]{2}\d{2}-\d{5,8}$")
# What a search with no results says instead of a table (assumed; checked like the rest).
NO_RESULTS_RE = re.compile(r"no (?:results|records|decisions)(?: were)? found", re.IGNORECASE)
# The total after the table: digits, thousands separated by commas.
TOTAL_RE = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


class ShapeError(Exception):
    """The page is not shaped as reconstructed: the sync stops rather than guess."""

    def __init__(self, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(
            f"DWC's search results changed shape: expected {expected}; found {found}. "
            "Nothing from this page was used. Check the page by hand and update "
            "dwcsync/page.py (the form's shape is reconstructed, see its docstring)."
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One treatment row; the case fields are copied onto a case's further rows."""

    case_number: str
    pdf_href: str
    decision_date: datetime.date
    date_of_injury: datetime.date | None
    received_date: datetime.date | None
    specialty: str
    category: str
    subcategory: str
    decision: str
    # A further treatment of the case (a continuation row), not the case's first row.
    continued: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    rows: tuple[Row, ...]
    has_next: bool

    @property
    def pages_total(self) -> int:
        return -(-self.total // ROWS_PER_PAGE)


@dataclass(slots=True)
class _Cell:
    text: str = ""
    colspan: int = 1
    hrefs: list[str] = field(default_factory=list)
    link_text: str = ""


class _Reader(HTMLParser):
    """Collects the first tabborder table's rows, the <strong> texts after it, the forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables_seen = 0
        self.depth = 0  # >0 inside the result table (nested tables counted)
        self.table_done = False
        self.rows: list[list[_Cell]] = []
        self.cell: _Cell | None = None
        self.in_link = False
        self.strong_after: list[str] = []
        self.in_strong = False
        self.strong_text = ""
        self.forms: list[str] = []
        self.title = ""
        self.in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "title":
            self.in_title = True
        if tag == "form":
            self.forms.append(a.get("name", ""))
        if tag == "table":
            if self.depth:
                self.depth += 1
            elif not self.table_done and TABLE_CLASS in a.get("class", "").split():
                self.depth = 1
                self.tables_seen += 1
        if not self.depth:
            if tag == "strong" and self.table_done:
                self.in_strong, self.strong_text = True, ""
            return
        if tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.depth == 1 and self.rows:
            span = a.get("colspan", "1")
            self.cell = _Cell(colspan=int(span) if span.isdigit() else 1)
            self.rows[-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell.hrefs.append(a.get("href", ""))
            self.in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.depth:
            if tag == "table":
                self.depth -= 1
                if not self.depth:
                    self.table_done = True
                    self.cell = None
            elif tag in ("td", "th"):
                self.cell = None
            elif tag == "a":
                self.in_link = False
        elif tag == "strong" and self.in_strong:
            self.in_strong = False
            self.strong_after.append(self.strong_text.strip())

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.in_title:
            self.title += data
        if self.cell is not None:
            self.cell.text += data
            if self.in_link:
                self.cell.link_text += data
        if self.in_strong:
            self.strong_text += data


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _date(text: str, column: str, case: str, *, required: bool) -> datetime.date | None:
    value = _clean(text)
    if not value and not required:
        return None
    try:
        return datetime.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        raise ShapeError(f"{column} of case {case} as MM/DD/YYYY", repr(value[:40])) from None


def parse_page(html: str, carry: Row | None = None) -> Page:
    """The rows of one result page. ``carry`` is the previous page's last case, for a page
    whose first rows continue it."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    if not reader.tables_seen:
        body = _clean(" ".join(reader.text))
        if NO_RESULTS_RE.search(body):
            return Page(total=0, rows=(), has_next=False)
        raise ShapeError(
            f'a <table class="{TABLE_CLASS}"> of results, or a "no results found" message',
            f"neither (page title {_clean(reader.title)[:80]!r}, text begins {body[:120]!r})",
        )
    if not reader.rows:
        raise ShapeError("a header row in the results table", "an empty table")
    header = tuple(_clean(c.text) for c in reader.rows[0])
    if header != COLUMNS:
        raise ShapeError(f"the columns {list(COLUMNS)}", f"the columns {list(header)}")
    totals = [s for s in reader.strong_after if s]
    if not totals or not TOTAL_RE.match(totals[0]):
        raise ShapeError(
            "the total number of results in <strong> after the table",
            repr(totals[0][:40]) if totals else "no <strong> after the table",
        )
    total = int(totals[0].replace(",", ""))
    rows: list[Row] = []
    parent = carry
    for n, cells in enumerate(reader.rows[1:], start=1):
        if len(cells) == len(COLUMNS):
            parent = _case_row(cells, n)
            rows.append(parent)
        elif len(cells) == 4 and cells[0].colspan == CONTINUATION_COLSPAN:
            if parent is None:
                raise ShapeError(f"row {n} to continue a case listed above it", "no case above it")
            category, subcategory, decision = (_clean(c.text) for c in cells[1:])
            rows.append(
                Row(
                    parent.case_number,
                    parent.pdf_href,
                    parent.decision_date,
                    parent.date_of_injury,
                    parent.received_date,
                    parent.specialty,
                    category,
                    subcategory,
                    decision,
                    continued=True,
                )
            )
        else:
            spans = [c.colspan for c in cells]
            raise ShapeError(
                f"row {n} with {len(COLUMNS)} cells, or 4 with the first spanning "
                f"{CONTINUATION_COLSPAN} columns",
                f"{len(cells)} cells spanning {spans}",
            )
    if len(rows) > ROWS_PER_PAGE:
        raise ShapeError(f"at most {ROWS_PER_PAGE} rows per page", f"{len(rows)} rows")
    return Page(total=total, rows=tuple(rows), has_next=NEXT_FORM_NAME in reader.forms)


def _case_row(cells: list[_Cell], n: int) -> Row:
    first = cells[0]
    case = _clean(first.link_text)
    if len(first.hrefs) != 1 or not CASE_NUMBER_RE.match(case):
        raise ShapeError(
            f"row {n}'s first cell to be one link to the PDF, its text a case number",
            f"{len(first.hrefs)} link(s), text {_clean(first.text)[:40]!r}",
        )
    texts = [_clean(c.text) for c in cells]
    category, subcategory, decision = texts[5], texts[6], texts[7]
    if not category or not decision:
        raise ShapeError(
            f"a request category and a decision in row {n}", f"{category!r} and {decision!r}"
        )
    return Row(
        case_number=case,
        pdf_href=first.hrefs[0],
        decision_date=_date(texts[1], COLUMNS[1], case, required=True),  # type: ignore[arg-type]
        date_of_injury=_date(texts[2], COLUMNS[2], case, required=False),
        received_date=_date(texts[3], COLUMNS[3], case, required=False),
        specialty=texts[4],
        category=category,
        subcategory=subcategory,
        decision=decision,
    )


def form_fields(
    decided_from: datetime.date, decided_to: datetime.date, page: int
) -> dict[str, str]:
    """The POST body of a treatment search ("Fname=Tx") for decisions in the window."""
    fields = {
        "Fname": "Tx",
        "Caseno": "",
        "DoIStart": "",
        "DoIEnd": "",
        "ReqStart": "",
        "ReqEnd": "",
        "DecStart": decided_from.strftime(DATE_FORMAT),
        "DecEnd": decided_to.strftime(DATE_FORMAT),
        "SpecialtyV": "",
        "OutcomeV": "",
        "SubCategoryV": "",
    }
    if page > 1:
        fields.update(newpageno=str(page), Submit="Next")
    else:
        fields["Submit"] = "Submit"
    return fields
