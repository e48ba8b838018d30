"""Record audit events (``record``), and count exported rows as they stream (``counted``).

Every event is also written to the ``audit`` logger with its fields, so the JSON log
carries the same trail as the table.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest

from audit.models import Action, AuditEvent
from audit.throttle import client_ip

logger = logging.getLogger("audit")


def record(
    action: Action,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    target: str = "",
    filters: str = "",
    rows: int | None = None,
    **detail: Any,
) -> AuditEvent:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    event = AuditEvent.objects.create(
        action=action,
        user=user,
        username=username[:150],
        ip=client_ip(request) if request is not None else None,
        target=target[:300],
        filters=filters,
        rows=rows,
        detail=detail,
    )
    logger.info(
        "%s %s %s",
        action.value,
        username or "-",
        target or filters,
        extra={
            "event": action.value,
            "user": username,
            "user_id": getattr(user, "pk", None),
            "target": target,
            "filters": filters,
            "rows": rows,
            **detail,
        },
    )
    return event


def recorded_export(export: Any, request: HttpRequest, filters: str) -> Iterator[bytes]:
    """Pass the pieces of ``export`` (a determinations.exports.CsvExport) through; when the
    stream ends, or the client goes away, record an export event with the rows sent."""
    started = time.monotonic()
    try:
        yield from export
    finally:
        record(
            Action.EXPORT,
            request=request,
            filters=filters,
            # None when the client went away mid-file (rows are counted at the end).
            rows=export.rows,
            complete=export.rows is not None,
            ms=round((time.monotonic() - started) * 1000),
        )
