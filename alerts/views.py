"""My searches: save a list or analytics page, see each search's live numbers, set its
alert, open it, delete it, have the digest sent now; the signed unsubscribe link of the
digests; and the alert address (set on the account page, verified by a mailed link)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alerts import address
from alerts.digest import NowOutcome, read_unsubscribe_token, send_now
from alerts.models import AddressState, AlertAddress, Frequency, Kind, SavedSearch, canonical_state
from determinations import analytics
from determinations.filters import ItemFilterSet
from determinations.models import Determination

# Options of the analytics page kept with a saved analytics search (not filters).
ANALYTICS_OPTIONS = ("by", "order")
# "Send me my digest now" at most this often per user: each one scans the new letters
# for every alerting search.
SEND_NOW_INTERVAL_SECONDS = 60


# Why a user's digests are not mailed, by address state (messages and the page say it).
UNUSABLE = {
    AddressState.NONE: "you have no email address. Set one on your account page.",
    AddressState.UNVERIFIED: (
        "your email address is not verified. Open the link mailed to it, or resend it "
        "from your account page."
    ),
}


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
        {
            "rows": rows,
            "frequencies": Frequency.choices,
            "alerting": any(row.search.frequency != Frequency.OFF for row in rows),
            "address_state": AlertAddress.state_of(request.user),
        },
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
    if search.frequency != Frequency.OFF:
        state = AlertAddress.state_of(request.user)
        if state != AddressState.VERIFIED:
            messages.warning(request, f"This alert cannot be mailed yet: {UNUSABLE[state]}")
    return redirect("alerts:searches")


@require_POST
def digest_send_now(request: HttpRequest) -> HttpResponse:
    """Send the user's digest now (one per frequency with alerts), the scheduled job's
    way: what it sends is marked sent. Reports what happened on My searches."""
    user = request.user
    if not SavedSearch.objects.filter(user=user).exclude(frequency=Frequency.OFF).exists():
        messages.error(request, "No digest sent: none of your searches has an alert on.")
        return redirect("alerts:searches")
    state = AlertAddress.state_of(user)
    if state != AddressState.VERIFIED:
        messages.error(request, f"No digest sent: {UNUSABLE[state]}")
        return redirect("alerts:searches")
    if not cache.add(f"alerts:send-now:{user.pk}", True, timeout=SEND_NOW_INTERVAL_SECONDS):
        messages.error(
            request,
            "No digest sent: you asked for one less than a minute ago. Try again in a minute.",
        )
        return redirect("alerts:searches")
    for report in send_now(user):
        label = Frequency(report.frequency).label.lower() if report.frequency else ""
        noun = "letter" if report.letters == 1 else "letters"
        if report.outcome == NowOutcome.SENT:
            messages.success(
                request,
                f"Sent your {label} digest ({report.letters} new {noun}) to {report.to}.",
            )
        elif report.outcome == NowOutcome.NOTHING_NEW:
            messages.info(
                request,
                f"Your {label} digest: nothing new since your last digest, so no email was sent.",
            )
        elif report.outcome == NowOutcome.FAILED:
            messages.error(
                request,
                f"Your {label} digest ({report.letters} new {noun}) could not be sent to "
                f"{report.to}: the mail server did not accept it. The next scheduled run "
                "sends it.",
            )
        else:  # the address or the alerts changed meanwhile
            messages.error(request, f"No digest sent: {report.outcome.value}.")
    return redirect("alerts:searches")


@require_POST
def address_set(request: HttpRequest) -> HttpResponse:
    """Set (or, empty, remove) the user's alert address; its verification link is mailed."""
    try:
        email = address.clean_address(request.POST.get("email", ""))
    except ValidationError:
        messages.error(request, "That is not a valid email address; nothing was changed.")
        return redirect("account")
    sent = address.set_address(request.user, email)
    if not email:
        messages.success(request, "Email address removed: no alert digests will be mailed.")
    else:
        _report_link(request, sent, email)
    return redirect("account")


@require_POST
def address_resend(request: HttpRequest) -> HttpResponse:
    _report_link(request, address.send_link(request.user), request.user.email)
    return redirect("account")


def _report_link(request: HttpRequest, sent: address.LinkSent, email: str) -> None:
    if sent == address.LinkSent.SENT:
        messages.success(
            request,
            f"A verification link was mailed to {email}. Alerts are sent there once it is opened.",
        )
    elif sent == address.LinkSent.TOO_SOON:
        messages.warning(
            request,
            f"{email} is saved, not yet verified. A link was mailed less than a minute "
            "ago; resend it in a minute if it has not arrived.",
        )
    elif sent == address.LinkSent.FAILED:
        messages.error(
            request,
            f"{email} is saved, but the verification link could not be mailed (the mail "
            "server did not accept it). Try resending it later.",
        )
    else:
        messages.info(request, f"{email} is already verified.")


@login_not_required  # the signed link is the authority; the mail may be read elsewhere
@require_GET
def address_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the verification email: the address it names is verified if it is
    still the user's and the link is not older than ``address.VERIFY_LINK_AGE``."""
    try:
        user_id, email = address.read_verification_token(token)
    except signing.SignatureExpired:
        outcome = "expired"
    except signing.BadSignature:
        outcome = "invalid"
    else:
        outcome = "verified" if address.verify(user_id, email) else "replaced"
    return render(
        request,
        "alerts/address_verified.html",
        {"outcome": outcome, "days": address.VERIFY_LINK_AGE.days},
        status=200 if outcome == "verified" else 400,
    )


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
