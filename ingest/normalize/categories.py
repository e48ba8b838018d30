"""DWC request category and subcategory of a disputed treatment.

The taxonomy is DWC's (``../shared/taxonomy/dwc_request_categories.csv``, the categories of its
2017 IMR decision search), cleaned: misspellings fixed and duplicates merged, each fix commented
below, DWC's spelling of everything else kept so counts compare with DWC's own. Medications
take their drug class as subcategory; everything else goes through ``RULES``, an ordered table of
named regexes (first match wins).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ingest.letter import Medication

# Cleaned DWC taxonomy: category -> subcategories, in DWC's order. The UI lists these.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Diagnostic Testing": (
        "Imaging (Radiology)",
        "EMG/NCV/NCS",
        "Lab & Pathology",
        "Other Diagnostic Tests",
    ),
    "DMEPOS": ("DME", "Electrical Stimulation", "Prosthetics/Orthotics", "Supplies"),
    "Evaluation & Management": ("Dental Services", "Medical Specialties"),
    "Home Health": ("Home Health",),
    "Injection": ("Facet Injection", "Injection"),
    "Pharmaceuticals": (
        "Adrenal Cortical Steroids",
        "Alpha-blocker",
        "Androgens & Anabolic Steroids",
        "AntiAnxiety",
        "Anti-coagulant",
        "Antidepressant",
        "Antidiabetics",
        "Antiemetic",
        "Anti-epilepsy drugs",
        "Antihistamine",
        "Antihypertensive",
        "Anti-infectives",
        "Antimigraine Agent",
        # DWC lists "Asthma medication" and "Asthma Medications": merged.
        "Asthma Medications",
        "Atypical Antipsychotic",
        "Barbiturates",
        # DWC lists "Benzodiazepine" and "Benzodiazepines": merged.
        "Benzodiazepines",
        "Beta-blocker",
        "Bisphosphonates",
        # DWC spells it "Calcium Cannel Blocker".
        "Calcium Channel Blocker",
        "Cannabinoids",
        "Dopamine agonists",
        "Fibric Acid",
        "GI Agents",
        # DWC also lists "Histamine 2", the same class: merged into "H2 Blocker".
        "H2 Blocker",
        "Hormones",
        "Impotence Agents",
        # Injected drugs (a Toradol or B12 shot); injection procedures are category "Injection".
        "Injection",
        "Misc Analgesics",
        "Muscle Relaxant",
        "NSAID",
        "Nutritional Products",
        "Opioids",
        # DWC spells it "Opoid Antagonist".
        "Opioid Antagonist",
        "Proton Pump Inhibitors",
        "Sedative-hypnotics",
        "Statin",
        # Added, not in DWC's list: modafinil, armodafinil, methylphenidate.
        "Stimulants",
        "Topical Analgesics",
        # DWC lists "Topical Compounds" twice: once here.
        "Topical Compounds",
        "Tumor necrosis factor (TNF) modified",
        "Viscosupplementation",
    ),
    "Programs": ("Programs",),
    "Psych Services": ("Evaluation & Management", "Therapies"),
    "Rehabilitation": (
        "Acupuncture",
        "Chiropractic",
        "Other Therapies",
        "Physical Therapy/Occupational Therapy (PT/OT)",
    ),
    "Surgery": (
        "Adjunct Surgical Services",
        "Arthroscopic Surgery",
        "Non-arthroscopic Surgery",
        "Spine",
        "Surgical Consult",
    ),
    # DWC has both "Therapies/Other Therapies" and "Rehabilitation/Other Therapies"; kept apart:
    # rehabilitation modalities go to Rehabilitation, the rest (speech, hyperbaric) here.
    "Therapies": ("Other Therapies", "Therapies"),
    "Transportation": ("Transportation",),
}

PHARMACEUTICAL_CLASSES: tuple[str, ...] = CATEGORIES["Pharmaceuticals"]

# DWC's raw subcategory names -> the cleaned ones above, for reading DWC's own data.
DWC_SUBCATEGORY_FIXES: dict[str, str] = {
    "Asthma medication": "Asthma Medications",
    "Benzodiazepine": "Benzodiazepines",
    "Calcium Cannel Blocker": "Calcium Channel Blocker",
    "Histamine 2": "H2 Blocker",
    "Opoid Antagonist": "Opioid Antagonist",
}


class Rule(NamedTuple):
    name: str
    pattern: re.Pattern[str]
    category: str
    # None: the category is sure but not the subcategory (a drug kit whose drug is unknown).
    subcategory: str | None


def _rule(name: str, pattern: str, category: str, subcategory: str | None) -> Rule:
    assert subcategory is None or subcategory in CATEGORIES[category], (category, subcategory)
    # Patterns are lower case and run on lower-cased text: faster than re.IGNORECASE.
    return Rule(name, re.compile(pattern), category, subcategory)


# Ordered: the first rule whose pattern is found in the treatment decides. Narrow rules come
# before the broad ones that would also match ("Spine surgery evaluation" is a surgical
# consult, not surgery; "Myofascial release" a modality, not a release surgery).
RULES: tuple[Rule, ...] = (
    # "Spine surgery evaluation", "Orthopedic surgical consultation", "Neurosurgeon referral".
    _rule(
        "surgical_consult",
        r"\b(?:surg\w*|ortho\w*|neurosurg\w*|spine)\s+(?:consult\w*|evaluation|referral"
        r"|opinion|re-?evaluation|follow[- ]?up)|\bconsult\w*\s+with\s+(?:an?\s+)?"
        r"(?:spine\s+|orthop\w*\s+|neuro\w*\s+|hand\s+)?surgeon",
        "Surgery",
        "Surgical Consult",
    ),
    # "Functional capacity evaluation": a test, not an office visit.
    _rule(
        "functional_capacity",
        r"functional\s+capacity|\bfce\b",
        "Diagnostic Testing",
        "Other Diagnostic Tests",
    ),
    # "Trigger point impedance imaging" locates trigger points: a test, not an injection.
    _rule(
        "impedance_imaging",
        r"impedance",
        "Diagnostic Testing",
        "Other Diagnostic Tests",
    ),
    # A stay in an inpatient rehabilitation unit is a program, not surgery's inpatient stay:
    # "Acute inpatient rehabilitation for two weeks", "Admission to a rehab facility".
    _rule(
        "inpatient_rehabilitation",
        r"\b(?:inpatient|acute)\s+(?:acute\s+|inpatient\s+)?rehab\w*"
        r"|rehab\w*\s+(?:unit|facility|hospital|center|admission|stay)",
        "Programs",
        "Programs",
    ),
    # "Functional restoration program", "Work hardening", "HELP program", "Detox".
    _rule(
        "programs",
        r"functional\s+restoration|\bfrp\b|work\s+(?:hardening|conditioning)"
        r"|multi-?disciplinary|inter-?disciplinary|detox\w*|gym\s+membership|\bymca\b"
        r"|weight\s+(?:loss|management|reduction)|(?:pain|help|behaviou?ral|restoration"
        r"|rehabilitation|chronic\s+pain)\s+(?:management\s+)?programs?",
        "Programs",
        "Programs",
    ),
    # "Psychological evaluation", "Psychiatric consultation", "Psych testing".
    _rule(
        "psych_evaluation",
        r"\b(?:psych\w*|neuropsych\w*|mental\s+health)\s+(?:evaluation|consult\w*|testing"
        r"|assessment|visits?|follow[- ]?up|office|re-?evaluation|medication\s+management)",
        "Psych Services",
        "Evaluation & Management",
    ),
    # "Psychotherapy 6 sessions", "Cognitive behavioral therapy", "Biofeedback".
    _rule(
        "psych_therapy",
        r"psychotherap\w*|\bpsych\w*|cognitive\s+behaviou?ral|\bcbt\b|biofeedback"
        r"|counsel\w*|hypnotherap\w*|relaxation\s+training|partial\s+hospitali[sz]ation",
        "Psych Services",
        "Therapies",
    ),
    # "Synvisc injection" when no medication was read; DWC files these under Pharmaceuticals.
    _rule(
        "viscosupplementation",
        r"synvisc|orthovisc|euflexxa|supartz|hyalgan|monovisc|gel-?one|hyaluron\w*"
        r"|viscosupplement\w*",
        "Pharmaceuticals",
        "Viscosupplementation",
    ),
    # "Bilateral L4-5 and L5-S1 lumbar facet block", "Medial branch block", "Rhizotomy".
    _rule(
        "facet_injection",
        r"\bfacet|medial\s+branch|\bmbb\b|rhizotomy|radio-?frequency|neurotomy|\brfa\b",
        "Injection",
        "Facet Injection",
    ),
    # "Right L4 transforaminal epidural steroid injection", "Trigger point injections", "PRP".
    _rule(
        "injection",
        r"inject\w*|\besi\b|epidural|\bblocks?\b|trigger\s+points?|\btpi\b|\bprp\b"
        r"|platelet[- ]rich|prolotherap\w*|botox|botulinum|\bshots?\b",
        "Injection",
        "Injection",
    ),
    # "MRI of the lumbar spine", "X-rays", "CT scan", "Three phase bone scan", "MR Arthrogram",
    # "Ultrasound of the shoulder" (therapeutic "Ultrasound 1 times 8" is a modality, below).
    _rule(
        "imaging",
        r"\b(?:mri|mra|mr\s+arthrogram|arthrogram|ct|cat\s+scan|computed\s+tomography"
        r"|x-?rays?|radiograph\w*|bone\s+scan|scan|imaging|myelogra\w*|discogra\w*|dexa"
        r"|bone\s+density|sonogra\w*|fluoroscop\w*)\b"
        r"|\bultrasound\s+(?:of|for|to\s+evaluate|study|scan|imaging)|\bdiagnostic\s+ultrasound",
        "Diagnostic Testing",
        "Imaging (Radiology)",
    ),
    # "EMG/NCV of the lower extremities", "NCV/EMG", "EMG/NCS", "Nerve conduction studies".
    _rule(
        "electrodiagnostic",
        r"\b(?:emg|ncv|ncs|ssep|electromyogra\w*|electrodiagnostic\w*)\b"
        r"|nerve\s+conduction|somatosensory",
        "Diagnostic Testing",
        "EMG/NCV/NCS",
    ),
    # Clearance for surgery is an office visit by an internist: "Cardiac clearance",
    # "Preop clearance by her internist" (the "pre-op" prefix is stripped first, see
    # SURGICAL_CONTEXT_RE).
    _rule(
        "medical_clearance",
        r"\bclearance\b",
        "Evaluation & Management",
        "Medical Specialties",
    ),
    # "Assistant surgeon", "Assistant PA-C for the repair", "PA assist", "Two day inpatient stay".
    _rule(
        "adjunct_surgical",
        r"assistant\s+(?:surgeon|pa\b|physician|at\s+surgery)|co-?surgeon|surgical\s+assist\w*"
        r"|\bpa(?:-c)?\s+(?:assist\w*|for\s+surgery)|physician\s+assistant\s+(?:assist|for)"
        r"|anesthesia|anesthesiolog\w*|inpatient|hospital\s+stay"
        r"|length\s+of\s+stay|overnight\s+stay|\bday\s+stay|post-?op\w*\s+visits?",
        "Surgery",
        "Adjunct Surgical Services",
    ),
    # "Right knee arthroscopy with partial meniscectomy".
    _rule(
        "arthroscopic_surgery",
        r"arthroscop\w*",
        "Surgery",
        "Arthroscopic Surgery",
    ),
    # "L4-5 fusion", "Microdiscectomy", "Cervical laminectomy", "Spinal cord stimulator",
    # "Percutaneous epidural neuroplasty" (lysis of adhesions).
    _rule(
        "spine_surgery",
        r"fusion|laminectomy|laminotomy|laminoplasty|discectomy|foraminotomy|arthrodesis"
        r"|kyphoplasty|vertebroplasty|disc\s+replacement|\bacdf\b|\btlif\b|\bplif\b|\balif\b"
        r"|spinal\s+cord\s+stimulat\w*|\bscs\b|(?:lumbar|cervical|thoracic|spinal)\s+"
        r"(?:decompression|surgery)|neuroplasty|adhesiolysis|\bracz\b",
        "Surgery",
        "Spine",
    ),
    # "Urine Drug Screen", "Urine toxicology", "CBC", "Comprehensive metabolic panel".
    _rule(
        "lab",
        r"\burine|urinalysis|drug\s+(?:screen\w*|test\w*)|\buds\b|toxicology|\blabs?\b"
        r"|laborator\w*|blood\s+(?:test\w*|work|draw)|\bcbc\b|\bcmp\b|\bbmp\b|\bpanel\b"
        r"|(?:liver|renal|hepatic|kidney|thyroid)\s+function|patholog\w*|biopsy|genetic"
        r"|\bdna\b|\bserum\b|\ba1c\b|cytokine|\bptt\b|\bpt\s*/\s*inr\b|\binr\b|prothrombin"
        r"|coagulation|\bchem(?:istry)?\s*(?:panel|\d+)|metabolic|\bua\b|\bh\s*&\s*h\b|hemoglobin",
        "Diagnostic Testing",
        "Lab & Pathology",
    ),
    # "Sleep study", "EKG", "Electrocardiogram", "EEG", "Grip strength test",
    # "Computerized range of motion testing", "Trigger point impedance imaging", "Audiogram".
    _rule(
        "other_diagnostic",
        r"sleep\s+study|polysomnogra\w*|\bekg\b|\becg\b|echocardiogra\w*|stress\s+test"
        r"|pulmonary\s+function|spirometr\w*|quantitative\s+sensory|\bqst\b"
        r"|range\s+of\s+motion\s+(?:testing|measurement)|muscle\s+testing|audiogra\w*"
        r"|hearing\s+test|vestibular|holter|diagnostic|\btesting\b|electrocardiogra\w*"
        r"|electroencephalogra\w*|\beeg\b|\bgrip\b|range\s+of\s+motion\s+(?:of\s+)?tests?"
        r"|\brom\s+(?:test\w*|measure\w*)|impedance|dynamometr\w*|\btests?\b",
        "Diagnostic Testing",
        "Other Diagnostic Tests",
    ),
    # "Acupuncture trial 2 x 4", "Electroacupuncture for the lumbar spine".
    _rule(
        "acupuncture",
        r"acupunct\w*|acupressure",
        "Rehabilitation",
        "Acupuncture",
    ),
    # "Chiropractic care", "Chiro with modalities", "Spinal manipulation 1 times 8".
    _rule(
        "chiropractic",
        r"\bchiro\w*|manipulation|manipulative|\bcmt\b|\bomt\b|adjustments?\b",
        "Rehabilitation",
        "Chiropractic",
    ),
    # Consumables for a device or a home program, before the device and PT rules below:
    # "TENS unit electrodes", "Home exercise kit", "Batteries for the H-wave". A drug kit
    # ("oral suspension kit", "cream kit") is a medication (see "drug_kit").
    _rule(
        "topical_kit",
        r"(?:cream|compound\w*|lotion|gel|ointment)\s+(?:compounding\s+)?kits?\b",
        "Pharmaceuticals",
        "Topical Compounds",
    ),
    # "Oral suspension kit" of a drug the table does not know: a medication of unknown class.
    _rule(
        "oral_suspension_kit",
        r"\bsuspension\b",
        "Pharmaceuticals",
        None,
    ),
    _rule(
        "device_supplies",
        r"electrodes|\bbatter(?:y|ies)\b|(?<!suspension )(?<!cream )(?<!compound )\bkits?\b"
        r"|lead\s+wires|conductive\s+garment",
        "DMEPOS",
        "Supplies",
    ),
    # "Physical therapy 2-3 times a week for 6 weeks", "Occupational therapy", "Aquatic therapy".
    _rule(
        "physical_therapy",
        r"physical\s+therap\w*|physiotherap\w*|occupational\s+therap\w*|\bpt\b|\bot\b"
        r"|aqua(?:tic)?\s*therap\w*|pool\s+therap\w*|water\s+therap\w*|hand\s+therap\w*"
        r"|therapeutic\s+exercise|home\s+exercise|rehabilitation|\brehab\b|work\s+simulation",
        "Rehabilitation",
        "Physical Therapy/Occupational Therapy (PT/OT)",
    ),
    # "TENS unit", "H-wave", "Interferential stimulator", "Purchase of an EMS unit".
    _rule(
        "electrical_stimulation_device",
        r"\btens\b|h-?wave|interferential|stimulator|\bnmes\b|\bems\b|\bifc\b"
        r"|(?:stim\w*|e-?stim)\s+(?:unit|device|purchase|rental|machine)",
        "DMEPOS",
        "Electrical Stimulation",
    ),
    # "Hot/cold therapy unit", "Cold therapy unit rental", "Game Ready", "Cold compression
    # therapy for 14 days" (devices).
    _rule(
        "hot_cold_device",
        r"(?:hot|cold|ice|heat|cryo\w*|thermo\w*)[\w/ ]*\s(?:unit|machine|device|system|rental)\b"
        r"|game\s+ready|polar\s+care|vasotherm|cryo-?cuff|(?:cold|cryo\w*|vaso\w*)[- ]compression"
        r"|compression\s+(?:therapy\s+)?(?:unit|device|pump)",
        "DMEPOS",
        "DME",
    ),
    # "Heat pads for home use times 4", "Heat wraps", "Cold packs", "ThermaCare".
    _rule(
        "hot_cold_supplies",
        r"\b(?:hot|cold|ice|heat|heating|gel)\b[\w/ ]*?\b(?:packs?|pads?|wraps?|patch\w*)\b"
        r"|thermacare|cryotherapy",
        "DMEPOS",
        "Supplies",
    ),
    # Soft goods used up at home: "Gloves", "Cleansing wipes", "Incontinence pads",
    # "Leg wraps", "Shoulder wrap".
    _rule(
        "soft_supplies",
        r"\bgloves?\b|\bwipes?\b|\bpads?\b|\bwraps?\b|\bliners?\b|\bdiapers?\b|\bbriefs\b",
        "DMEPOS",
        "Supplies",
    ),
    # "Lumbar brace", "Custom orthotics", "Wrist splint", "Cervical collar".
    _rule(
        "orthotics",
        r"\bbraces?\b|orthotic\w*|orthos[ie]s|splint\w*|insoles?|shoe\s+inserts?"
        r"|(?:lumbar|back|knee|wrist|ankle|lumbosacral)\s+supports?|\bcollar\b|\bsling\b"
        r"|prosthe\w*|compression\s+(?:stocking|sleeve|garment|hose)\w*|\blso\b",
        "DMEPOS",
        "Prosthetics/Orthotics",
    ),
    # "Hospital bed", "Cervical traction unit", "Motorized scooter", "Walker", "Hot tub",
    # "Standing desk converter", "Ergonomic chair", anything rented ("30 day rental").
    _rule(
        "dme",
        r"\bbeds?\b|mattress|wheelchair|walker|\bcanes?\b|crutch\w*|scooter|commode"
        r"|shower\s+chair|grab\s+bars?|lift\s+chair|recliner|pillow|cushion|\bcpm\b"
        r"|continuous\s+passive\s+motion|inversion\s+table|exercise\s+(?:equipment|bike|ball)"
        r"|treadmill|stationary\s+bike|\bchair\b|durable\s+medical|\bdme\b|\bunit\b|machine"
        r"|\bdevice\b|hot\s+tub|jacuzzi|\bspa\b|nebuli[sz]er|\bcpap\b|hearing\s+aids?"
        r"|traction\s+(?:unit|device)|home\s+traction|work\s*stations?|standing\s+desk"
        r"|sit[-/ ]?(?:to[-/ ])?stand|ergonomic|\bdesk\b|keyboard|\bmouse\b|headset"
        r"|\brental\b",
        "DMEPOS",
        "DME",
    ),
    # "Electrical stimulation 1 times 8", "Ultrasound 1 times 8", "Infrared heat",
    # "Myofascial release", "Spinolator traction treatment", "Massage", "Shockwave".
    _rule(
        "modalities",
        r"electrical\s+stim\w*|e-?stim\b|ultrasound|infrared|massage|myofascial|traction"
        r"|spinolator|decompression\s+therap\w*|laser|shock\s*wave|\beswt\b|paraffin"
        r"|diathermy|iontophoresis|phonophoresis|hydrotherap\w*|whirlpool|modalit\w*"
        r"|kinesio\w*|taping|dry\s+needling|mechanical\s+traction",
        "Rehabilitation",
        "Other Therapies",
    ),
    # "Supplies for the TENS unit", "Bandages", "Test strips".
    _rule(
        "supplies",
        r"suppl(?:y|ies)|bandage|dressing|gauze|syringes|needles|lancets|test\s+strips"
        r"|catheter",
        "DMEPOS",
        "Supplies",
    ),
    # "Home health care 4 hours a day", "Home health aide", "In-home support services",
    # "RN visits for wound care", "Aide 4 hours a day".
    _rule(
        "home_health",
        r"home\s+(?:health|care|assistance|aide|help|nursing)|caregiver|nursing\s+care"
        r"|skilled\s+nursing|\bhha\b|housekeeping|attendant\s+care|in-?home|\bihss\b"
        r"|\brn\b|\blvn\b|registered\s+nurse|nurse\s+visits?|nursing\s+visits?|home\s+aides?"
        r"|\baides?\b|wound\s+care|chore\s+services?",
        "Home Health",
        "Home Health",
    ),
    # "Transportation to and from appointments", "Taxi", "Mileage".
    _rule(
        "transportation",
        r"transport\w*|\btaxi\b|ambulance|mileage|\btravel\b|\brides?\b",
        "Transportation",
        "Transportation",
    ),
    # "Speech therapy", "Hyperbaric oxygen", "Vision therapy": therapies outside rehab.
    _rule(
        "other_therapies",
        r"speech\s+therap\w*|hyperbaric|vision\s+therap\w*|respiratory\s+therap\w*"
        r"|cognitive\s+(?:rehab\w*|therap\w*)|vestibular\s+therap\w*",
        "Therapies",
        "Other Therapies",
    ),
    # "Dental evaluation", "Dental implants".
    _rule(
        "dental",
        r"dental|dentist\w*|\bteeth\b|\btooth\b|periodont\w*|orthodont\w*|\bcrowns?\b",
        "Evaluation & Management",
        "Dental Services",
    ),
    # "Initial exam", "Physical exam 2 times 8", "Pain management consultation", "Follow-up".
    _rule(
        "evaluation_management",
        r"consult\w*|referral|evaluation|office\s+visits?|follow[- ]?up|\bvisits?\b|\bexam\b"
        r"|examination|second\s+opinion|specialist|pain\s+management|physician|\bdoctor\b"
        r"|appointment|telemedicine|case\s+management|\bassessment\b",
        "Evaluation & Management",
        "Medical Specialties",
    ),
    # Any other operation: "Carpal tunnel release", "Total knee arthroplasty", "ORIF".
    _rule(
        "surgery",
        r"surgery|surgical|operative|\w(?:ectomy|plasty|otomy|odesis)\b|\brepair\b"
        r"|reconstruction|\brelease\b|\borif\b|fixation|replacement|amputation"
        r"|hardware\s+removal|removal\s+of\s+hardware|excision|debridement|tenotomy"
        r"|transposition|decompression|manipulation\s+under\s+anesthesia|\bmua\b",
        "Surgery",
        "Non-arthroscopic Surgery",
    ),
    # Any other program ("Aftercare program"); "Home exercise program" was PT above.
    _rule("programs_other", r"\bprograms?\b", "Programs", "Programs"),
    # No drug name read, but a drug request all the same: "Compounded topical cream".
    _rule(
        "topical_compound",
        r"compound\w*",
        "Pharmaceuticals",
        "Topical Compounds",
    ),
    # "Topical analgesic cream", "Lidocaine-free patch".
    _rule(
        "topical_analgesic",
        r"\b(?:topical|creams?|ointments?|lotions?|gels?|patch(?:es)?|liniment)\b",
        "Pharmaceuticals",
        "Topical Analgesics",
    ),
    # Drug requests named by class: "Opioid medication", "Sleep aid", "Medical food".
    _rule(
        "opioids_by_class",
        r"\bopioids?\b|\bopiates?\b|narcotic\w*",
        "Pharmaceuticals",
        "Opioids",
    ),
    _rule(
        "nsaid_by_class",
        r"\bnsaids?\b|anti-?inflammator\w*",
        "Pharmaceuticals",
        "NSAID",
    ),
    _rule(
        "muscle_relaxant_by_class",
        r"muscle\s+relaxants?",
        "Pharmaceuticals",
        "Muscle Relaxant",
    ),
    _rule(
        "sleep_aid_by_class",
        r"sleep\s+aids?|hypnotics?|sleeping\s+pills?",
        "Pharmaceuticals",
        "Sedative-hypnotics",
    ),
    _rule(
        "nutritional_by_class",
        r"medical\s+foods?|vitamins?|supplements?|nutritional",
        "Pharmaceuticals",
        "Nutritional Products",
    ),
)

# A medication given by injection ("Toradol 60mg IM injection", "B12 shot").
INJECTED_RE = re.compile(r"inject\w*|\bim\b|\bintramuscular|\bshots?\b|\biv\b")


# Words saying an item belongs to a surgery, not what it is: the item is categorised as what
# follows ("Associated surgical service: ice machine" is DME, "Preoperative ECG" a
# diagnostic test, "Post-op physical therapy" PT, "Labs to include: an ECG" an ECG). Applied
# repeatedly: "Associated surgical service: Pre-op labs".
SURGICAL_CONTEXT_RE = re.compile(
    r"^(?:(?:associated\s+)?surgical\s+services?\s*[:\-]\s*"
    r"|(?:labs?|laboratory|tests?|testing|studies)\s+(?:to\s+)?includ\w*\s*:?\s*"
    r"|(?:pre|post)[- ]?op(?:erative(?:ly)?)?\.?\s+"
    r"|(?:retrospective|retro|prospective)\s+(?:request\s+)?(?:for\s+)?)"
)


def _what_it_is(treatment: str) -> str:
    """``treatment`` (lower case, folded) without the surgical context prefixes."""
    while True:
        stripped = SURGICAL_CONTEXT_RE.sub("", treatment, count=1)
        if stripped == treatment or not stripped:
            return treatment
        treatment = stripped


def _first_rule(treatment: str) -> Rule | None:
    for text in dict.fromkeys((_what_it_is(treatment), treatment)):
        for rule in RULES:
            if rule.pattern.search(text):
                return rule
    return None


@lru_cache(maxsize=8192)
def _by_rules(treatment: str) -> tuple[str | None, str | None]:
    rule = _first_rule(treatment)
    return (rule.category, rule.subcategory) if rule else (None, None)


def rule_for(treatment: str) -> str | None:
    """Name of the rule that categorises ``treatment`` (for tests and debugging)."""
    rule = _first_rule(" ".join(treatment.lower().split()))
    return rule.name if rule else None


def categorize(treatment: str, medication: Medication | None) -> tuple[str | None, str | None]:
    """(category, subcategory) of a treatment; (None, None) when no rule knows it.

    A medication is ("Pharmaceuticals", its drug class), or "Injection" when injected; a drug
    class the project does not know leaves the subcategory None.
    """
    if medication is not None:
        injected = INJECTED_RE.search(treatment.lower())
        if injected and medication.drug_class != "Viscosupplementation":
            return "Pharmaceuticals", "Injection"
        return "Pharmaceuticals", medication.drug_class
    return _by_rules(" ".join(treatment.lower().split()))
