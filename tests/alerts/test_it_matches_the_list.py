"""A digest holds exactly the list page's letters for the search, restricted to those
ingested since the alert began: the same filter code, the same set."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.digest import send_digests
from alerts.models import Frequency, SavedSearch, canonical_state
from determinations.filters import ItemFilters
from determinations.models import Determination
from synth.letters import generate_letters
from tests.alerts.factories import verified
from tests.alerts.letters import ingest

pytestmark = pytest.mark.django_db

# Saved searches, as the list's query strings (read through ItemFilters, as a save is).
SEARCHES = [
    "category=Pharmaceuticals",
    "outcome=overturned",
    "drug_class=Opioids&outcome=upheld",
    "q=pain&category=Physical+Medicine",
    "guideline=MTUS&year=2016",
    "specialty=Orthopedic+Surgery&count=letters",
]


def list_letter_ids(client, state: str) -> set[int]:
    """Every letter the list page shows for ``state`` in letters mode, page by page."""
    filters = ItemFilters.from_query(dict(_pairs(state))).replace(count="letters")
    ids: set[int] = set()
    page = 1
    while True:
        query = filters.replace(page=page).query_string()
        context = client.get(reverse("determinations:list") + "?" + query).context
        ids |= {letter.pk for letter, _items in context["page"].groups}
        if not context["page"].has_next:
            return ids
        page += 1


def _pairs(state: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(state)


def test_the_digest_holds_the_lists_letters_ingested_since(
    smtp_server, analyst_client, user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    verified(user, "analyst@example.com")
    letters = list(generate_letters(70, seed=12))
    ingest(*letters[:35])  # the back catalogue
    since = timezone.now()
    searches = []
    for state in SEARCHES:
        searches.append(
            SavedSearch.objects.create(
                user=user,
                name=state,
                state=canonical_state(state),
                frequency=Frequency.DAILY,
                last_opened_at=since,
                alert_since=since,
                alert_mark=since,
            )
        )
    ingest(*[x for x in letters[35:] if "notice" not in x.layout])

    send_digests("daily", "2026-12-04")

    new = set(Determination.objects.filter(created_at__gt=since).values_list("pk", flat=True))
    nonempty = 0
    for search in searches:
        in_digest = set(search.sent.values_list("determination_id", flat=True))
        expected = list_letter_ids(analyst_client, search.state) & new
        assert in_digest == expected, search.state
        nonempty += bool(expected)
    assert nonempty >= 4  # most searches have new letters in this corpus
