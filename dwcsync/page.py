"""Read one result page of DWC's IMR decision search by its structure, not its wording.

The shape is reconstructed from a public 2017 crawler of the form (talhaabacus/IMRCrawler,
``WebSearch.cs``), not from DWC documentation. What is read, and how much it may vary:

- **The result table** is the first ``<table>`` whose header row names our columns (or, as
  the crawler found it, has ``class="tabborder"``). Header cells are matched by their
  normalised words (``header_key``): case, spacing, punctuation and ``<br>`` do not matter, and
  each column has a few declared names (``COLUMNS``). An unknown extra column is read past
  (``Page.extra`` names it, the sync logs it); a missing required column raises
  :class:`ShapeError` ("expected ... found ..."). Columns are found by name, so their order is
  free.
- **Rows**: a case's first row has a link to the letter's PDF whose text is the case number,
  in the case-number column; its further treatments are rows whose case-number column is empty
  (the crawler saw one empty ``colspan="5"`` cell). Cells are placed by their ``colspan``.
  A cell's text pieces (split by ``<br>`` or block elements) are joined with spaces.
- **The total**: the first number in bold (``<strong>``/``<b>``) after the table.
- **No results**: no result table on a page that is DWC's search page all the same (the
  search form shown again, or a total of 0 in bold), and no case number anywhere on it; or a
  result table with no rows and a total of 0. The wording is kept (``Page.message``), never
  matched. A page with neither (a maintenance notice, a redesign) raises :class:`ShapeError`.
- **Paging**: a next page exists when a form named ``Nextpage`` (any case) or holding a
  ``newpageno`` field is on the page. Rows per page are what a page with a next page holds
  (``Page.rows_per_page``), never assumed.

Pure: no Django, no network.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# A table's class as the 2017 crawler found the result table (kept as one way to find it).
TABLE_CLASS = "tabborder"
NEXT_FORM_NAME = "nextpage"  # compared lower-cased
NEXT_PAGE_FIELD = "newpageno"
# A field of the search form we post: a page holding it is the search page shown again.
SEARCH_FORM_FIELD = "decstart"
DATE_FORMAT = "%m/%d/%Y"  # as the form takes and shows dates ("02/14/2017")
# DWC case numbers: "CM16-9000001" (letters and year, then digits).
CASE_NUMBER_RE = re.compile(r"^[A-Z]{2}\d{2}-\d{5,8}$")
# A case number anywhere in a page's text: results shown in some other shape.
CASE_NUMBER_IN_TEXT_RE = re.compile(r"\b[A-Z]{2}\d{2}-\d{5,8}\b")
# A total: digits, thousands separated by commas ("1,234").
TOTAL_RE = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
# Words of a header cell: "SubCategory/<br>Drug" -> ["subcategory", "drug"].
WORD_RE = re.compile(r"[a-z0-9]+")
# Elements that separate a cell's text into pieces joined with a space.
BREAKING_TAGS = frozenset({"br", "p", "div", "li", "tr", "hr"})


@dataclass(frozen=True, slots=True)
class Column:
    field: str  # the Row attribute it fills
    label: str  # as the 2017 crawler named it
    # Header keys accepted (``header_key`` of each): the label's, and a few declared synonyms.
    names: tuple[str, ...]
    required: bool = True


def header_key(text: str) -> str:
    """A header cell's normalised words, run together: "Case<br>No." -> "caseno",
    "Sub-Category / Drug" -> "subcategorydrug"."""
    return "".join(WORD_RE.findall(text.lower()))


# The result table's columns: the one declaration of its shape. The three case descriptors
# that neither a case nor DWC's coding of a treatment needs are optional (a page without them
# is read, and the sync logs what it lacks).
COLUMNS: tuple[Column, ...] = (
    Column("case_number", "Case Number", ("casenumber", "caseno", "casenum", "case", "imrcase")),
    Column(
        "decision_date",
        "Decision Date",
        ("decisiondate", "dateofdecision", "determinationdate", "dateofdetermination"),
    ),
    Column("date_of_injury", "Date of Injury", ("dateofinjury", "injurydate", "doi"), False),
    Column(
        "received_date",
        "Received Date",
        ("receiveddate", "datereceived", "imrreceiveddate", "applicationreceived"),
        False,
    ),
    Column(
        "specialty",
        "IMRO Reviewer Specialty",
        (
            "imroreviewerspecialty",
            "reviewerspecialty",
            "imrospecialty",
            "specialty",
            "imroreviewerspeciality",
            "reviewerspeciality",
            "speciality",
        ),
        False,
    ),
    Column("category", "Request Category", ("requestcategory", "category", "treatmentcategory")),
    Column(
        "subcategory",
        "SubCategory/Drug",
        ("subcategorydrug", "subcategoryordrug", "subcategoryanddrug", "subcategory", "drug"),
    ),
    Column(
        "decision",
        "Request Decision",
        ("requestdecision", "decision", "imrdecision", "outcome", "requestoutcome"),
    ),
)
LABELS: tuple[str, ...] = tuple(c.label for c in COLUMNS)
_BY_KEY = {name: c for c in COLUMNS for name in c.names}


class ShapeError(Exception):
    """The page is not shaped as reconstructed: the sync stops rather than guess."""

    def __init__(self, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(
            f"DWC's search results changed shape: expected {expected}; found {found}. "
            "Nothing from this page was used. Check the page by hand (sync_dwc --probe) and "
            "update dwcsync/page.py (the form's shape is reconstructed, see its docstring)."
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
    # The header cells as found, and which of them are read as which column (label).
    header: tuple[str, ...] = ()
    read_as: tuple[tuple[str, str], ...] = ()
    # Header cells that name no column we read (ignored), and optional columns not there.
    extra: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    # No result table: what the page says instead (its text outside forms), for the log.
    message: str = ""
    has_table: bool = True

    @property
    def rows_per_page(self) -> int | None:
        """What a page holds, from a page with a next page (the last page may hold fewer)."""
        return len(self.rows) if self.has_next and self.rows else None

    @property
    def pages_total(self) -> int:
        """DWC's page count as the total and this page's size suggest (an estimate: the next
        page's form, not this, decides where the walk ends)."""
        size = self.rows_per_page
        if size is None:
            return 1
        return max(2, -(-self.total // size))


@dataclass(slots=True)
class _Cell:
    pieces: list[str] = field(default_factory=lambda: [""])
    colspan: int = 1
    hrefs: list[str] = field(default_factory=list)
    link_text: str = ""

    @property
    def text(self) -> str:
        return " ".join(_clean(p) for p in self.pieces if _clean(p))


@dataclass(slots=True)
class _Table:
    classes: list[str]
    rows: list[list[_Cell]] = field(default_factory=list)
    # Texts in bold after this table ended, in order (the total is one of them).
    bold_after: list[str] = field(default_factory=list)
    ended: bool = False


class _Reader(HTMLParser):
    """Every table's own rows (a nested table's cells are its own), bold texts after each
    table, the forms and their fields, the title and the text outside forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.open: list[_Table] = []
        self.cell: list[_Cell | None] = []  # the open cell of each open table
        self.in_link = False
        self.bold: str | None = None
        self.all_bold: list[str] = []
        self.forms: list[tuple[str, set[str]]] = []
        self.form_depth = 0
        self.title = ""
        self.in_title = False
        self.skip = 0  # inside <script> or <style>
        self.outside_forms: list[str] = []
        self.text: list[str] = []

    def _current(self) -> _Cell | None:
        return self.cell[-1] if self.cell else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "form":
            self.forms.append((a.get("name", "").lower(), set()))
            self.form_depth += 1
        elif tag in ("input", "select", "textarea") and self.forms:
            self.forms[-1][1].add(a.get("name", "").lower())
        elif tag == "table":
            table = _Table(classes=a.get("class", "").split())
            self.tables.append(table)
            self.open.append(table)
            self.cell.append(None)
        elif tag in ("strong", "b"):
            self.bold = ""
        cell = self._current()
        if tag == "tr" and self.open:
            self.open[-1].rows.append([])
            self.cell[-1] = None
        elif tag in ("td", "th") and self.open and self.open[-1].rows:
            span = a.get("colspan", "1").strip()
            new = _Cell(colspan=int(span) if span.isdigit() and int(span) > 0 else 1)
            self.open[-1].rows[-1].append(new)
            self.cell[-1] = new
        elif cell is not None:
            if tag == "a":
                cell.hrefs.append(a.get("href", ""))
                self.in_link = True
            elif tag in BREAKING_TAGS:
                cell.pieces.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/>, <input/>: nothing to close

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag == "form":
            self.form_depth = max(0, self.form_depth - 1)
        elif tag == "table" and self.open:
            self.open.pop().ended = True
            self.cell.pop()
        elif tag in ("td", "th") and self.cell:
            self.cell[-1] = None
        elif tag == "a":
            self.in_link = False
        elif tag in ("strong", "b") and self.bold is not None:
            text = _clean(self.bold)
            self.bold = None
            self.all_bold.append(text)
            for table in self.tables:
                if table.ended:
                    table.bold_after.append(text)
        cell = self._current()
        if cell is not None and tag in BREAKING_TAGS:
            cell.pieces.append("")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        if not self.form_depth:
            self.outside_forms.append(data)
        if self.in_title:
            self.title += data
        if self.bold is not None:
            self.bold += data
        cell = self._current()
        if cell is not None:
            cell.pieces[-1] += data
            if self.in_link:
                cell.link_text += data


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


def _recognised(row: list[_Cell]) -> int:
    return sum(1 for c in row if header_key(c.text) in _BY_KEY)


def _result_table(tables: list[_Table]) -> tuple[_Table, int] | None:
    """The result table and its header row's index: the first table with a row naming at
    least two of our columns, else the first table of the crawler's class."""
    for table in tables:
        for n, row in enumerate(table.rows):
            if _recognised(row) >= 2:
                return table, n
    for table in tables:
        if TABLE_CLASS in table.classes:
            return table, 0
    return None


def _positions(cells: list[_Cell]) -> list[tuple[_Cell, bool]]:
    """Each column position of a row: the cell covering it, and whether it is the cell's first."""
    out: list[tuple[_Cell, bool]] = []
    for cell in cells:
        out.extend((cell, n == 0) for n in range(cell.colspan))
    return out


def _map_header(header: list[_Cell]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column field -> position; the unknown header cells; the missing required labels."""
    where: dict[str, int] = {}
    extra: list[str] = []
    for position, (cell, first) in enumerate(_positions(header)):
        if not first:
            continue
        column = _BY_KEY.get(header_key(cell.text))
        if column is None:
            extra.append(cell.text)
        elif column.field in where:
            raise ShapeError(
                f"one header cell for {column.label!r}",
                f"two: the columns {[c.text for c in header]}",
            )
        else:
            where[column.field] = position
    missing = [c.label for c in COLUMNS if c.required and c.field not in where]
    return where, extra, missing


def parse_page(html: str, carry: Row | None = None) -> Page:
    """The rows of one result page. ``carry`` is the previous page's last case, for a page
    whose first rows continue it."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    found = _result_table(reader.tables)
    if found is None:
        return _no_table(reader)
    table, header_at = found
    if not table.rows or not table.rows[header_at]:
        raise ShapeError("a header row in the results table", "an empty table")
    header_cells = table.rows[header_at]
    header = tuple(c.text for c in header_cells)
    where, extra, missing = _map_header(header_cells)
    if missing:
        raise ShapeError(
            f"the columns {list(LABELS)} (by their words; {missing} missing)",
            f"the columns {list(header)}",
        )
    width = len(_positions(header_cells))
    total = _total(table)
    rows: list[Row] = []
    parent = carry
    for n, cells in enumerate(table.rows[header_at + 1 :], start=1):
        if not cells:
            continue
        positions = _positions(cells)
        if len(positions) > width:
            raise ShapeError(
                f"row {n} with at most {width} columns, as the header",
                f"{len(cells)} cells spanning {len(positions)} columns",
            )
        row = _row(positions, where, n, parent)
        if not row.continued:
            parent = row
        rows.append(row)
    if not rows and total is None:
        total = 0  # a table with its header only: nothing found
    if total is None:
        raise ShapeError(
            "the total number of results in bold (<strong>) after the table",
            repr(table.bold_after[0][:40]) if table.bold_after else "no bold text after it",
        )
    return Page(
        total=total,
        rows=tuple(rows),
        has_next=_has_next(reader),
        header=header,
        read_as=tuple(
            (_positions(header_cells)[where[c.field]][0].text, c.label)
            for c in COLUMNS
            if c.field in where
        ),
        extra=tuple(extra),
        absent=tuple(c.label for c in COLUMNS if c.field not in where),
    )


def _total(table: _Table) -> int | None:
    for text in table.bold_after:
        if TOTAL_RE.match(text):
            return int(text.replace(",", ""))
    return None


def _has_next(reader: _Reader) -> bool:
    return any(name == NEXT_FORM_NAME or NEXT_PAGE_FIELD in fields for name, fields in reader.forms)


def _no_table(reader: _Reader) -> Page:
    """A page without a result table: no results if it is DWC's search page all the same."""
    body = _clean(" ".join(reader.text))
    said = _clean(" ".join(reader.outside_forms))
    zero = any(TOTAL_RE.match(t) and int(t.replace(",", "")) == 0 for t in reader.all_bold)
    search_form = any(SEARCH_FORM_FIELD in fields for _, fields in reader.forms)
    case_numbers = CASE_NUMBER_IN_TEXT_RE.findall(body)
    if (zero or search_form) and not case_numbers:
        return Page(total=0, rows=(), has_next=False, message=said[:500], has_table=False)
    raise ShapeError(
        "a table of results, or a page without one that is the search form again or shows a "
        'total of 0 (as the 2017 crawler found it, a <table class="tabborder">)',
        f"neither (page title {_clean(reader.title)[:80]!r}, text begins {body[:120]!r}"
        + (f", case numbers such as {case_numbers[0]!r} outside any table" if case_numbers else "")
        + ")",
    )


def _row(
    positions: list[tuple[_Cell, bool]], where: dict[str, int], n: int, parent: Row | None
) -> Row:
    def text(name: str) -> str:
        at = where.get(name)
        if at is None or at >= len(positions):
            return ""
        cell, first = positions[at]
        return cell.text if first else ""

    case_at = where["case_number"]
    case_cell, case_first = positions[case_at] if case_at < len(positions) else (None, False)
    category, subcategory, decision = text("category"), text("subcategory"), text("decision")
    is_case = case_cell is not None and case_first and (case_cell.hrefs or case_cell.text)
    if not is_case:
        if parent is None:
            raise ShapeError(f"row {n} to continue a case listed above it", "no case above it")
        if not category or not decision:
            raise ShapeError(
                f"a request category and a decision in row {n} (a further treatment of "
                f"{parent.case_number})",
                f"{category!r} and {decision!r}",
            )
        return Row(
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
    assert case_cell is not None
    case = _clean(case_cell.link_text)
    if len(case_cell.hrefs) != 1 or not CASE_NUMBER_RE.match(case):
        raise ShapeError(
            f"row {n}'s case-number cell to be one link to the PDF, its text a case number "
            "(or empty, for a further treatment of the case above)",
            f"{len(case_cell.hrefs)} link(s), text {case_cell.text[:40]!r}",
        )
    if not category or not decision:
        raise ShapeError(
            f"a request category and a decision in row {n}", f"{category!r} and {decision!r}"
        )
    label = {c.field: c.label for c in COLUMNS}
    return Row(
        case_number=case,
        pdf_href=case_cell.hrefs[0],
        decision_date=_date(text("decision_date"), label["decision_date"], case, required=True),  # type: ignore[arg-type]
        date_of_injury=_date(text("date_of_injury"), label["date_of_injury"], case, required=False),
        received_date=_date(text("received_date"), label["received_date"], case, required=False),
        specialty=text("specialty"),
        category=category,
        subcategory=subcategory,
        decision=decision,
    )


def query_end(decided_to: datetime.date) -> datetime.date:
    """The end date sent to DWC for a window ending on ``decided_to``: the day after.

    Whether DWC's end date is inclusive is unknown, so each window asks one day more and the
    next window starts on that day: consecutive windows overlap by one day, no day falls between
    them either way, and a row met twice is stored once (``DwcCase`` by case number, ``DwcItem``
    by its unique constraint; a letter held is never fetched again).
    """
    return decided_to + datetime.timedelta(days=1)


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
