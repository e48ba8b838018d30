"""The README's backup recipe, end to end: pg_dump -Fc of the database and a tar of the
uploaded files, restored into a fresh database and folder, gives back every letter."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from determinations.models import Determination, DisputedItem
from ingest.loader import ingest_bytes
from tests.admin_ingest.factories import letter
from tests.production.support import pg_bin_dir

LETTERS = 30


def libpq_env(dbname: str) -> dict[str, str]:
    params = connection.get_connection_params()
    env = {**os.environ, "PGDATABASE": dbname, "PGHOST": str(params.get("host") or "")}
    for key, var in (("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return env


def rows(cursor, query):
    cursor.execute(query)
    return cursor.fetchall()


LETTER_QUERY = (
    "SELECT id, case_number, sha256, source_file FROM determinations_determination ORDER BY id"
)
ITEM_QUERY = (
    "SELECT id, determination_id, treatment, outcome FROM determinations_disputeditem ORDER BY id"
)


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_has_every_letter(tmp_path, settings):
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip("no pg_dump/pg_restore at least as new as the server was found")
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(1, LETTERS + 1):
        assert ingest_bytes(f"{n}.txt", letter(n)).determination_id
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"[:63]
    dump = tmp_path / "imr.dump"

    # Back up: the database (custom format) and the uploaded files.
    subprocess.run(
        [bin_dir / "pg_dump", "-Fc", "--no-owner", "-f", dump],
        env=libpq_env(source),
        check=True,
        timeout=300,
    )
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    # Restore into a fresh database and a fresh folder.
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored)))
    try:
        subprocess.run(
            [bin_dir / "pg_restore", "--no-owner", "--exit-on-error", "-d", restored, dump],
            env=libpq_env(restored),
            check=True,
            timeout=300,
        )
        fresh = tmp_path / "restored"
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(fresh, filter="data")

        params = libpq_env(restored)
        with (
            psycopg.connect(
                dbname=restored,
                host=params["PGHOST"],
                port=params.get("PGPORT"),
                user=params.get("PGUSER"),
                password=params.get("PGPASSWORD"),
            ) as copy,
            copy.cursor() as cursor,
            connection.cursor() as original,
        ):
            assert rows(cursor, LETTER_QUERY) == rows(original, LETTER_QUERY)
            assert rows(cursor, ITEM_QUERY) == rows(original, ITEM_QUERY)
            assert len(rows(cursor, LETTER_QUERY)) == LETTERS
            # Search still works on the copy: the stored vectors and indexes came along.
            (found,) = cursor.execute(
                "SELECT count(DISTINCT determination_id) FROM determinations_disputeditem "
                "WHERE search_vector @@ plainto_tsquery('english', 'lumbar')"
            ).fetchone()
            assert found == LETTERS
        assert DisputedItem.objects.count() == 2 * LETTERS
        for det in Determination.objects.all():
            kept = (fresh / "media" / det.source_file.name).read_bytes()
            assert hashlib.sha256(kept).hexdigest() == det.sha256
    finally:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
