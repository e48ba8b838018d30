"""The digest job, declared in settings PERIODIC_JOBS and enqueued by the worker."""

from __future__ import annotations

from django.tasks import task

from alerts.digest import send_digests


@task
def send_digests_task(frequency: str) -> dict[str, int]:
    """Send the daily or weekly digests; safe to run twice or after a crash."""
    return vars(send_digests(frequency))
