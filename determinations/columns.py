"""DisputedItem's columns computed from the item's guideline citations, declared once.

Each is one SQL expression over the citations ``c`` of one item. The loader evaluates it
over the citations it is inserting (a JSON record set), ``refresh_search_vectors`` over the
stored rows of determinations_guidelinecitation: the same text, so the two cannot drift
(tests/loader/test_search_columns.py holds the loader to the refresh). A facet that counts
such a column declares its SQL on itself (``Facet.citations_sql``); this module collects them.
"""

from __future__ import annotations

from determinations.facets import FACETS

# {citations}: the relation the citations are read from; {item}: the condition picking
# this item's citations from it.
CITATION_COLUMNS: dict[str, str] = {f.column: f.citations_sql for f in FACETS if f.citations_sql}


def citation_columns(citations: str, item: str) -> dict[str, str]:
    """Column -> its SQL, reading ``citations`` rows matching ``item``."""
    return {
        column: " ".join(sql.format(citations=citations, item=item).split())
        for column, sql in CITATION_COLUMNS.items()
    }
