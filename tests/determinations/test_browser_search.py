"""Headless Chromium walks the analyst's path: log in, search, click facets, open a letter,
go back with the filters intact, and export the CSV.

Letters come in through the real ingest path (synthetic letters). Screenshots of the
list and detail pages go to ``IMR_SCREENSHOTS`` when that variable names a folder (CI
keeps them as artifacts under artifacts/screenshots/).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from ingest.loader import ingest_bytes
from synth.letters import generate_letters
from tests.browser import BROWSER

PASSWORD = "a-long-passphrase-42"

pytestmark = BROWSER


def screenshot(page, name: str) -> None:
    folder = os.environ.get("IMR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


@pytest.mark.django_db(transaction=True)
def test_an_analyst_searches_filters_reads_a_letter_and_exports(
    live_server, browser_page, django_user_model, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    for letter in generate_letters(80, seed=31):
        ingest_bytes(letter.filename, letter.text.encode())
    django_user_model.objects.create_user("analyst", password=PASSWORD)
    page = browser_page

    # Everything is behind the login.
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#results-heading")).to_contain_text("items")

    # Search the whole letter ("pain" is in case summaries more than in requests): the query
    # and its scope land in the URL and the results say what was searched, and where.
    page.fill("#q", "pain")
    page.click("label[for=scope-letter]")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=pain*")
    assert params(page.url)["scope"] == ["letter"]
    expect(page.locator("#results-heading")).to_contain_text(
        "whose letter mentions \u201cpain\u201d"
    )
    # Typed on the unsearched list (newest first), the search asks for no sort of its own:
    # it is ranked by relevance, the search's default.
    assert "sort" not in params(page.url)
    expect(page.locator("#sort option:checked")).to_have_text("Relevance")

    # Click a facet value (the script submits the form; without it, the Apply button does).
    upheld = page.locator("#facet-outcome input[value=upheld]")
    upheld.check()
    page.wait_for_url("**outcome=upheld*")
    expect(page.locator("#facet-outcome input[value=upheld]")).to_be_checked()
    expect(page.locator(".chip-list")).to_contain_text("Upheld")
    before_open = page.url
    assert params(before_open)["q"] == ["pain"]
    assert params(before_open)["outcome"] == ["upheld"]
    screenshot(page, "list.png")

    # Open the first letter; its page carries the filters for previous/next and back.
    first = page.locator(".result-title a").first
    case_number = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(case_number)
    expect(page.locator(".badge, .outcome").first).to_be_visible()
    screenshot(page, "detail.png")

    # Back: the browser's back button restores the filtered list.
    page.go_back()
    page.wait_for_url(before_open)
    expect(page.locator("#facet-outcome input[value=upheld]")).to_be_checked()
    expect(page.locator("#q")).to_have_value("pain")
    total = page.locator("#results-heading").inner_text()

    # Export: the link carries the same filters; read the CSV it serves (browser
    # downloads are not available here, so fetch it with the page's session).
    href = page.locator("a", has_text="Export CSV").get_attribute("href")
    assert params(href)["q"] == ["pain"]
    assert params(href)["outcome"] == ["upheld"]
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert "attachment" in response.headers["content-disposition"]
    # After the first line, which says what produced the file.
    rows = list(csv.DictReader(io.StringIO(response.text().split("\n", 1)[1])))
    assert rows, "the export is empty"
    assert {row["Outcome"] for row in rows} == {"Upheld"}
    assert f"{len(rows)} " in total.replace(",", "")
