"""Synthetic letters for the alert tests, chosen by what the parser reads in them, and
saved through the one ingest path (ingest.loader.ingest_bytes)."""

from __future__ import annotations

from ingest.loader import ingest_bytes
from ingest.parser import parse_letter
from synth.letters import SyntheticLetter, generate_letters


def split_by_category(
    category: str, seed: int, count: int = 60
) -> tuple[list[SyntheticLetter], list[SyntheticLetter]]:
    """(letters with an item in ``category``, letters without), of ``count`` generated."""
    matching, other = [], []
    for letter in generate_letters(count, seed=seed):
        parsed = parse_letter(letter.text)
        if parsed.error or not parsed.items or not parsed.case_number:
            continue
        categories = {item.category for item in parsed.items}
        (matching if category in categories else other).append(letter)
    return matching, other


def ingest(*letters: SyntheticLetter) -> list[int]:
    """Save ``letters``; their Determination ids."""
    ids = []
    for letter in letters:
        result = ingest_bytes(letter.filename, letter.text.encode())
        assert result.determination_id is not None, result
        ids.append(result.determination_id)
    return ids
