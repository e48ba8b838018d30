"""Write the golden fixtures in tests/ingest/letters/ from the synthetic letter generator.

    .venv/bin/python tests/ingest/make_fixtures.py            # write every fixture
    .venv/bin/python tests/ingest/make_fixtures.py NAME ...   # write only these

Each fixture is a synthetic letter (``synth.letters``) that exercises one variant, found
deterministically: seeds are tried from the fixture's start seed until the letter shows every
wanted variant and passes the fixture's check. The ``.expected.json`` beside it is the
generator's truth. After (re)writing, read each letter and its JSON before committing: the
JSON is what a correct parser must return for that text.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from synth.letters import SyntheticLetter, generate_letter  # noqa: E402

LETTERS_DIR = Path(__file__).resolve().parent / "letters"


def _items(letter: SyntheticLetter) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = letter.truth["items"]
    return items


def _has_stock(letter: SyntheticLetter) -> bool:
    stocks = {c["stock"] for i in _items(letter) for c in i["citations"]}
    return {"no_evidence", "outside_mtus"} <= stocks


def _has_odd_drugs(letter: SyntheticLetter) -> bool:
    brands = {(i["medication"] or {}).get("brand") for i in _items(letter)}
    classes = {i["subcategory"] for i in _items(letter)}
    return bool(brands & {"Alprozam", "Lorezepam"}) and "Topical Compounds" in classes


def _all_categories(letter: SyntheticLetter) -> bool:
    return len({i["category"] for i in _items(letter)}) >= 4


def _mid_paragraph_break(letter: SyntheticLetter) -> bool:
    return any(
        "\f" in line and not line.lstrip(" ").startswith("\f") for line in letter.text.split("\n")
    )


def _notice_items(count: int, *outcomes: str) -> Callable[[SyntheticLetter], bool]:
    """A readable 2013 notice with ``count`` items (at least, for 3 or more) showing these
    outcomes."""

    def check(letter: SyntheticLetter) -> bool:
        items = _items(letter)
        enough = len(items) >= count if count >= 3 else len(items) == count
        return enough and set(outcomes) <= {i["outcome"] for i in items}

    return check


def _notice_liberties(letter: SyntheticLetter) -> bool:
    # "1." numbering, no ", Inc.", "notmedically" glued, no "and appropriate".
    text = " ".join(letter.text.split())
    return (
        "1. MAXIMUS" in text
        and "Services has determined" in text
        and "notmedically" in text
        and "necessary and appropriate" not in text
    )


def _without_qualifications(letter: SyntheticLetter) -> SyntheticLetter:
    """The notice with its "Medical Qualifications of the Expert Reviewer:" part cut out: the
    reviewer is unknown and the letter is flagged, with these exact warnings."""
    start = letter.text.index("Medical Qualifications of the Expert Reviewer:")
    end = letter.text.index("Case Summary:")
    truth = dict(
        letter.truth,
        reviewer={"specialties": [], "licensure_states": []},
        warnings=[
            "section missing: Medical Qualifications of the Expert Reviewer",
            "reviewer credentials unreadable: section missing",
        ],
    )
    return dataclasses.replace(letter, text=letter.text[:start] + letter.text[end:], truth=truth)


class Fixture(NamedTuple):
    layout: str
    force: tuple[str, ...]
    check: Callable[[SyntheticLetter], bool] | None = None
    start: int = 1  # first seed tried, within the fixture's own range
    # Turns the generated letter into the fixture (text and truth together).
    edit: Callable[[SyntheticLetter], SyntheticLetter] | None = None


FIXTURES: dict[str, Fixture] = {
    "2014_prose_credentials": Fixture("dwc-2014", ("prose_credentials",)),
    "2014_block_credentials": Fixture(
        "dwc-2014", ("block_credentials",), lambda letter: "single_spaced" not in letter.variants
    ),
    "2014_single_spaced": Fixture("dwc-2014", ("single_spaced", "block_credentials")),
    "2014_page_breaks": Fixture("dwc-2014", ("page_breaks",)),
    "2014_prose_several_specialties": Fixture("dwc-2014", ("prose_credentials", "multi_specialty")),
    "2014_partial_authorization": Fixture("dwc-2014", ("partial",)),
    "2016_pypdf_header": Fixture("dwc-2016", ("pypdf",)),
    "2016_pypdf_page_breaks_mid_paragraph": Fixture(
        "dwc-2016", ("pypdf", "page_breaks"), _mid_paragraph_break
    ),
    "2016_pdfminer_columns": Fixture("dwc-2016", ("pdfminer",)),
    # pdfminer shows a page end inside a paragraph like one between paragraphs.
    "2016_pdfminer_page_breaks": Fixture("dwc-2016", ("pdfminer", "page_breaks")),
    "partial_authorization": Fixture("dwc-2016", ("partial",)),
    "partial_authorization_pdfminer": Fixture("dwc-2016", ("partial", "pdfminer")),
    "heading_wraps": Fixture("dwc-2016", ("heading_wrap",)),
    "heading_wraps_outcome_next_line": Fixture("dwc-2016", ("outcome_next_line",)),
    "heading_colons_parentheses": Fixture("dwc-2016", ("heading_punct",)),
    "crlf_formfeeds": Fixture("dwc-2016", ("crlf", "page_breaks")),
    "crlf_2014": Fixture("dwc-2014", ("crlf",)),
    "several_specialties_and_states": Fixture("dwc-2016", ("multi_specialty",)),
    "specialty_line_wraps": Fixture("dwc-2016", ("specialty_wrap", "multi_specialty")),
    "overturned_item": Fixture("dwc-2016", ("overturned",)),
    "no_age_in_summary": Fixture("dwc-2014", ("no_age",)),
    "stock_citation_sentences": Fixture("dwc-2016", (), _has_stock),
    "misspelled_and_compound_drugs": Fixture("dwc-2014", (), _has_odd_drugs),
    "many_categories": Fixture("dwc-2016", (), _all_categories),
    # 2013 notices: read, flagged only for what is missing.
    "notice_2013": Fixture("notice-2013", (), _notice_items(3, "upheld")),
    "notice_2013_one_item": Fixture("notice-2013", (), _notice_items(1, "upheld")),
    "notice_2013_upheld_and_overturned": Fixture(
        "notice-2013", ("overturned",), _notice_items(2, "upheld", "overturned")
    ),
    "notice_2013_list_liberties": Fixture("notice-2013", (), _notice_liberties),
    "notice_2013_no_qualifications": Fixture(
        "notice-2013", (), _notice_items(2, "upheld"), edit=_without_qualifications
    ),
    # A scan: the title and nothing else, so nothing to read.
    "notice_2013_unreadable": Fixture(
        "notice-2013", (), lambda letter: letter.truth["error"] is not None
    ),
}


def find_letter(name: str) -> tuple[int, SyntheticLetter]:
    fixture = FIXTURES[name]
    # Each fixture searches its own range of seeds, so fixtures differ and case numbers
    # (drawn from the seed) never repeat across them.
    start = fixture.start + 1000 * list(FIXTURES).index(name)
    for seed in range(start, start + 1000):
        letter = generate_letter(
            random.Random(seed), layout=fixture.layout, index=seed, force=fixture.force
        )
        if not set(fixture.force) <= set(letter.variants):
            continue
        if fixture.check is None or fixture.check(letter):
            return seed, fixture.edit(letter) if fixture.edit else letter
    raise LookupError(f"no seed gives {fixture}")


def write_fixture(name: str) -> Path:
    seed, letter = find_letter(name)
    txt = LETTERS_DIR / f"{name}.txt"
    # newline="" keeps CRLF letters byte for byte.
    with txt.open("w", encoding="utf-8", newline="") as f:
        f.write(letter.text)
    expected = LETTERS_DIR / f"{name}.expected.json"
    expected.write_text(json.dumps(letter.truth, indent=2) + "\n", encoding="utf-8")
    print(f"{name}: seed {seed}, {letter.layout}, variants {', '.join(letter.variants)}")
    return txt


def main(argv: list[str]) -> int:
    LETTERS_DIR.mkdir(parents=True, exist_ok=True)
    names = argv or list(FIXTURES)
    unknown = [n for n in names if n not in FIXTURES]
    if unknown:
        print(f"unknown fixtures: {', '.join(unknown)}; known: {', '.join(FIXTURES)}")
        return 2
    for name in names:
        write_fixture(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
