"""The stored, weighted full-text vector of each disputed item.

Built in SQL (PostgreSQL's own to_tsvector) right after a letter's items are
written, so the search box never parses text at query time. Weights make a
match in the treatment outrank one in the narrative:

    A  treatment, heading, drug as written, generic ingredients
    B  guideline citations of both parties (source, document, section)
    C  the decision rationale
    D  the letter's clinical case summary
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SEARCH_CONFIG = "english"

REFRESH_SQL = """
UPDATE determinations_disputeditem AS i
SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', i.treatment, i.heading, i.brand,
        array_to_string(i.ingredients, ' '))), 'A')
 || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(concat_ws(' ', c.source, c.document, c.section), ' ')
        FROM determinations_guidelinecitation AS c WHERE c.item_id = i.id), '')), 'B')
 || setweight(to_tsvector(%(config)s::regconfig, i.rationale), 'C')
 || setweight(to_tsvector(%(config)s::regconfig, d.case_summary), 'D')
FROM determinations_determination AS d
WHERE d.id = i.determination_id AND d.id = ANY(%(ids)s)
"""


def refresh_search_vectors(connection: Any, determination_ids: Sequence[int]) -> None:
    """Rebuild the vectors of every item of the given letters (one statement)."""
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL, {"config": SEARCH_CONFIG, "ids": list(determination_ids)})
