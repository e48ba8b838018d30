"""A real worker process, killed mid-batch and restarted, finishes the batch losing nothing."""

from __future__ import annotations

import signal
import time

import pytest
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from determinations.models import Determination, DisputedItem
from ingest.batches import Upload, create_batch
from ingest.models import IngestBatch, IngestFile
from ingest.tasks import enqueue
from synth.pdf import text_to_pdf
from tests.admin_ingest.factories import letter, start_worker

LETTERS = 40


def wait_for(condition, timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def done_count(batch: IngestBatch) -> int:
    return batch.files.exclude(status="pending").count()


def stop(worker) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except Exception:
            worker.kill()
            worker.wait()
    return worker.stdout.read().decode(errors="replace")


@pytest.mark.django_db(transaction=True)
def test_it_finishes_a_batch_after_the_worker_is_killed_mid_way_losing_nothing():
    # Every fourth letter is an encrypted PDF, like DWC's; PDFs take longer to read, which
    # leaves time to kill the worker in the middle.
    uploads = [
        Upload(f"{n}.pdf", text_to_pdf(letter(n).decode(), encrypt=True))
        if n % 4 == 0
        else Upload(f"{n}.txt", letter(n))
        for n in range(1, LETTERS + 1)
    ]
    batch = create_batch(uploads)
    IngestBatch.objects.filter(pk=batch.pk).update(background=True)
    enqueue(batch)  # outside a transaction: sent at once
    first_task = IngestBatch.objects.get(pk=batch.pk).task_id
    assert first_task

    worker = start_worker()
    try:
        assert wait_for(lambda: done_count(batch) >= 3, timeout=60), stop(worker)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        output = stop(worker)
    done_at_kill = done_count(batch)
    assert 0 < done_at_kill < LETTERS, f"worker was not killed mid-batch: {output}"
    # The killed worker's task stays "running" forever: only the resume can finish the batch.
    assert DBTaskResult.objects.get(pk=first_task).status == "RUNNING"
    # Whatever the kill interrupted was rolled back whole: no letter without its file's mark.
    assert Determination.objects.count() == done_at_kill

    restarted = start_worker()
    try:
        finished = wait_for(lambda: done_count(batch) == LETTERS, timeout=120, step=0.2)
    finally:
        output = stop(restarted)
    assert finished, output
    assert "Resumed 1 unfinished upload batch(es)" in output

    batch.refresh_from_db()
    assert batch.finished_at is not None
    assert batch.task_id != first_task
    assert DBTaskResult.objects.get(pk=batch.task_id).status == "SUCCESSFUL"
    # Each file done exactly once: all "new" (a second pass would have made one
    # "unchanged"), each with its own letter, and no letter without an uploaded file.
    assert batch.status_counts()["new"] == LETTERS
    assert IngestFile.objects.filter(determination=None).count() == 0
    assert Determination.objects.count() == LETTERS
    assert Determination.objects.annotate(n=Count("ingest_files")).exclude(n=1).count() == 0
    # No letter half-saved: every letter has both its items and all their citations.
    assert Determination.objects.annotate(n=Count("items")).exclude(n=2).count() == 0
    assert DisputedItem.objects.annotate(n=Count("citations")).exclude(n=2).count() == 0
    assert sorted(Determination.objects.values_list("case_number", flat=True)) == [
        f"CM17-5{n:06d}" for n in range(1, LETTERS + 1)
    ]
