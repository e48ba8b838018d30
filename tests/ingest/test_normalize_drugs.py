"""Medications read from disputed-item treatments."""

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.letter import Medication
from ingest.normalize.categories import PHARMACEUTICAL_CLASSES
from ingest.normalize.drugs import find_medication
from ingest.normalize.drugs_data import (
    ALIASES,
    CLASS_PRIORITY,
    INGREDIENT_CLASSES,
    PRODUCT_CLASSES,
)


def med(ingredients: tuple[str, ...], brand: str, **fields: object) -> Medication:
    return Medication(ingredients=ingredients, brand=brand, **fields)  # type: ignore[arg-type]


APAP_HYDROCODONE = ("acetaminophen", "hydrocodone")

MEDICATION_CASES = [
    # Brand combination missing from the package dictionary; strength with a slash.
    (
        "Norco 10/325mg #120",
        med(APAP_HYDROCODONE, "Norco", strength="10/325 mg", quantity=120, drug_class="Opioids"),
    ),
    # Upper-case unit, refills.
    (
        "Valium 10 MG #90 with 2 Refills",
        med(
            ("diazepam",),
            "Valium",
            strength="10 mg",
            quantity=90,
            refills=2,
            drug_class="Benzodiazepines",
        ),
    ),
    # Misspelt brand + brand, Qty, frequency, a trailing class in parentheses.
    (
        "Lorezepam - Ativan 1 mg Qty 30 QHS (Benzodiazepines)",
        med(
            ("lorazepam",),
            "Lorezepam - Ativan",
            strength="1 mg",
            quantity=30,
            frequency="QHS",
            drug_class="Benzodiazepines",
        ),
    ),
    # Misspelt generic, fuzzed to alprazolam.
    (
        "Alprozam 0.5mg #60",
        med(
            ("alprazolam",),
            "Alprozam",
            strength="0.5 mg",
            quantity=60,
            drug_class="Benzodiazepines",
        ),
    ),
    # Release modifier belongs to the brand; plural refills.
    (
        "Cymbalta DR 30 MG #30 with 2 Refills",
        med(
            ("duloxetine",),
            "Cymbalta DR",
            strength="30 mg",
            quantity=30,
            refills=2,
            drug_class="Antidepressant",
        ),
    ),
    # Drug named mid-sentence.
    (
        "Two months supply of Viagra 100mg",
        med(("sildenafil",), "Viagra", strength="100 mg", drug_class="Impotence Agents"),
    ),
    # H2 blocker, strength only.
    ("Pepcid 20mg", med(("famotidine",), "Pepcid", strength="20 mg", drug_class="H2 Blocker")),
    # Muscle relaxant brand.
    (
        "Norflex 100mg #60",
        med(
            ("orphenadrine",),
            "Norflex",
            strength="100 mg",
            quantity=60,
            drug_class="Muscle Relaxant",
        ),
    ),
    # Compounded topical: each ingredient, each strength, the tube size ignored.
    (
        "Flurbiprofen 20%/Lidocaine 5% cream 180gm",
        med(
            ("flurbiprofen", "lidocaine"),
            "Flurbiprofen/Lidocaine",
            strength="20%/5%",
            drug_class="Topical Compounds",
        ),
    ),
    # Compound written as one slash-joined name.
    (
        "Ketoprofen/Gabapentin/Lidocaine cream 240gm",
        med(
            ("gabapentin", "ketoprofen", "lidocaine"),
            "Ketoprofen/Gabapentin/Lidocaine",
            drug_class="Topical Compounds",
        ),
    ),
    # "Soma" is carisoprodol, never the nerve agent "soman".
    (
        "Soma 350mg #60",
        med(
            ("carisoprodol",),
            "Soma",
            strength="350 mg",
            quantity=60,
            drug_class="Muscle Relaxant",
        ),
    ),
    ("Soma", med(("carisoprodol",), "Soma", drug_class="Muscle Relaxant")),
    # Percocet, strength without unit.
    (
        "Percocet 10/325 #90",
        med(
            ("acetaminophen", "oxycodone"),
            "Percocet",
            strength="10/325",
            quantity=90,
            drug_class="Opioids",
        ),
    ),
    # Brand with the generic in parentheses: brand stops at the parenthesis; "Q8 hours PRN".
    (
        "Norco (Hydrocodone/Acetaminophen) 10/325mg Qty 60 one tablet Q8 hours PRN",
        med(
            APAP_HYDROCODONE,
            "Norco",
            strength="10/325 mg",
            quantity=60,
            frequency="every 8 hours as needed",
            drug_class="Opioids",
        ),
    ),
    # "# 60" with a space, "x2 refills".
    (
        "Gabapentin 600mg # 60 x2 refills",
        med(
            ("gabapentin",),
            "Gabapentin",
            strength="600 mg",
            quantity=60,
            refills=2,
            drug_class="Anti-epilepsy drugs",
        ),
    ),
    # "no refills" is zero; "quantity 90"; salt word kept in the brand.
    (
        "Naproxen sodium 550mg quantity 90 no refills",
        med(
            ("naproxen",),
            "Naproxen sodium",
            strength="550 mg",
            quantity=90,
            refills=0,
            drug_class="NSAID",
        ),
    ),
    # q6h and "as needed".
    (
        "Tramadol 50mg q6h as needed",
        med(
            ("tramadol",),
            "Tramadol",
            strength="50 mg",
            frequency="every 6 hours as needed",
            drug_class="Opioids",
        ),
    ),
    # "every 12 hours".
    (
        "Oxycontin 20mg every 12 hours",
        med(
            ("oxycodone",),
            "Oxycontin",
            strength="20 mg",
            frequency="every 12 hours",
            drug_class="Opioids",
        ),
    ),
    # BID in lower case.
    (
        "Tizanidine 4mg bid",
        med(
            ("tizanidine",),
            "Tizanidine",
            strength="4 mg",
            frequency="BID",
            drug_class="Muscle Relaxant",
        ),
    ),
    # "Tylenol #3" is a name; the count is the second number sign.
    (
        "Tylenol #3 #60",
        med(("acetaminophen", "codeine"), "Tylenol #3", quantity=60, drug_class="Opioids"),
    ),
    # Branded topical analgesic with several ingredients.
    (
        "Terocin lotion 120ml",
        med(
            ("capsaicin", "lidocaine", "menthol", "methyl salicylate"),
            "Terocin",
            strength="120 ml",
            drug_class="Topical Analgesics",
        ),
    ),
    # Lidoderm is the lidocaine patch.
    (
        "Lidoderm 5% patch #30",
        med(
            ("lidocaine",),
            "Lidoderm",
            strength="5%",
            quantity=30,
            drug_class="Topical Analgesics",
        ),
    ),
    # A topical NSAID is a topical analgesic, an oral one an NSAID.
    (
        "Diclofenac sodium 3% 300mg/g #1",
        med(
            ("diclofenac",),
            "Diclofenac sodium",
            strength="3%",
            quantity=1,
            drug_class="Topical Analgesics",
        ),
    ),
    # An opioid patch stays an opioid; strength per hour.
    (
        "Butrans patch 10mcg/hr #4",
        med(
            ("buprenorphine",),
            "Butrans",
            strength="10 mcg/hr",
            quantity=4,
            drug_class="Opioids",
        ),
    ),
    # Barbiturate combination.
    (
        "Fioricet #120",
        med(
            ("acetaminophen", "butalbital", "caffeine"),
            "Fioricet",
            quantity=120,
            drug_class="Barbiturates",
        ),
    ),
    # Medical food.
    (
        "Theramine #90",
        med(("theramine",), "Theramine", quantity=90, drug_class="Nutritional Products"),
    ),
    # Misspellings the fuzzy step repairs.
    (
        "Cyclobenzeprine 7.5mg #60",
        med(
            ("cyclobenzaprine",),
            "Cyclobenzeprine",
            strength="7.5 mg",
            quantity=60,
            drug_class="Muscle Relaxant",
        ),
    ),
    # Leading decimal point; "Retrospective" is not part of the name.
    (
        "Retrospective Alprazolam .5 mg",
        med(("alprazolam",), "Alprazolam", strength="0.5 mg", drug_class="Benzodiazepines"),
    ),
    # A drug the project table lacks comes from the package dictionary.
    (
        "Hydroxychloroquine 200mg #60",
        med(("hydroxychloroquine",), "Hydroxychloroquine", strength="200 mg", quantity=60),
    ),
    # An injected drug leads the treatment: still a medication.
    (
        "Toradol 60mg IM injection",
        med(("ketorolac",), "Toradol", strength="60 mg", drug_class="NSAID"),
    ),
    # Thousands separator and IU.
    (
        "Vitamin D 50,000 IU",
        med(("vitamin d",), "Vitamin D", strength="50,000 IU", drug_class="Nutritional Products"),
    ),
]


@pytest.mark.parametrize(("treatment", "expected"), MEDICATION_CASES)
def test_find_medication(treatment: str, expected: Medication) -> None:
    assert find_medication(treatment) == expected


NOT_A_DRUG = [
    # Imaging and electrodiagnostics.
    "MRI of the lumbar spine",
    "EMG/NCV of the lower extremities",
    "X-rays of the left shoulder",
    # Rehabilitation.
    "Physical therapy 2-3 times a week for 6 weeks",
    "Acupuncture trial 2 x 4",
    "Chiropractic spinal manipulation times 6",
    "Infrared heat to the low back",
    "Spinolator traction treatment times 4",
    # "Drug" in a lab test.
    "Urine Drug Screen",
    # Devices and supplies.
    "TENS unit",
    "Heat pads for home use times 4",
    "Hospital bed for an unspecified rental",
    # Injections and surgery, even when a drug is named inside.
    "Bilateral L4-5 and L5-S1 lumbar facet block",
    "Trigger point injection with lidocaine",
    "Right L4 transforaminal epidural steroid injection under fluoroscopic guidance",
    # Plain words never fuzz to drugs.
    "Gym membership",
    "Initial exam",
    "Functional capacity evaluation",
    # Not a treatment at all.
    "",
    "is",
]


@pytest.mark.parametrize("treatment", NOT_A_DRUG)
def test_it_finds_no_medication_in_other_treatments(treatment: str) -> None:
    assert find_medication(treatment) is None


MISSPELLINGS = [
    # One letter off.
    ("Lorezepam 1mg", ("lorazepam",)),
    ("Gabapenten 300mg #90", ("gabapentin",)),
    ("Tramadal 50mg", ("tramadol",)),
    ("Xanex 1mg", ("alprazolam",)),
    ("Ambian 10mg", ("zolpidem",)),
    ("Neurotin 600mg", ("gabapentin",)),
    # A letter missing at the end.
    ("Hydrocodon 10mg", ("hydrocodone",)),
    ("Omeprazol 20mg", ("omeprazole",)),
    # Two or three letters off, same ending.
    ("Alprozam 0.5mg #60", ("alprazolam",)),
    # Followed by a release modifier instead of the strength.
    ("Cymbalts DR 60mg", ("duloxetine",)),
]


@pytest.mark.parametrize(("treatment", "ingredients"), MISSPELLINGS)
def test_it_repairs_misspelt_names(treatment: str, ingredients: tuple[str, ...]) -> None:
    found = find_medication(treatment)
    assert found is not None
    assert found.ingredients == ingredients


ENGLISH_NOT_DRUGS = [
    # A letter or two off a brand (Motrin, Clinoril, Restoril, Claritin, Compazine), in the
    # place a drug name goes: still not drugs.
    "Motion 10mg #30",
    "Clinical 5mg",
    "Restoring 10mg",
    "Clarifying 10mg",
    "Complains 5mg #30",
    # Class words the package dictionary knows as "drugs".
    "Opioid 10mg",
    "Benzodiazepines 5mg",
    # Too short to fuzz: "Soma" is exact, "Som" nothing.
    "Som 350mg",
    # A misspelling away from the name position is not fuzzed.
    "Request for something 10mg",
]


@pytest.mark.parametrize("treatment", ENGLISH_NOT_DRUGS)
def test_common_words_never_become_drugs(treatment: str) -> None:
    assert find_medication(treatment) is None


def test_every_class_is_a_cleaned_dwc_class() -> None:
    used = set(INGREDIENT_CLASSES.values()) | set(PRODUCT_CLASSES.values()) | set(CLASS_PRIORITY)
    assert used <= set(PHARMACEUTICAL_CLASSES)


def test_every_alias_ingredient_has_a_class() -> None:
    missing = {i for ings in ALIASES.values() for i in ings} - set(INGREDIENT_CLASSES)
    assert not missing


def test_the_dictionary_is_read_without_importing_the_library():
    # The library's import builds a trigram index of every name (2.3 s in every ingest
    # worker) that the parser never uses: the parser reads the wheel's dictionary file.
    script = (
        "import sys\n"
        "from ingest.normalize.drugs import _package, find_medication\n"
        "assert _package().names['gabapentin'] == ('gabapentin',)\n"
        "assert find_medication('Neurontin 600mg #90').ingredients == ('gabapentin',)\n"
        "print(sorted(m for m in sys.modules if m.startswith('drug_named_entity')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"
