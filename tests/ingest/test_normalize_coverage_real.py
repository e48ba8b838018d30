"""How much of the real letters' disputed items the normalizers understand.

Reads ../shared/letters (real DWC letters, never copied into the repo): the seed texts and the
2016 PDFs. Item headings are found with a simple regex of their own, independent of the parser,
so these numbers measure the normalizers alone.
"""

import re
from functools import cache
from pathlib import Path

import pytest

from ingest.normalize.categories import categorize
from ingest.normalize.drugs import find_medication

LETTERS = Path(__file__).resolve().parents[2].parent / "shared" / "letters"

pytestmark = [
    pytest.mark.real_letters,
    pytest.mark.skipif(
        not LETTERS.is_dir(),
        reason=f"real letters not found at {LETTERS} (../shared/letters is absent in this clone)",
    ),
]

# A heading ends with its outcome: "Norco 10/325mg #120: Upheld".
OUTCOME_RE = re.compile(r"\s*:\s*(?:Upheld|Overturned)\s*$")
# A partial authorization names the remaining portion: "... of the original request, Norco
# 10/325mg #35 is: Upheld"; or "The original request, Partial Hospitalization ... is: Overturned".
PARTIAL_RE = re.compile(r"original request,\s*(?P<treatment>.+?)\s+is$", re.S)
# A heading wrapped over several lines starts after a line that ends a sentence or a section
# ("... set forth below:"), or after the previous item.
ENDS_BLOCK_RE = re.compile(r"(?:[.:]|Upheld|Overturned)\s*$")
# Strength of a drug: the sign an item is a medication whatever the normalizers say.
DOSE_RE = re.compile(r"\d\s*(?:mg|mcg|gm|g|ml|%)(?![a-z])", re.I)
MAX_HEADING_LINES = 4


def headings(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = []
    for i, line in enumerate(lines):
        if not OUTCOME_RE.search(line):
            continue
        parts = [OUTCOME_RE.sub("", line)]
        j = i - 1
        while j >= 0 and len(parts) < MAX_HEADING_LINES and not ENDS_BLOCK_RE.search(lines[j]):
            parts.insert(0, lines[j])
            j -= 1
        heading = " ".join(parts)
        partial = PARTIAL_RE.search(heading)
        found.append(" ".join((partial.group("treatment") if partial else heading).split()))
    return found


def pdf_text(path: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@cache
def real_items() -> tuple[str, ...]:
    items: list[str] = []
    for path in sorted(LETTERS.rglob("*.txt")):
        items += headings(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted(LETTERS.rglob("*.pdf")):
        items += headings(pdf_text(path))
    return tuple(items)


def test_headings_are_found() -> None:
    assert len(real_items()) >= 50


def test_category_coverage() -> None:
    items = real_items()
    missed = [t for t in items if categorize(t, find_medication(t))[0] is None]
    coverage = 1 - len(missed) / len(items)
    print(f"category coverage: {coverage:.1%} of {len(items)} items; missed: {missed}")
    assert coverage >= 0.95


def test_ingredient_coverage() -> None:
    medication_items = [
        t
        for t in real_items()
        if DOSE_RE.search(t) or categorize(t, find_medication(t))[0] == "Pharmaceuticals"
    ]
    missed = [t for t in medication_items if not (m := find_medication(t)) or not m.ingredients]
    coverage = 1 - len(missed) / len(medication_items)
    print(
        f"ingredient coverage: {coverage:.1%} of {len(medication_items)} medication items;"
        f" missed: {missed}"
    )
    assert coverage >= 0.95


def test_every_medication_has_a_drug_class() -> None:
    meds = [m for t in real_items() if (m := find_medication(t))]
    unclassed = [m.brand for m in meds if m.drug_class is None]
    print(f"drug class known for {len(meds) - len(unclassed)} of {len(meds)} medications")
    assert not unclassed
