"""The embedded server's shared_buffers: a quarter of RAM, or EMBEDDED_SHARED_BUFFERS."""

import pytest

from imr_site.embedded.lifecycle import shared_buffers

CASES = [
    # As written in the docs.
    ("12GB", "12GB"),
    # Lower case and a space are forgiven.
    ("512 mb", "512MB"),
    # Surrounding blanks too.
    (" 2GB ", "2GB"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_it_takes_the_size_asked_for(monkeypatch, value, expected):
    monkeypatch.setenv("EMBEDDED_SHARED_BUFFERS", value)
    assert shared_buffers() == expected


@pytest.mark.parametrize("value", ["lots", "12", "1.5GB", "12TB", "-1GB", "12GB; DROP"])
def test_it_refuses_anything_else_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("EMBEDDED_SHARED_BUFFERS", value)
    with pytest.raises(ValueError, match="EMBEDDED_SHARED_BUFFERS reads like 512MB or 12GB"):
        shared_buffers()


def test_unset_it_is_a_quarter_of_memory_between_1_and_8_gb(monkeypatch):
    monkeypatch.delenv("EMBEDDED_SHARED_BUFFERS", raising=False)
    value = shared_buffers()
    assert value.endswith("MB")
    assert 1024 <= int(value.removesuffix("MB")) <= 8192
