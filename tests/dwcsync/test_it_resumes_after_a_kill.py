"""A real ``manage.py sync_dwc`` process SIGKILLed mid-window, then run again: every letter
arrives once, nothing is lost and nothing is duplicated, and the walk resumes where it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db.models import Count

from determinations.models import Determination
from dwcsync.models import DwcCase, DwcItem, RunStatus, SyncRun
from ingest.models import FileStatus, IngestFile
from tests.dwcsync.conftest import window
from tests.dwcsync.fake_dwc import FakeDwc, serve, synthetic_letters
from tests.production.support import ROOT, subprocess_env

# 16 letters, every fourth an encrypted PDF like DWC's (slow to read: time to kill mid-save).
_KILL_LETTERS: list = []


def kill_letters() -> list:
    if not _KILL_LETTERS:
        _KILL_LETTERS.extend(synthetic_letters(16, seed=11, encrypt_every=4))
    return list(_KILL_LETTERS)


def start_sync(url: str, first, last) -> subprocess.Popen[bytes]:
    env = subprocess_env(
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DJANGO_DEBUG="0",
        LOG_LEVEL="WARNING",
        DWC_SEARCH_URL=url,
        DWC_CONTACT="imr-team@example.org",
        DWC_DELAY_SECONDS="0",
        DWC_BACKOFF_SECONDS="0",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "sync_dwc",
            "--decided-from",
            first.isoformat(),
            "--decided-to",
            last.isoformat(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def page_cases(fake: FakeDwc, first, last, number: int) -> list[str]:
    rows = fake.rows(first, last)[(number - 1) * 25 : number * 25]
    return list(dict.fromkeys(x.case_number for x, _ in rows))


# Where the kill lands: while fetching page 2's PDFs (the request held by the fake), or
# while page 2's letters are being saved (as soon as one of them is).
KILL_POINTS = ["downloading", "saving"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kill_point", KILL_POINTS)
def test_it_loses_and_duplicates_nothing_after_a_kill(kill_point):
    fake = FakeDwc(kill_letters())
    first, last = window(fake)
    page_1 = page_cases(fake, first, last, 1)
    page_2 = [c for c in page_cases(fake, first, last, 2) if c not in page_1]
    assert page_2, "the fake's letters should fill more than one page"
    with serve(fake) as url:
        if kill_point == "downloading":
            fake.faults.hold = page_2[-1]
        syncing = start_sync(url, first, last)
        try:
            if kill_point == "downloading":
                reached = fake.held.wait(60)
            else:
                reached = wait_for(
                    lambda: (
                        IngestFile.objects.filter(name__in=[f"{c}.pdf" for c in page_2])
                        .exclude(status=FileStatus.PENDING)
                        .exists()
                    ),
                    timeout=60,
                )
            assert reached, syncing.stdout.read().decode() if syncing.poll() is not None else ""
            syncing.send_signal(signal.SIGKILL)
            syncing.wait(timeout=10)
        finally:
            if syncing.poll() is None:
                syncing.kill()
                syncing.wait()
        fake.release.set()
        assert syncing.returncode == -signal.SIGKILL
        run = SyncRun.objects.get()
        assert run.status == RunStatus.RUNNING  # what a killed process leaves behind
        pages_done_at_kill = run.windows.get().pages_done
        assert pages_done_at_kill == 1
        saved_at_kill = Determination.objects.count()
        assert len(page_1) <= saved_at_kill < len(fake.letters)
        if kill_point == "saving":
            # The kill left page 2's upload batch half-done: the restart must finish it.
            assert IngestFile.objects.filter(status=FileStatus.PENDING).exists()
        page_1_requests = fake.requests_for("page 1")

        restarted = start_sync(url, first, last)
        output, _ = restarted.communicate(timeout=180)
        assert restarted.returncode == 0, output.decode()
        assert b"resuming run" in output

    # The walk resumed at page 2: page 1 was not asked for again.
    assert fake.requests_for("page 1") == page_1_requests
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FINISHED
    assert run.new_letters == len(fake.letters)  # each counted once, across the two processes
    expected = sorted(x.case_number for x in fake.letters)
    assert sorted(Determination.objects.values_list("case_number", flat=True)) == expected
    # Every PDF through the ingest path exactly once, every letter from one file.
    assert sorted(IngestFile.objects.values_list("name", flat=True)) == [
        f"{c}.pdf" for c in expected
    ]
    assert IngestFile.objects.filter(status=FileStatus.NEW).count() == len(expected)
    assert Determination.objects.annotate(n=Count("ingest_files")).exclude(n=1).count() == 0
    # DWC's rows, once each.
    assert DwcItem.objects.count() == sum(len(x.items) for x in fake.letters)
    assert DwcCase.objects.filter(determination=None).count() == 0
    # Only the page the kill interrupted is fetched again (its PDFs not yet saved), never
    # a letter of a finished page.
    fetched = [key for method, key, _ in fake.log if method == "GET"]
    again = {key for key in fetched if fetched.count(key) > 1}
    assert again <= set(page_2)
