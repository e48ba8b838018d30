"""Keyset ("cursor") pagination in the list's own orders, stable under inserts.

A cursor is the sort key of the last row sent (decision date, letter id and, for items,
the item's order in its letter), so the next page starts after that row whatever was
inserted meanwhile. It is written as numbers, "736815.412.2" (the date's proleptic
ordinal, "-" for none): every value matching ``KeysetPagination.cursor_pattern`` (the
schema's pattern) is a position to start after, so the API refuses exactly what the
schema calls invalid. Rows are never repeated or skipped, and a letter ingested while a
client pages appears in its place (before the cursor: not sent; after it: sent). DRF's
own CursorPagination keys on one column with an offset for ties, which shifts when rows
with the same decision date arrive.

Each page is read in at most two index-ordered statements (item_newest / item_oldest,
det_newest / det_decision_date): dated rows after the cursor, then, when the page is not
full, the undated rows that the list sorts last.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Q
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.filtering import BadParameter, optional

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class KeysetPagination(BasePagination):
    """``keys``: the tie-breaking columns after decision_date, e.g. ("determination_id",
    "order") for items (ascending "order" within a letter either way)."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    own_params = ("cursor", "page_size", "format")

    keys: tuple[str, ...] = ("id",)
    next_position: list[Any] | None = None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any]:
        self.request = request
        size = self._page_size(request)
        oldest = request.query_params.get("sort", "").strip().lower() == "oldest"
        position = self._decode(request.query_params.get(self.cursor_query_param))
        rows: list[Any] = []
        for segment in self._segments(queryset, position, oldest):
            rows.extend(segment[: size + 1 - len(rows)])
            if len(rows) > size:
                break
        more = len(rows) > size
        rows = rows[:size]
        self.next_position = self._position(rows[-1]) if more and rows else None
        return rows

    @property
    def cursor_pattern(self) -> str:
        """A cursor: a date's ordinal (or "-"), then one number per key, "."-separated."""
        return rf"^(?:[1-9][0-9]{{0,5}}|-)(?:\.[0-9]{{1,12}}){{{len(self.keys)}}}$"

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self) -> str | None:
        if self.next_position is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, _encode(self.next_position))

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor of the previous page's "
                "'next' link.",
                "schema": {"type": "string", "pattern": optional(self.cursor_pattern)},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1-{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    # --- internals --------------------------------------------------------------------

    def _page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise BadParameter("page_size", f"page_size must be 1-{MAX_PAGE_SIZE}.")
        return int(raw)

    def _position(self, row: Any) -> list[Any]:
        day = row.decision_date
        return [day, *(getattr(row, k) for k in self.keys)]

    def _decode(self, raw: str | None) -> list[Any] | None:
        if not raw:
            return None
        if not re.fullmatch(self.cursor_pattern, raw):
            raise BadParameter("cursor", "Not a cursor of this endpoint.")
        day, *ties = raw.split(".")
        return [None if day == "-" else date.fromordinal(int(day)), *map(int, ties)]

    def _segments(self, qs: Any, position: list[Any] | None, oldest: bool) -> list[Any]:
        """Querysets in page order: the dated rows, then the undated ones (last in either
        order, as on the list), each starting after ``position``."""
        first = "decision_date" if oldest else "-decision_date"
        # The last key ("order" of items) ascends in both orders, as on the list.
        order = [k if oldest or k == "order" else f"-{k}" for k in self.keys]
        dated = qs.filter(decision_date__isnull=False).order_by(first, *order)
        undated = qs.filter(decision_date__isnull=True).order_by(*order)
        if position is None:
            return [dated, undated]
        day, *ties = position
        after_ties = _after(self.keys, ties, oldest)
        if day is None:
            return [undated.filter(after_ties)]
        bound = {"decision_date__gte" if oldest else "decision_date__lte": day}
        beyond = Q(decision_date__gt=day) if oldest else Q(decision_date__lt=day)
        return [dated.filter(**bound).filter(beyond | Q(decision_date=day) & after_ties), undated]


def _after(keys: tuple[str, ...], values: list[int], oldest: bool) -> Q:
    """Rows after ``values`` in the tie-breaking keys (same decision date)."""
    condition = Q(pk__in=[])
    equal: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=True):
        ascending = oldest or key == "order"
        condition |= Q(**equal, **{f"{key}__{'gt' if ascending else 'lt'}": value})
        equal[key] = value
    return condition


def _encode(position: list[Any]) -> str:
    day, *ties = position
    return ".".join([str(day.toordinal()) if day else "-", *map(str, ties)])


class ItemPagination(KeysetPagination):
    keys = ("determination_id", "order")


class LetterPagination(KeysetPagination):
    keys = ("id",)
