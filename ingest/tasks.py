"""Background tasks (Django's Tasks framework; ``manage.py ingest_worker`` runs them), and
handing upload batches to them: ``start`` processes a small batch at once and enqueues a
larger one; ``resume_stalled`` re-enqueues batches with pending files whose lock is free
and whose task is not waiting in the queue."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist

from ingest import batches
from ingest.models import IngestBatch, IngestFile
from ingest.reparse import reparse_outdated

logger = logging.getLogger("ingest")


@task
def process_batch_task(batch_id: int) -> int:
    """Save the pending files of an upload batch; safe to run twice or after a crash."""
    return batches.process_batch(batch_id)


@task
def reparse_outdated_task() -> dict[str, int]:
    """Re-parse every letter whose parser version is not the current one."""
    return reparse_outdated()


def start(batch: IngestBatch) -> None:
    """Process a small batch now; hand a larger one to the background worker."""
    if batches.is_small(batch):
        batches.process_batch(batch.pk)
    else:
        IngestBatch.objects.filter(pk=batch.pk).update(background=True)
        batch.background = True
        enqueue(batch)


def enqueue(batch: IngestBatch) -> None:
    def send() -> None:
        result = process_batch_task.enqueue(batch.pk)
        IngestBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))
        batch.task_id = str(result.id)

    # After commit, so a worker never picks up a task for a batch it cannot see yet.
    transaction.on_commit(send)


def resume_stalled(batch_ids: list[int] | None = None) -> list[int]:
    """Re-enqueue batches with pending files that no one is processing; returns their ids.

    A batch is stalled when its task is not waiting in the queue and no process holds
    its lock (its worker was killed, or the queue was lost).
    """
    pending = IngestFile.objects.pending()
    if batch_ids is not None:
        pending = pending.filter(batch_id__in=batch_ids)
    resumed = []
    for batch in IngestBatch.objects.filter(pk__in=pending.values("batch_id").distinct()).order_by(
        "pk"
    ):
        if _task_queued(batch.task_id):
            continue
        with batches.batch_lock(batch.pk) as free:
            if not free:
                continue
        logger.info("resuming %s (pending files, no live task)", batch)
        IngestBatch.objects.filter(pk=batch.pk).update(background=True)
        enqueue(batch)
        resumed.append(int(batch.pk))
    return resumed


def _task_queued(task_id: str) -> bool:
    if not task_id:
        return False
    try:
        result = process_batch_task.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False
    return bool(result.status == TaskResultStatus.READY)
