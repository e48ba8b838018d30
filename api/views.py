"""The read-only JSON API under /api/v1/: items, letters, facets, analytics, similar.

Every endpoint reads the list page's parameters through the list's one filter definition,
``ItemFilterSet`` (made strict by ``api.filtering``), and answers with the same rows,
counts and rates as the list, sidebar and analytics page for the same query. Every
call, refused ones included, is recorded in the audit log (``Audited``).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.filtering import (
    ApiItemFilterSet,
    ApiLetterFilterSet,
    BadParameter,
    ItemFilterBackend,
    api_filterset,
    schema_parameters,
)
from api.pagination import ItemPagination, KeysetPagination, LetterPagination
from api.schema import similar_parameters
from audit.events import record
from audit.models import Action
from determinations import analytics
from determinations.filters import ItemFilters, facet_panels
from determinations.models import Determination, DisputedItem
from determinations.search import PreparedSearch
from determinations.templatetags.determinations_tags import query_with
from similar import request as similar_request
from similar.estimate import MIN_N, Count, Estimate
from similar.results import Found, find, searchable


def _parameters(described: list[dict[str, Any]]) -> list[OpenApiParameter]:
    """OpenAPI parameter objects (``schema_parameters``, ``similar_parameters``) as
    drf-spectacular's, their schemas as they are."""
    return [
        OpenApiParameter(
            p["name"],
            p["schema"],
            description=p["description"],
            required=p["required"],
            style=p.get("style"),
            explode=p.get("explode"),
        )
        for p in described
    ]


def _filter_parameters() -> list[OpenApiParameter]:
    """The filterset's parameters (as the filter backend describes them) for an APIView."""
    return _parameters(schema_parameters())


class Audited:
    """Records each call: who (user, token), the path, the filters, rows sent, status."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        request._api_started = time.monotonic()
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        started = getattr(request, "_api_started", None)
        data = getattr(response, "data", None)
        rows = None
        if response.status_code == 200 and isinstance(data, dict):
            rows = len(data["results"]) if "results" in data else None
        token = getattr(request, "auth", None)
        user = getattr(request, "user", None)
        record(
            Action.API,
            request=request._request,
            user=user if user is not None and user.is_authenticated else None,
            target=request.path[:300],
            filters=request._request.META.get("QUERY_STRING", ""),
            rows=rows,
            status=response.status_code,
            token=getattr(token, "pk", None),
            ms=round((time.monotonic() - started) * 1000) if started else None,
        )
        return response


class ItemList(Audited, generics.ListAPIView):
    """Disputed items matching the list page's parameters, with their letters' fields,
    newest decided first (or ``sort=oldest``), a page at a time (follow ``next``)."""

    serializer_class = serializers.ItemSerializer
    filter_backends = [ItemFilterBackend]
    filterset_class = ApiItemFilterSet
    pagination_class = ItemPagination
    own_params = KeysetPagination.own_params

    def get_queryset(self) -> Any:
        # Only what the serializer shows: the item row's search vector and the letter's
        # texts are the bulk of both rows (TOASTed kilobytes each).
        letter = serializers.LetterFieldsSerializer.Meta.fields
        return DisputedItem.objects.select_related("determination").only(
            *(f for f in serializers.ItemSerializer.Meta.fields if f != "letter"),
            "determination_id",
            "decision_date",
            *(f"determination__{f}" for f in letter if f != "page"),
        )


class LetterList(Audited, generics.ListAPIView):
    """Letters having an item matching the list page's parameters (the list's "letters"
    mode), each with all its items and their citations."""

    serializer_class = serializers.LetterSerializer
    filter_backends = [ItemFilterBackend]
    filterset_class = ApiLetterFilterSet
    pagination_class = LetterPagination
    own_params = KeysetPagination.own_params

    def get_queryset(self) -> Any:
        items = (
            DisputedItem.objects.order_by("order")
            .defer(
                "search_vector",
                "request_vector",
                "heading",
                "original_request",
                "authorized_portion",
            )
            .prefetch_related("citations")
        )
        return (
            Determination.objects.select_related("reviewer")
            .defer("full_text", "issues_text", "case_summary", "how_made", "parse_warnings")
            .prefetch_related("reviewer__specialties", Prefetch("items", queryset=items))
        )


class Facets(Audited, APIView):
    """The sidebar of the list page for the same parameters: the total and each facet's
    values with count and overturn rate (estimated ones flagged, as the list marks them
    with "≈")."""

    own_params = ("format",)

    @extend_schema(
        parameters=_filter_parameters(),
        responses=serializers.FacetsSerializer,
    )
    def get(self, request: Request) -> Response:
        filterset = api_filterset(request, self.own_params)
        filters, counts = filterset.state, filterset.counts()
        facets = [
            {
                "param": panel.facet.param,
                "label": panel.facet.label,
                "values": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "count": o.count,
                        "overturn_rate": o.overturn_rate,
                        "selected": o.selected,
                        "estimated": o.estimated,
                        "depth": o.depth,
                    }
                    for o in panel.shown + panel.more
                ],
            }
            for panel in facet_panels(filters, counts)
        ]
        return Response(
            {
                "count": filters.count,
                "total": counts.total,
                "overturned": counts.overturned,
                "overturn_rate": counts.overturn_rate,
                "total_estimated": counts.total_estimated,
                "sample_rate": counts.sample_rate,
                "facets": facets,
            }
        )


class Analytics(Audited, APIView):
    """The analytics page's numbers: the overturn rate with its 95% Wilson interval, the
    all-letters rate, a breakdown by one dimension (``by``) against the all-letters rate
    of each value, and the monthly trend."""

    own_params = ("format", "by", "order")

    @extend_schema(
        parameters=[
            *_filter_parameters(),
            OpenApiParameter("by", str, enum=list(analytics.DIMENSIONS), description="Dimension"),
            OpenApiParameter("order", str, enum=list(analytics.ORDERS), description="Row order"),
        ],
        responses=serializers.AnalyticsSerializer,
    )
    def get(self, request: Request) -> Response:
        filterset = api_filterset(request, self.own_params)
        filters, search = filterset.state, filterset.search
        by = request.query_params.get("by", "category")
        if by not in analytics.DIMENSIONS:
            raise BadParameter("by", f"by must be one of {', '.join(analytics.DIMENSIONS)}.")
        order = request.query_params.get("order", "volume")
        if order not in analytics.ORDERS:
            raise BadParameter("order", f"order must be one of {', '.join(analytics.ORDERS)}.")
        everything = analytics.overall(ItemFilters(count=filters.count), PreparedSearch("", None))
        return Response(
            {
                "count": filters.count,
                "by": by,
                "overall": serializers.rate_data(analytics.overall(filters, search)),
                "all_letters": serializers.rate_data(everything),
                "breakdown": [
                    {
                        "value": row.value,
                        "label": row.label,
                        "rate": serializers.rate_data(row.rate),
                        "baseline": serializers.rate_data(row.baseline) if row.baseline else None,
                    }
                    for row in analytics.breakdown(by, filters, search, order)
                ],
                "trend": [
                    {"month": f"{m.month:%Y-%m}", "rate": serializers.rate_data(m.rate)}
                    for m in analytics.trend(filters, search)
                ],
            }
        )


class Similar(Audited, APIView):
    """The "Find similar decisions" page as JSON: the same parameters (the requested
    treatment as text, the optional fields, ``corrected=1`` for the user's corrections),
    read by the page's parse, answered by the page's search (similar.results.find):
    what was understood, the matched set's estimate and the ten most similar decisions.
    Where the page forgives a value it cannot use, this answers 400 naming it."""

    own_params = ("format",)

    @extend_schema(
        parameters=_parameters(similar_parameters()),
        responses=serializers.SimilarSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params.copy()
        for name in self.own_params:
            params.pop(name, None)
        bad = similar_request.refused(params)
        subcategory, category = params.get("subcategory", ""), params.get("category", "")
        if not bad and subcategory.strip() and not category.strip():
            # The page would read the category from the text: the API asks for it, so a
            # subcategory's meaning never depends on how the text was understood.
            bad = ("subcategory", "Give the subcategory's category too.")
        if bad:
            raise BadParameter(*bad)
        wanted = similar_request.SimilarRequest.from_query(params)
        if not searchable(wanted):
            raise BadParameter(
                "text", "Give the requested treatment as text, or a drug, category or region."
            )
        return Response(_similar_data(find(wanted), request))


def _similar_data(found: Found, request: Request) -> dict[str, Any]:
    """The page's content (templates/similar/find.html) as data, its links absolute."""
    list_query = found.match.filters.query_string()

    def url(name: str, query: str = "", **kwargs: Any) -> str:
        return request.build_absolute_uri(
            reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")
        )

    wanted = found.request
    return {
        "request": {
            **{
                f: getattr(wanted, f) for f in serializers.SimilarRequestSerializer._declared_fields
            },
            "ingredients": list(wanted.ingredients),
        },
        "matched_on": list(found.match.basis),
        "by_text": found.match.by_text,
        "region_ranks": found.match.region_ranks,
        "page": url("similar:find", wanted.query_string()),
        "list": url("determinations:list", list_query),
        "export": url("determinations:export", list_query),
        "estimate": _estimate_data(found.estimate, list_query, url),
        "results": [
            {
                "id": item.pk,
                "letter": item.determination_id,
                "case_number": item.determination.case_number,
                "page": request.build_absolute_uri(
                    f"{item.determination.get_absolute_url()}#item-{item.order}"
                ),
                **{
                    f: getattr(item, f)
                    for f in (
                        "treatment",
                        "outcome",
                        "decision_date",
                        "specialties",
                        "category",
                        "subcategory",
                        "ingredients",
                        "body_region",
                        "quantity",
                        "visits",
                        "guideline_sections",
                        "reason_tags",
                    )
                },
                "carried": [s.text for s in sentences if s.carried],
                "sentences": [{"text": s.text, "carried": s.carried} for s in sentences],
            }
            for item, sentences, _ in found.results
        ],
    }


def _rate(n: int, overturned: int, withheld: bool) -> dict[str, Any]:
    rate = analytics.Rate(n, overturned)
    low, high = rate.interval
    return {
        "n": n,
        "overturned": None if withheld else overturned,
        "rate": None if withheld else rate.rate,
        "ci_low": None if withheld else low,
        "ci_high": None if withheld else high,
        "withheld": withheld,
    }


def _count(count: Count) -> dict[str, Any]:
    return {
        **_rate(count.rate.n, count.rate.overturned, count.withheld),
        "total": count.total,
        "estimated": count.estimated,
        "withheld_reason": count.withheld_reason if count.withheld else None,
    }


def _estimate_data(estimate: Estimate, list_query: str, url: Any) -> dict[str, Any]:
    kind = estimate.subcategory
    return {
        "matched": _count(estimate.matched),
        "subcategory": {
            **_count(kind),
            "label": estimate.subcategory_label,
            "list": url("determinations:list", urlencode(estimate.subcategory_params)),
        }
        if kind is not None
        else None,
        "all_letters": _count(estimate.everything),
        "quarters": [
            {
                "quarter": q.label,
                "start": q.start,
                "end": q.end,
                **_rate(q.rate.n, q.rate.overturned, q.rate.n < MIN_N),
                "list": url(
                    "determinations:list",
                    query_with(
                        list_query, decided_from=q.start.isoformat(), decided_to=q.end.isoformat()
                    ),
                ),
            }
            for q in estimate.quarters
        ],
        **{
            f"{outcome}_reasons": [
                {
                    "tag": r.tag,
                    "label": r.label,
                    "count": r.count,
                    "list": url(
                        "determinations:list", query_with(list_query, outcome=outcome, reason=r.tag)
                    ),
                }
                for r in getattr(estimate, f"{outcome}_reasons")
            ]
            for outcome in ("upheld", "overturned")
        },
        "min_n": MIN_N,
        "disclaimer": estimate.disclaimer,
    }
