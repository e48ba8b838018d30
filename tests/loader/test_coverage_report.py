"""manage.py coverage_report over synthetic letters loaded through the ingest path."""

import pytest
from django.core.management import call_command

from ingest.loader import ingest_bytes
from synth.letters import generate_letters

pytestmark = pytest.mark.django_db


def test_it_prints_the_shares_and_the_unresolved_strings(capsys):
    for letter in generate_letters(20, seed=4):
        ingest_bytes(letter.filename, letter.text.encode())
    call_command("coverage_report", "--top", "5")
    out = capsys.readouterr().out
    for line in (
        "with a request category",
        "with drug ingredients (medications)",
        "with a canonical guideline",
        "with a reason tag",
        "Most common treatments without a category:",
        "Most common citations without a canonical section:",
    ):
        assert line in out
    category = next(line for line in out.splitlines() if "with a request category" in line)
    assert "%" in category and "(0 of 0)" not in category
