"""periodic.jobs: each declared job is enqueued once per period, by whichever worker gets there."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from periodic import jobs
from periodic.models import PeriodicRun
from tests.periodic import tasks

LA = ZoneInfo("America/Los_Angeles")
DAILY = {"digest": {"task": "tests.periodic.tasks.record_call", "every": "daily", "at": "06:00"}}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LA)


# (every, extra spec, now, expected period key)
PERIODS = [
    # after the day's time: today's run
    ("daily", {"at": "06:00"}, "2026-12-04T07:30", "2026-12-04"),
    # before it: yesterday's run is the one due (caught up if it never ran)
    ("daily", {"at": "06:00"}, "2026-12-04T05:59", "2026-12-03"),
    # exactly at the time counts as due
    ("daily", {"at": "06:00"}, "2026-12-04T06:00", "2026-12-04"),
    # weekly on Monday (1): Friday 2026-12-04 belongs to the week that began Monday 2026-11-30
    ("weekly", {"at": "06:00", "weekday": 1}, "2026-12-04T12:00", "2026-W49"),
    # Monday before the time: still last week's run
    ("weekly", {"at": "06:00", "weekday": 1}, "2026-11-30T05:00", "2026-W48"),
    # hourly at :15
    ("hourly", {"at": "00:15"}, "2026-12-04T10:20", "2026-12-04T10"),
    ("hourly", {"at": "00:15"}, "2026-12-04T10:05", "2026-12-04T09"),
    # the day DST ends (two 01:30s): one daily key all the same
    ("daily", {"at": "01:30"}, "2026-11-01T03:00", "2026-11-01"),
]


@pytest.mark.parametrize(("every", "spec", "now", "key"), PERIODS)
def test_it_keys_each_period(every, spec, now, key):
    (job,) = jobs.jobs({"j": {"task": "x.y", "every": every, **spec}})
    assert job.period(at(now)) == key


@pytest.mark.django_db
def test_it_enqueues_a_due_job_once_per_period():
    assert jobs.enqueue_due(at("2026-12-04T07:00"), DAILY) == ["digest"]
    assert jobs.enqueue_due(at("2026-12-04T09:00"), DAILY) == []
    assert jobs.enqueue_due(at("2026-12-05T06:01"), DAILY) == ["digest"]
    assert list(PeriodicRun.objects.order_by("period").values_list("period", flat=True)) == [
        "2026-12-04",
        "2026-12-05",
    ]
    assert DBTaskResult.objects.count() == 2
    run = PeriodicRun.objects.get(period="2026-12-04")
    assert DBTaskResult.objects.filter(id=run.task_id).exists()


@pytest.mark.django_db
def test_it_enqueues_nothing_when_another_worker_recorded_the_period():
    PeriodicRun.objects.create(job="digest", period="2026-12-04")
    assert jobs.enqueue_due(at("2026-12-04T07:00"), DAILY) == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_it_rolls_back_the_run_record_when_the_task_cannot_be_enqueued():
    broken = {"digest": {"task": "tests.periodic.tasks.no_such_task", "every": "daily"}}
    with pytest.raises(ImportError):
        jobs.enqueue_due(at("2026-12-04T07:00"), broken)
    assert not PeriodicRun.objects.exists()


def test_it_refuses_an_unknown_frequency():
    with pytest.raises(ValueError, match="every must be one of"):
        jobs.jobs({"j": {"task": "x.y", "every": "fortnightly"}})


@pytest.mark.django_db(transaction=True)
def test_it_runs_due_jobs_from_the_worker(settings):
    settings.PERIODIC_JOBS = {
        "record": {
            "task": "tests.periodic.tasks.record_call",
            "every": "hourly",
            "kwargs": {"label": "from-worker"},
        }
    }
    tasks.CALLS.clear()
    call_command("ingest_worker", "--batch", verbosity=0)
    call_command("ingest_worker", "--batch", verbosity=0)
    # due once this hour, so run once, however many times the worker starts
    assert tasks.CALLS == ["from-worker"]
    assert PeriodicRun.objects.filter(job="record").count() == 1
