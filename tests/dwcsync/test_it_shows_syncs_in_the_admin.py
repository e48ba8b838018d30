"""Admin "Sync from DWC": recent runs listed, a run started in the worker; the review queue
lists letters whose items DWC coded differently."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dwcsync.models import DwcCase, RunStatus, SyncRun
from tests.dwcsync.test_it_syncs_every_letter_once import sync


@pytest.fixture
def admin_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-pass-42")
    client.force_login(boss)
    return client


@pytest.mark.django_db
def test_it_lists_recent_runs_with_their_numbers(admin_client):
    SyncRun.objects.create(
        decided_from=datetime.date(2026, 11, 27),
        decided_to=datetime.date(2026, 12, 3),
        status=RunStatus.FINISHED,
        pages=7,
        new_letters=151,
        failures=2,
        message="7 pages, 160 rows, 151 new letters, 7 already held, 2 failures",
    )
    page = admin_client.get(reverse("admin:dwcsync_syncrun_changelist")).content.decode()
    assert "2026-11-27 to 2026-12-03" in page
    assert ">151<" in page and ">7<" in page and ">2<" in page
    assert "Start a sync" in page
    assert "The daily sync is off" in page


@pytest.mark.django_db
def test_it_starts_a_run_in_the_worker(admin_client):
    response = admin_client.post(
        reverse("admin:dwcsync_syncrun_start"),
        {"decided_from": "2026-12-01", "decided_to": "2026-12-03"},
    )
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "dwcsync.tasks.sync_window_task"
    assert task.args_kwargs["args"] == ["2026-12-01", "2026-12-03", "admin"]
    assert not SyncRun.objects.exists()  # the worker creates it when it runs


@pytest.mark.django_db
def test_it_refuses_a_backwards_window(admin_client):
    admin_client.post(
        reverse("admin:dwcsync_syncrun_start"),
        {"decided_from": "2026-12-03", "decided_to": "2026-12-01"},
    )
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_it_lets_only_those_allowed_start_a_run(client, django_user_model):
    staff = django_user_model.objects.create_user("clerk", password="a-long-pass-42", is_staff=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:dwcsync_syncrun_start"),
        {"decided_from": "2026-12-01", "decided_to": "2026-12-03"},
    )
    assert response.status_code == 403
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_it_lists_disagreements_with_dwc_in_the_review_queue(admin_client, fake_dwc):
    differs = fake_dwc.letters[1]
    differs.items[0] = ("Surgery", "Spine", differs.items[0][2])
    sync(fake_dwc)
    queue = reverse("admin:ingest_letterreview_changelist")
    page = admin_client.get(queue, {"dwc": "disagrees"}).content.decode()
    case = DwcCase.objects.get(case_number=differs.case_number)
    assert case.determination.review_status == "ok"  # the parser had no complaint
    assert str(case.determination) in page
    assert "differs from ours" in page
    listed = page.count("differs from ours")
    assert listed == DwcCase.objects.filter(disagrees=True).count() == 1
    # The comparison page shows both codings of the item.
    detail = admin_client.get(reverse("admin:dwcsync_dwccase_change", args=[case.pk]))
    assert "DWC Surgery / Spine" in detail.content.decode()
