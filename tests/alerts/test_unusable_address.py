"""An alert without a verified address is never silently dropped: saving it says so, My
searches says so with a link to the account page, the digest job counts and logs each
such user, and the admin lists them."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from alerts.digest import send_digests
from alerts.models import AlertAddress, Frequency
from tests.alerts.factories import make_search, verified
from tests.alerts.letters import ingest, split_by_category

pytestmark = pytest.mark.django_db

SEARCHES = reverse("alerts:searches")
ACCOUNT_LINK = f'href="{reverse("account")}#alert-address"'


@pytest.fixture
def letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return split_by_category("Pharmaceuticals", seed=41)


def set_alert(client, search, frequency=Frequency.DAILY) -> str:
    url = reverse("alerts:update", args=[search.pk])
    return client.post(url, {"frequency": frequency}, follow=True).content.decode()


def test_saving_an_alert_without_an_address_says_so_and_links_to_the_account(analyst_client, user):
    search = make_search(user, "outcome=upheld", Frequency.OFF)

    page = set_alert(analyst_client, search)

    assert "alert daily" in page
    assert "This alert cannot be mailed yet: you have no email address" in page
    assert "Your alerts are not being sent." in page
    assert ACCOUNT_LINK in page
    assert "Not mailed: no email address" in page


def test_an_unverified_address_is_named_as_the_reason(analyst_client, user):
    user.email = "analyst@example.com"
    user.save()
    AlertAddress.objects.create(user=user, email=user.email)  # link not opened
    search = make_search(user, "outcome=upheld", Frequency.OFF)

    page = set_alert(analyst_client, search)

    assert "your email address is not verified" in page
    assert "analyst@example.com is not verified yet" in page
    assert "Not mailed: email address not verified" in page


def test_a_verified_address_gets_no_warning(analyst_client, user):
    verified(user, "analyst@example.com")
    search = make_search(user, "outcome=upheld", Frequency.OFF)

    page = set_alert(analyst_client, search)

    assert "cannot be mailed" not in page
    assert "not being sent" not in page
    assert "Not mailed" not in page
    assert "to analyst@example.com" in page


def test_without_an_alert_on_there_is_no_warning(analyst_client, user):
    make_search(user, "outcome=upheld", Frequency.OFF)
    page = analyst_client.get(SEARCHES).content.decode()
    assert "not being sent" not in page


def test_the_list_pages_save_form_says_alerts_need_an_address(analyst_client, user):
    page = analyst_client.get(reverse("determinations:list")).content.decode()
    assert "you have no email address yet" in page
    assert ACCOUNT_LINK in page
    verified(user, "analyst@example.com")
    page = analyst_client.get(reverse("determinations:list")).content.decode()
    assert "you have no email address yet" not in page


def test_the_digest_job_counts_and_logs_users_it_cannot_mail(
    smtp_server, letters, django_user_model, caplog
):
    matching, _other = letters
    mailed = verified(django_user_model.objects.create_user("mailed", "m@example.com"))
    nobody = django_user_model.objects.create_user("no-address")
    pending = django_user_model.objects.create_user("pending", "p@example.com")
    AlertAddress.objects.create(user=pending, email="p@example.com")
    for user in (mailed, nobody, pending):
        make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])

    with caplog.at_level(logging.WARNING, logger="alerts.digest"):
        report = send_digests("daily", "2026-12-04")

    assert report.sent == 1
    assert report.no_address == 2
    assert [m["To"] for m in smtp_server.messages] == ["m@example.com"]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "no-address" in warned and "pending" in warned
    assert "no verified email address" in warned


def test_their_letters_wait_for_the_address(smtp_server, letters, django_user_model):
    matching, _other = letters
    user = django_user_model.objects.create_user("late", "late@example.com")
    make_search(user, "category=Pharmaceuticals")
    ingest(matching[0])
    assert send_digests("daily", "2026-12-04").sent == 0

    verified(user)

    assert send_digests("daily", "2026-12-05").sent == 1
    (message,) = smtp_server.messages
    assert message["To"] == "late@example.com"


def test_the_admin_lists_users_with_alerts_it_cannot_mail(admin_client, django_user_model):
    mailed = verified(django_user_model.objects.create_user("mailed", "m@example.com"))
    nobody = django_user_model.objects.create_user("no-address")
    off = django_user_model.objects.create_user("alerts-off")
    make_search(mailed, "outcome=upheld", name="Mailed search")
    make_search(nobody, "outcome=upheld", name="Unmailed search")
    make_search(off, "outcome=upheld", Frequency.OFF, name="Quiet search")
    url = reverse("admin:alerts_savedsearch_changelist")

    page = admin_client.get(url).content.decode()

    assert "Alerts not mailed: 1 user has an alert on but no verified email address" in page
    assert "(no-address)" in page
    assert "not mailed: no email address" in page
    assert "m@example.com" in page
    filtered = admin_client.get(url, {"mailed": "no"}).content.decode()
    assert "Unmailed search" in filtered
    assert "Mailed search" not in filtered and "Quiet search" not in filtered
    mailed_only = admin_client.get(url, {"mailed": "yes"}).content.decode()
    assert "Mailed search" in mailed_only and "Unmailed search" not in mailed_only


def test_the_admin_lists_addresses_and_their_state(admin_client, django_user_model):
    verified(django_user_model.objects.create_user("mailed", "m@example.com"))
    pending = django_user_model.objects.create_user("pending", "p@example.com")
    AlertAddress.objects.create(user=pending, email="p@example.com")

    page = admin_client.get(reverse("admin:alerts_alertaddress_changelist")).content.decode()

    assert "Verified" in page and "Not verified" in page
