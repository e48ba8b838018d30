"""The synthetic letter generator: deterministic, unique case numbers, every layout and variant.

Speed is not timed here (benchmarks do that); these tests keep the generator honest about
what it promises to fixtures, demo data and benchmarks.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest

# Importable without pytest-django too (``pytest -p no:django``), which would otherwise put
# the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.items import OUTCOME_RE  # noqa: E402
from ingest.patient import AGE_SEX_RE, INJURY_DATE_RE  # noqa: E402
from synth.letters import (  # noqa: E402
    FORCED_ONLY,
    LAYOUTS,
    VARIANTS,
    generate_letter,
    generate_letters,
    wrap,
)

CASE_NUMBER_RE = re.compile(r"^CM1[3-7]-[5-9]\d{6}$")
TRUTH_KEYS = {
    "layout", "case_number", "date_assigned", "decision_date", "date_of_injury",
    "ur_denial_date", "application_received", "priority", "reviewer", "patient", "items",
    "warnings", "error",
}  # fmt: skip


def test_same_seed_gives_the_same_letters() -> None:
    first = [(x.filename, x.text, x.truth) for x in generate_letters(50, seed=7)]
    again = [(x.filename, x.text, x.truth) for x in generate_letters(50, seed=7)]
    assert first == again


def test_other_seed_gives_other_letters() -> None:
    a = [x.text for x in generate_letters(20, seed=1)]
    b = [x.text for x in generate_letters(20, seed=2)]
    assert not set(a) & set(b)


def test_letter_i_does_not_depend_on_count() -> None:
    short = list(generate_letters(5, seed=3))
    long = list(generate_letters(40, seed=3))[:5]
    assert [x.text for x in short] == [x.text for x in long]


def test_case_numbers_are_unique_and_never_real_ones() -> None:
    letters = list(generate_letters(3000, seed=11))
    names = [x.filename for x in letters]
    assert len(set(names)) == len(names)
    # Real case numbers we know of are below CMyy-0300000; ours start at 5000000.
    assert all(CASE_NUMBER_RE.match(n.removesuffix(".txt")) for n in names)


def test_random_mix_has_every_layout_in_realistic_shares() -> None:
    layouts = Counter(x.layout for x in generate_letters(2000, seed=5))
    assert set(layouts) == set(LAYOUTS)
    assert layouts["notice-2013"] < 0.06 * 2000
    assert layouts["dwc-2016"] > 0.4 * 2000
    assert layouts["dwc-2014"] > 0.3 * 2000


def test_random_mix_exercises_every_variant() -> None:
    seen = Counter(v for x in generate_letters(2000, seed=5) for v in x.variants)
    assert set(seen) == VARIANTS - FORCED_ONLY  # the 2018-2024 letters are forced only


def test_most_items_are_upheld() -> None:
    outcomes = Counter(
        item["outcome"] for x in generate_letters(1000, seed=9) for item in x.truth["items"]
    )
    share = outcomes["upheld"] / sum(outcomes.values())
    assert 0.80 < share < 0.93


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_variant_can_be_forced(variant: str) -> None:
    layout = "dwc-2014" if variant in ("single_spaced", "prose_credentials", "no_age") else None
    hits = 0
    for seed in range(30):
        letter = generate_letter(random.Random(seed), layout=layout, index=seed, force=[variant])
        hits += variant in letter.variants
    assert hits >= 20, f"{variant} forced but shown in only {hits} of 30 letters"


def test_unknown_variant_or_layout_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown variants"):
        generate_letter(random.Random(1), force=["sideways"])
    with pytest.raises(ValueError, match="unknown layout"):
        generate_letter(random.Random(1), layout="dwc-1999")


def test_truth_has_the_letter_as_dict_shape() -> None:
    for letter in generate_letters(200, seed=4):
        assert set(letter.truth) == TRUTH_KEYS
        assert letter.truth["layout"] == letter.layout
        if letter.truth["error"] is not None:
            # Only a scanned 2013 notice: its text layer holds the title alone.
            assert letter.layout == "notice-2013" and letter.truth["items"] == []
        else:
            assert letter.truth["items"] and letter.truth["error"] is None
            assert [i["order"] for i in letter.truth["items"]] == list(
                range(1, len(letter.truth["items"]) + 1)
            )


def test_rationales_end_as_the_outcome_says() -> None:
    for letter in generate_letters(200, seed=8):
        text = " ".join(letter.text.split())
        for item in letter.truth["items"]:
            negation = "not " if item["outcome"] == "upheld" else ""
            assert f"{item['treatment']} is {negation}medically necessary." in text


def test_layout_shapes() -> None:
    rng = random.Random(2)
    pdfminer = generate_letter(rng, layout="dwc-2016", force=["pdfminer"]).text
    assert pdfminer.startswith("Case Number: \nDate Assigned: \nDecision Date: \nPriority:")
    pypdf = generate_letter(rng, layout="dwc-2016", force=["pypdf"]).text
    assert "\nCase Number: CM1" in pypdf and "Priority:" in pypdf
    doubled = generate_letter(rng, layout="dwc-2014").text
    assert "Case Number" not in doubled
    crlf = generate_letter(rng, force=["crlf"]).text
    assert "\r\n" in crlf and "\n" not in crlf.replace("\r\n", "")
    notice = generate_letter(rng, layout="notice-2013").text
    assert "Notice of Independent Medical Review Determination" in notice


def test_wrap_keeps_every_word_within_width() -> None:
    text = "The injured worker reported pain rated 7/10 with radiation into the left leg. " * 5
    lines = wrap(text.strip(), 40)
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines).split() == text.split()


def _section(text: str, start: str, end: str) -> str:
    return " ".join(text[text.index(start) + len(start) : text.index(end)].split())


def test_letters_are_as_long_as_real_ones() -> None:
    # Real Final Determinations run 4-11 KB, about 6.2 KB on average, most of it the case
    # summary (about 1.6 KB) and the rationales (about 1 KB an item). Benchmarks that index
    # the text need that length, and that spread.
    letters = list(generate_letters(200, seed=21))
    lengths = [len(x.text) for x in letters]
    mean = statistics.fmean(lengths)
    assert 5500 < mean < 9500
    full = sorted(len(x.text) for x in letters if x.layout != "notice-2013")
    assert full[len(full) // 10] < 0.75 * mean and full[-len(full) // 10] > 1.25 * mean
    summaries: list[int] = []
    rationales: list[int] = []
    for x in letters:
        if x.layout == "notice-2013":
            continue
        text = x.text.replace("\r\n", "\n")
        summaries.append(
            len(_section(text, "CLINICAL CASE SUMMARY", "IMR ISSUES, DECISIONS AND RATIONALES"))
        )
        rationales.extend(len(r) for r in text.split("Decision rationale:")[1:])
    assert 1200 < statistics.fmean(summaries) < 2400
    assert 700 < statistics.fmean(rationales) < 1500


def test_narrative_says_nothing_the_parser_reads() -> None:
    # The long summaries and rationales must not print a second age, a second injury date,
    # a line ending in an outcome, an item label or a section title.
    for x in generate_letters(300, seed=13):
        if x.layout == "notice-2013":
            continue
        text = x.text.replace("\r\n", "\n")
        summary = _section(text, "CLINICAL CASE SUMMARY", "IMR ISSUES, DECISIONS AND RATIONALES")
        ages = AGE_SEX_RE.findall(summary)
        assert len(ages) == (x.truth["patient"]["age"] is not None), (x.filename, ages)
        injuries = INJURY_DATE_RE.findall(summary)
        assert len(injuries) == 1 if x.layout == "dwc-2014" else len(injuries) <= 1, (
            x.filename,
            injuries,
        )
        n_items = len(x.truth["items"])
        outcome_lines = [ln for ln in re.split(r"[\n\f]", text) if OUTCOME_RE.search(ln.strip())]
        assert len(outcome_lines) == n_items, (x.filename, outcome_lines)
        folded = " ".join(text.lower().split())
        assert folded.count("decision rationale:") == n_items, x.filename
        assert folded.count("guideline:") == 2 * n_items, x.filename
        for title in (
            "HOW THE IMR FINAL DETERMINATION WAS MADE",
            "CLINICAL CASE SUMMARY",
            "IMR ISSUES, DECISIONS AND RATIONALES",
        ):
            assert text.count(title) == 1, (x.filename, title)
