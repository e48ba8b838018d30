"""Queries over many letters or items. Views call these; they never filter in Python.

The list page, its facet counts, the CSV export, analytics, the API and the detail page's
previous/next all start from ``DisputedItem.objects.filtered(filters, search)`` (through
determinations.filters.ItemFilterSet), so they always agree; its facets and constraints
come from the registry (determinations.facets). Everything the list filters, sorts or
counts lives on the item row itself (the denormalised columns of determinations.columns,
written by the loader with the item and by ``refresh_search_vectors`` after an edit): no
joins, no DISTINCT, except the "letters" count mode, which counts distinct letter ids.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
)

from determinations import sampling
from determinations.facets import CONSTRAINTS, FACETS, FACETS_BY_PARAM, Facet
from determinations.sampling import SAMPLE_RATE
from determinations.search import SEARCH_CONFIG, PreparedSearch, SearchScope
from imr_site.routers import read_connection


class ItemFilters(Protocol):
    """What these queries read of a filter state (determinations.filters.ItemFilters)."""

    count: str
    page: int

    @property
    def effective_sort(self) -> str: ...

    def selected(self, param: str) -> tuple[str, ...]: ...


# Relevance ranking is the slow part of full-text search (ts_rank reads every matching
# vector). Above this many matches the list is ordered newest first instead, and says so.
RANK_LIMIT = 5000
# Page numbers beyond this are clamped: deep OFFSETs get slow, and nobody reads page 400
# (the CSV export has every row).
MAX_PAGE = 200
# A count whose set the sample predicts to hold more items than this is estimated from
# the sample; smaller ones are counted exactly. Exact counting reads every item row of
# the set, one heap page per item for a scattered set (about 15-40 us per item measured
# on the 2-core machine with a 640 MB item table and 128 MB of shared buffers): 10,000
# items keep it near 150 ms, while a 10,000-item set still has ~300 sampled items, so
# its estimate would be within a few percent. 30,000 measured list p95 of 1.4 s.
EXACT_LIMIT = 10_000
# Facet values fetched per facet (and per level of the guideline tree).
FACET_LIMIT = 100
# Markers ts_headline puts around matched words; the template escapes the text, then
# turns them into <mark> (see templatetags/determinations_tags.py).
MARK_START = "\u27e6"
MARK_STOP = "\u27e7"
_MARKS = {"start_sel": MARK_START, "stop_sel": MARK_STOP, "config": SEARCH_CONFIG}


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int
    overturned: int
    # Scaled up from the sample (see DisputedItemQuerySet.facet_counts).
    estimated: bool = False
    # The sample's overturned fraction, for an estimate (its rate is the sample's).
    share: float | None = None

    @property
    def overturn_rate(self) -> int:
        """Percent of ``count`` overturned, rounded."""
        if self.share is not None:
            return round(100 * self.share)
        return round(100 * self.overturned / self.count) if self.count else 0


@dataclass(frozen=True, slots=True)
class FacetCounts:
    total: int
    overturned: int
    by_facet: dict[str, list[FacetCount]]
    # Facet with a selection -> the total without that selection.
    without: dict[str, int] = field(default_factory=dict)
    # What was estimated from the sample: facets, "" (the total), "~facet" (a "without").
    estimated: frozenset[str] = frozenset()
    # The sample's overturned fraction when the total is estimated.
    share: float | None = None
    # One letter in how many is the sample the estimates come from (sampling).
    sample_rate: int = SAMPLE_RATE
    # Facet -> the count of its value for items having none (the year's "unknown": the
    # undated items, which date sorts list last), when the list shows them
    # (Facet.unknown_listed): read from the counts above, no query of its own.
    unknown_listed: dict[str, FacetCount] = field(default_factory=dict)

    @property
    def overturn_rate(self) -> int:
        if self.share is not None:
            return round(100 * self.share)
        return round(100 * self.overturned / self.total) if self.total else 0

    @property
    def total_estimated(self) -> bool:
        return "" in self.estimated


def _newest() -> list[Any]:
    """Items newest first, a letter's items together in their order (index item_newest)."""
    return [
        F("decision_date").desc(nulls_last=True),
        F("determination_id").desc(),
        F("order").asc(),
    ]


def _oldest() -> list[Any]:
    return [F("decision_date").asc(nulls_last=True), F("determination_id").asc(), "order"]


def _newest_letters() -> list[Any]:
    """Letters newest first (index det_newest)."""
    return [F("decision_date").desc(nulls_last=True), F("id").desc()]


def _oldest_letters() -> list[Any]:
    return [F("decision_date").asc(nulls_last=True), F("id").asc()]


class DeterminationQuerySet(models.QuerySet):
    def for_detail(self, items: models.QuerySet) -> DeterminationQuerySet:
        """Everything the detail page shows, in a fixed number of queries: the reviewer
        and its specialties, and ``items`` (ordered, highlighted) with their citations."""
        return self.select_related("reviewer").prefetch_related(
            "reviewer__specialties",
            models.Prefetch("items", queryset=items.prefetch_related("citations")),
        )

    def by_case_number(self, case: str) -> DeterminationQuerySet:
        """The letter with this case number, or the conflicting copies claiming it."""
        case = case.strip().upper()
        return self.filter(Q(case_number=case) | Q(claimed_case_number=case)).order_by("pk")

    def highlighted(self, search: PreparedSearch) -> DeterminationQuerySet:
        """Annotate ``summary_marked``: the case summary with the searched words marked.
        For one letter's page; ts_headline re-reads the text."""
        if search.query is None:
            return self
        return self.annotate(
            summary_marked=SearchHeadline(
                "case_summary", search.query, highlight_all=True, **_MARKS
            )
        )

    def with_items_in(self, items: DisputedItemQuerySet) -> DeterminationQuerySet:
        """Letters having at least one of ``items`` (the "letters" count mode)."""
        return self.filter(Exists(items.order_by().filter(determination_id=OuterRef("pk"))))


class DisputedItemQuerySet(models.QuerySet):
    def with_letter(self) -> DisputedItemQuerySet:
        return self.select_related("determination", "determination__reviewer")

    def search(self, search: PreparedSearch) -> DisputedItemQuerySet:
        """Items matching the search box in its scope (all items when it holds no
        searchable word).

        Matches the stored vector of the scope (``request_vector`` or ``search_vector``,
        PreparedSearch.condition) with its GIN index; the text is never parsed at query
        time.
        """
        if search.query is None:
            return self
        return self.filter(search.condition())

    def filtered(
        self,
        filters: ItemFilters,
        search: PreparedSearch,
        skip: str | tuple[str, ...] | None = None,
    ) -> DisputedItemQuerySet:
        """The one filter definition: search, facets (OR within, AND across) and filters.

        ``skip`` leaves one facet's own selection (or several) out, so its value list is
        counted over what the other filters allow ("a facet's selection does not shrink
        its own list").
        """
        skipped = (skip,) if isinstance(skip, str) else skip or ()
        qs = self.search(search)
        for facet in FACETS:
            values = filters.selected(facet.param)
            if values and facet.param not in skipped:
                qs = qs.filter(facet.q(values))
        for constraint in CONSTRAINTS:
            value = getattr(filters, constraint.param)
            if value not in (None, constraint.default):
                qs = qs.filter(constraint.q(value))
        return qs

    def ordered(self, sort: str, search: PreparedSearch) -> DisputedItemQuerySet:
        """Sort "relevance" (ts_rank in the search's scope, weighted: treatment above
        citations above rationale above case summary; negated words left out), "newest" or
        "oldest". Callers bound relevance to small sets
        (``RANK_LIMIT``)."""
        if sort == "relevance" and search.query is not None:
            return self.annotate(rank=search.rank()).order_by("-rank", *_newest())
        if sort == "oldest":
            return self.order_by(*_oldest())
        return self.order_by(*_newest())

    def letter_ids(self, sort: str, search: PreparedSearch) -> models.QuerySet:
        """Ids of the letters having any of these items, in list order ("letters" mode)."""
        if sort == "relevance" and search.query is not None:
            return (
                self.order_by()
                .values("determination_id")
                .annotate(rank=Max(search.rank()), newest=Max("decision_date"))
                .order_by("-rank", F("newest").desc(nulls_last=True), "-determination_id")
                .values_list("determination_id", flat=True)
            )
        letters = self.model._meta.get_field("determination").related_model.objects
        letters = letters.with_items_in(self)
        order = _oldest_letters() if sort == "oldest" else _newest_letters()
        return letters.order_by(*order).values_list("pk", flat=True)

    def with_snippets(self, search: PreparedSearch) -> DisputedItemQuerySet:
        """Highlighted treatment and a short rationale snippet. Only for the rows on screen:
        ts_headline re-reads the text, so never annotate a whole result set with it."""
        if search.query is None:
            return self
        options = _MARKS
        return self.annotate(
            treatment_marked=SearchHeadline(
                "treatment", search.query, highlight_all=True, **options
            ),
            snippet_marked=SearchHeadline(
                "rationale",
                search.query,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" \u2026 ",
                **options,
            ),
        )

    def highlighted(self, search: PreparedSearch) -> DisputedItemQuerySet:
        """Annotate ``treatment_marked`` and ``rationale_marked``, whole texts with the
        searched words marked, for the detail page (a handful of items)."""
        if search.query is None:
            return self
        return self.annotate(
            treatment_marked=SearchHeadline(
                "treatment", search.query, highlight_all=True, **_MARKS
            ),
            rationale_marked=SearchHeadline(
                "rationale", search.query, highlight_all=True, **_MARKS
            ),
        )

    def neighbours(
        self, filters: ItemFilters, search: PreparedSearch, position: int, pk: int
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """(position, letter id) of the letters before and after letter ``pk``, found at
        ``position`` of these items' result list. One query over a small window around
        the position; (None, None) when the letter is no longer there."""
        sort = filters.effective_sort
        if filters.count == "letters":
            start = max(0, position - 1)
            window = list(self.letter_ids(sort, search)[start : position + 2])
        else:
            # Several items of one letter can follow each other: look a little further.
            start = max(0, position - 10)
            rows = self.ordered(sort, search).values_list("determination_id", flat=True)
            window = list(rows[start : position + 11])
        here = position - start
        if here >= len(window) or window[here] != pk:
            if pk not in window:
                return None, None
            here = window.index(pk)
        before = next(
            ((start + i, window[i]) for i in range(here - 1, -1, -1) if window[i] != pk), None
        )
        after = next(
            ((start + i, window[i]) for i in range(here + 1, len(window)) if window[i] != pk),
            None,
        )
        return before, after

    def facet_counts(self, filters: ItemFilters, search: PreparedSearch) -> FacetCounts:
        """Every facet's values with their counts and overturned counts, and the total:
        exact when the set is small, estimated from the sample of letters when it is large.

        Two statements at most. The first counts everything over the sample (the items of
        one letter in ``rate``, in a table of its own: models.SampleItem, or
        models.SparseSampleItem once the corpus is large, see ``current_sample_rate``): it
        is cheap whatever the filters, and predicts each facet's base set (the filtered set
        without that facet's own selection). The second recounts exactly, over every row,
        the total and the facets whose predicted base set is at most ``EXACT_LIMIT``
        items; it is skipped when there are none. A set with no sampled row is always
        counted exactly, so an estimate is never 0 for a set that is not empty.

        Estimated counts are scaled by the rate and rounded to two significant figures,
        their overturn rates are the sample's, and the facet (or "" for the total,
        "~facet" for a total without that facet) is listed in ``estimated``.
        """
        rate = current_sample_rate()
        # A search over the sample must read its GIN index: see _facet_rows.
        sample = _facet_rows(
            self._sample_facet_sql(filters, search, rate), bitmap_only=search.query is not None
        )
        base_rows = {"": sample.base_rows.get("", 0)}
        for facet in FACETS:
            key = "~" + facet.param if filters.selected(facet.param) else ""
            base_rows[facet.param] = sample.base_rows.get(key, 0)
        exact = {key for key, rows in base_rows.items() if rows * rate <= EXACT_LIMIT}
        found = _FacetRows()
        if exact:
            found = _facet_rows(
                self._exact_facet_sql(filters, search, [f for f in FACETS if f.param in exact])
            )
        estimated: set[str] = set()
        by_facet: dict[str, list[FacetCount]] = {}
        for facet in FACETS:
            if facet.param in exact:
                by_facet[facet.param] = found.by_facet.get(facet.param, [])
            else:
                estimated.add(facet.param)
                by_facet[facet.param] = [
                    scaled(fc, rate) for fc in sample.by_facet.get(facet.param, [])
                ]
        without: dict[str, int] = {}
        for param, count in sample.without.items():
            if param in exact:
                without[param] = found.without.get(param, 0)
            else:
                estimated.add("~" + param)
                without[param] = scaled(FacetCount("", count, 0), rate).count
        share = None
        if "" in exact:
            total, overturned = found.total
        else:
            estimated.add("")
            whole = scaled(FacetCount("", *sample.total), rate)
            total, overturned, share = whole.count, whole.overturned, whole.share
        unknown_listed: dict[str, FacetCount] = {}
        for facet in FACETS:
            facet.order_counts(by_facet[facet.param])
            unknown = facet.unknown_listed(filters.selected(facet.param), by_facet[facet.param])
            if unknown is not None:
                unknown_listed[facet.param] = unknown
        return FacetCounts(
            total, overturned, by_facet, without, frozenset(estimated), share, rate, unknown_listed
        )

    def scope_totals(
        self, filters: ItemFilters, search: PreparedSearch, scopes: list[SearchScope]
    ) -> dict[SearchScope, tuple[int, bool]]:
        """Scope -> (count, estimated) of the filtered set searched in each of ``scopes``, in
        the current count mode: the totals ``facet_counts`` would give, without its facets
        (the "wider scopes" offered when a search finds little). Two statements at most,
        whatever the number of scopes: one over the sample, predicting each set's size, and
        one exact count of those the sample predicts at most ``EXACT_LIMIT`` items for; the
        others are estimated from the sample, as ``facet_counts`` does."""
        if not scopes or search.query is None:
            return {}
        rate = current_sample_rate()
        sampled = _scope_counts(sample_model(rate).objects.all(), filters, search, scopes)
        exact_scopes = [s for s in scopes if sampled[s][1] * rate <= EXACT_LIMIT]
        exact = _scope_counts(self, filters, search, exact_scopes) if exact_scopes else {}
        out = {}
        for scope in scopes:
            if scope in exact:
                out[scope] = (exact[scope][0], False)
            else:
                out[scope] = (_two_figures(sampled[scope][0] * rate), True)
        return out

    def _sample_facet_sql(
        self, filters: ItemFilters, search: PreparedSearch, rate: int
    ) -> tuple[str, list[Any]]:
        """All counts over the sample read at ``rate`` (its own table), every facet
        included: the rows are read once (see ``_flagged_rows``)."""
        return _flagged_facet_sql(sample_model(rate).objects.all(), filters, search, list(FACETS))

    def _exact_facet_sql(
        self, filters: ItemFilters, search: PreparedSearch, facets: list[Facet]
    ) -> tuple[str, list[Any]]:
        """Exact counts over every row, of the total and of ``facets`` only. Array facets
        unnest. In "letters" mode each value counts distinct letters, and "overturned"
        counts letters with an overturned item among the matching ones."""
        return _flagged_facet_sql(self, filters, search, facets)


def _flagged_facet_sql(
    qs: DisputedItemQuerySet, filters: ItemFilters, search: PreparedSearch, facets: list[Facet]
) -> tuple[str, list[Any]]:
    """One statement counting the total and ``facets`` over the rows of ``qs`` (the item
    table or the sample's) that the filters allow.

    A facet with a selection is counted over the rows passing every other selection
    ("its own selection does not shrink it"), the others over the rows passing all of
    them. So the rows are read once, with a flag per selection, into ``s``: only rows
    failing at most one selection whose facet is counted here, because no set needs
    others. The rows passing every flag are kept apart (``hits``) for the unselected
    facets and the total. Reading rows is the expensive part (one heap page per row for
    a scattered set), and the sets overlap: the letters of a drug and those of the drug
    and an outcome were read twice before.
    """
    chosen = [f for f in FACETS if filters.selected(f.param)]
    selected = {f.param: filters.selected(f.param) for f in chosen}
    flags = {
        f"m_{f.param}": ExpressionWrapper(f.q(selected[f.param]), output_field=BooleanField())
        for f in chosen
    }
    rows = qs.filtered(filters, search, skip=tuple(selected))
    counted_with_selection = [f for f in facets if f.param in selected]
    # The selections each counted set must pass: all but its facet's own, or all.
    sets = [[g for g in chosen if g is not f] for f in counted_with_selection] or [chosen]
    if all(sets):  # else some set passes no selection at all: every row counts
        wanted = Q()
        for needs in sets:
            both = Q()
            for g in needs:
                both &= g.q(selected[g.param])
            wanted |= both
        rows = rows.filter(wanted)
    rows_sql, params = _compiled(rows.annotate(**flags), [*_facet_columns(), *flags])

    def passing(skip: str | None = None) -> str:
        return " AND ".join(f"s.m_{f.param}" for f in chosen if f.param != skip) or "true"

    ctes = f"WITH s AS MATERIALIZED ({rows_sql})"
    hits = "s"
    if chosen:
        ctes += f", hits AS MATERIALIZED (SELECT * FROM s WHERE {passing()})"
        hits = "hits"
    return _facet_union(
        filters,
        ctes,
        params,
        total=f"FROM {hits} AS s",
        sources={
            f.param: ("s", passing(f.param)) if f.param in selected else (hits, "true")
            for f in facets
        },
    )


def _scope_counts(
    qs: DisputedItemQuerySet,
    filters: ItemFilters,
    search: PreparedSearch,
    scopes: list[SearchScope],
) -> dict[SearchScope, tuple[int, int]]:
    """Scope -> (count in the count mode, items) of ``qs`` filtered and searched in each
    scope, in one statement over the rows the widest of them matches."""
    widest = max(scopes, key=list(SearchScope).index)
    rows = qs.filtered(filters, search.in_scope(widest)).order_by()
    counted = {}
    for scope in scopes:
        condition = search.in_scope(scope).condition()
        counted[f"rows_{scope.value}"] = Count("pk", filter=condition)
        if filters.count == "letters":
            counted[f"n_{scope.value}"] = Count("determination_id", filter=condition, distinct=True)
    found = rows.aggregate(**counted)
    # In items mode the count is the rows themselves: one aggregate, not the same one twice.
    return {
        s: (found.get(f"n_{s.value}", found[f"rows_{s.value}"]), found[f"rows_{s.value}"])
        for s in scopes
    }


def _facet_columns() -> list[str]:
    # "pk": the item's id on both the item table and SampleItem (whose key is the item).
    return list(dict.fromkeys(["pk", "determination_id", "outcome", *(f.column for f in FACETS)]))


def _compiled(qs: models.QuerySet, columns: list[str]) -> tuple[str, list[Any]]:
    sql, params = qs.order_by().values_list(*columns).query.sql_with_params()
    return sql, list(params)


def _facet_union(
    filters: ItemFilters,
    with_clause: str,
    params: list[Any],
    *,
    total: str,
    sources: dict[str, tuple[str, str]],
) -> tuple[str, list[Any]]:
    """One statement: the total ("" row) and, per facet in ``sources`` (facet -> (row
    source, condition)), its values and, when it has a selection, its total without it
    ("~facet" row). The total rows also give the number of items they count (``rows``),
    which is what decides between an estimate and an exact count."""
    letters = filters.count == "letters"
    n = "count(DISTINCT s.determination_id)" if letters else "count(*)"
    ov = f"{n} FILTER (WHERE s.outcome = 'overturned')"
    parts = [f"SELECT '' AS facet, '' AS value, {n} AS n, {ov} AS ov, count(*) AS rows {total}"]
    for param, (source, condition) in sources.items():
        facet = FACETS_BY_PARAM[param]
        if filters.selected(param):
            parts.append(
                f"SELECT '~{param}', '', {n}, {ov}, count(*) FROM {source} AS s WHERE {condition}"
            )
        parts.append(facet.count_sql(source, condition, n, f"{ov}, 0", lead=f"'{param}', "))
    selected = [v for param in FACETS_BY_PARAM for v in filters.selected(param)]
    union = "\nUNION ALL\n".join(parts)
    sql = f"""
        {with_clause}
        SELECT facet, value, n, ov, rows FROM (
            SELECT u.*, row_number() OVER (
                PARTITION BY facet, length(value) - length(replace(value, '|', ''))
                ORDER BY n DESC, value) AS rn
            FROM ({union}) AS u
        ) AS ranked
        WHERE rn <= %s OR value = ANY(%s) OR facet = '' OR facet LIKE '~%%'
    """
    return sql, [*params, FACET_LIMIT, selected]


@dataclass
class _FacetRows:
    """What one facet statement returned."""

    total: tuple[int, int] = (0, 0)
    by_facet: dict[str, list[FacetCount]] = field(default_factory=dict)
    without: dict[str, int] = field(default_factory=dict)
    # "" or "~facet" -> items in that set (not letters: the cost of counting it).
    base_rows: dict[str, int] = field(default_factory=dict)


def _facet_rows(statement: tuple[str, list[Any]], *, bitmap_only: bool = False) -> _FacetRows:
    """Run a facet statement. ``bitmap_only`` turns sequential and plain index scans off
    for it: the planner prices "search_vector @@ query" as one cheap call, but on each row
    it reads that way it de-TOASTs a ~3 KB vector, while a bitmap from the GIN index
    (SampleItem's sample_search_gin) needs no recheck for plain words. Measured on the
    sample of 200,000 letters, the rows matching "pain": 61 ms scanned, 12 ms bitmap."""
    out = _FacetRows()
    # The replica in analysts' requests, if there is one. The model is looked up by name:
    # models imports this module.
    db = read_connection(apps.get_model("determinations", "DisputedItem"))
    # SET LOCAL needs a transaction; plain statements do not pay for one.
    scope = transaction.atomic(using=db.alias) if bitmap_only else contextlib.nullcontext()
    enclosed = db.in_atomic_block
    with scope, db.cursor() as cursor:
        if bitmap_only:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(*statement)
        fetched = cursor.fetchall()
        if bitmap_only and enclosed:  # back to normal for the rest of the outer transaction
            cursor.execute(
                "SET LOCAL enable_seqscan = DEFAULT; SET LOCAL enable_indexscan = DEFAULT"
            )
    for facet, value, count, ov_count, rows in fetched:
        if facet == "":
            out.total = (count, ov_count)
            out.base_rows[""] = rows
        elif facet.startswith("~"):
            out.without[facet[1:]] = count
            out.base_rows[facet] = rows
        else:
            out.by_facet.setdefault(facet, []).append(FacetCount(value, count, ov_count))
    return out


# How long a process trusts what it read of the dense sample's size (pg_class.reltuples,
# kept by autovacuum's ANALYZE): the choice changes only as the corpus grows.
SAMPLE_CHOICE_SECONDS = 300.0
_dense_sizes: dict[str, tuple[float, float]] = {}


def current_sample_rate() -> int:
    """The rate of the sample that estimates read now: the dense one (SAMPLE_RATE) until it
    holds more than sampling.DENSE_SAMPLE_MAX_ITEMS items, then the sparse one. Its size is
    the planner's estimate of the table's rows, read at most every SAMPLE_CHOICE_SECONDS
    per database: no count, one catalogue read."""
    dense = sample_model(SAMPLE_RATE)
    db = read_connection(dense)
    now = time.monotonic()
    known = _dense_sizes.get(db.alias)
    if known is None or now - known[0] > SAMPLE_CHOICE_SECONDS:
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                [dense._meta.db_table],
            )
            row = cursor.fetchone()
        known = (now, float(row[0]) if row else 0.0)
        _dense_sizes[db.alias] = known
    return sampling.rate_for(known[1])


@cache
def sample_model(rate: int) -> Any:
    """The sample table of one letter in ``rate`` (the model declaring it as its
    ``sample_rate``). Looked up by the registry: models imports this module."""
    for model in apps.get_app_config("determinations").get_models():
        if getattr(model, "sample_rate", None) == rate:
            return model
    raise LookupError(f"no sample table of 1 letter in {rate}")


def scaled(fc: FacetCount, rate: int = SAMPLE_RATE) -> FacetCount:
    """A count over the sample of one letter in ``rate`` scaled to the whole, to two
    significant figures; the overturned count keeps the sample's rate."""
    count = _two_figures(fc.count * rate)
    share = fc.overturned / fc.count if fc.count else 0.0
    return FacetCount(fc.value, count, round(count * share), estimated=True, share=share)


def _two_figures(n: int) -> int:
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return round(n / step) * step


@dataclass(frozen=True, slots=True)
class ResultPage:
    """One page of the list: letters, each with the matching items shown under it.

    In "items" mode every group holds one item; in "letters" mode one letter and all its
    matching items. ``start`` is the result-set position of the first row (for prev/next
    on the detail page).
    """

    groups: list[tuple[Any, list[Any]]]
    number: int
    num_pages: int
    start: int
    sort: str
    # True when relevance was asked for but the set was too large to rank.
    rank_skipped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def result_page(
    items: DisputedItemQuerySet,
    filters: ItemFilters,
    search: PreparedSearch,
    total: int,
    per_page: int,
) -> ResultPage:
    """Fetch one page of ``items`` (already filtered) in two queries: the ids of the rows
    in order (cheap: no text is read), then those rows with their letters and snippets.

    ``total`` (rows in the current count mode, from ``facet_counts``) decides whether
    relevance ranking is affordable; deep pages are clamped to the last page.
    """
    sort = filters.effective_sort
    rank_skipped = False
    if sort == "relevance" and (search.query is None or total > RANK_LIMIT):
        rank_skipped = search.query is not None
        sort = "newest"
    num_pages = max(1, min(MAX_PAGE, -(-total // per_page)))
    number = min(filters.page, num_pages)
    start = (number - 1) * per_page
    shown = items.with_letter().with_snippets(search)
    if filters.count == "letters":
        ids = list(items.letter_ids(sort, search)[start : start + per_page])
        rows = shown.filter(determination_id__in=ids).order_by("determination_id", "order")
        by_letter: dict[int, list[Any]] = {}
        for item in rows:
            by_letter.setdefault(item.determination_id, []).append(item)
        groups = [(by_letter[i][0].determination, by_letter[i]) for i in ids if i in by_letter]
    else:
        ids = list(
            items.ordered(sort, search).values_list("id", flat=True)[start : start + per_page]
        )
        by_id = {item.pk: item for item in shown.filter(pk__in=ids)}
        groups = [(by_id[i].determination, [by_id[i]]) for i in ids if i in by_id]
    return ResultPage(groups, number, num_pages, start, sort, rank_skipped)
