"""A letter's page in Chromium (issue 23): printed, it is a clean document; on a 375 px
phone neither the list nor the letter is wider than the screen.

Letters come in through the real ingest path (synthetic letters, as PDFs). With
``IMR_SCREENSHOTS`` naming a folder, the printed letter is kept there as letter-printed.pdf.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from determinations.models import Determination
from ingest.loader import ingest_bytes
from synth.letters import generate_letters
from synth.pdf import text_to_pdf
from tests.browser import BROWSER

PASSWORD = "a-long-passphrase-42"

pytestmark = BROWSER


@pytest.fixture
def signed_in(live_server, browser_page, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for letter in generate_letters(30, seed=23):
        ingest_bytes(letter.filename.replace(".txt", ".pdf"), text_to_pdf(letter.text))
    django_user_model.objects.create_user("analyst", password=PASSWORD)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#results-heading")
    return page


def a_letter_with_citations_of_both_parties() -> Determination:
    return (
        Determination.objects.filter(
            items__citations__party="claims_administrator", items__rationale__gt=""
        )
        .filter(items__citations__party="reviewer")
        .order_by("pk")
        .first()
    )


@pytest.mark.django_db(transaction=True)
def test_a_printed_letter_shows_the_letter_and_no_controls(live_server, signed_in):
    from playwright.sync_api import expect

    page = signed_in
    letter = a_letter_with_citations_of_both_parties()
    page.goto(f"{live_server.url}{letter.get_absolute_url()}?q=pain&pos=0&sort=newest")
    page.emulate_media(media="print")

    for hidden in (".site-header", ".site-nav", ".detail-nav", "a.button", "form", ".more-like"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator(".letter-head h1")).to_have_text(letter.display_case_number)
    expect(page.locator(".detail-side .facts").first).to_be_visible()
    expect(page.locator(".side-heading")).to_have_text("Reviewer")
    cards = page.locator(".item-card")
    expect(cards.first).to_be_visible()
    assert cards.count() == letter.items.count()
    expect(cards.first.locator(".badge").first).to_be_visible()
    expect(
        page.locator(".citation-party h4", has_text="Claims administrator cited").first
    ).to_be_visible()
    expect(
        page.locator(".citation-party h4", has_text="MAXIMUS reviewer cited").first
    ).to_be_visible()
    expect(page.locator(".rationale p").first).to_be_visible()
    expect(page.locator(".case-summary p").first).to_be_visible()
    # The facts print first, above the items (on screen they are a sidebar to the right).
    facts_top = page.locator(".detail-side").bounding_box()["y"]
    assert facts_top < cards.first.bounding_box()["y"]

    pdf = page.pdf(format="Letter", print_background=False)
    assert pdf.startswith(b"%PDF-")
    folder = os.environ.get("IMR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "letter-printed.pdf").write_bytes(pdf)


@pytest.mark.django_db(transaction=True)
def test_the_list_and_a_letter_fit_a_375_px_phone(live_server, signed_in):
    page = signed_in
    page.set_viewport_size({"width": 375, "height": 800})
    letter = a_letter_with_citations_of_both_parties()
    for path in (
        "/",
        "/?q=pain&outcome=upheld",
        f"{letter.get_absolute_url()}?q=pain&pos=0&sort=newest",
    ):
        page.goto(f"{live_server.url}{path}")
        folder = os.environ.get("IMR_SCREENSHOTS")
        if folder:
            name = "detail-375.png" if "letters" in path else f"list-375-{len(path)}.png"
            page.screenshot(path=str(Path(folder) / name))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
        # every link of the site's navigation is on the screen
        for link in page.locator(".site-nav a, .site-nav button").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, path
