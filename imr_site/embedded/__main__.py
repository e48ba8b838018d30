"""The embedded server from the command line (``./dev`` uses these).

  python -m imr_site.embedded start [--user-pid PID]    start it; PID is a user until it exits
  python -m imr_site.embedded release [--user-pid PID]  PID stops using it (stops when last)
  python -m imr_site.embedded stop                      stop it now, whoever uses it
  python -m imr_site.embedded status                    running or not, and its live users
  python -m imr_site.embedded watch PGDATA              the watcher (started by lifecycle)

The data directory is the settings' (``IMR_VAR_DIR``/pgdata). With DATABASE_URL set there is
no embedded server and every command but ``watch`` does nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from imr_site.embedded import lifecycle


def _pgdata() -> Path | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imr_site.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "imr_site.embedded":
        return None
    return Path(database["OPTIONS"].get("pgdata") or "var/pgdata").resolve()


def main(argv: list[str]) -> int:
    # As settings.LOGGING's plain lines: ISO 8601, UTC, with its offset.
    logging.Formatter.converter = time.gmtime
    logging.basicConfig(
        format="%(asctime)s.%(msecs)03d+00:00 %(levelname)s %(name)s %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
    )
    parser = argparse.ArgumentParser(prog="python -m imr_site.embedded")
    parser.add_argument("command", choices=["start", "release", "stop", "status", "watch"])
    parser.add_argument("pgdata", nargs="?", type=Path, help="watch: the data directory")
    parser.add_argument("--user-pid", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "watch":
        if args.pgdata is None:
            parser.error("watch needs PGDATA")
        lifecycle.watch(args.pgdata)
        return 0
    pgdata = _pgdata()
    if pgdata is None:
        return 0
    if args.command == "start":
        lifecycle.acquire(pgdata, args.user_pid or os.getppid())
    elif args.command == "release":
        lifecycle.release(pgdata, args.user_pid or os.getppid())
    elif args.command == "stop":
        ran = lifecycle.stop(pgdata)
        print(f"Stopped the embedded PostgreSQL in {pgdata}" if ran else "It was not running")
    else:
        info, users = lifecycle.status(pgdata)
        state = f"running (pid {info.pid})" if info else "not running"
        print(f"{pgdata}: {state}; live users: {[u.pid for u in users] or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
