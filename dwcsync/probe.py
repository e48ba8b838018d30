"""``sync_dwc --probe --date D``: walk one day of DWC's results and say what was read.

For the first run against the live site: every page of the day as the sync would ask for it
(the day, and the day after, since DWC's end date may be exclusive), read by ``dwcsync.page``,
and a report of the columns as found and as read, the rows, the totals, the rows per page, the
decision dates seen (a date after the day means DWC's end date is inclusive) and the first
case's PDF link. Nothing is saved and no PDF is fetched; the requests count against the daily
budget like any other.
"""

from __future__ import annotations

import collections
import datetime
import urllib.parse

from dwcsync.client import Client
from dwcsync.page import Page, Row, form_fields, parse_page, query_end

# A probe of one day stops after this many pages (a day holds a few hundred rows).
MAX_PAGES = 100


def probe_day(day: datetime.date, client: Client, search_url: str) -> list[str]:
    """What DWC's search answers for decisions of ``day``, as lines to print."""
    end = query_end(day)
    lines = [
        f"Probe of decisions dated {day} at {search_url}",
        f"(asked DecStart={day:%m/%d/%Y}, DecEnd={end:%m/%d/%Y}: the day after too, as the "
        "sync asks, in case DWC's end date is exclusive)",
    ]
    carry: Row | None = None
    rows: list[Row] = []
    first: Page | None = None
    number = 0
    while number < MAX_PAGES:
        number += 1
        html = client.post(search_url, form_fields(day, end, number)).decode("utf-8", "replace")
        page = parse_page(html, carry)
        if first is None:
            first = page
            lines.extend(_columns(page))
        lines.append(
            f"Page {number}: {len(page.rows)} rows, DWC's total {page.total}, "
            f"next page: {'yes' if page.has_next else 'no'}"
        )
        rows.extend(page.rows)
        carry = page.rows[-1] if page.rows else carry
        if not page.has_next:
            break
    else:
        lines.append(f"Stopped after {MAX_PAGES} pages.")
    assert first is not None
    if not first.has_table:
        lines.append(f"No results. DWC's page says: {first.message!r}")
    cases = list(dict.fromkeys(r.case_number for r in rows))
    lines.append(
        f"Read {len(rows)} rows of {len(cases)} cases on {number} page(s); DWC's total "
        f"{first.total} ({_total_unit(first.total, len(rows), len(cases))})"
    )
    if first.rows_per_page:
        lines.append(f"Rows per page: {first.rows_per_page} (page 1, which has a next page)")
    dates = collections.Counter(r.decision_date for r in rows)
    if dates:
        seen = ", ".join(f"{d} ({n} rows)" for d, n in sorted(dates.items()))
        lines.append(f"Decision dates: {seen}")
        if max(dates) > day:
            lines.append("DWC's end date looks inclusive (rows dated the day after were listed)")
    if rows:
        case = rows[0]
        lines.append(
            f"First case: {case.case_number}, PDF {urllib.parse.urljoin(search_url, case.pdf_href)}"
        )
    lines.append("Nothing was saved.")
    return lines


def _columns(page: Page) -> list[str]:
    if not page.has_table:
        return []
    lines = [f"Columns as found: {list(page.header)}"]
    lines.extend(f"  {found!r} read as {label}" for found, label in page.read_as)
    lines.extend(f"  {extra!r} not read (a column we do not know)" for extra in page.extra)
    lines.extend(f"  {label}: not on the page (left empty)" for label in page.absent)
    return lines


def _total_unit(total: int, rows: int, cases: int) -> str:
    if total == rows:
        return "counts rows"
    if total == cases:
        return "counts cases"
    return "matches neither the rows nor the cases read"
