"""The real DWC PDFs in ../shared, served by the fake form, arrive once each (skipped without
../shared). Their DWC coding is not in ../shared, so the fake lists them as our parser reads them."""

from __future__ import annotations

import pytest
from django.db.models import Count

from determinations.models import Determination
from dwcsync.models import DwcCase, SyncRun
from ingest.models import IngestFile
from tests.dwcsync.conftest import window
from tests.dwcsync.fake_dwc import SHARED_LETTERS, FakeDwc, real_letters, serve
from tests.dwcsync.test_it_syncs_every_letter_once import sync

# A sample keeps the run short (each real PDF is AES-encrypted and takes a while to read).
SAMPLE = 12


@pytest.mark.real_letters
@pytest.mark.django_db
def test_it_syncs_real_dwc_pdfs_once_each(settings):
    letters = real_letters(SAMPLE)
    if not letters:
        pytest.skip(f"no real letters in {SHARED_LETTERS} (../shared is absent)")
    fake = FakeDwc(letters)
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        sync(fake)
        sync(fake)  # again: nothing new, nothing fetched
    expected = sorted(x.case_number for x in letters)
    assert sorted(Determination.objects.values_list("case_number", flat=True)) == expected
    assert IngestFile.objects.count() == len(expected)
    assert Determination.objects.annotate(n=Count("ingest_files")).exclude(n=1).count() == 0
    assert DwcCase.objects.filter(determination=None).count() == 0
    assert [m for m, _, _ in fake.log].count("GET") == len(expected)
    first, second = SyncRun.objects.order_by("id")
    assert (first.new_letters, second.new_letters) == (len(expected), 0)
    assert window(fake)[0] == first.decided_from
