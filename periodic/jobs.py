"""Scheduled jobs, enqueued by the background worker (``manage.py ingest_worker``); no cron.

A job is declared in settings ``PERIODIC_JOBS``: a name mapped to the task's dotted path,
how often it runs and from what local time (``TIME_ZONE``)::

    PERIODIC_JOBS = {
        "alert-digests-daily": {"task": "alerts.tasks.send_digests_task", "every": "daily",
                                "at": "06:00", "kwargs": {"period": "daily"}},
    }

``enqueue_due()`` enqueues every job whose current period has begun and has no
:class:`~periodic.models.PeriodicRun` yet. The run row and the task row are written in one
transaction, so a worker killed between the two leaves neither, and two workers never enqueue
the same period twice. A period missed while no worker ran is caught up once when one starts
(the latest due period only: a week of downtime runs one daily job, not seven; a job's own
"since the last run" mark covers what happened meanwhile).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from periodic.models import PeriodicRun

log = logging.getLogger(__name__)

EVERY = ("hourly", "daily", "weekly")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    task: str
    every: str
    at: time = time(0, 0)
    # Weekly jobs: ISO weekday (1 = Monday) on which the week's run becomes due.
    weekday: int = 1
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def due(self, now: datetime) -> datetime:
        """The latest moment at or before ``now`` when this job was due (in local time)."""
        local = timezone.localtime(now)
        if self.every == "hourly":
            moment = local.replace(minute=self.at.minute, second=0, microsecond=0)
            return moment if moment <= local else moment - timedelta(hours=1)
        days_back = (local.isoweekday() - self.weekday) % 7 if self.every == "weekly" else 0
        step = timedelta(days=7 if self.every == "weekly" else 1)
        day = local.date() - timedelta(days=days_back)
        moment = timezone.make_aware(datetime.combine(day, self.at), local.tzinfo)
        return moment if moment <= local else moment - step

    def period(self, now: datetime) -> str:
        """The key of the period whose run is due at ``now``: one run per key, ever."""
        moment = self.due(now)
        if self.every == "hourly":
            return moment.strftime("%Y-%m-%dT%H")
        if self.every == "daily":
            return moment.date().isoformat()
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"


def _parse_time(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def jobs(declared: Mapping[str, Mapping[str, Any]] | None = None) -> list[Job]:
    """The declared jobs, validated: a typo in PERIODIC_JOBS fails loudly at worker start."""
    declared = settings.PERIODIC_JOBS if declared is None else declared
    result = []
    for name, spec in declared.items():
        every = spec.get("every", "daily")
        if every not in EVERY:
            raise ValueError(
                f"PERIODIC_JOBS[{name!r}]: every must be one of {EVERY}, not {every!r}"
            )
        result.append(
            Job(
                name=name,
                task=spec["task"],
                every=every,
                at=_parse_time(spec.get("at", "00:00")),
                weekday=int(spec.get("weekday", 1)),
                kwargs=dict(spec.get("kwargs", {})),
            )
        )
    return result


def enqueue_due(
    now: datetime | None = None, declared: Mapping[str, Any] | None = None
) -> list[str]:
    """Enqueue each job whose current period has begun and was not enqueued; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs(declared):
        period = job.period(now)
        if PeriodicRun.objects.filter(job=job.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, period=period)
                result = import_string(job.task).enqueue(**job.kwargs)
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker enqueued this period first
        log.info("enqueued %s for %s", job.name, period)
        enqueued.append(job.name)
    return enqueued


def run_forever(stop: threading.Event, interval: float = 30.0) -> None:
    """The worker's scheduler thread: check for due jobs every ``interval`` seconds."""
    while not stop.is_set():
        try:
            close_old_connections()
            enqueue_due()
        except Exception:
            # The database may be restarting; the next round tries again.
            log.exception("scheduled jobs: could not check for due jobs")
        stop.wait(interval)
    close_old_connections()
