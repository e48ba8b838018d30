"""The "Find similar decisions" page: one function view gluing the URL to the ranking
(similar.matching) and the estimate (similar.estimate)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from determinations.models import DisputedItem
from ingest.normalize.categories import CATEGORIES
from similar.carried import carried_sentences
from similar.estimate import MIN_N, estimate
from similar.matching import RESULTS, match, ranked
from similar.request import HELPFUL, REGION_NAMES, SimilarRequest


@require_GET
def find_similar(request: HttpRequest) -> HttpResponse:
    wanted = SimilarRequest.from_query(request.GET)
    context: dict[str, object] = {
        "wanted": wanted,
        "regions": REGION_NAMES,
        "categories": CATEGORIES,
        "helpful_choices": HELPFUL,
        "min_n": MIN_N,
    }
    if wanted.text or wanted.understood_anything:
        m = match(wanted)
        items: list[DisputedItem] = list(ranked(m).with_letter()[:RESULTS])
        results = []
        for item in items:
            sentences = carried_sentences(item.rationale, item.outcome)
            results.append((item, sentences, any(s.carried for s in sentences)))
        context.update(
            match=m,
            results=results,
            estimate=estimate(m.filters, m.search, kind_params(wanted)),
            list_query=m.filters.query_string(),
            filters=m.filters,
        )
    return render(request, "similar/find.html", context)


def kind_params(wanted: SimilarRequest) -> tuple[tuple[str, str], ...]:
    """List parameters of the request's subcategory (else category) for its base rate."""
    if wanted.category and wanted.subcategory:
        return (("category", wanted.category), ("subcategory", wanted.subcategory))
    if wanted.category:
        return (("category", wanted.category),)
    return ()
