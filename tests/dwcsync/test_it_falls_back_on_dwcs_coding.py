"""DWC's own coding where the letter cannot be read (issue 24, part 3): a synced letter the
parser cannot read (no text, an unknown layout) or reads another number of items than DWC
lists gets DWC's rows as its items, counted like any item; a re-parse that reads it replaces
them; a letter the parser reads only gets DWC's values in the fields it left empty."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from alerts.digest import _candidates, new_letter_ids
from determinations.models import Determination, DisputedItem
from dwcsync.fallback import apply_to_letter
from dwcsync.models import CaseStatus, DwcCase, SyncRun
from dwcsync.sync import sync_window
from ingest.reparse import reparse
from synth.letters import generate_letters
from synth.pdf import text_to_pdf
from tests.alerts.factories import make_search
from tests.dwcsync.conftest import letters, window
from tests.dwcsync.fake_dwc import FakeDwc, serve

pytestmark = pytest.mark.django_db


def sync(fake: FakeDwc) -> SyncRun:
    # Not the command: it exits 1 when a letter could not be read, as these cannot.
    return sync_window(*window(fake))


SCAN = text_to_pdf("")  # a PDF page without text: a scan no OCR has read
NOT_A_LETTER = text_to_pdf("Minutes of the parking committee, second meeting of the year.")


@pytest.fixture
def admin_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.com", "a-long-pass-42")
    client.force_login(boss)
    return client


@pytest.fixture
def unreadable(settings):
    """Six synced letters: the first a scan without text, the second not in any layout we
    read, the third read with one item fewer than DWC lists; the rest read as they are."""
    fake_letters = letters(13)[:6]
    fake_letters[0] = dataclasses.replace(fake_letters[0], pdf=SCAN)
    fake_letters[1] = dataclasses.replace(fake_letters[1], pdf=NOT_A_LETTER)
    extra = fake_letters[2]
    extra.items.append(("Diagnostic Testing", "Imaging (Radiology)", "Overturned"))
    fake = FakeDwc(fake_letters)
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        sync(fake)
        yield fake


def coding(det: Determination) -> list[tuple[str, str, str, str]]:
    return list(
        det.items.order_by("order").values_list("source", "category", "subcategory", "outcome")
    )


def dwc_coding(fake_letter) -> list[tuple[str, str, str, str]]:
    return [("dwc_index", c, s, d.lower()) for c, s, d in fake_letter.items]


def test_it_codes_letters_it_cannot_read_from_dwcs_index(unreadable, admin_client):
    queue = admin_client.get(reverse("admin:ingest_letterreview_changelist")).content.decode()
    for fake_letter, status in zip(
        unreadable.letters[:3], ("failed", "failed", "needs_review"), strict=True
    ):
        case = DwcCase.objects.get(case_number=fake_letter.case_number)
        det = case.determination
        assert det is not None, fake_letter.case_number
        assert coding(det) == dwc_coding(fake_letter)
        # The letter is DWC's case, with DWC's dates, and stays in the review queue.
        assert det.case_number == fake_letter.case_number
        assert det.decision_date == fake_letter.decision_date
        assert det.review_status == status
        assert f">{det.case_number}<" in queue
        page = admin_client.get(det.get_absolute_url()).content.decode()
        assert "read from DWC's index: the letter itself could not be read" in page
    # The scan's file is kept, and the case stays a failure of the run.
    scan = DwcCase.objects.get(case_number=unreadable.letters[0].case_number)
    assert scan.status == CaseStatus.FAILED
    assert scan.determination.source_file.read() == SCAN
    assert SyncRun.objects.get().failures == 2
    # The letters the parser read keep their own items.
    for fake_letter in unreadable.letters[3:]:
        det = Determination.objects.get(case_number=fake_letter.case_number)
        assert {source for source, *_ in coding(det)} == {"parsed"}
        assert det.review_status == "ok"


def test_it_does_nothing_twice_on_a_second_sync(unreadable):
    before = sorted(DisputedItem.objects.values_list("id", flat=True))
    sync(unreadable)
    assert sorted(DisputedItem.objects.values_list("id", flat=True)) == before


def test_it_counts_a_fallback_letter_like_any_other(unreadable, analyst_client, user):
    """The list, its facets, the export and the API count the fallback letters' items (the
    two letters that could not be read at all: review status "failed"), and so do the
    analytics and the alerts."""
    fallback = unreadable.letters[:2]
    ids = set(
        DisputedItem.objects.filter(
            determination__case_number__in=[x.case_number for x in fallback]
        ).values_list("id", flat=True)
    )
    n = sum(len(x.items) for x in fallback)
    assert len(ids) == n
    params = {"status": "failed"}
    response = analyst_client.get(reverse("determinations:list"), params)
    context = response.context
    assert context["counts"].total == n
    categories: dict[str, int] = {}
    for category, _, _ in (item for x in fallback for item in x.items):
        categories[category] = categories.get(category, 0) + 1
    (panel,) = [p for p in context["panels"] if p.facet.param == "category"]
    assert {o.value: o.count for o in panel.shown + panel.more} == categories

    facets = analyst_client.get(reverse("api:facets"), params).json()
    assert facets["total"] == n
    (api_panel,) = [f for f in facets["facets"] if f["param"] == "category"]
    assert {v["value"]: v["count"] for v in api_panel["values"]} == categories
    items = analyst_client.get(reverse("api:items"), {**params, "page_size": 100}).json()
    assert {row["id"] for row in items["results"]} == ids

    export = analyst_client.get(reverse("determinations:export"), params)
    body = b"".join(export.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff").split("\n", 1)[1])))
    assert len(rows) - 1 == n

    # Analytics and alerts too.
    assert analyst_client.get(reverse("api:analytics"), params).json()["overall"]["n"] == n
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    search = make_search(user, "status=failed", alert_since=an_hour_ago, alert_mark=an_hour_ago)
    letter_ids = set(Determination.objects.filter(items__id__in=ids).values_list("id", flat=True))
    assert set(new_letter_ids(search, _candidates(an_hour_ago))) == letter_ids


def test_a_reparse_that_reads_the_letter_replaces_dwcs_items(unreadable):
    fake_letter = unreadable.letters[1]
    det = Determination.objects.get(case_number=fake_letter.case_number)
    # Still unreadable: DWC's items stay.
    assert not reparse(det.pk).error
    assert coding(det) == dwc_coding(fake_letter)
    # The original turns out readable (a better copy, or a parser that knows its layout).
    readable = letters(13)[1].pdf
    det.source_file.save("better.pdf", ContentFile(readable))
    outcome = reparse(det.pk)
    assert not outcome.error
    det.refresh_from_db()
    assert [source for source, *_ in coding(det)] == ["parsed"] * len(fake_letter.items)
    assert det.review_status == "ok"
    assert det.layout == "dwc-2016"


def test_a_reparse_without_text_keeps_dwcs_items(unreadable):
    det = DwcCase.objects.get(case_number=unreadable.letters[0].case_number).determination
    assert reparse(det.pk).error
    assert coding(det) == dwc_coding(unreadable.letters[0])


def test_dwcs_values_only_fill_what_the_parser_left_empty(settings):
    """A 2014-15 letter carries no decision date: DWC's fills it (and its items' copies);
    the injury date and specialty the parser read are kept, whatever DWC says."""
    (old,) = generate_letters(1, seed=3, layout="dwc-2014")
    truth = {**old.truth, "case_number": old.filename.removesuffix(".txt")}
    fake_letter = dataclasses.replace(
        letters(13)[0],
        case_number=truth["case_number"],
        pdf=text_to_pdf(old.text),
        decision_date=datetime.date(2015, 3, 9),
        date_of_injury=datetime.date(2001, 1, 1),
        specialty="Dermatology",
        items=[
            (i["category"] or "", i["subcategory"] or "", i["outcome"].title())
            for i in truth["items"]
        ],
    )
    fake = FakeDwc([fake_letter])
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        sync(fake)
    det = Determination.objects.get(case_number=truth["case_number"])
    assert det.decision_date == datetime.date(2015, 3, 9)
    assert set(det.items.values_list("decision_date", "decision_year")) == {
        (datetime.date(2015, 3, 9), 2015)
    }
    assert det.date_of_injury.isoformat() == truth["date_of_injury"]
    assert "Dermatology" not in det.reviewer.profile_key
    assert {source for source, *_ in coding(det)} == {"parsed"}

    # An item the parser could not categorise takes DWC's category, and is found by it.
    item = det.items.order_by("order").first()
    DisputedItem.objects.filter(pk=item.pk).update(category="", subcategory="")
    assert apply_to_letter(det) == "filled"
    item.refresh_from_db()
    assert (item.category, item.subcategory) == fake_letter.items[0][:2]
