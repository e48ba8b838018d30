"""Read replica routing (DATABASE_REPLICA_URL).

Only analysts' page views read from the replica, and only the search tables
(the ``determinations`` app): ``ReplicaReadsMiddleware`` marks GET/HEAD requests
outside the admin. Everything else -- writes, sessions, auth, the admin, ingest,
the worker, management commands -- reads and writes "default", so nothing ever
reads its own writes from a replica that may lag behind.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
REPLICA_APPS = {"determinations"}

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_reads(enabled: bool) -> Any:
    """Mark this context (a request, a test) as one whose search reads may use the
    replica; returns a token for ``_replica_reads.reset``."""
    return _replica_reads.set(enabled)


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
        if request.path_info.startswith("/admin/"):
            return self.get_response(request)
        token = replica_reads(True)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        return response
