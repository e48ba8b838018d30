"""Headless Chromium on the "Find similar decisions" page: type a request, read the
estimate, open a decision, come back, and open the matched set in the list."""

import re

import pytest

from tests.browser import BROWSER
from tests.factories import make_determination, make_drug_item, make_item, refresh

PASSWORD = "a-long-passphrase-42"

pytestmark = BROWSER


def make_letters():
    letters = []
    for i in range(24):
        letter = make_determination()
        make_drug_item(
            letter,
            "lidocaine",
            heading="Lidoderm 5% patch #30",
            treatment="Lidoderm 5% patch #30",
            brand="Lidoderm",
            quantity=30 if i % 2 else 60,
            subcategory="Topical Analgesics",
            drug_class="Topical Analgesics",
            outcome="overturned" if i % 4 == 0 else "upheld",
            rationale="There is no documentation of failure of first-line therapy. "
            "The request is not medically necessary.",
        )
        letters.append(letter)
    other = make_determination()
    make_drug_item(
        other, "hydrocodone", heading="Norco 10/325mg #90", treatment="Norco 10/325mg #90"
    )
    make_item(
        other,
        heading="MRI of the lumbar spine",
        treatment="MRI of the lumbar spine",
        category="Diagnostic Testing",
        subcategory="Imaging (Radiology)",
    )
    refresh(*letters, other)


@pytest.mark.django_db(transaction=True)
def test_a_user_finds_similar_decisions_and_opens_them_in_the_list(
    live_server, browser_page, django_user_model
):
    from playwright.sync_api import expect

    make_letters()
    django_user_model.objects.create_user("analyst", password=PASSWORD)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Find similar decisions")

    # 1. Type the request.
    page.fill("#text", "Lidoderm patch 5% #30")
    page.press("#text", "Enter")
    page.wait_for_url("**/similar/?text=*")

    # 2. Topical lidocaine decisions, with the estimate.
    expect(page.locator("#u-drug")).to_have_value("lidocaine")
    expect(page.locator("#match-basis")).to_contain_text("drug class: Topical Analgesics")
    results = page.locator(".similar-result")
    expect(results).to_have_count(10)
    for title in results.locator(".result-title a").all_inner_texts():
        assert "Lidoderm" in title
    expect(page.locator("#matched-rate")).to_contain_text("25% overturned")
    expect(page.locator("#matched-rate")).to_contain_text("6 of 24")
    expect(page.locator("#disclaimer")).to_contain_text("not a prediction")
    count = int(page.locator("#matched-count strong").get_attribute("data-count"))
    assert count == 24
    similar_url = page.url

    # 3. Open one.
    first = results.first.locator(".result-title a")
    first.click()
    page.wait_for_url("**/letters/**")
    expect(page.locator(".item-card").first).to_contain_text("Lidoderm")

    # 4. Come back.
    page.go_back()
    page.wait_for_url(similar_url)
    expect(page.locator(".similar-result")).to_have_count(10)

    # 5. The set in the list, with the same count.
    page.click("#open-in-list")
    page.wait_for_url("**drug=lidocaine*")
    heading = page.locator("#results-heading").inner_text()
    assert re.match(rf"^{count} disputed items\b", heading.replace(",", "")), heading
