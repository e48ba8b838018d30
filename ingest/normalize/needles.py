"""Fast search for hand-written phrase regexes: find a literal word first, then the phrase.

Python's regex engine tries a pattern that starts with ``\\b(?:no|lack\\s+of|...)`` at every
position of the text (~25 µs over a 1 KB rationale), but finds a plain word with a fast
substring search (~0.5 µs). A phrase such as "no ... functional improvement" cannot match
unless the text contains "functional", and, because the phrase never crosses a full stop,
it can only match inside a sentence containing that word. ``WindowedPattern`` searches only
there, and gives exactly the answer of ``pattern.search(text)``:

- ``needles`` reads the stdlib's own parse of the pattern and returns strings one of which
  every match must contain (the longest such words it can prove);
- ``can_cross_full_stop`` proves that no match, and no lookahead, can reach over a ".";
  a pattern for which it cannot be proved is searched over the whole text.

``PhraseSet`` searches many such patterns in one text together (``reasons`` has ~90): it
cuts the text at its full stops, finds which needles each sentence holds from its words in
one pass, searches a sentence alone only for the patterns whose every required word set
(``needle_clauses``) it holds, and remembers each sentence's answer, since guideline
quotations and boilerplate recur across items and letters. For a ``sentence_local`` pattern
the text matches exactly when one of its sentences does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any, NamedTuple

# Literal sets larger than this (a product of many alternations) are not worth expanding.
_MAX_SET = 64
# A needle shorter than this ("no", "is") is in nearly every rationale and gates nothing;
# three characters are enough for rarer ones ("a's", "mri").
MIN_NEEDLE = 3
_FULL_STOP = ord(".")

Items = list[tuple[Any, Any]]


def needles(pattern: str) -> frozenset[str]:
    """Strings one of which every match of ``pattern`` contains; empty when none is known."""
    return _shortest(_needles(_parser.parse(pattern).data) or frozenset())


def needle_clauses(pattern: str) -> tuple[frozenset[str], ...]:
    """Every set of strings one of which every match of ``pattern`` contains, for the parts
    of its top-level sequence ("no ... functional improvement": "functional" and
    "improvement"); ``needles`` is the rarest of them."""
    return tuple(_shortest(c) for c in _usable(_parser.parse(pattern).data))


def _shortest(found: frozenset[str]) -> frozenset[str]:
    # "flag" finds every "flags" too: keep only needles containing no other needle.
    return frozenset(n for n in found if not any(m != n and m in n for m in found))


def can_cross_full_stop(pattern: str) -> bool:
    """Whether a match of ``pattern``, or one of its lookarounds, could contain a "."."""
    return _crosses(_parser.parse(pattern).data, alone=False)


def sentence_local(pattern: str) -> bool:
    """Whether ``pattern`` finds a match in a text exactly when it finds one in one of the
    text's sentences searched alone (``text.split(".")``): no match or lookaround can reach
    a full stop (a "." and the end of a sentence searched alone look alike to "\\b", "\\w",
    "[^.]"), and no "^" or "\\A" would match at a sentence's start."""
    return not _crosses(_parser.parse(pattern).data, alone=True)


def _exact(op: Any, av: Any) -> frozenset[str] | None:
    """Every string this element can match, when it is a small literal set ("gains?")."""
    if op is sre.LITERAL:
        return frozenset({chr(av)})
    if op is sre.SUBPATTERN:
        return _exact_sequence(av[-1].data)
    if op is sre.BRANCH:
        alternatives = [_exact_sequence(branch.data) for branch in av[1]]
        if any(a is None for a in alternatives):
            return None
        union: frozenset[str] = frozenset().union(*alternatives)  # type: ignore[arg-type]
        return union if len(union) <= _MAX_SET else None
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
        return frozenset(chr(code) for _, code in av)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        inner = _exact_sequence(av[2].data)
        return None if inner is None else inner | {""}
    return None


def _exact_sequence(items: Items) -> frozenset[str] | None:
    strings = frozenset({""})
    for op, av in items:
        element = _exact(op, av)
        if element is None or len(strings) * len(element) > _MAX_SET:
            return None
        strings = frozenset(a + b for a in strings for b in element)
    return strings


def _needles(items: Items) -> frozenset[str] | None:
    """Needles of a sequence: the best of its required literal runs and required parts
    (``_usable``); the candidate whose shortest string is longest wins: the rarer the word,
    the more searches it saves."""
    usable = _usable(items)
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _usable(items: Items) -> list[frozenset[str]]:
    """The required literal runs and required parts of a sequence, each a set of strings
    one of which every match contains, whose strings are all at least ``MIN_NEEDLE`` long.

    A run of literal elements is required as a whole (its strings, expanded); a group is
    required when its contents are; an alternation when every branch has needles (any of
    them will do); a repeat when it must occur at least once.
    """
    candidates: list[frozenset[str]] = []
    run = frozenset({""})

    def flush() -> None:
        if "" not in run:
            candidates.append(run)

    for op, av in items:
        element = _exact(op, av)
        if element is not None and len(run) * len(element) <= _MAX_SET:
            run = frozenset(a + b for a in run for b in element)
            continue
        flush()
        if element is not None:  # a literal set too large to join the run: a run of its own
            run = element
            continue
        run = frozenset({""})
        found = _required(op, av)
        if found:
            candidates.append(found)
    flush()
    return [c for c in candidates if min(map(len, c)) >= MIN_NEEDLE]


def _required(op: Any, av: Any) -> frozenset[str] | None:
    """Needles of one element that is not a small literal set."""
    if op is sre.SUBPATTERN:
        return _needles(av[-1].data)
    if op is sre.BRANCH:
        branches = [_needles(branch.data) for branch in av[1]]
        return frozenset().union(*branches) if all(branches) else None  # type: ignore[arg-type]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
        return _needles(av[2].data)
    return None


def _crosses(items: Items, alone: bool) -> bool:
    """``alone``: also whether a sentence searched alone could match where the text cannot."""
    for op, av in items:
        if op is sre.LITERAL:
            if av == _FULL_STOP:
                return True
        elif op is sre.NOT_LITERAL:
            if av != _FULL_STOP:
                return True
        elif op is sre.ANY or op is sre.IN:
            if op is sre.ANY or _set_has_full_stop(av):
                return True
        elif op is sre.SUBPATTERN:
            if _crosses(av[-1].data, alone):
                return True
        elif op is sre.BRANCH:
            if any(_crosses(branch.data, alone) for branch in av[1]):
                return True
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if _crosses(av[2].data, alone):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _crosses(av[1].data, alone):
                return True
        elif op is sre.AT:
            # "$" and "\Z" would match at a sentence's end inside the text: not safe.
            if av in (sre.AT_END, sre.AT_END_LINE, sre.AT_END_STRING):
                return True
            # "^" and "\\A" match at the start of a sentence searched alone, not in the text.
            if alone and av in (sre.AT_BEGINNING, sre.AT_BEGINNING_LINE, sre.AT_BEGINNING_STRING):
                return True
        else:
            return True  # anything else (backreferences, conditionals): assume it may
    return False


def _set_has_full_stop(items: Items) -> bool:
    negated = bool(items) and items[0][0] is sre.NEGATE
    hit = False
    for kind, value in items[1:] if negated else items:
        if kind is sre.LITERAL:
            hit = hit or value == _FULL_STOP
        elif kind is sre.RANGE:
            hit = hit or value[0] <= _FULL_STOP <= value[1]
        elif kind is sre.CATEGORY:
            # \S and \W contain "."; \s, \w, \d do not.
            hit = hit or value in (
                sre.CATEGORY_NOT_SPACE,
                sre.CATEGORY_NOT_WORD,
                sre.CATEGORY_NOT_DIGIT,
            )
        else:
            return True
    return not hit if negated else hit


class WindowedPattern:
    """A compiled phrase searched only in the sentences that contain one of its needles."""

    __slots__ = ("clauses", "needles", "pattern", "windowed")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags)
        self.needles = tuple(sorted(needles(pattern))) if not flags & re.I else ()
        # Every required set of needles, ``needles`` among them (``PhraseSet`` asks for all).
        self.clauses = needle_clauses(pattern) if not flags & re.I else ()
        self.windowed = bool(self.needles) and not can_cross_full_stop(pattern)

    def search(self, text: str, windows: dict[str, list[tuple[int, int]]] | None = None) -> bool:
        """Whether ``text`` (lowercased when the pattern is) contains a match.

        ``windows`` (needle -> the sentences holding it, as spans) is filled as needles are
        looked for; pass the same dict to every phrase searched in one text to look for
        each needle once.
        """
        search = self.pattern.search
        if not self.windowed:
            if self.needles and not any(needle in text for needle in self.needles):
                return False
            return search(text) is not None
        if windows is None:
            windows = {}
        for needle in self.needles:
            spans = windows.get(needle)
            if spans is None:
                spans = windows[needle] = _sentences_holding(text, needle)
            for start, end in spans:
                # Searching from ``start`` still sees the character before it, so "\b" is
                # judged as in the whole text; the sentence's full stop ends the search.
                if search(text, start, end):
                    return True
        return False


def _sentences_holding(text: str, needle: str) -> list[tuple[int, int]]:
    """Spans of the sentences (after a full stop to the next one, or the text's ends) that
    contain ``needle``, in order."""
    spans = []
    at = text.find(needle)
    while at != -1:
        start = text.rfind(".", 0, at) + 1
        end = text.find(".", at)
        if end == -1:
            end = len(text)
        spans.append((start, end))
        at = text.find(needle, end)  # the next sentence holding it
    return spans


# The characters of a needle ``PhraseSet`` looks for by words: a needle made of them lies
# inside one run of them ("pre-operative", "a's"), so a sentence holds it exactly when one of
# the sentence's words does. A needle with other characters (a space, "/") is looked for with
# ``in``.
WORD_RE = re.compile(r"[\w'\u2019-]+")
# Words (word -> patterns it has needles of) a ``PhraseSet`` keeps before starting over: bounds
# memory on an endless stream of new words (numbers, names, misspellings).
_MAX_WORDS = 200_000
# Sentences whose answers a ``PhraseSet`` keeps (least recently used dropped): guideline
# quotations and a letter's repeated wording recur across items and letters.
SENTENCE_CACHE_SIZE = 50_000


class PhraseSet:
    """Many patterns searched in one text together, a sentence at a time.

    A pattern is given a bit (its index in ``patterns``). ``in_sentence`` gives the bits of the
    patterns found in one sentence searched alone, trying only those whose needles one of its
    words holds, and remembers the answer for the next text quoting the same sentence;
    ``in_text`` gives the bits of the patterns found in a whole text, exactly as
    ``pattern.search(text)`` would: from its sentences' answers for a ``sentence_local``
    pattern, from a whole-text search for the others.
    """

    def __init__(self, patterns: Sequence[WindowedPattern]) -> None:
        self.patterns = tuple(patterns)
        self.bit = {p: 1 << i for i, p in enumerate(self.patterns)}
        self.local = 0  # the sentence_local patterns
        self._always = 0  # patterns with no needle: tried in every sentence
        # A needle -> (the patterns it is a ``needles`` of, the clauses it is in); a sentence
        # holding one of a pattern's ``needles`` is searched if it holds all its clauses.
        # Clauses are bits too, numbered as first met.
        self._by_needle: dict[str, tuple[int, int]] = {}  # needles found by words
        self._other_needles: dict[str, tuple[int, int]] = {}  # needles with other characters
        self._requires: list[int] = []  # per pattern, the bits of its clauses
        clause_bits: dict[frozenset[str], int] = {}
        for pattern, bit in self.bit.items():
            if sentence_local(pattern.pattern.pattern):
                self.local |= bit
            if not pattern.needles:
                self._always |= bit
            requires = 0
            for clause in pattern.clauses:
                clause_bit = clause_bits.setdefault(clause, 1 << len(clause_bits))
                requires |= clause_bit
                for needle in clause:
                    self._add(needle, 0, clause_bit)
            self._requires.append(requires)
            for needle in pattern.needles:
                self._add(needle, bit, 0)
        self._crossing = ((1 << len(self.patterns)) - 1) & ~self.local
        self._by_word: dict[str, tuple[int, int]] = {}
        self._plain_words: set[str] = set()  # words holding no needle
        self.in_sentence = lru_cache(maxsize=SENTENCE_CACHE_SIZE)(self._in_sentence)

    def in_text(self, text: str) -> TextMatches:
        """Which patterns ``text`` (lowercased) matches, in all and sentence by sentence."""
        sentences = text.split(".")
        in_sentence = self.in_sentence
        per_sentence = [in_sentence(sentence) for sentence in sentences]
        found = 0
        for bits in per_sentence:
            found |= bits
        found &= self.local
        other = self._crossing
        while other:
            bit = other & -other
            other ^= bit
            pattern = self.patterns[bit.bit_length() - 1]
            if pattern.search(text):
                found |= bit
        return TextMatches(sentences, per_sentence, found)

    def _add(self, needle: str, patterns: int, clauses: int) -> None:
        table = self._by_needle if WORD_RE.fullmatch(needle) else self._other_needles
        had_patterns, had_clauses = table.get(needle, (0, 0))
        table[needle] = (had_patterns | patterns, had_clauses | clauses)

    def _in_sentence(self, sentence: str) -> int:
        """The bits of the patterns ``sentence`` matches when searched alone."""
        candidates = self._always
        held = 0  # clauses
        by_word = self._by_word
        words = set(WORD_RE.findall(sentence))
        words -= self._plain_words
        for word in words:
            bits = by_word.get(word) or self._learn(word)
            candidates |= bits[0]
            held |= bits[1]
        for needle, bits in self._other_needles.items():
            if needle in sentence:
                candidates |= bits[0]
                held |= bits[1]
        found = 0
        patterns = self.patterns
        requires = self._requires
        while candidates:
            bit = candidates & -candidates
            candidates ^= bit
            index = bit.bit_length() - 1
            if held & requires[index] == requires[index] and patterns[index].pattern.search(
                sentence
            ):
                found |= bit
        return found

    def _learn(self, word: str) -> tuple[int, int]:
        if len(self._by_word) + len(self._plain_words) >= _MAX_WORDS:
            self._by_word.clear()
            self._plain_words.clear()
        candidates = held = 0
        for needle, (patterns, clauses) in self._by_needle.items():
            if needle in word:
                candidates |= patterns
                held |= clauses
        if held:
            self._by_word[word] = (candidates, held)
        else:
            self._plain_words.add(word)
        return candidates, held


class TextMatches(NamedTuple):
    """``PhraseSet.in_text``'s answer for one text."""

    # The text cut at its full stops (``text.split(".")``).
    sentences: list[str]
    # Per sentence, the bits of the patterns it matches searched alone.
    per_sentence: list[int]
    # The bits of the patterns the whole text matches.
    found: int
