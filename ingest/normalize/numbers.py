"""Numbers written as words in letters ("six sessions", "one refill", "no refills")."""

from __future__ import annotations

NUMBER_WORDS: dict[str, int] = {
    "no": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
}


def number(text: str) -> int:
    """``"12"`` -> 12, ``"six"`` -> 6; the caller's regex admits only known words."""
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]
