"""dwcsync.page: the reconstructed result page is read; anything else is refused, saying what
was expected and what was found (never guessed)."""

from __future__ import annotations

import datetime

import pytest

from dwcsync.page import COLUMNS, Row, ShapeError, form_fields, parse_page

CASE_ROW = (
    '<tr><td><a href="/dwc/imr/2017/CM17-0012345.pdf">CM17-0012345</a></td><td>02/14/2017</td>'
    "<td>03/01/2012</td><td>01/10/2017</td><td>Pain Management</td><td>Pharmaceuticals</td>"
    "<td>Opioids</td><td>Upheld</td></tr>"
)
MORE_ROW = '<tr><td colspan="5">&nbsp;</td><td>Rehabilitation</td><td>Acupuncture</td><td>Overturned</td></tr>'
HEADER = "<tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr>"


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
    result = parse_page(page(CASE_ROW, total="1,234", extra='<form name="Nextpage"></form>'))
    assert (result.total, result.pages_total, result.has_next) == (1234, 50, True)


def test_it_reads_an_empty_result():
    result = parse_page(
        "<html><body><p>No results found for the search criteria.</p></body></html>"
    )
    assert (result.total, result.rows) == (0, ())


swapped = list(COLUMNS)
swapped[5], swapped[6] = swapped[6], swapped[5]

# (page, what the error must name: expected, found)
REFUSED = [
    # columns in another order
    (
        page(CASE_ROW, header="<tr>" + "".join(f"<th>{c}</th>" for c in swapped) + "</tr>"),
        "the columns ['Case Number'",
        "'SubCategory/Drug', 'Request Category'",
    ),
    # a column added
    (
        page(CASE_ROW, header=HEADER.replace("</tr>", "<th>Priority</th></tr>")),
        "the columns",
        "'Request Decision', 'Priority'",
    ),
    # a row with a cell more than the header
    (page(CASE_ROW.replace("</tr>", "<td>x</td></tr>")), "row 1 with 8 cells", "9 cells"),
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
    # more rows than a page holds
    (page(CASE_ROW + MORE_ROW * 25, total="26"), "at most 25 rows", "26 rows"),
    # a page of another kind altogether (a maintenance notice)
    (
        "<html><title>Site maintenance</title><body>Back soon</body></html>",
        'a <table class="tabborder">',
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
