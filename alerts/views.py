"""My searches: save a list or analytics page, see each search's live numbers, set its
alert, open it, delete it; and the signed unsubscribe link of the digests."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alerts.digest import read_unsubscribe_token
from alerts.models import Frequency, Kind, SavedSearch, canonical_state
from determinations import analytics
from determinations.filters import ItemFilterSet
from determinations.models import Determination

# Options of the analytics page kept with a saved analytics search (not filters).
ANALYTICS_OPTIONS = ("by", "order")


@dataclass(frozen=True, slots=True)
class SearchRow:
    search: SavedSearch
    summary: str
    rate: analytics.Rate
    new_letters: int


@require_GET
def saved_searches(request: HttpRequest) -> HttpResponse:
    rows = []
    for search in SavedSearch.objects.filter(user=request.user):
        filterset = search.filterset()
        rate = analytics.overall(filterset.state, filterset.search)
        new = Determination.objects.with_items_in(filterset.qs)
        new = new.filter(created_at__gt=search.last_opened_at)
        rows.append(SearchRow(search, filterset.state.summary(rate.n), rate, new.count()))
    return render(
        request,
        "alerts/searches.html",
        {"rows": rows, "frequencies": Frequency.choices},
    )


@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    """Save the page the form was on. ``state`` is re-read through ItemFilterSet, so what
    is stored is the list's canonical state whatever the form sent."""
    state = canonical_state(request.POST.get("state", ""))
    kind = Kind.ANALYTICS if request.POST.get("kind") == Kind.ANALYTICS else Kind.LIST
    options = ""
    if kind == Kind.ANALYTICS:
        options = urlencode(
            [(k, request.POST[k]) for k in ANALYTICS_OPTIONS if request.POST.get(k)]
        )
    name = " ".join(request.POST.get("name", "").split())[:120]
    name = name or ItemFilterSet(QueryDict(state)).state.summary()
    now = timezone.now()
    search = SavedSearch.objects.create(
        user=request.user,
        name=name,
        kind=kind,
        state=state,
        view_options=options,
        last_opened_at=now,
        alert_since=now,
        alert_mark=now,
    )
    messages.success(request, f"Saved \u201c{search.name}\u201d. Set an alert for it below.")
    return redirect("alerts:searches")


@require_POST
def search_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename the search or change its alert. Switching an alert on starts it now: the
    first digest holds letters ingested from this moment."""
    with transaction.atomic():
        # Locked against a digest being built for it at the same moment.
        search = get_object_or_404(
            SavedSearch.objects.select_for_update(), pk=pk, user=request.user
        )
        frequency = request.POST.get("frequency")
        if frequency in Frequency.values and frequency != search.frequency:
            if search.frequency == Frequency.OFF:
                search.alert_since = search.alert_mark = timezone.now()
            search.frequency = frequency
        name = " ".join(request.POST.get("name", "").split())[:120]
        if name:
            search.name = name
        search.save()
    label = search.get_frequency_display().lower()
    messages.success(request, f"\u201c{search.name}\u201d: alert {label}.")
    return redirect("alerts:searches")


@require_GET
def search_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the saved page; its "new since last opened" count starts again from now."""
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    SavedSearch.objects.filter(pk=search.pk).update(last_opened_at=timezone.now())
    return redirect(search.url())


@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    search.delete()
    messages.success(request, f"Deleted \u201c{search.name}\u201d.")
    return redirect("alerts:searches")


@login_not_required
@csrf_exempt  # the signed token is the authority; mail clients POST without a form (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button; POST (that button, or a mail client's one-click
    unsubscribe): the token's searches get no more alerts. Works signed out."""
    ids = read_unsubscribe_token(token)
    if ids is None:
        raise Http404("This unsubscribe link is not valid.")
    searches = SavedSearch.objects.filter(pk__in=ids)
    if request.method == "POST":
        searches.update(frequency=Frequency.OFF)
        return render(request, "alerts/unsubscribed.html", {"searches": list(searches)})
    return render(request, "alerts/unsubscribe.html", {"searches": list(searches), "token": token})
