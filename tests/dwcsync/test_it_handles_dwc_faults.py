"""Faults on DWC's side during a sync: retried, or reported, or the sync stops and says why."""

from __future__ import annotations

import datetime

import pytest
from django.core.management.base import CommandError

from determinations.models import Determination
from dwcsync.models import CaseStatus, DwcCase, DwcItem, RunStatus, SyncRun
from ingest.models import FileStatus, IngestFile
from tests.dwcsync.conftest import letters, window
from tests.dwcsync.test_it_syncs_every_letter_once import assert_each_letter_once, sync


@pytest.mark.django_db
def test_it_retries_503s_on_a_result_page(fake_dwc):
    fake_dwc.faults.unavailable["page 2"] = 2
    sync(fake_dwc)
    assert fake_dwc.requests_for("page 2") == 3
    assert_each_letter_once(fake_dwc)


@pytest.mark.django_db
def test_it_retries_a_page_slower_than_the_timeout(fake_dwc):
    fake_dwc.faults.slow.add("page 2")
    sync(fake_dwc)
    assert fake_dwc.requests_for("page 2") == 2
    assert_each_letter_once(fake_dwc)


@pytest.mark.django_db
def test_it_sends_a_truncated_pdf_to_the_review_queue(fake_dwc):
    total = len(fake_dwc.letters)
    broken = fake_dwc.letters[4].case_number
    fake_dwc.faults.truncated.add(broken)
    with pytest.raises(CommandError, match="1 letter"):
        sync(fake_dwc)
    # Kept as a failed upload (the review queue links them), like any upload that fails.
    failed = IngestFile.objects.get(status=FileStatus.FAILED)
    assert failed.name == f"{broken}.pdf" and failed.file and failed.message
    case = DwcCase.objects.get(case_number=broken)
    assert case.status == CaseStatus.FAILED and case.ingest_file == failed
    run = SyncRun.objects.get()
    assert (run.status, run.new_letters, run.failures) == (RunStatus.FINISHED, total - 1, 1)
    # Its letter is DWC's index of the case until a readable copy comes (dwcsync.fallback).
    assert Determination.objects.count() == total
    # The next run tries it again: still the same broken file, so no second failed record.
    with pytest.raises(CommandError):
        sync(fake_dwc)
    assert fake_dwc.requests_for(broken) == 2
    assert IngestFile.objects.filter(status=FileStatus.FAILED).count() == 1
    # Fixed at DWC: the third run ingests it.
    fake_dwc.faults.truncated.clear()
    sync(fake_dwc)
    assert DwcCase.objects.get(case_number=broken).status == CaseStatus.INGESTED
    assert Determination.objects.count() == total


@pytest.mark.django_db
def test_it_reports_a_missing_pdf_and_goes_on(fake_dwc):
    gone = fake_dwc.letters[2].case_number
    fake_dwc.faults.status[gone] = 404
    with pytest.raises(CommandError, match="1 letter"):
        sync(fake_dwc)
    assert DwcCase.objects.get(case_number=gone).status == CaseStatus.MISSING
    assert Determination.objects.count() == len(fake_dwc.letters) - 1


@pytest.mark.django_db
def test_it_reads_columns_in_another_order_by_their_names(fake_dwc):
    # Before issue 24 a changed column order stopped the sync; columns are now found by the
    # words of their header cells, so the order does not matter.
    columns = list(fake_dwc.faults.columns)
    columns[1], columns[2] = columns[2], columns[1]
    fake_dwc.faults.columns = tuple(columns)
    sync(fake_dwc)
    assert_each_letter_once(fake_dwc)
    letter = fake_dwc.letters[0]
    case = DwcCase.objects.get(case_number=letter.case_number)
    assert (case.decision_date, case.date_of_injury) == (
        letter.decision_date,
        letter.date_of_injury,
    )


@pytest.mark.django_db
def test_it_stops_on_a_missing_required_column_naming_both(fake_dwc):
    fake_dwc.faults.columns = tuple(c for c in fake_dwc.faults.columns if c != "Request Decision")
    with pytest.raises(CommandError) as caught:
        sync(fake_dwc)
    message = str(caught.value)
    assert "expected the columns ['Case Number', 'Decision Date'" in message
    assert "['Request Decision'] missing" in message
    assert "found the columns ['Case Number', 'Decision Date', 'Date of Injury'" in message
    assert Determination.objects.count() == 0 and DwcItem.objects.count() == 0
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FAILED and "changed shape" in run.message


@pytest.mark.django_db
def test_it_stops_when_the_search_form_is_gone(fake_dwc, settings):
    settings.DWC_SEARCH_URL = settings.DWC_SEARCH_URL.replace("IMRDecisionSearch", "Moved")
    with pytest.raises(CommandError, match=r"expected DWC's search form at .*; found 404"):
        sync(fake_dwc)


@pytest.mark.django_db
def test_it_stops_on_a_page_without_the_results_table(fake_dwc):
    fake_dwc.faults.page_html = (
        "<html><title>DIR - Our new IMR portal</title><body><div class='results'>"
        "<div>CM16-0000001</div></div></body></html>"
    )
    with pytest.raises(CommandError) as caught:
        sync(fake_dwc)
    message = str(caught.value)
    # No result table, but a case number on the page: results in another shape, never read
    # as "no results".
    assert "expected a table of results, or a page without one" in message
    assert "Our new IMR portal" in message and "'CM16-0000001' outside any table" in message
    assert SyncRun.objects.get().status == RunStatus.FAILED


@pytest.mark.django_db
def test_it_stops_when_refused(fake_dwc):
    fake_dwc.faults.status["page 2"] = 403
    with pytest.raises(CommandError, match="403"):
        sync(fake_dwc)
    assert fake_dwc.requests_for("page 2") == 1
    assert SyncRun.objects.get().status == RunStatus.FAILED


@pytest.mark.django_db
def test_it_takes_a_row_repeated_on_the_next_page_once(fake_dwc):
    # A decision published between pages 1 and 2 shifts every row: page 2 begins with rows
    # page 1 already had, and the new letter lands on page 1, already walked.
    lo, hi = window(fake_dwc)
    late = letters(13)[12]  # not yet published
    late.decision_date = lo  # the earliest day: lands on page 1
    fake_dwc.faults.publish_after_page = 1
    fake_dwc.faults.late_letter = late
    sync(fake_dwc, lo, hi)
    assert late in fake_dwc.letters
    assert_each_letter_once(fake_dwc)
    run = SyncRun.objects.get()
    assert run.windows.get().rewalked


@pytest.mark.django_db
def test_it_stops_when_dwc_stays_down_and_resumes_from_the_last_finished_page(fake_dwc):
    fake_dwc.faults.unavailable["page 2"] = 99
    with pytest.raises(CommandError, match="resume"):
        sync(fake_dwc)
    run = SyncRun.objects.get()
    assert run.status == RunStatus.STOPPED and "giving up for this run" in run.message
    assert run.windows.get().pages_done == 1
    held = Determination.objects.count()
    assert 0 < held < len(fake_dwc.letters)
    fake_dwc.faults.unavailable.clear()
    page_1_requests = fake_dwc.requests_for("page 1")
    sync(fake_dwc)
    assert fake_dwc.requests_for("page 1") == page_1_requests  # resumed, not restarted
    assert SyncRun.objects.get().status == RunStatus.FINISHED
    assert_each_letter_once(fake_dwc)


@pytest.mark.django_db
def test_it_stops_at_the_daily_budget_and_resumes_the_next_day(fake_dwc, settings):
    from dwcsync.models import RequestDay

    settings.DWC_DAILY_REQUEST_BUDGET = 12
    with pytest.raises(CommandError, match="resume"):
        sync(fake_dwc)
    assert len(fake_dwc.log) == 12
    run = SyncRun.objects.get()
    assert run.status == RunStatus.STOPPED and "budget" in run.message
    # The next day (UTC) the counter starts again.
    yesterday = datetime.datetime.now(tz=datetime.UTC).date() - datetime.timedelta(days=1)
    RequestDay.objects.update(day=yesterday)
    settings.DWC_DAILY_REQUEST_BUDGET = 1000
    sync(fake_dwc)
    assert_each_letter_once(fake_dwc)
    assert SyncRun.objects.get().status == RunStatus.FINISHED


@pytest.mark.django_db
def test_it_keeps_the_pdfs_fetched_before_the_budget_ran_out(fake_dwc, settings):
    settings.DWC_DAILY_REQUEST_BUDGET = 4  # page 1, then three of its PDFs
    with pytest.raises(CommandError, match="resume"):
        sync(fake_dwc)
    assert Determination.objects.count() == 3  # saved, though page 1 is not finished
    assert SyncRun.objects.get().windows.get().pages_done == 0
    settings.DWC_DAILY_REQUEST_BUDGET = 10_000
    from dwcsync.models import RequestDay

    RequestDay.objects.all().delete()
    sync(fake_dwc)
    fetched = [key for method, key, _ in fake_dwc.log if method == "GET"]
    assert len(fetched) == len(set(fetched)) == len(fake_dwc.letters)  # none fetched twice
    assert_each_letter_once(fake_dwc)
    assert SyncRun.objects.get().new_letters == len(fake_dwc.letters)
