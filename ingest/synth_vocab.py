# ruff: noqa: E501  (data tables: one entry a line reads better than wrapped entries)
"""Vocabulary for the synthetic IMR letter generator (``ingest.synth``).

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
