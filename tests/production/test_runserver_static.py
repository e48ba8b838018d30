"""`manage.py runserver` with DEBUG off, before any collectstatic: pages and their static
files are served (the issue: every page was a 500, "Missing staticfiles manifest entry")."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .support import ROOT, free_port, subprocess_env


@pytest.mark.django_db(transaction=True)
def test_runserver_without_debug_serves_pages_and_static_files_before_collectstatic(tmp_path):
    static_root = tmp_path / "staticfiles"  # never collected into
    port = free_port()
    env = subprocess_env(STATIC_ROOT=str(static_root), DJANGO_DEBUG="", LOG_LEVEL="WARNING")
    log = (tmp_path / "runserver.log").open("w+b")
    server = subprocess.Popen(
        ["python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    assert r.status == 200
                    page = r.read()
                    break
            except urllib.error.HTTPError:
                raise
            except OSError:
                assert server.poll() is None, (tmp_path / "runserver.log").read_text()
                assert time.monotonic() < deadline, "runserver did not answer in 120 s"
                time.sleep(0.3)
        assert b"Sign in" in page
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
        assert b"/static/css/app.css" in assets  # its own name: nothing was collected
        for asset in assets:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{asset.decode()}") as r:
                assert r.status == 200, asset
                assert r.read(), asset
        assert not (static_root / "staticfiles.json").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert b"No directory at" not in (tmp_path / "runserver.log").read_bytes()
