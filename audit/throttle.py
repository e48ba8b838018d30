"""Login throttling: failed sign-ins counted per username and per address in the cache.

After ``LOGIN_FAILURE_LIMIT`` failures for a username (or ``LOGIN_FAILURE_LIMIT_PER_IP``
from one address), each within ``LOGIN_LOCKOUT_SECONDS`` of the previous one, sign-in for
that username (address) is refused until ``LOGIN_LOCKOUT_SECONDS`` after the last
failure. The cache is shared by every web process (PostgreSQL or Redis), so the count
holds across gunicorn workers and machines. A successful sign-in clears its username's
count (not the address's, so one valid account cannot reset a guessing address).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class Lockout:
    scope: str  # "account" or "address"
    until: float  # epoch seconds

    @property
    def minutes(self) -> int:
        return max(1, round((self.until - time.time()) / 60))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
    entry they appended to X-Forwarded-For (never one the client could have forged)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]
    return f"login-failures:{scope}:{digest}"


def _keys(request: HttpRequest, username: str) -> list[tuple[str, str, int]]:
    keys = []
    if username:
        keys.append(("account", _key("user", username), settings.LOGIN_FAILURE_LIMIT))
    ip = client_ip(request)
    if ip:
        keys.append(("address", _key("ip", ip), settings.LOGIN_FAILURE_LIMIT_PER_IP))
    return keys


def lockout(request: HttpRequest, username: str) -> Lockout | None:
    """The lockout in force for this username or this request's address, if any."""
    for scope, key, limit in _keys(request, username):
        state = cache.get(key)
        if state and state["n"] >= limit and state["until"] > time.time():
            return Lockout(scope, state["until"])
    return None


def register_failure(request: HttpRequest, username: str) -> Lockout | None:
    """Count one failed sign-in; returns the lockout it started, if it started one."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    started = None
    for scope, key, limit in _keys(request, username):
        state = cache.get(key) or {"n": 0}
        until = time.time() + window
        n = state["n"] + 1
        cache.set(key, {"n": n, "until": until}, timeout=window)
        if n == limit:
            started = started or Lockout(scope, until)
    return started


def reset(username: str) -> None:
    cache.delete(_key("user", username))
