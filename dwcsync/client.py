"""A polite HTTP client for DWC's site: one request at a time, a delay between requests,
a User-Agent saying who we are, retries with exponential backoff, Retry-After honoured,
and a budget of requests per day (counted by the caller, in PostgreSQL).

- 5xx, 429, timeouts and connection resets are retried, up to ``max_retries`` times, waiting
  ``backoff * 2**attempt`` seconds, or what ``Retry-After`` asks (capped: a longer wait stops
  the run, to be resumed later, rather than holding a worker for hours);
- 404 raises :class:`NotFound` (the caller records it and goes on);
- any other 4xx (and 3xx, which the form never sent) raises :class:`Refused`: we stop.

Standard library only (urllib); no Django.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("dwcsync")


class SyncStop(Exception):
    """Stop this run; the next run of the window resumes where this one stopped."""


class Unreachable(SyncStop):
    """Retries exhausted (5xx, timeouts, resets)."""


class WaitTooLong(SyncStop):
    """DWC asked us (Retry-After) to wait longer than we are willing to in one run."""


class BudgetSpent(SyncStop):
    """Today's request budget is spent."""


class Refused(Exception):
    """A 4xx other than 404/429: DWC does not want this request; a person must look."""


class NotFound(Exception):
    """404 for this address."""


@dataclass(frozen=True, slots=True)
class Politeness:
    user_agent: str
    delay: float = 2.0
    timeout: float = 30.0
    max_retries: int = 5
    backoff: float = 5.0
    max_retry_after: float = 900.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is answered as its 3xx status: refused, never followed


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Client:
    """Sends one request at a time (callers are sequential; the sync holds a lock so only
    one process syncs), ``delay`` seconds apart, each counted by ``take_request``."""

    def __init__(
        self,
        politeness: Politeness,
        take_request: Callable[[], None],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.politeness = politeness
        self.take_request = take_request
        self.sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._last_end: float | None = None
        self.requests = 0

    def post(self, url: str, fields: dict[str, str]) -> bytes:
        return self._fetch(url, urllib.parse.urlencode(fields).encode("ascii"))

    def get(self, url: str) -> bytes:
        return self._fetch(url, None)

    def _wait_turn(self) -> None:
        if self._last_end is not None:
            remaining = self.politeness.delay - (time.monotonic() - self._last_end)
            if remaining > 0:
                self.sleep(remaining)

    def _fetch(self, url: str, body: bytes | None) -> bytes:
        p = self.politeness
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise Refused(f"not an http(s) address: {url!r}")
        attempt = 0
        while True:
            self._wait_turn()
            self.take_request()  # raises BudgetSpent
            self.requests += 1
            # The scheme was checked above: http(s) only.
            request = urllib.request.Request(  # noqa: S310
                url, data=body, method="POST" if body else "GET"
            )
            request.add_header("User-Agent", p.user_agent)
            if body is not None:
                request.add_header("Content-Type", "application/x-www-form-urlencoded")
            wait: float | None = None
            why = ""
            try:
                with self._opener.open(request, timeout=p.timeout) as response:
                    data: bytes = response.read()
                    expected = response.headers.get("Content-Length")
                    if expected and expected.isdigit() and len(data) != int(expected):
                        raise http.client.IncompleteRead(data, int(expected) - len(data))
                    return data
            except urllib.error.HTTPError as exc:
                code = exc.code
                if code == 404:
                    raise NotFound(url) from None
                if code != 429 and code < 500:
                    raise Refused(f"DWC answered {code} {exc.reason} to {url}; stopping") from None
                why = f"{code} {exc.reason}"
                wait = retry_after(exc.headers.get("Retry-After"))
                if wait is not None and wait > p.max_retry_after:
                    raise WaitTooLong(
                        f"DWC asked us to wait {wait:.0f} s (Retry-After) after {why} from "
                        f"{url}; more than DWC_MAX_RETRY_AFTER_SECONDS={p.max_retry_after:.0f}"
                    ) from None
            except TimeoutError as exc:
                why = f"timed out ({exc})"
            except (ConnectionError, http.client.HTTPException, urllib.error.URLError) as exc:
                # Resets, refused connections, truncated bodies (IncompleteRead).
                why = f"{type(exc).__name__}: {exc}"
            finally:
                self._last_end = time.monotonic()
            if attempt >= p.max_retries:
                raise Unreachable(f"{url}: {why}, {attempt + 1} tries; giving up for this run")
            if wait is None:
                wait = p.backoff * 2**attempt
            attempt += 1
            log.warning("DWC %s: %s; retry %d in %.1f s", url, why, attempt, wait)
            self.sleep(wait)
