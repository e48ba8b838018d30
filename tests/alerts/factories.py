"""Users and saved searches of the alert tests, as small functions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alerts.models import AlertAddress, Frequency, SavedSearch


def verified(user: Any, email: str = "") -> Any:
    """``user`` with ``email`` (default: their own) as a verified alert address, as if
    they had opened its link."""
    if email:
        user.email = email
        user.save(update_fields=["email"])
    AlertAddress.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": timezone.now()}
    )
    return user


def make_search(
    user: Any, state: str, frequency: str = Frequency.DAILY, **overrides: Any
) -> SavedSearch:
    """A saved search with its alert started now (as My searches starts one)."""
    now = timezone.now()
    fields = {
        "name": state,
        "last_opened_at": now,
        "alert_since": now,
        "alert_mark": now,
        **overrides,
    }
    return SavedSearch.objects.create(user=user, state=state, frequency=frequency, **fields)
