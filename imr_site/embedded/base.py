"""Database backend: PostgreSQL, on an embedded server started on first connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base

from imr_site.embedded import server_socket_dir


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        pgdata = Path(self.settings_dict["OPTIONS"].get("pgdata") or "var/pgdata")
        # Started here, not at import, so `manage.py check` and imports stay cheap.
        params["host"] = server_socket_dir(pgdata.resolve(), self.settings_dict["NAME"])
        params.pop("pgdata", None)
        params.setdefault("user", "postgres")
        return params
