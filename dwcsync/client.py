"""A polite HTTP client for DWC's site: one request at a time, a delay between requests,
a User-Agent saying who we are, retries with exponential backoff, Retry-After honoured,
and a budget of requests per day (counted by the caller, in PostgreSQL).

- 5xx, 429, timeouts and connection resets are retried, up to ``max_retries`` times, waiting
  ``backoff * 2**attempt`` seconds, or what ``Retry-After`` asks (capped: a longer wait stops
  the run, to be resumed later, rather than holding a worker for hours);
- 404 raises :class:`NotFound` (the caller records it and goes on);
- any other 4xx raises :class:`Refused`: we stop;
- a redirect (301, 302, 303, 307, 308) to one of DWC's hosts (``Politeness.hosts``) is
  followed as a browser follows it (301-303 after a POST become a GET; 307 and 308 repeat the
  POST), at most ``max_redirects`` in a row; a redirect anywhere else raises :class:`Refused`
  naming the address, and is never requested.

Each request goes through a :class:`Transport`: ``HttpTransport`` sends it;
``dwcsync.recording`` wraps one to save every exchange, or answers from such a recording.

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
from typing import Protocol

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


# Answers that send us elsewhere, and how many in a row we follow.
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Politeness:
    user_agent: str
    delay: float = 2.0
    timeout: float = 30.0
    max_retries: int = 5
    backoff: float = 5.0
    max_retry_after: float = 900.0
    # DWC's hosts: a redirect is followed only to one of them (lower-case host names).
    hosts: frozenset[str] = frozenset()
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class Transport(Protocol):
    def send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Response:
        """One HTTP exchange, whatever its status; raises only when no answer came
        (TimeoutError, ConnectionError, http.client.HTTPException, urllib.error.URLError)."""
        ...


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is answered as its 3xx status; Client decides to follow it


class HttpTransport:
    """Sends requests with urllib; never follows a redirect itself."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirect)

    def send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Response:
        # Callers check the scheme first: http(s) only.
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                data: bytes = answer.read()
                expected = answer.headers.get("Content-Length")
                if expected and expected.isdigit() and len(data) != int(expected):
                    raise http.client.IncompleteRead(data, int(expected) - len(data))
                return Response(answer.status, answer.reason, tuple(answer.headers.items()), data)
        except urllib.error.HTTPError as exc:
            try:
                data = exc.read()
            except (OSError, http.client.HTTPException):
                data = b""
            return Response(exc.code, str(exc.reason), tuple(exc.headers.items()), data)


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
        transport: Transport | None = None,
    ) -> None:
        self.politeness = politeness
        self.take_request = take_request
        self.sleep = sleep
        self.transport: Transport = transport or HttpTransport()
        self._last_end: float | None = None
        self.requests = 0

    def post(self, url: str, fields: dict[str, str]) -> bytes:
        return self._fetch("POST", url, urllib.parse.urlencode(fields).encode("ascii"))

    def get(self, url: str) -> bytes:
        return self._fetch("GET", url, None)

    def _wait_turn(self) -> None:
        if self._last_end is not None:
            remaining = self.politeness.delay - (time.monotonic() - self._last_end)
            if remaining > 0:
                self.sleep(remaining)

    def _redirect(self, url: str, response: Response) -> str:
        """Where a redirect sends us, if it stays on DWC's hosts; else Refused."""
        location = response.header("Location")
        if not location:
            raise Refused(f"DWC answered {response.status} without a Location to {url}; stopping")
        target = urllib.parse.urljoin(url, location.strip())
        parts = urllib.parse.urlsplit(target)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or host not in self.politeness.hosts:
            raise Refused(
                f"DWC redirected {url} to {target}, outside DWC's hosts "
                f"({', '.join(sorted(self.politeness.hosts))}; DWC_HOSTS): not followed, stopping"
            )
        return target

    def _fetch(self, method: str, url: str, body: bytes | None) -> bytes:
        p = self.politeness
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise Refused(f"not an http(s) address: {url!r}")
        first_url = url
        attempt = redirects = 0
        while True:
            self._wait_turn()
            self.take_request()  # raises BudgetSpent
            self.requests += 1
            headers = {"User-Agent": p.user_agent}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            wait: float | None = None
            why = ""
            response: Response | None = None
            try:
                response = self.transport.send(method, url, body, headers, p.timeout)
            except TimeoutError as exc:
                why = f"timed out ({exc})"
            except (ConnectionError, http.client.HTTPException, urllib.error.URLError) as exc:
                # Resets, refused connections, truncated bodies (IncompleteRead).
                why = f"{type(exc).__name__}: {exc}"
            finally:
                self._last_end = time.monotonic()
            if response is not None:
                code = response.status
                if 200 <= code < 300:
                    return response.body
                if code in REDIRECTS:
                    target = self._redirect(url, response)
                    redirects += 1
                    if redirects > p.max_redirects:
                        raise Refused(
                            f"more than {p.max_redirects} redirects in a row from {first_url} "
                            f"(the last to {target}); stopping"
                        )
                    log.info("DWC redirected %s to %s (%d)", url, target, code)
                    if code in (301, 302, 303) and method == "POST":
                        method, body = "GET", None  # as a browser does
                    url = target
                    continue
                if code == 404:
                    raise NotFound(url)
                if code != 429 and code < 500:
                    raise Refused(f"DWC answered {code} {response.reason} to {url}; stopping")
                why = f"{code} {response.reason}"
                wait = retry_after(response.header("Retry-After"))
                if wait is not None and wait > p.max_retry_after:
                    raise WaitTooLong(
                        f"DWC asked us to wait {wait:.0f} s (Retry-After) after {why} from "
                        f"{url}; more than DWC_MAX_RETRY_AFTER_SECONDS={p.max_retry_after:.0f}"
                    )
            if attempt >= p.max_retries:
                raise Unreachable(f"{url}: {why}, {attempt + 1} tries; giving up for this run")
            if wait is None:
                wait = p.backoff * 2**attempt
            attempt += 1
            log.warning("DWC %s: %s; retry %d in %.1f s", url, why, attempt, wait)
            self.sleep(wait)
