"""dwcsync.page: the result page is read by its structure (header cells by their words,
rows by their cells, no results by the missing table, paging by the next-page form), never by
its wording; anything else is refused, saying what was expected and what was found."""

from __future__ import annotations

import datetime

import pytest

from dwcsync.page import LABELS, Row, ShapeError, form_fields, header_key, parse_page, query_end

CASE_ROW = (
    '<tr><td><a href="/dwc/imr/2017/CM17-0012345.pdf">CM17-0012345</a></td><td>02/14/2017</td>'
    "<td>03/01/2012</td><td>01/10/2017</td><td>Pain Management</td><td>Pharmaceuticals</td>"
    "<td>Opioids</td><td>Upheld</td></tr>"
)
MORE_ROW = '<tr><td colspan="5">&nbsp;</td><td>Rehabilitation</td><td>Acupuncture</td><td>Overturned</td></tr>'
HEADER = "<tr>" + "".join(f"<th>{c}</th>" for c in LABELS) + "</tr>"


def page(rows: str, *, header: str = HEADER, total: str = "2", extra: str = "") -> str:
    return (
        f'<html><title>IMR</title><body><table class="tabborder">{header}{rows}</table>'
        f"<p>Total: <strong>{total}</strong> results</p>{extra}</body></html>"
    )


def test_it_reads_a_case_and_its_further_treatments():
    result = parse_page(page(CASE_ROW + MORE_ROW))
    assert result.total == 2 and result.pages_total == 1 and not result.has_next
    first, second = result.rows
    assert first == Row(
        "CM17-0012345",
        "/dwc/imr/2017/CM17-0012345.pdf",
        datetime.date(2017, 2, 14),
        datetime.date(2012, 3, 1),
        datetime.date(2017, 1, 10),
        "Pain Management",
        "Pharmaceuticals",
        "Opioids",
        "Upheld",
    )
    assert (second.case_number, second.category, second.subcategory, second.decision) == (
        "CM17-0012345",
        "Rehabilitation",
        "Acupuncture",
        "Overturned",
    )
    assert second.continued and not first.continued


def test_it_continues_the_previous_pages_last_case():
    carry = parse_page(page(CASE_ROW)).rows[0]
    (row,) = parse_page(page(MORE_ROW, total="30"), carry=carry).rows
    assert row.case_number == "CM17-0012345" and row.category == "Rehabilitation"


def test_it_sees_the_next_page_form_and_a_total_with_commas():
    # Rows per page are what a page with a next page holds (here 1), no longer assumed to
    # be 25: so 1,234 results are 1,234 pages.
    result = parse_page(page(CASE_ROW, total="1,234", extra='<form name="Nextpage"></form>'))
    assert (result.total, result.pages_total, result.has_next) == (1234, 1234, True)
    assert result.rows_per_page == 1
    thirty = parse_page(page(CASE_ROW + MORE_ROW * 29, total="95", extra=NEXT_FORM))
    assert (thirty.rows_per_page, thirty.pages_total) == (30, 4)


NEXT_FORM = '<form name="nextPage"><input type="hidden" name="newpageno" value="2"></form>'
SEARCH_FORM = '<form name="s"><select name="SpecialtyV"><option>Orthopedics</option></select><input name="DecStart"></form>'

# (page without results, its wording as kept) -- recognised whatever the wording: the search
# form shown again, or a total of 0, and no case number anywhere.
EMPTY = [
    # the search form again, with the 2017 crawler's own words
    (f"<html><body><p>No results found.</p>{SEARCH_FORM}</body></html>", "No results found."),
    # other wording, and the form's own text (its select options) is not the wording
    (
        f"<html><body><h2>Sorry</h2><p>Your search did not match any decisions.</p>{SEARCH_FORM}"
        "</body></html>",
        "Sorry Your search did not match any decisions.",
    ),
    # a total of 0 in bold, no form
    ("<html><body><p>Total: <b>0</b> records</p></body></html>", "Total: 0 records"),
]


@pytest.mark.parametrize(("html", "wording"), EMPTY)
def test_it_reads_an_empty_result_by_its_structure(html, wording):
    result = parse_page(html)
    assert (result.total, result.rows, result.has_next, result.has_table) == (0, (), False, False)
    assert result.message == wording


def test_it_reads_a_table_with_its_header_only_as_empty():
    result = parse_page(f'<table class="tabborder">{HEADER}</table>')
    assert (result.total, result.rows, result.has_table) == (0, (), True)


def columns_page(labels: list[str], case_cells: list[str], more_cells: str = "") -> str:
    header = "<tr>" + "".join(f"<th>{c}</th>" for c in labels) + "</tr>"
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in case_cells) + "</tr>"
    return page(row + more_cells, header=header)


CELLS = {
    "Case Number": '<a href="/dwc/imr/2017/CM17-0012345.pdf">CM17-0012345</a>',
    "Decision Date": "02/14/2017",
    "Date of Injury": "03/01/2012",
    "Received Date": "01/10/2017",
    "IMRO Reviewer Specialty": "Pain<br>Management",
    "Request Category": "Pharmaceuticals",
    "SubCategory/Drug": "Opioids",
    "Request Decision": "Upheld",
}
REWORDED = {
    "Case Number": "CASE<br>NO.",
    "Decision Date": "Date of<br/>Decision",
    "Date of Injury": "Injury&nbsp;Date",
    "Received Date": "Date Received",
    "IMRO Reviewer Specialty": "IMRO Reviewer<br>Specialty:",
    "Request Category": "Request  category",
    "SubCategory/Drug": "Sub-Category / Drug",
    "Request Decision": "Decision",
}
swapped = list(LABELS)
swapped[5], swapped[6] = swapped[6], swapped[5]

# (page, what it must read) -- header cells are matched by their normalised words, in any
# order; columns we do not know are read past and named.
READ = [
    # the header reworded, broken by <br>, in capitals, with punctuation
    (columns_page([REWORDED[c] for c in LABELS], [CELLS[c] for c in LABELS]), {"extra": ()}),
    # columns in another order: found by name (this stopped the sync before issue 24)
    (
        columns_page(swapped, [CELLS[c] for c in swapped]),
        {"category": "Pharmaceuticals", "subcategory": "Opioids"},
    ),
    # an extra column in the middle; a further treatment's empty cell spans it too
    (
        columns_page(
            [*LABELS[:5], "Expedited?", *LABELS[5:]],
            [*(CELLS[c] for c in LABELS[:5]), "Yes", *(CELLS[c] for c in LABELS[5:])],
            '<tr><td colspan="6"></td><td>Rehabilitation</td><td>Acupuncture</td>'
            "<td>Overturned</td></tr>",
        ),
        {"extra": ("Expedited?",), "rows": 2},
    ),
    # the optional case descriptors absent
    (
        columns_page(
            [c for c in LABELS if c not in ("Date of Injury", "Received Date")],
            [CELLS[c] for c in LABELS if c not in ("Date of Injury", "Received Date")],
        ),
        {"absent": ("Date of Injury", "Received Date"), "date_of_injury": None},
    ),
]


@pytest.mark.parametrize(("html", "expected"), READ)
def test_it_reads_the_table_by_its_header_words(html, expected):
    result = parse_page(html)
    first = result.rows[0]
    assert first.case_number == "CM17-0012345"
    assert first.decision_date == datetime.date(2017, 2, 14)
    assert first.decision == "Upheld"
    # A cell's pieces, split by <br>, are joined with a space.
    assert first.specialty == "Pain Management"
    for key, value in expected.items():
        if key == "rows":
            assert len(result.rows) == value
        elif key in ("extra", "absent"):
            assert getattr(result, key) == value
        else:
            assert getattr(first, key) == value


def test_it_normalises_header_words():
    assert header_key("SubCategory/Drug") == header_key("sub-category / DRUG")
    assert header_key(" Case  No. ") == "caseno"


# (page, what the error must name: expected, found)
REFUSED = [
    # (Columns in another order and an added column are read since issue 24: READ above.)
    # a required column gone (its words nowhere in the header)
    (
        page(CASE_ROW, header=HEADER.replace("<th>SubCategory/Drug</th>", "<th>Item</th>")),
        "the columns ['Case Number'",
        "'Request Category', 'Item', 'Request Decision'",
    ),
    # a row with a cell more than the header
    (page(CASE_ROW.replace("</tr>", "<td>x</td></tr>")), "row 1 with at most 8 columns", "9 cells"),
    # a further treatment with nothing above it, on the first page
    (page(MORE_ROW), "row 1 to continue a case", "no case above it"),
    # dates in another format
    (
        page(CASE_ROW.replace("02/14/2017", "2017-02-14")),
        "Decision Date of case CM17-0012345 as MM/DD/YYYY",
        "'2017-02-14'",
    ),
    # the case number no longer a link
    (
        page(
            CASE_ROW.replace(
                '<a href="/dwc/imr/2017/CM17-0012345.pdf">CM17-0012345</a>', "CM17-0012345"
            )
        ),
        "one link to the PDF",
        "0 link(s)",
    ),
    # no total after the table
    (page(CASE_ROW, total="many"), "total number of results", "'many'"),
    # (More than 25 rows on a page is read since issue 24: rows per page come from the page.)
    # a page without the table, with case numbers: results in another shape, not "no results"
    (
        f"<html><body><div>CM16-0000001</div>{SEARCH_FORM}</body></html>",
        "a table of results",
        "'CM16-0000001' outside any table",
    ),
    # a page of another kind altogether (a maintenance notice)
    (
        "<html><title>Site maintenance</title><body>Back soon</body></html>",
        "the search form again or shows a total of 0",
        "'Site maintenance'",
    ),
]


@pytest.mark.parametrize(("html", "expected", "found"), REFUSED)
def test_it_refuses_another_shape_naming_what_it_expected_and_found(html, expected, found):
    with pytest.raises(ShapeError) as caught:
        parse_page(html)
    assert expected in caught.value.expected
    assert found in caught.value.found


def test_it_posts_the_treatment_search_for_a_window():
    first = form_fields(datetime.date(2026, 12, 1), datetime.date(2026, 12, 3), 1)
    assert first["Fname"] == "Tx" and first["Submit"] == "Submit"
    assert (first["DecStart"], first["DecEnd"]) == ("12/01/2026", "12/03/2026")
    assert "newpageno" not in first
    third = form_fields(datetime.date(2026, 12, 1), datetime.date(2026, 12, 3), 3)
    assert (third["newpageno"], third["Submit"]) == ("3", "Next")


def test_it_asks_one_day_past_the_window():
    # Whether DWC's end date is inclusive is unknown: each window asks for the day after too.
    assert query_end(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 1)
