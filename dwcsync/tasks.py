"""Background tasks (``manage.py ingest_worker`` runs them): the daily sync and admin starts."""

from __future__ import annotations

import datetime

from django.tasks import task

from dwcsync import sync


def _summary(run) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"run": run.pk, "status": run.status, "message": run.message}


@task
def sync_recent_task(days: int = 7) -> dict[str, object]:
    """The scheduled daily run (settings PERIODIC_JOBS, when DWC_SYNC_ENABLED)."""
    try:
        return _summary(sync.sync_recent(days))
    except sync.AlreadyRunning as exc:
        # Another sync holds the lock; tomorrow's window overlaps today's.
        return {"run": None, "status": "skipped", "message": str(exc)}


@task
def sync_window_task(
    decided_from: str, decided_to: str, trigger: str = "admin"
) -> dict[str, object]:
    """A sync started from the admin's "Sync from DWC" page."""
    try:
        run = sync.sync_window(
            datetime.date.fromisoformat(decided_from),
            datetime.date.fromisoformat(decided_to),
            trigger=trigger,
        )
    except sync.AlreadyRunning as exc:
        return {"run": None, "status": "skipped", "message": str(exc)}
    return _summary(run)
