"""``ingest.accuracy`` and ``manage.py accuracy_report`` on a synthetic labelled folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest.accuracy import FIELDS, Field, half_of, measure

# A synthetic 2016 letter whose one item is "Transportation to and from medical appointments".
LETTER = Path(__file__).parent / "letters" / "2016_pdfminer_columns.txt"
CASE = "CM16-5523761"


def label(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "case_number": CASE,
        "index": 1,
        "outcome": "upheld",
        "treatment": "Transportation to and from medical appointments",
        "category": "Transportation",
        "subcategory": "Transportation",
        "drugs": [],
        "body_region": "none",
        "visits": None,
        "rationale_reasons": [],
        "uncertain_fields": [],
    }
    return base | overrides


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(LETTER, tmp_path / f"{CASE}.txt")
    return tmp_path


def write_labels(folder: Path, *labels: dict[str, object]) -> None:
    lines = "\n".join(json.dumps(x) for x in labels)
    (folder / "items.jsonl").write_text(lines + "\n", encoding="utf-8")


def test_it_scores_each_field_and_lists_the_misses(folder: Path) -> None:
    write_labels(folder, label(category="Home Health", subcategory="Home Health"))
    report = measure(folder)
    assert report.field("category").right == 0
    assert report.field("drugs").accuracy == 1.0
    assert {m.field for m in report.misses} >= {"category", "subcategory"}
    line = next(m.line() for m in report.misses if m.field == "category")
    assert "expected 'Home Health', got 'Transportation'" in line


def test_an_uncertain_body_region_is_left_out(folder: Path) -> None:
    write_labels(folder, label(body_region="knee", uncertain_fields=["body_region"]))
    assert measure(folder).field("body_region").total == 0


def test_reason_tags_count_true_and_false_positives(folder: Path) -> None:
    write_labels(folder, label(rationale_reasons=["a_tag_the_parser_never_gives"]))
    report = measure(folder)
    [score] = [t for t in report.tags if t.tag == "a_tag_the_parser_never_gives"]
    assert (score.true_positives, score.false_negatives) == (0, 1)
    assert report.micro.recall < 1.0


def test_a_missing_item_or_letter_is_a_problem_not_a_crash(folder: Path) -> None:
    write_labels(folder, label(index=9), label(case_number="CM16-0000000"))
    problems = measure(folder).problems
    assert any("#9: no such item" in p for p in problems)
    assert any("CM16-0000000: letter file missing" in p for p in problems)


def test_the_field_table_can_be_replaced(folder: Path) -> None:
    # Another source of truth (DWC's own coding) compares through its own rows.
    write_labels(folder, label(dwc_category="Transportation"))
    fields = (Field("dwc_category", lambda g: g["dwc_category"], lambda i: i.category),)
    report = measure(folder, fields=fields)
    assert [f.name for f in report.fields] == ["dwc_category"]
    assert report.field("dwc_category").accuracy == 1.0


def test_halves_are_fixed_and_cover_both_values() -> None:
    cases = [f"CM16-{n:07d}" for n in range(40)]
    assert {half_of(c) for c in cases} == {1, 2}
    assert [half_of(c) for c in cases] == [half_of(c) for c in cases]


def test_the_command_prints_fields_tags_and_misses(folder: Path, capsys) -> None:
    write_labels(folder, label(category="Home Health", subcategory="Home Health"))
    call_command("accuracy_report", str(folder))
    out = capsys.readouterr().out
    for name in (f.name for f in FIELDS):
        assert f"  {name}" in out
    assert "reasons      precision" in out
    assert "category: CM16-5523761 #1" in out


def test_the_command_refuses_a_folder_without_labels(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"items\.jsonl"):
        call_command("accuracy_report", str(tmp_path))
