"""``manage.py parse_letters --analysis`` and where a letter's case number came from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from ingest.letter import CaseNumberSource, letter_as_dict
from ingest.normalize.reasons import LABELLED_TAGS
from ingest.parser import case_number_from_file_name, parse_letter

LETTERS = Path(__file__).parent / "letters"
# A 2014-2015 letter: no header block, so no case number in its text.
LETTER_2014 = LETTERS / "2014_page_breaks.txt"
# A 2016 letter: the header block states the case number.
LETTER_2016 = sorted(LETTERS.glob("2016_*.txt"))[0]

FILE_NAMES = [
    # DWC's own naming.
    ("CM15-1234567.pdf", "CM15-1234567"),
    # A zip member and a folder path.
    ("batch.zip!letters/CM14-0000123.txt", "CM14-0000123"),
    ("/tmp/x/cm16-0000001.PDF", "CM16-0000001"),
    # Anything else is no case number.
    ("letter.pdf", None),
    ("CM15-123.pdf", None),
    ("CM15-1234567 (copy).pdf", None),
]


@pytest.mark.parametrize(("name", "expected"), FILE_NAMES)
def test_it_reads_a_case_number_from_a_dwc_file_name(name: str, expected: str | None) -> None:
    assert case_number_from_file_name(name) == expected


def test_a_letter_without_a_case_number_takes_its_file_names() -> None:
    text = LETTER_2014.read_text(encoding="utf-8")
    assert parse_letter(text).case_number is None
    letter = parse_letter(text, "CM15-7654321.txt")
    assert letter.case_number == "CM15-7654321"
    assert letter.case_number_source is CaseNumberSource.FILE_NAME


def test_the_texts_case_number_wins_over_the_file_name() -> None:
    text = LETTER_2016.read_text(encoding="utf-8")
    in_text = parse_letter(text).case_number
    assert in_text is not None
    letter = parse_letter(text, "CM15-7654321.txt")
    assert letter.case_number == in_text
    assert letter.case_number_source is CaseNumberSource.TEXT


def test_the_golden_shape_has_no_source() -> None:
    # Golden files keep their shape: the source is only in --analysis output.
    letter = parse_letter(LETTER_2014.read_text(encoding="utf-8"), "CM15-7654321.txt")
    assert "case_number_source" not in letter_as_dict(letter)


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    call_command("parse_letters", *args)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_analysis_adds_the_derived_fields(tmp_path: Path, capsys) -> None:
    named = tmp_path / "CM15-7654321.txt"
    shutil.copy(LETTER_2014, named)
    plain = run(str(named), capsys=capsys)[0]
    [record] = run(str(named), "--analysis", capsys=capsys)
    assert record["case_number"] == "CM15-7654321"
    assert record["case_number_source"] == "file name"
    assert "case_number_source" not in plain
    assert len(record["items"]) == len(plain["items"]) > 0
    for item, bare in zip(record["items"], plain["items"], strict=True):
        assert "reasons" not in bare and "visits" not in bare
        assert set(item["reasons"]) <= set(LABELLED_TAGS)
        assert all(key.count("|") >= 1 for key in item["guideline_sections"])
        for key in ("visits", "body_region", "claims_guideline_sections"):
            assert key in item
    assert any(item["reasons"] for item in record["items"])
    assert any(item["guideline_sections"] for item in record["items"])


@pytest.mark.django_db
def test_a_stored_letter_records_where_its_case_number_came_from() -> None:
    from determinations.models import Determination
    from ingest.loader import ingest_bytes

    data = LETTER_2014.read_bytes()
    result = ingest_bytes("CM15-7654321.txt", data)
    det = Determination.objects.get(pk=result.determination_id)
    assert det.case_number == "CM15-7654321"
    assert det.case_number_source == "file name"
