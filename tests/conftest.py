"""Fixtures shared by the test suites. The database is the real (embedded) PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("analyst", password="a-long-passphrase-42")


@pytest.fixture
def analyst_client(client, user):
    """A test client logged in as an ordinary (non-staff) analyst."""
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Templates use {% static %}: plain names in tests, whether or not a `collectstatic`
    in this checkout left a (possibly stale) manifest behind."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_base_rates():
    """The similar page keeps base rates per process for minutes (similar.estimate): each
    test's database is its own, so each test starts without them."""
    from similar import estimate

    estimate._base_rates.clear()


# The headless Chromium page for browser tests (tests/browser.py).
from tests.browser import browser_page  # noqa: E402, F401
