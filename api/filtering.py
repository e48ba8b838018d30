"""The API's filters: the list page's ``ItemFilterSet`` (determinations.filters), made strict.

The items and letters endpoints filter with DRF's ``DjangoFilterBackend`` and
``filterset_class = ApiItemFilterSet`` / ``ApiLetterFilterSet``, thin subclasses of
``ItemFilterSet``; the facets and analytics endpoints build the same set
(``api_filterset``). So the API and the list read the same parameters through the same
filters, and a facet added to the registry (determinations.facets) is accepted,
validated and described in the OpenAPI schema with no change here.

The list page is forgiving (a value it cannot read is dropped, so a hand-edited URL is
never a 500); the API is strict instead: a parameter the filterset does not know, or a
value its filter would drop, is a 400 naming the parameter (``BadParameter``), so a
script never silently gets a broader set than it asked for. Strictness reads each
filter's own forgiving parse (the registry's): a value is refused when it parses to
nothing, unless it spells the default ("partial=0", "count=items").
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from rest_framework import status
from rest_framework.exceptions import APIException

from determinations.facets import MAX_VALUES, Constraint, Facet
from determinations.filters import COUNTS, SORTS, ItemFilterSet
from determinations.models import Determination, DisputedItem

# The list's parameters the API refuses, and why.
REFUSED = {"page": "The API pages with cursors: follow the 'next' link."}
# A cursor needs a stable order: relevance ranks by the search, and is not offered.
API_SORTS = tuple(s for s in SORTS if s != "relevance")
# Every parameter the API's filters read: the filterset's own (the registry's facets and
# constraints, the search box, count and sort).
FILTER_PARAMS = frozenset(ItemFilterSet.base_filters) - set(REFUSED)
# How a URL spells "no" for a flag whose default is off ("partial=0").
_FALSE = frozenset({"0", "false", "no", "off"})


class BadParameter(APIException):
    """400 with ``{"error": "bad_parameter", "parameter": ..., "message": ...}``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__()
        self.parameter = parameter
        self.detail = {"error": "bad_parameter", "parameter": parameter, "message": message}


class ApiItemFilterSet(ItemFilterSet):  # type: ignore[misc, valid-type]
    """``ItemFilterSet`` that refuses what it would otherwise forgive: valid only when
    every parameter is one of its filters and every value reads as something."""

    @cached_property
    def bad_parameter(self) -> BadParameter | None:
        """The first parameter the list would not understand, or None."""
        for name, values in self.data.lists() if self.data is not None else ():
            if name in REFUSED:
                return BadParameter(name, REFUSED[name])
            if name not in self.filters:
                return BadParameter(name, f"Unknown parameter {name!r}.")
            if len(values) > MAX_VALUES:
                return BadParameter(name, f"At most {MAX_VALUES} values of {name!r}.")
            for value in values:
                message = self._check(name, value)
                if message:
                    return BadParameter(name, message)
        return None

    def _check(self, name: str, value: str) -> str:
        if not value.strip():
            return ""  # an empty form field: the list ignores it too
        field = self.form.fields[name]
        parsed = field.clean([value] if field.multiple else value)
        if name == "sort" and parsed not in API_SORTS:
            known = "" if parsed else f" (the list knows {', '.join(SORTS)})"
            return f"sort must be one of {', '.join(API_SORTS)}{known}."
        if parsed != field.clean([] if field.multiple else "") or _spells(value, parsed):
            return ""
        return f"{value[:100]!r} is not a valid value of {name!r}."

    def is_valid(self) -> bool:
        return self.is_bound and self.bad_parameter is None

    @property
    def errors(self) -> dict[str, list[str]]:
        bad = self.bad_parameter
        return {bad.parameter: [bad.detail["message"]]} if bad else {}


def _spells(value: str, default: Any) -> bool:
    """``value`` writes the filter's default: "items" for count, "0" for a flag."""
    value = value.strip().lower()
    if isinstance(default, bool):
        return value in _FALSE
    return value == str(default).lower()


class ApiLetterFilterSet(ApiItemFilterSet):
    """Letters having an item the filters match (the list's "letters" mode)."""

    class Meta:
        model = Determination
        fields: list[str] = []

    def filter_queryset(self, queryset: Any) -> Any:
        # The view's queryset (its select_related, defer and prefetches), filtered.
        return queryset.with_items_in(DisputedItem.objects.filtered(self.state, self.search))


def api_filterset(request: Any, own_params: tuple[str, ...] = ()) -> ApiItemFilterSet:
    """The request's filters (``own_params`` are the endpoint's, for it to check), or
    ``BadParameter``."""
    filterset = ApiItemFilterSet(_without(request.query_params, own_params), request=request)
    if not filterset.is_valid():
        raise filterset.bad_parameter  # type: ignore[misc]
    return filterset


def _without(params: QueryDict, names: tuple[str, ...]) -> QueryDict:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept


class ItemFilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend over the view's ``filterset_class``; the view's own
    parameters (``own_params``: cursor, page_size...) are left out of the filterset's
    data, and an invalid set is a ``BadParameter``, not DRF's field-error dict."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["data"] = _without(kwargs["data"], getattr(view, "own_params", ()))
        return kwargs

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise filterset.bad_parameter
        return filterset.qs


# --- the OpenAPI description, read from the filterset -----------------------------------


def schema_parameters(filterset_class: type[ItemFilterSet] = ApiItemFilterSet) -> list[dict]:
    """One OpenAPI query parameter per filter the API accepts, typed by its registry
    entry: facets and multiple constraints are repeatable, dates are dates."""
    return [
        _parameter(name, filter_)
        for name, filter_ in filterset_class.base_filters.items()
        if name not in REFUSED
    ]


def _parameter(name: str, filter_: Any) -> dict[str, Any]:
    entry = getattr(filter_, "entry", None)
    schema: dict[str, Any] = {"type": "string"}
    repeatable = False
    description = str(filter_.label or name)
    if isinstance(entry, Facet):
        repeatable = True
        description = f"Facet {entry.label!r}; repeatable, values OR-ed."
    elif isinstance(entry, Constraint):
        repeatable = entry.multiple
        description = name.replace("_", " ").capitalize()
        if isinstance(entry.parse("2000-01-01"), date):
            schema["format"] = "date"
            description += " (YYYY-MM-DD)"
        elif isinstance(entry.default, bool):
            description += ": 1 for yes"
        if repeatable:
            description += "; repeatable, values OR-ed"
        description += "."
    elif name == "q":
        description = 'Search text, websearch syntax: "exact phrase", OR, -exclude.'
    elif name == "sort":
        schema["enum"] = list(API_SORTS)
        description = f"{API_SORTS[0]} (default) or {API_SORTS[1]}: the cursor's order."
    elif name == "count":
        schema["enum"] = list(COUNTS)
        description = "What the facet counts and analytics count: " + " or ".join(COUNTS) + "."
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


class ItemFilterBackendSchema(OpenApiFilterExtension):
    """drf-spectacular's description of ``ItemFilterBackend``: the view's filterset read
    filter by filter (its generic django-filter reader knows only django-filter's own
    filter classes, and would call every registry filter a plain string)."""

    target_class = "api.filtering.ItemFilterBackend"
    priority = 1  # before drf-spectacular's DjangoFilterExtension (which matches subclasses)

    def get_schema_operation_parameters(self, auto_schema: Any, *args: Any, **kwargs: Any) -> list:
        return schema_parameters(getattr(auto_schema.view, "filterset_class", ApiItemFilterSet))
