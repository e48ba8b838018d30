"""The admin previews any user's digest: the HTML and text they would be mailed if the
job ran now, without sending it and without marking anything sent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from alerts.digest import send_digests
from alerts.models import Digest, DigestLetter, Frequency, SavedSearch
from determinations.models import Determination
from tests.alerts.factories import make_search, verified
from tests.alerts.letters import ingest, split_by_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return split_by_category("Pharmaceuticals", seed=41)


def preview_url(user) -> str:
    return reverse("admin:alerts_digest_preview", args=[user.pk])


def test_it_shows_the_html_and_text_the_user_would_get_and_sends_nothing(
    smtp_server, letters, admin_client, django_user_model
):
    matching, other = letters
    analyst = verified(django_user_model.objects.create_user("analyst", "a@example.com"))
    search = make_search(analyst, "category=Pharmaceuticals", name="Pharmacy decisions")
    new = ingest(matching[0], matching[1])
    (outside,) = ingest(other[0])
    marks = list(SavedSearch.objects.values_list("alert_mark", flat=True))

    response = admin_client.get(preview_url(analyst))

    assert response.status_code == 200
    (daily,) = response.context["previews"]
    assert daily.frequency == Frequency.DAILY
    assert daily.content.subject == "IMR alerts: 2 new letters for 1 saved search"
    cases = set(Determination.objects.filter(pk__in=new).values_list("case_number", flat=True))
    (outside_case,) = Determination.objects.filter(pk=outside).values_list("case_number", flat=True)
    for body in (daily.content.text, daily.content.html):
        assert "Pharmacy decisions" in body
        assert all(case in body for case in cases)
        assert outside_case not in body
    page = response.content.decode()
    assert escape(daily.content.html) in page  # the iframe's srcdoc
    assert "sandbox" in page
    assert escape(daily.content.text) in page
    assert "a@example.com (verified)" in page
    # Nothing sent, nothing recorded, no mark moved.
    assert smtp_server.messages == []
    assert not Digest.objects.exists() and not DigestLetter.objects.exists()
    assert list(SavedSearch.objects.values_list("alert_mark", flat=True)) == marks
    # The real digest still brings those letters.
    assert send_digests("daily", "2026-12-04").sent == 1
    assert set(search.sent.values_list("determination_id", flat=True)) == set(new)


def test_it_previews_a_user_who_cannot_be_mailed_and_says_so(
    letters, admin_client, django_user_model
):
    matching, _other = letters
    analyst = django_user_model.objects.create_user("analyst")
    make_search(analyst, "category=Pharmaceuticals", Frequency.WEEKLY)
    ingest(matching[0])

    page = admin_client.get(preview_url(analyst)).content.decode()

    assert "none: not mailed" in page
    assert "Weekly digest" in page and "IMR alerts: 1 new letter" in page


def test_it_says_when_nothing_would_be_sent(letters, admin_client, django_user_model):
    analyst = verified(django_user_model.objects.create_user("analyst", "a@example.com"))
    make_search(analyst, "category=Pharmaceuticals")
    page = admin_client.get(preview_url(analyst)).content.decode()
    assert "Nothing new since the last digest" in page
    nobody = django_user_model.objects.create_user("nobody")
    page = admin_client.get(preview_url(nobody)).content.decode()
    assert "has no search with an alert on" in page


def test_the_saved_search_list_links_to_the_preview(admin_client, django_user_model):
    analyst = django_user_model.objects.create_user("analyst")
    make_search(analyst, "outcome=upheld")
    page = admin_client.get(reverse("admin:alerts_savedsearch_changelist")).content.decode()
    assert f'href="{preview_url(analyst)}"' in page


def test_only_staff_may_preview(client, analyst_client, user):
    for who in (client, analyst_client):
        response = who.get(preview_url(user))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_preview_cannot_inject_markup_into_the_admin(letters, admin_client, django_user_model):
    matching, _other = letters
    analyst = django_user_model.objects.create_user("analyst")
    make_search(analyst, "category=Pharmaceuticals", name="<script>alert(1)</script>")
    ingest(matching[0])

    page = admin_client.get(preview_url(analyst)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the text part, escaped
