"""The review queue and the letter review page: source beside fields, corrections recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from determinations.models import Determination
from ingest.loader import ingest_bytes
from ingest.models import Correction
from tests.admin_ingest.factories import letter

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:ingest_letterreview_changelist")


def saved_letter(n: int = 1, **kwargs) -> Determination:
    result = ingest_bytes(f"{n}.txt", letter(n, **kwargs))
    return Determination.objects.get(pk=result.determination_id)


def review_url(det: Determination) -> str:
    return reverse("admin:determinations_determination_change", args=[det.pk])


def form_data(client, det: Determination) -> dict:
    """The review page's form as the browser would submit it unchanged."""
    response = client.get(review_url(det))
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def test_it_lists_flagged_conflicting_and_failed_letters_newest_first_with_facets(admin_client):
    ok = saved_letter(1)
    conflict = saved_letter(1, symptom="numbness")
    failed = Determination.objects.create(sha256="f" * 64, review_status="failed", parse_error="x")
    flagged = saved_letter(3)
    Determination.objects.filter(pk=flagged.pk).update(
        review_status="needs_review", parse_warnings=["no decision date found"]
    )
    response = admin_client.get(QUEUE_URL)
    shown = [d.pk for d in response.context["cl"].result_list]
    assert shown == [flagged.pk, failed.pk, conflict.pk]
    assert ok.pk not in shown
    page = response.content.decode()
    assert "Needs review (1)" in page  # show_facets
    assert "Conflicting case number (1)" in page
    assert "no decision date found" in page


def test_it_shows_the_source_text_beside_the_fields_and_items(admin_client):
    det = saved_letter(1)
    page = admin_client.get(review_url(det)).content.decode()
    assert 'class="review-source"' in page
    assert "lifting boxes of paper at work" in page  # the letter text
    assert "Norco 10/325mg #90" in page  # an item, editable
    assert reverse("admin:determinations_determination_original", args=[det.pk]) in page
    assert "loaded with the ingest command" in page
    assert "parser 1." in page


def test_it_records_who_changed_which_field_from_what_to_what(admin_client, admin_user):
    det = saved_letter(1)
    data = form_data(admin_client, det)
    data["decision_date"] = "2017-03-01"
    data["items-1-outcome"] = "upheld"
    response = admin_client.post(review_url(det), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    corrections = {c.path: c for c in Correction.objects.all()}
    assert set(corrections) == {"decision_date", "item 2: outcome"}, [
        str(c) for c in corrections.values()
    ]
    assert corrections["decision_date"].old_value == "2017-02-10"
    assert corrections["decision_date"].new_value == "2017-03-01"
    assert corrections["decision_date"].user == admin_user
    assert corrections["item 2: outcome"].old_value == "overturned"
    det.refresh_from_db()
    assert det.items.get(order=2).outcome == "upheld"
    assert det.items.get(order=2).decision_date.isoformat() == "2017-03-01"  # facets refreshed


def test_it_records_an_added_and_a_deleted_item(admin_client):
    det = saved_letter(1)
    data = form_data(admin_client, det)
    data["items-0-DELETE"] = "on"
    data["items-TOTAL_FORMS"] = "3"
    data.update(
        {
            "items-2-order": "3",
            "items-2-heading": "Acupuncture 6 visits",
            "items-2-treatment": "Acupuncture 6 visits",
            "items-2-outcome": "overturned",
            "items-2-determination": str(det.pk),
        }
    )
    response = admin_client.post(review_url(det), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert sorted(c.path for c in Correction.objects.all()) == [
        "item 1: (deleted)",
        "item 3: (added)",
    ]
    assert list(det.items.values_list("order", flat=True)) == [2, 3]


def test_it_marks_a_letter_reviewed_and_takes_it_off_the_queue(admin_client):
    det = saved_letter(1)
    Determination.objects.filter(pk=det.pk).update(review_status="needs_review")
    data = form_data(admin_client, det)
    data["_mark_reviewed"] = "Save and mark reviewed"
    response = admin_client.post(review_url(det), data)
    assert response.status_code == 302
    det.refresh_from_db()
    assert det.review_status == "ok"
    correction = Correction.objects.get()
    assert (correction.field, correction.old_value, correction.new_value) == (
        "review_status",
        "needs_review",
        "ok",
    )
    assert det.pk not in [d.pk for d in admin_client.get(QUEUE_URL).context["cl"].result_list]


def test_it_deletes_a_letter_from_the_review_page(admin_client):
    det = saved_letter(1)
    url = reverse("admin:determinations_determination_delete", args=[det.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Determination.objects.exists()


def test_it_shows_the_batch_and_uploader_of_an_uploaded_letter(admin_client):
    from tests.admin_ingest.factories import upload

    admin_client.post(
        reverse("admin:ingest_ingestbatch_add"), {"files": [upload("a.txt", letter(1))]}
    )
    det = Determination.objects.get()
    page = admin_client.get(review_url(det)).content.decode()
    assert "uploaded in" in page and "Batch #" in page and "by boss" in page


def test_it_downloads_the_original_file(admin_client):
    det = saved_letter(1)
    response = admin_client.get(
        reverse("admin:determinations_determination_original", args=[det.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == letter(1)
    assert response["Content-Disposition"].startswith("attachment")


def test_it_links_the_queue_to_uploads_that_never_became_letters(admin_client):
    from ingest.batches import Upload, create_batch

    create_batch([Upload("scan.bin", b"\x00\x01\x02")])
    page = admin_client.get(QUEUE_URL).content.decode()
    assert "Failed uploads (1)" in page
    assert "Add letter to review" not in page
