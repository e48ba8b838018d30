"""`./dev run` runs the demo command on every start: it creates the demo accounts once,
with a verified @example.com address so their alerts are mailed, and never touches them
again (a changed password survives the next start)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from alerts.models import AddressState, AlertAddress

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = io.StringIO()
    call_command("demo", "--letters", "0", stdout=out)
    return out.getvalue()


def test_the_demo_accounts_have_verified_example_com_addresses():
    demo()
    for username in ("analyst", "admin"):
        user = get_user_model().objects.get(username=username)
        assert user.email == f"{username}@example.com"
        assert AlertAddress.state_of(user) == AddressState.VERIFIED


def test_a_changed_password_survives_the_next_start():
    assert "Created the demo account analyst" in demo()
    analyst = get_user_model().objects.get(username="analyst")
    analyst.set_password("my-own-passphrase-77")
    analyst.save()

    again = demo()

    assert "Created the demo account" not in again
    analyst.refresh_from_db()
    assert analyst.check_password("my-own-passphrase-77")
    assert not analyst.check_password("imr-demo-analyst")


def test_an_existing_account_is_left_as_it_is():
    get_user_model().objects.create_user("admin", "boss@example.org", "boss-passphrase-9")

    demo()

    admin = get_user_model().objects.get(username="admin")
    assert admin.email == "boss@example.org"
    assert admin.check_password("boss-passphrase-9")
    assert not admin.is_staff
    assert AlertAddress.state_of(admin) == AddressState.UNVERIFIED
    assert get_user_model().objects.get(username="analyst").check_password("imr-demo-analyst")
