"""The batch page and its progress endpoint: counts, each file's outcome, warnings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ingest.batches import Upload, create_batch, process_batch
from tests.admin_ingest.factories import letter

pytestmark = pytest.mark.django_db


def flagged_letter() -> bytes:
    # No decision date: the parser keeps the letter and flags it for review.
    return letter(3).replace(b"Decision Date: 02/10/2017", b"Decision Date:")


def test_it_reports_progress_as_json_while_the_batch_is_pending(admin_client):
    batch = create_batch([Upload("a.txt", letter(1)), Upload("b.bin", b"\x00\x01" * 40)])
    response = admin_client.get(reverse("admin:ingest_ingestbatch_progress", args=[batch.pk]))
    progress = response.json()
    assert (progress["total"], progress["done"], progress["finished"]) == (2, 1, False)
    assert progress["counts"]["pending"] == 1 and progress["counts"]["failed"] == 1
    assert [f["status"] for f in progress["files"]] == ["pending", "failed"]


def test_it_shows_each_files_outcome_with_reasons_and_warnings(admin_client):
    batch = create_batch(
        [
            Upload("new.txt", letter(1)),
            Upload("flagged.txt", flagged_letter()),
            Upload("dup.txt", letter(1)),
            Upload("conflict.txt", letter(1, symptom="numbness")),
            Upload("bad.txt", b"\x00" * 10),
        ]
    )
    process_batch(batch.pk)
    statuses = dict(batch.files.values_list("name", "status"))
    assert statuses == {
        "new.txt": "new",
        "flagged.txt": "needs_review",
        "dup.txt": "unchanged",
        "conflict.txt": "conflict",
        "bad.txt": "failed",
    }
    response = admin_client.get(batch.get_absolute_url())
    page = response.content.decode()
    flagged = batch.files.get(name="flagged.txt")
    assert flagged.warnings and flagged.warnings[0] in page
    assert "already belongs to letter" in page
    assert "not a PDF, text, scanned image or zip file" in page
    assert "5 of 5 files processed" in page
    assert 'data-finished="1"' in page
    assert "admin_ingest.js" in page and "<script>" not in page  # no inline script (CSP)


def test_it_lists_batches_with_their_outcome(admin_client):
    batch = create_batch([Upload("a.txt", letter(1)), Upload("b.bin", b"\x00")])
    process_batch(batch.pk)
    page = admin_client.get(reverse("admin:ingest_ingestbatch_changelist")).content.decode()
    assert "1 new, 1 failed" in page
    assert "finished" in page
