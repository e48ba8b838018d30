""" "Send me my digest now" on My searches: the digest job's own path, over a real SMTP
server; the outcome said on the page (sent to whom / nothing new / no address); POST
with a CSRF token only; at most once a minute."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alerts.digest import send_digests
from alerts.models import Digest, DigestLetter, Frequency
from determinations.models import Determination
from tests.alerts.factories import make_search, verified
from tests.alerts.letters import ingest, split_by_category

pytestmark = pytest.mark.django_db

SEND = reverse("alerts:send_now")


@pytest.fixture
def letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return split_by_category("Pharmaceuticals", seed=41)


@pytest.fixture(autouse=True)
def no_earlier_request():
    # The limit lives in the shared cache (a table, rolled back with each test; cleared
    # here in case the cache is not the database).
    cache.clear()


def send(client) -> str:
    return client.post(SEND, follow=True).content.decode()


def case_numbers(ids):
    return set(Determination.objects.filter(pk__in=ids).values_list("case_number", flat=True))


def test_it_sends_the_digest_now_and_says_to_whom(smtp_server, letters, analyst_client, user):
    matching, _other = letters
    verified(user, "analyst@example.com")
    search = make_search(user, "category=Pharmaceuticals", name="Pharmacy decisions")
    new = ingest(matching[0], matching[1])

    page = send(analyst_client)

    assert "Sent your daily digest (2 new letters) to analyst@example.com." in page
    (message,) = smtp_server.messages
    assert message["To"] == "analyst@example.com"
    text = message.get_body(("plain",)).get_content()
    assert "Pharmacy decisions" in text
    for case in case_numbers(new):
        assert case in text
    # Recorded as the job records a digest: the letters are not sent again.
    assert set(search.sent.values_list("determination_id", flat=True)) == set(new)
    assert Digest.objects.get().sent_at is not None
    assert send_digests("daily", "2026-12-04").sent == 0
    assert len(smtp_server.messages) == 1


def test_the_scheduled_digest_still_brings_what_arrives_later(
    smtp_server, letters, analyst_client, user
):
    matching, _other = letters
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals")
    first = ingest(matching[0])
    send(analyst_client)
    later = ingest(matching[1])

    report = send_digests("daily", "2026-12-04")  # the same day's scheduled run

    assert report.sent == 1
    sent = list(DigestLetter.objects.order_by("pk").values_list("determination_id", flat=True))
    assert sent == first + later


def test_it_says_when_nothing_is_new(smtp_server, letters, analyst_client, user):
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals")

    page = send(analyst_client)

    assert "nothing new since your last digest, so no email was sent" in page
    assert smtp_server.messages == []
    assert not Digest.objects.exists()


def test_it_sends_one_digest_per_frequency(smtp_server, letters, analyst_client, user):
    matching, _other = letters
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals", Frequency.DAILY)
    make_search(user, "category=Pharmaceuticals", Frequency.WEEKLY)
    ingest(matching[0])

    page = send(analyst_client)

    assert "Sent your daily digest (1 new letter)" in page
    assert "Sent your weekly digest (1 new letter)" in page
    assert len(smtp_server.messages) == 2


def test_without_a_verified_address_it_sends_nothing_and_says_why(
    smtp_server, letters, analyst_client, user
):
    matching, _other = letters
    make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])

    page = send(analyst_client)

    assert "No digest sent: you have no email address." in page
    assert f'href="{reverse("account")}#alert-address"' in page
    assert smtp_server.messages == []
    assert not Digest.objects.exists()
    # Not counted against the limit: set the address, and it works at once.
    verified(user, "analyst@example.com")
    assert "Sent your daily digest" in send(analyst_client)


def test_without_alerts_it_says_so(smtp_server, analyst_client, user):
    verified(user, "analyst@example.com")
    make_search(user, "outcome=upheld", Frequency.OFF)
    assert "none of your searches has an alert on" in send(analyst_client)
    assert smtp_server.messages == []


def test_it_sends_at_most_once_a_minute(smtp_server, letters, analyst_client, user):
    matching, _other = letters
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])
    send(analyst_client)
    ingest(matching[1])

    page = send(analyst_client)

    assert "you asked for one less than a minute ago" in page
    assert len(smtp_server.messages) == 1
    cache.clear()  # the minute passed
    assert "Sent your daily digest (1 new letter)" in send(analyst_client)


def test_a_refused_digest_is_reported_and_sent_by_the_next_run(
    smtp_server, letters, analyst_client, user
):
    matching, _other = letters
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])
    smtp_server.refuse = True

    page = send(analyst_client)

    assert "could not be sent to analyst@example.com" in page
    smtp_server.refuse = False
    assert send_digests("daily", "2026-12-04").resent == 1
    assert len(smtp_server.messages) == 1


def test_it_takes_post_with_a_csrf_token_only(smtp_server, letters, user):
    matching, _other = letters
    verified(user, "analyst@example.com")
    make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.get(SEND).status_code == 405
    assert client.post(SEND).status_code == 403
    assert smtp_server.messages == []


def test_the_button_is_on_my_searches_when_an_alert_is_on(analyst_client, user):
    make_search(user, "outcome=upheld", Frequency.OFF)
    page = analyst_client.get(reverse("alerts:searches")).content.decode()
    assert f'action="{SEND}"' not in page
    make_search(user, "outcome=overturned", Frequency.WEEKLY)
    page = analyst_client.get(reverse("alerts:searches")).content.decode()
    assert f'action="{SEND}"' in page
    assert "Send me my digest now" in page
