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
nothing, unless it spells the default ("partial=0", "count=items"); a value with nothing
printable in it is an empty form field (ignored, as the list ignores it); a value of an
entry that declares a ``pattern`` must match it, and a date must be written YYYY-MM-DD.

The OpenAPI description of every parameter (``schema_parameters``) is read from the same
declarations: the registry entry's or filter's ``choices`` are the enum, its ``pattern``
the pattern, ``YEARS`` the dates' range; an open set (drug names, specialties) says where
its values are listed (the facets endpoint).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Any

from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from rest_framework import status
from rest_framework.exceptions import APIException

from determinations.facets import (
    FLAG_OFF,
    MAX_VALUES,
    YEARS,
    Constraint,
    Facet,
    clean_value,
)
from determinations.filters import SORTS, ItemFilterSet
from determinations.models import Determination, DisputedItem

# The list's parameters the API refuses, and why.
REFUSED = {"page": "The API pages with cursors: follow the 'next' link."}
# A cursor needs a stable order: relevance ranks by the search, and is not offered.
API_SORTS = tuple(s for s in SORTS if s != "relevance")
# Every parameter the API's filters read: the filterset's own (the registry's facets and
# constraints, the search box, count and sort).
FILTER_PARAMS = frozenset(ItemFilterSet.base_filters) - set(REFUSED)
# A date the filters read: YYYY-MM-DD in one of the registry's YEARS.
DATE_PATTERN = (
    "^(?:" + "|".join(map(str, YEARS)) + ")-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
)


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
        if not value:
            return ""  # an empty form field: the list ignores it too
        field = self.form.fields[name]
        entry = getattr(self.filters[name], "entry", None)
        pattern = getattr(entry, "pattern", "")
        filter_choices = getattr(self.filters[name], "choices", ())
        closed = pattern or getattr(entry, "choices", ()) or filter_choices
        if not closed and not clean_value(value):
            return ""  # an open set's value with nothing printable: an empty field too
        parsed = field.clean([value] if field.multiple else value)
        if name == "sort" and parsed not in API_SORTS:
            known = "" if parsed else f" (the list knows {', '.join(SORTS)})"
            return f"sort must be one of {', '.join(API_SORTS)}{known}."
        if pattern and not re.fullmatch(pattern, value.strip()):
            return f"{value[:100]!r} is not a valid value of {name!r} (it matches {pattern})."
        if isinstance(parsed, date) and value.strip() != parsed.isoformat():
            return f"{value[:100]!r} is not a date of {name!r}: write YYYY-MM-DD."
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
        return value in FLAG_OFF
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

# Longer closed sets are described by a pattern of their values.
MAX_ENUM = 30
# Where a client finds the values of an open set.
FACET_VALUES = (
    "Open set: GET /api/v1/facets/ lists the values found (facets[].values[].value, with "
    "counts), for the same filters."
)


def schema_parameters(filterset_class: type[ItemFilterSet] = ApiItemFilterSet) -> list[dict]:
    """One OpenAPI query parameter per filter the API accepts, read from its declaration:
    facets and multiple constraints are repeatable, closed sets are enums (the registry
    entry's or the filter's ``choices``), patterns and dates say what they accept, open
    sets where their values are listed."""
    return [
        _parameter(name, filter_)
        for name, filter_ in filterset_class.base_filters.items()
        if name not in REFUSED
    ]


def _values_schema(choices: tuple[str, ...], pattern: str) -> dict[str, Any]:
    """A value's schema; "" (an empty form field, ignored) is valid everywhere."""
    schema: dict[str, Any] = {"type": "string"}
    if len(choices) > MAX_ENUM:
        # The decision years: their alternatives as a pattern (an enum of 113 would be
        # tried value by value by a schema-driven tester, and read by no one).
        schema["pattern"] = optional("^(?:" + "|".join(map(re.escape, choices)) + ")$")
    elif choices:
        schema["enum"] = [*choices, ""]
    elif pattern:
        schema["pattern"] = optional(pattern)
    return schema


def optional(pattern: str) -> str:
    """An anchored regex that also matches ""."""
    return f"^(?:{pattern.removeprefix('^').removesuffix('$')})?$"


def _parameter(name: str, filter_: Any) -> dict[str, Any]:
    entry = getattr(filter_, "entry", None)
    choices = tuple(getattr(entry, "choices", ()) or getattr(filter_, "choices", ()))
    schema = _values_schema(choices, getattr(entry, "pattern", ""))
    repeatable = False
    if isinstance(entry, Facet):
        repeatable = True
        description = f"Facet {entry.label!r}."
        if not choices and not getattr(entry, "pattern", ""):
            description += " " + FACET_VALUES
        if name == "subcategory":
            description += " A subcategory of a category: with category, both must hold."
    elif isinstance(entry, Constraint):
        repeatable = entry.multiple
        description = name.replace("_", " ").capitalize() + "."
        if isinstance(entry.parse("2000-01-01"), date):
            schema = {
                "anyOf": [
                    {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                    {"type": "string", "enum": [""]},
                ]
            }
            description += f" A date, YYYY-MM-DD, in {YEARS[0]}-{YEARS[-1]}."
        elif isinstance(entry.default, bool):
            description += f" {entry.choices[0]} (or another of the enum) for yes."
    elif name == "q":
        description = 'Search text, websearch syntax: "exact phrase", OR, -exclude.'
    elif name == "scope":
        description = (
            f"What q is matched against (default {choices[0]}); without q it means nothing."
        )
    elif name == "sort":
        schema["enum"] = [s for s in choices if s in API_SORTS] + [""]
        description = f"{API_SORTS[0]} (default) or {API_SORTS[1]}: the cursor's order."
    elif name == "count":
        description = "What the facet counts and analytics count (default items)."
    else:
        description = str(filter_.label or name)
    if schema.get("enum") and name != "sort":
        description += " Case is folded."
    if repeatable:
        description += f" Repeatable (at most {MAX_VALUES}), values OR-ed."
        schema = {"type": "array", "items": schema, "maxItems": MAX_VALUES}
    description += " An empty value is ignored (an empty form field)."
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
