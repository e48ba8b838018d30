"""The labelled letters split by letter into folds: develop on some, score the others once."""

from __future__ import annotations

import pytest

from ingest.accuracy import fold_of, parse_fold


def test_a_letter_always_falls_in_the_same_fold():
    assert fold_of("CM16-0000001", 5) == fold_of("CM16-0000001", 5)
    assert 1 <= fold_of("CM16-0000001", 5) <= 5


def test_the_folds_share_the_letters_out():
    folds = {fold_of(f"CM16-{n:07d}", 5) for n in range(200)}
    assert folds == {1, 2, 3, 4, 5}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4/5", (frozenset({4}), 5)), ("1,2,3/5", (frozenset({1, 2, 3}), 5))],
)
def test_it_parses_the_fold_option(text, expected):
    assert parse_fold(text) == expected


@pytest.mark.parametrize("text", ["6/5", "0/5", "1/1", "x/5", "1,2"])
def test_it_refuses_a_malformed_fold(text):
    with pytest.raises(ValueError):
        parse_fold(text)
