"""One row per scheduled job per period: the record that the period's task was enqueued."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """A scheduled job's run for one period ("daily digest for 2026-12-04").

    The unique (job, period) pair makes enqueueing exactly-once across workers and restarts:
    the worker that inserts the row enqueues the task in the same transaction; any other
    worker's insert conflicts and enqueues nothing.
    """

    job = models.CharField(max_length=100)
    # The period's key: "2026-12-04" (daily), "2026-W49" (weekly), "2026-12-04T06" (hourly).
    period = models.CharField(max_length=20)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    # The task result's id in the task backend, for the admin to follow.
    task_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="periodic_run_once"),
        ]
        ordering = ["-enqueued_at"]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
