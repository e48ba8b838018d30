"""sync_dwc walks every result page of a window and ingests each letter exactly once."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from determinations.models import Determination
from dwcsync.models import CaseStatus, DwcCase, DwcItem, RunStatus, SyncRun
from ingest.models import IngestFile
from tests.dwcsync.conftest import window


def sync(fake, first=None, last=None):
    lo, hi = window(fake)
    call_command(
        "sync_dwc",
        "--decided-from",
        (first or lo).isoformat(),
        "--decided-to",
        (last or hi).isoformat(),
        verbosity=0,
    )


def assert_each_letter_once(fake):
    expected = sorted(x.case_number for x in fake.letters)
    assert sorted(Determination.objects.values_list("case_number", flat=True)) == expected
    # One uploaded-file record per letter: each PDF went through the ingest path once.
    assert IngestFile.objects.count() == len(expected)
    assert Determination.objects.annotate(n=Count("ingest_files")).exclude(n=1).count() == 0
    # DWC's rows, each stored once, beside (not in) the letter.
    assert DwcItem.objects.count() == sum(len(x.items) for x in fake.letters)
    assert DwcCase.objects.exclude(status=CaseStatus.INGESTED).count() == 0
    assert DwcCase.objects.filter(determination=None).count() == 0


@pytest.mark.django_db
def test_it_ingests_every_letter_of_the_window_once(fake_dwc):
    sync(fake_dwc)
    assert_each_letter_once(fake_dwc)
    run = SyncRun.objects.get()
    rows = sum(len(x.items) for x in fake_dwc.letters)
    n = len(fake_dwc.letters)
    assert run.status == RunStatus.FINISHED
    assert (run.pages, run.rows, run.new_letters, run.failures) == (-(-rows // 25), rows, n, 0)
    # One search page request per page, one PDF request per letter, nothing else.
    assert run.requests == run.pages + n == len(fake_dwc.log)


@pytest.mark.django_db
def test_it_downloads_nothing_it_already_holds(fake_dwc):
    sync(fake_dwc)
    before = len(fake_dwc.log)
    sync(fake_dwc)  # a second run of the same window
    pdf_requests = [key for method, key, _ in fake_dwc.log[before:] if method == "GET"]
    assert pdf_requests == []
    second = SyncRun.objects.order_by("id").last()
    assert (second.new_letters, second.already_held) == (0, 0)
    assert_each_letter_once(fake_dwc)


@pytest.mark.django_db
def test_it_links_a_letter_uploaded_by_hand_without_downloading_it(fake_dwc):
    from ingest.loader import ingest_bytes

    by_hand = fake_dwc.letters[0]
    ingest_bytes("by-hand.pdf", by_hand.pdf)
    sync(fake_dwc)
    assert fake_dwc.requests_for(by_hand.case_number) == 0
    case = DwcCase.objects.get(case_number=by_hand.case_number)
    assert case.determination.original_filename == "by-hand.pdf"
    run = SyncRun.objects.get()
    assert (run.new_letters, run.already_held) == (len(fake_dwc.letters) - 1, 1)


@pytest.mark.django_db
def test_it_keeps_dwc_coding_beside_what_the_parser_read(fake_dwc):
    letter = fake_dwc.letters[0]
    # DWC codes the first treatment differently from what the letter says.
    letter.items[0] = ("Surgery", "Spine", letter.items[0][2])
    sync(fake_dwc)
    case = DwcCase.objects.get(case_number=letter.case_number)
    dwc = list(case.items.order_by("id").values_list("category", "subcategory"))
    assert dwc[0] == ("Surgery", "Spine")
    ours = case.determination.items.get(order=1)
    assert (ours.category, ours.subcategory) != ("Surgery", "Spine")
    assert case.disagrees
    assert DwcCase.objects.filter(disagrees=True).count() == 1
    assert case.specialty == letter.specialty
    assert case.decision_date == letter.decision_date


@pytest.mark.django_db
def test_it_sends_a_descriptive_user_agent_with_the_contact(fake_dwc):
    sync(fake_dwc)
    agents = {agent for _, _, agent in fake_dwc.log}
    assert len(agents) == 1
    (agent,) = agents
    assert "IMR-Determinations-sync" in agent and "imr-team@example.org" in agent


@pytest.mark.django_db
def test_it_refuses_to_crawl_without_a_contact(fake_dwc, settings):
    from django.core.management.base import CommandError

    settings.DWC_CONTACT = ""
    with pytest.raises(CommandError, match="DWC_CONTACT"):
        sync(fake_dwc)
    assert fake_dwc.log == []


@pytest.mark.django_db
def test_it_splits_a_window_with_more_pages_than_the_cap(fake_dwc, settings):
    settings.DWC_PAGE_CAP = 1
    sync(fake_dwc)
    assert_each_letter_once(fake_dwc)
    run = SyncRun.objects.get()
    walked = run.windows.filter(split=False)
    assert run.windows.filter(split=True).exists()
    # Every walked window fits in one page, or is a single day.
    for w in walked:
        assert w.pages_total <= 1 or w.decided_from == w.decided_to
    assert {key for m, key, _ in fake_dwc.log if m == "POST"} <= {"page 1", "page 2", "page 3"}


@pytest.mark.django_db
def test_it_finishes_a_window_with_no_decisions(fake_dwc):
    lo, _ = window(fake_dwc)
    before = lo - datetime.timedelta(days=30)
    # The window ends two days before the first decision: the sync asks DWC for one day past
    # a window (its end date may be exclusive), so a window ending the day before would list
    # the first day's decisions too.
    sync(fake_dwc, before, lo - datetime.timedelta(days=2))
    run = SyncRun.objects.get()
    assert (run.status, run.pages, run.rows, run.new_letters) == (RunStatus.FINISHED, 1, 0, 0)
    assert len(fake_dwc.log) == 1
