"""manage.py coverage_report over synthetic letters loaded through the ingest path."""

import json

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


def test_it_adds_the_accuracy_measured_on_labelled_letters(tmp_path, capsys):
    # A synthetic labelled folder: one 2016 letter named by its case number and its label.
    letter = next(g for g in generate_letters(10, seed=4) if g.truth.get("case_number"))
    case = letter.truth["case_number"]
    (tmp_path / f"{case}.txt").write_text(letter.text, encoding="utf-8")
    item = letter.truth["items"][0]
    label = {
        "case_number": case,
        "index": 1,
        "treatment": item["treatment"],
        "category": item["category"],
        "subcategory": item["subcategory"],
        "drugs": item["drugs"],
        "visits": None,
        "body_region": "none",
        "rationale_reasons": [],
        "uncertain_fields": ["body_region", "visits"],
    }
    (tmp_path / "items.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    call_command("coverage_report", "--labelled", str(tmp_path))
    out = capsys.readouterr().out
    assert f"Accuracy on the hand-labelled letters of {tmp_path}:" in out
    assert "  category     100.0%  (1 of 1)" in out
    assert "reasons      precision" in out


def test_it_says_when_the_labelled_folder_has_no_labels(tmp_path, capsys):
    call_command("coverage_report", "--labelled", str(tmp_path))
    assert "accuracy not measured" in capsys.readouterr().out
