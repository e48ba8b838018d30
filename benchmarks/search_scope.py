"""What a search counts in each scope, and how much of it is what was searched for.

    .venv/bin/python benchmarks/search_scope.py [--corpus real|demo]

For 15 typical searches (drugs, brands, treatments, procedures and one phrase of rationale
language) prints, per search scope (determinations.search.SearchScope), how many disputed
items the list page counts, and in the default scope ("the request") the share of them whose
request really is that treatment, as judged by an independent reading of the item:

* ``--corpus real`` (default): the real DWC letters in ../shared/letters (seeds, dwc-2016
  and dwc-2016-labelled), loaded through the ingest path into their own database. The judge
  is the hand label (items.jsonl: category, subcategory, generic drugs) where the letter is
  labelled, else the parser's category, subcategory and ingredients, which read 100% of
  the labelled items right (manage.py accuracy_report). Nothing of the letters' text is
  printed.
* ``--corpus demo``: the 3,000 synthetic letters of ``manage.py demo`` (same seed), judged
  by the parser's fields.

The judge never reads the words the search matched: a drug search is judged by the item's
generic ingredients, a treatment search by its DWC category or subcategory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("LOG_LEVEL", "WARNING")

from _django import setup

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "letters"
LABELS = SHARED / "dwc-2016-labelled" / "items.jsonl"


@dataclass(frozen=True)
class Judged:
    """What the judge reads of an item: category, subcategory, generic ingredients."""

    category: str
    subcategory: str
    drugs: frozenset[str]


def drug(*names: str) -> Callable[[Judged], bool]:
    return lambda j: bool(j.drugs & set(names))


def subcategory(*names: str) -> Callable[[Judged], bool]:
    return lambda j: j.subcategory in names


def category(*names: str) -> Callable[[Judged], bool]:
    return lambda j: j.category in names


# (kind, search as typed, judge: is this item's request that treatment?). None: rationale
# language, not a treatment (no share).
SEARCHES: list[tuple[str, str, Callable[[Judged], bool] | None]] = [
    ("brand", "Norco", drug("hydrocodone")),
    ("drug", "gabapentin", drug("gabapentin")),
    ("drug", "omeprazole", drug("omeprazole")),
    ("drug", "tramadol", drug("tramadol")),
    ("drug", "cyclobenzaprine", drug("cyclobenzaprine")),
    ("brand", "Flexeril", drug("cyclobenzaprine")),
    ("brand", "Lidoderm", drug("lidocaine")),
    # TENS units and their supplies (electrodes, pads) are DMEPOS; "ten sessions" are not.
    ("treatment", "TENS", category("DMEPOS")),
    ("treatment", "acupuncture", subcategory("Acupuncture")),
    (
        "treatment",
        '"physical therapy"',
        subcategory("Physical Therapy/Occupational Therapy (PT/OT)"),
    ),
    ("treatment", "chiropractic", subcategory("Chiropractic")),
    ("procedure", "MRI", subcategory("Imaging (Radiology)")),
    ("procedure", '"epidural steroid injection"', category("Injection")),
    ("procedure", "EMG", subcategory("EMG/NCV/NCS")),
    ("phrase", '"functional improvement"', None),
]


def load_real() -> None:
    from determinations.models import Determination
    from ingest.loader import ingest_bytes

    files = sorted((SHARED / "seeds").glob("*.txt"))
    for folder in ("dwc-2016", "dwc-2016-labelled"):
        files += sorted((SHARED / folder).glob("*.pdf"))
    if Determination.objects.count() >= len(files):
        return
    for path in files:
        ingest_bytes(path.name, path.read_bytes())


def load_demo() -> None:
    from determinations.models import Determination
    from ingest.loader import ingest_all
    from synth.letters import generate_letters

    if Determination.objects.exists():
        return
    pairs = ((x.filename, x.text.encode()) for x in generate_letters(3000, seed=2017))
    for _ in ingest_all(pairs, workers=2):
        pass


def hand_labels() -> dict[tuple[str, int], Judged]:
    if not LABELS.exists():
        return {}
    out = {}
    for line in LABELS.read_text().splitlines():
        row = json.loads(line)
        out[(row["case_number"], row["index"])] = Judged(
            row["category"], row["subcategory"], frozenset(row["drugs"])
        )
    return out


def measure(corpus: str) -> list[dict[str, Any]]:
    from determinations.filters import ItemFilterSet
    from determinations.models import DisputedItem
    from determinations.search import SearchScope

    labels = hand_labels() if corpus == "real" else {}
    rows = []
    for kind, text, judge in SEARCHES:
        row: dict[str, Any] = {"kind": kind, "search": text}
        for scope in SearchScope:
            filterset = ItemFilterSet({"q": text, "scope": scope.value})
            counts = filterset.counts()
            row[scope.value] = counts.total
            if scope == SearchScope.REQUEST and judge is not None:
                right = hand = 0
                items = filterset.qs.values_list(
                    "determination__case_number", "order", "category", "subcategory", "ingredients"
                )
                for case, order, cat, sub, ingredients in items:
                    label = labels.get((case, order))
                    hand += label is not None
                    judged = label or Judged(cat, sub, frozenset(ingredients))
                    right += judge(judged)
                row["right"], row["hand"] = right, hand
            if scope == SearchScope.LETTER and judge is not None:
                # In the whole letter: how many matched items are that treatment.
                right = 0
                items = filterset.qs.values_list(
                    "determination__case_number", "order", "category", "subcategory", "ingredients"
                )
                for case, order, cat, sub, ingredients in items:
                    judged = labels.get((case, order)) or Judged(cat, sub, frozenset(ingredients))
                    right += judge(judged)
                row["letter_right"] = right
        if judge is not None:
            # Items that are the treatment but are not found in the default scope (recall).
            every = DisputedItem.objects.values_list(
                "determination__case_number", "order", "category", "subcategory", "ingredients"
            )
            row["truth"] = sum(
                judge(labels.get((c, o)) or Judged(cat, sub, frozenset(ing)))
                for c, o, cat, sub, ing in every
            )
        rows.append(row)
    return rows


def share(right: int, total: int) -> str:
    return f"{100 * right / total:.0f}% ({right} of {total})" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=["real", "demo"], default="real")
    args = parser.parse_args()
    if args.corpus == "real" and not SHARED.exists():
        sys.exit(f"The real letters are not at {SHARED}: run with --corpus demo.")
    setup(f"imr_bench_scope_{args.corpus}")
    (load_real if args.corpus == "real" else load_demo)()
    from determinations.models import Determination, DisputedItem

    print(
        f"{args.corpus} corpus: {Determination.objects.count():,} letters,"
        f" {DisputedItem.objects.count():,} items"
    )
    print(
        "| search | kind | request | its rationale | whole letter "
        "| request scope: is that treatment | whole letter: is that treatment "
        "| found of all such items |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0]
    for row in measure(args.corpus):
        precision = share(row.get("right", 0), row["request"]) if "right" in row else "n/a"
        letter = share(row.get("letter_right", 0), row["letter"]) if "right" in row else "n/a"
        recall = share(row.get("right", 0), row["truth"]) if "truth" in row else "n/a"
        if "right" in row:
            totals[0] += row["right"]
            totals[1] += row["request"]
        print(
            f"| {row['search']} | {row['kind']} | {row['request']:,} | {row['rationale']:,}"
            f" | {row['letter']:,} | {precision} | {letter} | {recall} |"
        )
    print(f"Treatment searches, request scope, pooled: {share(*totals)} are that treatment.")


if __name__ == "__main__":
    main()
