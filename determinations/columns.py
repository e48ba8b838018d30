"""DisputedItem's denormalised columns, declared once: each is one SQL expression.

Two kinds, both run by the loader's one statement per letter (ingest.loader) and by
``refresh_search_vectors`` (determinations.search.REFRESH_SQL): the same text, so the two
cannot drift (tests/loader/test_search_columns.py holds the loader to the refresh).

* ``LETTER_COLUMNS``, copied from the item's letter ``d`` (a row of
  determinations_determination) and the letter's reviewer ``r`` (LEFT JOINed: NULL when
  the letter names none). ``letters_sql`` computes them once per letter: the loader over
  the row it has just inserted (or the stored row, when it rewrites a letter's items), the
  refresh over the stored letters.
* ``CITATION_COLUMNS``, computed from the item's guideline citations ``c``. The loader
  evaluates them over the citations it is inserting (a JSON record set), the refresh over
  the stored rows of determinations_guidelinecitation. A facet that counts such a column
  declares its SQL on itself (``Facet.citations_sql``), and the CSV export its citation
  cells (``exports.CITATION_TEXT_COLUMNS``); this module collects them.

The search vector (determinations.search.search_vector_sql) reads both the item and its
letter's case summary, which ``letters_sql`` also turns into a tsvector once per letter.
"""

from __future__ import annotations

from determinations.exports import CITATION_TEXT_COLUMNS
from determinations.facets import FACETS
from determinations.sampling import SAMPLE_SQL

# Column -> its SQL over the letter ``d`` and its reviewer ``r``. The facets and
# constraints filter and count on these without a join (decision year and dates, review
# status, reviewer specialties and licensure states), and ``sample`` is the letter's sample
# bucket (determinations.sampling). SampleItem copies all but ``sample``
# (models.SAMPLED_COLUMNS).
LETTER_COLUMNS: dict[str, str] = {
    "decision_date": "d.decision_date",
    "decision_year": "extract(year FROM d.decision_date)::smallint",
    "date_of_injury": "d.date_of_injury",
    "review_status": "d.review_status",
    "specialties": """ARRAY(
        SELECT s.name FROM determinations_reviewer_specialties AS rs
        JOIN determinations_specialty AS s ON s.id = rs.specialty_id
        WHERE rs.reviewer_id = d.reviewer_id ORDER BY s.name)""",
    "licensure_states": "coalesce(r.licensure_states, '{}')",
    "sample": SAMPLE_SQL.format(sha256="d.sha256"),
}


def letters_sql(letters: str) -> str:
    """SELECT, per letter of ``letters`` (a relation of letter rows; add a WHERE), its
    ``id``, each of ``LETTER_COLUMNS`` and ``summary``: the weight-D tsvector of its case
    summary for the search vector. For a statement with parameters: it reads ``config``
    (the search config), and a literal "%" of the columns is written "%%"."""
    columns = ", ".join(
        f"{sql.replace('%', '%%')} AS {column}" for column, sql in LETTER_COLUMNS.items()
    )
    sql = (
        f"SELECT d.id, {columns},"
        " setweight(to_tsvector(%(config)s::regconfig, d.case_summary), 'D') AS summary"
        f" FROM {letters} AS d LEFT JOIN determinations_reviewer AS r ON r.id = d.reviewer_id"
    )
    return " ".join(sql.split())


# {citations}: the relation the citations are read from; {item}: the condition picking
# this item's citations from it.
CITATION_COLUMNS: dict[str, str] = {
    **{f.column: f.citations_sql for f in FACETS if f.citations_sql},
    **CITATION_TEXT_COLUMNS,
}


def citation_columns(citations: str, item: str) -> dict[str, str]:
    """Column -> its SQL, reading ``citations`` rows matching ``item``."""
    return {
        column: " ".join(sql.format(citations=citations, item=item).split())
        for column, sql in CITATION_COLUMNS.items()
    }
