"""Fixtures for the security tests: a clean cache (login counters), a throwaway media
folder, one object of every kind so URL patterns with ids point at something real."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clean_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "boss", "boss@example.com", "a-long-passphrase-42"
    )
