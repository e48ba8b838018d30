"""Re-parse from the admin: what changed, corrections kept, older parser versions, downloads."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from determinations.models import Determination
from ingest.letter import PARSER_VERSION
from ingest.loader import ingest_bytes
from ingest.models import Correction
from ingest.reparse import reparse
from ingest.tasks import reparse_outdated_task
from tests.admin_ingest.factories import letter
from tests.admin_ingest.test_review_page import form_data, review_url

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:determinations_determination_changelist")


def saved_letter(n: int = 1) -> Determination:
    return Determination.objects.get(pk=ingest_bytes(f"{n}.txt", letter(n)).determination_id)


def run_action(client, action: str, *letters: Determination):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(d.pk) for d in letters]},
    )


def test_it_reparses_selected_letters_and_shows_what_changed(admin_client):
    det = saved_letter(1)
    untouched = saved_letter(2)
    Determination.objects.filter(pk=det.pk).update(
        decision_date=date(2000, 1, 1), parser_version="0.9"
    )
    det.items.filter(order=2).update(outcome="upheld")
    response = run_action(admin_client, "reparse_selected", det, untouched)
    assert response.status_code == 200
    page = response.content.decode()
    assert "decision_date: 2000-01-01 -&gt; 2017-02-10" in page
    assert "item 2: outcome: upheld -&gt; overturned" in page
    assert "1 changed" in page
    det.refresh_from_db()
    assert (det.decision_date, det.parser_version) == (date(2017, 2, 10), PARSER_VERSION)
    assert det.items.get(order=2).outcome == "overturned"
    assert det.items.get(order=1).citations.count() == 2


def test_it_keeps_corrections_through_a_reparse(admin_client):
    det = saved_letter(1)
    data = form_data(admin_client, det)
    data["decision_date"] = "2017-03-01"
    data["items-1-outcome"] = "upheld"
    data["items-0-DELETE"] = "on"
    assert admin_client.post(review_url(det), data).status_code == 302
    assert Correction.objects.count() == 3

    outcome = reparse(det.pk)
    assert outcome.corrections_applied == 3
    assert outcome.changes == ()  # the corrected letter is what it was
    det.refresh_from_db()
    assert det.decision_date == date(2017, 3, 1)
    assert list(det.items.values_list("order", "outcome")) == [(2, "upheld")]
    assert det.items.get().decision_date == date(2017, 3, 1)  # facet copies refreshed


def test_it_keeps_a_reviewed_letter_reviewed_through_a_reparse(admin_client):
    det = saved_letter(1)
    Determination.objects.filter(pk=det.pk).update(review_status="needs_review")
    data = {**form_data(admin_client, det), "_mark_reviewed": "1"}
    admin_client.post(review_url(det), data)
    # The letter parses cleanly either way; make the new parse flag it to prove the point.
    Determination.objects.filter(pk=det.pk).update(review_status="needs_review")
    reparse(det.pk)
    det.refresh_from_db()
    assert det.review_status == "ok"


def test_it_queues_a_reparse_of_letters_from_older_parser_versions(
    admin_client, django_capture_on_commit_callbacks
):
    old = saved_letter(1)
    current = saved_letter(2)
    Determination.objects.filter(pk=old.pk).update(parser_version="0.1", decision_date=None)
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Re-parse 1 letter from older parser versions" in page

    url = reverse("admin:determinations_determination_reparse_outdated")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "ingest.tasks.reparse_outdated_task"

    assert reparse_outdated_task.call() == {"reparsed": 1, "changed": 1, "failed": 0}
    old.refresh_from_db()
    assert (old.parser_version, old.decision_date) == (PARSER_VERSION, date(2017, 2, 10))
    assert Determination.objects.get(pk=current.pk).updated_at == current.updated_at


def test_it_only_accepts_a_post_to_queue_the_reparse(admin_client):
    url = reverse("admin:determinations_determination_reparse_outdated")
    assert admin_client.get(url).status_code == 405


def test_it_marks_a_reparsed_letter_whose_case_number_is_now_taken_as_a_conflict():
    first = saved_letter(1)
    Determination.objects.filter(pk=first.pk).update(case_number="CM17-9999999")
    other = Determination.objects.get(
        pk=ingest_bytes("b.txt", letter(1, symptom="numbness")).determination_id
    )
    assert other.case_number == "CM17-5000001"
    Determination.objects.filter(pk=other.pk).update(case_number="CM17-8888888")
    Determination.objects.filter(pk=first.pk).update(case_number="CM17-5000001")
    reparse(other.pk)
    other.refresh_from_db()
    assert (other.case_number, other.claimed_case_number) == (None, "CM17-5000001")
    assert other.review_status == "conflict"


def test_it_downloads_the_originals_of_selected_letters_as_a_zip(admin_client):
    one, two = saved_letter(1), saved_letter(2)
    response = run_action(admin_client, "download_originals", one, two)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{one.pk}-1.txt", f"{two.pk}-2.txt"]
    assert archive.read(f"{one.pk}-1.txt") == letter(1)
