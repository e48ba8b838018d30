"""imr_site.embedded.lifecycle: the users file, pruning, and starting/stopping a real server.

The server tests use a data directory of their own (not the test session's server).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from imr_site.embedded import lifecycle
from imr_site.embedded.lifecycle import USERS_FILE, User

from .support import ROOT
from .var_dirs import private_var_dir


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout}s: {what}")
        time.sleep(0.2)


# --- The users file ----------------------------------------------------------------------

READ_CASES = [
    # (file content or None for no file, users read)
    (None, []),  # never written
    (b"", []),  # truncated by a signal mid-write (the wheel's in-place write)
    (b"[20521, 21", []),  # cut off mid-list
    (b'{"pid": 1}', []),  # valid JSON, wrong shape
    (b"\xff\xfe", []),  # not even text
    (b"[20521, 21047]", [User(20521, None), User(21047, None)]),  # the wheel's own format
    (b'[{"pid": 7, "started": 1.5}]', [User(7, 1.5)]),  # ours
    (b'[{"pid": "7"}, true, {"pid": 8}]', [User(8, None)]),  # junk entries skipped
]


@pytest.mark.parametrize(("content", "expected"), READ_CASES)
def test_it_reads_the_users_file_leniently(tmp_path, content, expected):
    if content is not None:
        (tmp_path / USERS_FILE).write_bytes(content)
    assert lifecycle.read_users(tmp_path) == expected


def test_it_writes_the_users_file_whole_and_removes_it_when_empty(tmp_path):
    users = [User(1, 2.0), User(3, None)]
    lifecycle.write_users(tmp_path, users)
    assert json.loads((tmp_path / USERS_FILE).read_text()) == [
        {"pid": 1, "started": 2.0},
        {"pid": 3, "started": None},
    ]
    assert lifecycle.read_users(tmp_path) == users
    lifecycle.write_users(tmp_path, [])
    assert not (tmp_path / USERS_FILE).exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_it_never_leaves_a_half_written_users_file(tmp_path, monkeypatch):
    """A write cut short (here fsync fails; in life, a signal) leaves the old file as it was."""
    lifecycle.write_users(tmp_path, [User(1, 2.0)])
    before = (tmp_path / USERS_FILE).read_bytes()

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lifecycle.write_users(tmp_path, [User(4, 5.0), User(6, 7.0)])
    assert (tmp_path / USERS_FILE).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [USERS_FILE]


def test_it_tells_live_users_from_dead_ones_and_reused_pids():
    me = lifecycle.user_of(os.getpid())
    assert me.alive()
    assert User(os.getpid(), None).alive()  # the wheel's bare pids: alive if the pid is
    assert not User(os.getpid(), me.started - 100).alive()  # same pid, another process
    exited = subprocess.Popen([sys.executable, "-c", ""])
    exited.wait()
    assert not User(exited.pid, None).alive()
    zombie = subprocess.Popen([sys.executable, "-c", ""])
    _wait_until(
        lambda: psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE, 30, "no zombie"
    )
    assert not User(zombie.pid, None).alive()  # exited, not yet reaped by its parent
    zombie.wait()


# --- A real server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pgdata():
    path = private_var_dir("lifecycle") / "pgdata"
    lifecycle._prepare(path)  # initdb once
    yield path
    lifecycle.stop(path)
    shutil.rmtree(path.parent, ignore_errors=True)


def _running(pgdata: Path) -> bool:
    return lifecycle.postmaster(pgdata) is not None


def _watchers(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "watch" in cmdline and str(pgdata) in cmdline:
            found.append(process)
    return found


def test_it_starts_for_the_first_user_prunes_the_dead_and_stops_after_the_last(pgdata):
    first, second = _sleeper(), _sleeper()
    try:
        # A user that died without releasing (a start time in 1970: no live process).
        lifecycle.write_users(pgdata, [User(4194303, 1.0)])
        info = lifecycle.acquire(pgdata, first.pid)
        assert _running(pgdata)
        assert (Path(info.socket_dir) / ".s.PGSQL.5432").exists()
        lifecycle.acquire(pgdata, second.pid)
        assert [u.pid for u in lifecycle.read_users(pgdata)] == [first.pid, second.pid]
        assert not lifecycle.release(pgdata, first.pid)  # one user left
        assert _running(pgdata)
        assert lifecycle.release(pgdata, second.pid)
        assert not _running(pgdata)
        assert not (pgdata / USERS_FILE).exists()
    finally:
        first.kill()
        second.kill()
    _wait_until(lambda: not _watchers(pgdata), 10, "the watcher did not exit")


@pytest.mark.parametrize(
    "content",
    [
        b"",  # what a SIGTERM during the wheel's write left (the crash)
        b"[20521, 21047, 21370, 21574]",  # the pids of processes long gone
        b'[{"pid": 4194303, "started": 1.0}]',  # our format, a dead user
    ],
)
def test_it_starts_whatever_a_stopped_server_left_in_the_users_file(pgdata, content):
    (pgdata / USERS_FILE).write_bytes(content)
    user = _sleeper()
    try:
        lifecycle.acquire(pgdata, user.pid)
        assert [u.pid for u in lifecycle.read_users(pgdata)] == [user.pid]
        assert lifecycle.release(pgdata, user.pid)
        assert not _running(pgdata)
    finally:
        user.kill()


def test_the_server_can_read_the_users_file_in_its_data_directory(pgdata):
    """A base backup (pg_basebackup, the replica test's standby) copies every file of the
    data directory through the server; under root the server runs as another account, and
    a users file only root could read made that copy fail."""
    import psycopg

    user = _sleeper()
    try:
        info = lifecycle.acquire(pgdata, user.pid)
        with psycopg.connect(host=str(info.socket_dir), user="postgres", dbname="postgres") as c:
            (content,) = c.execute("SELECT pg_read_binary_file(%s)", [USERS_FILE]).fetchone()
        assert [u["pid"] for u in json.loads(bytes(content))] == [user.pid]
        assert lifecycle.release(pgdata, user.pid)
    finally:
        user.kill()


def test_it_starts_with_the_shared_buffers_asked_for_at_once(pgdata, monkeypatch):
    """EMBEDDED_SHARED_BUFFERS holds from the start it is set for, over a size an earlier
    version wrote into postgresql.auto.conf (which took effect one start late)."""
    import psycopg

    lifecycle.stop(pgdata)
    auto_conf = pgdata / "postgresql.auto.conf"
    before = auto_conf.read_text()
    auto_conf.write_text(before + "shared_buffers = '256MB'\n")
    monkeypatch.setenv("EMBEDDED_SHARED_BUFFERS", "160MB")
    user = _sleeper()
    try:
        info = lifecycle.acquire(pgdata, user.pid)
        with psycopg.connect(host=str(info.socket_dir), user="postgres", dbname="postgres") as c:
            (size,) = c.execute("SHOW shared_buffers").fetchone()
        assert size == "160MB"
        assert lifecycle.release(pgdata, user.pid)
    finally:
        user.kill()
        auto_conf.write_text(before)


def test_a_running_server_with_an_emptied_users_file_stops_after_its_next_user(pgdata):
    first, second = _sleeper(), _sleeper()
    try:
        lifecycle.acquire(pgdata, first.pid)
        (pgdata / USERS_FILE).write_bytes(b"")  # by hand, or a signal mid-write
        lifecycle.acquire(pgdata, second.pid)
        assert [u.pid for u in lifecycle.read_users(pgdata)] == [second.pid]
        assert lifecycle.release(pgdata, second.pid)
        assert not _running(pgdata)
    finally:
        first.kill()
        second.kill()


def test_the_watcher_stops_the_server_when_its_last_user_is_killed(pgdata):
    user = _sleeper()
    lifecycle.acquire(pgdata, user.pid)
    _wait_until(lambda: len(_watchers(pgdata)) == 1, 10, "no watcher started")
    user.kill()  # no atexit, no release
    user.wait()
    _wait_until(lambda: not _running(pgdata), 15, "the server outlived its last user")
    _wait_until(lambda: not _watchers(pgdata), 10, "the watcher did not exit")
    assert not (pgdata / USERS_FILE).exists()


def test_stop_stops_the_server_whoever_uses_it(pgdata):
    user = _sleeper()
    try:
        lifecycle.acquire(pgdata, user.pid)
        assert lifecycle.stop(pgdata)
        assert not _running(pgdata)
        assert not (pgdata / USERS_FILE).exists()
        assert not lifecycle.stop(pgdata)  # nothing to stop
    finally:
        user.kill()
    _wait_until(lambda: not _watchers(pgdata), 10, "the watcher did not exit")


def test_many_processes_share_one_server_and_the_last_one_stops_it(pgdata):
    """Like pytest-xdist workers, gunicorn workers and the ingest worker: each registers,
    uses the server, releases; concurrently, under the lock."""
    script = textwrap.dedent(
        f"""
        import random, sys, time
        from pathlib import Path
        import psycopg
        from imr_site.embedded import lifecycle
        pgdata = Path({str(pgdata)!r})
        time.sleep(random.random() / 2)
        info = lifecycle.acquire(pgdata)
        with psycopg.connect(host=str(info.socket_dir), user="postgres", dbname="postgres") as c:
            c.execute("SELECT 1")
            time.sleep(random.random())
        lifecycle.release(pgdata)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors
    assert not _running(pgdata)
    assert not (pgdata / USERS_FILE).exists()
    _wait_until(lambda: not _watchers(pgdata), 10, "the watcher did not exit")
