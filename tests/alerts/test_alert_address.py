"""The account page shows, sets and verifies the alert address: setting one mails a
signed, expiring link (over a real SMTP server); the address counts as verified only
once that link is opened, and only while it is still the user's."""

from __future__ import annotations

import importlib
import re
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts import address
from alerts.models import AddressState, AlertAddress

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("account")
SET = reverse("alerts:address_set")
RESEND = reverse("alerts:address_resend")
LINK_RE = re.compile(r"http://\S+/searches/address/verify/\S+/")


def state(user) -> AddressState:
    user.refresh_from_db()
    return AlertAddress.state_of(type(user).objects.select_related("alert_address").get(pk=user.pk))


def link_in(message) -> str:
    """The path of the verification link in ``message``."""
    (link,) = LINK_RE.findall(message.get_content())
    return urlsplit(link).path


def section(client) -> str:
    page = client.get(ACCOUNT).content.decode()
    return page[page.index('id="alert-address"') :]


def test_it_says_there_is_no_address(analyst_client):
    shown = section(analyst_client)
    assert "No email address" in shown
    assert 'name="email"' in shown
    assert "Resend" not in shown


def test_it_mails_a_link_and_verifies_the_address_only_once_it_is_opened(
    smtp_server, analyst_client, user
):
    response = analyst_client.post(SET, {"email": " Analyst@Example.COM "}, follow=True)

    assert "A verification link was mailed to Analyst@example.com" in response.content.decode()
    (message,) = smtp_server.messages
    assert message["To"] == "Analyst@example.com"
    user.refresh_from_db()
    assert user.email == "Analyst@example.com"
    assert state(user) == AddressState.UNVERIFIED
    shown = section(analyst_client)
    assert "not verified" in shown and "Resend the verification link" in shown

    # Opened signed out (another device): the signed link is enough.
    opened = Client().get(link_in(message))
    assert opened.status_code == 200
    assert "Email address verified" in opened.content.decode()
    assert state(user) == AddressState.VERIFIED
    shown = section(analyst_client)
    assert "Analyst@example.com: verified" in shown and "Resend" not in shown


def test_an_expired_link_verifies_nothing(smtp_server, analyst_client, user, monkeypatch):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    (message,) = smtp_server.messages
    later = time.time() + address.VERIFY_LINK_AGE.total_seconds() + 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))

    opened = analyst_client.get(link_in(message))

    assert opened.status_code == 400
    assert "expired" in opened.content.decode()
    assert state(user) == AddressState.UNVERIFIED


def test_a_tampered_link_verifies_nothing(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    (message,) = smtp_server.messages
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    forged = address.verification_token(user.pk, "attacker@example.com").split(":", 1)[0]
    tampered = forged + ":" + token.split(":", 1)[1]

    opened = analyst_client.get(reverse("alerts:address_verify", args=[tampered]))

    assert opened.status_code == 400
    assert "not valid" in opened.content.decode()
    assert state(user) == AddressState.UNVERIFIED


def test_the_link_of_a_replaced_address_verifies_nothing(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "old@example.com"})
    AlertAddress.objects.filter(user=user).update(link_sent_at=None)  # the minute passed
    analyst_client.post(SET, {"email": "new@example.com"})
    old, new = smtp_server.messages
    assert (old["To"], new["To"]) == ("old@example.com", "new@example.com")

    assert analyst_client.get(link_in(old)).status_code == 400
    assert state(user) == AddressState.UNVERIFIED
    assert analyst_client.get(link_in(new)).status_code == 200
    assert state(user) == AddressState.VERIFIED
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_an_address_changed_elsewhere_is_no_longer_verified(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    analyst_client.get(link_in(smtp_server.messages[0]))
    assert state(user) == AddressState.VERIFIED

    user.email = "typo@exmaple.com"  # say, in the admin's user page
    user.save()

    assert state(user) == AddressState.UNVERIFIED
    assert "typo@exmaple.com: not verified" in section(analyst_client)


def test_it_resends_the_link_at_most_once_a_minute(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})

    again = analyst_client.post(RESEND, follow=True).content.decode()
    assert "less than a minute ago" in again
    assert len(smtp_server.messages) == 1
    # Setting another address does not get round the limit either.
    analyst_client.post(SET, {"email": "other@example.com"})
    assert len(smtp_server.messages) == 1

    a_minute_ago = timezone.now() - timedelta(seconds=61)
    AlertAddress.objects.filter(user=user).update(link_sent_at=a_minute_ago)
    analyst_client.post(RESEND)
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[1]["To"] == "other@example.com"
    analyst_client.get(link_in(smtp_server.messages[1]))
    assert state(user) == AddressState.VERIFIED


def test_a_link_the_server_refused_can_be_resent_at_once(smtp_server, analyst_client, user):
    smtp_server.refuse = True
    response = analyst_client.post(SET, {"email": "analyst@example.com"}, follow=True)
    assert "could not be mailed" in response.content.decode()
    assert state(user) == AddressState.UNVERIFIED

    smtp_server.refuse = False
    analyst_client.post(RESEND)
    (message,) = smtp_server.messages
    assert message["To"] == "analyst@example.com"


def test_it_refuses_an_invalid_address_and_keeps_the_old_one(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    response = analyst_client.post(SET, {"email": "not an address"}, follow=True)
    assert "not a valid email address" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "analyst@example.com"
    assert len(smtp_server.messages) == 1


def test_the_same_verified_address_again_sends_nothing(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    analyst_client.get(link_in(smtp_server.messages[0]))
    AlertAddress.objects.filter(user=user).update(link_sent_at=None)

    response = analyst_client.post(SET, {"email": "analyst@example.com"}, follow=True)

    assert "already verified" in response.content.decode()
    assert len(smtp_server.messages) == 1
    assert state(user) == AddressState.VERIFIED


def test_removing_the_address_stops_alerts(smtp_server, analyst_client, user):
    analyst_client.post(SET, {"email": "analyst@example.com"})
    analyst_client.get(link_in(smtp_server.messages[0]))

    analyst_client.post(SET, {"email": ""})

    user.refresh_from_db()
    assert user.email == ""
    assert not AlertAddress.objects.filter(user=user).exists()
    assert "No email address" in section(analyst_client)


def test_the_forms_take_post_with_a_csrf_token_only(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for url in (SET, RESEND):
        assert client.get(url).status_code == 405
        assert client.post(url, {"email": "analyst@example.com"}).status_code == 403
    user.refresh_from_db()
    assert user.email == ""


def test_signed_out_the_forms_go_to_the_login_page(client):
    response = client.post(SET, {"email": "analyst@example.com"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_upgrade_counts_addresses_set_before_verification_existed_as_verified(
    django_user_model,
):
    with_address = django_user_model.objects.create_user("a", "a@example.com", "x-long-pass-1")
    without = django_user_model.objects.create_user("b", password="x-long-pass-2")
    migration = importlib.import_module("alerts.migrations.0002_alert_address")

    migration.trust_existing_addresses(apps, None)

    assert AlertAddress.state_of(with_address) == AddressState.VERIFIED
    assert AlertAddress.state_of(without) == AddressState.NONE
    assert AlertAddress.objects.count() == 1
