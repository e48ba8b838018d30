"""Small factories for the admin ingest tests: letters, uploads, zips, a worker process."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.loader.conftest import letter_text
from tests.production.support import subprocess_env

ROOT = Path(__file__).resolve().parents[2]


def letter(n: int = 1, symptom: str = "radicular symptoms") -> bytes:
    """A synthetic letter (text) with case number CM17-50000nn."""
    return letter_text(case=f"CM17-5{n:06d}", symptom=symptom).encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def start_worker(*args: str) -> subprocess.Popen[bytes]:
    """``manage.py ingest_worker`` on this test's database and media folder."""
    # This test's database, embedded or through DATABASE_URL (CI runs both).
    env = subprocess_env(MEDIA_ROOT=str(settings.MEDIA_ROOT), DJANGO_DEBUG="0", LOG_LEVEL="WARNING")
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest_worker", "--interval", "0.1", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
