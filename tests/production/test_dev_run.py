"""`./dev run` stops cleanly, every time: Ctrl-C (SIGINT to its process group) and SIGTERM
(to the script alone, as `kill PID` or a process manager sends it), three times each.

After each stop: no process of that checkout's var folder is left (the site, the worker, the
embedded PostgreSQL, its watcher), the users file is valid or absent, and the next
manage.py command that uses the database succeeds.

The runs use a var folder of their own (IMR_VAR_DIR) and a port of their own, so the test
session's database server is not touched. The demo data is loaded once beforehand (20
letters, not the 3,000 of a first `./dev run`), which `./dev run` then finds in place.

A second test empties or cuts the users file (var/pgdata/.handle_pids.json) by hand, with
and without a server running, and shows the next command still works.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from imr_site.embedded.lifecycle import USERS_FILE

from .support import ROOT, free_port
from .var_dirs import private_var_dir

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "imr_site.embedded",
    reason="the embedded PostgreSQL's lifecycle (DATABASE_URL is set)",
)

START_TIMEOUT = 180  # seconds for `./dev run` to answer (a loaded 2-core machine)


def _env(var: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "EMBEDDED_DB_NAME", "DJANGO_DEBUG", "LOG_FORMAT")
        and not k.startswith("PYTEST")
    }
    return {**env, "IMR_VAR_DIR": str(var), **extra}


def _processes_of(var: Path) -> list[str]:
    """Every process started for this var folder: each inherits IMR_VAR_DIR (the embedded
    server and its watcher included), or names the folder on its command line."""
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
            ours = str(var) in cmdline or process.environ().get("IMR_VAR_DIR") == str(var)
            if ours and process.status() != psutil.STATUS_ZOMBIE:
                found.append(f"{process.pid} {cmdline}")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _wait_for_no_processes(var: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while left := _processes_of(var):
        if time.monotonic() > deadline:
            pytest.fail(f"processes left {timeout}s after the stop:\n" + "\n".join(left))
        time.sleep(0.25)


def _users_file_is_valid_or_absent(var: Path) -> None:
    path = var / "pgdata" / USERS_FILE
    if path.exists():
        content = json.loads(path.read_text())  # raises on an empty or cut-off file
        assert isinstance(content, list)


def _manage(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=_env(var),
        capture_output=True,
        text=True,
        timeout=180,
    )


def _the_next_command_works(var: Path) -> None:
    done = _manage(
        var,
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "print('analyst exists:', User.objects.filter(username='analyst').exists())",
    )
    assert done.returncode == 0, done.stderr
    assert "analyst exists: True" in done.stdout


@pytest.fixture
def var():
    if not (ROOT / ".venv/bin/python").exists():
        pytest.skip("needs the checkout's .venv (./dev creates it)")
    var = private_var_dir("dev-run")
    yield var
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "imr_site.embedded", "stop"],
        cwd=ROOT,
        env=_env(var),
        capture_output=True,
        check=False,
    )
    shutil.rmtree(var, ignore_errors=True)


def _migrate(var: Path, *more: tuple[str, ...]) -> None:
    for args in (("migrate", "--no-input", "-v", "0"), *more):
        done = _manage(var, *args)
        assert done.returncode == 0, done.stderr
    _wait_for_no_processes(var)


def _start_dev_run(var: Path, log: Path) -> subprocess.Popen[bytes]:
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "dev"), "run"],
            cwd=ROOT,
            env=_env(var, DEV_RUN_ADDRESS=f"127.0.0.1:{port}"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"./dev run did not answer; its output:\n{log.read_text()}")
        time.sleep(0.5)


def test_dev_run_stops_cleanly_on_ctrl_c_and_sigterm_three_times_each(var, tmp_path):
    _migrate(var, ("demo", "--letters", "20"))  # `./dev run` then finds its demo data
    for n, how in enumerate(["ctrl-c", "sigterm"] * 3, 1):
        log = tmp_path / f"dev-run-{n}.log"
        process = _start_dev_run(var, log)
        # The script, the site and the worker are users: the server has users to lose.
        users = json.loads((var / "pgdata" / USERS_FILE).read_text())
        assert len(users) >= 2, users
        if how == "ctrl-c":  # a terminal sends SIGINT to the whole process group
            os.killpg(process.pid, signal.SIGINT)
        else:  # `kill PID`, a process manager: the script alone
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"run {n}: ./dev run did not stop on {how}:\n{log.read_text()}")
        output = log.read_text()
        _wait_for_no_processes(var)
        _users_file_is_valid_or_absent(var)
        assert "Traceback" not in output, output
        assert "Exception ignored" not in output, output
        _the_next_command_works(var)
        _wait_for_no_processes(var)  # and that command's server stopped after it too
        print(
            f"run {n}: stopped by {how}, exit {process.returncode}: nothing left, next command ok"
        )


TRUNCATED = [
    # (what is left in the users file, whether a user holds the server meanwhile)
    (b"", False),  # what a SIGTERM left in the issue, before the next `./dev test`
    (b"", True),  # emptied by hand while a process uses the server
    (b"[20521, 21047,", True),  # cut off in the middle of a write
]


def test_the_next_command_works_after_the_users_file_is_truncated(var):
    _migrate(var)
    for content, server_running in TRUNCATED:
        holder = _holder(var) if server_running else None
        try:
            (var / "pgdata" / USERS_FILE).write_bytes(content)
            done = _manage(var, "migrate", "--check")  # reads the migrations table
            assert done.returncode == 0, (content, done.stdout, done.stderr)
            _users_file_is_valid_or_absent(var)
        finally:
            if holder is not None:
                holder.kill()
                holder.wait()
        _wait_for_no_processes(var)
        assert not (var / "pgdata" / USERS_FILE).exists()
        print(f"users file {content!r}, server running: {server_running}: next command ok")


def _holder(var: Path) -> subprocess.Popen[str]:
    """A manage.py process connected to the server, until killed."""
    holder = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection();"
            "print('connected', flush=True); import time; time.sleep(300)",
        ],
        cwd=ROOT,
        env=_env(var),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    while (line := holder.stdout.readline()) and line.strip() != "connected":
        pass
    assert line, "the process holding the server did not connect"
    return holder
