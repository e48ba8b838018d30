"""CSV export of exactly the list page's filtered set: one row per disputed item.

Streamed from a server-side cursor (``.iterator(chunk_size=2000)``), so memory stays
flat whatever the size; no row limit unless ``settings.EXPORT_MAX_ROWS`` (0 = none)
caps it, and then the file's last line says so.

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
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings

from determinations.models import Outcome, Priority, ReviewStatus, Sex

# Columns read per item, in the order export_row unpacks them. Keep in step with the docstring.
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
    "reviewer_citations",
    "claims_citations",
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
CHUNK_SIZE = 2000
# Rows per piece of the streamed response (~100 KB with rationales).
LINES_PER_CHUNK = 100

_LABELS = {
    "outcome": dict(Outcome.choices),
    "priority": dict(Priority.choices),
    "sex": dict(Sex.choices),
    "status": dict(ReviewStatus.choices),
}


def escape_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: "=HYPERLINK(...)" -> "'=HYPERLINK(...)"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def export_row(row: tuple[Any, ...], link_prefix: str) -> list[Any]:
    """One database row (in ``FIELDS`` order) as human-readable, escaped CSV cells."""
    (
        case,
        claimed,
        decided,
        injured,
        assigned,
        priority,
        age,
        sex,
        specialties,
        states,
        order,
        treatment,
        outcome,
        partial,
        original,
        authorized,
        category,
        subcategory,
        ingredients,
        brand,
        strength,
        quantity,
        refills,
        frequency,
        drug_class,
        reviewer_citations,
        claims_citations,
        rationale,
        status,
        letter_id,
    ) = row
    cells = [
        case or claimed or "",
        _day(decided),
        _day(injured),
        _day(assigned),
        _LABELS["priority"].get(priority, priority or ""),
        "" if age is None else age,
        _LABELS["sex"].get(sex, sex or ""),
        "; ".join(specialties or ()),
        "; ".join(states or ()),
        order,
        treatment,
        _LABELS["outcome"].get(outcome, outcome),
        "Yes" if partial else "No",
        original,
        authorized,
        category,
        subcategory,
        "; ".join(ingredients or ()),
        brand,
        strength,
        "" if quantity is None else quantity,
        "" if refills is None else refills,
        frequency,
        drug_class,
        reviewer_citations or "",
        claims_citations or "",
        rationale,
        _LABELS["status"].get(status, status),
        f"{link_prefix}{letter_id}/",
    ]
    return [escape_cell(c) for c in cells]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer + streaming."""

    def write(self, value: str) -> str:
        return value


def max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", 0) or 0)


def csv_lines(rows: Iterable[tuple[Any, ...]], link_prefix: str, cap: int = 0) -> Iterator[str]:
    """The header, one line per row, and, when ``cap`` cut the set short, a last line
    saying so. ``rows`` must yield one more row than ``cap`` to detect that."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)  # BOM: Excel then reads UTF-8 correctly
    # Lines go out in blocks: one WSGI chunk per row would cost more than the row itself.
    block: list[str] = []
    for n, row in enumerate(rows):
        if cap and n >= cap:
            note = f"Export stopped at {cap:,} rows (EXPORT_MAX_ROWS); the filtered set has more."
            block.append(writer.writerow([note]))
            break
        block.append(writer.writerow(export_row(row, link_prefix)))
        if len(block) == LINES_PER_CHUNK:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


def export_rows(items: Any, cap: int = 0) -> Iterator[tuple[Any, ...]]:
    """The rows of a filtered DisputedItem queryset, in list order, from a server-side
    cursor. With a cap, one extra row is read so the caller can tell it was cut."""
    qs = items.for_export().values_list(*FIELDS)
    if cap:
        qs = qs[: cap + 1]
    return qs.iterator(chunk_size=CHUNK_SIZE)
