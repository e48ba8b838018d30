"""The digest jobs are declared in settings PERIODIC_JOBS; the worker enqueues and runs
them once per period, and the digest reaches the SMTP server."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Frequency, SavedSearch
from periodic import jobs
from tests.alerts.factories import verified
from tests.alerts.letters import ingest, split_by_category


def test_the_digest_jobs_are_declared_for_the_worker():
    declared = {job.name: job for job in jobs.jobs()}
    assert declared["alert-digests-daily"].every == "daily"
    assert declared["alert-digests-weekly"].every == "weekly"
    assert declared["alert-digests-daily"].kwargs == {"frequency": "daily"}


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest_once(smtp_server, django_user_model, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MEDIA_ROOT", tmp_path / "media")
    user = verified(
        django_user_model.objects.create_user("a", "a@example.com", "a-long-passphrase-42")
    )
    now = timezone.now()
    SavedSearch.objects.create(
        user=user,
        name="Pharmacy",
        state="category=Pharmaceuticals",
        frequency=Frequency.DAILY,
        last_opened_at=now,
        alert_since=now,
        alert_mark=now,
    )
    matching, _other = split_by_category("Pharmaceuticals", seed=41, count=20)
    ingest(matching[0])
    call_command("ingest_worker", "--batch", verbosity=0)
    call_command("ingest_worker", "--batch", verbosity=0)  # a restart: due once, sent once
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == "a@example.com"
