"""generate_letters and demo: synthetic letters through the same ingest path."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from determinations.models import Determination
from ingest.parser import parse_letter
from ingest.text import extract_text


def test_it_writes_letters_with_their_truth(tmp_path):
    call_command(
        "generate_letters",
        "--count",
        "12",
        "--seed",
        "5",
        "--out",
        str(tmp_path),
        "--truth",
        "--pdf-share",
        "0.25",
        stdout=io.StringIO(),
    )
    pdfs = sorted(tmp_path.glob("*.pdf"))
    texts = sorted(tmp_path.glob("*.txt"))
    assert len(pdfs) == 3
    assert len(pdfs) + len(texts) == 12
    for path in [*pdfs, *texts]:
        truth = json.loads((tmp_path / f"{path.stem}.truth.json").read_text())
        parsed = parse_letter(extract_text(path.read_bytes(), path.name).text)
        assert parsed.case_number == truth["case_number"]
        assert len(parsed.items) == len(truth["items"])


def test_it_is_deterministic_for_a_seed(tmp_path):
    for folder in ("a", "b"):
        call_command(
            "generate_letters",
            "--count",
            "5",
            "--seed",
            "9",
            "--out",
            str(tmp_path / folder),
            stdout=io.StringIO(),
        )
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_it_needs_somewhere_to_put_them():
    with pytest.raises(CommandError):
        call_command("generate_letters", "--count", "1")


@pytest.mark.django_db
def test_it_loads_letters_straight_into_the_database():
    call_command("generate_letters", "--count", "10", "--seed", "3", "--load", stdout=io.StringIO())
    assert Determination.objects.count() == 10


@pytest.mark.django_db
def test_demo_loads_letters_once_and_prints_the_logins():
    out = io.StringIO()
    call_command("demo", "--letters", "25", stdout=out)
    assert Determination.objects.count() == 25
    assert "analyst" in out.getvalue() and "imr-demo-analyst" in out.getvalue()
    users = get_user_model().objects
    assert users.get(username="admin").is_staff
    assert not users.get(username="analyst").is_staff
    assert users.get(username="analyst").check_password("imr-demo-analyst")

    again = io.StringIO()
    call_command("demo", "--letters", "25", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Determination.objects.count() == 25


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never"):
        call_command("demo", "--letters", "1")
