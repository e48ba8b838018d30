"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright.

Modules mark themselves with ``pytestmark = BROWSER`` and take the ``browser_page``
fixture (registered in tests/conftest.py). Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread; the ORM calls a test makes
# between browser steps are ordinary blocking calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            # No sandbox as root; no background traffic on a machine without internet.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()
            # The test's ORM calls ran in Playwright's context (its greenlet), with
            # connections of their own: closed here, in that context, or they would still
            # hold the test database when it is dropped at the end of the session.
            from django.db import connections

            connections.close_all()
