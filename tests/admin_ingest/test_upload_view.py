"""The admin upload page: each file type, limits, mixed batches, duplicates, conflicts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from determinations.models import Determination
from ingest.batches import process_batch
from ingest.models import IngestBatch, IngestFile
from synth.pdf import text_to_pdf
from tests.admin_ingest.factories import letter, upload, zip_of

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("admin:ingest_ingestbatch_add")


def post(client, *files, follow=False):
    return client.post(UPLOAD_URL, {"files": list(files)}, follow=follow)


def only_batch() -> IngestBatch:
    return IngestBatch.objects.get()


def statuses(batch: IngestBatch) -> dict[str, str]:
    return dict(batch.files.values_list("name", "status"))


def test_it_states_the_limits_on_the_page(admin_client, settings):
    settings.INGEST_MAX_FILE_BYTES = 3 * 1_048_576
    settings.INGEST_MAX_BATCH_BYTES = 7 * 1_048_576
    page = admin_client.get(UPLOAD_URL).content.decode()
    assert "up to <strong>3 MB</strong>" in page
    assert "up to <strong>7 MB</strong> in total" in page
    assert 'name="files"' in page and " multiple" in page


def test_it_saves_a_text_letter_before_the_page_returns(admin_client, admin_user):
    response = post(admin_client, upload("a.txt", letter(1)))
    batch = only_batch()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    record = batch.files.get()
    assert (record.kind, record.status) == ("text", "new")
    assert record.determination.case_number == "CM17-5000001"
    assert record.determination.items.count() == 2
    assert batch.uploaded_by == admin_user
    assert batch.finished_at is not None
    assert not batch.background


def test_it_saves_an_encrypted_pdf_letter(admin_client):
    pdf = text_to_pdf(letter(2).decode(), encrypt=True)
    post(admin_client, upload("letter.pdf", pdf))
    record = only_batch().files.get()
    assert (record.kind, record.status) == ("pdf", "new"), record.message
    assert record.determination.case_number == "CM17-5000002"
    assert record.file.read() == pdf


def test_it_expands_a_zip_into_one_file_per_member(admin_client):
    archive = zip_of({"march/a.txt": letter(1), "march/b.txt": letter(2), "notes.doc": b"x"})
    post(admin_client, upload("march.zip", archive))
    assert statuses(only_batch()) == {
        "march.zip!march/a.txt": "new",
        "march.zip!march/b.txt": "new",
        "march.zip!notes.doc": "failed",
    }
    refused = IngestFile.objects.get(name="march.zip!notes.doc")
    assert refused.message == "skipped: not a .pdf or .txt file"


def test_it_detects_the_type_by_content_not_by_name(admin_client):
    post(
        admin_client,
        upload("really-text.pdf", letter(1)),
        upload("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        upload("animation.pdf", b"GIF89a" + bytes(range(256))),
    )
    kinds = dict(only_batch().files.values_list("name", "kind"))
    # A PNG is a scan, read by OCR whatever its name; a GIF is no letter.
    assert kinds == {"really-text.pdf": "text", "image.txt": "image", "animation.pdf": "unknown"}
    refused = IngestFile.objects.get(name="animation.pdf")
    assert refused.status == "failed"
    assert "not a PDF, text, scanned image or zip" in refused.message
    assert refused.file  # kept, never lost


def test_it_refuses_a_file_over_the_per_file_limit_and_saves_the_others(admin_client, settings):
    settings.INGEST_MAX_FILE_BYTES = 4000
    big = letter(2) + b"\n" + b"x" * 5000
    post(admin_client, upload("a.txt", letter(1)), upload("big.txt", big))
    assert statuses(only_batch()) == {"a.txt": "new", "big.txt": "failed"}
    assert "the limit is" in IngestFile.objects.get(name="big.txt").message


def test_it_refuses_a_batch_over_the_batch_limit_and_saves_nothing(admin_client, settings):
    settings.INGEST_MAX_BATCH_BYTES = len(letter(1)) + 100
    response = post(admin_client, upload("a.txt", letter(1)), upload("b.txt", letter(2)))
    assert response.status_code == 413
    assert "limit for one batch" in response.content.decode()
    assert not IngestBatch.objects.exists()
    assert not Determination.objects.exists()


def test_it_reports_bad_files_and_saves_good_ones_in_a_mixed_batch(admin_client):
    unreadable = b"%PDF-1.4\n" + b"\x00garbage" * 50
    post(
        admin_client,
        upload("good-1.txt", letter(1)),
        upload("broken.pdf", unreadable),
        upload("empty.txt", b"   \n"),
        upload("good-2.txt", letter(2)),
    )
    batch = only_batch()
    assert statuses(batch) == {
        "good-1.txt": "new",
        "broken.pdf": "failed",
        "empty.txt": "failed",
        "good-2.txt": "new",
    }
    broken = batch.files.get(name="broken.pdf")
    assert broken.message and broken.file.read() == unreadable  # reason given, file kept
    assert Determination.objects.count() == 2
    page = admin_client.get(batch.get_absolute_url()).content.decode()
    assert broken.message in page


def test_it_reports_a_second_upload_of_the_same_file_as_unchanged(admin_client):
    post(admin_client, upload("a.txt", letter(1)))
    post(admin_client, upload("a-again.txt", letter(1)))
    again = IngestFile.objects.get(name="a-again.txt")
    assert again.status == "unchanged"
    assert again.determination == IngestFile.objects.get(name="a.txt").determination
    assert Determination.objects.count() == 1


def test_it_keeps_a_different_letter_with_a_known_case_number_as_a_conflict(admin_client):
    post(admin_client, upload("a.txt", letter(1)))
    post(admin_client, upload("other.txt", letter(1, symptom="numbness")))
    conflict = IngestFile.objects.get(name="other.txt")
    assert conflict.status == "conflict"
    assert conflict.determination.review_status == "conflict"
    assert conflict.determination.claimed_case_number == "CM17-5000001"
    assert "already belongs to letter" in " ".join(conflict.warnings)


def test_it_hands_a_larger_batch_to_the_background_worker(
    admin_client, django_capture_on_commit_callbacks
):
    files = [upload(f"{n}.txt", letter(n)) for n in range(1, 8)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_client, *files)
    batch = only_batch()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.background
    assert batch.files.pending().count() == 7
    task = DBTaskResult.objects.get(pk=batch.task_id)
    assert task.args_kwargs["args"] == [batch.pk]
    assert task.task_path == "ingest.tasks.process_batch_task"

    assert process_batch(batch.pk) == 7  # what the worker runs
    assert set(statuses(batch).values()) == {"new"}


def test_it_rejects_a_request_without_the_csrf_token(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = post(client, upload("a.txt", letter(1)))
    assert response.status_code == 403
    assert not IngestBatch.objects.exists()
