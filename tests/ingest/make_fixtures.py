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


# --- 2018-2024 letters (variant "mtus_2018"): the MTUS as rebuilt from December 2017 -------

# The 2017-MTUS guidelines that replaced the 2004 chapters and DWC's own 2009/2016 guidelines.
_ACOEM_2017 = {
    "Cervical and Thoracic Spine Disorders Guideline",
    "Shoulder Disorders Guideline",
    "Elbow Disorders Guideline",
    "Hand, Wrist, and Forearm Disorders Guideline",
    "Low Back Disorders Guideline",
    "Knee Disorders Guideline",
    "Ankle and Foot Disorders Guideline",
    "Hip and Groin Guideline",
    "Initial Approaches to Treatment Guideline",
    "Workplace Mental Health Guideline",
}


def _documents(letter: SyntheticLetter) -> set[str]:
    return {c["document"] for i in _items(letter) for c in i["citations"]}


def _body_part_guidelines(letter: SyntheticLetter) -> bool:
    # Two body-part guidelines and the Chronic Pain Guideline, decided in 2018 or 2019.
    year = int(letter.truth["decision_date"][:4])
    docs = _documents(letter)
    return year <= 2019 and len(docs & _ACOEM_2017) >= 2 and "Chronic Pain Guideline" in docs


def _formulary_and_odg_edition(letter: SyntheticLetter) -> bool:
    # A Drug List citation and an ODG citation with its edition year, decided from 2021.
    cites = [c for i in _items(letter) for c in i["citations"]]
    return (
        int(letter.truth["decision_date"][:4]) >= 2021
        and any(c["document"] == "MTUS Drug Formulary" for c in cites)
        and any(c["source"] == "ODG" and c["edition_year"] for c in cites)
    )


def _later_editions(letter: SyntheticLetter) -> bool:
    # Two guidelines cited in editions adopted after December 2017 (2019-2020 Low Back, Knee,
    # Hip, the Depressive Disorders module); the fixture forces an overturned item too.
    cites = [c for i in _items(letter) for c in i["citations"]]
    later = {c["document"] for c in cites if (c["edition_year"] or 0) >= 2019}
    return len(later & _ACOEM_2017) >= 2


FIXTURES_2018: dict[str, Fixture] = {
    "mtus_2018_body_part_guidelines": Fixture(
        "dwc-2016", ("mtus_2018", "pypdf"), _body_part_guidelines
    ),
    "mtus_2018_drug_formulary_pdfminer": Fixture(
        "dwc-2016", ("mtus_2018", "pdfminer"), _formulary_and_odg_edition
    ),
    "mtus_2018_later_editions": Fixture("dwc-2016", ("mtus_2018", "overturned"), _later_editions),
}
FIXTURES.update(FIXTURES_2018)


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
