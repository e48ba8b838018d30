"""Rate limit per API token (per user for the browser's session), in the shared cache.

Over the limit DRF answers 429 with ``Retry-After`` (seconds until a request is allowed
again). The rate is settings ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]``, from
``API_RATE_LIMIT`` ("120/minute").
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def allow_request(self, request: Any, view: Any) -> bool:
        # The counters live in the cache, by default a PostgreSQL table: their commit need
        # not wait for the WAL flush (a crash forgets the last moments of a rate window,
        # nothing else). Measured on the loaded 2-core machine: 1.4 s commits otherwise.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            return super().allow_request(request, view)

    def get_rate(self) -> str | None:
        # Read when the throttle is made, not when DRF's module was imported.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
