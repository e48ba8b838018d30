"""Static files storage for DEBUG off: collectstatic's hashed names once it has run, the
plain names before (never a 500 for want of a manifest entry)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed, hashed storage (the image runs collectstatic), except that
    with no manifest at all (a checkout, `manage.py runserver` with DEBUG off) a file keeps
    its own name, which whitenoise serves from the app folders (WHITENOISE_USE_FINDERS in
    settings). With a manifest, a file missing from it is still an error, as in whitenoise.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.collected = self.manifest_storage.exists(self.manifest_name)

    def stored_name(self, name: str) -> str:
        if not self.collected and not self.hashed_files:
            return name
        return str(super().stored_name(name))
