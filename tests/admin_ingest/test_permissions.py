"""Only staff reach the upload, batch, review, correction and download pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from determinations.models import Determination
from ingest.batches import Upload, create_batch
from ingest.loader import ingest_bytes
from tests.admin_ingest.factories import letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    det = Determination.objects.get(pk=ingest_bytes("a.txt", letter(1)).determination_id)
    Determination.objects.filter(pk=det.pk).update(review_status="needs_review")
    batch = create_batch([Upload("b.txt", letter(2))])
    record = batch.files.get()
    return [
        ("get", reverse("admin:ingest_ingestbatch_add")),
        ("post", reverse("admin:ingest_ingestbatch_add")),
        ("get", reverse("admin:ingest_ingestbatch_changelist")),
        ("get", reverse("admin:ingest_ingestbatch_change", args=[batch.pk])),
        ("get", reverse("admin:ingest_ingestbatch_progress", args=[batch.pk])),
        ("get", reverse("admin:ingest_ingestfile_changelist")),
        ("get", reverse("admin:ingest_ingestfile_change", args=[record.pk])),
        ("get", reverse("admin:ingest_ingestfile_download", args=[record.pk])),
        ("get", reverse("admin:ingest_letterreview_changelist")),
        ("get", reverse("admin:ingest_letterreview_change", args=[det.pk])),
        ("get", reverse("admin:ingest_correction_changelist")),
        ("get", reverse("admin:determinations_determination_changelist")),
        ("get", reverse("admin:determinations_determination_change", args=[det.pk])),
        ("post", reverse("admin:determinations_determination_change", args=[det.pk])),
        ("get", reverse("admin:determinations_determination_original", args=[det.pk])),
        ("post", reverse("admin:determinations_determination_reparse_outdated")),
        ("post", reverse("admin:determinations_determination_changelist")),
    ]


def test_it_sends_a_non_staff_analyst_to_the_admin_login_everywhere(analyst_client, urls):
    for method, url in urls:
        response = getattr(analyst_client, method)(url, {"action": "reparse_selected"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_it_sends_an_anonymous_visitor_to_a_login_page_everywhere(client, urls):
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_it_forbids_staff_without_the_model_permissions(client, django_user_model, urls):
    staff = django_user_model.objects.create_user("clerk", password="x-long-pass-99", is_staff=True)
    client.force_login(staff)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 403, url


def test_it_lets_an_admin_open_every_page(admin_client, urls):
    for method, url in urls:
        if method == "get":
            assert admin_client.get(url).status_code == 200, url
