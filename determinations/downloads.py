"""Stored letters as downloads: always attachments, never rendered by the browser.

Uploaded files are user content. The analyst page, the review page and the upload admin all
serve them through these two functions, so the headers are the same everywhere.
"""

from __future__ import annotations

import io
import mimetypes
import zipfile
from collections.abc import Iterable

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

# Only the types letters come in as; anything else is offered as opaque bytes.
LETTER_TYPES = ("application/pdf", "text/plain")


def attachment(stored: FieldFile, name: str) -> FileResponse:
    """One stored file. Raises FileNotFoundError when storage lost it."""
    content_type = mimetypes.guess_type(name)[0]
    if content_type not in LETTER_TYPES:
        content_type = "application/octet-stream"
    handle = stored.open("rb")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


def zip_attachment(files: Iterable[tuple[str, FieldFile]], filename: str) -> FileResponse:
    """Several stored files as one .zip, each under the given name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, stored in files:
            with stored.open("rb") as fh:
                archive.writestr(name, fh.read())
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=filename, content_type="application/zip"
    )


def files_download(files: list[tuple[int, str, FieldFile]], zip_name: str) -> FileResponse | None:
    """The admin "download originals" actions: None when no file is kept, the file itself
    when there is one, else a .zip whose members are named "<id>-<name>"."""
    if not files:
        return None
    if len(files) == 1:
        _, name, stored = files[0]
        return attachment(stored, name)
    return zip_attachment(((f"{pk}-{name}", stored) for pk, name, stored in files), zip_name)
