"""The daily sync: declared in PERIODIC_JOBS only when DWC_SYNC_ENABLED; the task syncs the
last N days."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from dwcsync.models import RunStatus, SyncRun
from dwcsync.tasks import sync_recent_task
from periodic import jobs
from tests.production.support import ROOT


def declared_jobs(**env: str) -> str:
    """PERIODIC_JOBS as a fresh process with this environment sees it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DWC_")}
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'imr_site.settings');"
        "django.setup(); from django.conf import settings; print(settings.PERIODIC_JOBS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def test_it_is_off_in_a_fresh_deployment():
    assert "dwc-sync" not in declared_jobs()


def test_it_is_declared_when_enabled():
    declared = declared_jobs(DWC_SYNC_ENABLED="1", DWC_SYNC_DAYS="3", DWC_SYNC_AT="05:15")
    assert "'dwc-sync-daily'" in declared
    assert "dwcsync.tasks.sync_recent_task" in declared
    assert "'days': 3" in declared and "'at': '05:15'" in declared


@pytest.mark.django_db
def test_it_enqueues_the_declared_job_once_a_day(settings):
    declared = {
        "dwc-sync-daily": {
            "task": "dwcsync.tasks.sync_recent_task",
            "every": "daily",
            "at": "04:30",
            "kwargs": {"days": 7},
        }
    }
    morning = timezone.make_aware(datetime.datetime(2026, 12, 4, 9, 0))
    assert jobs.enqueue_due(morning, declared) == ["dwc-sync-daily"]
    assert jobs.enqueue_due(morning + datetime.timedelta(hours=3), declared) == []


@pytest.mark.django_db
def test_the_task_syncs_the_last_n_days(fake_dwc):
    latest = max(x.decision_date for x in fake_dwc.letters)
    days = (timezone.localdate() - latest).days  # reaches back to the newest letter only
    result = sync_recent_task.call(days)
    run = SyncRun.objects.get()
    assert result["status"] == RunStatus.FINISHED
    assert (run.decided_from, run.decided_to) == (latest, timezone.localdate())
    assert run.trigger == "schedule"
    newest = [x for x in fake_dwc.letters if x.decision_date == latest]
    assert run.new_letters == len(newest)
