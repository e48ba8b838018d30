"""Golden letters: each tests/ingest/letters/<name>.txt parses to <name>.expected.json.

The letters are synthetic (``synth.letters``, written by tests/ingest/make_fixtures.py) and
reviewed by hand. The JSON is ``letter_as_dict`` without "parser_version". "warnings" and
"error" are compared by presence only (the wording is the parser's), unless the expected
file spells out an exact error, or warnings to match exactly.

A second test parses freshly generated letters and checks each against the generator's truth.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

# Importable without pytest-django too (``pytest -p no:django``), which would otherwise put
# the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.letter import letter_as_dict  # noqa: E402
from ingest.parser import parse_letter  # noqa: E402
from synth.letters import ERROR_PLACEHOLDER, generate_letters  # noqa: E402

LETTERS_DIR = Path(__file__).parent / "letters"
LETTERS = sorted(LETTERS_DIR.glob("*.txt"))

# Fresh letters checked against their truth on every run; the seed is fixed so a failure
# reproduces (``generate_letters(GENERATED_COUNT, GENERATED_SEED)``).
GENERATED_COUNT = 300
GENERATED_SEED = 20170301


def _read_text(path: Path) -> str:
    # newline="" so CRLF fixtures reach the parser as written.
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def differences(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Every field where ``got`` (letter_as_dict output) differs from ``expected``."""
    out: list[str] = []
    error_expected = expected.get("error")
    error_got = got.get("error")
    if error_expected == ERROR_PLACEHOLDER:
        if error_got is None:
            out.append("error: expected an error, got None")
    elif error_expected != error_got:
        out.append(f"error: expected {error_expected!r}, got {error_got!r}")
    want_warnings = expected.get("warnings", [])
    if error_expected is None:
        if want_warnings and want_warnings != got.get("warnings"):
            out.append(f"warnings: expected {want_warnings!r}, got {got.get('warnings')!r}")
        elif not want_warnings and got.get("warnings"):
            out.append(f"warnings: expected none, got {got.get('warnings')!r}")
    for key, want in expected.items():
        if key in ("warnings", "error", "parser_version"):
            continue
        _diff(key, want, got.get(key), out)
    return out


def _diff(path: str, want: Any, got: Any, out: list[str]) -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for key, value in want.items():
            _diff(f"{path}.{key}", value, got.get(key), out)
    elif (
        isinstance(want, list)
        and isinstance(got, list)
        and want
        and isinstance(want[0], dict)
        and len(want) == len(got)
    ):
        for i, (a, b) in enumerate(zip(want, got, strict=True)):
            _diff(f"{path}[{i}]", a, b, out)
    elif isinstance(want, list) and isinstance(got, list) and want and isinstance(want[0], dict):
        out.append(f"{path}: expected {len(want)} entries, got {len(got)}: {got!r}")
    elif want != got:
        out.append(f"{path}: expected {want!r}, got {got!r}")


@pytest.mark.parametrize("txt", LETTERS, ids=[p.stem for p in LETTERS])
def test_letter_parses_to_its_expected_json(txt: Path) -> None:
    expected_path = txt.with_name(f"{txt.stem}.expected.json")
    if not expected_path.exists():
        pytest.fail(
            f"{txt.name} has no {expected_path.name}. Synthetic fixtures: add the letter to "
            "FIXTURES in tests/ingest/make_fixtures.py and run `.venv/bin/python "
            "tests/ingest/make_fixtures.py NAME`. Hand-written letters: write the JSON by hand "
            "(`manage.py parse_letters` prints the shape). Either way, read the letter and the "
            "JSON side by side before committing."
        )
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    got = letter_as_dict(parse_letter(_read_text(txt)))
    problems = differences(expected, got)
    assert not problems, f"{txt.name}:\n  " + "\n  ".join(problems)


def test_generated_letters_parse_to_their_truth() -> None:
    failures: list[str] = []
    for letter in generate_letters(GENERATED_COUNT, GENERATED_SEED):
        problems = differences(letter.truth, letter_as_dict(parse_letter(letter.text)))
        if problems:
            variants = ", ".join(letter.variants) or "-"
            failures.append(
                f"{letter.filename} ({letter.layout}; {variants}):\n    " + "\n    ".join(problems)
            )
    assert not failures, (
        f"{len(failures)} of {GENERATED_COUNT} generated letters (seed {GENERATED_SEED}) differ "
        "from their truth:\n" + "\n".join(failures)
    )
