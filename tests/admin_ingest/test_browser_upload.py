"""Headless Chromium uploads a zip of letters in the admin and watches the batch complete.

The batch is large enough to go to the background: a real worker process runs it while
the batch page polls its progress.
"""

from __future__ import annotations

import pytest

from ingest.models import IngestBatch
from tests.admin_ingest.factories import letter, start_worker, zip_of
from tests.browser import BROWSER

LETTERS = 8

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_it_uploads_a_zip_and_shows_the_batch_completing(
    live_server, browser_page, django_user_model, tmp_path
):
    from playwright.sync_api import expect

    django_user_model.objects.create_superuser("boss", "boss@example.com", "a-long-pass-42")
    archive = tmp_path / "march.zip"
    archive.write_bytes(zip_of({f"march/{n}.txt": letter(n) for n in range(1, LETTERS + 1)}))
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/?next=/admin/ingest/ingestbatch/add/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-pass-42")
    page.click("input[type=submit]")
    expect(page.locator("h1")).to_have_text("Upload letters")
    expect(page.locator(".upload-limits")).to_contain_text("Each letter: up to")

    page.set_input_files("input[name=files]", str(archive))
    page.click("input[name=_upload]")
    page.wait_for_url("**/admin/ingest/ingestbatch/*/change/")
    batch = IngestBatch.objects.get()
    assert batch.background  # too many letters to do during the request
    expect(page.locator("#batch-state-text")).to_have_text("processing…")

    worker = start_worker()
    try:
        expect(page.locator("#batch-state-text")).to_have_text("finished", timeout=60_000)
        expect(page.locator('[data-count="new"]')).to_have_text(str(LETTERS))
        expect(page.locator("#batch-files tbody tr.status-new")).to_have_count(LETTERS)
        expect(page.locator("#batch-files")).to_contain_text("CM17-5000008")
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert batch.files.filter(status="new").count() == LETTERS
