"""The analytics page, its CSV downloads, and the guideline section pages.

Every view reads the list's filters from the URL (``ItemFilterSet``), plus its own ``by``,
``order`` and ``vs`` parameters, and links back to the list with the same filters,
narrowed to what was clicked.
"""

from __future__ import annotations

import csv
from io import StringIO
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from determinations import analytics, charts
from determinations.facets import FACETS_BY_PARAM
from determinations.filters import ItemFilters, ItemFilterSet
from determinations.models import DisputedItem
from determinations.search import PreparedSearch
from ingest.normalize.guidelines import document_of, section_label

DEFAULT_DIMENSION = "category"
# Decisions listed on a guideline section's page (the list has them all).
SECTION_ITEMS = 50

# Parameters of the analytics page that are not filters, kept out of the list's links.
ANALYTICS_PARAMS = ("by", "order", "vs", "chart")


def _read(request: HttpRequest) -> tuple[ItemFilters, PreparedSearch]:
    filterset = ItemFilterSet(request.GET)
    return filterset.state.replace(page=1), filterset.search


def _options(request: HttpRequest) -> tuple[str, str, int]:
    by = request.GET.get("by", "")
    by = by if by in analytics.DIMENSIONS else DEFAULT_DIMENSION
    order = request.GET.get("order", "")
    order = order if order in analytics.ORDERS else "volume"
    vs = request.GET.get("vs", "")
    return by, order, int(vs) if vs.isdigit() and len(vs) < 3 else 0


def list_url(filters: ItemFilters) -> str:
    query = filters.query_string()
    return reverse("determinations:list") + (f"?{query}" if query else "")


def analytics_url(filters: ItemFilters, **extra: str) -> str:
    params = filters.as_params() + [(k, v) for k, v in extra.items() if v]
    return reverse("determinations:analytics") + (f"?{urlencode(params)}" if params else "")


def narrowed(filters: ItemFilters, param: str, value: str) -> ItemFilters:
    """The filters with ``value`` of ``param`` as that facet's only choice."""
    return filters.replace(**{param: (value,)})


def _comparisons(filters: ItemFilters) -> list[tuple[str, ItemFilters]]:
    choices = analytics.comparison_choices(filters)
    if filters.drug:
        classes = analytics.drug_classes(filters.drug)
        if classes:
            label = " or ".join(classes)
            its_class = filters.replace(drug=(), drug_class=classes)
            choices.insert(1, (f"its class ({label})", its_class))
    return choices


def _month_filters(filters: ItemFilters, month: analytics.Month) -> ItemFilters:
    start, end = analytics.month_range(month.month)
    return filters.replace(decided_from=start, decided_to=end)


@require_GET
def determination_analytics(request: HttpRequest) -> HttpResponse:
    filters, search = _read(request)
    by, order, vs = _options(request)
    total = analytics.overall(filters, search)
    everything = analytics.overall(ItemFilters(count=filters.count), PreparedSearch("", None))
    broken_down = analytics.breakdown_with_coverage(by, filters, search, order)
    rows = broken_down.rows
    monthly = analytics.monthly(filters, search)
    months = monthly.months
    choices = _comparisons(filters)
    vs = min(vs, len(choices) - 1)
    comparison = analytics.compare(filters, search, choices[vs][1], choices[vs][0], by)
    dimension = FACETS_BY_PARAM[by].label
    noun = "letters" if filters.count == "letters" else "decisions"
    bars = [
        charts.Bar(
            row.label,
            row.rate.n,
            row.rate.rate if row.rate.shown else None,
            *row.rate.interval,
            list_url(narrowed(filters, by, row.value)),
        )
        for row in rows
    ]
    points = [
        charts.Point(
            m.label,
            m.rate.n,
            m.rate.rate if m.rate.shown else None,
            list_url(_month_filters(filters, m)),
        )
        for m in months
    ]
    summary = filters.summary(total.n)
    context = {
        "filters": filters,
        "search": search,
        "summary": summary,
        "total": total,
        "everything": everything,
        "min_count": analytics.MIN_COUNT,
        "by": by,
        "order": order,
        "vs": vs,
        "dimension": dimension,
        "dimensions": [(d, FACETS_BY_PARAM[d].label) for d in analytics.DIMENSIONS],
        "orders": analytics.ORDERS.items(),
        "rows": [(row, list_url(narrowed(filters, by, row.value))) for row in rows],
        "months": [(m, list_url(_month_filters(filters, m))) for m in months],
        "bar_chart": charts.rate_bars(
            "chart-breakdown",
            f"Overturn rate by {dimension.lower()}",
            f"{summary}. Overturn rate of each {dimension.lower()} with its 95% Wilson "
            f"interval; the dashed line is the rate over all letters. Rates of fewer than "
            f"{analytics.MIN_COUNT} {noun} are not shown. {broken_down.coverage.sentence}",
            bars,
            everything.rate,
        ),
        "trend_chart": charts.trend_chart(
            "chart-trend",
            "Decisions and overturn rate by month",
            f"{summary}. Columns: {noun} per decision month; line: overturn rate. "
            f"{monthly.coverage.sentence}",
            points,
        ),
        "comparison": comparison,
        # What each chart and table leaves out, and why (analytics.Coverage).
        "breakdown_coverage": broken_down.coverage,
        "trend_coverage": monthly.coverage,
        "choices": [(i, label) for i, (label, _f) in enumerate(choices)],
        "list_url": list_url(filters),
        "compare_list_url": list_url(comparison.filters_b),
        "csv_query": urlencode([*filters.as_params(), ("by", by), ("order", order), ("vs", vs)]),
        "noun": noun,
    }
    return render(request, "determinations/analytics.html", context)


@require_GET
def analytics_csv(request: HttpRequest) -> HttpResponse:
    """The data of one chart of the analytics page: ``chart`` = breakdown | trend | compare."""
    filters, search = _read(request)
    by, order, vs = _options(request)
    chart = request.GET.get("chart", "breakdown")
    out = StringIO()
    writer = csv.writer(out)
    if chart == "trend":
        writer.writerow(["month", "decisions", "overturned", "overturn_rate", "ci_low", "ci_high"])
        monthly = analytics.monthly(filters, search)
        for m in monthly.months:
            writer.writerow([f"{m.month:%Y-%m}", m.rate.n, m.rate.overturned, *_rate_cells(m.rate)])
        if monthly.undated.n:  # what the chart leaves out (analytics.Coverage), as data
            u = monthly.undated
            writer.writerow(["undated", u.n, u.overturned, *_rate_cells(u)])
    elif chart == "compare":
        choices = _comparisons(filters)
        label, other = choices[min(vs, len(choices) - 1)]
        comparison = analytics.compare(filters, search, other, label, by)
        writer.writerow(
            [by, "a_decisions", "a_overturned", "a_rate", "b_decisions", "b_overturned", "b_rate"]
        )
        a, b = comparison.a, comparison.b
        writer.writerow(["(all)", a.n, a.overturned, _rate(a), b.n, b.overturned, _rate(b)])
        for _value, value_label, a, b in comparison.rows:
            writer.writerow([value_label, a.n, a.overturned, _rate(a), b.n, b.overturned, _rate(b)])
    else:
        chart = "breakdown"
        header = [by, "value", "decisions", "overturned", "overturn_rate", "ci_low", "ci_high"]
        writer.writerow([*header, "all_letters_rate", "difference_pts"])
        for row in analytics.breakdown(by, filters, search, order, limit=1000):
            diff = row.difference
            baseline = _rate(row.baseline) if row.baseline else ""
            difference = "" if diff is None or not row.rate.shown else f"{diff:.1f}"
            cells = [row.label, row.value, row.rate.n, row.rate.overturned]
            writer.writerow([*cells, *_rate_cells(row.rate), baseline, difference])
    name = f"imr-analytics-{chart}-{by if chart != 'trend' else 'month'}-{filters.slug()}.csv"
    return HttpResponse(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _rate(rate: analytics.Rate) -> str:
    return "" if rate.rate is None or not rate.shown else f"{rate.rate:.4f}"


def _rate_cells(rate: analytics.Rate) -> list[str]:
    if rate.rate is None or not rate.shown:
        return ["", "", ""]
    low, high = rate.interval
    return [f"{rate.rate:.4f}", f"{low:.4f}", f"{high:.4f}"]


@require_GET
def guideline_index(request: HttpRequest) -> HttpResponse:
    """Every canonical guideline section the reviewers cited, grouped by document, with
    decisions and overturn rate (under the current filters)."""
    filters, search = _read(request)
    counts, coverage = analytics.counts_with_coverage(
        "section", filters.replace(section=()), search, "Decisions"
    )
    documents: dict[str, list[tuple[str, str, analytics.Rate]]] = {}
    for key, rate in sorted(counts.items(), key=lambda kv: (-kv[1].n, kv[0])):
        documents.setdefault(document_of(key), []).append((key, section_label(key), rate))
    groups = sorted(documents.items(), key=lambda kv: -sum(r.n for _k, _l, r in kv[1]))
    query = filters.replace(section=()).query_string()
    return render(
        request,
        "determinations/guidelines.html",
        {
            "filters": filters,
            "groups": [(section_label(doc), rows) for doc, rows in groups],
            "query": query,
            "min_count": analytics.MIN_COUNT,
            "coverage": coverage,
        },
    )


@require_GET
def guideline_section(request: HttpRequest, key: str) -> HttpResponse:
    """One canonical section: its decisions and overturn rate, why they were upheld or
    overturned, and links to the list and the analytics page narrowed to it."""
    filters, search = _read(request)
    key = key.strip("/")
    if not key or len(key) > 300 or "|" not in key:
        raise Http404("No such guideline section.")
    here = filters.replace(section=(key,))
    total = analytics.overall(here, search)
    if not total.n and not DisputedItem.objects.filter(guideline_sections__contains=[key]).exists():
        raise Http404("No decision cites this guideline section.")
    reasons = analytics.breakdown("reason", here, search, limit=12)
    items = (
        DisputedItem.objects.filtered(here, search)
        .with_letter()
        .ordered("newest", search)[:SECTION_ITEMS]
    )
    return render(
        request,
        "determinations/guideline_section.html",
        {
            "key": key,
            "label": section_label(key),
            "filters": filters,
            "total": total,
            "reasons": [(row, list_url(narrowed(here, "reason", row.value))) for row in reasons],
            "items": list(items),
            "shown": SECTION_ITEMS,
            "list_url": list_url(here),
            "analytics_url": analytics_url(here),
            "index_query": filters.replace(section=()).query_string(),
            "detail_query": here.replace(sort="newest").query_string(),
            "min_count": analytics.MIN_COUNT,
        },
    )
