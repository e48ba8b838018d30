"""Issue 24: the sync survives the real page. Each variant of DWC's page is recorded from the
fake form with ``sync_dwc --record`` (its database effects rolled back), then the whole sync
runs offline from the recording with ``sync_dwc --replay``, the fake stopped and the network
unreachable: what the first live run records becomes a test the same way."""

from __future__ import annotations

import datetime
import json
import logging
from contextlib import contextmanager
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from determinations.models import Determination
from dwcsync import client as dwc_client
from dwcsync.models import CaseStatus, DwcCase, DwcItem, RunStatus, SyncRun
from dwcsync.page import LABELS
from tests.dwcsync.conftest import letters, window
from tests.dwcsync.fake_dwc import SEARCH_FORM, SEARCH_PATH, FakeDwc, serve
from tests.dwcsync.test_it_syncs_every_letter_once import assert_each_letter_once


class _Undo(Exception):
    pass


def record(fake, folder, settings, first=None, last=None, *extra: str) -> str:
    """``sync_dwc --record folder`` against the fake; the database is left as it was. Returns
    the command's error message ("" when it succeeded)."""
    lo, hi = window(fake)
    error = ""
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        try:
            with transaction.atomic():
                try:
                    call_command(
                        "sync_dwc",
                        "--decided-from",
                        (first or lo).isoformat(),
                        "--decided-to",
                        (last or hi).isoformat(),
                        "--record",
                        str(folder),
                        *extra,
                        verbosity=0,
                    )
                except CommandError as exc:
                    error = str(exc)
                raise _Undo
        except _Undo:
            pass
    assert SyncRun.objects.count() == 0
    return error


def _refuse(*args, **kwargs):
    raise AssertionError("a replay opened a connection")


@contextmanager
def offline(settings):
    """No request may leave the process: a replay answers everything from its recording
    (the recorded search address, not the setting's; no contact needed: nothing is sent)."""
    url, contact = settings.DWC_SEARCH_URL, settings.DWC_CONTACT
    settings.DWC_SEARCH_URL = "http://127.0.0.1:9/not-the-recorded-address"
    settings.DWC_CONTACT = ""
    try:
        with mock.patch.object(dwc_client.HttpTransport, "send", _refuse):
            yield
    finally:
        settings.DWC_SEARCH_URL, settings.DWC_CONTACT = url, contact


def replay(folder, settings, *extra: str) -> str:
    with offline(settings):
        try:
            call_command("sync_dwc", "--replay", str(folder), *extra, verbosity=0)
        except CommandError as exc:
            return str(exc)
    return ""


def exchanges(folder) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("[0-9]*.json"))]


def fake_with(**faults) -> FakeDwc:
    fake = FakeDwc(letters(13)[:12])
    for name, value in faults.items():
        if name == "rows_per_page":
            fake.rows_per_page = value
        else:
            setattr(fake.faults, name, value)
    return fake


REWORDED = {
    "Case Number": "CASE<br>NO.",
    "Decision Date": "Date of<br>Decision",
    "Date of Injury": "Injury Date",
    "Received Date": "Date<br/>Received",
    "IMRO Reviewer Specialty": "Reviewer<br>Specialty",
    "Request Category": "Category",
    "SubCategory/Drug": "Sub-Category / Drug",
    "Request Decision": "Decision",
}

# (variant, the fake's page as DWC might serve it) -- each synced in full from its replay.
SYNCED = [
    ("headers with <br> and other wording", {"headers": REWORDED}),
    ("an extra column", {"columns": (*LABELS[:5], "Expedited", *LABELS[5:])}),
    ("30-row pages", {"rows_per_page": 30}),
    (
        "a same-host redirect, followed",
        {
            "redirects": {
                # the form moved (307: posted again), the PDFs too (301: fetched there)
                SEARCH_PATH: (307, "/dwc/imr/v2/IMRDecisionSearch.asp"),
                "/pdfs/": (301, "/archive/pdfs/"),
            }
        },
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("variant", "faults"), SYNCED, ids=[v for v, _ in SYNCED])
def test_a_replayed_variant_syncs_every_letter_once(variant, faults, tmp_path, settings, caplog):
    fake = fake_with(**faults)
    folder = tmp_path / "recording"
    assert record(fake, folder, settings) == ""
    recorded = exchanges(folder)
    assert all(e["status"] < 400 for e in recorded)
    with caplog.at_level(logging.INFO, logger="dwcsync"):
        assert replay(folder, settings) == ""
    assert_each_letter_once(fake)
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FINISHED
    rows = sum(len(x.items) for x in fake.letters)
    assert run.rows == rows
    assert run.pages == -(-rows // fake.rows_per_page)
    if variant == "an extra column":
        assert "columns we do not read: ['Expedited']" in caplog.text
    if variant == "a same-host redirect, followed":
        statuses = [e["status"] for e in recorded]
        assert statuses.count(307) == run.pages and statuses.count(301) == len(fake.letters)
        assert "redirected" in caplog.text
    if variant == "headers with <br> and other wording":
        letter = fake.letters[0]
        case = DwcCase.objects.get(case_number=letter.case_number)
        assert (case.received_date, case.specialty) == (letter.received_date, letter.specialty)


@pytest.mark.django_db
def test_a_replayed_no_results_page_in_other_words_finishes_empty(tmp_path, settings, caplog):
    wording = "There were no IMR decisions matching those dates."
    fake = fake_with(
        no_results_html=f"<html><body><h1>IMR</h1><p>{wording}</p>{SEARCH_FORM}</body></html>"
    )
    lo, _ = window(fake)
    folder = tmp_path / "recording"
    days = (lo - datetime.timedelta(days=20), lo - datetime.timedelta(days=2))
    assert record(fake, folder, settings, *days) == ""
    with caplog.at_level(logging.INFO, logger="dwcsync"):
        assert replay(folder, settings) == ""
    run = SyncRun.objects.get()
    assert (run.status, run.pages, run.rows, run.new_letters) == (RunStatus.FINISHED, 1, 0, 0)
    # The wording is logged, never matched; an empty 19-day window is pointed out.
    assert f"IMR {wording}" in caplog.text and "sync_dwc --probe" in caplog.text


@pytest.mark.django_db
def test_a_replayed_off_host_redirect_is_refused_naming_the_address(tmp_path, settings):
    fake = fake_with(redirects={"/pdfs/": (302, "http://files.elsewhere.invalid/pdfs/")})
    folder = tmp_path / "recording"
    error = record(fake, folder, settings)
    first = min(fake.letters, key=lambda x: (x.decision_date, x.case_number)).case_number
    where = f"http://files.elsewhere.invalid/pdfs/{first}.pdf"
    assert where in error and "outside DWC's hosts" in error
    # Never requested: the recording holds the redirect, and nothing from elsewhere.
    assert not [e for e in exchanges(folder) if "elsewhere" in e["url"]]
    replayed = replay(folder, settings)
    assert where in replayed and "outside DWC's hosts" in replayed
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FAILED and where in run.message
    assert Determination.objects.count() == 0


@pytest.mark.django_db
def test_a_replay_of_another_window_stops_saying_so(tmp_path, settings):
    fake = fake_with()
    folder = tmp_path / "recording"
    assert record(fake, folder, settings) == ""
    lo, hi = window(fake)
    error = replay(
        folder,
        settings,
        "--decided-from",
        (lo - datetime.timedelta(days=1)).isoformat(),
        "--decided-to",
        hi.isoformat(),
    )
    assert "has no (more) answers to POST" in error


@pytest.mark.django_db
def test_it_records_each_request_and_answer(tmp_path, settings):
    fake = fake_with()
    folder = tmp_path / "recording"
    assert record(fake, folder, settings) == ""
    manifest = json.loads((folder / "recording.json").read_text())
    lo, _ = window(fake)
    assert manifest["runs"][0]["decided_from"] == lo.isoformat()
    assert manifest["search_url"].endswith(SEARCH_PATH)
    first, *rest = exchanges(folder)
    assert (first["method"], first["status"]) == ("POST", 200)
    assert first["form"]["DecStart"] == [f"{lo:%m/%d/%Y}"]
    assert "IMR-Determinations-sync" in first["request_headers"]["User-Agent"]
    assert dict(first["headers"])["Content-Type"].startswith("text/html")
    assert (folder / first["body_file"]).read_bytes().startswith(b"<html>")
    pdfs = [e for e in rest if e["method"] == "GET"]
    assert len(pdfs) == len(fake.letters) and all(e["body_file"].endswith(".pdf") for e in pdfs)
    assert len(fake.log) == 1 + len(rest)


# --- the end date ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("exclusive", [True, False], ids=["exclusive end", "inclusive end"])
def test_overlapping_windows_lose_no_day_and_store_each_row_once(fake_dwc, settings, exclusive):
    # Split into many small windows (a cap of one page), each asking one day past its end.
    fake_dwc.faults.end_exclusive = exclusive
    settings.DWC_PAGE_CAP = 1
    # Two letters a day, so every split's last day and the day after hold decisions.
    start = fake_dwc.letters[0].decision_date
    for n, letter in enumerate(fake_dwc.letters):
        letter.decision_date = start + datetime.timedelta(days=n // 2)
    lo, hi = window(fake_dwc)
    call_command(
        "sync_dwc", "--decided-from", lo.isoformat(), "--decided-to", hi.isoformat(), verbosity=0
    )
    # Every letter, those decided on the window's last day and on each split's last day too;
    # each DWC row stored once though the overlap day is listed by two windows.
    assert_each_letter_once(fake_dwc)
    run = SyncRun.objects.get()
    rows = sum(len(x.items) for x in fake_dwc.letters)
    assert run.rows >= rows
    if not exclusive:
        assert run.rows > rows  # some rows were listed twice, and stored once
    assert DwcItem.objects.count() == rows
    assert DwcCase.objects.exclude(status=CaseStatus.INGESTED).count() == 0


@pytest.mark.django_db
def test_a_page_dwc_did_not_link_stops_the_run(fake_dwc):
    # The next-page form gone: the walk would end on page 1 with rows missing. DWC's total
    # says so, and the run stops instead of finishing short.
    fake_dwc.faults.hide_next = True
    lo, hi = window(fake_dwc)
    with pytest.raises(CommandError) as caught:
        call_command(
            "sync_dwc",
            "--decided-from",
            lo.isoformat(),
            "--decided-to",
            hi.isoformat(),
            verbosity=0,
        )
    assert "a next page DWC did not link" in str(caught.value)
    assert SyncRun.objects.get().status == RunStatus.FAILED


# --- the probe -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_probe_prints_one_day_and_saves_nothing(fake_dwc, tmp_path, settings):
    day = max(
        {x.decision_date for x in fake_dwc.letters},
        key=lambda d: sum(x.decision_date == d for x in fake_dwc.letters),
    )
    of_day = sorted(
        (x for x in fake_dwc.letters if x.decision_date == day), key=lambda x: x.case_number
    )
    fake_dwc.faults.headers = {"Request Decision": "Decision"}
    out = StringIO()
    folder = tmp_path / "probe"
    call_command(
        "sync_dwc", "--probe", "--date", day.isoformat(), "--record", str(folder), stdout=out
    )
    text = out.getvalue()
    rows = sum(len(x.items) for x in of_day)
    assert f"Probe of decisions dated {day}" in text
    assert "'Decision' read as Request Decision" in text
    assert f"Read {rows} rows of {len(of_day)} cases" in text
    assert f"DWC's total {rows} (counts rows)" in text
    assert f"First case: {of_day[0].case_number}, PDF http://127.0.0.1:" in text
    assert f"/pdfs/{of_day[0].case_number}.pdf" in text
    assert "Nothing was saved." in text
    assert SyncRun.objects.count() == DwcCase.objects.count() == Determination.objects.count() == 0
    assert [m for m, _, _ in fake_dwc.log] == ["POST"] * len(fake_dwc.log)  # no PDF fetched
    # The probe replays from its recording, to the same report.
    again = StringIO()
    with offline(settings):
        call_command("sync_dwc", "--probe", "--replay", str(folder), stdout=again)
    assert again.getvalue() == text
