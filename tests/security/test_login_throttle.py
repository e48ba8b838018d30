"""Login throttling: failed sign-ins counted per username and per address."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from audit import throttle
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

GOOD = "a-long-passphrase-42"


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user("analyst", password=GOOD)


def sign_in(client, password, username="analyst", url="login", ip="10.0.0.1"):
    return client.post(reverse(url), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_a_username_after_five_failures_even_with_the_right_password(
    client, analyst, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(client, "wrong").status_code == 200  # the form, with its error
    response = sign_in(client, GOOD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts for this username" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # From another address too: the account is what is locked.
    assert sign_in(client, GOOD, ip="10.0.0.2").status_code == 429


def test_it_lets_the_user_in_once_the_window_has_passed(client, analyst, settings, monkeypatch):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "wrong")
    later = time.time() + settings.LOGIN_LOCKOUT_SECONDS + 1
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert sign_in(client, GOOD).status_code == 302


def test_a_success_clears_the_count_for_that_username(client, analyst, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, GOOD).status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, GOOD).status_code == 302


def test_it_locks_an_address_that_guesses_many_usernames(client, analyst, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 8
    for n in range(8):
        sign_in(client, "wrong", username=f"user{n}")
    response = sign_in(client, GOOD)
    assert response.status_code == 429
    assert "from your network address" in response.content.decode()
    # Another address can still sign in to the (not locked) account.
    assert sign_in(client, GOOD, ip="10.0.0.9").status_code == 302


def test_it_throttles_the_admin_login_too(client, django_user_model, settings):
    django_user_model.objects.create_superuser("boss", "b@example.com", GOOD)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "wrong", username="boss", url="admin:login")
    assert sign_in(client, GOOD, username="boss", url="admin:login").status_code == 429


def test_it_counts_usernames_case_insensitively(client, analyst, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "wrong", username="ANALYST" if n % 2 else "analyst")
    assert sign_in(client, GOOD).status_code == 429


def test_it_records_failures_and_the_lockout(client, analyst, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "wrong")
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert failed.count() == settings.LOGIN_FAILURE_LIMIT
    assert set(failed.values_list("username", "ip")) == {("analyst", "10.0.0.1")}
    lockout = AuditEvent.objects.get(action=Action.LOCKOUT)
    assert lockout.target.startswith("account locked for 15 min")


def test_it_reads_the_address_behind_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert throttle.client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_ip(request) == "10.0.0.1"  # a forged header is ignored
