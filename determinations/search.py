"""The stored search columns of each disputed item, and how the search box reads a query.

``refresh_search_vectors`` recomputes them in SQL from the stored rows after an edit (the
admin, corrections, re-parse); the loader writes the same values with the item in its one
INSERT. Neither the search box nor the facets ever parse text or join tables at query
time. Per item:

* ``search_vector``, a weighted tsvector (``search_vector_sql``), so a match in the
  treatment outranks one in the narrative:

      A  treatment, heading, drug as written, generic ingredients
      B  guideline citations of both parties (source, document, section)
      C  the decision rationale
      D  the letter's clinical case summary

* the denormalised facet columns (decision date and year, injury date, review status,
  reviewer specialties and licensure states, guideline keys, the letter's sample bucket),
  copied from the letter, its reviewer and the item's citations as declared in
  determinations.columns;

and adds the drug words of those items (``drug_words``) to ``DrugName`` for typo-tolerant
search.

``prepare_search`` turns what an analyst typed into a ``SearchQuery`` in PostgreSQL's
websearch syntax ("exact phrase", OR, -exclude), adding the trigram correction of
misspelt drug names; it never raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection as default_connection

from determinations.columns import LETTER_COLUMNS, citation_columns, letters_sql

SEARCH_CONFIG = "english"

# Longest query text read from the search box; the rest is dropped (a 10 KB paste is
# not a search, and websearch_to_tsquery's cost grows with its length).
MAX_QUERY_CHARS = 300

# A misspelt word is replaced by a known drug name at least this similar (pg_trgm).
# 0.45 turns "gabapenten" into "gabapentin" and "norcco" into "norco", but leaves
# ordinary words like "pain" or "knee" alone.
TRIGRAM_THRESHOLD = 0.45


def search_vector_sql(item: str, citations: str, condition: str, summary: str) -> str:
    """SQL of the weighted search vector of the item row ``item`` (an alias): its guideline
    citations are the rows of ``citations`` (aliased ``c``, with an ``id`` in letter order)
    matching ``condition``, and ``summary`` is its letter's weight-D case summary vector
    (determinations.columns.letters_sql). Reads the ``config`` parameter. The loader and
    REFRESH_SQL both write the vector with it; see this module's docstring for the weights."""
    sql = f"""
    setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', {item}.treatment,
        {item}.heading, {item}.brand, array_to_string({item}.ingredients, ' '))), 'A')
 || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(concat_ws(' ', c.source, c.document, c.section), ' ' ORDER BY c.id)
        FROM {citations} AS c WHERE {condition}), '')), 'B')
 || setweight(to_tsvector(%(config)s::regconfig, {item}.rationale), 'C')
 || {summary}"""
    return " ".join(sql.split())


# Every item of the letters ``ids``: the search vector and the denormalised columns
# (determinations.columns), from the stored rows. The letter's columns and its case
# summary's tsvector are computed once per letter (``letter``), not once per item. Its
# first line is rewritten by benchmarks/bulk_load.py to update a staging table instead:
# keep "UPDATE determinations_disputeditem AS i" as it is.
REFRESH_SQL = f"""
WITH letter AS MATERIALIZED (
    {letters_sql("determinations_determination")} WHERE d.id = ANY(%(ids)s))
UPDATE determinations_disputeditem AS i
SET search_vector = {
    search_vector_sql("i", "determinations_guidelinecitation", "c.item_id = i.id", "letter.summary")
},
    {", ".join(f"{column} = letter.{column}" for column in LETTER_COLUMNS)},
    {
    ", ".join(
        f"{column} = {sql.replace('%', '%%')}"
        for column, sql in citation_columns(
            "determinations_guidelinecitation", "c.item_id = i.id"
        ).items()
    )
}
FROM letter
WHERE i.determination_id = letter.id
"""

# The drug words of items, for typo-tolerant search: in name order, so that two sessions
# adding the same new names never deadlock. The loader runs it inside its statement (with
# the words of the letter it is saving), record_drug_names on its own.
DRUG_NAMES_SQL = """
INSERT INTO determinations_drugname (name)
SELECT w FROM unnest(%(drug_words)s::text[]) AS w ORDER BY w
ON CONFLICT (name) DO NOTHING
"""

# What splits the drug as written into words ("Norco 10/325" -> "norco").
NOT_A_TO_Z_RE = re.compile(r"[^a-z]+")


def drug_words(ingredients: Iterable[str], brand: str) -> set[str]:
    """The words of one item's drug that DrugName records: its generic ingredients and the
    words of the drug as written, lowercase ("Norco 10/325" -> "norco"); four letters or
    more, cut to DrugName's 80 characters."""
    words = set(ingredients)
    if brand:
        words.update(NOT_A_TO_Z_RE.split(brand.lower()))
    return {w[:80] for w in words if len(w) >= 4}


def refresh_search_vectors(connection: Any, determination_ids: Sequence[int]) -> None:
    """Rebuild the search vector and facet columns of every item of the given letters.

    Three statements, whatever the number of letters. Call it again after anything that
    feeds these columns changes (the letter's dates or status, its reviewer, citations).
    """
    ids = list(determination_ids)
    with connection.cursor() as cursor:
        params = {"config": SEARCH_CONFIG, "ids": ids}
        cursor.execute(REFRESH_SQL, params)
    record_drug_names(connection, ids)


def record_drug_names(connection: Any, determination_ids: Sequence[int]) -> None:
    """Add the drug words of the given letters' items to DrugName (typo-tolerant search)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ingredients, brand FROM determinations_disputeditem"
            " WHERE determination_id = ANY(%s)",
            [list(determination_ids)],
        )
        words = set().union(*(drug_words(ingredients, brand) for ingredients, brand in cursor))
        if words:
            cursor.execute(DRUG_NAMES_SQL, {"drug_words": sorted(words)})


# Bare words of four letters or more that are not excluded ("-word") nor quoted.
WORD_RE = re.compile(r"(?<![-\w])([^\W\d_]{4,})\b")
# Quoted phrases are searched as written: no correction inside them.
PHRASE_RE = re.compile(r'"[^"]*"?')

# One round trip: does the text hold any searchable word, and which of its words are
# misspelt drug names (the closest known name, and whether the word itself is known)?
PREPARE_SQL = """
SELECT numnode(websearch_to_tsquery(%(config)s::regconfig, %(text)s)) > 0, c.word, c.best, c.known
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT w.word, (
        SELECT n.name FROM determinations_drugname AS n
        WHERE n.name %% w.word AND similarity(n.name, w.word) >= %(threshold)s
        ORDER BY similarity(n.name, w.word) DESC, n.name LIMIT 1
    ) AS best, EXISTS (SELECT 1 FROM determinations_drugname AS n WHERE n.name = w.word) AS known
    FROM unnest(%(words)s::text[]) AS w(word)
) AS c ON true
"""


@dataclass(frozen=True, slots=True)
class PreparedSearch:
    """What the search box asked for, ready for ``DisputedItemQuerySet.search``.

    ``query`` is None when the text holds no searchable word (empty, only stop words
    or punctuation): the list then shows everything and says so.
    """

    text: str
    query: SearchQuery | None
    # Misspelt word -> drug name also searched for ("gabapenten" -> "gabapentin").
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def ignored(self) -> bool:
        """True when something was typed but nothing in it could be searched."""
        return bool(self.text) and self.query is None


def clean_query_text(text: str) -> str:
    """Drop NUL and control characters, fold whitespace, cut to ``MAX_QUERY_CHARS``."""
    text = "".join(ch if ch.isprintable() else " " for ch in text[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def prepare_search(text: str, connection: Any = None) -> PreparedSearch:
    """Read the search box (one query: the lexeme check and the trigram corrections)."""
    text = clean_query_text(text)
    if not text:
        return PreparedSearch("", None)
    connection = connection or default_connection
    words = sorted({w.lower() for w in WORD_RE.findall(PHRASE_RE.sub(" ", text))})[:20]
    corrections: dict[str, str] = {}
    params = {"config": SEARCH_CONFIG, "text": text, "words": words, "threshold": TRIGRAM_THRESHOLD}
    with connection.cursor() as cursor:
        cursor.execute(PREPARE_SQL, params)
        rows = cursor.fetchall()
    has_lexemes = bool(rows and rows[0][0])
    for _, word, best, known in rows:
        if word and best and not known and best != word:
            corrections[word] = best
    if not has_lexemes:
        return PreparedSearch(text, None)
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    if corrections:
        corrected = re.sub(
            WORD_RE,
            lambda m: corrections.get(m.group(1).lower(), m.group(1)),
            text,
        )
        query = query | SearchQuery(corrected, config=SEARCH_CONFIG, search_type="websearch")
    return PreparedSearch(text, query, corrections)
