"""Headless Chromium opens the analytics page, clicks a bar and lands on the filtered list.

Screenshots of the page go to ``IMR_SCREENSHOTS`` when that variable names a folder.
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path

import pytest

from tests.browser import BROWSER
from tests.factories import make_determination, make_drug_item, make_item, make_reviewer, refresh

pytestmark = BROWSER


def make_letters() -> None:
    rng = random.Random(8)
    reviewers = [
        make_reviewer(("Pain Medicine",), ("CA",)),
        make_reviewer(("Chiropractic",), ("NY",)),
    ]
    letters = []
    sections = [
        "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids",
        "ACOEM|Low Back Complaints|Special Studies",
        "ODG|Low Back|MRI",
    ]
    for n in range(60):
        letter = make_determination(
            reviewer=reviewers[n % 2], decision_date=date(2016, 1 + n % 9, 1 + n % 25)
        )
        letters.append(letter)
        outcome = "overturned" if rng.random() < 0.3 else "upheld"
        if n % 3:
            make_drug_item(
                letter,
                rng.choice(["hydrocodone", "tramadol", "oxycodone"]),
                outcome=outcome,
                guideline_sections=[sections[0]],
                reason_tags=["no-functional-improvement"],
            )
        else:
            make_item(
                letter,
                outcome=outcome,
                category="Diagnostic Testing",
                guideline_sections=sections[1:],
                reason_tags=["no-red-flags"],
            )
    refresh(*letters)


@pytest.mark.django_db(transaction=True)
def test_clicking_a_bar_lands_on_the_filtered_list(live_server, browser_page, django_user_model):
    from playwright.sync_api import expect

    django_user_model.objects.create_user("analyst", password="a-long-passphrase-42")
    make_letters()
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/analytics/%3Fby%3Ddrug")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "a-long-passphrase-42")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("disputed items")
    expect(page.locator("svg.chart-bars")).to_be_visible()
    shots = os.environ.get("IMR_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "analytics.png"), full_page=True)

    # The bar of one drug is a link to the list narrowed to that drug.
    page.locator("svg.chart-bars a.chart-link", has_text="Hydrocodone").click()
    page.wait_for_url("**/?drug=hydrocodone")
    expect(page.locator("#results-heading")).to_contain_text("Hydrocodone")
    expect(page.locator(".chip-list")).to_contain_text("Hydrocodone")

    # And back: the list links to analytics with the filter kept.
    page.get_by_role("link", name="Analytics of these").click()
    page.wait_for_url("**/analytics/?drug=hydrocodone")
    expect(page.locator("h1")).to_contain_text("Hydrocodone")
    if shots:
        page.screenshot(path=str(Path(shots) / "analytics-drug.png"), full_page=True)
