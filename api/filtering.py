"""The API's and the saved searches' one door to the list's filter definition.

Everything here reads ``determinations.filters.ItemFilters`` (the list page's URL state)
and ``DisputedItemQuerySet.filtered`` (its one filter definition), so the API, the
digests and the list can never disagree about what a query means. When the filter layer
becomes a django-filter ``ItemFilterSet`` (issue 12), this module is the one to change:
``ItemFiltersBackend`` becomes DRF's ``DjangoFilterBackend`` with
``filterset_class = ItemFilterSet``, and ``strict_filters`` reads the filterset's form
errors instead of re-parsing each value.

The list page is forgiving (a value it cannot read is dropped, so a hand-edited URL is
never a 500); the API is strict instead: a parameter it does not know, or a value the
list would drop, is a 400 naming the parameter (``BadParameter``), so a script never
silently gets a broader set than it asked for.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.filters import BaseFilterBackend

from determinations.facets import FACETS, MAX_VALUES
from determinations.filters import SORTS, ItemFilters
from determinations.models import Determination, DisputedItem, ReviewStatus
from determinations.search import PreparedSearch, prepare_search

# The list page's parameters that are not facets, with their OpenAPI descriptions.
SCALAR_PARAMS: dict[str, str] = {
    "q": 'Search text, websearch syntax: "exact phrase", OR, -exclude.',
    "decided_from": "Decided on or after this date (YYYY-MM-DD).",
    "decided_to": "Decided on or before this date (YYYY-MM-DD).",
    "injured_from": "Injured on or after this date (YYYY-MM-DD).",
    "injured_to": "Injured on or before this date (YYYY-MM-DD).",
    "case": "Case number (CM16-0001234).",
    "partial": "1: partial authorizations only.",
    "status": "Review status, repeatable: " + ", ".join(ReviewStatus.values) + ".",
    "count": "items (default) or letters: what the facet counts and analytics count.",
    "sort": "newest (default) or oldest. Relevance order is not offered: a cursor needs a "
    "stable order.",
}
FILTER_PARAMS = frozenset(SCALAR_PARAMS) | {f.param for f in FACETS}
# Values the list reads as "the default", which its URL then leaves out.
_DEFAULT_VALUES = {
    "count": {"items"},
    "partial": {"", "0", "false", "no", "off"},
    "q": None,  # any text: the search box cleans it and never fails
}
API_SORTS = ("newest", "oldest")


class BadParameter(APIException):
    """400 with ``{"error": "bad_parameter", "parameter": ..., "message": ...}``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__()
        self.detail = {"error": "bad_parameter", "parameter": parameter, "message": message}


def strict_filters(params: QueryDict, extra: tuple[str, ...] = ()) -> ItemFilters:
    """The list's filters from ``params``, or ``BadParameter`` for the first parameter the
    list would not understand. ``extra`` names the endpoint's own parameters (cursor...),
    which are the caller's to check."""
    for name, values in params.lists():
        if name in extra:
            continue
        if name == "page":
            raise BadParameter("page", "The API pages with cursors: follow the 'next' link.")
        if name not in FILTER_PARAMS:
            raise BadParameter(name, f"Unknown parameter {name!r}.")
        if len(values) > MAX_VALUES:
            raise BadParameter(name, f"At most {MAX_VALUES} values of {name!r}.")
        for value in values:
            _check_value(name, value)
    return ItemFilters.from_query(_only(params, FILTER_PARAMS))


def _check_value(name: str, value: str) -> None:
    if not value.strip():
        return  # an empty form field: the list ignores it too
    if name == "sort" and value.strip().lower() not in API_SORTS:
        known = ", ".join(SORTS) if value.strip().lower() not in SORTS else ""
        raise BadParameter(
            "sort",
            f"sort must be one of {', '.join(API_SORTS)}"
            + (f" (the list knows {known})" if known else "")
            + ".",
        )
    defaults = _DEFAULT_VALUES.get(name, set())
    if defaults is None or value.strip().lower() in defaults:
        return
    parsed = ItemFilters.from_query({name: [value]})
    if name not in {key for key, _ in parsed.as_params()}:
        raise BadParameter(name, f"{value[:100]!r} is not a valid value of {name!r}.")


def _only(params: QueryDict, names: frozenset[str]) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in names:
            kept.setlist(name, values)
    return kept


def filters_from_state(state: str) -> ItemFilters:
    """The filters a saved search stored (``canonical_state``)."""
    return ItemFilters.from_query(QueryDict(state))


def canonical_state(filters: ItemFilters) -> str:
    """What a saved search stores: the list's own URL state, written by ItemFilters, page
    left out (a saved search is a question, not a place in its results)."""
    return filters.replace(page=1).query_string()


def search_of(filters: ItemFilters) -> PreparedSearch:
    return prepare_search(filters.q)


def matching_items(filters: ItemFilters, search: PreparedSearch | None = None) -> Any:
    """Items matching ``filters``: the list's queryset."""
    return DisputedItem.objects.filtered(filters, search or search_of(filters))


def matching_letters(filters: ItemFilters, search: PreparedSearch | None = None) -> Any:
    """Letters having an item matching ``filters`` (the list in "letters" mode)."""
    return Determination.objects.with_items_in(matching_items(filters, search))


def request_filters(request: Any, extra: tuple[str, ...] = ()) -> ItemFilters:
    """The request's filters, parsed once per request."""
    cached = getattr(request, "_api_filters", None)
    if cached is None:
        cached = strict_filters(request.query_params, extra)
        request._api_filters = cached
    return cached


class ItemFiltersBackend(BaseFilterBackend):
    """DRF filter backend over the list's filters: items matching them, or (for a view
    whose queryset is of letters) letters having such an item."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filters = request_filters(request, getattr(view, "own_params", ()))
        if queryset.model is Determination:
            return queryset.with_items_in(matching_items(filters))
        # The view's queryset (its select_related and only()), filtered.
        return queryset.filtered(filters, search_of(filters))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = [_parameter(name, text) for name, text in SCALAR_PARAMS.items()]
        for facet in FACETS:
            params.append(
                _parameter(facet.param, f"Facet {facet.label!r}; repeatable, values OR-ed.", True)
            )
        return params


def _parameter(name: str, description: str, repeatable: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if name in {"decided_from", "decided_to", "injured_from", "injured_to"}:
        schema["format"] = "date"
    if name == "sort":
        schema["enum"] = list(API_SORTS)
    if name == "count":
        schema["enum"] = ["items", "letters"]
    if name == "status":
        repeatable = True
    if repeatable:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if repeatable else {}),
    }
