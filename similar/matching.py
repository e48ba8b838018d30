"""Which decided items are like a request, and in what order.

The *matched set* is a set of list filters (determinations.filters), so the page, its
estimate, "Open these in the list" and the CSV export all count the same items:

* same treatment kind: the request's most distinctive generic ingredient and its drug
  class for a medication ("lidocaine", "Topical Analgesics"), else its DWC category and
  subcategory ("Rehabilitation" / "Chiropractic"), else its category alone;
* the same body region, when the request names one;
* the guideline section and reviewer specialty, when the user chose them;
* a request the normalizers do not understand at all falls back to the list's full-text
  search of its words, so it still finds the letters that use them.

Within the set, items are ranked by closeness of the quantity (medications) or visit count
(therapies), then by text similarity: trigram similarity of the heading to the request
(the heading is what a request looks like: "Lidoderm 5% patch #30") plus the weighted
full-text rank of the request's words in the heading (A) and the rationale (C). Measured on
the labelled real letters (tests/similar/test_quality_real.py): see docs in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict

from determinations.filters import ItemFilters, ItemFilterSet
from determinations.models import DisputedItem
from determinations.querysets import current_sample_rate, sample_model
from determinations.search import SEARCH_CONFIG, PreparedSearch, prepare_search
from ingest.normalize.drugs import find_medication
from similar.request import SimilarRequest

# Results shown on the page.
RESULTS = 10
# Quantity or visits within this factor of the request's count is "close" ("#30" vs "#60").
CLOSE_FACTOR = 2.0
# Full-text rank weights {D, C, B, A}: heading/treatment (A) and rationale (C) only; the
# case summary (D) and citations (B) describe the patient and the guideline, not the request.
RANK_WEIGHTS = [0.0, 0.2, 0.0, 1.0]
# Constraints the user may drop to widen a small set: request field, label.
WIDENINGS = (("region", "body region"), ("section", "section"), ("specialty", "specialty"))
# A body region narrows the set only if this many items of the kind name it: below, the
# estimate would be withheld (similar.estimate.MIN_N) for want of decisions.
MIN_REGION_SET = 20
# Words of a request nothing understood, for the full-text fallback (numbers and units
# like "250ml" would have to appear verbatim).
WORD_RE = re.compile(r"\b[^\W\d_]{3,}\b")
# Words of how much or how a request is made, not of what it is ("Zumba classes 20
# sessions", "Tabradol (unknown quantity)"): left out of the fallback's search, which
# needs every word it keeps in the letter.
REQUEST_WORDS = frozenset(
    [
        "session",
        "sessions",
        "visit",
        "visits",
        "times",
        "time",
        "week",
        "weeks",
        "weekly",
        "day",
        "days",
        "daily",
        "month",
        "months",
        "per",
        "unknown",
        "quantity",
        "qty",
        "purchase",
        "rental",
        "rent",
        "initial",
        "additional",
        "request",
        "requested",
        "retrospective",
        "original",
        "prospective",
        "the",
        "for",
        "and",
        "with",
        "of",
        "to",
    ]
)
# Items the first ranking stage keeps for the second (see ``ranked``).
POOL = 50
# The newest items of the matched set the ranking reads (see ``ranked``): a bound, so the
# cost of a search does not grow with the corpus.
CANDIDATES = 1000
# Index similar_drug's bound (similar/migrations/0001): items of more ingredients (a
# compound's) are read from the ingredients' GIN index instead.
MAX_INDEXED_INGREDIENTS = 4
# Counting stops here when choosing a combination's key ingredient.
KEY_COUNT_LIMIT = 2000
# Reason tags that say whether prior treatment of this kind helped (normalize.reasons).
HELPFUL_TAGS = {"yes": ["documented-benefit"], "no": ["no-functional-improvement"]}


@dataclass(frozen=True, slots=True)
class Match:
    """The matched set of a request: list URL parameters and what they mean."""

    request: SimilarRequest
    params: tuple[tuple[str, str], ...]
    # Human reading of each constraint, in order ("ingredient: lidocaine").
    basis: tuple[str, ...]
    # True when nothing was understood and the set is the text search of the words.
    by_text: bool
    # True when the body region only ranks (too few items of the kind name it).
    region_ranks: bool = False

    @property
    def filters(self) -> ItemFilters:
        return list_filters(self.params).state

    @property
    def search(self) -> PreparedSearch:
        return prepare_search(self.filters.q)

    @property
    def query_string(self) -> str:
        return urlencode(self.params)

    def widened(self) -> list[tuple[str, str]]:
        """(label, similar-page query) for each constraint the user could drop to get a
        larger set: the body region, section, specialty."""
        out = []
        for name, label in WIDENINGS:
            if getattr(self.request, name):
                params = [(k, "" if k == name else v) for k, v in self.request.as_params()]
                out.append((label, urlencode(params)))
        return out


def list_filters(params: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> ItemFilterSet:
    """The one adapter to the list's filter definition: the matched set's parameters read
    by the list page's own ItemFilterSet (determinations.filters), exactly as it reads its
    URL, so "Open these in the list" (``.state.query_string()``) is the same set."""
    query = QueryDict(mutable=True)
    for name, value in params:
        query.appendlist(name, value)
    return ItemFilterSet(query)


def match(request: SimilarRequest) -> Match:
    params: list[tuple[str, str]] = []
    basis: list[str] = []
    if request.ingredients:
        key = key_ingredient(request.ingredients, request.drug_class)
        params.append(("drug", key))
        basis.append(f"ingredient: {key}")
        if request.drug_class:
            params.append(("drug_class", request.drug_class))
            basis.append(f"drug class: {request.drug_class}")
    elif request.category:
        params.append(("category", request.category))
        if request.subcategory:
            params.append(("subcategory", request.subcategory))
            basis.append(f"kind: {request.category} / {request.subcategory}")
        else:
            basis.append(f"category: {request.category}")
    # Nothing understood, or a medication whose drug is unknown (a kit the drug table
    # lacks): the words must also be in the letter, lest any topical stand for "Anecream".
    by_text = not params or (request.category == "Pharmaceuticals" and not request.ingredients)
    if by_text and (words := _distinctive_words(request.text)):
        params.append(("q", words))
        basis.append(f"the words \u201c{words}\u201d")
    region_ranks = False
    if request.region:
        with_region = [*params, ("region", request.region)]
        if _at_least(with_region, MIN_REGION_SET):
            params = with_region
            basis.append(f"body region: {request.region}")
        else:
            # Too few of this kind name the region for an estimate: the kind alone is the
            # set, and the region ranks first within it.
            region_ranks = True
            basis.append(f"body region {request.region} ranked first")
    if request.section:
        params.append(("section", request.section))
        basis.append(f"guideline section: {request.section.rsplit('|', 1)[-1]}")
    if request.specialty:
        params.append(("specialty", request.specialty))
        basis.append(f"reviewer specialty: {request.specialty}")
    return Match(request, tuple(params), tuple(basis), by_text, region_ranks)


def _distinctive_words(text: str) -> str:
    """The words of a request that say what it is, for the full-text fallback."""
    words = [w for w in WORD_RE.findall(text) if w.lower() not in REQUEST_WORDS]
    return " ".join(dict.fromkeys(words))


def _at_least(params: list[tuple[str, str]], n: int) -> bool:
    """Whether the set of these list parameters holds ``n`` items (reads at most n)."""
    return list_filters(params).qs.order_by()[:n].count() >= n


def key_ingredient(ingredients: tuple[str, ...], drug_class: str = "") -> str:
    """The most distinctive of a combination's ingredients: one whose own class is the
    request's (hydrocodone is an opioid, the acetaminophen of Norco is not), then the one
    fewest items name (the acetaminophen of every Norco, Percocet and Tylenol #3 is
    common), counted on the sample of letters the list reads (a full count of acetaminophen
    took hundreds of milliseconds at 87,000 letters); ties go alphabetically."""
    if len(ingredients) == 1:
        return ingredients[0]
    own_class = {
        name: (med.drug_class if (med := find_medication(name)) else None) == drug_class
        for name in ingredients
    }
    if sum(own_class.values()) == 1:
        return next(name for name, own in own_class.items() if own)
    sample = sample_model(current_sample_rate())
    counts = {
        name: sample.objects.filter(ingredients__contains=[name])[:KEY_COUNT_LIMIT].count()
        for name in ingredients
    }
    # An ingredient no item names would match nothing: it is the least distinctive.
    return min(ingredients, key=lambda i: (not own_class[i], counts[i] or KEY_COUNT_LIMIT + 1, i))


def ranked(
    m: Match, exclude: int | None = None, candidates: int | None = CANDIDATES
) -> QuerySet[DisputedItem]:
    """The matched set, most similar first (a QuerySet: slice it).

    Three stages in one statement. (1) The candidates: the ``candidates`` newest items of
    the set (read newest first from index similar_kind, or similar_drug_class for a
    drug, see similar/migrations/0001), plus, when the body region only ranks, the few
    items naming it (fewer than MIN_REGION_SET by construction), wherever they are.
    (2) The tiers and the heading's trigram similarity order the candidates and keep
    the first ``POOL``; (3) only those are ranked again with the full-text rank of the
    rationale, which de-TOASTs each item's search vector.

    Trigram similarity costs 15-20 us an item on the 2-core machine (it makes both
    strings' trigrams), so ranking every item of a kind grew with the corpus: 40-70 ms
    for the 1,400-4,000 items of a drug or an imaging kind at 50,000 letters, 5-15 ms
    bounded, at any size. The results change only where a more similar heading is older
    than the newest candidates of its kind: measured at 50,000 letters (150 items'
    headings as queries), the top 10's mean heading similarity is 0.943 unbounded,
    0.881 / 0.916 / 0.938 with 500 / 1,000 / 2,000 candidates (top-10 overlap 64% /
    80% / 95%); the labelled real letters' quality is unchanged. A set matched on
    its words (``by_text``) is not bounded: it is small, and ordering a full-text match
    newest first could walk the whole table. ``candidates=None`` ranks the whole set.
    """
    request = m.request
    items = DisputedItem.objects.filtered(m.filters, m.search)
    if exclude is not None:
        items = items.exclude(pk=exclude)
    newest = [F("decision_date").desc(nulls_last=True), F("id").desc()]
    if not request.text:
        items, tiers = _tiered(items, m)
        return items.order_by(*tiers, *newest)
    if candidates is not None and not m.by_text:

        def newest_of(some: QuerySet[DisputedItem]) -> QuerySet[DisputedItem]:
            return some.order_by(*newest).values("pk")[:candidates]

        if request.is_drug:
            # Index similar_drug holds the items of at most MAX_INDEXED_INGREDIENTS,
            # similar_compound the others.
            many = Func(F("ingredients"), function="cardinality", output_field=IntegerField())
            items = items.alias(n_ingredients=many)
            chosen = newest_of(items.filter(n_ingredients__lte=MAX_INDEXED_INGREDIENTS)).union(
                newest_of(items.filter(n_ingredients__gt=MAX_INDEXED_INGREDIENTS)), all=True
            )
        else:
            chosen = newest_of(items)
        if m.region_ranks:
            region = items.filter(body_region=request.region).values("pk")[:MIN_REGION_SET]
            chosen = chosen.union(region)
        # One IN over a UNION: an OR of two INs would be read by a scan of the table.
        items = DisputedItem.objects.filter(pk__in=chosen)
    items, tiers = _tiered(items, m)
    heading = TrigramSimilarity("heading", request.text)
    pool = (
        items.annotate(heading_score=heading)
        .order_by(*tiers, F("heading_score").desc(), *newest)
        .values("pk")[:POOL]
    )
    again, tiers = _tiered(DisputedItem.objects.filter(pk__in=pool), m)
    words = SearchQuery(_or_words(request.text), config=SEARCH_CONFIG, search_type="raw")
    text_score = heading + Coalesce(
        SearchRank(F("search_vector"), words, weights=RANK_WEIGHTS), Value(0.0)
    )
    return again.annotate(text_score=text_score).order_by(*tiers, F("text_score").desc(), *newest)


def _tiered(items: QuerySet[DisputedItem], m: Match) -> tuple[QuerySet[DisputedItem], list[Any]]:
    """``items`` annotated with the ranking tiers before text similarity, and their order:
    same body region (when it only ranks), prior benefit as the user said, then closeness
    of the quantity or visit count."""
    request = m.request
    order: list[Any] = []
    if m.region_ranks:
        items = items.annotate(
            other_region=Case(
                When(body_region=request.region, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order.append("other_region")
    if request.helpful in HELPFUL_TAGS:
        items = items.annotate(
            helpful_first=Case(
                When(reason_tags__overlap=HELPFUL_TAGS[request.helpful], then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order.append("helpful_first")
    target = request.target_number
    if target:
        column = "quantity" if request.is_drug else "visits"
        near = {f"{column}__lte": target * CLOSE_FACTOR, f"{column}__gte": target / CLOSE_FACTOR}
        # 0 the same count, 1 within a factor of two, 2 further, 3 no count stated.
        items = items.annotate(
            closeness=Case(
                When(**{column: target}, then=Value(0)),
                When(Q(**near), then=Value(1)),
                When(**{f"{column}__isnull": False}, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        order.append("closeness")
    return items, order


def _or_words(text: str) -> str:
    """The request's words as a raw tsquery of alternatives ("lidoderm | patch"), for
    ranking (never for matching): any shared word counts, more shared words rank higher."""
    words = re.findall(r"[^\W\d_]{2,}", text.lower())[:20]
    quoted = [f"'{w}'" for w in dict.fromkeys(words)]
    # No word ("0", "#30"): an empty query, which ranks every item 0 ("''" is no tsquery).
    return " | ".join(quoted)
