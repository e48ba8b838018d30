"""The stored search columns of each disputed item, and how the search box reads a query.

``refresh_search_vectors`` recomputes them in SQL from the stored rows after an edit (the
admin, corrections, re-parse); the loader writes the same values with the item in its one
INSERT. Neither the search box nor the facets ever parse text or join tables at query
time. Per item:

* ``search_vector``, a weighted tsvector, so a match in the treatment outranks one in
  the narrative:

      A  treatment, heading, drug as written, generic ingredients
      B  guideline citations of both parties (source, document, section)
      C  the decision rationale
      D  the letter's clinical case summary

* the denormalised facet columns (decision date and year, injury date, review status,
  reviewer specialties and licensure states, guideline keys), copied from the letter,
  its reviewer and the item's citations, and the letter's sample bucket (a hash of its
  SHA-256, see determinations.models.sample_of);

and adds the drug words of those items to ``DrugName`` for typo-tolerant search.

``prepare_search`` turns what an analyst typed into a ``SearchQuery`` in PostgreSQL's
websearch syntax ("exact phrase", OR, -exclude), adding the trigram correction of
misspelt drug names; it never raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection as default_connection

from determinations.columns import citation_columns
from determinations.sampling import SAMPLE_SQL

SEARCH_CONFIG = "english"

# Longest query text read from the search box; the rest is dropped (a 10 KB paste is
# not a search, and websearch_to_tsquery's cost grows with its length).
MAX_QUERY_CHARS = 300

# A misspelt word is replaced by a known drug name at least this similar (pg_trgm).
# 0.45 turns "gabapenten" into "gabapentin" and "norcco" into "norco", but leaves
# ordinary words like "pain" or "knee" alone.
TRIGRAM_THRESHOLD = 0.45

REFRESH_SQL = """
UPDATE determinations_disputeditem AS i
SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', i.treatment, i.heading, i.brand,
        array_to_string(i.ingredients, ' '))), 'A')
 || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        -- In letter order, as the loader writes them: word positions then agree.
        SELECT string_agg(concat_ws(' ', c.source, c.document, c.section), ' ' ORDER BY c.id)
        FROM determinations_guidelinecitation AS c WHERE c.item_id = i.id), '')), 'B')
 || setweight(to_tsvector(%(config)s::regconfig, i.rationale), 'C')
 || setweight(to_tsvector(%(config)s::regconfig, d.case_summary), 'D'),
    decision_date = d.decision_date,
    decision_year = extract(year FROM d.decision_date)::smallint,
    date_of_injury = d.date_of_injury,
    review_status = d.review_status,
    specialties = ARRAY(
        SELECT s.name FROM determinations_reviewer_specialties AS rs
        JOIN determinations_specialty AS s ON s.id = rs.specialty_id
        WHERE rs.reviewer_id = d.reviewer_id ORDER BY s.name),
    licensure_states = coalesce(r.licensure_states, '{}'),
    CITATION_COLUMNS_PLACEHOLDER
    sample = SAMPLE_PLACEHOLDER
FROM determinations_determination AS d
LEFT JOIN determinations_reviewer AS r ON r.id = d.reviewer_id
WHERE d.id = i.determination_id AND d.id = ANY(%(ids)s)
"""

REFRESH_SQL = REFRESH_SQL.replace(
    "CITATION_COLUMNS_PLACEHOLDER",
    "".join(
        f"{column} = {sql.replace('%', '%%')},\n    "
        for column, sql in citation_columns(
            "determinations_guidelinecitation", "c.item_id = i.id"
        ).items()
    ),
).replace("SAMPLE_PLACEHOLDER", SAMPLE_SQL.format(sha256="d.sha256").replace("%", "%%"))

# Generic ingredients and the words of the drug as written ("Norco 10/325" -> "norco").
DRUG_NAMES_SQL = """
INSERT INTO determinations_drugname (name)
SELECT DISTINCT left(w, 80) FROM (
    SELECT unnest(i.ingredients) AS w
    FROM determinations_disputeditem AS i WHERE i.determination_id = ANY(%(ids)s)
    UNION
    SELECT regexp_split_to_table(lower(i.brand), '[^a-z]+')
    FROM determinations_disputeditem AS i
    WHERE i.determination_id = ANY(%(ids)s) AND i.brand <> ''
) AS words
WHERE length(w) >= 4
ON CONFLICT (name) DO NOTHING
"""


def refresh_search_vectors(connection: Any, determination_ids: Sequence[int]) -> None:
    """Rebuild the search vector and facet columns of every item of the given letters.

    Two statements, whatever the number of letters. Call it again after anything that
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
        cursor.execute(DRUG_NAMES_SQL, {"ids": list(determination_ids)})


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
