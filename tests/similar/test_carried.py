"""The rationale sentences that carried a decision (similar.carried)."""

import pytest

from ingest.normalize.reasons import matched_phrases
from ingest.parser import parse_letter
from similar.carried import SENTENCE_END_RE, carried_sentences
from synth.letters import generate_letters

# (rationale, outcome, the sentences flagged as carrying it)
CASES = [
    # a reason phrase of an upheld item carries its sentence, not the guideline's
    (
        "The MTUS recommends a trial of first-line therapy. There is no documentation of "
        "objective functional improvement. The request is not medically necessary.",
        "upheld",
        ["There is no documentation of objective functional improvement."],
    ),
    # the match is case-insensitive, as the lexicon's
    (
        "THERE IS NO DOCUMENTATION OF OBJECTIVE FUNCTIONAL IMPROVEMENT. Denied.",
        "upheld",
        ["THERE IS NO DOCUMENTATION OF OBJECTIVE FUNCTIONAL IMPROVEMENT."],
    ),
    # an upheld item's phrase is no reason of an overturned one
    ("There is no documentation of objective functional improvement.", "overturned", []),
    # no text, no sentence
    ("", "upheld", []),
]


@pytest.mark.parametrize(("rationale", "outcome", "carried"), CASES)
def test_it_flags_the_sentences_holding_a_reason_phrase(rationale, outcome, carried):
    sentences = carried_sentences(rationale, outcome)
    assert [s.text for s in sentences if s.carried] == carried
    assert " ".join(s.text for s in sentences) == " ".join(rationale.split())


def test_it_finds_the_phrases_the_lexicon_finds():
    """The fast lowercase windowed search agrees with ``matched_phrases`` (the lexicon's
    case-insensitive reading) on every item of the synthetic letters."""
    checked = 0
    for letter in generate_letters(60, seed=15):
        for item in parse_letter(letter.text).items:
            text = " ".join(item.rationale.split())
            phrases = [p.lower() for f in matched_phrases(text, item.outcome).values() for p in f]
            flagged = [s.carried for s in carried_sentences(text, item.outcome.value)]
            expected = [any(p in s.lower() for p in phrases) for s in SENTENCE_END_RE.split(text)]
            assert flagged == expected, text
            checked += 1
    assert checked > 100
