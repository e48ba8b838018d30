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

* ``request_vector`` (``request_vector_sql``): the item's own request only, with its
  normalised names: treatment, heading, drug as written, generic ingredients, DWC category,
  subcategory and drug class. What the default search scope matches: a letter's case
  summary lists every medication and earlier treatment of the patient, so a search of the
  whole letter for "Norco" finds mostly items that are not requests for Norco.

* the denormalised facet columns (decision date and year, injury date, review status,
  reviewer specialties and licensure states, guideline keys, the letter's sample bucket),
  copied from the letter, its reviewer and the item's citations as declared in
  determinations.columns;

and adds the drug words of those items (``drug_words``) to ``DrugName`` for typo-tolerant
search.

``prepare_search`` turns what an analyst typed into a ``SearchQuery`` in PostgreSQL's
websearch syntax ("exact phrase", OR, -exclude), adding the trigram correction of
misspelt drug names and the generic ingredients of a brand name; it never raises on odd
input. ``SearchScope`` says what the query is matched against (the request, its
rationale, the whole letter): it is part of the answer, so every count, the export, the
API and the alerts carry it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection as default_connection
from django.db import models
from django.db.models import BooleanField, F, Func, Q

from determinations.columns import LETTER_COLUMNS, citation_columns, letters_sql
from ingest.normalize.drugs import PROJECT_NAMES

SEARCH_CONFIG = "english"

# Longest query text read from the search box; the rest is dropped (a 10 KB paste is
# not a search, and websearch_to_tsquery's cost grows with its length).
MAX_QUERY_CHARS = 300

# A misspelt word is replaced by a known drug name at least this similar (pg_trgm).
# 0.45 turns "gabapenten" into "gabapentin" and "norcco" into "norco", but leaves
# ordinary words like "pain" or "knee" alone.
TRIGRAM_THRESHOLD = 0.45


class SearchScope(models.TextChoices):
    """What the search box is matched against. The default answers "decisions about X"."""

    # request_vector: the item's heading, treatment and normalised names.
    REQUEST = "request", "the request"
    # The request, both parties' guideline citations and the decision rationale: the
    # weights A-C of search_vector (or the request vector, for the normalised names).
    RATIONALE = "rationale", "its rationale"
    # Everything, the letter's case summary included: search_vector.
    LETTER = "letter", "the whole letter"

    @classmethod
    def parse(cls, value: str) -> SearchScope:
        """A URL value, forgivingly: anything unknown is the default scope."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            return cls.REQUEST

    def wider(self) -> list[SearchScope]:
        """The scopes that find more than this one, narrowest first."""
        order = list(SearchScope)
        return order[order.index(self) + 1 :]


def request_text_sql(item: str) -> str:
    """SQL of the words of the item row ``item``'s own request (see the module docstring):
    what both the request vector and the search vector's weight A are made of."""
    return (
        f"concat_ws(' ', {item}.treatment, {item}.heading, {item}.brand,"
        f" array_to_string({item}.ingredients, ' '))"
    )


# Number words in a request ("Ten sessions", "twice a week for six weeks") say how much, not
# what: left out of the request vector, where "ten" would match "TENS" (its English stem).
NUMBER_WORDS_SQL = (
    r"'\m(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)\M'"
)


def request_vector_sql(item: str) -> str:
    """SQL of the request vector of the item row ``item``: its request's words and its DWC
    category, subcategory and drug class (so "opioids" finds every opioid request). Reads
    the ``config`` parameter.

    A slash becomes a space: PostgreSQL's parser reads "EMG/NCV", "Hydrocodone/APAP" and
    "Therapy/Occupational" as one file-path token, which no search for "EMG" or "physical
    therapy" would match. Number words are left out (``NUMBER_WORDS_SQL``)."""
    words = (
        f"concat_ws(' ', {request_text_sql(item)}, {item}.category, {item}.subcategory,"
        f" {item}.drug_class)"
    )
    cleaned = f"regexp_replace(translate({words}, '/', ' '), {NUMBER_WORDS_SQL}, ' ', 'gi')"
    return f"to_tsvector(%(config)s::regconfig, {cleaned})"


def search_vector_sql(item: str, citations: str, condition: str, summary: str) -> str:
    """SQL of the weighted search vector of the item row ``item`` (an alias): its guideline
    citations are the rows of ``citations`` (aliased ``c``, with an ``id`` in letter order)
    matching ``condition``, and ``summary`` is its letter's weight-D case summary vector
    (determinations.columns.letters_sql). Reads the ``config`` parameter. The loader and
    REFRESH_SQL both write the vector with it; see this module's docstring for the weights."""
    sql = f"""
    setweight(to_tsvector(%(config)s::regconfig, {request_text_sql(item)}), 'A')
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
    request_vector = {request_vector_sql("i")},
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
# websearch syntax's exclusion: a word (or phrase) after a "-" that starts a word.
EXCLUSION_RE = re.compile(r"(?<![^\s(])-[^\s-]")
# websearch syntax's OR (any case): a brand's ingredients are ANDed, so a query with OR
# is not expanded (websearch has no parentheses to keep "norco OR percocet" apart).
OR_RE = re.compile(r"(?<!\S)or(?!\S)", re.IGNORECASE)

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

# A lexeme in a tsquery's text form: quoted, a quote inside doubled. As a POSIX regular
# expression inside an SQL string literal (each ' written '').
_LEXEME_SQL = "'(''(?:[^'']|'''')*'')'"


class ScopedQuery(Func):
    """A tsquery whose every lexeme only matches words of the given weights: ``'epidur' <->
    'steroid'`` becomes ``'epidur':ABC <-> 'steroid':ABC``. PostgreSQL has no function for
    this; the query's text form quotes each lexeme, and the label goes after the closing
    quote (websearch_to_tsquery writes no prefix match, whose ``:*`` would follow it)."""

    template = (
        "regexp_replace((%(expressions)s)::text, " + _LEXEME_SQL + ", '\\1:%(weights)s', 'g')"
        "::tsquery"
    )
    output_field = SearchQueryField()

    def __init__(self, query: Any, weights: str) -> None:
        if not re.fullmatch(r"[ABCD]{1,4}", weights):
            raise ValueError(f"not tsquery weights: {weights!r}")
        super().__init__(query, weights=weights)


class RankedPart(Func):
    """The part of a tsquery that ranks: without its negated words (``querytree``), so an
    exclusion ("acupuncture -chiropractic") ranks by what is searched for; ts_rank counts a
    negated word as a missing one. An all-negative query ranks everything alike."""

    template = "coalesce(nullif(querytree(%(expressions)s), 'T'), '')::tsquery"
    output_field = SearchQueryField()


class Matches(Func):
    """``vector @@ query`` as a filter condition (read through the vector's GIN index)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


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
    scope: SearchScope = SearchScope.REQUEST
    # Brand name -> its generic ingredients, also searched for ("norco" -> acetaminophen,
    # hydrocodone): a request written "Hydrocodone/APAP" is a request for Norco too.
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ignored(self) -> bool:
        """True when something was typed but nothing in it could be searched."""
        return bool(self.text) and self.query is None

    def in_scope(self, scope: SearchScope) -> PreparedSearch:
        """The same search over another scope (the "wider scopes" counts)."""
        return dataclasses.replace(self, scope=scope)

    @property
    def excludes(self) -> bool:
        """Whether the text excludes a word ("-chiropractic")."""
        return bool(EXCLUSION_RE.search(PHRASE_RE.sub(" ", self.text)))

    def condition(self) -> Q:
        """The filter: the query matched against this scope's vector. Only with a query.

        A wider scope also matches the request vector, which alone holds the category,
        subcategory and drug class words, so that it finds everything a narrower one finds;
        except for a query that excludes a word, whose exclusion must hold over the whole
        scope ("acupuncture -chiropractic" in the whole letter: no chiropractic anywhere).
        """
        assert self.query is not None
        request = Q(Matches(F("request_vector"), self.query))
        if self.scope == SearchScope.REQUEST:
            return request
        if self.scope == SearchScope.RATIONALE:
            scoped = Q(Matches(F("search_vector"), ScopedQuery(self.query, "ABC")))
        else:
            scoped = Q(Matches(F("search_vector"), self.query))
        return scoped if self.excludes else request | scoped

    def rank(self) -> SearchRank:
        """ts_rank of an item in this scope, by what the query searches for (not what it
        excludes). Only with a query."""
        assert self.query is not None
        # F(): rank the stored vector. A plain column name would make Django wrap it in
        # to_tsvector() and re-parse the text (measured 23x slower).
        if self.scope == SearchScope.REQUEST:
            return SearchRank(F("request_vector"), RankedPart(self.query))
        if self.scope == SearchScope.RATIONALE:
            return SearchRank(F("search_vector"), RankedPart(ScopedQuery(self.query, "ABC")))
        return SearchRank(F("search_vector"), RankedPart(self.query))


def clean_query_text(text: str) -> str:
    """Drop NUL and control characters, fold whitespace, cut to ``MAX_QUERY_CHARS``."""
    text = "".join(ch if ch.isprintable() else " " for ch in text[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def brand_expansions(text: str) -> dict[str, tuple[str, ...]]:
    """The bare words of ``text`` that are brand names the drug normaliser knows, with
    their generic ingredients (ingest.normalize.drugs: the names the parser folds into
    ingredients). Not in a query with OR (see OR_RE), nor inside quotes or exclusions."""
    bare = PHRASE_RE.sub(" ", text)
    if OR_RE.search(bare):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for word in WORD_RE.findall(bare):
        name = PROJECT_NAMES.get(word.lower())
        if name is not None and name.ingredients != (word.lower(),):
            found[word.lower()] = name.ingredients
    return found


def prepare_search(
    text: str, connection: Any = None, scope: SearchScope = SearchScope.REQUEST
) -> PreparedSearch:
    """Read the search box (one query: the lexeme check and the trigram corrections)."""
    text = clean_query_text(text)
    if not text:
        return PreparedSearch("", None, scope=scope)
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
        return PreparedSearch(text, None, scope=scope)
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    corrected = text
    if corrections:
        corrected = re.sub(
            WORD_RE,
            lambda m: corrections.get(m.group(1).lower(), m.group(1)),
            text,
        )
        query = query | SearchQuery(corrected, config=SEARCH_CONFIG, search_type="websearch")
    expansions = brand_expansions(corrected)
    if expansions:
        expanded = re.sub(
            WORD_RE,
            lambda m: " ".join(expansions.get(m.group(1).lower(), (m.group(1),))),
            corrected,
        )
        query = query | SearchQuery(expanded, config=SEARCH_CONFIG, search_type="websearch")
    return PreparedSearch(text, query, corrections, scope, expansions)


# A letter typed into the search box instead of a search: its case number, as DWC writes it
# (CM, two year digits, a dash, seven digits; ingest.header reads 5-8) with or without the
# dash or spaces, or its id here ("#1234", "letter 1234", as the admin and audit log name a
# letter). Only when it is the whole text: "CM16-7264943 norco" is a search.
CASE_NUMBER_TYPED_RE = re.compile(r"CM\s?(\d{2})\s?-?\s?(\d{5,8})", re.IGNORECASE)
LETTER_ID_TYPED_RE = re.compile(r"(?:letter\s*)?#\s?(\d{1,9})|letter\s+(\d{1,9})", re.IGNORECASE)


def typed_letter(text: str) -> tuple[str, str] | None:
    """("case", "CM16-7264943") or ("id", "1234") when the search box holds only a case
    number or a letter id; None for a search."""
    text = clean_query_text(text).strip(" .,;")
    if match := CASE_NUMBER_TYPED_RE.fullmatch(text):
        return "case", f"CM{match.group(1)}-{match.group(2)}"
    if match := LETTER_ID_TYPED_RE.fullmatch(text):
        return "id", match.group(1) or match.group(2)
    return None
