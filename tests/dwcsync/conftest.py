"""Fixtures for the DWC sync tests: a fake DWC on 127.0.0.1, polite settings with no delay."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from tests.dwcsync.fake_dwc import FakeDwc, serve, synthetic_letters

# Synthetic letters are made once per test session (PDF rendering is the slow part).
_LETTERS: dict[int, list] = {}


def letters(count: int) -> list:
    if count not in _LETTERS:
        _LETTERS[count] = synthetic_letters(count)
    # Copies: a test may change a letter's DWC coding or date.
    return [dataclasses.replace(x, items=list(x.items)) for x in _LETTERS[count]]


def window(fake: FakeDwc) -> tuple[datetime.date, datetime.date]:
    dates = [x.decision_date for x in fake.letters]
    return min(dates), max(dates)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def polite_settings(settings):
    settings.DWC_CONTACT = "imr-team@example.org"
    settings.DWC_DELAY_SECONDS = 0
    settings.DWC_BACKOFF_SECONDS = 0
    settings.DWC_TIMEOUT_SECONDS = 0.5
    settings.DWC_MAX_RETRIES = 3
    settings.DWC_DAILY_REQUEST_BUDGET = 10_000
    settings.DWC_PAGE_CAP = 40
    return settings


@pytest.fixture
def fake_dwc(settings):
    """12 synthetic letters (about three result pages) behind a fake search form."""
    fake = FakeDwc(letters(13)[:12])
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        yield fake
