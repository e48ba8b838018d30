"""The normalizers' coverage on the real letters in ../shared/letters, through the whole
ingest path (extract -> parse -> save), as ``manage.py coverage_report`` measures it.

Thresholds of issue 5: >= 95% of items with a category, >= 95% of medication items with
ingredients, >= 90% of items with at least one canonical guideline section.
"""

from pathlib import Path

import pytest

from ingest.loader import ingest_bytes
from ingest.management.commands.coverage_report import coverage

LETTERS = Path(__file__).resolve().parents[2].parent / "shared" / "letters"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_letters,
    pytest.mark.skipif(
        not LETTERS.is_dir(),
        reason=f"real letters not found at {LETTERS} (../shared/letters is absent in this clone)",
    ),
]


def test_it_meets_the_coverage_thresholds_on_the_real_letters():
    files = sorted(p for p in LETTERS.rglob("*") if p.suffix in (".txt", ".pdf"))
    for path in files:
        ingest_bytes(path.name, path.read_bytes())
    c = coverage()
    print(c)
    assert c["items"] >= 100
    assert c["category"] / c["items"] >= 0.95
    assert c["ingredients"] / c["medications"] >= 0.95
    assert c["guideline"] / c["items"] >= 0.90
