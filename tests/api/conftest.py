"""Fixtures of the API tests: synthetic letters through the one ingest path, and tokens."""

from __future__ import annotations

import pytest

from api.models import ApiToken
from ingest.loader import ingest_bytes
from synth.letters import generate_letters


@pytest.fixture
def corpus(db, settings, tmp_path):
    """40 synthetic letters (every layout's mix), saved as an upload would save them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for letter in generate_letters(40, seed=14):
        ingest_bytes(letter.filename, letter.text.encode())


@pytest.fixture
def token(user):
    _token, secret = ApiToken.create_for(user, "test script")
    return secret


@pytest.fixture
def api(client, token):
    """A client sending the token, as a script would (no session)."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
