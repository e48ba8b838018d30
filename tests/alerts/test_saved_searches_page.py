"""My searches: saving from a page stores the canonical state; each search shows its live
count, overturn rate and letters new since last opened; alerts are set here."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from alerts.models import Frequency, Kind, SavedSearch
from determinations.filters import ItemFilters
from tests.alerts.letters import ingest, split_by_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return split_by_category("Pharmaceuticals", seed=41)


def test_it_stores_the_canonical_state_not_the_query_as_sent(analyst_client):
    sent = "outcome=Overturned&drug=Hydrocodone&page=4&bogus=1&decided_from=2016-02-30&year=2016"
    analyst_client.post(reverse("alerts:save"), {"name": "Norco", "state": sent, "kind": "list"})
    search = SavedSearch.objects.get()
    assert search.state == "outcome=overturned&drug=hydrocodone&year=2016"
    assert search.state == ItemFilters.from_query(QueryDict(sent)).replace(page=1).query_string()
    assert search.url() == "/?" + search.state


def test_it_saves_an_analytics_page_with_its_options(analyst_client):
    analyst_client.post(
        reverse("alerts:save"),
        {"state": "drug=gabapentin", "kind": "analytics", "by": "specialty", "order": "rate"},
    )
    search = SavedSearch.objects.get()
    assert search.kind == Kind.ANALYTICS
    assert search.name == "disputed items - Gabapentin"  # the page's summary by default
    assert search.url() == "/analytics/?drug=gabapentin&by=specialty&order=rate"


def test_the_list_and_analytics_pages_offer_to_save_them(analyst_client):
    for name in ("determinations:list", "determinations:analytics"):
        page = analyst_client.get(reverse(name), {"outcome": "upheld"}).content.decode()
        assert 'form id="save-search"' in page
        assert 'name="state" form="save-search" value="outcome=upheld"' in page


def test_it_shows_live_count_rate_and_new_letters_since_last_opened(analyst_client, letters):
    matching, _other = letters
    ingest(*matching[:3])
    analyst_client.post(reverse("alerts:save"), {"state": "category=Pharmaceuticals"})
    search = SavedSearch.objects.get()
    listed = analyst_client.get("/?category=Pharmaceuticals").context["counts"]

    def row():
        (only,) = analyst_client.get(reverse("alerts:searches")).context["rows"]
        return only

    assert row().rate.n == listed.total
    assert round(100 * row().rate.overturned / row().rate.n) == listed.overturn_rate
    assert row().new_letters == 0
    ingest(matching[3], matching[4])
    assert row().new_letters == 2
    opened = analyst_client.get(reverse("alerts:open", args=[search.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == "/?category=Pharmaceuticals"
    assert row().new_letters == 0


def test_it_sets_an_alert_from_now(analyst_client):
    analyst_client.post(reverse("alerts:save"), {"state": "outcome=upheld"})
    search = SavedSearch.objects.get()
    before = search.alert_since
    analyst_client.post(reverse("alerts:update", args=[search.pk]), {"frequency": "daily"})
    search.refresh_from_db()
    assert search.frequency == Frequency.DAILY
    assert search.alert_since > before
    analyst_client.post(reverse("alerts:update", args=[search.pk]), {"frequency": "hourly"})
    search.refresh_from_db()
    assert search.frequency == Frequency.DAILY  # not a frequency: unchanged


def test_it_keeps_each_users_searches_to_themselves(analyst_client, django_user_model):
    other = django_user_model.objects.create_user("other", password="x-long-passphrase-1")
    analyst_client.force_login(other)
    analyst_client.post(reverse("alerts:save"), {"state": "outcome=upheld"})
    theirs = SavedSearch.objects.get()
    analyst_client.force_login(django_user_model.objects.get(username="analyst"))
    assert analyst_client.get(reverse("alerts:searches")).context["rows"] == []
    for name in ("alerts:update", "alerts:delete"):
        assert analyst_client.post(reverse(name, args=[theirs.pk])).status_code == 404
    assert analyst_client.get(reverse("alerts:open", args=[theirs.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_the_unsubscribe_link_works_signed_out_and_only_with_its_signature(client, analyst_client):
    from alerts.digest import unsubscribe_token

    analyst_client.post(reverse("alerts:save"), {"state": "outcome=upheld"})
    search = SavedSearch.objects.get()
    SavedSearch.objects.update(frequency=Frequency.WEEKLY)
    link = reverse("alerts:unsubscribe", args=[unsubscribe_token([search.pk])])
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and search.name in page.content.decode()
    search.refresh_from_db()
    assert search.frequency == Frequency.WEEKLY  # a GET (a mail scanner) changes nothing
    assert client.post(link).status_code == 200
    search.refresh_from_db()
    assert search.frequency == Frequency.OFF
    forged = link.replace(urlsplit(link).path.split("/")[-2][:6], "xxxxxx")
    assert client.get(forged).status_code == 404
