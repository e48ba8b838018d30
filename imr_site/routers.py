"""Read replica routing (DATABASE_REPLICA_URL).

Only analysts' page views read from the replica, and only the search tables
(the ``determinations`` app): ``ReplicaReadsMiddleware`` marks GET/HEAD requests
outside the admin, except the CSV export. Everything else -- writes, sessions, auth,
sign-in, the admin and its uploads, ingest, the worker, management commands -- reads
and writes "default", so nothing ever reads its own writes from a replica that may
lag behind. The export stays on the primary because a long query on a hot standby is
cancelled when replication needs the rows it reads (max_standby_streaming_delay).

When the replica cannot be reached, the request reads the primary instead and a
warning is logged (logger ``imr.replica``): a replica outage slows searches down, it
never breaks them. tests/production/test_replica.py runs all this against a real
streaming standby.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"
REPLICA_APPS = {"determinations"}
# GET views that read the primary although they are analysts' pages (see above).
PRIMARY_VIEWS = {"determinations:export", "determinations:analytics_csv"}

logger = logging.getLogger("imr.replica")

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_reads(enabled: bool) -> Any:
    """Mark this context (a request, a test) as one whose search reads may use the
    replica; returns a token for ``_replica_reads.reset``."""
    return _replica_reads.set(enabled)


def read_connection(model: type) -> Any:
    """The connection the router reads ``model`` from: for raw SQL over the search
    tables (facet counts, analytics), which the router never sees on its own."""
    return connections[router.db_for_read(model) or DEFAULT_DB_ALIAS]


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and model._meta.app_label in REPLICA_APPS
            and REPLICA in settings.DATABASES
        ):
            return REPLICA
        return None  # "default"

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of default: same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows default's schema by replication


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in settings.DATABASES or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info.startswith("/admin/") or _primary_view(request.path_info):
            return self.get_response(request)
        if not replica_available():
            return self.get_response(request)
        token = replica_reads(True)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        return response


def _primary_view(path: str) -> bool:
    try:
        return resolve(path).view_name in PRIMARY_VIEWS
    except Resolver404:
        return False


def replica_available() -> bool:
    """Whether the replica answers now (one round trip on its persistent connection;
    a broken connection is dropped, so the next request tries a new one)."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError as exc:
        logger.warning(
            "replica unavailable, reading the primary: %s",
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            extra={"event": "replica_unavailable"},
        )
        with contextlib.suppress(DatabaseError):
            connection.close()
        return False
