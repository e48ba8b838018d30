"""The normalizers on the hand-labelled real letters of ../shared/letters/dwc-2016-labelled.

Those letters and their labels are never copied into the repository; the test skips when the
folder is absent. Minimums from issue 10; ``manage.py accuracy_report`` prints the same
figures with every miss.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.accuracy import FIELDS, LABELS_FILE, Report, half_of, measure

pytestmark = pytest.mark.real_letters

LABELLED = Path(__file__).resolve().parents[2].parent / "shared" / "letters" / "dwc-2016-labelled"

needs_labels = pytest.mark.skipif(
    not (LABELLED / LABELS_FILE).is_file(),
    reason=f"labelled real letters not found at {LABELLED} (only in project sessions/CI)",
)

# Share of labelled items each field must get exactly right. Body region leaves out items
# whose label is marked uncertain (ingest.accuracy.FIELDS).
MINIMUMS = {
    "category": 0.98,
    "subcategory": 0.98,
    "drugs": 0.99,
    # A visit count on an item that has none (an office visit "times 2") is a miss.
    "visits": 0.97,
    "body_region": 0.97,
}
REASON_PRECISION = 0.90
REASON_RECALL = 0.85


@cache
def report() -> Report:
    return measure(LABELLED)


def misses(name: str) -> str:
    return "\n".join(m.line() for m in report().misses if m.field == name)


def test_every_compared_field_has_a_minimum() -> None:
    assert {f.name for f in FIELDS} == set(MINIMUMS)


@needs_labels
def test_every_labelled_item_is_read() -> None:
    assert report().problems == ()
    assert report().items > 0


@needs_labels
@pytest.mark.parametrize("name", sorted(MINIMUMS))
def test_field_accuracy_meets_its_minimum(name: str) -> None:
    score = report().field(name)
    assert score.accuracy >= MINIMUMS[name], f"{name} {score.accuracy:.3f}:\n{misses(name)}"


@needs_labels
def test_reason_tags_meet_their_recall_minimum() -> None:
    micro = report().micro
    assert micro.recall >= REASON_RECALL, f"recall {micro.recall:.3f}\n{misses('reasons')}"


@needs_labels
def test_reason_tags_meet_their_precision_minimum() -> None:
    micro = report().micro
    assert micro.precision >= REASON_PRECISION, (
        f"precision {micro.precision:.3f}\n{misses('reasons')}"
    )


@needs_labels
def test_every_overturned_item_says_why() -> None:
    # Every overturned item carries criteria_met or documented_benefit.
    labels = [label for label in _labels() if label["outcome"] == "overturned"]
    unexplained = [
        m.line()
        for m in report().misses
        if m.field == "reasons"
        and not {"criteria_met", "documented_benefit"} & set(m.got)
        and any(
            label["case_number"] == m.case_number and label["index"] == m.index for label in labels
        )
    ]
    assert labels and not unexplained, "\n".join(unexplained)


@needs_labels
def test_the_halves_split_the_letters() -> None:
    halves = {half_of(label["case_number"]) for label in _labels()}
    assert halves == {1, 2}


def _labels() -> list[dict]:
    from ingest.accuracy import read_labels

    return read_labels(LABELLED)
