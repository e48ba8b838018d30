"""ingest.batches: type by content, one transaction per file, resuming stalled batches."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from determinations.models import Determination
from ingest import batches, tasks
from ingest.batches import Upload, create_batch, detect_kind, process_batch
from ingest.models import IngestBatch
from ingest.tasks import resume_stalled
from synth.pdf import text_to_pdf
from tests.admin_ingest.factories import letter, zip_of

KINDS = [
    # A DWC PDF, even with junk before the header.
    (b"%PDF-1.4\n...", "pdf"),
    (b"\r\n%PDF-1.7 junk first", "pdf"),
    (b"PK\x03\x04rest-of-zip", "zip"),
    # Text in UTF-8, cp1252 (curly quote 0x92) and UTF-16 with its BOM.
    (b"Case Number: CM17-5000001\n", "text"),
    (b"The worker\x92s knee", "text"),
    ("Case".encode("utf-16"), "text"),
    # Scans, read by OCR: PNG, TIFF in either byte order, JPEG.
    (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 4, "image"),
    (b"II*\x00" + bytes(range(32)), "image"),
    (b"MM\x00*" + bytes(range(32)), "image"),
    (b"\xff\xd8\xff\xe0" + bytes(range(32)), "image"),
    # Other binary, NUL bytes, and nothing at all are not letters.
    (b"GIF89a" + bytes(range(32)) * 4, "unknown"),
    (b"abc\x00def", "unknown"),
    (b"  \n ", "unknown"),
]


@pytest.mark.parametrize(("data", "kind"), KINDS)
def test_it_detects_the_kind_of_a_file_by_its_bytes(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.django_db
def test_it_records_refused_zip_members_with_their_reason_and_keeps_a_broken_zip():
    unsafe = zip_of({"../evil.txt": letter(1), "ok.txt": letter(2)})
    broken = b"PK\x03\x04" + b"not really a zip" * 10
    batch = create_batch([Upload("m.zip", unsafe), Upload("broken.zip", broken)])
    files = {f.name: f for f in batch.files.all()}
    assert files["m.zip!../evil.txt"].status == "failed"
    assert "unsafe path" in files["m.zip!../evil.txt"].message
    assert files["m.zip!ok.txt"].status == "pending"
    assert files["broken.zip"].status == "failed"
    assert files["broken.zip"].file.read() == broken


@pytest.mark.django_db
def test_it_processes_each_file_once_even_when_run_again():
    batch = create_batch(
        [Upload("a.txt", letter(1)), Upload("b.pdf", text_to_pdf(letter(2).decode()))]
    )
    assert process_batch(batch.pk) == 2
    assert process_batch(batch.pk) == 0
    assert batch.status_counts()["new"] == 2
    assert Determination.objects.count() == 2


@pytest.mark.django_db
def test_it_marks_a_file_failed_when_saving_raises_and_goes_on(monkeypatch):
    batch = create_batch([Upload("a.txt", letter(1)), Upload("b.txt", letter(2))])

    def explode(prepared, data):
        if prepared.name == "a.txt":
            raise RuntimeError("disk on fire")
        return original(prepared, data)

    original = batches.save_prepared
    monkeypatch.setattr(batches, "save_prepared", explode)
    process_batch(batch.pk)
    statuses = dict(batch.files.values_list("name", "status"))
    assert statuses == {"a.txt": "failed", "b.txt": "new"}
    assert batch.files.get(name="a.txt").message == "internal error: RuntimeError: disk on fire"
    assert Determination.objects.count() == 1  # nothing of a.txt was saved


@pytest.mark.django_db(transaction=True)
def test_it_resumes_a_batch_only_when_no_task_is_queued_and_no_process_holds_it():
    batch = create_batch([Upload("a.txt", letter(1))])
    tasks.enqueue(batch)
    batch.refresh_from_db()
    assert resume_stalled() == []  # its task is still waiting in the queue

    DBTaskResult.objects.filter(pk=batch.task_id).update(status="RUNNING")
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [batches.BATCH_LOCK_NAMESPACE, batch.pk])
        assert resume_stalled() == []  # a live worker holds it
    finally:
        other.close()  # the worker "dies": PostgreSQL drops its lock
    assert resume_stalled() == [batch.pk]
    resumed = IngestBatch.objects.get(pk=batch.pk)
    assert resumed.task_id != batch.task_id
    assert DBTaskResult.objects.get(pk=resumed.task_id).status == "READY"


@pytest.mark.django_db(transaction=True)
def test_it_resumes_a_stalled_batch_when_someone_watches_its_progress(client, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "b@example.com", "long-pass-42")
    client.force_login(admin)
    batch = create_batch([Upload("a.txt", letter(1))])
    IngestBatch.objects.filter(pk=batch.pk).update(background=True, task_id="")
    url = reverse("admin:ingest_ingestbatch_progress", args=[batch.pk])
    assert client.get(url).json()["resumed"] is True
    assert IngestBatch.objects.get(pk=batch.pk).task_id
    assert client.get(url).json()["resumed"] is False  # queued now
