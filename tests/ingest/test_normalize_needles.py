"""Windowed phrase search gives exactly the answers of a plain regex search, only faster."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.normalize import needles as needles_module
from ingest.normalize.needles import (
    PhraseSet,
    WindowedPattern,
    can_cross_full_stop,
    needle_clauses,
    needles,
    sentence_local,
)
from ingest.normalize.reasons import OVERTURNED_TAGS, UPHELD_TAGS
from ingest.parser import parse_letter
from synth.letters import generate_letters

NEEDLE_CASES = [
    # A plain phrase: its longest word.
    (r"\bnot\s+recommended\s+for", {"recommended"}),
    # Words after a gap: the rarer tail, not the two-letter "no" before it.
    (r"\b(?:no|lack\s+of)[^.;]{0,80}?functional\s+(?:improvement|benefit)", {"functional"}),
    # An alternation of words, factored by the regex parser ("pr" + "ior|evious"), is
    # expanded back into whole words.
    (r"\b(?:prior|previous)\s+(?:MRI|imaging)", {"prior", "previous"}),
    # Optional letters: the shortest spelling covers the longer ones ("flag" in "flags").
    (r"red[-\s]flags?", {"flag"}),
    # Top-level alternatives: the longest word of each, any of which will do.
    (r"\brepeat\s+imaging|\bprevious\s+scan", {"imaging", "previous"}),
    # A character class of letters expands like an alternation.
    (r"analgesi[ac]", {"analgesia", "analgesic"}),
    # Only short words: no needle, the phrase is searched over the whole text.
    (r"\b(?:no|not)\s+(?:4|a)\b", set()),
    # A repeat that may occur zero times is not required.
    (r"(?:cures\s+)?no\s+a", set()),
]


@pytest.mark.parametrize(("pattern", "expected"), NEEDLE_CASES)
def test_it_finds_the_words_every_match_contains(pattern: str, expected: set[str]) -> None:
    assert needles(pattern) == expected


CLAUSE_CASES = [
    # Each required word of a phrase is a clause of its own.
    (r"\bnot\s+recommended\s+for\s+chronic", [{"not"}, {"recommended"}, {"for"}, {"chronic"}]),
    # A gap between words: the words on both sides stay required; "no" is too short.
    (
        r"\b(?:no|lack\s+of)[^.;]{0,80}?functional\s+(?:improvement|benefit)",
        [{"functional"}, {"improvement", "benefit"}],
    ),
    # An optional part is not required, the rest is.
    (r"(?:urine\s+)?drug\s+screen", [{"drug"}, {"screen"}]),
    # Top-level alternatives: one clause, a word from each.
    (r"\brepeat\s+imaging|\bprevious\s+scan", [{"imaging", "previous"}]),
    # Only short words: no clause.
    (r"\b(?:no|not)\s+(?:4|a)\b", []),
]


@pytest.mark.parametrize(("pattern", "expected"), CLAUSE_CASES)
def test_it_finds_every_set_of_words_a_match_needs(pattern: str, expected: list[set[str]]) -> None:
    got = needle_clauses(pattern)
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))
    # ``needles`` is one of them (the rarest), when there is any.
    assert not got or needles(pattern) in got


CROSSING_CASES = [
    # Word gaps that stop at a full stop or semicolon.
    (r"\bno[^.;]{0,80}?relief", False),
    # A negative lookahead that cannot see past the full stop.
    (r"\bindicated\b(?![^.]{0,20}\bnot\b)", False),
    # Any character: it may match the full stop.
    (r"no.{0,10}relief", True),
    # A literal full stop.
    (r"e\.g\. relief", True),
    # \S and \W include the full stop; \s and \w do not.
    (r"no\S+relief", True),
    (r"no\s+\w+\s+relief", False),
    # A lookahead that may see past the sentence.
    (r"relief(?!.*not)", True),
    # End anchors would match at a sentence end inside the text.
    (r"relief$", True),
]


@pytest.mark.parametrize(("pattern", "expected"), CROSSING_CASES)
def test_it_knows_which_patterns_stay_in_one_sentence(pattern: str, expected: bool) -> None:
    assert can_cross_full_stop(pattern) is expected


PHRASES = [p.lowered for tag in UPHELD_TAGS + OVERTURNED_TAGS for p in tag.phrases]


def test_it_windows_every_lexicon_phrase_that_has_a_needle() -> None:
    # The speed of reason tagging rests on this: a phrase without a needle, or one that
    # could cross a sentence, is searched over the whole rationale.
    unwindowed = [p.pattern.pattern for p in PHRASES if not p.windowed]
    assert len(unwindowed) <= 1, unwindowed


@cache
def _synthetic_rationales() -> tuple[str, ...]:
    texts = []
    for letter in generate_letters(150, seed=11):
        for item in parse_letter(letter.text).items:
            texts.append(" ".join(item.rationale.split()).lower())
    return tuple(texts)


def _agree(text: str) -> None:
    for phrase in PHRASES:
        plain = phrase.pattern.search(text) is not None
        assert phrase.search(text) is plain, (phrase.pattern.pattern, text)


def test_it_agrees_with_plain_search_on_synthetic_rationales() -> None:
    texts = _synthetic_rationales()
    assert len(texts) > 200
    for text in texts:
        _agree(text)


EDGE_TEXTS = [
    # The needle's sentence is the first, the last, and the only one.
    "no documentation of functional improvement. the request is not medically necessary.",
    "the request is denied. no documentation of functional improvement",
    "no functional improvement",
    # The needle appears twice, matching only in the second sentence.
    "functional improvement was noted. there is no functional improvement now.",
    # The negation and the needle in different sentences: no match.
    "there is no doubt. functional improvement was documented.",
    # "\b" at a sentence start: "no" right after a full stop, and inside a word.
    "reviewed.no functional improvement. piano functional improvement",
    # A lookahead close to the sentence end.
    "a trial is appropriate. it is indicated. it is indicated but not now.",
    "",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_it_agrees_with_plain_search_on_edge_cases(text: str) -> None:
    _agree(text)


# Texts assembled from the lexicon's own words, full stops and semicolons: the places where
# a windowed search could go wrong (sentence edges, repeated needles) come up often.
WORDS = sorted(
    {w for p in PHRASES for n in p.needles for w in [n]}
    | {"no", "not", "lack of", "without", "is", "are", "was", "the", "of", "for", "use"}
    | {"long-term", "pain", "urine drug", "four a's", "did not", "does not", "red flag"}
)
TOKENS = st.sampled_from([*WORDS, ".", ";", ". ", "  ", "e.g.", "x"])


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(" ".join))
def test_it_agrees_with_plain_search_on_generated_text(text: str) -> None:
    _agree(text)


def test_it_searches_case_insensitive_patterns_without_windows() -> None:
    # Needles are read from the pattern's literal case; with re.I they would miss text.
    phrase = WindowedPattern(r"functional\s+improvement", re.I)
    assert phrase.needles == ()
    assert phrase.search("No FUNCTIONAL improvement.")


SENTENCE_LOCAL_CASES = [
    # Word gaps that stop at a full stop: a sentence searched alone answers for the text.
    (r"\bno[^.;]{0,80}?relief", True),
    # "\b" and "(?!\w)" see a full stop and a sentence's end alike.
    (r"\brelief(?!\w)", True),
    # A lookbehind that cannot match a full stop fails at a sentence's start either way.
    (r"(?<=\w)relief", True),
    # May match across a full stop: only a whole-text search answers.
    (r"no.{0,10}relief", False),
    # "^" and "\A" would match at every sentence's start when each is searched alone.
    (r"^relief", False),
    (r"\Arelief", False),
    (r"(?:^|\bno\s+)relief", False),
    # "$" would match at every sentence's end.
    (r"relief$", False),
]


@pytest.mark.parametrize(("pattern", "expected"), SENTENCE_LOCAL_CASES)
def test_it_knows_which_patterns_a_sentence_alone_answers(pattern: str, expected: bool) -> None:
    assert sentence_local(pattern) is expected


LEXICON = PhraseSet(PHRASES)


def _agree_in_text(phrases: PhraseSet, text: str) -> None:
    found = phrases.in_text(text).found
    for pattern, bit in phrases.bit.items():
        plain = pattern.pattern.search(text) is not None
        assert bool(found & bit) is plain, (pattern.pattern.pattern, text)


def _agree_by_sentence(phrases: PhraseSet, text: str) -> None:
    matches = phrases.in_text(text)
    assert matches.sentences == text.split(".")
    for sentence, bits in zip(matches.sentences, matches.per_sentence, strict=True):
        for pattern, bit in phrases.bit.items():
            plain = pattern.pattern.search(sentence) is not None
            assert bool(bits & bit) is plain, (pattern.pattern.pattern, sentence)


PHRASE_SET_TEXTS = [
    *EDGE_TEXTS,
    # No full stop at all: one sentence, the whole text.
    "there is no documentation of functional improvement with the medication",
    # The text starts, ends, and both, with a full stop: empty first/last sentences.
    ".no functional improvement",
    "no functional improvement.",
    ".no functional improvement.",
    # Full stops in a row, and only full stops.
    "no relief.. no functional improvement...",
    "...",
    # A needle as the text's first and last characters.
    "functional improvement is not documented. it lacks functional",
    # Abbreviations cut sentences too ("e.g." is three), as the windowed search did.
    "other medications, e.g. nsaids, were not tried. no functional e.g. improvement",
    # A needle inside a longer word ("flag" in "red-flags") and glued to punctuation.
    "red-flags: none;there are no red flags.(functional)improvement",
    # Curly and straight apostrophes, hyphenated words.
    "the four a\u2019s of opioid monitoring were not documented. a's. no pre-operative clearance",
]


@pytest.mark.parametrize("text", PHRASE_SET_TEXTS)
def test_a_phrase_set_agrees_with_plain_search_on_edge_cases(text: str) -> None:
    _agree_in_text(LEXICON, text)
    _agree_by_sentence(LEXICON, text)


def test_a_phrase_set_agrees_with_plain_search_on_synthetic_rationales() -> None:
    for text in _synthetic_rationales():
        _agree_in_text(LEXICON, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(" ".join))
def test_a_phrase_set_agrees_with_plain_search_on_generated_text(text: str) -> None:
    _agree_in_text(LEXICON, text)
    _agree_by_sentence(LEXICON, text)


# Patterns outside the lexicon's shape: a needle with a space, one with "/", one that may
# cross a full stop, one anchored at the text's start, one searched case-insensitively.
ODD = PhraseSet(
    [
        WindowedPattern(r"red flag\b"),
        WindowedPattern(r"\bq\.?i\.?d|\bpt/ptt"),
        WindowedPattern(r"no.{0,10}relief"),
        WindowedPattern(r"^relief"),
        WindowedPattern(r"functional\s+improvement", re.I),
    ]
)
ODD_TEXTS = [
    # The needle "red flag" holds a space: found by substring, not by words.
    "there is no red flag. red flags",
    "red  flag",
    # "pt/ptt" holds a "/".
    "labs: pt/ptt, cbc",
    # Matches only across the full stop: the whole text matches, no sentence does.
    "no. relief",
    # "^" matches the first sentence only, though the second alone would match.
    "relief. relief",
    "a.relief",
    # Case-insensitive: no needles, tried in every sentence.
    "No FUNCTIONAL improvement. none",
    "",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_a_phrase_set_agrees_with_plain_search_on_unusual_patterns(text: str) -> None:
    _agree_in_text(ODD, text)
    _agree_by_sentence(ODD, text)


def test_a_crossing_match_is_found_in_the_text_but_in_no_sentence() -> None:
    matches = ODD.in_text("no. relief")
    bit = ODD.bit[ODD.patterns[2]]
    assert matches.found & bit
    assert not any(bits & bit for bits in matches.per_sentence)


def test_a_phrase_set_remembers_a_sentence_it_has_searched() -> None:
    phrases = PhraseSet(PHRASES)
    first = phrases.in_sentence(" there is no documentation of functional improvement")
    hits = phrases.in_sentence.cache_info().hits
    again = phrases.in_sentence(" there is no documentation of functional improvement")
    assert again == first
    assert phrases.in_sentence.cache_info().hits == hits + 1


def test_a_phrase_set_still_agrees_after_forgetting_its_words(monkeypatch) -> None:
    # The word -> needles table starts over when full; answers must not change.
    monkeypatch.setattr(needles_module, "_MAX_WORDS", 3)
    phrases = PhraseSet(PHRASES)
    for text in _synthetic_rationales()[:40]:
        _agree_in_text(phrases, text)
    assert len(phrases._by_word) + len(phrases._plain_words) <= 3
