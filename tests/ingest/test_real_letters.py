"""The parser on the real letters in ../shared/letters (never copied into the repo).

Skipped when that folder is absent (a fresh clone elsewhere). The hand-reviewed answers
in real_expected/<first 16 hex of the file's sha256>.json hold no text from the letters:
the case number is stored as its sha256, and headings, treatments and raw citation text
are left out.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ingest.letter import Layout, ParsedLetter, Party, letter_as_dict
from ingest.parser import parse_letter
from ingest.text import extract_text

pytestmark = pytest.mark.real_letters

LETTERS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "letters"
EXPECTED_DIR = Path(__file__).parent / "real_expected"
SEEDS = sorted((LETTERS_DIR / "seeds").glob("*.txt")) if LETTERS_DIR.is_dir() else []
PDFS = sorted((LETTERS_DIR / "dwc-2016").glob("*.pdf")) if LETTERS_DIR.is_dir() else []
LETTERS = SEEDS + PDFS

# Counts "Decision rationale:" paragraphs in the raw text, independently of the parser.
RATIONALE_RE = re.compile(r"Decision\s+rationale\s*:", re.I)

needs_letters = pytest.mark.skipif(
    not LETTERS, reason=f"real letters not found at {LETTERS_DIR} (only in project sessions/CI)"
)


def file_key(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@cache
def letter_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".txt":
        return data.decode("utf-8")
    return extract_text(data, path.name).text


def reviewed_shape(letter: ParsedLetter) -> dict[str, Any]:
    """letter_as_dict without anything cut from the letter (see module docstring)."""
    full = letter_as_dict(letter)
    case = full.pop("case_number")
    full["case_number_sha256"] = hashlib.sha256(case.encode()).hexdigest() if case else None
    for key in ("warnings", "parser_version"):
        full.pop(key)
    for item in full["items"]:
        for key in (
            "heading",
            "treatment",
            "original_request",
            "authorized_portion",
            "medication",
            "order",
        ):
            item.pop(key)
    return full


@needs_letters
@pytest.mark.parametrize("path", LETTERS, ids=[p.name for p in LETTERS])
def test_every_real_letter_parses(path: Path) -> None:
    text = letter_text(path)
    got = parse_letter(text)
    assert got.error is None, got.error
    assert got.layout is (Layout.DWC_2014 if path.suffix == ".txt" else Layout.DWC_2016)
    assert len(got.items) == len(RATIONALE_RE.findall(text))
    for item in got.items:
        parties = {c.party for c in item.citations}
        assert parties == {Party.CLAIMS_ADMINISTRATOR, Party.REVIEWER}, item.order
    if path.suffix == ".pdf":
        assert got.case_number == path.stem
    assert got.warnings == ()


EXPECTED = sorted(EXPECTED_DIR.glob("*.json"))


@needs_letters
def test_enough_letters_are_hand_reviewed() -> None:
    keys = {file_key(p) for p in LETTERS}
    reviewed = {p.stem for p in EXPECTED}
    assert len(reviewed & keys) >= 15
    assert reviewed <= keys, f"expected files for unknown letters: {sorted(reviewed - keys)}"


@needs_letters
@pytest.mark.parametrize("expected_path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_real_letter_matches_its_reviewed_answer(expected_path: Path) -> None:
    by_key = {file_key(p): p for p in LETTERS}
    path = by_key.get(expected_path.stem)
    if path is None:
        pytest.fail(f"no letter in {LETTERS_DIR} has key {expected_path.stem}")
    expected = json.loads(expected_path.read_text())
    assert reviewed_shape(parse_letter(letter_text(path))) == expected
