"""dwcsync.agreement: our category/subcategory of each item against DWC's coding."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dwcsync.agreement import AgreementReport, Coding, agreement_report, format_report, pair_items
from dwcsync.models import DwcCase
from tests.dwcsync.test_it_syncs_every_letter_once import sync

OPIOID = Coding("Pharmaceuticals", "Opioids", "Upheld")
NSAID = Coding("Pharmaceuticals", "NSAID", "Overturned")
MRI = Coding("Diagnostic Testing", "Imaging (Radiology)", "Upheld")


def ours(*codings: Coding) -> list[Coding]:
    return [
        Coding(c.category, c.subcategory, c.decision.lower(), order)
        for order, c in enumerate(codings, 1)
    ]


# (our items, DWC's rows, expected (category agrees, subcategory agrees) per pair, in our
# item order, then DWC-only rows as None)
CASES = [
    # the same items in another order are paired by their coding, not their position
    (ours(MRI, OPIOID), [OPIOID, MRI], [(True, True), (True, True)]),
    # same category, another drug class: category agrees, subcategory does not
    (ours(OPIOID), [NSAID], [(True, False)]),
    # an item DWC codes in another category altogether
    (ours(MRI), [OPIOID], [(False, False)]),
    # DWC's misspelling of a class is read as our taxonomy cleans it ("Opoid Antagonist")
    (
        ours(Coding("Pharmaceuticals", "Opioid Antagonist", "Upheld")),
        [Coding("Pharmaceuticals", "Opoid Antagonist", "Upheld")],
        [(True, True)],
    ),
    # case and spacing do not count
    (ours(Coding("Pharmaceuticals", "opioids ", "Upheld")), [OPIOID], [(True, True)]),
    # DWC lists an item we did not read
    (ours(OPIOID), [OPIOID, MRI], [(True, True), None]),
    # two identical items pair with two identical rows
    (ours(OPIOID, OPIOID), [OPIOID, OPIOID], [(True, True), (True, True)]),
]


@pytest.mark.parametrize(("left", "right", "expected"), CASES)
def test_it_pairs_items_and_compares_them(left, right, expected):
    pairs = pair_items("CM16-0000001", left, right)
    got = [(p.category_agrees, p.subcategory_agrees) if p.paired else None for p in pairs]
    assert got == expected


def test_it_compares_the_decision_too():
    (pair,) = pair_items(
        "CM16-0000001", ours(OPIOID), [Coding("Pharmaceuticals", "Opioids", "Overturned")]
    )
    assert pair.agrees and not pair.decision_agrees


def test_it_reports_agreement_per_category():
    items = (
        pair_items("A", ours(OPIOID, MRI), [OPIOID, MRI])
        + pair_items("B", ours(OPIOID), [NSAID])
        + pair_items("C", ours(MRI), [MRI, OPIOID])
    )
    report = AgreementReport(3, tuple(items))
    assert (report.compared, report.only_dwc, report.only_ours) == (4, 1, 0)
    assert report.count("category_agrees") == 4 and report.count("subcategory_agrees") == 3
    lines = {line.category: line for line in report.by_category()}
    assert (lines["Pharmaceuticals"].compared, lines["Pharmaceuticals"].subcategory_agree) == (2, 1)
    text = format_report(report, list_disagreements=5)
    assert "subcategory       3 / 4   75.0%" in text
    assert "B item 1: ours Pharmaceuticals / Opioids; DWC Pharmaceuticals / NSAID" in text
    assert "C DWC row: ours nothing; DWC Pharmaceuticals / Opioids" in text


@pytest.mark.django_db
def test_it_measures_synced_letters_against_dwc(fake_dwc, capsys):
    differs = fake_dwc.letters[3]
    differs.items[0] = ("Surgery", "Spine", differs.items[0][2])
    sync(fake_dwc)
    report = agreement_report()
    rows = sum(len(x.items) for x in fake_dwc.letters)
    assert report.letters == len(fake_dwc.letters) == DwcCase.objects.count()
    # The generator's truth is what the parser reads, save for the one item changed above.
    assert report.compared + report.only_dwc == rows
    wrong = report.disagreements()
    assert [w.case_number for w in wrong] == [differs.case_number]
    call_command("accuracy_report", "--against-dwc", "--disagreements", "5")
    out = capsys.readouterr().out
    assert f"{len(fake_dwc.letters)} letters" in out and differs.case_number in out


@pytest.mark.django_db
def test_it_refreshes_the_review_flag_after_our_coding_is_corrected(fake_dwc):
    differs = fake_dwc.letters[3]
    differs.items[0] = ("Surgery", "Spine", differs.items[0][2])
    sync(fake_dwc)
    case = DwcCase.objects.get(case_number=differs.case_number)
    assert case.disagrees
    case.determination.items.filter(order=1).update(category="Surgery", subcategory="Spine")
    call_command("accuracy_report", "--against-dwc", "--refresh", "--disagreements", "0")
    case.refresh_from_db()
    assert not case.disagrees
