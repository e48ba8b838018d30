"""Canonical guideline sections: one key per guideline topic, whatever the letter's wording.

A citation as read by ``ingest.citations`` keeps what was printed: the 2014 letters cite
"MTUS Chronic Pain Treatment Guidelines Page(s): 24", the 2016 letters "Chronic Pain Medical
Treatment 2016, Section(s): Benzodiazepines"; ODG is cited as "Low Back Chapter, Magnetic
resonance imaging" or "Low Back- Lumbar & Thoracic chapter: MRI (magnetic resonance
imaging)". ``canonical_sections`` maps each to keys of the form::

    "<source>|<document>|<topic>"  "MTUS|Chronic Pain Medical Treatment Guidelines|Benzodiazepines"
    "<source>|<document>"          the document alone, when no topic can be told

and ``section_label`` prints them ("MTUS Chronic Pain Medical Treatment Guidelines -
Benzodiazepines"). The sources are MTUS (the Chronic Pain, Opioids, Acupuncture and
Postsurgical guidelines), ACOEM (the 2004 ACOEM chapters adopted into the MTUS, whether the
letter says "MTUS ACOEM Chapter 12" or "MTUS Low Back Complaints 2004") and ODG (by chapter).
From December 2017 the MTUS is ACOEM's guidelines by body part ("MTUS|Low Back Disorders
Guideline|MRI", MTUS_2017_DOCUMENTS) and, for drugs, the MTUS Drug Formulary with its versioned
Drug List ("MTUS|MTUS Drug Formulary|Non-Exempt", "...|MTUS Drug List v.10").

Everything is a table of named regexes with a comment per row; the first matching topic
wins within a phrase, and a section listing several topics gives several keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from ingest.citations import (
    CHRONIC_PAIN_2017,
    DRUG_FORMULARY,
    INITIAL_APPROACHES_GUIDELINE,
    MENTAL_HEALTH_GUIDELINE,
    OPIOIDS_2017,
)
from ingest.letter import Citation, Party, Source

CHRONIC_PAIN = "Chronic Pain Medical Treatment Guidelines"
OPIOIDS_GUIDELINE = "Opioids Treatment Guidelines"

# The MTUS documents for treatment from 1 December 2017: the ACOEM guidelines DWC adopted by
# body part (8 CCR 9792.22-9792.24.4), as ``ingest.citations`` names them. Source: DWC's
# adoption order, https://www.dir.ca.gov/dwc/DWCPropRegs/Medical-Treatment-Utilization-Schedule/
# Medical-Treatment-Utilization-Schedule.htm, and its later updates (cited beside each name in
# ``ingest.citations.DOCUMENTS``). ACOEM_2017_EDITIONS gives the edition each order adopted,
# oldest first, so a citation's edition year can be told current or superseded.
ACOEM_2017_EDITIONS: dict[str, tuple[tuple[date, date], ...]] = {
    # document: ((ACOEM edition date, treatment on or after), ...)
    INITIAL_APPROACHES_GUIDELINE: ((date(2017, 6, 30), date(2017, 12, 1)),),
    OPIOIDS_2017: ((date(2017, 4, 20), date(2017, 12, 1)),),
    CHRONIC_PAIN_2017: ((date(2017, 5, 15), date(2017, 12, 1)),),
    "Cervical and Thoracic Spine Disorders Guideline": (
        (date(2016, 5, 27), date(2017, 12, 1)),
        (date(2018, 10, 17), date(2019, 4, 18)),
    ),
    "Shoulder Disorders Guideline": ((date(2016, 8, 1), date(2017, 12, 1)),),
    # "Elbow Disorders Guideline (ACOEM 2013)": DWC gives the year only.
    "Elbow Disorders Guideline": (
        (date(2013, 1, 1), date(2017, 12, 1)),
        (date(2018, 8, 23), date(2019, 4, 18)),
    ),
    "Hand, Wrist, and Forearm Disorders Guideline": (
        (date(2016, 6, 30), date(2017, 12, 1)),
        (date(2019, 1, 7), date(2019, 4, 18)),
    ),
    "Low Back Disorders Guideline": (
        (date(2016, 2, 24), date(2017, 12, 1)),
        (date(2019, 3, 7), date(2019, 8, 11)),
        # https://www.workcompacademy.com/2021/11/dwc-updates-low-back-treatment-guideline/
        (date(2020, 2, 13), date(2021, 11, 23)),
    ),
    "Knee Disorders Guideline": (
        (date(2015, 10, 28), date(2017, 12, 1)),
        (date(2019, 12, 3), date(2020, 9, 21)),
    ),
    # "Ankle and Foot Disorders Guideline (ACOEM September 2015)": month only.
    "Ankle and Foot Disorders Guideline": (
        (date(2015, 9, 1), date(2017, 12, 1)),
        (date(2018, 7, 16), date(2019, 4, 18)),
    ),
    "Eye Disorders Guideline": ((date(2017, 4, 1), date(2017, 12, 1)),),
    "Hip and Groin Guideline": (
        (date(2011, 5, 1), date(2017, 12, 1)),
        (date(2019, 4, 24), date(2019, 10, 7)),
    ),
    "Occupational/Work-Related Asthma Guideline": (
        (date(2016, 1, 4), date(2017, 12, 1)),
        (date(2020, 6, 5), date(2020, 9, 21)),
    ),
    "Occupational Interstitial Lung Disease Guideline": (
        (date(2016, 1, 4), date(2017, 12, 1)),
        (date(2019, 11, 8), date(2020, 9, 21)),
    ),
    # Modules: PTSD and Acute Stress Disorder (ACOEM December 18, 2018; from 4-18-2019,
    # providernews.anthem.com, April 2019), Depressive Disorders (ACOEM February 13, 2020; from
    # 9-21-2020, www.dir.ca.gov/dwc/DWCPropRegs/2020/MTUS-Evidence-Based-Updates-June-2020/),
    # Anxiety Disorders (ACOEM April 30, 2021; from 7-19-2021, www.cwci.org/us_technical-issues/
    # mtus-updates-covid-19-and-mental-health-treatment-guidelines/).
    MENTAL_HEALTH_GUIDELINE: (
        (date(2018, 12, 18), date(2019, 4, 18)),
        (date(2020, 2, 13), date(2020, 9, 21)),
        (date(2021, 4, 30), date(2021, 7, 19)),
    ),
    # ACOEM March 29, 2021; from 6-28-2021 (the CWCI page above).
    "Coronavirus (COVID-19) Guideline": ((date(2021, 3, 29), date(2021, 6, 28)),),
}
# DWC adopted further ACOEM editions on 10 August 2023 (8 CCR 9792.22, 9792.23.2 and
# 9792.24.7: www.dir.ca.gov/dwc/DWCPropRegs/2023/MTUS-Evidence-Based-Update/Index.htm) and on
# 10 November 2023 (9792.23.4 and 9792.24.7: .../2023/MTUS-Evidence-Based-Update-July/
# Index.htm); the stored pages do not give those editions' dates, so they are not listed.
MTUS_2017_DOCUMENTS = frozenset(ACOEM_2017_EDITIONS)

# MTUS documents that are chapters of the 2004 ACOEM Practice Guidelines (2nd ed.), adopted
# into the MTUS: filed under "ACOEM" whichever way the letter words them.
ACOEM_CHAPTERS = frozenset(
    {
        "General Approaches",
        "Neck and Upper Back Complaints",
        "Shoulder Complaints",
        "Elbow Complaints",
        "Forearm, Wrist, and Hand Complaints",
        "Low Back Complaints",
        "Knee Complaints",
        "Ankle and Foot Complaints",
        "Stress-Related Conditions",
    }
)


class Topic(NamedTuple):
    name: str
    pattern: re.Pattern[str]


def _topic(name: str, pattern: str) -> Topic:
    return Topic(name, re.compile(pattern, re.I))


# Topics of the Chronic Pain guideline (and of the ODG Pain chapter, which mirrors it), in
# match order: a more specific topic comes before a wider one that shares its words.
PAIN_TOPICS: tuple[Topic, ...] = (
    # "NSAIDs, GI symptoms & cardiovascular risk" and "Proton Pump Inhibitors (PPIs)".
    _topic("GI symptoms & PPIs", r"\bGI\s+symptoms|proton\s+pump|\bPPIs?\b"),
    # "Barbiturate-containing analgesic agents (BCAs)" (Fioricet).
    _topic("Barbiturate-containing analgesics", r"barbiturate|\bBCAs?\b"),
    # "Benzodiazepines", "Benzodiazepine dependence, maintenance".
    _topic("Benzodiazepines", r"benzodiazepine"),
    # "Opioids, criteria for use", "On-going management of opioid use", "on-going management",
    # "Tramadol (Ultram)", "Opioids for chronic pain".
    _topic("Opioids", r"opioid|on-?\s?going\s+management|tramadol|ultram\b|hydrocodone"),
    # "Muscle relaxants (for pain)", "Cyclobenzaprine (Flexeril)", "Baclofen (Lioresal ...)".
    _topic(
        "Muscle relaxants",
        r"muscle\s+relax|cyclobenzaprine|flexeril|baclofen|carisoprodol|\bsoma\b|orphenadrine"
        r"|tizanidine|methocarbamol|metaxalone",
    ),
    # "Lidoderm (lidocaine patch)", "Topical analgesics", "Capsaicin, topical".
    _topic("Topical analgesics", r"topical|lidoderm|lidocaine|capsaicin"),
    # "NSAIDs (non-steroidal anti-inflammatory drugs)", "Anti-inflammatory medications".
    _topic("NSAIDs", r"\bNSAIDs?\b|anti-?\s?inflammatory"),
    # "Antidepressants for chronic pain", "Selective serotonin and norepinephrine reuptake
    # inhibitors", "SSRIs (selective serotonin reuptake inhibitors)", "Cymbalta".
    _topic(
        "Antidepressants",
        r"antidepressant|serotonin|\bSSRIs?\b|\bSNRIs?\b|cymbalta|duloxetine|tricyclic",
    ),
    # "Antiepilepsy drugs (AEDs)", "Gabapentin (Neurontin)", "Pregabalin (Lyrica)".
    _topic("Antiepilepsy drugs", r"anti-?\s?epilep|\bAEDs?\b|gabapentin|pregabalin|lyrica"),
    # "Drug testing", "Urine Drug Testing (UDT)".
    _topic("Drug testing", r"drug\s+test|drug\s+screen|\bUDT\b"),
    # "Electrodiagnostic testing (EMG/NCS)", "Nerve conduction studies (NCS)".
    _topic(
        "Electrodiagnostic testing",
        r"electro\s?diagnostic|electromyograph|\bEMG\b|\bNCS\b|\bNCV\b|nerve\s+conduction",
    ),
    # "Epidural steroid injections (ESIs)".
    _topic("Epidural steroid injections", r"epidural|\bESIs?\b"),
    # "Facet joint diagnostic blocks", "Facet joint intra-articular injections".
    _topic("Facet joint injections", r"facet"),
    # "Trigger point injections".
    _topic("Trigger point injections", r"trigger\s+point"),
    # "TENS, chronic pain (transcutaneous electrical nerve stimulation)".
    _topic("TENS", r"\bTENS\b|transcutaneous"),
    # "H-wave stimulation (HWT)".
    _topic("H-wave stimulation", r"h-?\s?wave"),
    # "Interferential Current Stimulation (ICS)".
    _topic("Interferential current stimulation", r"interferential"),
    # "Neuromuscular electrical stimulation (NMES devices)".
    _topic("Neuromuscular electrical stimulation", r"neuromuscular\s+electrical|\bNMES\b"),
    # "Manual therapy & manipulation", ODG "Manipulation", "Chiropractic Guidelines".
    _topic("Manual therapy & manipulation", r"manual\s+therapy|manipulation|chiropract"),
    # "Work conditioning, work hardening".
    _topic("Work conditioning & hardening", r"work\s+(?:conditioning|hardening)"),
    # "Functional restoration programs (FRPs)", "Chronic pain programs".
    _topic(
        "Functional restoration programs",
        r"functional\s+restoration|chronic\s+pain\s+programs?|multidisciplinary",
    ),
    # "Functional capacity evaluation (FCE)".
    _topic("Functional capacity evaluation", r"functional\s+capacity|\bFCE\b"),
    # "Physical medicine treatment", "Physical therapy", ODG "Physical Therapy Guidelines".
    _topic("Physical medicine", r"physical\s+(?:medicine|therapy|methods?)|\bPT\b"),
    # "Psychological evaluations", "Psychological treatment", "Behavioral interventions".
    _topic(
        "Psychological evaluation & treatment",
        r"psycholog|behavioral\s+interventions?|cognitive\s+behavio",
    ),
    # "Office visits" (ODG and the 2016 MTUS cite it for follow-up and consultations).
    _topic("Office visits", r"office\s+visits?|follow-?\s?up\s+visits?"),
    # "CRPS, diagnostic tests", "Complex regional pain syndrome (CRPS)".
    _topic("CRPS", r"\bCRPS\b|complex\s+regional"),
    # "Ultrasound, therapeutic".
    _topic("Ultrasound, therapeutic", r"ultrasound"),
    # "Acupuncture".
    _topic("Acupuncture", r"acupuncture"),
    # "Home health services".
    _topic("Home health services", r"home\s+health"),
    # "Exercise", "Aquatic therapy".
    _topic("Exercise", r"\bexercise|aquatic"),
    # "Biofeedback".
    _topic("Biofeedback", r"biofeedback"),
    # "Spinal cord stimulators (SCS)".
    _topic("Spinal cord stimulators", r"spinal\s+cord\s+stimulat|\bSCS\b"),
    # "Medical food".
    _topic("Medical food", r"medical\s+foods?"),
    # "Massage therapy", "Myofascial release".
    _topic("Massage therapy", r"massage|myofascial"),
)

# Imaging and other topics of the ACOEM chapters and ODG chapters, before PAIN_TOPICS.
STUDY_TOPICS: tuple[Topic, ...] = (
    # ODG "MR arthrogram", "Shoulder/MR Arthrogram".
    _topic("MR arthrogram", r"\bMR\s+arthrogra|arthrogra"),
    # "Magnetic Resonance Imaging (MRI)", "Indications for imaging-Magnetic resonance imaging".
    _topic("MRI", r"magnetic\s+resonance|\bMRI\b"),
    # "Computed tomography (CT)".
    _topic("CT", r"computed\s+tomograph|\bCT\b"),
    # "X-Ray", "Radiography".
    _topic("X-rays", r"x-?\s?rays?|radiograph"),
    # "Bone scan (imaging)".
    _topic("Bone scan", r"bone\s+scan|scintigraph"),
    # ODG "Imaging" without a modality ("Hernia Chapter, Imaging").
    _topic("Imaging", r"imaging"),
    # ODG "Mattress selection", "DME", "Durable medical equipment".
    _topic("Durable medical equipment", r"mattress|\bDME\b|durable\s+medical|hospital\s+beds?"),
)

# Sections of the ACOEM chapters (2004), as the 2016 letters print them.
ACOEM_SECTIONS: tuple[Topic, ...] = (
    # "Special Studies", "Special Studies and Diagnostic and Treatment Considerations".
    _topic("Special Studies", r"special\s+studies"),
    # "Physical Methods".
    _topic("Physical Methods", r"physical\s+methods?"),
    # "Initial Care".
    _topic("Initial Care", r"initial\s+care"),
    # "Surgical Considerations".
    _topic("Surgical Considerations", r"surgical\s+considerations?"),
    # "Diagnostic Criteria".
    _topic("Diagnostic Criteria", r"diagnostic\s+criteria"),
    # "Activity Modification".
    _topic("Activity Modification", r"activity\s+modification"),
    # "Work Activities".
    _topic("Work Activities", r"work\s+activit"),
    # "Follow-up Visits".
    _topic("Follow-up Visits", r"follow-?\s?up"),
    # "Medications" (a chapter's medication section).
    _topic("Medications", r"^medications?$"),
    # "Summary" (the chapter's table of recommendations): kept only when nothing else is cited.
    _topic("Summary", r"\bsummary\b"),
    # General Approaches chapters 1-7, named as the section ("Initial Approaches to Treatment").
    _topic("Initial Approaches to Treatment", r"initial\s+approaches"),
    _topic(
        "General Approach to Initial Assessment and Documentation",
        r"general\s+approach\s+to\s+initial",
    ),
    _topic("Cornerstones of Disability Prevention and Management", r"cornerstones"),
    _topic("Pain, Suffering, and the Restoration of Function", r"restoration\s+of\s+function"),
    _topic("Work-Relatedness", r"work[\s-]*relatedness"),
    _topic("Independent Medical Examinations and Consultations", r"independent\s+medical"),
    _topic("Prevention", r"^prevention$"),
    # Stress-Related Conditions "General Approach".
    _topic("General Approach", r"^general\s+approach$"),
    # "Red Flags", "Assessment".
    _topic("Assessment & Red Flags", r"red\s+flags?|^assessment"),
)

# Modules of the MTUS Workplace Mental Health guideline (8 CCR 9792.23.8; sources at
# ACOEM_2017_EDITIONS), its topics.
MENTAL_HEALTH_MODULES: tuple[Topic, ...] = (
    _topic(
        "Post-traumatic Stress Disorder and Acute Stress Disorder",
        r"post-?\s?traumatic|\bPTSD\b|acute\s+stress",
    ),
    _topic("Depressive Disorders", r"depressive"),
    _topic("Anxiety Disorders", r"anxiety"),
)

# What a citation of the MTUS Drug Formulary (8 CCR 9792.27.1-9792.27.23, for drugs dispensed
# from 1 January 2018) points at: the status the MTUS Drug List (9792.27.15) gives a drug, or
# a fill policy. Definitions from the Drug List's own legend (MTUS Drug List v.3, effective
# October 1, 2018: docslib.org/doc/4549283/mtus-drug-list-v3-addendum-one-effective-10012018)
# and the regulations (www.dir.ca.gov/t8/9792_27_16.html; regulations.justia.com ... /section-
# 9792-27-23). Most specific first: "Non-Exempt" before "Exempt".
FORMULARY_TOPICS: tuple[Topic, ...] = (
    # Special Fill (9792.27.12): a Non-Exempt drug at the first visit within 7 days of injury.
    _topic("Special Fill", r"special\s+fill|9792\.27\.12\b"),
    # Perioperative Fill (9792.27.13): 4 days before through 4 days after surgery.
    _topic("Perioperative Fill", r"peri-?\s?operative|9792\.27\.13\b"),
    # "Non-Exempt": authorization through prospective review first.
    _topic("Non-Exempt", r"non-?\s?exempt"),
    # "Exempt": no prospective review when in accordance with the MTUS.
    _topic("Exempt", r"\bexempt"),
    # "Unlisted" drugs: not on the list; prospective review, like Non-Exempt.
    _topic("Unlisted drug", r"\bunlisted"),
    # The list itself (9792.27.15), when no status is named.
    _topic("MTUS Drug List", r"drug\s+list|9792\.27\.15\b"),
)

# The MTUS Drug List comes in numbered versions, each adopted by an Administrative Director's
# order (9792.27.23): version -> effective date, where a stored public page gives it.
#   v.1: the formulary's start, January 1, 2018 (9792.27.23 "operative 1-1-2018",
#        regulations.justia.com/states/california/title-8/.../section-9792-27-23);
#   v.3: October 1, 2018 (the v.3 list itself, docslib.org/doc/4549283);
#   v.6: January 15, 2020 (www.workcompacademy.com/2019/12/dwc-updates-mtus-drug-list/);
#   v.7: November 1, 2020 (www.workcompacademy.com/2020/10/updated-formulary-indicates-new-
#        exempt-anti-depressants/);
#   v.8 February 1, 2021; v.9 August 1, 2021; v.10 November 1, 2022; v.11.1 February 15, 2024;
#   v.12 November 1, 2024; v.13 August 6, 2025 (CWCI's list of DWC's orders,
#        dev.cwci.org/regulations/mtus-drug-formulary).
# v.2, v.4, v.5 and v.11 are known to exist (numbering) but no stored page dates them.
DRUG_LIST_VERSIONS: dict[str, date | None] = {
    "1": date(2018, 1, 1),
    "2": None,
    "3": date(2018, 10, 1),
    "4": None,
    "5": None,
    "6": date(2020, 1, 15),
    "7": date(2020, 11, 1),
    "8": date(2021, 2, 1),
    "9": date(2021, 8, 1),
    "10": date(2022, 11, 1),
    "11": None,
    "11.1": date(2024, 2, 15),
    "12": date(2024, 11, 1),
    "13": date(2025, 8, 6),
}
# "Drug List v.10", "Drug List v 12", "Drug List version 11.1", "MTUS Drug List v.3".
DRUG_LIST_VERSION_RE = re.compile(r"\bv(?:ersion)?\.?\s*(?P<version>\d{1,2}(?:\.\d)?)\b", re.I)

# ODG chapters, recognised at the start of an ODG citation's section ("Low Back Chapter, ...",
# "Neck & Upper Back (updated 02/14/17), ...", "Knee and Leg - MRI", "Pain (Chronic), ...").
ODG_CHAPTERS: tuple[Topic, ...] = (
    # "Low Back - Lumbar & Thoracic (Acute & Chronic)", "Low back", "Low Back Lumbar and Thoracic".
    _topic("Low Back", r"^(?:low\s+back|lumbar)(?:\s*[-,]?\s*lumbar\s*(?:&|and)\s*thoracic)?"),
    # "Neck and Upper Back (Acute and Chronic)", "Neck & Upper Back".
    _topic("Neck and Upper Back", r"^neck(?:\s*(?:&|and)\s*upper\s+back)?"),
    # "Knee & Leg", "Knee and Leg Section", "Knee".
    _topic("Knee & Leg", r"^knee(?:\s*(?:&|and)\s*leg)?"),
    # "Shoulder Chapter".
    _topic("Shoulder", r"^shoulder"),
    # "Elbow Chapter".
    _topic("Elbow", r"^elbow"),
    # "Forearm, Wrist and Hand", "Carpal Tunnel Syndrome".
    _topic(
        "Forearm, Wrist & Hand",
        r"^(?:forearm,?\s+wrist,?\s+(?:&|and)\s+hand|wrist|hand\b|carpal\s+tunnel(?:\s+syndrome)?)",
    ),
    # "Hips & Pelvis Chapter".
    _topic("Hip & Pelvis", r"^hips?(?:\s*(?:&|and)\s*pelvis)?\b|^pelvis"),
    # "Ankle and Foot section".
    _topic("Ankle & Foot", r"^(?:ankle(?:\s*(?:&|and)\s*foot)?|foot)"),
    # "Pain (Chronic)", "Pain Chapter", "Pain".
    _topic("Pain (Chronic)", r"^(?:chronic\s+)?pain\b"),
    # "Mental Illness & Stress".
    _topic("Mental Illness & Stress", r"^mental\s+illness(?:\s*(?:&|and)\s*stress)?"),
    # "Head".
    _topic("Head", r"^head\b"),
    # "Hernia Chapter".
    _topic("Hernia", r"^hernia"),
    # "Fitness for Duty".
    _topic("Fitness for Duty", r"^fitness\s+for\s+duty"),
    # "Back" (the 2014 letters' short form).
    _topic("Low Back", r"^back\b"),
)

# What may follow a chapter's name before its topic: "(Acute & Chronic)", "(updated 02/14/17)",
# "Chapter", "section", and a comma, colon, slash or dash.
ODG_CHAPTER_TAIL_RE = re.compile(r"^(?:\s*\([^)]*\))*\s*(?:chapters?|sections?)?[\s,:;/-]*", re.I)

# Separates the citations of several chapters in one ODG sentence: "Low back, Manipulation;
# Neck and Upper back, Manipulation", "... Physical therapy, ODG Elbow (updated 02/14/17), ...".
ODG_PART_SPLIT_RE = re.compile(r";\s*|,?\s+ODG\s+(?=[A-Z])|\s+and\s+ODG\s+")

# Topics of the ODG Pain chapter are medications and pain treatments: an ODG citation naming
# one without a chapter ("ODG, Benzodiazepines") is that chapter's.
PAIN_CHAPTER = "Pain (Chronic)"

# Page ranges of the 2009 Chronic Pain Medical Treatment Guidelines, for the 2014 letters that
# cite only pages ("Page(s): 24, 78-79"). Start and end pages of each topic as printed in the
# 2009 edition; a page outside every range leaves the citation at document level.
CHRONIC_PAIN_PAGES: tuple[tuple[int, int, str], ...] = (
    (11, 12, "Acetaminophen"),
    (13, 16, "Antidepressants"),
    (16, 22, "Antiepilepsy drugs"),
    (22, 22, "NSAIDs"),
    (23, 23, "Psychological evaluation & treatment"),  # Behavioral interventions
    (24, 24, "Benzodiazepines"),
    (25, 26, "Botulinum toxin"),
    (26, 27, "Opioids"),  # Buprenorphine
    (28, 29, "Topical analgesics"),  # Capsaicin
    (29, 29, "Muscle relaxants"),  # Carisoprodol (Soma)
    (30, 34, "Functional restoration programs"),  # Chronic pain programs
    (35, 40, "CRPS"),
    (41, 42, "Muscle relaxants"),  # Cyclobenzaprine
    (43, 43, "Drug testing"),
    (46, 46, "Epidural steroid injections"),
    (46, 47, "Exercise"),
    (49, 49, "Functional restoration programs"),
    (51, 51, "Home health services"),
    (56, 57, "Topical analgesics"),  # Lidoderm
    (58, 60, "Manual therapy & manipulation"),
    (63, 66, "Muscle relaxants"),
    (67, 73, "NSAIDs"),
    (74, 97, "Opioids"),
    (98, 99, "Physical medicine"),
    (100, 102, "Psychological evaluation & treatment"),
    (105, 107, "Antidepressants"),  # SNRIs, SSRIs
    (111, 113, "Topical analgesics"),
    (113, 113, "Opioids"),  # Tramadol
    (114, 116, "TENS"),
    (117, 118, "H-wave stimulation"),
    (118, 120, "Interferential current stimulation"),
    (121, 121, "Neuromuscular electrical stimulation"),
    (122, 122, "Trigger point injections"),
    (123, 123, "Ultrasound, therapeutic"),
    (125, 126, "Work conditioning & hardening"),
)

# Page ranges of ACOEM (2004) chapters commonly cited by page in the 2014 letters.
ACOEM_PAGES: dict[str, tuple[tuple[int, int, str], ...]] = {
    "Neck and Upper Back Complaints": (
        (173, 175, "Physical Methods"),
        (177, 179, "Special Studies"),
        (179, 181, "Surgical Considerations"),
        (181, 183, "Summary"),
    ),
    "Shoulder Complaints": (
        (203, 204, "Physical Methods"),
        (207, 209, "Special Studies"),
        (209, 211, "Surgical Considerations"),
        (212, 214, "Summary"),
    ),
    "Low Back Complaints": (
        (298, 301, "Physical Methods"),
        (303, 305, "Special Studies"),
        (305, 307, "Surgical Considerations"),
        (308, 310, "Summary"),
    ),
    "Knee Complaints": (
        (337, 339, "Physical Methods"),
        (341, 343, "Special Studies"),
        (343, 345, "Surgical Considerations"),
        (346, 347, "Summary"),
    ),
}

# Leading numbering of the 2016 MTUS Opioids guideline ("3.3.9 Opioids for Chronic Pain and
# Chronic Opioid Treatment: Maintenance of Chronic Opioid Treatment"), also where one item of a
# list of them starts.
OPIOID_NUMBER_RE = re.compile(r"(?:^|,\s*)(?=\d+(?:\.\d+)+\s)")
LEADING_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)*\s*")

# Commas that separate a section list, outside parentheses: "Cyclobenzaprine (Flexeril),
# Muscle relaxants (for pain)"; ";" separates whole citations inside one ODG sentence.
LIST_SPLIT_RE = re.compile(r"[,;](?![^()]*\))\s*|\s+and\s+ODG\s+|,?\s+ODG\s+(?=[A-Z])")

# Parenthesised asides and date stamps dropped from unknown topics: "(updated 02/14/17)".
ASIDE_RE = re.compile(r"\s*\([^)]*\)")
# Words that carry no topic: "Official Disability Guidelines (ODG)", "guidelines", "chapter".
NOISE_RE = re.compile(
    r"official\s+disability\s+guidelines?|\bODG\b|\bguidelines?\b|\bchapters?\b|\bsections?\b"
    r"|\btopic\b",
    re.I,
)

_TRIM = " \t,;:.-/"


def canonical_sections(citation: Citation) -> tuple[str, ...]:
    """Canonical keys of one citation, most specific first; () for stock sentences and
    sources that are not guidelines (UpToDate, a web page)."""
    if citation.source is Source.NONE or citation.stock.value:
        return ()
    return _canonical(citation.source, citation.document, citation.section, citation.pages)


# Reviewers cite the same few thousand guideline sections over and over ("Chronic Pain
# Medical Treatment Guidelines, Opioids, Pages 74-96"): each is worked out once per process.
@lru_cache(maxsize=8192)
def _canonical(
    source: Source, document: str, section: str, pages: tuple[int, ...]
) -> tuple[str, ...]:
    if source is Source.ODG:
        return _odg(section)
    if source in (Source.MTUS, Source.ACOEM) and document:
        # The ACOEM guidelines of the MTUS from December 2017 are the MTUS's own documents
        # (8 CCR 9792.22-9792.24.4), filed under MTUS whether or not the letter says ACOEM.
        if document == DRUG_FORMULARY:
            return _formulary(section)
        if document == MENTAL_HEALTH_GUIDELINE:
            return _keys("MTUS", document, _topics(section, MENTAL_HEALTH_MODULES))
        if document in MTUS_2017_DOCUMENTS:
            topics = _topics(section, STUDY_TOPICS + PAIN_TOPICS) if section else []
            if not topics and section:
                topics = [_tidy_topic(section)]
            return _keys("MTUS", document, topics)
        if document in ACOEM_CHAPTERS:
            return _acoem_chapter(document, section, pages)
        if document == CHRONIC_PAIN:
            return _chronic_pain(section, pages)
        if document == OPIOIDS_GUIDELINE:
            return _opioids_guideline(section)
        if document == "ACOEM Practice Guidelines":
            topics = _topics(section, STUDY_TOPICS + PAIN_TOPICS)
            return _keys("ACOEM", "Practice Guidelines", topics)
        # Acupuncture, Postsurgical, and MTUS documents we do not know by name.
        topic = _tidy_topic(section) if section else ""
        return (_key("MTUS", document, topic),)
    if source is Source.ACOEM:
        topics = _topics(section, STUDY_TOPICS + PAIN_TOPICS)
        return _keys("ACOEM", "Practice Guidelines", topics)
    return ()


def _key(source: str, document: str, topic: str) -> str:
    return "|".join((source, document, topic)) if topic else f"{source}|{document}"


def _keys(source: str, document: str, topics: Iterable[str]) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(_key(source, document, t) for t in topics))
    return found or (_key(source, document, ""),)


def _topics(section: str, table: tuple[Topic, ...]) -> list[str]:
    """Topics of a section list, each part matched against ``table`` (first match wins)."""
    out: list[str] = []
    for part in LIST_SPLIT_RE.split(section):
        part = part.strip(_TRIM)
        if not part:
            continue
        for topic in table:
            if topic.pattern.search(part):
                out.append(topic.name)
                break
    return list(dict.fromkeys(out))


def _by_pages(pages: tuple[int, ...], ranges: tuple[tuple[int, int, str], ...]) -> list[str]:
    out: list[str] = []
    for page in pages:
        # The first range holding the page: a page shared by two topics (16: antidepressants
        # end, antiepilepsy drugs begin) goes to the earlier one.
        name = next((name for start, end, name in ranges if start <= page <= end), None)
        if name:
            out.append(name)
    return list(dict.fromkeys(out))


def _chronic_pain(section: str, pages: tuple[int, ...]) -> tuple[str, ...]:
    topics = _topics(section, PAIN_TOPICS + STUDY_TOPICS) if section else []
    if not topics and pages:
        topics = _by_pages(pages, CHRONIC_PAIN_PAGES)
    if not topics and section:
        topics = [_tidy_topic(section)]
    return _keys("MTUS", CHRONIC_PAIN, topics)


def _acoem_chapter(document: str, section: str, pages: tuple[int, ...]) -> tuple[str, ...]:
    # A page number printed as the section ("Section(s): 326") is a page.
    numbers = tuple(int(n) for n in re.findall(r"\b\d{2,3}\b", section))
    words = re.sub(r"\b\d{2,3}\b", "", section)
    topics = _topics(words, ACOEM_SECTIONS + STUDY_TOPICS) if words.strip(_TRIM) else []
    if len(topics) > 1 and "Summary" in topics:
        topics.remove("Summary")
    if not topics:
        topics = _by_pages(pages + numbers, ACOEM_PAGES.get(document, ()))
    return _keys("ACOEM", document, topics)


def drug_list_version(text: str) -> str | None:
    """ "Drug List v.10, Non-Exempt" -> "10"; None when no known version is printed."""
    match = DRUG_LIST_VERSION_RE.search(text)
    if match and match.group("version") in DRUG_LIST_VERSIONS:
        return match.group("version")
    return None


def _formulary(section: str) -> tuple[str, ...]:
    """Keys of a formulary citation: the drug's status or fill policy, then the list with its
    version ("MTUS|MTUS Drug Formulary|Non-Exempt", "...|MTUS Drug List v.10")."""
    topics = [t for t in _topics(section, FORMULARY_TOPICS) if t != "MTUS Drug List"]
    version = drug_list_version(section)
    if version:
        topics.append(f"MTUS Drug List v.{version}")
    elif FORMULARY_TOPICS[-1].pattern.search(section):
        topics.append("MTUS Drug List")
    return _keys("MTUS", DRUG_FORMULARY, topics)


def _opioids_guideline(section: str) -> tuple[str, ...]:
    topics: list[str] = []
    for part in OPIOID_NUMBER_RE.split(section):
        part = LEADING_NUMBER_RE.sub("", part.strip(_TRIM))
        if not part:
            continue
        # "Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of ..." -> the
        # sub-topic after the last colon.
        topics.append(_sentence_case(part.rsplit(":", 1)[-1].strip(_TRIM)))
    return _keys("MTUS", OPIOIDS_GUIDELINE, topics)


def _odg(section: str) -> tuple[str, ...]:
    """ODG keys: "ODG|<chapter>|<topic>", several when one sentence cites several chapters
    ("Low back, Manipulation; Neck and Upper back, Manipulation")."""
    keys: list[str] = []
    previous = ""  # a part without a chapter continues the previous part's chapter
    for part in ODG_PART_SPLIT_RE.split(section):
        part = NOISE_RE.sub(" ", part).strip(_TRIM)
        if not part:
            continue
        chapter = ""
        rest = part
        for candidate in ODG_CHAPTERS:
            head = candidate.pattern.match(part)
            if head:
                chapter = candidate.name
                rest = part[head.end() :]
                tail = ODG_CHAPTER_TAIL_RE.match(rest)
                rest = rest[tail.end() :] if tail else rest
                break
        topics = _topics(rest, STUDY_TOPICS + PAIN_TOPICS) if rest.strip(_TRIM) else []
        if not chapter and topics:
            chapter = previous or (PAIN_CHAPTER if _is_pain_topic(topics[0]) else "")
        if not topics and rest.strip(_TRIM) and chapter:
            topics = [_tidy_topic(rest)]
        if not chapter and not topics:
            continue
        previous = chapter or previous
        keys.extend(_keys("ODG", chapter, topics))
    # "Neck and Upper Back, Manipulation ODG Chiropractic Guidelines": the chapterless repeat
    # of a topic already filed under a chapter adds nothing.
    chaptered = {k.rsplit("|", 1)[-1] for k in keys if not k.startswith("ODG||")}
    keys = [k for k in keys if not (k.startswith("ODG||") and k[5:] in chaptered)]
    return tuple(dict.fromkeys(keys)) or (("ODG|",) if not section else ())


def _is_pain_topic(name: str) -> bool:
    return name in {t.name for t in PAIN_TOPICS[:11]}


def _tidy_topic(text: str) -> str:
    text = ASIDE_RE.sub("", text)
    text = LIST_SPLIT_RE.split(text.strip(_TRIM))[0]
    return _sentence_case(" ".join(text.split()).strip(_TRIM))[:80]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def is_topic_known(key: str) -> bool:
    """True when the key's topic comes from a table (not passed through as printed)."""
    parts = key.split("|")
    if len(parts) < 3:
        return False
    tables = (PAIN_TOPICS, STUDY_TOPICS, ACOEM_SECTIONS, MENTAL_HEALTH_MODULES, FORMULARY_TOPICS)
    known = {t.name for table in tables for t in table}
    known |= {name for _s, _e, name in CHRONIC_PAIN_PAGES}
    known |= {f"MTUS Drug List v.{v}" for v in DRUG_LIST_VERSIONS}
    return parts[2] in known or parts[1] == OPIOIDS_GUIDELINE


# --- Labels ----------------------------------------------------------------------------------

# Short names of the documents in labels ("ODG Low Back - MRI").
SOURCE_LABELS = {"MTUS": "MTUS", "ACOEM": "ACOEM", "ODG": "ODG"}


def section_label(key: str) -> str:
    """ "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids" -> "MTUS Chronic Pain Medical
    Treatment Guidelines - Opioids"; "ODG||Physical medicine" -> "ODG - Physical medicine"."""
    parts = key.split("|")
    if len(parts) > 1 and parts[1].startswith(f"{parts[0]} "):
        parts[0] = ""  # "MTUS|MTUS Drug Formulary" -> "MTUS Drug Formulary"
    head = " ".join(p for p in parts[:2] if p)
    return f"{head} - {parts[2]}" if len(parts) > 2 and parts[2] else head


def document_of(key: str) -> str:
    """ "MTUS|Chronic Pain ...|Opioids" -> "MTUS|Chronic Pain ..."."""
    return "|".join(key.split("|")[:2])


# --- Both parties ---------------------------------------------------------------------------


def party_sections(citations: Iterable[Citation], party: Party) -> tuple[str, ...]:
    """Canonical keys of one party's citations, in order, without repeats."""
    keys: list[str] = []
    for c in citations:
        if c.party is party:
            keys.extend(canonical_sections(c))
    return tuple(dict.fromkeys(keys))


def same_guideline(reviewer: Iterable[str], claims_administrator: Iterable[str]) -> bool | None:
    """Did the reviewer cite the guideline the claims administrator cited?

    True when both name the same canonical section, or the same document where one of them
    gives no section ("MTUS Chronic Pain Medical Treatment Guidelines" against "... -
    Opioids"); None when either cited no guideline at all (only stock sentences).
    """
    mine, theirs = set(reviewer), set(claims_administrator)
    if not mine or not theirs:
        return None
    if mine & theirs:
        return True
    whole_mine = {k for k in mine if k.count("|") == 1}
    whole_theirs = {k for k in theirs if k.count("|") == 1}
    return bool(
        {document_of(k) for k in theirs} & whole_mine
        or {document_of(k) for k in mine} & whole_theirs
    )
