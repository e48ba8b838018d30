# ruff: noqa: E501  (data tables: one entry a line reads better than wrapped entries)
"""Vocabulary for the synthetic IMR letter generator (``synth.letters``).

Everything here is written for the project: drug names and guideline titles are public facts,
the phrases are our own. Nothing is cut from real letters. Each entry carries the values a
correct parser must report for it (category, drug class, normalised strength, citation fields),
so the generator can write a letter and its truth from one table row.
"""

from __future__ import annotations

from typing import NamedTuple


class Drug(NamedTuple):
    # The name as the letter writes it, misspellings included ("Alprozam").
    written: str
    ingredients: tuple[str, ...]  # canonical generics, lowercase, sorted
    drug_class: str  # DWC drug class after clean-up ("Benzodiazepines")
    strengths: tuple[str, ...]  # normalised ("10/325 mg", "5%"); "" for none printed
    quantities: tuple[int, ...]
    topic: str  # key into CITATIONS / RATIONALES
    form: str = ""  # printed after the strength ("patch", "cream")


# fmt: off
DRUGS: tuple[Drug, ...] = (
    Drug("Norco", ("acetaminophen", "hydrocodone"), "Opioids", ("10/325 mg", "5/325 mg", "7.5/325 mg"), (60, 90, 120, 180), "opioids"),
    Drug("Hydrocodone/APAP", ("acetaminophen", "hydrocodone"), "Opioids", ("10/325 mg", "5/325 mg"), (60, 90, 120), "opioids"),
    Drug("Percocet", ("acetaminophen", "oxycodone"), "Opioids", ("10/325 mg", "5/325 mg"), (60, 90, 120), "opioids"),
    Drug("Oxycodone", ("oxycodone",), "Opioids", ("10 mg", "15 mg", "30 mg"), (60, 90, 120), "opioids"),
    Drug("OxyContin", ("oxycodone",), "Opioids", ("20 mg", "40 mg"), (60, 90), "opioids"),
    Drug("Tramadol ER", ("tramadol",), "Opioids", ("150 mg", "100 mg", "200 mg"), (30, 60), "opioids"),
    Drug("Tramadol", ("tramadol",), "Opioids", ("50 mg",), (60, 90, 120), "opioids"),
    Drug("Ultram", ("tramadol",), "Opioids", ("50 mg",), (60, 90, 120), "opioids"),
    Drug("Ultracet", ("acetaminophen", "tramadol"), "Opioids", ("37.5/325 mg",), (60, 90, 120), "opioids"),
    Drug("Nucynta", ("tapentadol",), "Opioids", ("50 mg", "75 mg"), (60, 90), "opioids"),
    Drug("Methadone", ("methadone",), "Opioids", ("10 mg",), (90, 120), "opioids"),
    Drug("Soma", ("carisoprodol",), "Muscle Relaxant", ("350 mg",), (30, 60, 90), "muscle_relaxant"),
    Drug("Flexeril", ("cyclobenzaprine",), "Muscle Relaxant", ("7.5 mg", "10 mg"), (30, 60, 90), "muscle_relaxant"),
    Drug("Cyclobenzaprine", ("cyclobenzaprine",), "Muscle Relaxant", ("7.5 mg", "10 mg"), (30, 60, 90), "muscle_relaxant"),
    Drug("Fexmid", ("cyclobenzaprine",), "Muscle Relaxant", ("7.5 mg",), (60, 90), "muscle_relaxant"),
    Drug("Zanaflex", ("tizanidine",), "Muscle Relaxant", ("4 mg",), (60, 90), "muscle_relaxant"),
    Drug("Tizanidine", ("tizanidine",), "Muscle Relaxant", ("2 mg", "4 mg"), (30, 60, 90), "muscle_relaxant"),
    Drug("Baclofen", ("baclofen",), "Muscle Relaxant", ("10 mg", "20 mg"), (60, 90), "muscle_relaxant"),
    Drug("Norflex ER", ("orphenadrine",), "Muscle Relaxant", ("100 mg",), (60,), "muscle_relaxant"),
    Drug("Gabapentin", ("gabapentin",), "Anti-epilepsy drugs", ("600 mg", "300 mg", "800 mg"), (60, 90, 120), "aed"),
    Drug("Neurontin", ("gabapentin",), "Anti-epilepsy drugs", ("300 mg", "600 mg"), (90, 120), "aed"),
    Drug("Lyrica", ("pregabalin",), "Anti-epilepsy drugs", ("75 mg", "150 mg", "50 mg"), (60, 90), "aed"),
    Drug("Topamax", ("topiramate",), "Anti-epilepsy drugs", ("25 mg", "50 mg"), (60,), "aed"),
    Drug("Cymbalta DR", ("duloxetine",), "Antidepressant", ("60 mg", "30 mg"), (30, 60), "antidepressant"),
    Drug("Cymbalta", ("duloxetine",), "Antidepressant", ("60 mg", "30 mg"), (30, 60), "antidepressant"),
    Drug("Amitriptyline", ("amitriptyline",), "Antidepressant", ("25 mg", "10 mg"), (30, 60), "antidepressant"),
    Drug("Trazodone", ("trazodone",), "Antidepressant", ("50 mg", "100 mg"), (30, 60), "antidepressant"),
    Drug("Wellbutrin XL", ("bupropion",), "Antidepressant", ("150 mg", "300 mg"), (30,), "antidepressant"),
    Drug("Valium", ("diazepam",), "Benzodiazepines", ("5 mg", "10 mg", "2 mg"), (30, 60, 90, 120), "benzo"),
    Drug("Diazepam", ("diazepam",), "Benzodiazepines", ("5 mg", "10 mg"), (10, 30, 60), "benzo"),
    Drug("Xanax", ("alprazolam",), "Benzodiazepines", ("0.5 mg", "1 mg", "0.25 mg"), (30, 60, 90), "benzo"),
    Drug("Alprozam", ("alprazolam",), "Benzodiazepines", ("0.5 mg",), (30, 60), "benzo"),
    Drug("Ativan", ("lorazepam",), "Benzodiazepines", ("1 mg", "0.5 mg"), (30, 60), "benzo"),
    Drug("Lorezepam", ("lorazepam",), "Benzodiazepines", ("1 mg", "0.5 mg"), (30, 60), "benzo"),
    Drug("Klonopin", ("clonazepam",), "Benzodiazepines", ("0.5 mg", "1 mg"), (30, 60), "benzo"),
    Drug("Ambien", ("zolpidem",), "Sedative-hypnotics", ("10 mg", "5 mg"), (30,), "sleep"),
    Drug("Ambien CR", ("zolpidem",), "Sedative-hypnotics", ("12.5 mg", "6.25 mg"), (30,), "sleep"),
    Drug("Zolpidem", ("zolpidem",), "Sedative-hypnotics", ("10 mg", "5 mg"), (30,), "sleep"),
    Drug("Lunesta", ("eszopiclone",), "Sedative-hypnotics", ("3 mg", "2 mg"), (30,), "sleep"),
    Drug("Omeprazole", ("omeprazole",), "Proton Pump Inhibitors", ("20 mg", "40 mg"), (30, 60, 90), "ppi"),
    Drug("Prilosec", ("omeprazole",), "Proton Pump Inhibitors", ("20 mg",), (30, 60), "ppi"),
    Drug("Pantoprazole", ("pantoprazole",), "Proton Pump Inhibitors", ("20 mg", "40 mg"), (30, 60), "ppi"),
    Drug("Protonix", ("pantoprazole",), "Proton Pump Inhibitors", ("40 mg",), (30, 60), "ppi"),
    Drug("Ranitidine", ("ranitidine",), "H2 Blocker", ("150 mg",), (60,), "ppi"),
    Drug("Naproxen", ("naproxen",), "NSAID", ("550 mg", "500 mg"), (60, 90, 100), "nsaid"),
    Drug("Naproxen Sodium", ("naproxen",), "NSAID", ("550 mg",), (60, 90), "nsaid"),
    Drug("Anaprox DS", ("naproxen",), "NSAID", ("550 mg",), (60, 90), "nsaid"),
    Drug("Ibuprofen", ("ibuprofen",), "NSAID", ("800 mg", "600 mg"), (60, 90), "nsaid"),
    Drug("Motrin", ("ibuprofen",), "NSAID", ("800 mg",), (60, 90), "nsaid"),
    Drug("Meloxicam", ("meloxicam",), "NSAID", ("15 mg", "7.5 mg"), (30, 60), "nsaid"),
    Drug("Mobic", ("meloxicam",), "NSAID", ("15 mg", "7.5 mg"), (30,), "nsaid"),
    Drug("Celebrex", ("celecoxib",), "NSAID", ("200 mg", "100 mg"), (30, 60), "nsaid"),
    Drug("Nabumetone", ("nabumetone",), "NSAID", ("750 mg", "500 mg"), (60, 90), "nsaid"),
    Drug("Lidoderm", ("lidocaine",), "Topical Analgesics", ("5%",), (30, 60, 90), "topical", "patch"),
    Drug("Lidocaine", ("lidocaine",), "Topical Analgesics", ("5%",), (30, 60), "topical", "patches"),
    Drug("Voltaren", ("diclofenac",), "Topical Analgesics", ("1%",), (1, 2, 3), "topical", "gel"),
    Drug("Ondansetron", ("ondansetron",), "Antiemetic", ("8 mg", "4 mg"), (10, 20, 30), "other_drug"),
    Drug("Zofran", ("ondansetron",), "Antiemetic", ("8 mg",), (10, 20), "other_drug"),
    Drug("Fioricet", ("acetaminophen", "butalbital", "caffeine"), "Barbiturates", ("", "50/325/40 mg"), (30, 60, 120), "other_drug"),
    Drug("Imitrex", ("sumatriptan",), "Antimigraine Agent", ("50 mg", "100 mg"), (9, 18), "other_drug"),
    Drug("Colace", ("docusate",), "GI Agents", ("100 mg",), (60, 100), "other_drug"),
    Drug("Senokot-S", ("docusate", "senna"), "GI Agents", ("8.6/50 mg",), (60, 100), "other_drug"),
    Drug("Viagra", ("sildenafil",), "Impotence Agents", ("50 mg", "100 mg"), (6, 10), "other_drug"),
    Drug("Medrol Dosepak", ("methylprednisolone",), "Adrenal Cortical Steroids", ("4 mg",), (1, 21), "other_drug"),
)
# fmt: on

# Releases and salts that sit between the brand and the strength and belong to the brand.
MISSPELLED = frozenset({"Alprozam", "Lorezepam"})

# Topical compounds: ingredients (canonical, sorted) and the printed recipe. The quantity is a
# weight ("180gm"), not a count, so no quantity is read from it.
# The parser reports a compound's brand as its names joined by "/" ("Flurbiprofen/Lidocaine")
# and its strength as the percentages ("20%/5%"); see synth.compound_medication.
COMPOUNDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Flurbiprofen 20%/Lidocaine 5% cream", ("flurbiprofen", "lidocaine")),
    ("Flurbiprofen 20%/Baclofen 2%/Lidocaine 5% cream", ("baclofen", "flurbiprofen", "lidocaine")),
    ("Ketoprofen 10%/Gabapentin 6% cream", ("gabapentin", "ketoprofen")),
    (
        "Gabapentin 10%/Amitriptyline 5%/Capsaicin 0.025% cream",
        ("amitriptyline", "capsaicin", "gabapentin"),
    ),
    ("Cyclobenzaprine 2%/Flurbiprofen 15% ointment", ("cyclobenzaprine", "flurbiprofen")),
    ("Tramadol 8%/Gabapentin 10%/Menthol 2% cream", ("gabapentin", "menthol", "tramadol")),
    ("Diclofenac 10%/Lidocaine 4% compounded cream", ("diclofenac", "lidocaine")),
)
COMPOUND_WEIGHTS: tuple[str, ...] = ("120gm", "180gm", "240gm", "30gm", "60gm")
COMPOUND_CLASS = "Topical Compounds"

# Printed frequencies, as written after the quantity, and as the parser reports them.
FREQUENCY_TRUTH: dict[str, str] = {"PRN": "as needed"}
FREQUENCIES: tuple[str, ...] = (
    "BID",
    "TID",
    "QHS",
    "QD",
    "PRN",
    "every 12 hours",
    "every 8 hours",
    "twice daily",
    "three times daily",
    "at bedtime",
)

# --- non-drug treatments -------------------------------------------------------------------

REGIONS_SPINE: tuple[str, ...] = ("lumbar spine", "cervical spine", "thoracic spine")
REGIONS_JOINT: tuple[str, ...] = (
    "right knee",
    "left knee",
    "right shoulder",
    "left shoulder",
    "right wrist",
    "left wrist",
    "right hip",
    "left hip",
    "right ankle",
    "left ankle",
    "right elbow",
    "left elbow",
)
# Region -> MTUS complaints chapter key (see MTUS_DOCS).
REGION_CHAPTER: dict[str, str] = {
    "lumbar spine": "low_back",
    "thoracic spine": "low_back",
    "cervical spine": "neck",
    "knee": "knee",
    "shoulder": "shoulder",
    "wrist": "hand",
    "elbow": "elbow",
    "hip": "low_back",
    "ankle": "ankle",
    "low back": "low_back",
    "neck": "neck",
}
# ODG chapter wording per MTUS chapter key.
ODG_CHAPTER: dict[str, tuple[str, ...]] = {
    "low_back": ("Low Back Chapter", "Low Back - Lumbar & Thoracic (Acute & Chronic)", "Low Back"),
    "neck": (
        "Neck and Upper Back Chapter",
        "Neck & Upper Back",
        "Neck and Upper Back (Acute & Chronic)",
    ),
    "knee": ("Knee & Leg Chapter", "Knee and Leg", "Knee"),
    "shoulder": ("Shoulder Chapter", "Shoulder"),
    "hand": ("Forearm, Wrist & Hand Chapter", "Forearm, Wrist and Hand"),
    "elbow": ("Elbow Chapter", "Elbow"),
    "ankle": ("Ankle & Foot Chapter", "Ankle and Foot"),
    "pain": ("Pain (Chronic)", "Pain Chapter", "Pain"),
    "stress": ("Mental Illness & Stress", "Mental Illness and Stress Chapter"),
}

IMAGING: tuple[tuple[str, str], ...] = (
    # (printed modality, ODG topic)
    ("MRI", "Magnetic resonance imaging (MRI)"),
    ("MRI", "MRIs (magnetic resonance imaging)"),
    ("Open MRI", "Magnetic resonance imaging (MRI)"),
    ("CT scan", "Computed tomography (CT)"),
    ("X-rays", "Radiography (x-rays)"),
    ("X-ray", "Radiography (x-rays)"),
)
CONTRAST: tuple[str, ...] = ("", "", "", " without contrast", " with and without contrast")

THERAPIES: tuple[tuple[str, str, str], ...] = (
    # (printed name, DWC subcategory, topic)
    ("Physical therapy", "Physical Therapy/Occupational Therapy (PT/OT)", "pt"),
    ("Occupational therapy", "Physical Therapy/Occupational Therapy (PT/OT)", "pt"),
    ("Aquatic therapy", "Physical Therapy/Occupational Therapy (PT/OT)", "pt"),
    ("Chiropractic treatment", "Chiropractic", "chiro"),
    ("Chiropractic manipulation", "Chiropractic", "chiro"),
    ("Acupuncture", "Acupuncture", "acupuncture"),
    ("Electroacupuncture", "Acupuncture", "acupuncture"),
    ("Massage therapy", "Other Therapies", "pt"),
)
# Printed frequencies and the sessions they add up to.
THERAPY_DOSES: tuple[tuple[str, int], ...] = (
    ("2 x 4", 8),
    ("2 x 6", 12),
    ("3 x 4", 12),
    ("1 x 6", 6),
    ("2x3", 6),
    ("twice a week for six weeks", 12),
    ("twice a week for four weeks", 8),
    ("2 times a week for 6 weeks", 12),
    ("3 times a week for 4 weeks", 12),
    ("8 sessions", 8),
    ("12 sessions", 12),
    ("6 sessions", 6),
    ("x 6 visits", 6),
)

SPINE_LEVELS: tuple[str, ...] = ("L3-4", "L4-5", "L5-S1", "C5-6", "C6-7", "C4-5", "L4-L5", "L5-S1")

# (template, category, subcategory, topic, chapter). {region} {side} {level} are filled.
OTHER_TREATMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "EMG/NCV of the bilateral lower extremities",
        "Diagnostic Testing",
        "EMG/NCV/NCS",
        "emg",
        "low_back",
    ),
    (
        "EMG/NCV of the bilateral upper extremities",
        "Diagnostic Testing",
        "EMG/NCV/NCS",
        "emg",
        "neck",
    ),
    ("EMG/NCS of the {side} upper extremity", "Diagnostic Testing", "EMG/NCV/NCS", "emg", "neck"),
    ("NCV of the {side} lower extremity", "Diagnostic Testing", "EMG/NCV/NCS", "emg", "low_back"),
    ("Urine drug screen", "Diagnostic Testing", "Lab & Pathology", "uds", "pain"),
    ("Urine toxicology screening", "Diagnostic Testing", "Lab & Pathology", "uds", "pain"),
    (
        "Functional capacity evaluation",
        "Diagnostic Testing",
        "Other Diagnostic Tests",
        "fce",
        "general",
    ),
    (
        "{side_cap} {level} transforaminal epidural steroid injection",
        "Injection",
        "Injection",
        "esi",
        "low_back",
    ),
    ("Lumbar epidural steroid injection at {level}", "Injection", "Injection", "esi", "low_back"),
    ("Cervical epidural steroid injection at {level}", "Injection", "Injection", "esi", "neck"),
    ("Bilateral {level} lumbar facet block", "Injection", "Facet Injection", "facet", "low_back"),
    ("{side_cap} {level} medial branch block", "Injection", "Facet Injection", "facet", "low_back"),
    (
        "{side_cap} knee arthroscopy with partial meniscectomy",
        "Surgery",
        "Arthroscopic Surgery",
        "surgery_joint",
        "knee",
    ),
    (
        "{side_cap} shoulder arthroscopic subacromial decompression",
        "Surgery",
        "Arthroscopic Surgery",
        "surgery_joint",
        "shoulder",
    ),
    (
        "{side_cap} carpal tunnel release",
        "Surgery",
        "Non-arthroscopic Surgery",
        "surgery_joint",
        "hand",
    ),
    (
        "Posterior lumbar interbody fusion at {level}",
        "Surgery",
        "Spine",
        "surgery_spine",
        "low_back",
    ),
    (
        "Anterior cervical discectomy and fusion at {level}",
        "Surgery",
        "Spine",
        "surgery_spine",
        "neck",
    ),
    ("Assistant surgeon", "Surgery", "Adjunct Surgical Services", "surgery_adjunct", "low_back"),
    ("Spine surgery consultation", "Surgery", "Surgical Consult", "consult", "low_back"),
    (
        "Orthopedic surgeon consultation for the {side} knee",
        "Surgery",
        "Surgical Consult",
        "consult",
        "knee",
    ),
    ("TENS unit", "DMEPOS", "Electrical Stimulation", "tens", "pain"),
    ("TENS unit, 30 day trial", "DMEPOS", "Electrical Stimulation", "tens", "pain"),
    ("Interferential unit rental", "DMEPOS", "Electrical Stimulation", "tens", "pain"),
    ("Lumbar support brace", "DMEPOS", "Prosthetics/Orthotics", "brace", "low_back"),
    ("{side_cap} knee brace", "DMEPOS", "Prosthetics/Orthotics", "brace", "knee"),
    ("{side_cap} wrist splint", "DMEPOS", "Prosthetics/Orthotics", "brace", "hand"),
    ("Cold therapy unit", "DMEPOS", "DME", "dme", "knee"),
    ("Home exercise kit", "DMEPOS", "Supplies", "dme", "low_back"),
    ("TENS unit electrodes", "DMEPOS", "Supplies", "tens", "pain"),
    ("Functional restoration program", "Programs", "Programs", "frp", "pain"),
    ("Functional restoration program, 80 hours", "Programs", "Programs", "frp", "pain"),
    ("Work hardening program", "Programs", "Programs", "frp", "pain"),
    ("Psychological evaluation", "Psych Services", "Evaluation & Management", "psych", "stress"),
    ("Psychiatric consultation", "Psych Services", "Evaluation & Management", "psych", "stress"),
    ("Cognitive behavioral therapy, 6 sessions", "Psych Services", "Therapies", "psych", "stress"),
    ("Biofeedback sessions x 4", "Psych Services", "Therapies", "psych", "stress"),
    (
        "Pain management consultation",
        "Evaluation & Management",
        "Medical Specialties",
        "consult",
        "pain",
    ),
    (
        "Follow-up visit with the pain specialist",
        "Evaluation & Management",
        "Medical Specialties",
        "consult",
        "pain",
    ),
    (
        "Internal medicine consultation",
        "Evaluation & Management",
        "Medical Specialties",
        "consult",
        "general",
    ),
    (
        "Home health aide 4 hours a day, 5 days a week",
        "Home Health",
        "Home Health",
        "home_health",
        "general",
    ),
    ("Home health care evaluation", "Home Health", "Home Health", "home_health", "general"),
    (
        "Transportation to and from medical appointments",
        "Transportation",
        "Transportation",
        "transport",
        "general",
    ),
)

# --- guidelines -----------------------------------------------------------------------------


class MtusDoc(NamedTuple):
    printed_2016: str  # "Low Back Complaints"
    year: int  # edition printed in the 2016 layout
    printed_2014: (
        str  # "ACOEM Chapter 12 Low Back Complaints" or "Chronic Pain Treatment Guidelines"
    )
    acoem: bool  # the 2014 wording names ACOEM ("MTUS ACOEM Chapter 12 ...")
    document: str  # normalised name the parser reports
    sections: tuple[str, ...]  # 2016 "Section(s):" values
    # ACOEM chapters 1-7 are one MTUS document; the chapter named in 2014 is the section.
    section_2014: str = ""


MTUS_DOCS: dict[str, MtusDoc] = {
    "chronic_pain": MtusDoc(
        "Chronic Pain Medical Treatment",
        2016,
        "Chronic Pain Treatment Guidelines",
        False,
        "Chronic Pain Medical Treatment Guidelines",
        (),
    ),
    "low_back": MtusDoc(
        "Low Back Complaints",
        2004,
        "ACOEM Chapter 12 Low Back Complaints",
        True,
        "Low Back Complaints",
        (
            "Special Studies",
            "Physical Methods",
            "Surgical Considerations",
            "Diagnostic Criteria",
            "Summary",
            "Initial Care",
        ),
    ),
    "neck": MtusDoc(
        "Neck and Upper Back Complaints",
        2004,
        "ACOEM Chapter 8 Neck and Upper Back Complaints",
        True,
        "Neck and Upper Back Complaints",
        (
            "Special Studies",
            "Initial Care",
            "Physical Methods",
            "Summary",
            "Surgical Considerations",
        ),
    ),
    "knee": MtusDoc(
        "Knee Complaints",
        2004,
        "ACOEM Chapter 13 Knee Complaints",
        True,
        "Knee Complaints",
        ("Special Studies", "Initial Care", "Surgical Considerations", "Summary"),
    ),
    "shoulder": MtusDoc(
        "Shoulder Complaints",
        2004,
        "ACOEM Chapter 9 Shoulder Complaints",
        True,
        "Shoulder Complaints",
        ("Special Studies", "Initial Care", "Surgical Considerations", "Activity Modification"),
    ),
    "hand": MtusDoc(
        "Forearm, Wrist, and Hand Complaints",
        2004,
        "ACOEM Chapter 11 Forearm, Wrist, and Hand Complaints",
        True,
        "Forearm, Wrist, and Hand Complaints",
        ("Special Studies", "Initial Care", "Surgical Considerations"),
    ),
    "elbow": MtusDoc(
        "Elbow Complaints",
        2007,
        "ACOEM Chapter 10 Elbow Complaints",
        True,
        "Elbow Complaints",
        ("Special Studies", "Initial Care", "Surgical Considerations"),
    ),
    "ankle": MtusDoc(
        "Ankle and Foot Complaints",
        2004,
        "ACOEM Chapter 14 Ankle and Foot Complaints",
        True,
        "Ankle and Foot Complaints",
        ("Special Studies", "Diagnostic Criteria", "Summary"),
    ),
    "general": MtusDoc(
        "General Approaches",
        2004,
        "ACOEM Chapter 7 Independent Medical Examinations and Consultations",
        True,
        "General Approaches",
        (
            "Initial Approaches to Treatment",
            "General Approach to Initial Assessment and Documentation",
        ),
        "Independent Medical Examinations and Consultations",
    ),
    "stress": MtusDoc(
        "Stress-Related Conditions",
        2004,
        "ACOEM Chapter 15 Stress Related Conditions",
        True,
        "Stress-Related Conditions",
        ("General Approach", "Follow-up Visits"),
    ),
    "acupuncture": MtusDoc(
        "Acupuncture Treatment",
        2007,
        "Acupuncture Treatment Guidelines",
        False,
        "Acupuncture Medical Treatment Guidelines",
        (),
    ),
    "opioid_2016": MtusDoc(
        "Opioid Treatment",
        2016,
        "",
        False,
        "Opioids Treatment Guidelines",
        (
            "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of Chronic Opioid Treatment",
            "3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment",
        ),
    ),
}

# Chronic Pain guideline topics: (section as printed, pages in the 2009 book). Per treatment topic.
CHRONIC_PAIN_TOPICS: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "opioids": (
        ("Opioids, criteria for use", (76, 77, 78, 79, 80)),
        ("Opioids, specific drug list", (91,)),
        ("On-going management", (78,)),
        ("Opioids", (74, 75, 76, 77, 78, 79, 80, 81, 82)),
    ),
    "benzo": (("Benzodiazepines", (24,)),),
    "muscle_relaxant": (
        ("Muscle relaxants (for pain)", (63, 64, 65, 66)),
        ("Cyclobenzaprine (Flexeril)", (41, 42)),
        ("Carisoprodol (Soma)", (29,)),
    ),
    "nsaid": (
        ("NSAIDs (non-steroidal anti-inflammatory drugs)", (67, 68, 69, 70, 71, 72, 73)),
        ("NSAIDs, specific drug list & adverse effects", (70,)),
    ),
    "ppi": (("NSAIDs, GI symptoms & cardiovascular risk", (68, 69)),),
    "aed": (
        ("Anti-epilepsy drugs (AEDs)", (16, 17, 18)),
        ("Antiepilepsy drugs (AEDs)", (16, 17, 18, 19, 20, 21, 22)),
    ),
    "antidepressant": (
        ("Antidepressants for chronic pain", (13, 14, 15, 16)),
        ("Duloxetine (Cymbalta)", (43, 44)),
    ),
    "topical": (("Topical analgesics", (111, 112, 113)), ("Lidoderm (lidocaine patch)", (56, 57))),
    "compound": (("Topical analgesics", (111, 112, 113)),),
    "uds": (("Drug testing", (43,)), ("Opioids, steps to avoid misuse/addiction", (94,))),
    "pt": (("Physical medicine treatment", (98, 99)),),
    "chiro": (("Manual therapy & manipulation", (58, 59, 60)),),
    "tens": (
        ("TENS, chronic pain (transcutaneous electrical nerve stimulation)", (114, 115, 116)),
        ("Interferential current stimulation (ICS)", (118, 119, 120)),
    ),
    "frp": (
        ("Functional restoration programs (FRPs)", (30, 31, 32)),
        ("Chronic pain programs (functional restoration programs)", (30, 31, 32)),
    ),
    "psych": (
        ("Psychological evaluations", (100, 101)),
        ("Behavioral interventions", (23,)),
        ("Psychological treatment", (101, 102)),
    ),
    "esi": (("Epidural steroid injections (ESIs)", (46,)),),
    "consult": (("Office visits", ()),),
    "home_health": (("Home health services", (51,)),),
    "sleep": (),
    "other_drug": (),
}

# ODG topic per treatment topic (printed after the chapter).
ODG_TOPICS: dict[str, tuple[str, ...]] = {
    "opioids": ("Opioids", "Opioids, criteria for use"),
    "benzo": ("Benzodiazepines",),
    "muscle_relaxant": ("Muscle relaxants (for pain)", "Cyclobenzaprine (Flexeril)"),
    "nsaid": ("NSAIDs (non-steroidal anti-inflammatory drugs)",),
    "ppi": ("Proton pump inhibitors (PPIs)",),
    "aed": ("Anti-epilepsy drugs (AEDs) for pain",),
    "antidepressant": ("Antidepressants for chronic pain",),
    "sleep": ("Insomnia treatment", "Zolpidem (Ambien)"),
    "topical": ("Lidoderm (lidocaine patch)", "Topical analgesics"),
    "compound": ("Compound creams", "Topical analgesics, compounded"),
    "other_drug": ("Medications for chronic pain",),
    "uds": ("Urine drug testing (UDT)",),
    "fce": ("Functional capacity evaluation (FCE)",),
    "pt": ("Physical therapy", "Physical medicine treatment"),
    "chiro": ("Manipulation", "Chiropractic guidelines"),
    "acupuncture": ("Acupuncture",),
    "esi": ("Epidural steroid injections (ESIs), therapeutic",),
    "facet": (
        "Facet joint diagnostic blocks (injections)",
        "Facet joint medial branch blocks (therapeutic injections)",
    ),
    "emg": (
        "Electrodiagnostic studies (EDS)",
        "Nerve conduction studies (NCS)",
        "EMGs (electromyography)",
    ),
    "surgery_joint": (
        "Indications for surgery",
        "Meniscectomy",
        "Surgery for impingement syndrome",
    ),
    "surgery_spine": ("Fusion (spinal)", "Discectomy/laminectomy"),
    "surgery_adjunct": ("Surgical assistant",),
    "tens": ("TENS (transcutaneous electrical nerve stimulation)",),
    "brace": ("Lumbar supports", "Knee brace", "Splints"),
    "dme": ("Durable medical equipment (DME)", "Continuous-flow cryotherapy"),
    "frp": ("Functional restoration programs (FRPs)",),
    "psych": ("Cognitive behavioral therapy (CBT)", "Psychological evaluations"),
    "consult": ("Office visits",),
    "home_health": ("Home health services",),
    "transport": ("Transportation (to & from appointments)",),
}

# --- the MTUS from December 2017 (2018-2024 letters) -----------------------------------------


class Mtus2018Doc(NamedTuple):
    printed: str  # "Low Back Disorders" (the name as the letter prints it, before the year)
    document: str  # the canonical name the parser reports (ingest.citations)
    # (edition year printed, first decision date it is cited on): the ACOEM editions DWC
    # adopted, each from its AD Order's effective date (dates and sources at
    # ingest.normalize.guidelines.ACOEM_2017_EDITIONS).
    editions: tuple[tuple[int, str], ...]
    sections: tuple[str, ...]  # "Section(s):" values; empty: the topic's own (see below)


# The ACOEM-based guidelines of the MTUS for treatment from 1 December 2017, keyed as MTUS_DOCS
# (a 2018 letter cites the guideline that replaced the 2004 chapter of the same key).
MTUS_2018_DOCS: dict[str, Mtus2018Doc] = {
    "chronic_pain": Mtus2018Doc(
        "Chronic Pain Guideline", "Chronic Pain Guideline", ((2017, "2017-12-01"),), ()
    ),
    "opioids": Mtus2018Doc(
        "Opioids Guideline",
        "Opioids Guideline",
        ((2017, "2017-12-01"),),
        ("Opioids for chronic pain", "Urine drug testing", "Opioid tapering"),
    ),
    "low_back": Mtus2018Doc(
        "Low Back Disorders",
        "Low Back Disorders Guideline",
        ((2016, "2017-12-01"), (2019, "2019-08-11"), (2020, "2021-11-23")),
        ("MRI", "Epidural steroid injections", "Physical therapy", "Fusion", "X-rays"),
    ),
    "neck": Mtus2018Doc(
        "Cervical and Thoracic Spine Disorders",
        "Cervical and Thoracic Spine Disorders Guideline",
        ((2016, "2017-12-01"), (2018, "2019-04-18")),
        ("MRI", "Epidural steroid injections", "Physical therapy", "Electrodiagnostic testing"),
    ),
    "knee": Mtus2018Doc(
        "Knee Disorders",
        "Knee Disorders Guideline",
        ((2015, "2017-12-01"), (2019, "2020-09-21")),
        ("MRI", "Arthroscopic meniscectomy", "Physical therapy", "Hyaluronic acid injections"),
    ),
    "shoulder": Mtus2018Doc(
        "Shoulder Disorders",
        "Shoulder Disorders Guideline",
        ((2016, "2017-12-01"),),
        ("MRI", "Subacromial decompression", "Physical therapy", "Glucocorticosteroid injections"),
    ),
    "hand": Mtus2018Doc(
        "Hand, Wrist, and Forearm Disorders",
        "Hand, Wrist, and Forearm Disorders Guideline",
        ((2016, "2017-12-01"), (2019, "2019-04-18")),
        ("Carpal tunnel release", "Splinting", "Electrodiagnostic testing", "MRI"),
    ),
    "elbow": Mtus2018Doc(
        "Elbow Disorders",
        "Elbow Disorders Guideline",
        ((2013, "2017-12-01"), (2018, "2019-04-18")),
        ("Lateral epicondylalgia", "MRI", "Physical therapy"),
    ),
    "ankle": Mtus2018Doc(
        "Ankle and Foot Disorders",
        "Ankle and Foot Disorders Guideline",
        ((2015, "2017-12-01"), (2018, "2019-04-18")),
        ("MRI", "X-rays", "Orthotics", "Physical therapy"),
    ),
    "hip": Mtus2018Doc(
        "Hip and Groin",
        "Hip and Groin Guideline",
        ((2011, "2017-12-01"), (2019, "2019-10-07")),
        ("MRI", "X-rays", "Hip arthroscopy", "Physical therapy"),
    ),
    "general": Mtus2018Doc(
        "Initial Approaches to Treatment",
        "Initial Approaches to Treatment Guideline",
        ((2017, "2017-12-01"),),
        ("Functional capacity evaluation", "Durable medical equipment", "Follow-up visits"),
    ),
    "stress": Mtus2018Doc(
        "Workplace Mental Health Guideline: Depressive Disorders",
        "Workplace Mental Health Guideline",
        ((2020, "2020-09-21"),),
        (),
    ),
}
# The section the parser reports for the mental health module (it names the module).
MENTAL_HEALTH_MODULE = "Depressive Disorders"

# Chronic Pain Guideline (2017) sections per treatment topic; other topics cite it without one.
CHRONIC_PAIN_2017_SECTIONS: dict[str, tuple[str, ...]] = {
    "opioids": ("Opioids", "Opioids for chronic pain"),
    "benzo": ("Benzodiazepines",),
    "muscle_relaxant": ("Muscle relaxants", "Skeletal muscle relaxants"),
    "nsaid": ("NSAIDs", "Nonsteroidal anti-inflammatory drugs"),
    "ppi": ("Proton pump inhibitors",),
    "aed": ("Anticonvulsants", "Gabapentin"),
    "antidepressant": ("Antidepressants", "Duloxetine"),
    "topical": ("Topical lidocaine", "Topical NSAIDs"),
    "compound": ("Compounded topical medications",),
    "uds": ("Urine drug testing",),
    "pt": ("Physical therapy", "Exercise"),
    "chiro": ("Manipulation and mobilization",),
    "tens": ("TENS", "Interferential therapy"),
    "frp": ("Functional restoration programs",),
    "psych": ("Cognitive behavioral therapy", "Psychological evaluation"),
    "esi": ("Epidural steroid injections",),
    "consult": ("Office visits",),
    "home_health": ("Home health services",),
}

# MTUS Drug List versions a 2018-2024 letter can name, each from its effective date (sources at
# ingest.normalize.guidelines.DRUG_LIST_VERSIONS); versions no stored page dates are left out.
DRUG_LIST_VERSIONS: tuple[tuple[str, str], ...] = (
    ("1", "2018-01-01"),
    ("3", "2018-10-01"),
    ("6", "2020-01-15"),
    ("7", "2020-11-01"),
    ("8", "2021-02-01"),
    ("9", "2021-08-01"),
    ("10", "2022-11-01"),
    ("11.1", "2024-02-15"),
    ("12", "2024-11-01"),
)
# A drug's status on the list, as a formulary citation's section names it.
DRUG_LIST_STATUSES: tuple[str, ...] = (
    "Non-Exempt",
    "Non-Exempt",
    "Exempt",
    "Non-Exempt, Special Fill",
)

# ODG editions a 2018-2024 letter may print with the ODG name ("Official Disability
# Guidelines (ODG), 2019, Low Back Chapter"): ODG is updated each year; a letter prints the
# year of the edition it read, at most its own.
ODG_EDITION_LAG: tuple[int, ...] = (0, 0, 1, 1, 2)


# --- reviewers ------------------------------------------------------------------------------

# (printed wording, DWC name). Most reviewers print the DWC name; a few use another wording.
SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("Orthopedic Surgery", "Orthopedic Surgery"),
    ("Orthopedic Surgery", "Orthopedic Surgery"),
    ("Orthopaedic Surgery", "Orthopedic Surgery"),
    ("Physical Medicine & Rehabilitation", "Physical Medicine & Rehabilitation"),
    ("Physical Medicine & Rehabilitation", "Physical Medicine & Rehabilitation"),
    ("Physical Medicine and Rehabilitation", "Physical Medicine & Rehabilitation"),
    ("Pain Management", "Pain Management"),
    ("Pain Medicine", "Pain Management"),
    ("Anesthesiology", "Anesthesiology"),
    ("Family Practice", "Family Practice"),
    ("Family Medicine", "Family Practice"),
    ("Internal Medicine", "Internal Medicine"),
    ("Occupational Medicine", "Occupational Medicine"),
    ("Preventive Medicine", "Preventive Medicine"),
    ("Chiropractic", "Chiropractic"),
    ("Chiropractor", "Chiropractic"),
    ("Psychology", "Psychology"),
    ("Psychiatry", "Psychiatry"),
    ("Neurology", "Neurology"),
    ("Neurological Surgery", "Neurological Surgery"),
    ("Sports Medicine", "Sports Medicine"),
    ("Emergency Medicine", "Emergency Medicine"),
    ("Oriental Medicine", "Oriental Medicine"),
    ("Hand Surgery", "Hand Surgery"),
    ("Podiatric Surgery", "Podiatric Surgery"),
    ("Rheumatology", "Rheumatology"),
    ("Plastic Surgery", "Plastic Surgery"),
    ("Addiction Psychiatry", "Addiction Psychiatry"),
)

STATES: tuple[tuple[str, str], ...] = (
    ("California", "CA"),
    ("California", "CA"),
    ("California", "CA"),
    ("California", "CA"),
    ("Texas", "TX"),
    ("Ohio", "OH"),
    ("New York", "NY"),
    ("Florida", "FL"),
    ("Arizona", "AZ"),
    ("Nevada", "NV"),
    ("Oregon", "OR"),
    ("Washington", "WA"),
    ("Illinois", "IL"),
    ("Pennsylvania", "PA"),
    ("New Jersey", "NJ"),
    ("Maryland", "MD"),
    ("Virginia", "VA"),
    ("West Virginia", "WV"),
    ("North Carolina", "NC"),
    ("South Carolina", "SC"),
    ("Georgia", "GA"),
    ("Colorado", "CO"),
    ("Michigan", "MI"),
    ("Massachusetts", "MA"),
    ("Connecticut", "CT"),
    ("Tennessee", "TN"),
    ("Utah", "UT"),
    ("Wisconsin", "WI"),
    ("Minnesota", "MN"),
    ("Missouri", "MO"),
    ("Indiana", "IN"),
    ("Kentucky", "KY"),
)

# --- case summary phrases (ours) ------------------------------------------------------------

OCCUPATIONS: tuple[str, ...] = (
    "warehouse worker",
    "delivery driver",
    "certified nursing assistant",
    "custodian",
    "correctional officer",
    "school bus driver",
    "grocery clerk",
    "carpenter",
    "cook",
    "office assistant",
    "landscaper",
    "electrician",
    "home care provider",
    "machine operator",
    "firefighter",
    "bank teller",
    "forklift operator",
    "housekeeper",
    "sheet metal worker",
)
MECHANISMS: tuple[str, ...] = (
    "lifting a case of bottled water",
    "stepping down from a truck cab",
    "moving a heavy cabinet with a coworker",
    "slipping on a greasy kitchen floor",
    "falling from the second rung of a stepladder",
    "catching a falling box of paper",
    "pulling a loaded pallet jack",
    "twisting while carrying laundry bags",
    "being struck by a swinging gate",
    "tripping over a hose in the yard",
    "repetitive typing and mouse use",
    "repetitive overhead reaching",
    "a rear-end collision while driving a company van",
    "restraining an agitated client",
    "pushing a stalled cart up a ramp",
    "bending to lift a toddler from a crib",
)
DIAGNOSES: dict[str, tuple[str, ...]] = {
    "lumbar spine": (
        "lumbar strain",
        "lumbar radiculopathy",
        "lumbar disc protrusion",
        "lumbar degenerative disc disease",
        "chronic low back pain",
    ),
    "cervical spine": (
        "cervical strain",
        "cervical radiculopathy",
        "cervical disc displacement",
        "chronic neck pain",
    ),
    "thoracic spine": ("thoracic sprain", "thoracic myofascial pain"),
    "knee": (
        "medial meniscus tear",
        "knee internal derangement",
        "patellofemoral syndrome",
        "knee osteoarthritis",
    ),
    "shoulder": (
        "rotator cuff tendinitis",
        "shoulder impingement syndrome",
        "partial thickness rotator cuff tear",
    ),
    "wrist": ("carpal tunnel syndrome", "wrist sprain", "De Quervain's tenosynovitis"),
    "hip": ("hip bursitis", "hip strain"),
    "ankle": ("ankle sprain", "plantar fasciitis", "ankle tendinitis"),
    "elbow": ("lateral epicondylitis", "cubital tunnel syndrome"),
    "other": (
        "depression",
        "anxiety",
        "insomnia",
        "gastritis",
        "chronic pain syndrome",
        "headaches",
    ),
}
PRIOR_TREATMENTS: tuple[str, ...] = (
    "physical therapy",
    "chiropractic care",
    "acupuncture",
    "a home exercise program",
    "activity modification",
    "medications",
    "a lumbar epidural steroid injection",
    "a TENS unit trial",
    "ice and heat",
    "a brace",
    "trigger point injections",
    "cognitive behavioral therapy",
    "massage",
)
COMPLAINTS: tuple[str, ...] = (
    "constant aching pain rated {p}/10",
    "intermittent sharp pain rated {p}/10",
    "pain rated {p}/10 without medications and {q}/10 with medications",
    "numbness and tingling that comes and goes",
    "stiffness that is worse in the morning",
    "difficulty sleeping because of pain",
    "pain that increases with prolonged sitting",
)
EXAM_FINDINGS: tuple[str, ...] = (
    "tenderness to palpation over the paravertebral muscles",
    "restricted range of motion in all planes",
    "a positive straight leg raise on the {side}",
    "decreased sensation in the {dermatome} dermatome",
    "muscle spasm along the paraspinals",
    "a mildly antalgic gait",
    "4/5 strength with grip testing",
    "a positive Spurling's test",
    "a positive impingement sign",
    "joint line tenderness with a positive McMurray's test",
    "a positive Tinel's sign at the wrist",
    "intact reflexes and normal strength",
    "guarding with lumbar flexion",
    "tenderness over the lateral epicondyle",
)
DERMATOMES: tuple[str, ...] = ("L4", "L5", "S1", "C6", "C7")

# --- rationale phrases (ours) ---------------------------------------------------------------

GUIDELINE_LEADS: dict[str, tuple[str, ...]] = {
    "opioids": (
        "The guidelines support continued opioid therapy only when ongoing review shows pain relief, improved function, appropriate medication use and monitoring for side effects.",
        "Long-term opioid use calls for documented analgesia, activities of daily living, adverse effects and aberrant behavior at each visit.",
    ),
    "benzo": (
        "The guidelines state that benzodiazepines are not recommended for long-term use because efficacy is unproven and there is a risk of dependence; most guidelines limit use to 4 weeks.",
        "Benzodiazepines are not recommended for long-term use, and tolerance to their effects develops quickly.",
    ),
    "muscle_relaxant": (
        "Muscle relaxants are recommended as a second-line option for short-term treatment of acute exacerbations of chronic low back pain.",
        "Non-sedating muscle relaxants may be used with caution for short courses only; efficacy wanes over time.",
    ),
    "nsaid": (
        "NSAIDs are recommended at the lowest dose for the shortest period in patients with moderate to severe pain.",
        "Anti-inflammatory medications are a first-line option, but long-term use calls for monitoring and documented benefit.",
    ),
    "ppi": (
        "A proton pump inhibitor is supported for patients at intermediate or high risk of gastrointestinal events while taking NSAIDs.",
        "Gastrointestinal protection is indicated when risk factors such as age over 65, prior ulcer or bleeding, or high-dose NSAID use are present.",
    ),
    "aed": (
        "Anti-epilepsy drugs are recommended for neuropathic pain; a good response is a 50% reduction in pain and a moderate response is 30%.",
        "Continued use of an antiepileptic agent depends on documented pain relief and functional improvement.",
    ),
    "antidepressant": (
        "Antidepressants are recommended as a first-line option for neuropathic pain and as a possibility for non-neuropathic pain.",
        "Duloxetine is supported for neuropathic pain and depression, with outcomes measured after an adequate trial.",
    ),
    "sleep": (
        "Sleep aids are recommended for short-term treatment of insomnia, generally two to six weeks.",
        "Pharmacologic treatment of insomnia should follow a careful evaluation of the causes of the sleep disturbance.",
    ),
    "topical": (
        "Topical lidocaine is recommended for localized peripheral pain after a trial of first-line therapy such as an antidepressant or an anti-epilepsy drug.",
        "Topical analgesics are largely experimental and are primarily recommended for neuropathic pain when antidepressants and anticonvulsants have failed.",
    ),
    "compound": (
        "Any compounded product that contains at least one drug or drug class that is not recommended is not recommended.",
        "Topical compounds are largely experimental, with few randomized controlled trials to determine efficacy or safety.",
    ),
    "other_drug": (
        "Medication use should be tied to a documented diagnosis and measurable benefit.",
        "The guidelines do not address this medication directly, so other evidence-based sources were considered.",
    ),
    "uds": (
        "Drug testing is recommended as an option to assess for the use or presence of illegal drugs and to monitor adherence in patients on opioids.",
        "The frequency of urine drug testing should follow the patient's risk stratification for aberrant behavior.",
    ),
    "fce": (
        "A functional capacity evaluation may be considered when case management is hampered by complex issues and the patient is close to maximum medical improvement.",
    ),
    "pt": (
        "Physical medicine guidelines allow for fading of treatment frequency plus active self-directed home physical medicine, with 9-10 visits over 8 weeks for myalgia.",
        "Passive therapy can provide short-term relief, but active therapy and a home exercise program are expected to carry the benefit forward.",
    ),
    "chiro": (
        "Manual therapy is recommended for chronic pain caused by musculoskeletal conditions, with a trial of 6 visits over 2 weeks and up to 18 visits with evidence of objective functional improvement.",
        "Manipulation is supported for low back pain with a time to produce effect of 4 to 6 treatments.",
    ),
    "acupuncture": (
        "Acupuncture is used as an option when pain medication is reduced or not tolerated; the time to produce functional improvement is 3 to 6 treatments.",
        "Acupuncture treatments may be extended only if functional improvement is documented.",
    ),
    "imaging": (
        "Unequivocal objective findings that identify specific nerve compromise on the neurologic examination are sufficient evidence to warrant imaging in patients who do not respond to treatment.",
        "Imaging is recommended when there are red flags, physiologic evidence of tissue insult or neurologic dysfunction, or when surgery is being considered.",
        "Routine imaging is not recommended in the absence of a significant change in symptoms or findings suggestive of significant pathology.",
    ),
    "emg": (
        "Electromyography may be useful to identify subtle focal neurologic dysfunction in patients with symptoms lasting more than three or four weeks.",
        "Electrodiagnostic studies are not necessary when radiculopathy is already clinically obvious.",
    ),
    "esi": (
        "Epidural steroid injections are an option for radicular pain when radiculopathy is documented by physical examination and corroborated by imaging or electrodiagnostic testing.",
        "Repeat epidural injections call for at least 50% pain relief with reduced medication use for six to eight weeks.",
    ),
    "facet": (
        "Facet joint diagnostic blocks are limited to patients with low back pain that is non-radicular and at no more than two levels bilaterally.",
        "Invasive techniques such as facet injections are of questionable merit.",
    ),
    "surgery_joint": (
        "Surgical referral is indicated when activity limitation persists for more than one month and there is clear clinical and imaging evidence of a lesion shown to benefit from repair.",
        "Surgery is considered after failure of a conservative program including exercise and activity modification.",
    ),
    "surgery_spine": (
        "Spinal fusion is not recommended in the absence of fracture, dislocation, instability or tumor.",
        "Surgical consideration requires severe and disabling symptoms with clear imaging evidence of a lesion and failure of conservative care.",
    ),
    "surgery_adjunct": (
        "An assistant surgeon is supported for procedures of this complexity according to the surgical assistant guidelines.",
    ),
    "tens": (
        "A one-month home-based TENS trial may be considered as a non-invasive option if used as an adjunct to a program of evidence-based functional restoration.",
        "TENS is not recommended as a primary treatment modality.",
    ),
    "brace": (
        "Lumbar supports have not been shown to have any lasting benefit beyond the acute phase of symptom relief.",
        "Bracing may be used for instability or after surgery, but there is little support for prophylactic use.",
    ),
    "dme": (
        "Durable medical equipment is recommended when it is primarily used to serve a medical purpose and is appropriate for use in the home.",
    ),
    "frp": (
        "Functional restoration programs are recommended for patients with conditions that put them at risk of delayed recovery, after an adequate and thorough evaluation.",
        "Criteria for a functional restoration program include a loss of ability to function independently and motivation to change.",
    ),
    "psych": (
        "Psychological evaluations are well established diagnostic procedures, and cognitive behavioral therapy is recommended with an initial trial of 3-4 visits over 2 weeks.",
        "Behavioral interventions are recommended, with up to 6-10 visits over 5-6 weeks if there is evidence of objective functional improvement.",
    ),
    "consult": (
        "A referral may be appropriate when the diagnosis is uncertain or extremely complex, or when the plan of care may benefit from additional expertise.",
        "Office visits are determined by the patient's concerns, signs and symptoms, clinical stability and reasonable physician judgment.",
    ),
    "home_health": (
        "Home health services are recommended only for medical treatment for patients who are homebound, generally up to no more than 35 hours per week.",
    ),
    "transport": (
        "Transportation to appointments is recommended for patients with disabilities preventing them from self-transport.",
    ),
}
DENIAL_REASONS: tuple[str, ...] = (
    "The records show a lack of documented functional improvement with the prior use of this treatment.",
    "There is no documentation of objective functional gains or a reduction in pain scores to support continued use.",
    "The requested quantity exceeds the recommended number of visits.",
    "The submitted notes describe no evidence of red flags or progressive neurologic deficit.",
    "There was no evidence of failure of a recent trial of conservative care.",
    "No urine drug screen or pain agreement was documented in the records provided.",
    "The request does not specify the frequency or duration of use.",
    "This medication has been prescribed for longer than the short course the guidelines support.",
    "There are no risk factors for gastrointestinal events recorded in the file.",
    "The worker's examination did not show focal findings in a dermatomal distribution.",
    "There is no documentation of a significant change in symptoms since the prior study.",
    "The treating provider did not document the outcome of the previous sessions.",
    "There are no exceptional factors that would support treatment outside of the guidelines.",
)
APPROVAL_REASONS: tuple[str, ...] = (
    "The records document a 40% reduction in pain and improved tolerance for walking and household chores.",
    "The treating physician documented objective neurologic deficits that correlate with the symptoms.",
    "The criteria have been met, as conservative care has failed and the findings are consistent with the diagnosis.",
    "A current urine drug screen was consistent and a signed opioid agreement is on file.",
    "The worker has not had prior sessions of this treatment for the current complaint.",
    "The worker has risk factors for gastrointestinal events with ongoing NSAID use.",
    "There are red flag findings that warrant further evaluation.",
    "The requested quantity is within the recommended trial.",
)
RATIONALE_OPENERS: tuple[str, ...] = (
    "The California MTUS guidelines address this request.",
    "According to the cited guidelines,",
    "Per the guidelines referenced above,",
    "The MTUS guidelines state the following.",
    "In this case,",
)
CLOSERS_UPHELD: tuple[str, ...] = (
    "Therefore, the request for {t} is not medically necessary.",
    "As such, the request for {t} is not medically necessary.",
    "Given the above, the request for {t} is not medically necessary.",
    "Consequently, the request for {t} is not medically necessary.",
)
CLOSERS_OVERTURNED: tuple[str, ...] = (
    "Therefore, the request for {t} is medically necessary.",
    "As such, the request for {t} is medically necessary.",
    "Given the above, the request for {t} is medically necessary.",
)

# --- longer narratives (ours) ---------------------------------------------------------------
# Real case summaries run to 10-20 sentences and real rationales paraphrase the guideline at
# length before turning to the case. These banks lengthen both. They are filled with
# ``str.format_map`` from per-letter values ({He}, {his}, {region}, {p}, {date}, ...; see
# ``synth._Builder.summary``) and never print what a parser reads from a summary: no age with
# "year(s) old", no "injury"/"injured"/"claim" near a date, no "upheld"/"overturned", no
# "guideline:" or "rationale:" labels, no capitalised section titles.

# Numbers a narrative prints, one drawn per letter for each name ({n} visits, {m} months, ...).
NARRATIVE_VALUES: dict[str, tuple[int | str, ...]] = {
    "n": (8, 10, 12, 12, 16, 18, 20, 24),  # prior therapy visits
    "n2": (3, 4, 6, 6, 8),  # a short course
    "m": (3, 4, 6, 8, 9, 12, 18, 24),  # months on a medication
    "w": (2, 3, 4, 6, 8),  # weeks of relief
    "pct": (30, 40, 50, 60, 70, 80),  # percent relief
    "mm": (2, 3, 4, 5, 6),  # disc protrusion or tear size
    "a": (30, 35, 40, 45, 50, 60),  # degrees
    "b": (5, 10, 15, 20, 25),  # degrees
    "kf": (90, 100, 110, 115, 120),  # knee or hip flexion
    "sf": (100, 110, 120, 130, 140),  # shoulder flexion
    "sa": (80, 90, 100, 110, 120),  # shoulder abduction
    "phalen": (15, 20, 30, 40),  # seconds
    "g1": (12, 15, 18, 20, 22),  # grip, kg, affected side
    "g2": (26, 28, 30, 34, 38),  # grip, kg, other side
    "bp": ("128/82", "136/88", "142/90", "118/76", "124/80"),
    "bmi": ("27.4", "31.2", "34.8", "29.1", "38.5", "24.6"),
    "sit": (10, 15, 20, 30),  # minutes
    "lift": (10, 15, 20, 25),  # pounds
    "pdq": (68, 84, 96, 112, 124),  # pain disability questionnaire
    "phq": (9, 12, 14, 17, 19),  # depression screening score
}
# Pronouns by "is male".
PRONOUNS: dict[bool, dict[str, str]] = {
    True: {"He": "He", "he": "he", "His": "His", "his": "his", "him": "him"},
    False: {"He": "She", "he": "she", "His": "Her", "his": "her", "him": "her"},
}

# Disc levels by spine region, for imaging findings and surgical history.
SPINE_LEVELS_BY_REGION: dict[str, tuple[str, ...]] = {
    "lumbar spine": ("L3-L4", "L4-L5", "L5-S1"),
    "cervical spine": ("C4-C5", "C5-C6", "C6-C7"),
    "thoracic spine": ("T6-T7", "T8-T9", "T11-T12"),
}
# Imaging modalities by region kind, as the subject of "... dated <date> showed <finding>".
IMAGING_SUBJECTS_SPINE: tuple[str, ...] = ("An MRI", "An MRI", "A CT scan", "X-rays", "An open MRI")
IMAGING_SUBJECTS_JOINT: tuple[str, ...] = (
    "An MRI",
    "An MRI",
    "X-rays",
    "A diagnostic ultrasound",
    "An MR arthrogram",
)
IMAGING_FINDINGS: dict[str, tuple[str, ...]] = {
    "lumbar spine": (
        "a {mm} mm broad-based disc protrusion at {level} contacting the descending nerve root",
        "disc desiccation at {level} with moderate bilateral facet hypertrophy",
        "mild central canal narrowing at {level} and moderate {side} neural foraminal narrowing",
        "a grade I anterolisthesis at {level} without motion on flexion and extension views",
        "multilevel degenerative change, most marked at {level}, with an annular fissure",
        "preserved vertebral body heights and no fracture, with mild disc space narrowing at {level}",
    ),
    "cervical spine": (
        "a {mm} mm posterior disc osteophyte complex at {level} effacing the ventral thecal sac",
        "straightening of the normal lordosis and uncovertebral spurring at {level}",
        "moderate {side} foraminal stenosis at {level} without cord signal change",
        "mild disc bulging at {level} and no central stenosis",
        "loss of disc height at {level} with small anterior osteophytes",
    ),
    "thoracic spine": (
        "a small central disc herniation at {level} without cord compression",
        "mild spondylosis of the mid thoracic segments and no compression deformity",
        "Schmorl's nodes at {level} and otherwise unremarkable alignment",
        "mild dextroscoliosis and degenerative endplate change at {level}",
    ),
    "knee": (
        "a horizontal tear of the posterior horn of the medial meniscus with a small joint effusion",
        "grade 3 chondromalacia of the medial femoral condyle and patellar facets",
        "tricompartmental joint space narrowing with marginal osteophytes",
        "a partial tear of the anterior cruciate ligament and bone marrow edema in the lateral tibial plateau",
        "a small popliteal cyst and mild prepatellar soft tissue swelling",
    ),
    "shoulder": (
        "a partial thickness articular surface tear of the supraspinatus tendon",
        "supraspinatus tendinosis with a type II acromion and subacromial bursitis",
        "degenerative fraying of the superior labrum and acromioclavicular joint arthrosis",
        "a full thickness tear of the supraspinatus measuring {mm} mm with mild retraction",
        "mild infraspinatus tendinopathy and a small amount of fluid in the subdeltoid bursa",
    ),
    "wrist": (
        "a small dorsal ganglion cyst and mild tenosynovitis of the first extensor compartment",
        "a central perforation of the triangular fibrocartilage complex",
        "mild radiocarpal degenerative change and no fracture",
        "flattening of the median nerve at the level of the hamate hook",
    ),
    "hip": (
        "trochanteric bursitis and gluteus medius tendinosis",
        "mild joint space narrowing with a small anterosuperior labral tear",
        "a cam-type morphology of the femoral head-neck junction",
        "early degenerative arthritis without avascular necrosis",
    ),
    "ankle": (
        "a partial tear of the anterior talofibular ligament with soft tissue swelling",
        "thickening of the plantar fascia at its calcaneal origin",
        "peroneal tenosynovitis and a small talar dome osteochondral lesion",
        "mild tibiotalar degenerative change and a small plantar calcaneal spur",
    ),
    "elbow": (
        "common extensor tendinosis with a small partial interstitial tear",
        "thickening of the ulnar nerve within the cubital tunnel",
        "mild joint degenerative change and a small olecranon spur",
        "common flexor tendon thickening without a discrete tear",
    ),
}
IMAGING_SENTENCES: tuple[str, ...] = (
    "{subject} of the {region} dated {date} showed {finding}.",
    "{subject} of the {region} obtained on {date} revealed {finding}.",
    "{subject} of the {region} performed {date} was read as showing {finding}.",
    "The report of {subject_lower} of the {region} from {date} describes {finding}.",
)
# Electrodiagnostic results, by limb pair.
EDX_FINDINGS_UPPER: tuple[str, ...] = (
    "showed mild to moderate {side} median neuropathy at the wrist",
    "were read as normal, with no evidence of cervical radiculopathy",
    "suggested a chronic {side} C6 radiculopathy without active denervation",
    "showed slowing of the {side} ulnar nerve across the elbow",
)
EDX_FINDINGS_LOWER: tuple[str, ...] = (
    "were read as normal, without evidence of lumbosacral radiculopathy",
    "showed a chronic {side} L5 radiculopathy",
    "suggested a mild sensory peripheral polyneuropathy",
    "showed borderline findings for a {side} S1 radiculopathy",
)
EDX_SENTENCES: tuple[str, ...] = (
    "Electrodiagnostic studies of the {limbs} performed on {date} {edx}.",
    "EMG and nerve conduction testing of the {limbs} dated {date} {edx}.",
)
# Surgical history, by region key; {side} {level} {year} filled.
SURGERIES: dict[str, tuple[str, ...]] = {
    "lumbar spine": ("a {level} microdiscectomy in {year}", "a {level} laminotomy in {year}"),
    "cervical spine": ("an anterior cervical discectomy and fusion at {level} in {year}",),
    "thoracic spine": (),
    "knee": (
        "a {side} knee arthroscopy in {year}",
        "a {side} partial medial meniscectomy in {year}",
    ),
    "shoulder": (
        "a {side} shoulder arthroscopy with debridement in {year}",
        "a {side} rotator cuff repair in {year}",
    ),
    "wrist": (
        "a {side} carpal tunnel release in {year}",
        "a {side} first dorsal compartment release in {year}",
    ),
    "hip": ("a {side} hip arthroscopy in {year}",),
    "ankle": ("a {side} lateral ankle ligament repair in {year}",),
    "elbow": (
        "a {side} lateral epicondyle debridement in {year}",
        "a {side} ulnar nerve transposition in {year}",
    ),
}
SURGERY_SENTENCES: tuple[str, ...] = (
    "Surgical history is notable for {surgery}.",
    "{He} underwent {surgery}, with partial improvement afterwards.",
    "Past surgery related to this condition includes {surgery}.",
)
UNRELATED_HISTORY: tuple[str, ...] = (
    "Past medical history includes hypertension and type 2 diabetes.",
    "Past medical history is significant for hypertension and hyperlipidemia.",
    "{He} has a history of gastroesophageal reflux and seasonal allergies.",
    "{His} medical history also includes asthma, controlled with an inhaler.",
    "{He} reports smoking about half a pack of cigarettes a day.",
    "{He} denies tobacco use and drinks alcohol only occasionally.",
    "Past medical history is otherwise unremarkable.",
)
EXTRA_DIAGNOSES: tuple[str, ...] = (
    "myofascial pain syndrome",
    "sleep disturbance secondary to pain",
    "sacroiliac joint dysfunction",
    "adjustment disorder with mixed anxiety and depressed mood",
    "chronic pain syndrome",
    "gastritis attributed to medication use",
    "tension-type headaches",
    "obesity",
    "hypertension",
    "opioid dependence in a managed setting",
)
EXTRA_DIAGNOSIS_SENTENCES: tuple[str, ...] = (
    "Other diagnoses listed by the treating provider include {x1} and {x2}.",
    "The progress reports also list {x1} and {x2}.",
    "Secondary diagnoses carried in the records are {x1} and {x2}.",
)
THERAPY_HISTORY: tuple[str, ...] = (
    "{He} has finished {n} physical therapy visits for the {region}, with benefit that did not last.",
    "Records indicate at least {n} prior physical therapy visits, after which {he} was instructed in a home exercise program.",
    "A course of {n2} chiropractic visits reportedly reduced stiffness for a few days at a time.",
    "{He} attended {n2} acupuncture sessions and described the benefit as minimal.",
    "Prior therapy notes document gains in range of motion that were not maintained once visits stopped.",
    "{He} reports doing home exercises most days of the week but finds them limited by pain.",
    "Aquatic therapy was tried for {n2} sessions and was better tolerated than land-based exercise.",
    "A trial of a TENS unit in therapy gave temporary relief during use only.",
)
INJECTION_HISTORY: tuple[str, ...] = (
    "A {side} {level} transforaminal epidural steroid injection given {m} months earlier provided about {pct}% relief for {w} weeks.",
    "{He} received trigger point injections to the {region} musculature, with relief lasting about a week.",
    "A corticosteroid injection of the {region} reportedly helped for {w} weeks before symptoms returned.",
    "An earlier diagnostic block was reported to give {pct}% relief on the day of the procedure.",
)
MEDICATION_SENTENCES: tuple[str, ...] = (
    "Current medications include {meds}.",
    "The medication list at that time consisted of {meds}.",
    "{He} was taking {meds}.",
    "Medications prescribed by the treating physician were {meds}.",
)
MEDICATION_DURATION: tuple[str, ...] = (
    "{He} has been on this regimen for at least {m} months.",
    "The same medications have been refilled without change for {m} months.",
    "{He} reports that the medications reduce pain enough to allow light household tasks.",
    "{He} reports mild constipation and daytime drowsiness from the medications.",
    "No side effects from the medications were reported.",
    "The notes do not describe the effect of each medication separately.",
)
# Earlier visits, recounted before the most recent one.
EARLIER_VISITS: tuple[str, ...] = (
    "At a visit on {date}, {he} reported pain of {worst}/10 and said the medications were wearing off sooner than before.",
    "A progress report dated {date} noted similar complaints and unchanged examination findings.",
    "When re-evaluated on {date}, {he} had slightly better {region} motion, but the pain persisted.",
    "A note from {date} documented a flare of {region} pain after a period of increased activity at home.",
    "On {date}, the treating physician recorded tenderness and guarding of the {region} and continued the same plan.",
    "At the {date} visit, {he} described sleeping four to five hours a night and rated {his} pain {p}/10.",
)
PAIN_DETAILS: tuple[str, ...] = (
    "Pain was rated {p}/10 on average, {worst}/10 at worst and {best}/10 at best.",
    "The pain radiates into the {side} {limb} with intermittent numbness.",
    "{He} described the pain as burning and aching, worse with prolonged standing and bending.",
    "Symptoms were unchanged since the prior visit.",
    "{He} reported that symptoms had worsened over the previous month.",
    "Without medication the pain reaches {worst}/10, and with medication it is about {best}/10.",
    "{He} denied bowel or bladder changes.",
    "The pain is aggravated by lifting, reaching and sitting for more than {sit} minutes.",
)
FUNCTION_DETAILS: tuple[str, ...] = (
    "{He} reported difficulty with dressing, household chores and sleeping through the night.",
    "{He} can walk for about {sit} minutes before needing to rest.",
    "{He} is independent in self-care but avoids lifting more than ten pounds.",
    "{His} sleep is interrupted two to three times a night by pain.",
    "{He} is no longer able to do yard work or play with {his} children.",
    "A pain disability questionnaire score of {pdq} was recorded.",
)
PSYCH_DETAILS: tuple[str, ...] = (
    "{He} reported low mood, irritability and poor concentration related to ongoing pain.",
    "A depression screening questionnaire score of {phq} was recorded at the visit.",
    "{He} described worry about finances and fear that activity will cause further harm.",
    "{He} denied suicidal thoughts.",
)
# Examination details with measurements, by region key.
EXAM_MEASURES: dict[str, tuple[str, ...]] = {
    "lumbar spine": (
        "Lumbar flexion was limited to {a} degrees and extension to {b} degrees.",
        "Straight leg raising produced pain into the {side} calf at {a} degrees.",
        "Motor strength was 4+/5 in the {side} extensor hallucis longus and 5/5 elsewhere.",
        "Patellar and Achilles reflexes were 1+ and symmetric.",
        "Facet loading was painful bilaterally at the lower lumbar levels.",
    ),
    "thoracic spine": (
        "Thoracic rotation was limited to {b} degrees on the {side}.",
        "There was tenderness over the mid thoracic paraspinals without step-off.",
        "Sensation was intact along the chest wall and trunk.",
    ),
    "cervical spine": (
        "Cervical flexion measured {b} degrees and rotation {a} degrees to the {side}.",
        "Biceps and brachioradialis reflexes were 1+ on the {side} and 2+ on the opposite side.",
        "Grip strength was reduced on the {side}, with 4/5 wrist extension.",
        "There were trigger points in the upper trapezius with a twitch response.",
        "Sensation was diminished over the {side} thumb and index finger.",
    ),
    "knee": (
        "Knee flexion was limited to {kf} degrees, with full extension.",
        "There was a small effusion and crepitus with patellar compression.",
        "Quadriceps strength was 4/5 on the {side}.",
        "Ligament testing showed no laxity to varus or valgus stress.",
        "The {side} thigh measured 2 cm less in circumference than the other side.",
    ),
    "shoulder": (
        "Shoulder flexion was limited to {sf} degrees and abduction to {sa} degrees.",
        "Internal rotation reached only the level of the sacrum.",
        "The Neer and Hawkins tests were positive, and the drop arm test was negative.",
        "External rotation strength was 4/5 with pain.",
    ),
    "wrist": (
        "Phalen's test was positive at {phalen} seconds.",
        "Grip strength by dynamometer averaged {g1} kg on the {side} and {g2} kg on the other hand.",
        "Finkelstein's test was positive, with tenderness over the radial styloid.",
        "Two-point discrimination was 6 mm in the median nerve distribution.",
    ),
    "hip": (
        "Hip flexion was limited to {kf} degrees with pain on internal rotation.",
        "There was tenderness over the greater trochanter.",
        "FABER testing reproduced groin pain on the {side}.",
    ),
    "ankle": (
        "Ankle dorsiflexion was limited to {b} degrees.",
        "There was tenderness over the anterior talofibular ligament and mild swelling.",
        "Single-leg stance was unsteady on the {side}.",
    ),
    "elbow": (
        "Resisted wrist extension reproduced lateral elbow pain.",
        "Tinel's sign was positive at the cubital tunnel.",
        "Elbow range of motion was full but painful at end range.",
    ),
}
VITALS: tuple[str, ...] = (
    "Blood pressure was {bp} mmHg and body mass index was {bmi}.",
    "{He} appeared in mild distress and changed position frequently during the interview.",
    "Gait was slow and guarded, and {he} was able to heel and toe walk with effort.",
    "{He} ambulated with a single-point cane.",
)
UDS_FINDINGS: tuple[str, ...] = (
    "A urine drug screen collected on {date} was consistent with the prescribed medications.",
    "A urine drug screen from {date} was negative for the prescribed opioid, and this was not discussed in the notes.",
    "A urine drug screen on {date} detected an unprescribed benzodiazepine.",
    "The most recent urine drug screen, dated {date}, was consistent.",
    "A controlled substance agreement is on file, and the state prescription database was checked on {date}.",
)
WORK_STATUS: tuple[str, ...] = (
    "{He} remains off work.",
    "{He} is working modified duty with no lifting over {lift} pounds.",
    "Work status was temporarily totally disabled.",
    "{He} returned to full duty but reports difficulty keeping up with the job.",
    "{He} has been found permanent and stationary and is not currently working.",
    "{He} was placed on restrictions of no repetitive bending or overhead work, which the employer could not accommodate.",
    "{He} works part time in a modified position.",
)
PROVIDER_REASONS: tuple[str, ...] = (
    "The treating physician stated that the request was intended to maintain function and allow {him} to continue a home exercise program.",
    "According to the requesting provider, the goal is to reduce pain enough to permit a return to work.",
    "The provider noted that prior conservative measures had not produced lasting relief.",
    "The physician recommended continuing the current plan and reassessing in four to six weeks.",
    "The provider's note does not state the goal of the requested treatment.",
    "The provider documented a discussion of risks, benefits and alternatives with {him}.",
)
RFA_SENTENCES: tuple[str, ...] = (
    "A Request for Authorization dated {date} was submitted with the progress report.",
    "The Request for Authorization was received on {date}.",
    "The request form dated {date} lists the same items.",
)
PRIOR_REVIEWS: tuple[str, ...] = (
    "An earlier Utilization Review on {date} certified a shorter course of similar treatment.",
    "The same medication was previously modified on {date} to allow for weaning.",
    "A prior request for similar treatment was non-certified on {date}.",
    "Utilization Review on {date} had certified {n2} visits, which were completed.",
)
UR_REASONS: tuple[str, ...] = (
    "The reviewer cited a lack of documented functional improvement.",
    "The reviewer noted that the records did not meet the criteria for the request.",
    "The reviewer found no evidence of a recent trial of conservative care.",
    "The denial letter recommended weaning where appropriate.",
    "The reviewer was unable to reach the treating physician for a discussion.",
    "A peer-to-peer discussion with the requesting physician did not take place.",
)

# Guideline paraphrases per treatment topic: sentences a reviewer adds after the lead.
GUIDELINE_DETAIL: dict[str, tuple[str, ...]] = {
    "opioids": (
        "Each refill should rest on notes that compare current pain with pain before the last dose and record how long relief lasts.",
        "Prescribers are expected to keep a written treatment agreement, order periodic urine drug tests and consult the state prescription monitoring program.",
        "When overall function has not improved, the guidelines favor a taper and discontinuation over continued prescribing.",
        "Daily doses above 120 mg oral morphine equivalents are discouraged unless a pain specialist is involved in the care.",
        "Opioids are not favored as a first-line agent for chronic non-malignant pain, and their benefit over months of use is uncertain.",
        "A return to work, or a clinically meaningful gain in daily activity, is the strongest evidence that ongoing use is worthwhile.",
        "Monitoring should address pain relief, daily activity, side effects and any signs of misuse at every visit.",
    ),
    "benzo": (
        "These agents carry risks of sedation, impaired thinking and falls, and their calming and sleep effects fade with regular use.",
        "Dependence can develop within weeks, and abrupt discontinuation after prolonged use may provoke withdrawal, so a gradual taper is advised.",
        "For chronic anxiety, an antidepressant is usually preferred over a benzodiazepine as a long-term agent.",
        "Combining a benzodiazepine with an opioid raises the risk of respiratory depression and overdose.",
        "Use as a muscle relaxant is not supported because tolerance to that effect appears quickly.",
        "A short course may be reasonable for acute anxiety or brief insomnia, with a plan for stopping stated at the outset.",
    ),
    "muscle_relaxant": (
        "Most studies show no added benefit over NSAIDs alone for back pain, and combining the two offers little further relief.",
        "Drowsiness, dizziness and dependence are common, particularly with carisoprodol, whose metabolite is itself sedating.",
        "A course of two to three weeks is usually the limit, and use beyond that is not supported.",
        "Efficacy is greatest in the first days of treatment and declines afterwards.",
        "These agents are reserved for spasm documented on examination rather than for generalized chronic pain.",
        "Continued use should be tied to an acute flare of symptoms, not to daily maintenance.",
    ),
    "nsaid": (
        "For osteoarthritis and back pain, NSAIDs are reasonable for short-term symptom relief, and no single agent has been shown to work better than another.",
        "All NSAIDs carry warnings for cardiovascular events and gastrointestinal bleeding, and prolonged use can affect kidney function and blood pressure.",
        "Periodic laboratory monitoring, including a blood count and chemistry panel, is suggested during prolonged therapy.",
        "Acetaminophen may be considered first in patients with cardiovascular or kidney risk factors.",
        "For chronic low back pain, NSAIDs have not proven more effective than other analgesics and carry more side effects.",
        "Continued prescribing should be supported by a measurable response, such as better activity tolerance.",
    ),
    "ppi": (
        "Prophylaxis is reasonable with age above 65, a history of peptic ulcer or bleeding, concurrent aspirin, steroid or anticoagulant use, or high or multiple NSAID doses.",
        "Without such risk factors, a proton pump inhibitor is not needed simply because an NSAID is prescribed.",
        "Prolonged proton pump inhibitor use has been linked to hip fracture and other adverse effects.",
        "Dyspepsia caused by an NSAID may instead be managed by stopping or switching the NSAID or adding an H2 blocker.",
        "The notes should describe the specific gastrointestinal complaint or risk that the medication addresses.",
    ),
    "aed": (
        "These drugs are first-line for painful diabetic neuropathy and postherpetic neuralgia, with more limited support for other neuropathic conditions.",
        "The evidence does not support their use for axial low back pain without a neuropathic component.",
        "After titration, the prescriber should record the degree of pain relief, any change in function and side effects.",
        "If pain falls by less than 30%, switching to another agent or adding a second one is suggested.",
        "Sedation, dizziness and swelling of the legs are common and should be checked at each visit.",
        "Gabapentin is also considered for spinal cord injury pain and complex regional pain syndrome.",
    ),
    "antidepressant": (
        "Tricyclic agents are generally tried first unless they are ineffective, poorly tolerated or contraindicated.",
        "Outcome assessment should include pain relief, function, changes in other analgesic use, sleep and psychological status.",
        "Analgesic effects may appear within days to a week, while the effect on mood takes longer.",
        "Selective serotonin reuptake inhibitors have not been shown to help low back pain, though they may treat coexisting depression.",
        "Long-term effectiveness for pain has not been established beyond about twelve weeks in most trials.",
        "When depression is present, the provider should record mood symptoms and their response to treatment.",
    ),
    "sleep": (
        "Zolpidem is approved for short-term treatment of insomnia, usually two to six weeks, and is rarely suitable for long-term use.",
        "Sleep hygiene should be addressed and documented before and during hypnotic therapy.",
        "These medications can be habit-forming and may impair memory and next-day alertness.",
        "The notes should describe sleep onset, sleep maintenance, sleep quality and daytime functioning.",
        "Insomnia lasting beyond several weeks may point to a psychiatric or medical illness that needs its own evaluation.",
    ),
    "topical": (
        "Evidence for topical agents in chronic musculoskeletal pain of the spine, hip or shoulder is limited.",
        "Lidocaine patches are approved only for postherpetic neuralgia, and more research is needed for other neuropathic conditions.",
        "Topical diclofenac is supported for arthritic pain in joints close to the skin, such as the knee, ankle, elbow and hand, for four to twelve weeks.",
        "Topical NSAIDs have not been studied for the spine, hip or shoulder.",
        "A localized neuropathic pain generator should be identified on examination before a topical anesthetic is prescribed.",
        "Among lidocaine products, only the dermal patch has guideline support, and creams, gels and lotions do not.",
    ),
    "compound": (
        "Gabapentin is not supported for topical use, as peer-reviewed studies of that route are lacking.",
        "No muscle relaxant has evidence for use as a topical product.",
        "Each ingredient of a compounded product needs its own support for the condition treated.",
        "Compounded creams are not reviewed by the FDA for safety, absorption or consistency of dose.",
        "Capsaicin is considered only for patients who have not responded to, or cannot tolerate, other treatments.",
        "Topical tramadol and other opioid creams have no established efficacy.",
    ),
    "other_drug": (
        "Medications outside the usual analgesic classes need a clear indication recorded in the treating notes.",
        "Where the MTUS is silent, evidence-based sources such as the ODG and the drug labeling were consulted.",
        "Ondansetron is approved for nausea from chemotherapy, radiation and surgery, not for nausea caused by opioids.",
        "Stool softeners are appropriate as prophylaxis when opioid therapy is started and continued.",
        "Butalbital combinations are not favored for chronic pain because of dependence and rebound headache.",
        "Triptans are supported for migraine, but the diagnosis should be established by the history.",
        "Oral corticosteroids are not supported for chronic pain, and their role in acute radicular pain is debated.",
    ),
    "uds": (
        "Patients at low risk may be tested within six months of starting opioids and then once a year.",
        "Moderate-risk patients are tested two to three times a year, and high-risk patients as often as monthly.",
        "Point-of-care screening should be followed by confirmatory laboratory testing only for unexpected results.",
        "Results should be discussed with the patient and used to adjust the treatment plan.",
        "Testing is not generally indicated for patients who are not taking controlled substances.",
        "Quantitative confirmation of every panel is unnecessary when screening results are as expected.",
    ),
    "fce": (
        "An evaluation is more useful when earlier attempts to go back to work have failed or when medical reports disagree about work precautions.",
        "It should be tailored to a specific job rather than used to decide whether a worker can do work in general.",
        "The evaluation adds little once the worker has returned to work without an ergonomic assessment being planned.",
        "It is most informative once the condition has stabilized and no further treatment is expected.",
        "There is little evidence that such tests predict how a worker will actually perform on the job.",
    ),
    "pt": (
        "For radiculitis, neuritis or neuralgia, about 8 to 10 visits spread over a month are supported.",
        "Active therapy is preferred over passive modalities because it relies on the patient's own effort to restore function.",
        "Treatment beyond the recommended number of visits calls for exceptional circumstances documented in the record.",
        "After formal therapy, patients are expected to continue with an independent home exercise program.",
        "Gains should be measured objectively, for example as improved range of motion, strength or work tolerance.",
        "Aquatic therapy is an optional form of exercise when reduced weight bearing is desirable, as in marked obesity.",
    ),
    "chiro": (
        "Manipulation is not supported for the ankle, foot, forearm, wrist, hand or knee, or for carpal tunnel syndrome.",
        "For flare-ups, one or two visits every four to six months may be needed once the patient has returned to work.",
        "Elective or maintenance care is not considered necessary treatment.",
        "The intended outcome is a measurable gain in function that allows progression to active therapy.",
        "Without objective improvement after the initial trial, further sessions are not supported.",
    ),
    "acupuncture": (
        "Treatment is given one to three times a week, and the usual course lasts one to two months.",
        "It may be used alongside physical rehabilitation or after surgery to hasten recovery.",
        "Functional improvement means a clinically significant gain in daily activities or a reduction in work restrictions, shown in the history and examination.",
        "A trial of three to six sessions should show an effect before further visits are considered.",
        "It may also be used to reduce pain, inflammation and muscle spasm when medication is not tolerated.",
    ),
    "imaging": (
        "Most patients do not need special studies until a month or so of conservative care and watchful waiting has gone by without improvement.",
        "Red flags include signs of fracture, infection, tumor, cauda equina syndrome and progressive neurologic loss.",
        "MRI is preferred after prior surgery or when an anatomic defect must be defined before a procedure.",
        "Repeat imaging is reserved for a marked change in symptoms or for new findings that point to a different pathology.",
        "Plain films are appropriate after trauma, in older patients or to rule out fracture or instability.",
        "Imaging results must be matched with the examination, since abnormal findings are common in people without symptoms.",
        "For the knee and shoulder, MRI is indicated when a meniscal or full-thickness rotator cuff tear is suspected and surgery is being considered.",
    ),
    "emg": (
        "Nerve conduction studies are not supported for low back conditions when there are no signs of peripheral neuropathy.",
        "Electrodiagnostic testing is appropriate to clarify nerve root dysfunction when the examination is equivocal.",
        "For suspected carpal tunnel syndrome, testing is supported when symptoms persist after splinting and activity modification.",
        "Testing both limbs is unnecessary unless the symptoms are bilateral.",
        "If imaging already shows a lesion that explains the findings, electrodiagnostic studies add little.",
    ),
    "esi": (
        "Injections are meant to reduce pain and inflammation so the patient can progress in an active program, and they give no lasting benefit on their own.",
        "Radiculopathy must be shown on examination and confirmed by imaging or electrodiagnostic testing.",
        "The patient should first have tried conservative care, such as exercise, therapy, anti-inflammatory medication and muscle relaxants, without success.",
        "Injections should be done under fluoroscopy, with no more than two nerve root levels treated at one session.",
        "Only one interlaminar level should be injected at a session.",
        "In the therapeutic phase, repeat blocks depend on objective relief and better function, with a general limit of four blocks per region a year.",
    ),
    "facet": (
        "Diagnostic blocks are limited to non-radicular pain, with no more than two levels injected at one session.",
        "Conservative treatment, including home exercise, physical therapy and NSAIDs, should have failed for at least four to six weeks beforehand.",
        "A positive diagnostic response is pain relief of at least 70% lasting as long as the anesthetic is expected to act.",
        "Diagnostic blocks are not suited to levels that have already been fused.",
        "Intra-articular facet injections are not supported as a therapeutic procedure.",
    ),
    "surgery_joint": (
        "Partial meniscectomy is supported when mechanical symptoms such as locking or giving way accompany a tear seen on MRI.",
        "Arthroscopic treatment of degenerative knee disease has not proven better than physical therapy.",
        "Subacromial decompression calls for three to six months of conservative care, including steroid injections, and imaging evidence of impingement.",
        "Carpal tunnel release is supported when symptoms and examination findings are confirmed by nerve conduction testing.",
        "Results are poorer when surgery is done without a lesion on imaging that matches the examination.",
        "Surgery is also considered when exercise programs have failed to restore range of motion and strength.",
    ),
    "surgery_spine": (
        "Discectomy is considered for severe, disabling leg or arm pain in a distribution that matches the imaging, after conservative care has not helped.",
        "Instability on flexion and extension films, spondylolisthesis or a need for wide decompression may support fusion.",
        "Psychological screening before surgery is advised, since psychological factors affect the outcome.",
        "There is no good evidence that fusion alone helps degenerative disc disease without instability.",
        "Electrophysiologic evidence of nerve root dysfunction strengthens the surgical indication.",
        "Cervical surgery is indicated for persistent, severe arm symptoms with matching clinical, imaging and electrodiagnostic findings.",
    ),
    "surgery_adjunct": (
        "The need for an assistant depends on the complexity of the procedure and on published surgical assistant tables.",
        "When the primary procedure is not supported, related services such as an assistant surgeon are not supported either.",
        "Procedures such as spinal fusion usually justify an assistant, while minor arthroscopy usually does not.",
        "The request should identify the procedure and its billing code.",
    ),
    "tens": (
        "A trial should document how often the unit was used and its effect on pain and function.",
        "The unit is supported for neuropathic pain, phantom limb pain, spasticity and multiple sclerosis.",
        "A treatment plan with short- and long-term goals should accompany the request.",
        "Rental is preferred to purchase during the trial period.",
        "Interferential stimulation is not supported as an isolated treatment, and the evidence for it is limited.",
        "Supplies such as electrodes are needed only when the unit itself is supported.",
    ),
    "brace": (
        "Knee braces may help patellar instability, ligament insufficiency or recovery after reconstruction, but are seldom needed for routine problems.",
        "Wrist splinting in a neutral position is a first-line option for carpal tunnel syndrome, especially at night.",
        "Prolonged immobilization can lead to weakness and stiffness.",
        "Lumbar supports are not supported for prevention, and the evidence for them as treatment is weak.",
        "A brace is most useful as part of a rehabilitation program rather than on its own.",
    ),
    "dme": (
        "Equipment should withstand repeated use and be of little use to a person without an illness or injury.",
        "Continuous-flow cryotherapy is supported for up to seven days after surgery, including use at home.",
        "Home exercise can generally be done without specialized equipment.",
        "Items for comfort or convenience are not considered medical equipment.",
        "The request should specify the type of equipment and how it will be used.",
    ),
    "frp": (
        "Candidates should have had a thorough evaluation, including baseline functional testing, and previous treatment should have failed.",
        "Treatment beyond two weeks is not suggested without evidence of demonstrated efficacy.",
        "Poor predictors of success include a strained relationship with the employer, low motivation and high psychosocial distress.",
        "The patient should not be a candidate for surgery or other treatment that would clearly be warranted.",
        "Total treatment generally should not exceed 20 full-day sessions.",
        "Work hardening requires a defined return-to-work goal agreed to by the employer and the employee.",
    ),
    "psych": (
        "Screening for psychosocial risk factors is recommended for patients with persistent pain.",
        "Cognitive behavioral therapy helps patients manage fear of movement, catastrophic thinking and inactivity.",
        "Evaluations are useful to identify psychological barriers to recovery and to plan targeted treatment.",
        "Continuing beyond the initial trial depends on objective functional improvement.",
        "Biofeedback is not supported as a stand-alone treatment but may be part of a behavioral program.",
        "Medication management visits should be scheduled according to symptom severity and medication changes.",
    ),
    "consult": (
        "How often a patient is seen should follow the clinical picture, including the stability of symptoms and the medications that need monitoring.",
        "A consultation is meant to help with diagnosis, prognosis or treatment, or to assess fitness to return to work.",
        "Surgical referral is appropriate for a clear lesion on imaging that matches the examination and has not responded to conservative care.",
        "The referring provider should state the question the consultant is asked to answer.",
        "Repeat specialty visits should show how the prior consultation changed the plan of care.",
    ),
    "home_health": (
        "Homemaker services such as shopping, cleaning and laundry, and personal care such as bathing and dressing, are not medical treatment when they are the only care needed.",
        "Homebound status must be documented, meaning that leaving home takes considerable and taxing effort.",
        "An evaluation should identify the skilled services needed and how long they will be needed.",
        "Family members may help with daily activities when no medical care is needed.",
    ),
    "transport": (
        "It applies to patients who cannot drive or use public transportation because of their condition.",
        "The record should explain why the patient cannot arrange transportation.",
        "Family members or public transportation are expected to be used when available.",
        "Transportation for routine visits within the same community is generally not covered.",
    ),
}
# Treatment topic -> family of case facts.
TOPIC_FAMILY: dict[str, str] = {
    "opioids": "drug", "benzo": "drug", "muscle_relaxant": "drug", "nsaid": "drug", "ppi": "drug",
    "aed": "drug", "antidepressant": "drug", "sleep": "drug", "topical": "drug", "compound": "drug",
    "other_drug": "drug", "pt": "therapy", "chiro": "therapy", "acupuncture": "therapy",
    "imaging": "diagnostic", "emg": "diagnostic", "uds": "diagnostic", "fce": "diagnostic",
    "esi": "injection", "facet": "injection", "surgery_joint": "surgery", "surgery_spine": "surgery",
    "surgery_adjunct": "surgery", "consult": "surgery", "tens": "equipment", "brace": "equipment",
    "dme": "equipment", "frp": "program", "psych": "program", "home_health": "program",
    "transport": "program",
}  # fmt: skip
CASE_RECAPS: tuple[str, ...] = (
    "The worker continues to report {region} pain rated {p}/10.",
    "The most recent report describes ongoing {region} symptoms with limited tolerance for standing and walking.",
    "The submitted records cover several months of treatment for {region} complaints.",
    "The treating notes describe {dx} with persistent symptoms.",
    "The records reviewed include progress reports from the primary treating physician and the prior review.",
    "The worker's main complaint remains {region} pain that limits work and household activity.",
)
CASE_FACTS_UPHELD: dict[str, tuple[str, ...]] = {
    "drug": (
        "The recent notes list the medication at each visit but do not show how pain or function changed after it was started.",
        "The worker has used this medication for at least {m} months, longer than the guidelines contemplate.",
        "Pain was rated {p}/10 at the last two visits, essentially unchanged from earlier reports.",
        "There is no record that side effects were reviewed, and no trial of an alternative agent is mentioned.",
        "The progress notes repeat the same complaints and examination findings without measurable gains.",
        "No specific activity that improved with the medication is described.",
    ),
    "therapy": (
        "The records show that at least {n} sessions have already been completed for this condition.",
        "The notes do not report the number of prior visits or any measurable change in strength, range of motion or work status.",
        "By now the worker should be able to continue with an independent home program.",
        "Added to the visits already completed, the request would exceed the recommended total.",
        "Pain remains {p}/10 after the prior course, without clear functional gains.",
    ),
    "diagnostic": (
        "The examination of the {region} described in the records shows no new deficits.",
        "Symptoms have been stable for months, and a prior study already addresses the question.",
        "The notes do not explain how the result would change the treatment plan.",
        "No red flags are described, and conservative care for the current flare has not been tried.",
    ),
    "injection": (
        "The records do not describe a dermatomal pattern of symptoms or matching neurologic deficits.",
        "Relief after the previous injection was described only as partial and lasted about {w} weeks, without less medication use.",
        "Imaging does not show nerve root compression at the requested level.",
        "Nothing shows that the worker is taking part in an active program alongside the injection.",
    ),
    "surgery": (
        "The imaging findings do not clearly match the examination.",
        "There is no record of a recent course of conservative treatment directed at the {region}.",
        "No psychological screening or preoperative evaluation is documented.",
        "The recent notes do not describe mechanical symptoms or progressive weakness.",
    ),
    "equipment": (
        "The records do not describe a successful trial of the device or how often it would be used.",
        "There is no explanation of how the item would improve function or fit into an active program.",
        "The request does not state whether the item is for rental or purchase, or for how long.",
    ),
    "program": (
        "The records do not include a baseline functional assessment or a statement of the worker's motivation.",
        "The worker has been off work for more than two years, a negative predictor that is not addressed.",
        "The request does not describe specific goals, frequency or expected duration.",
        "There is no documentation of current psychological symptoms or of the response to prior treatment.",
    ),
}
CASE_FACTS_OVERTURNED: dict[str, tuple[str, ...]] = {
    "drug": (
        "The notes document that pain falls from {p}/10 to {best}/10 with the medication, and the worker walks farther and sleeps better.",
        "The worker has had no adverse effects, and the medication has allowed a return to modified work.",
        "The prescriber recently lowered the dose and documented continued benefit.",
        "A medication agreement is on file and the most recent screening was consistent.",
    ),
    "therapy": (
        "The worker has not had this therapy for the {region} before, and the request fits a reasonable initial trial.",
        "After the prior sessions, lifting tolerance and range of motion improved and work restrictions were eased.",
        "A new flare of symptoms is documented, and a short additional course fits the guidelines.",
    ),
    "diagnostic": (
        "The records describe progressive weakness and a change in sensation since the last study.",
        "Surgery is being considered, and the study is needed to plan it.",
        "The examination findings are new and have not been evaluated before.",
    ),
    "injection": (
        "The examination shows radicular findings at the requested level, consistent with imaging.",
        "A prior injection gave more than 50% relief for about {w} weeks, with less medication use.",
        "The worker has tried physical therapy, medication and activity modification without lasting benefit.",
    ),
    "surgery": (
        "The worker has completed more than three months of therapy, injections and medication without lasting improvement.",
        "Imaging shows a lesion that matches the examination findings and the reported symptoms.",
        "Function remains markedly limited, and the worker wishes to proceed.",
    ),
    "equipment": (
        "A one-month trial documented less pain and lower medication use.",
        "The device is requested for a short postoperative period, consistent with the guidelines.",
    ),
    "program": (
        "A multidisciplinary evaluation has been completed and identifies the worker as a suitable candidate.",
        "The worker has significant depressive symptoms that limit participation in rehabilitation.",
        "The worker's condition prevents safe travel by other means.",
    ),
}

# --- stock form text ------------------------------------------------------------------------
# The paragraphs every letter shares (form text, not case narrative).

HOW_MADE_2014_PROSE = (
    "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no "
    "affiliation with the employer, employee, providers or the claims administrator. The expert "
    "reviewer is {credentials} He/she has been in active clinical practice for more than five years "
    "and is currently working at least 24 hours a week in active practice. The expert reviewer was "
    "selected based on his/her clinical experience, education, background, and expertise in the same "
    "or similar specialties that evaluate and/or treat the medical condition and disputed "
    "items/services. He/she is familiar with governing laws and regulations, including the strength "
    "of evidence hierarchy that applies to Independent Medical Review determinations."
)
HOW_MADE_BLOCK = (
    "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no "
    "affiliation with the employer, employee, providers or the claims administrator. He/she has been "
    "in active clinical practice for more than five years and is currently working at least 24 hours "
    "a week in active practice. The expert reviewer was selected based on his/her clinical experience, "
    "education, background, and expertise in the same or similar specialties that evaluate and/or "
    "treat the medical condition and disputed items/Service. He/she is familiar with governing laws "
    "and regulations, including the strength of evidence hierarchy that applies to Independent "
    "Medical Review determinations."
)
SUMMARY_INTRO = (
    "The expert reviewer developed the following clinical case summary based on a review of the "
    "case file, including all medical records:"
)
ISSUES_INTRO = "The Final Determination was based on decisions for the disputed items/services set forth below:"
NO_EVIDENCE = "The Claims Administrator did not cite any medical evidence for its decision."
NOT_MTUS = "The Claims Administrator did not base their decision on the MTUS."
CA_OUTSIDE_MTUS = "The Claims Administrator based their decision on recommendation(s) outside of the MTUS Guidelines."
ER_OUTSIDE_MTUS = (
    "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines."
)

# --- the 2013 notice's form text ------------------------------------------------------------
# Paraphrased from the layout described in issue 24 (the shape every 2013 notice shares); no
# case text. "{...}" are filled by synth.letters._notice_2013.
NOTICE_TITLE = "Notice of Independent Medical Review Determination"
NOTICE_DECISION_HEADING = "INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE"
NOTICE_DECISION_INTRO = (
    "An application for Independent Medical Review was filed on {filed} disputing the "
    "Utilization Review Denial dated {ur}. A Notice of Assignment and Request for Information "
    "was provided to the above parties on {assigned}. A decision has been made for each of the "
    "treatment and/or services that were in dispute:"
)
NOTICE_QUALIFICATIONS_HEADING = "Medical Qualifications of the Expert Reviewer:"
NOTICE_QUALIFICATIONS = (
    "The independent Medical Doctor who made the decision has no affiliation with the employer, "
    "employee, providers or the claims administrator. The physician reviewer is {credentials} "
    "He/she has been in active clinical practice for more than five years and is currently "
    "working at least 24 hours a week in active practice. The Expert Reviewer was selected based "
    "on his/her clinical experience, education, background, and expertise in the same or similar "
    "specialties that evaluate and/or treat the medical condition and treatments in dispute."
)
NOTICE_SUMMARY_HEADING = "Case Summary:"
NOTICE_DISCLAIMER = (
    "Disclaimer: The following case summary was taken directly from the utilization review "
    "denial/modification dated {ur}."
)
NOTICE_SECTION = "{n}{mark} Regarding the request for {treatment}:"
NOTICE_CA_LABEL = "Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:"
NOTICE_ER_LABEL = "Medical Treatment Guideline(s) Relied Upon by the Expert Reviewer:"
NOTICE_RATIONALE_LABEL = "Rationale for the Decision:"
# How each party's guideline sentence opens (in place of "Decision based on").
NOTICE_CA_BASED_ON = "The Claims Administrator based its decision on the "
NOTICE_ER_BASED_ON = "The Expert Reviewer based his/her decision on the "
