"""The "Find similar decisions" page: one function view gluing the URL to the search
(similar.results.find: the ranking and the estimate, as the API answers them too)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ingest.normalize.categories import CATEGORIES
from similar.estimate import MIN_N
from similar.request import HELPFUL, REGION_NAMES, SimilarRequest
from similar.results import find, searchable


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
    if searchable(wanted):
        found = find(wanted)
        context.update(
            match=found.match,
            results=found.results,
            estimate=found.estimate,
            list_query=found.match.filters.query_string(),
            filters=found.match.filters,
        )
    return render(request, "similar/find.html", context)
