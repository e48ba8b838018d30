"""DWC request category and subcategory of disputed treatments."""

import csv
from pathlib import Path

import pytest

from ingest.normalize.categories import (
    CATEGORIES,
    DWC_SUBCATEGORY_FIXES,
    RULES,
    categorize,
    rule_for,
)
from ingest.normalize.drugs import find_medication

DWC_CSV = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "taxonomy"
    / "dwc_request_categories.csv"
)

DIAG = "Diagnostic Testing"
IMAGING = (DIAG, "Imaging (Radiology)")
PT = ("Rehabilitation", "Physical Therapy/Occupational Therapy (PT/OT)")

CASES = [
    # Medications take their drug class.
    ("Norco 10/325mg #120", ("Pharmaceuticals", "Opioids")),
    ("Valium 10 MG #90 with 2 Refills", ("Pharmaceuticals", "Benzodiazepines")),
    ("Flurbiprofen 20%/Lidocaine 5% cream 180gm", ("Pharmaceuticals", "Topical Compounds")),
    ("Two months supply of Viagra 100mg", ("Pharmaceuticals", "Impotence Agents")),
    # An injected drug is a pharmaceutical injection; a viscosupplement keeps its class.
    ("Toradol 60mg IM injection", ("Pharmaceuticals", "Injection")),
    ("Synvisc injection right knee", ("Pharmaceuticals", "Viscosupplementation")),
    ("Series of three Orthovisc injections", ("Pharmaceuticals", "Viscosupplementation")),
    # A compound with no drug name read.
    ("Compounded topical cream", ("Pharmaceuticals", "Topical Compounds")),
    # Compounded kits and medical foods sold under a name (normalize.drugs_data.KITS) take
    # their drug's class; a kit is never "Supplies".
    ("Synapryn 10mg/ml oral suspension 500ml", ("Pharmaceuticals", "Opioids")),
    ("Tabradol 1mg/ml oral suspension kit", ("Pharmaceuticals", "Muscle Relaxant")),
    ("Fanatrex 25mg/ml 420ml", ("Pharmaceuticals", "Anti-epilepsy drugs")),
    ("Deprizine (quantity not given)", ("Pharmaceuticals", "H2 Blocker")),
    ("Dicopanol 5mg/ml 150ml", ("Pharmaceuticals", "Antihistamine")),
    ("Ketophene 20% cream 120 grams", ("Pharmaceuticals", "Topical Compounds")),
    ("Theramine #90", ("Pharmaceuticals", "Nutritional Products")),
    # A kit the table does not know is still a medication, never a supply.
    ("Unknownazole oral suspension kit", ("Pharmaceuticals", None)),
    ("Generic anti-inflammatory cream compounding kit", ("Pharmaceuticals", "Topical Compounds")),
    # A misspelt kit goes through rapidfuzz even without a dose.
    ("Synaprin (unknown quantity)", ("Pharmaceuticals", "Opioids")),
    # A pharmacy mix "in cream base" is a compound even with one drug.
    ("Ketoprofen 10% in cream base 60g", ("Pharmaceuticals", "Topical Compounds")),
    # A surgery's items are what they are: the prefix says only what they belong to.
    ("Associated surgical service: ice machine for two weeks", ("DMEPOS", "DME")),
    ("Associated surgical service: Arm sling", ("DMEPOS", "Prosthetics/Orthotics")),
    ("Associated surgical service: Post-op physical therapy x 12", PT),
    ("Associated surgical service: Pre-op labs", (DIAG, "Lab & Pathology")),
    # "PT/PTT" before surgery is a clotting test, not physical therapy.
    ("Pre-op PT/PTT and INR", (DIAG, "Lab & Pathology")),
    ("Preoperative CBC", (DIAG, "Lab & Pathology")),
    ("Preoperative ECG", (DIAG, "Other Diagnostic Tests")),
    ("Preop chest radiograph, two views", IMAGING),
    ("Labs to include: resting ECG", (DIAG, "Other Diagnostic Tests")),
    ("Preop clearance by her internist", ("Evaluation & Management", "Medical Specialties")),
    ("PA-C assist for the shoulder repair", ("Surgery", "Adjunct Surgical Services")),
    ("Surgical assistant", ("Surgery", "Adjunct Surgical Services")),
    # Lysis of epidural adhesions is spine surgery, not an injection.
    ("Percutaneous neuroplasty at L5", ("Surgery", "Spine")),
    # Diagnostics spelled out or named by what they measure.
    ("Electroencephalogram", (DIAG, "Other Diagnostic Tests")),
    ("Electrocardiogram times 2", (DIAG, "Other Diagnostic Tests")),
    ("Grip strength testing", (DIAG, "Other Diagnostic Tests")),
    ("Range of motion test of the wrist", (DIAG, "Other Diagnostic Tests")),
    ("Trigger point impedance imaging", (DIAG, "Other Diagnostic Tests")),
    # Soft goods and workstations.
    ("Nitrile gloves one box", ("DMEPOS", "Supplies")),
    ("Cleansing wipes", ("DMEPOS", "Supplies")),
    ("Bed pads quantity 30", ("DMEPOS", "Supplies")),
    ("Compression leg wraps", ("DMEPOS", "Supplies")),
    ("Sit to stand desk", ("DMEPOS", "DME")),
    ("Ergonomic workstation", ("DMEPOS", "DME")),
    # Nursing and aides at home; an inpatient rehabilitation stay and a gym are programs.
    ("RN visits three times weekly for wound care", ("Home Health", "Home Health")),
    ("Home aide 6 hours per day", ("Home Health", "Home Health")),
    ("Acute inpatient rehabilitation for 10 days", ("Programs", "Programs")),
    ("Six month gym membership", ("Programs", "Programs")),
    # Imaging, however written.
    ("MRI of the lumbar spine", IMAGING),
    ("Open MRI of the lumbosacral spine", IMAGING),
    ("MR Arthrogram of the right shoulder", IMAGING),
    ("One (1) x-ray of the thoracic spine", IMAGING),
    ("CT scan of abdomen and pelvis with contrast", IMAGING),
    ("Three phase bone scan to the left foot", IMAGING),
    ("Diagnostic ultrasound of the right shoulder", IMAGING),
    # Imaging that mentions a fusion is still imaging.
    ("CT scan of the lumbar spine to evaluate the fusion", IMAGING),
    # Electrodiagnostics in any order.
    ("EMG/NCV of the lower extremities", (DIAG, "EMG/NCV/NCS")),
    ("NCV/EMG of the bilateral upper extremity", (DIAG, "EMG/NCV/NCS")),
    ("Nerve conduction studies of the arms", (DIAG, "EMG/NCV/NCS")),
    # Labs, including the urine drug screen (not a drug).
    ("Urine Drug Screen", (DIAG, "Lab & Pathology")),
    ("Comprehensive metabolic panel", (DIAG, "Lab & Pathology")),
    # Tests that are neither imaging nor labs.
    ("Functional capacity evaluation", (DIAG, "Other Diagnostic Tests")),
    ("Sleep study", (DIAG, "Other Diagnostic Tests")),
    # Rehabilitation.
    ("Physical therapy 2-3 times a week for 6 weeks", PT),
    ("Occupational therapy 6 sessions", PT),
    ("Aquatic therapy 2 times a week for 4 weeks", PT),
    ("Acupuncture trial 2 x 4", ("Rehabilitation", "Acupuncture")),
    ("Electroacupuncture for the lumbar spine", ("Rehabilitation", "Acupuncture")),
    ("Chiropractic spinal manipulation times 6", ("Rehabilitation", "Chiropractic")),
    ("Spinal manipulation 1 times 8", ("Rehabilitation", "Chiropractic")),
    ("Chiro with modalities 2 times a week", ("Rehabilitation", "Chiropractic")),
    # Modalities given in the office.
    ("Infrared heat to the low back", ("Rehabilitation", "Other Therapies")),
    ("Spinolator traction treatment times 4", ("Rehabilitation", "Other Therapies")),
    ("Electrical stimulation 1 times 8", ("Rehabilitation", "Other Therapies")),
    ("Ultrasound 1 times 8", ("Rehabilitation", "Other Therapies")),
    ("Myofascial release to the low back", ("Rehabilitation", "Other Therapies")),
    # Injections: facet procedures apart.
    ("Bilateral L4-5 and L5-S1 lumbar facet block", ("Injection", "Facet Injection")),
    ("Medial branch block at L4-5", ("Injection", "Facet Injection")),
    ("Right L4 transforaminal epidural steroid injection", ("Injection", "Injection")),
    ("Trigger point injection with lidocaine", ("Injection", "Injection")),
    # Surgery kinds.
    ("Right knee arthroscopy with partial meniscectomy", ("Surgery", "Arthroscopic Surgery")),
    ("L4-5 posterior lumbar fusion", ("Surgery", "Spine")),
    ("Microdiscectomy at L5-S1", ("Surgery", "Spine")),
    ("Right carpal tunnel release", ("Surgery", "Non-arthroscopic Surgery")),
    ("Total knee arthroplasty", ("Surgery", "Non-arthroscopic Surgery")),
    ("Spine surgery evaluation for the lumbar", ("Surgery", "Surgical Consult")),
    ("Assistant surgeon", ("Surgery", "Adjunct Surgical Services")),
    # Clearance for surgery is an internist's office visit, not part of the operation.
    ("Pre-operative medical clearance", ("Evaluation & Management", "Medical Specialties")),
    # Devices and supplies.
    ("TENS unit", ("DMEPOS", "Electrical Stimulation")),
    ("H-wave device 30 day rental", ("DMEPOS", "Electrical Stimulation")),
    ("Lumbar brace", ("DMEPOS", "Prosthetics/Orthotics")),
    ("Custom orthotics", ("DMEPOS", "Prosthetics/Orthotics")),
    ("Hospital bed for an unspecified rental", ("DMEPOS", "DME")),
    ("Cold therapy unit rental", ("DMEPOS", "DME")),
    ("Cervical traction unit", ("DMEPOS", "DME")),
    ("Heat pads for home use times 4", ("DMEPOS", "Supplies")),
    # Consumables are supplies, even for a device or a home program.
    ("TENS unit electrodes", ("DMEPOS", "Supplies")),
    ("Home exercise kit", ("DMEPOS", "Supplies")),
    # Programs.
    ("Functional restoration program 10 days", ("Programs", "Programs")),
    ("Work hardening 12 sessions", ("Programs", "Programs")),
    # Psych services.
    ("Psychological evaluation", ("Psych Services", "Evaluation & Management")),
    ("Cognitive behavioral therapy 6 sessions", ("Psych Services", "Therapies")),
    ("Biofeedback 6 sessions", ("Psych Services", "Therapies")),
    # Visits and consults.
    ("Initial exam", ("Evaluation & Management", "Medical Specialties")),
    ("Pain management consultation", ("Evaluation & Management", "Medical Specialties")),
    ("Follow-up office visit", ("Evaluation & Management", "Medical Specialties")),
    ("Dental evaluation", ("Evaluation & Management", "Dental Services")),
    # Home health and transportation.
    ("Home health aide 4 hours a day", ("Home Health", "Home Health")),
    ("Transportation to and from medical appointments", ("Transportation", "Transportation")),
    # Unknown: no category rather than a guess.
    ("Something unreadable", (None, None)),
    ("", (None, None)),
]


@pytest.mark.parametrize(("treatment", "expected"), CASES)
def test_categorize(treatment: str, expected: tuple[str | None, str | None]) -> None:
    assert categorize(treatment, find_medication(treatment)) == expected


def test_a_medication_of_unknown_class_is_still_a_pharmaceutical() -> None:
    med = find_medication("Hydroxychloroquine 200mg #60")
    assert med is not None
    assert categorize("Hydroxychloroquine 200mg #60", med) == ("Pharmaceuticals", None)


def test_every_rule_names_a_category_of_the_taxonomy() -> None:
    for rule in RULES:
        # None: a sure category whose subcategory is unknown (a drug kit of unknown drug).
        assert rule.subcategory is None or rule.subcategory in CATEGORIES[rule.category], rule.name
    assert len({r.name for r in RULES}) == len(RULES)


def test_rule_for_names_the_deciding_rule() -> None:
    assert rule_for("Myofascial release to the low back") == "modalities"
    assert rule_for("Something unreadable") is None


def test_taxonomy_has_no_duplicates() -> None:
    for category, subcategories in CATEGORIES.items():
        assert len(subcategories) == len(set(subcategories)), category


@pytest.mark.skipif(not DWC_CSV.exists(), reason="../shared/taxonomy is absent")
def test_every_dwc_pair_maps_into_the_cleaned_taxonomy() -> None:
    with DWC_CSV.open(newline="") as f:
        for row in csv.DictReader(f):
            sub = row["subcategory_or_drug_class"]
            assert DWC_SUBCATEGORY_FIXES.get(sub, sub) in CATEGORIES[row["category"]], row
