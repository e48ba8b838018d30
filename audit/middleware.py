"""Request logging and login throttling."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from audit import throttle

logger = logging.getLogger("imr.request")


class RequestLogMiddleware:
    """One log line per request: method, path, status, milliseconds, user id.

    For streamed responses (CSV exports) the time is to the first byte.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        ms = round((time.monotonic() - started) * 1000, 1)
        user = getattr(request, "user", None)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s %sms",
            request.method,
            request.path,
            status,
            ms,
            extra={
                "event": "request",
                "method": request.method,
                "path": request.path,
                "query": request.META.get("QUERY_STRING", "")[:500],
                "status": status,
                "ms": ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class LoginThrottleMiddleware:
    """Refuses a sign-in POST (site or admin) for a locked-out username or address with
    a 429 page saying how long to wait; the password is then not even checked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info in self.login_paths():
            username = request.POST.get("username", "")
            locked = throttle.lockout(request, username)
            if locked is not None:
                response = render(
                    request, "registration/locked_out.html", {"lockout": locked}, status=429
                )
                response["Retry-After"] = str(max(1, int(locked.until - time.time())))
                return response
        return self.get_response(request)

    def login_paths(self) -> set[str]:
        if self._paths is None:
            self._paths = {reverse("login"), reverse("admin:login")}
        return self._paths
