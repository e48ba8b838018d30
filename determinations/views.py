"""Pages of the analyst-facing search. Every view reads the same ``ItemFilterSet`` from the
URL and asks the querysets; none filters or counts in Python."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from audit.events import record, recorded_export
from audit.models import Action
from determinations import exports
from determinations.choices import ReviewStatus
from determinations.downloads import attachment
from determinations.facets import FACETS, FACETS_BY_PARAM
from determinations.filters import COUNTS, ItemFilters, ItemFilterSet, facet_panels
from determinations.models import Determination, DisputedItem
from determinations.querysets import MAX_PAGE, RANK_LIMIT, result_page
from determinations.search import PreparedSearch, SearchScope, typed_letter

PER_PAGE = 25


@require_GET
def determination_list(request: HttpRequest) -> HttpResponse:
    filterset = ItemFilterSet(request.GET)
    filters, search = filterset.state, filterset.search
    if any(v == "" for values in request.GET.lists() for v in values[1]):
        # A plain form submission sends every empty field; keep URLs short and shareable.
        query = filters.query_string()
        return redirect(f"{reverse('determinations:list')}{'?' + query if query else ''}")
    typed = typed_letter(filters.q)
    if typed is not None:
        # A case number or letter id typed in the search box opens that letter; an unknown
        # case number is looked up as the case filter would (which says it is missing).
        kind, value = typed
        if kind == "id":
            if Determination.objects.filter(pk=int(value)).exists():
                return redirect("determinations:detail", pk=int(value))
        else:
            query = filters.replace(q="", case=value).query_string()
            return redirect(f"{reverse('determinations:list')}?{query}")
    case_missing = False
    if filters.case:
        letter = Determination.objects.by_case_number(filters.case).first()
        if letter is not None:
            return redirect(letter)
        case_missing = True
    counts = filterset.counts()
    page = result_page(filterset.qs, filters, search, counts.total, PER_PAGE)
    context = {
        "filters": filters,
        "search": search,
        "counts": counts,
        "page": page,
        "panels": facet_panels(filters, counts),
        "summary": filters.summary(counts.total, approximate=counts.total_estimated),
        "active": filters.active(),
        # Empty page: each constraint with what removing it would give, where known.
        "relax": [
            (label, rest, counts.without.get(kind) if _single(filters, kind) else None)
            for kind, label, rest in filters.active()
        ]
        if not counts.total
        else [],
        # ...those counts that are estimated from the sample ("about 1,200").
        "relax_estimated": [
            label for kind, label, _ in filters.active() if f"~{kind}" in counts.estimated
        ],
        "case_missing": case_missing,
        "scope_options": SearchScope.choices,
        "wider_scopes": wider_scopes(filters, search, counts.total),
        "count_modes": COUNTS.items(),
        "rank_limit": RANK_LIMIT,
        "max_page": MAX_PAGE,
        "page_query": filters.replace(page=1).query_string(),
        "statuses": ReviewStatus.choices,
        # Detail links carry the list state (with the order actually used) for prev/next.
        "detail_query": filters.replace(sort=page.sort, page=1).query_string(),
    }
    template = "determinations/list.html"
    partial = request.headers.get("X-Partial") == "results"
    response = render(request, template + "#results" if partial else template, context)
    # The same URL answers with the whole page or, for the script, only the results: the
    # browser must never show a cached fragment as the page (the back button would).
    patch_vary_headers(response, ["X-Partial"])
    if partial:
        response["Cache-Control"] = "no-store"
    return response


# A search whose scope finds fewer than this is shown with the wider scopes' counts: "functional
# improvement" is rationale language, not a request.
FEW_RESULTS = 10


def wider_scopes(
    filters: ItemFilters, search: PreparedSearch, total: int
) -> list[tuple[str, str, str, int, bool]]:
    """When a search finds few in its scope: (query string, label, sentence with its count,
    count, estimated) of each wider scope (DisputedItemQuerySet.scope_totals: two statements)."""
    if search.query is None or total >= FEW_RESULTS:
        return []
    totals = DisputedItem.objects.scope_totals(filters, search, search.scope.wider())
    out = []
    for scope, (count, estimated) in totals.items():
        query = filters.replace(scope=scope.value).query_string()
        text = f"{'about ' if estimated else ''}{count:,} {filters.scope_phrase(count, scope)}"
        out.append((query, scope.label, text, count, estimated))
    return out


def _single(filters: ItemFilters, kind: str) -> bool:
    return kind in FACETS_BY_PARAM and len(filters.selected(kind)) == 1


@require_GET
def determination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filterset = ItemFilterSet(request.GET)
    filters, search = filterset.state, filterset.search
    items = DisputedItem.objects.order_by("order").highlighted(search)
    letters = Determination.objects.for_detail(items).highlighted(search)
    letter = get_object_or_404(letters, pk=pk)
    position = request.GET.get("pos", "")
    previous = following = None
    if position.isdigit() and len(position) < 7 and filters.as_params():
        previous, following = filterset.qs.neighbours(filters, search, int(position), letter.pk)
    list_query = filters.query_string()
    # "Back to results" returns to the list's page that shows this letter: the page of its
    # position in the results (prev/next keep the position current), else the page asked.
    page = filters.page
    if position.isdigit() and len(position) < 7:
        page = min(int(position) // PER_PAGE + 1, MAX_PAGE)
    back_query = filters.replace(page=page).query_string()
    return render(
        request,
        "determinations/detail.html",
        {
            "letter": letter,
            "items": list(letter.items.all()),
            "filters": filters,
            "search": search,
            "list_query": list_query,
            "back_query": back_query,
            "previous": previous,
            "following": following,
            "facets": {f.param: f for f in FACETS},
        },
    )


@require_GET
def determination_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original letter as uploaded, as a download. Login-protected like every page;
    uploaded files are never served any other way."""
    letter = get_object_or_404(
        Determination.objects.only("source_file", "original_filename"), pk=pk
    )
    if not letter.source_file:
        raise Http404("No original file is stored for this letter.")
    name = letter.original_filename or PurePosixPath(letter.source_file.name).name
    try:
        response = attachment(letter.source_file, name)
    except FileNotFoundError as exc:
        raise Http404("The original file is missing from storage.") from exc
    record(Action.DOWNLOAD, request=request, target=f"letter #{letter.pk} ({name})")
    return response


@require_GET
def determination_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of exactly the list's filtered set (see determinations.exports for the format):
    a row per item, or in "letters" mode a row per letter the page counts (its letter
    ids). Ordered newest first, or oldest first when the list is: relevance is not
    computed for exports. The first line says what produced the file."""
    filterset = ItemFilterSet(request.GET)
    filters, search = filterset.state, filterset.search
    order = "oldest" if filters.sort == "oldest" else "newest"
    items = filterset.qs.ordered(order, search)
    letters = filters.count == "letters"
    cap = exports.max_rows()
    link_prefix = request.build_absolute_uri(reverse("determinations:detail", args=[0]))
    link_prefix = link_prefix.removesuffix("0/")
    filename = f"imr-{filters.slug()}-{date.today():%Y-%m-%d}.csv"
    export = exports.CsvExport(
        items,
        link_prefix,
        cap,
        table=exports.LETTERS if letters else exports.ITEMS,
        counted=filterset.qs.letter_ids(order, search) if letters else items,
        filters=filters,
        order=order,
    )
    return StreamingHttpResponse(
        # Recorded in the audit log (who, filters, rows sent) when the stream ends.
        recorded_export(export, request, filters.query_string()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
