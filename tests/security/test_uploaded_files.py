"""Uploaded letters live outside the static root and are served only to signed-in users,
as attachments with the right content type."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from synth.pdf import text_to_pdf
from tests.admin_ingest.factories import letter
from tests.factories import make_determination

pytestmark = pytest.mark.django_db


def inside(child: Path, parent: Path) -> bool:
    return Path(child).resolve().is_relative_to(Path(parent).resolve())


def test_media_is_outside_every_static_folder():
    media = django_settings.MEDIA_ROOT
    assert not inside(media, django_settings.STATIC_ROOT)
    assert not inside(django_settings.STATIC_ROOT, media)
    for folder in django_settings.STATICFILES_DIRS:
        assert not inside(media, folder)


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("letter.txt", letter(1), "text/plain"),
        ("letter.pdf", text_to_pdf(letter(1).decode()), "application/pdf"),
        ("letter.html", b"<script>alert(1)</script>", "application/octet-stream"),
    ],
)
def test_originals_download_as_attachments(analyst_client, client, name, data, content_type):
    det = make_determination(original_filename=name)
    det.source_file.save(name, ContentFile(data))
    url = reverse("determinations:file", args=[det.pk])
    response = analyst_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data
    client.logout()
    assert client.get(url).status_code == 302


def test_stored_files_have_no_url_of_their_own(analyst_client):
    det = make_determination()
    det.source_file.save("letter.txt", ContentFile(letter(1)))
    assert (Path(django_settings.MEDIA_ROOT) / det.source_file.name).exists()
    for url in (f"/media/{det.source_file.name}", f"/static/{det.source_file.name}"):
        assert analyst_client.get(url).status_code == 404
