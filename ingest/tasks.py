"""Background tasks (Django's Tasks framework; ``manage.py ingest_worker`` runs them)."""

from __future__ import annotations

from django.tasks import task

from ingest import batches


@task
def process_batch_task(batch_id: int) -> int:
    """Save the pending files of an upload batch; safe to run twice or after a crash."""
    return batches.process_batch(batch_id)


@task
def reparse_outdated_task() -> dict[str, int]:
    """Re-parse every letter whose parser version is not the current one."""
    from ingest.reparse import reparse_outdated

    return reparse_outdated()
