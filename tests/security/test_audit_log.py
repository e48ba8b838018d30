"""The audit log: sign-ins, uploads, corrections, exports and downloads, visible to staff."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import Action, AuditEvent
from ingest.batches import Upload, create_batch
from ingest.models import Correction
from tests.admin_ingest.factories import letter
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_it_records_sign_in_and_sign_out(client, user):
    client.post(
        reverse("login"),
        {"username": "analyst", "password": "a-long-passphrase-42"},
        REMOTE_ADDR="192.0.2.5",
    )
    client.post(reverse("logout"))
    (login,) = events(Action.LOGIN)
    (logout,) = events(Action.LOGOUT)
    assert (login.user, login.username, login.ip) == (user, "analyst", "192.0.2.5")
    assert logout.user == user


def test_it_records_an_export_with_its_filters_and_rows(analyst_client, user):
    for _ in range(3):
        det = make_determination()
        make_drug_item(det, "hydrocodone")
        make_item(det)
        refresh(det)
    response = analyst_client.get(reverse("determinations:export"), {"drug": "hydrocodone"})
    body = b"".join(response.streaming_content).decode()  # recorded when the stream ends
    (export,) = events(Action.EXPORT)
    assert export.user == user
    assert "drug=hydrocodone" in export.filters
    assert export.rows == 3 == len(body.strip().splitlines()) - 2  # first line, header
    assert export.detail["complete"] is True


def test_it_records_the_rows_of_a_capped_export(analyst_client, settings):
    settings.EXPORT_MAX_ROWS = 2
    for _ in range(3):
        det = make_determination()
        make_item(det)
        refresh(det)
    response = analyst_client.get(reverse("determinations:export"))
    b"".join(response.streaming_content)
    (export,) = events(Action.EXPORT)
    assert export.rows == 2


def test_it_records_a_download_of_an_original(analyst_client, media_root):
    det = make_determination()
    det.source_file.save("letter.txt", ContentFile(b"text"))
    response = analyst_client.get(reverse("determinations:file", args=[det.pk]))
    assert response.status_code == 200
    (download,) = events(Action.DOWNLOAD)
    assert download.target == f"letter #{det.pk} (letter.txt)"


def test_it_records_an_upload_with_its_file_count(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = create_batch([Upload("a.txt", letter(1)), Upload("b.txt", letter(2))], staff_user)
    (upload,) = events(Action.UPLOAD)
    assert (upload.user, upload.target, upload.rows) == (staff_user, str(batch), 2)
    assert upload.detail["names"] == "a.txt, b.txt"


def test_it_records_a_correction(staff_user):
    det = make_determination()
    Correction.objects.create(
        determination=det, user=staff_user, field="priority", old_value="", new_value="Expedited"
    )
    (correction,) = events(Action.CORRECTION)
    assert correction.user == staff_user
    assert correction.target == f"letter #{det.pk}"
    assert correction.detail == {"change": "priority", "old": "", "new": "Expedited"}


def test_staff_read_the_log_and_nobody_edits_it(client, django_user_model, staff_user):
    clerk = django_user_model.objects.create_user("clerk", password="x-long-pass-1", is_staff=True)
    event = AuditEvent.objects.create(action=Action.LOGIN, username="analyst")
    client.force_login(clerk)  # staff, with no model permissions at all
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert b"analyst" in changelist.content
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    client.force_login(staff_user)
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_analysts_cannot_read_the_log(analyst_client):
    response = analyst_client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 302
