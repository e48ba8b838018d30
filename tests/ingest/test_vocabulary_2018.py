"""The vocabulary of 2018 to today: the MTUS as rebuilt for treatment from 1 December 2017
(ACOEM guidelines by body part), the MTUS Drug Formulary (from 1 January 2018), ODG and ACOEM
by edition year, and drug names that entered disputes with the formulary.

The guideline names and dates are DWC's (sources in ``ingest.citations.DOCUMENTS`` and
``ingest.normalize.guidelines``); the letters are synthetic (``synth.letters``, variant
"mtus_2018"), in the 2016-2017 layout.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.citations import read_citations  # noqa: E402
from ingest.letter import Party, letter_as_dict  # noqa: E402
from ingest.normalize.drugs import find_medication  # noqa: E402
from ingest.normalize.guidelines import (  # noqa: E402
    DRUG_LIST_VERSIONS,
    canonical_sections,
    drug_list_version,
    is_topic_known,
    section_label,
)
from ingest.parser import parse_letter  # noqa: E402
from synth.letters import FORCED_ONLY, generate_letter, generate_letters  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_golden import differences  # noqa: E402


def _one(sentence: str) -> tuple[str, str, int | None, str]:
    (citation,) = read_citations(sentence, Party.REVIEWER).citations
    return citation.source.value, citation.document, citation.edition_year, citation.section


# (sentence, (source, document, edition year, section)), one case per shape.
CITATIONS = [
    # A 2017-MTUS guideline by its own name, with the year of a later edition (2019).
    (
        "Decision based on MTUS Low Back Disorders Guideline 2019, Section(s): MRI.",
        ("MTUS", "Low Back Disorders Guideline", 2019, "MRI"),
    ),
    # The same name without "Guideline": told from the 2004 chapter by its edition year.
    (
        "Decision based on MTUS Low Back Disorders 2016, Section(s): Epidural steroid injections.",
        ("MTUS", "Low Back Disorders Guideline", 2016, "Epidural steroid injections"),
    ),
    # The 2004 chapter keeps its name, whatever word the letter uses for it.
    (
        "Decision based on MTUS Low Back Disorders 2004, Section(s): Special Studies.",
        ("MTUS", "Low Back Complaints", 2004, "Special Studies"),
    ),
    # As DWC's adoption order dates them: "(ACOEM October 17, 2018)".
    (
        "Decision based on MTUS Cervical and Thoracic Spine Disorders Guideline (ACOEM October "
        "17, 2018), Section(s): Physical therapy.",
        ("MTUS", "Cervical and Thoracic Spine Disorders Guideline", 2018, "Physical therapy"),
    ),
    # ACOEM named before it: the source follows the words, the document is the MTUS's.
    (
        "Decision based on MTUS ACOEM Knee Disorders Guideline 2019, Section(s): MRI.",
        ("ACOEM", "Knee Disorders Guideline", 2019, "MRI"),
    ),
    # Names the 2004 MTUS never had.
    (
        "Decision based on MTUS Hand, Wrist, and Forearm Disorders 2016.",
        ("MTUS", "Hand, Wrist, and Forearm Disorders Guideline", 2016, ""),
    ),
    (
        "Decision based on MTUS Hip and Groin 2011, Section(s): X-rays.",
        ("MTUS", "Hip and Groin Guideline", 2011, "X-rays"),
    ),
    (
        "Decision based on MTUS Occupational/Work-Related Asthma Medical Treatment Guideline 2016.",
        ("MTUS", "Occupational/Work-Related Asthma Guideline", 2016, ""),
    ),
    (
        "Decision based on MTUS Eye Disorders Guideline 2017.",
        ("MTUS", "Eye Disorders Guideline", 2017, ""),
    ),
    # Elbow: the 2007 chapter stays, the 2013 edition is the 2017 guideline.
    (
        "Decision based on MTUS Elbow Disorders 2007, Section(s): Surgical Considerations.",
        ("MTUS", "Elbow Complaints", 2007, "Surgical Considerations"),
    ),
    (
        "Decision based on MTUS Elbow Disorders 2013.",
        ("MTUS", "Elbow Disorders Guideline", 2013, ""),
    ),
    # ACOEM's Chronic Pain (2017) and Opioids (2017) guidelines, not DWC's 2016 ones.
    (
        "Decision based on MTUS Chronic Pain Guideline 2017, Section(s): Opioids.",
        ("MTUS", "Chronic Pain Guideline", 2017, "Opioids"),
    ),
    (
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids.",
        ("MTUS", "Chronic Pain Medical Treatment Guidelines", 2016, "Opioids"),
    ),
    (
        "Decision based on MTUS Opioids Guideline 2017, Section(s): Urine drug testing.",
        ("MTUS", "Opioids Guideline", 2017, "Urine drug testing"),
    ),
    # Initial Approaches to Treatment: the 2017 guideline, or the 2004 chapter of General
    # Approaches.
    (
        "Decision based on MTUS Initial Approaches to Treatment 2017.",
        ("MTUS", "Initial Approaches to Treatment Guideline", 2017, ""),
    ),
    (
        "Decision based on MTUS Initial Approaches to Treatment 2004.",
        ("MTUS", "General Approaches", 2004, "Initial Approaches to Treatment"),
    ),
    # Workplace Mental Health: the module is the section.
    (
        "Decision based on MTUS Workplace Mental Health Guideline: Depressive Disorders 2020, "
        "Section(s): Antidepressants.",
        (
            "MTUS",
            "Workplace Mental Health Guideline",
            2020,
            "Depressive Disorders, Antidepressants",
        ),
    ),
    # The MTUS Drug Formulary: the Drug List's version and the drug's status are kept.
    (
        "Decision based on MTUS Drug List v.10, Section(s): Non-Exempt, Special Fill.",
        ("MTUS", "MTUS Drug Formulary", None, "Drug List v.10, Non-Exempt, Special Fill"),
    ),
    (
        "Decision based on MTUS Drug Formulary, 8 CCR 9792.27.13 Perioperative Fill.",
        ("MTUS", "MTUS Drug Formulary", None, "8 CCR 9792.27.13 Perioperative Fill"),
    ),
    # ODG by edition year: after a comma, after its product name, in parentheses.
    (
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), 2019, Low "
        "Back Chapter, MRI.",
        ("ODG", "Official Disability Guidelines", 2019, "Low Back Chapter, MRI"),
    ),
    (
        "Decision based on Non-MTUS Citation ODG Treatment in Workers' Comp (2020), Pain "
        "(Chronic), Opioids.",
        ("ODG", "Official Disability Guidelines", 2020, "Pain (Chronic), Opioids"),
    ),
    (
        "Decision based on Non-MTUS Citation ODG 2018 Knee & Leg, Meniscectomy.",
        ("ODG", "Official Disability Guidelines", 2018, "Knee & Leg, Meniscectomy"),
    ),
    # ACOEM outside the MTUS, by edition year.
    (
        "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 3rd Edition (2011), "
        "Chronic Pain.",
        ("ACOEM", "ACOEM Practice Guidelines", 2011, "Chronic Pain"),
    ),
    (
        "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 2019, Shoulder.",
        ("ACOEM", "ACOEM Practice Guidelines", 2019, "Shoulder"),
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CITATIONS)
def test_it_reads_the_2018_citations(sentence: str, expected: tuple[object, ...]) -> None:
    assert _one(sentence) == expected


def test_a_2017_guideline_starts_a_new_document_in_a_list() -> None:
    paragraph = (
        "Decision based on MTUS Low Back Disorders 2019, Section(s): MRI, and Chronic Pain "
        "Guideline 2017, Section(s): Opioids."
    )
    documents = [c.document for c in read_citations(paragraph, Party.REVIEWER).citations]
    assert documents == ["Low Back Disorders Guideline", "Chronic Pain Guideline"]


def test_the_drug_list_starts_a_new_document_in_a_list() -> None:
    paragraph = (
        "Decision based on MTUS Chronic Pain Guideline 2017, Section(s): Opioids, specific drug "
        "list, and MTUS Drug List v.10, Section(s): Non-Exempt."
    )
    citations = read_citations(paragraph, Party.REVIEWER).citations
    assert [(c.document, c.section) for c in citations] == [
        ("Chronic Pain Guideline", "Opioids, specific drug list"),
        ("MTUS Drug Formulary", "MTUS Drug List v.10, Non-Exempt"),
    ]


# (sentence, canonical keys)
KEYS = [
    # A body-part guideline's sections take the topics of the imaging and pain tables.
    (
        "Decision based on MTUS Low Back Disorders 2019, Section(s): Magnetic resonance imaging.",
        ("MTUS|Low Back Disorders Guideline|MRI",),
    ),
    # The 2017 Chronic Pain Guideline is a document of its own, not DWC's 2016 one.
    (
        "Decision based on MTUS Chronic Pain Guideline 2017, Section(s): Opioids.",
        ("MTUS|Chronic Pain Guideline|Opioids",),
    ),
    # Filed under MTUS even when the letter says ACOEM: it is the MTUS's own guideline.
    (
        "Decision based on MTUS ACOEM Knee Disorders Guideline 2019, Section(s): MRI.",
        ("MTUS|Knee Disorders Guideline|MRI",),
    ),
    # Workplace Mental Health by module.
    (
        "Decision based on MTUS Workplace Mental Health Guideline: Post-traumatic Stress "
        "Disorder and Acute Stress Disorder 2018.",
        (
            "MTUS|Workplace Mental Health Guideline|Post-traumatic Stress Disorder and Acute "
            "Stress Disorder",
        ),
    ),
    # The formulary: status and fill policy first, then the list and its version.
    (
        "Decision based on MTUS Drug List v.11.1, Section(s): Non-Exempt, Special Fill.",
        (
            "MTUS|MTUS Drug Formulary|Non-Exempt",
            "MTUS|MTUS Drug Formulary|Special Fill",
            "MTUS|MTUS Drug Formulary|MTUS Drug List v.11.1",
        ),
    ),
    # A regulation number names the policy.
    (
        "Decision based on MTUS Drug Formulary, 8 CCR 9792.27.12.",
        ("MTUS|MTUS Drug Formulary|Special Fill",),
    ),
    # The list without a version.
    ("Decision based on MTUS Drug List.", ("MTUS|MTUS Drug Formulary|MTUS Drug List",)),
]


@pytest.mark.parametrize(("sentence", "keys"), KEYS)
def test_it_files_the_2018_citations(sentence: str, keys: tuple[str, ...]) -> None:
    citations = read_citations(sentence, Party.REVIEWER).citations
    assert tuple(k for c in citations for k in canonical_sections(c)) == keys
    assert all(is_topic_known(k) for k in keys)


def test_formulary_labels_do_not_repeat_the_source() -> None:
    assert section_label("MTUS|MTUS Drug Formulary|Non-Exempt") == (
        "MTUS Drug Formulary - Non-Exempt"
    )
    assert section_label("MTUS|Low Back Disorders Guideline|MRI") == (
        "MTUS Low Back Disorders Guideline - MRI"
    )


def test_drug_list_versions() -> None:
    assert drug_list_version("Drug List v.10, Non-Exempt") == "10"
    assert drug_list_version("MTUS Drug List version 11.1") == "11.1"
    assert drug_list_version("Drug List v.99") is None  # no such version
    # Known versions are in order of their effective dates.
    dated = [d for d in DRUG_LIST_VERSIONS.values() if d is not None]
    assert dated == sorted(dated)


# (treatment, ingredients, DWC drug class): names from MTUS Drug List pages and labels.
DRUGS = [
    ("ZTlido 1.8% #30", ("lidocaine",), "Topical Analgesics"),
    ("Seglentis 56/44 mg #60", ("celecoxib", "tramadol"), "Opioids"),
    ("Elyxyb 120 mg/4.8 mL", ("celecoxib",), "NSAID"),
    ("Qdolo 5 mg/mL 473 mL", ("tramadol",), "Opioids"),
    ("Dayvigo 5 mg #30", ("lemborexant",), "Sedative-hypnotics"),
    ("Fetzima 40 mg #30", ("levomilnacipran",), "Antidepressant"),
    ("Symbyax 6/25 mg #30", ("fluoxetine", "olanzapine"), "Antidepressant"),
    ("Sinequan 10 mg #30", ("doxepin",), "Antidepressant"),
    ("Geodon 20 mg #60", ("ziprasidone",), "Atypical Antipsychotic"),
]


@pytest.mark.parametrize(("treatment", "ingredients", "drug_class"), DRUGS)
def test_it_knows_drugs_of_the_formulary_years(
    treatment: str, ingredients: tuple[str, ...], drug_class: str
) -> None:
    medication = find_medication(treatment)
    assert medication is not None
    assert (medication.ingredients, medication.drug_class) == (ingredients, drug_class)


# --- generated letters -----------------------------------------------------------------------

GENERATED_COUNT = 200
GENERATED_SEED = 20180101


def test_generated_2018_letters_parse_to_their_truth() -> None:
    failures: list[str] = []
    for letter in generate_letters(GENERATED_COUNT, GENERATED_SEED, force=["mtus_2018"]):
        problems = differences(letter.truth, letter_as_dict(parse_letter(letter.text)))
        if problems:
            failures.append(f"{letter.filename}:\n    " + "\n    ".join(problems))
    assert not failures, f"{len(failures)} of {GENERATED_COUNT} differ:\n" + "\n".join(failures)


def test_2018_letters_are_dated_2018_to_2024_and_cite_the_new_mtus() -> None:
    letters = list(generate_letters(200, seed=18, force=["mtus_2018"]))
    years = {int(x.truth["decision_date"][:4]) for x in letters}
    assert min(years) == 2018 and max(years) <= 2024
    assert all(x.layout == "dwc-2016" and "mtus_2018" in x.variants for x in letters)
    assert all(x.filename[2:4] == x.truth["date_assigned"][2:4] for x in letters)
    documents = Counter(
        c["document"] for x in letters for i in x.truth["items"] for c in i["citations"]
    )
    assert documents["Chronic Pain Guideline"] and documents["MTUS Drug Formulary"]
    # DWC's 2016 guidelines and the 2004 chapters they replaced are gone, but for the ones
    # the December 2017 order kept (Acupuncture) or not yet replaced (stress, until 2019).
    assert not documents["Chronic Pain Medical Treatment Guidelines"]
    assert not documents["Low Back Complaints"]


def test_the_random_mix_never_writes_a_2018_letter() -> None:
    assert {"mtus_2018"} == FORCED_ONLY
    assert not any("mtus_2018" in x.variants for x in generate_letters(300, seed=5))


def test_a_2018_letter_is_refused_in_another_layout() -> None:
    with pytest.raises(ValueError, match="dwc-2016"):
        generate_letter(random.Random(1), layout="dwc-2014", force=["mtus_2018"])


def test_the_guideline_facet_names_the_formulary_once() -> None:
    from determinations.facets import _guideline_label

    assert _guideline_label("MTUS|MTUS Drug Formulary") == "MTUS Drug Formulary"
    assert _guideline_label("MTUS|Low Back Disorders Guideline") == (
        "MTUS Low Back Disorders Guideline"
    )
