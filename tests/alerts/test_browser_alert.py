"""Headless Chromium: set and verify the alert address on the account page (the link
read from the SMTP server), save a search from the list page, set it daily, ingest two
matching letters and one that does not match, run the digest job, read the email the
SMTP server received, and follow its link to the right results."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from determinations.models import Determination
from tests.alerts.letters import ingest, split_by_category
from tests.browser import BROWSER

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-42"
CATEGORY = "Pharmaceuticals"


def case_of(letter_id: int) -> str:
    return Determination.objects.get(pk=letter_id).case_number


@pytest.mark.django_db(transaction=True)
def test_an_analyst_saves_a_search_gets_its_digest_and_follows_it(
    live_server, browser_page, django_user_model, settings, tmp_path, smtp_server
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    matching, other = split_by_category(CATEGORY, seed=77)
    before = ingest(matching[0], other[0])  # the back catalogue
    django_user_model.objects.create_user("analyst", password=PASSWORD)
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    # 0. Set the alert address on the account page and open the link mailed to it.
    page.goto(f"{live_server.url}/account/")
    expect(page.locator(".address-state")).to_contain_text("No email address")
    page.fill("#alert-email", "analyst@example.com")
    page.get_by_role("button", name="Set and verify").click()
    expect(page.locator(".address-state")).to_contain_text("not verified")
    (verification,) = smtp_server.messages
    assert verification["To"] == "analyst@example.com"
    link = re.search(r"http://\S+/searches/address/verify/\S+/", verification.get_content())
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Email address verified")
    page.goto(f"{live_server.url}/account/")
    expect(page.locator(".address-state")).to_contain_text("verified")
    expect(page.locator(".address-state")).not_to_contain_text("not verified")

    # 1. Filter the list to the category and save the search from the page.
    page.goto(f"{live_server.url}/")
    page.locator(f"#facet-category input[value='{CATEGORY}']").check()
    page.wait_for_url(f"**category={CATEGORY}*")
    page.locator("summary", has_text="Save this search").click()
    page.fill("#save-search-name", "Pharmacy decisions")
    page.locator("button[form=save-search]").click()
    page.wait_for_url("**/searches/")
    expect(page.locator(".saved-search h2")).to_have_text("Pharmacy decisions")

    # 2. Set it to daily.
    page.select_option(".alert-form select", "daily")
    page.locator(".alert-form button").click()
    expect(page.locator(".messages")).to_contain_text("alert daily")

    # 3. Two matching letters and one that does not match arrive, through the ingest path.
    new_matching = ingest(matching[1], matching[2])
    (new_other,) = ingest(other[1])

    # 4. The worker runs the due digest job.
    call_command("ingest_worker", "--batch", verbosity=0)

    # 5. The email the SMTP server received (after the verification link).
    (_verification, message) = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for letter_id in new_matching:
        assert case_of(letter_id) in html and case_of(letter_id) in text
    for letter_id in [new_other, *before]:
        assert case_of(letter_id) not in html
    results = re.search(r'<a href="([^"]+)">All results</a>', html).group(1)
    assert results.startswith(live_server.url)

    # 6. Its link opens the search's results on the list.
    page.goto(results.replace("&amp;", "&"))
    expect(page.locator("#results-heading")).to_contain_text("letters")
    shown = set(page.locator(".result-title a").all_inner_texts())
    assert {case_of(i) for i in new_matching} <= shown
    assert case_of(before[0]) in shown  # the older matching letter too: all the results
    assert case_of(new_other) not in shown
    expect(page.locator(f"#facet-category input[value='{CATEGORY}']")).to_be_checked()
    # ...and a letter's link opens that letter.
    first = re.search(r'<a href="([^"]+/letters/\d+/)">([^<]+)</a>', html)
    page.goto(first.group(1))
    expect(page.locator("h1")).to_contain_text(first.group(2))
