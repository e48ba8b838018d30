"""How well the parser reads hand-labelled letters: per-field accuracy, misses, reason tags.

A labelled folder holds letters named by case number (``CM16-9000001.pdf``) beside an
``items.jsonl`` of hand labels, one JSON object per disputed item (``case_number``, ``index``
and one key per field; see ``../shared/letters/dwc-2016-labelled/README.md``). ``measure``
parses every letter and compares each labelled item with what the parser read, field by field,
through ``FIELDS``: one row per compared field, so another source of truth (DWC's own coding)
can be compared by adding rows or passing another table. Pure: no Django, no database.

Used by ``manage.py accuracy_report`` and by tests/ingest/test_accuracy_labelled.py.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.letter import Item, ParsedLetter
from ingest.normalize.reasons import labelled_tags
from ingest.normalize.therapy import region_code
from ingest.pipeline import prepare_letter

LABELS_FILE = "items.jsonl"
# A labelled letter is <case number>.pdf (DWC's files) or .txt (synthetic test folders), or a
# scan of one (an image-only PDF, a TIFF, PNG or JPEG: read by OCR).
LETTER_SUFFIXES = (".pdf", ".txt", ".tif", ".tiff", ".png", ".jpg", ".jpeg")

# A value as compared: JSON-like (str, int, None, sorted list of str).
Value = Any


@dataclass(frozen=True, slots=True)
class Field:
    """One compared field: how to read it from a label and from a parsed item."""

    name: str
    gold: Callable[[dict[str, Any]], Value]
    got: Callable[[Item], Value]
    # Which labelled items count for this field (all by default).
    applies: Callable[[dict[str, Any]], bool] = lambda label: True


def _uncertain(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda label: name not in label.get("uncertain_fields", ())


def _drugs(item: Item) -> list[str]:
    return sorted(item.medication.ingredients) if item.medication else []


# The fields of the labelled set's README, compared exactly. Body region leaves out the items
# whose label is a judgment call (``uncertain_fields``): limb-level EMG requests and regions
# only implied by another item of the letter.
FIELDS: tuple[Field, ...] = (
    Field("category", lambda g: g["category"], lambda i: i.category),
    Field("subcategory", lambda g: g["subcategory"], lambda i: i.subcategory),
    Field("drugs", lambda g: sorted(g["drugs"]), _drugs),
    Field("visits", lambda g: g["visits"], lambda i: i.visits),
    Field(
        "body_region",
        lambda g: g["body_region"],
        lambda i: region_code(i.body_region),
        _uncertain("body_region"),
    ),
)


@dataclass(frozen=True, slots=True)
class Miss:
    field: str
    case_number: str
    index: int
    treatment: str
    gold: Value
    got: Value

    def line(self) -> str:
        return (
            f"{self.field}: {self.case_number} #{self.index} {self.treatment[:60]!r}: "
            f"expected {self.gold!r}, got {self.got!r}"
        )


@dataclass(frozen=True, slots=True)
class FieldScore:
    name: str
    right: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class TagScore:
    tag: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


@dataclass(frozen=True, slots=True)
class Report:
    letters: int
    items: int
    fields: tuple[FieldScore, ...]
    tags: tuple[TagScore, ...]
    misses: tuple[Miss, ...]
    # Letters or labelled items the parser did not produce ("CM16-... #2: no such item").
    problems: tuple[str, ...] = ()
    # Case numbers read from file names rather than from the letter's text.
    case_numbers_from_file_name: int = 0
    # Labelled items the parser read at all, and those of them with the labelled outcome.
    items_found: int = 0
    outcomes_right: int = 0
    # Labelled items whose label gives an outcome (a label without one is not scored on it).
    outcomes_labelled: int = 0

    def field(self, name: str) -> FieldScore:
        return next(f for f in self.fields if f.name == name)

    @property
    def micro(self) -> TagScore:
        return TagScore(
            "all",
            sum(t.true_positives for t in self.tags),
            sum(t.false_positives for t in self.tags),
            sum(t.false_negatives for t in self.tags),
        )

    def lines(self) -> list[str]:
        out = [f"Labelled letters: {self.letters}, items: {self.items}"]
        for name, right, of in (
            ("items found", self.items_found, self.items),
            ("outcome", self.outcomes_right, self.outcomes_labelled),
        ):
            share = right / of if of else 1.0
            out.append(f"  {name:<12} {100 * share:5.1f}%  ({right} of {of})")
        out += [
            f"  {f.name:<12} {100 * f.accuracy:5.1f}%  ({f.right} of {f.total})"
            for f in self.fields
        ]
        micro = self.micro
        out.append(
            f"  reasons      precision {micro.precision:.2f}  recall {micro.recall:.2f}"
            f"  (micro; {micro.true_positives} right, {micro.false_positives} extra,"
            f" {micro.false_negatives} missed)"
        )
        out.append("Per reason tag:")
        out += [
            f"  {t.tag:<34} precision {t.precision:.2f}  recall {t.recall:.2f}"
            f"  (tp {t.true_positives}, fp {t.false_positives}, fn {t.false_negatives})"
            for t in self.tags
        ]
        if self.problems:
            out.append("Problems:")
            out += [f"  {p}" for p in self.problems]
        out.append(f"Misses ({len(self.misses)}):")
        out += [f"  {m.line()}" for m in self.misses]
        return out


def read_labels(folder: Path, labels_file: Path | None = None) -> list[dict[str, Any]]:
    """The labels of ``folder``: its LABELS_FILE, or ``labels_file`` (the labels of the
    letters a folder of scans was rendered from)."""
    with (labels_file or folder / LABELS_FILE).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def half_of(case_number: str) -> int:
    """1 or 2: a fixed split of the letters by a hash of the case number, for checking that
    rules tuned on one half generalise to the other."""
    return 1 + hashlib.sha256(case_number.encode()).digest()[0] % 2


def fold_of(case_number: str, folds: int) -> int:
    """1 to ``folds``: a fixed split of the letters by a hash of the case number, so that rules
    developed on some folds are scored once on the others (issue 25: develop on 1-3 of 5,
    score held-out 4 and 5). Whole letters, never items, fall in a fold."""
    digest = hashlib.sha256(f"fold:{case_number}".encode()).digest()
    return 1 + int.from_bytes(digest[:4], "big") % folds


def parse_fold(text: str) -> tuple[frozenset[int], int]:
    """``"4/5"`` -> ({4}, 5); ``"1,2,3/5"`` -> ({1, 2, 3}, 5). ValueError when malformed."""
    chosen, _, total = text.partition("/")
    folds = int(total)
    picked = frozenset(int(k) for k in chosen.split(","))
    if folds < 2 or not picked or not all(1 <= k <= folds for k in picked):
        raise ValueError(f"folds must be K/N or K,L/N with 1 <= K <= N and N >= 2: {text!r}")
    return picked, folds


def parse_folder(folder: Path, case_numbers: Iterable[str]) -> dict[str, ParsedLetter | str]:
    """Each case number's parsed letter, or why it could not be read."""
    out: dict[str, ParsedLetter | str] = {}
    for case in case_numbers:
        path = next(
            (p for p in (folder / f"{case}{ext}" for ext in LETTER_SUFFIXES) if p.exists()), None
        )
        if path is None:
            out[case] = "letter file missing"
            continue
        prepared = prepare_letter(path.name, path.read_bytes())
        out[case] = prepared.parsed if prepared.parsed is not None else str(prepared.error)
    return out


def measure(
    folder: Path,
    fields: Sequence[Field] = FIELDS,
    half: int | None = None,
    labels: list[dict[str, Any]] | None = None,
    fold: tuple[frozenset[int], int] | None = None,
) -> Report:
    """Compare the labelled items of ``folder`` with what the parser reads from its letters;
    ``fold`` ({K, ...}, N) keeps the letters of those folds of N (``fold_of``)."""
    labels = read_labels(folder) if labels is None else labels
    if half is not None:
        labels = [g for g in labels if half_of(g["case_number"]) == half]
    if fold is not None:
        picked, folds = fold
        labels = [g for g in labels if fold_of(g["case_number"], folds) in picked]
    cases = sorted({g["case_number"] for g in labels})
    letters = parse_folder(folder, cases)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    tags: dict[str, list[int]] = {}
    misses: list[Miss] = []
    problems: list[str] = []
    found = outcomes = outcomes_labelled = 0
    for label in labels:
        case, index = label["case_number"], label["index"]
        outcomes_labelled += "outcome" in label
        letter = letters[case]
        if isinstance(letter, str):
            problems.append(f"{case}: {letter}")
            item = None
        else:
            item = next((i for i in letter.items if i.order == index), None)
            if item is None:
                problems.append(f"{case} #{index}: no such item read")
            else:
                found += 1
                outcomes += item.outcome.value == label.get("outcome")
        for f in fields:
            if not f.applies(label):
                continue
            gold = f.gold(label)
            got = f.got(item) if item is not None else None
            total[f.name] += 1
            if gold == got:
                right[f.name] += 1
            else:
                misses.append(Miss(f.name, case, index, label["treatment"], gold, got))
        gold_tags = set(label["rationale_reasons"])
        got_tags = set(labelled_tags(item.reason_tags)) if item is not None else set()
        for tag in gold_tags | got_tags:
            counts = tags.setdefault(tag, [0, 0, 0])
            counts[0 if tag in gold_tags & got_tags else 1 if tag in got_tags else 2] += 1
        if gold_tags != got_tags:
            misses.append(
                Miss(
                    "reasons", case, index, label["treatment"], sorted(gold_tags), sorted(got_tags)
                )
            )
    from_name = sum(
        1
        for p in letters.values()
        if not isinstance(p, str) and p.case_number_source == "file name"
    )
    return Report(
        letters=len(cases),
        items=len(labels),
        fields=tuple(FieldScore(f.name, right[f.name], total[f.name]) for f in fields),
        tags=tuple(TagScore(t, *c) for t, c in sorted(tags.items())),
        misses=tuple(sorted(misses, key=lambda m: (m.field, m.case_number, m.index))),
        problems=tuple(problems),
        case_numbers_from_file_name=from_name,
        items_found=found,
        outcomes_right=outcomes,
        outcomes_labelled=outcomes_labelled,
    )
