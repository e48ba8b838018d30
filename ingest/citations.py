"""Step 7 of parsing: the guideline citations of one "... guideline:" paragraph.

Each disputed item has two such paragraphs, one per party::

    Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment
    Guidelines Page(s): 24, 78-79.
    MAXIMUS guideline: Decision based on MTUS Low Back Complaints 2004, Section(s):
    Special Studies. Decision based on Non-MTUS Citation Official Disability
    Guidelines (ODG), Low Back Chapter.

A paragraph holds stock sentences ("did not cite any medical evidence") and/or one or
more "Decision based on ..." sentences; an MTUS sentence may name several documents
("Low Back Complaints 2004, Section(s): Physical Methods, and Chronic Pain Medical
Treatment 2016, Section(s): TENS"). Every document becomes one :class:`Citation`.

Document names are normalised to one spelling per guideline so that counting by
document works across the 2014 wording ("Chronic Pain Treatment Guidelines") and the
2016 wording ("Chronic Pain Medical Treatment 2016").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.letter import Citation, Party, Source, Stock

# Ranges longer than this are misprints ("Page(s): 24-2400"); only their ends are kept.
MAX_PAGE_RANGE = 60
# No guideline has more pages than this; larger numbers are misreads.
MAX_PAGE = 2000


@dataclass(frozen=True, slots=True)
class Document:
    """A guideline document the MTUS sentences name, and how it is printed."""

    canonical: str
    pattern: str  # regex for the printed name, whitespace-tolerant
    # ACOEM chapters 1-7 are one MTUS document, "General Approaches"; the chapter's own
    # name becomes the section, as the 2016 letters print it ("General Approaches 2004,
    # Section(s): Initial Approaches to Treatment").
    section: str = ""


GENERAL_APPROACHES = "General Approaches"

# The MTUS as rebuilt for treatment from 1 December 2017: ACOEM guidelines adopted by body part
# (8 CCR 9792.22-9792.24.4). Canonical names as DWC's adoption order prints them, with the
# edition it adopted and the later editions DWC adopted in its place:
#   https://www.dir.ca.gov/dwc/DWCPropRegs/Medical-Treatment-Utilization-Schedule/
#     Medical-Treatment-Utilization-Schedule.htm (the order effective 1 December 2017, each
#     guideline's "updated ... See AD Order Effective ..." note);
#   http://www.workcompwire.com/2017/11/ca-dwc-posts-order-adopting-updates-to-treatment-guidelines/
#     (the same order: Opioids Guideline April 20, 2017; Chronic Pain Guideline May 15, 2017).
# The names overlap with the 2004 chapters ("Low Back Disorders" was read as "Low Back
# Complaints"): a 2017 guideline is told by its own name ("... Guideline", singular), by a name
# the 2004 MTUS never had ("Cervical and Thoracic Spine", "Hand, Wrist, and Forearm", "Hip and
# Groin", "Eye", "Asthma", ...), or by an edition year no 2004/2007 chapter or 2009/2016 DWC
# guideline has. The year thresholds are the earliest ACOEM edition DWC adopted for each name.
INITIAL_APPROACHES_GUIDELINE = "Initial Approaches to Treatment Guideline"
OPIOIDS_2017 = "Opioids Guideline"
CHRONIC_PAIN_2017 = "Chronic Pain Guideline"
MENTAL_HEALTH_GUIDELINE = "Workplace Mental Health Guideline"
# The MTUS Drug Formulary (8 CCR 9792.27.1-9792.27.23, from 1 January 2018) and its MTUS Drug
# List (9792.27.15); see ingest.normalize.guidelines for its versions and sections.
DRUG_FORMULARY = "MTUS Drug Formulary"


def _since(year: int) -> str:
    """Lookahead: an edition year from ``year`` on follows the name, as "Low Back Disorders
    2019" or "Low Back Disorders (ACOEM March 7, 2019)" print it."""
    decade, unit = divmod(year - 2000, 10)
    later = rf"20(?:{decade}[{unit}-9]|[{decade + 1}-9]\d)"
    return (
        rf"(?=[\s,]*\(?{later}\b|[\s,]*\((?:ACOEM\s+)?(?:[A-Z][a-z]+\.?\s+)?"
        rf"(?:\d{{1,2}},?\s+)?{later}\))"
    )


# "Guideline" in the singular: the 2017 ACOEM names ("Low Back Disorders Guideline"); the DWC
# guidelines before them are plural ("Chronic Pain Medical Treatment Guidelines").
_GUIDELINE = r"(?:\s+Guideline\b(?!s))"


def _acoem_2017(name: str, since: int) -> str:
    """A 2017-MTUS guideline whose name an older document shares: by "Guideline" or the year."""
    return rf"{name}(?:{_GUIDELINE}|{_since(since)})"


# The MTUS documents. The ACOEM chapters (2004 ACOEM Practice Guidelines, 2nd ed., and
# the 2007 Elbow chapter) are part of the MTUS; the 2014 letters cite them as "MTUS ACOEM
# Chapter 12 Low Back Complaints", the 2016 letters as "MTUS Low Back Complaints 2004".
# The document name is the same for both; the source follows the letter's words (ACOEM
# when it says "ACOEM" or gives an ACOEM chapter number, MTUS otherwise).
DOCUMENTS: tuple[Document, ...] = (
    # The MTUS from 1 December 2017 (sources above), before the older names they share.
    # "Initial Approaches to Treatment Guideline (ACOEM June 30, 2017)".
    Document(
        INITIAL_APPROACHES_GUIDELINE, _acoem_2017(r"Initial\s+Approaches\s+to\s+Treatment", 2017)
    ),
    # "Opioids Guideline (ACOEM April 20, 2017)"; the DWC 2016 one is "Opioids Treatment".
    Document(OPIOIDS_2017, rf"Opioids?{_GUIDELINE}|Opioids?(?:\s+Treatment)?{_since(2017)}"),
    # "Chronic Pain Guideline (ACOEM May 15, 2017)"; DWC's own were 2009 and 2016.
    Document(
        CHRONIC_PAIN_2017,
        rf"Chronic\s+Pain(?:\s+Medical)?(?:\s+Treatment)?(?:\s+Guidelines?)?{_since(2017)}"
        rf"|Chronic\s+Pain{_GUIDELINE}(?=[\s,]*\(?ACOEM)",
    ),
    # "Cervical and Thoracic Spine Disorders Guideline (ACOEM May 27, 2016)", updated
    # 10-17-2018 (AD Order effective 4-18-2019).
    Document(
        "Cervical and Thoracic Spine Disorders Guideline",
        rf"Cervical\s+(?:and|&)\s+Thoracic\s+Spine(?:\s+Disorders)?{_GUIDELINE}?",
    ),
    # "Shoulder Disorders Guideline (ACOEM August 1, 2016)".
    Document("Shoulder Disorders Guideline", _acoem_2017(r"Shoulder\s+Disorders", 2011)),
    # "Elbow Disorders Guideline (ACOEM 2013)", updated 8-23-2018 (effective 4-18-2019); the
    # 2007 Elbow chapter of the old MTUS stays "Elbow Complaints".
    Document("Elbow Disorders Guideline", _acoem_2017(r"Elbow\s+Disorders", 2013)),
    # "Hand, Wrist, and Forearm Disorders Guideline (ACOEM June 30, 2016)", updated 1-7-2019
    # (effective 4-18-2019).
    Document(
        "Hand, Wrist, and Forearm Disorders Guideline",
        rf"Hand,?\s+Wrist,?\s+(?:and|&)\s+Forearm(?:\s+Disorders)?{_GUIDELINE}?",
    ),
    # "Low Back Disorders Guideline (ACOEM February 24, 2016)", updated 3-7-2019 (effective
    # 8-11-2019) and February 13, 2020 (effective 11-23-2021, workcompacademy.com/2021/11/
    # dwc-updates-low-back-treatment-guideline/).
    Document("Low Back Disorders Guideline", _acoem_2017(r"Low\s+Back\s+Disorders", 2011)),
    # "Knee Disorders Guideline (ACOEM October 28, 2015)", updated 12-3-2019 (effective
    # 9-21-2020).
    Document("Knee Disorders Guideline", _acoem_2017(r"Knee\s+Disorders", 2011)),
    # "Ankle and Foot Disorders Guideline (ACOEM September 2015)", updated 7-16-2018
    # (effective 4-18-2019).
    Document(
        "Ankle and Foot Disorders Guideline",
        _acoem_2017(r"Ankle\s+(?:and|&)\s+Foot\s+Disorders", 2011),
    ),
    # "Hip and Groin Guideline (ACOEM May 1, 2011)", updated 4-24-2019 (effective 10-7-2019).
    Document(
        "Hip and Groin Guideline",
        rf"Hips?\s+(?:and|&)\s+Groin(?:\s+Disorders?)?{_GUIDELINE}?",
    ),
    # "Eye Disorders Guideline (ACOEM April 1, 2017)".
    Document("Eye Disorders Guideline", rf"Eye\s+Disorders{_GUIDELINE}?"),
    # "Occupational/Work-Related Asthma Medical Treatment Guideline (ACOEM January 4, 2016)",
    # updated 6-5-2020 (effective 9-21-2020).
    Document(
        "Occupational/Work-Related Asthma Guideline",
        r"(?:Occupational\s*/?\s*)?Work[\s-]*Related\s+Asthma(?:\s+Medical\s+Treatment)?"
        rf"{_GUIDELINE}?|Occupational\s+Asthma{_GUIDELINE}?",
    ),
    # "Occupational Interstitial Lung Disease Guideline (ACOEM January 4, 2016)", updated
    # 11-8-2019 (effective 9-21-2020).
    Document(
        "Occupational Interstitial Lung Disease Guideline",
        rf"(?:Occupational\s+)?Interstitial\s+Lung\s+Disease{_GUIDELINE}?",
    ),
    # Workplace Mental Health (8 CCR 9792.23.8), one guideline in modules: "Post-traumatic
    # Stress Disorder and Acute Stress Disorder" (ACOEM December 18, 2018; effective
    # 4-18-2019: providernews.anthem.com/california/article/treatment-guidelines-for-medical-
    # treatment-utilization-schedule-update-effective-april-18-2019), "Depressive Disorders"
    # (ACOEM February 13, 2020; effective 9-21-2020: www.dir.ca.gov/dwc/DWCPropRegs/2020/
    # MTUS-Evidence-Based-Updates-June-2020/MTUS-Evidence-Based-Update.htm) and "Anxiety
    # Disorders" (ACOEM April 30, 2021; effective 7-19-2021: www.cwci.org/us_technical-issues/
    # mtus-updates-covid-19-and-mental-health-treatment-guidelines/). The module is the section.
    Document(
        MENTAL_HEALTH_GUIDELINE,
        r"(?:Workplace\s+Mental\s+Health(?:\s+Guide(?:line)?)?\s*[:,-]?\s*)?Post-?\s?traumatic"
        r"\s+Stress\s+Disorder(?:\s+(?:and|&)\s+Acute\s+Stress\s+Disorder)?(?:\s+\(PTSD\))?"
        rf"{_GUIDELINE}?",
        "Post-traumatic Stress Disorder and Acute Stress Disorder",
    ),
    Document(
        MENTAL_HEALTH_GUIDELINE,
        r"(?:Workplace\s+Mental\s+Health(?:\s+Guide(?:line)?)?\s*[:,-]?\s*)?Depressive\s+"
        rf"Disorders?{_GUIDELINE}?",
        "Depressive Disorders",
    ),
    Document(
        MENTAL_HEALTH_GUIDELINE,
        r"(?:Workplace\s+Mental\s+Health(?:\s+Guide(?:line)?)?\s*[:,-]?\s*)?Anxiety\s+"
        rf"Disorders?{_GUIDELINE}?",
        "Anxiety Disorders",
    ),
    Document(MENTAL_HEALTH_GUIDELINE, r"Workplace\s+Mental\s+Health(?:\s+Guide(?:line)?)?"),
    # "Coronavirus (COVID-19) Guideline" (ACOEM March 29, 2021; effective 6-28-2021, the CWCI
    # page above).
    Document(
        "Coronavirus (COVID-19) Guideline",
        rf"Coronavirus(?:\s*\(COVID-19\))?{_GUIDELINE}?|COVID-19{_GUIDELINE}",
    ),
    # The MTUS Drug Formulary. "Drug List" and a regulation number are kept in the section
    # (the lookahead matches no text), so "MTUS Drug List v.10, Non-Exempt" keeps its version:
    # "MTUS Drug Formulary", "MTUS Drug List v.10", "8 CCR 9792.27.15".
    Document(DRUG_FORMULARY, r"(?:MTUS\s+)?Drug\s+Formulary"),
    Document(
        DRUG_FORMULARY,
        r"(?=(?:MTUS\s+)?Drug\s+List\b|(?:8\s*C\.?\s?C\.?\s?R\.?\s*)?(?:§+\s*)?9792\.27\b)",
    ),
    Document(
        "Chronic Pain Medical Treatment Guidelines",
        r"Chronic\s+Pain\s+(?:Medical\s+)?Treatment(?:\s+Guidelines?)?|Chronic\s+Pain\s+Guidelines?",
    ),
    Document("Opioids Treatment Guidelines", r"Opioids?\s+Treatment(?:\s+Guidelines?)?"),
    Document(
        "Acupuncture Medical Treatment Guidelines",
        r"Acupuncture\s+(?:Medical\s+)?Treatment(?:\s+Guidelines?)?|Acupuncture\s+Guidelines?",
    ),
    Document(
        "Postsurgical Treatment Guidelines",
        r"Post-?\s?surgical\s+(?:Treatment\s+)?Guidelines?|Post-?\s?surgical\s+Treatment",
    ),
    Document(GENERAL_APPROACHES, r"Prevention(?=\s+(?:19|20)\d\d)", "Prevention"),
    Document(
        GENERAL_APPROACHES,
        r"General\s+Approach\s+to\s+Initial\s+Assessment\s+and\s+Documentation",
        "General Approach to Initial Assessment and Documentation",
    ),
    Document(GENERAL_APPROACHES, r"General\s+Approaches"),
    Document(
        GENERAL_APPROACHES,
        r"Initial\s+Approaches\s+to\s+Treatment",
        "Initial Approaches to Treatment",
    ),
    Document(GENERAL_APPROACHES, r"Work[\s-]*Relatedness", "Work-Relatedness"),
    Document(
        GENERAL_APPROACHES,
        r"Cornerstones\s+of\s+Disability\s+Prevention\s+(?:and|&)\s+Management",
        "Cornerstones of Disability Prevention and Management",
    ),
    Document(
        GENERAL_APPROACHES,
        r"Pain,?\s+Suffering,?\s+(?:and|&)\s+the\s+Restoration\s+of\s+Function",
        "Pain, Suffering, and the Restoration of Function",
    ),
    Document(
        GENERAL_APPROACHES,
        r"Independent\s+Medical\s+Examinations\s+(?:and|&)\s+Consultations",
        "Independent Medical Examinations and Consultations",
    ),
    Document(
        "Neck and Upper Back Complaints",
        r"Neck\s+(?:and|&)\s+Upper\s+Back\s+(?:Complaints|Disorders)",
    ),
    Document("Shoulder Complaints", r"Shoulder\s+(?:Complaints|Disorders)"),
    Document("Elbow Complaints", r"Elbow\s+(?:Complaints|Disorders)"),
    Document(
        "Forearm, Wrist, and Hand Complaints",
        r"Forearm,?\s+Wrist,?\s+(?:and|&)\s+Hand\s+(?:Complaints|Disorders)",
    ),
    Document("Low Back Complaints", r"Low\s+Back\s+(?:Complaints|Disorders)"),
    Document("Knee Complaints", r"Knee\s+(?:Complaints|Disorders)"),
    Document("Ankle and Foot Complaints", r"Ankle\s+(?:and|&)\s+Foot\s+(?:Complaints|Disorders)"),
    Document("Stress-Related Conditions", r"Stress[\s-]*Related\s+Conditions"),
)

# ACOEM 2nd edition chapter numbers, for "MTUS ACOEM Chapter 12" without a name:
# number -> (document, section).
ACOEM_CHAPTERS: dict[int, tuple[str, str]] = {
    1: (GENERAL_APPROACHES, "Prevention"),
    2: (GENERAL_APPROACHES, "General Approach to Initial Assessment and Documentation"),
    3: (GENERAL_APPROACHES, "Initial Approaches to Treatment"),
    4: (GENERAL_APPROACHES, "Work-Relatedness"),
    5: (GENERAL_APPROACHES, "Cornerstones of Disability Prevention and Management"),
    6: (GENERAL_APPROACHES, "Pain, Suffering, and the Restoration of Function"),
    7: (GENERAL_APPROACHES, "Independent Medical Examinations and Consultations"),
    8: ("Neck and Upper Back Complaints", ""),
    9: ("Shoulder Complaints", ""),
    10: ("Elbow Complaints", ""),
    11: ("Forearm, Wrist, and Hand Complaints", ""),
    12: ("Low Back Complaints", ""),
    13: ("Knee Complaints", ""),
    14: ("Ankle and Foot Complaints", ""),
    15: ("Stress-Related Conditions", ""),
}

_DOCUMENT_RES = tuple((re.compile(d.pattern, re.I), d) for d in DOCUMENTS)
_ANY_DOCUMENT = "|".join(f"(?:{d.pattern})" for d in DOCUMENTS)
# Chapter 1-7 names double as section names ("Section(s): Follow-up Visits, General
# Approach", "Section(s): ..., Initial Approaches to Treatment"): in a list they start a
# new document only when their year follows.
_LIST_DOCUMENT = "|".join(
    f"(?:{d.pattern})" for d in DOCUMENTS if d.canonical != GENERAL_APPROACHES
)

# Splits a paragraph into its "Decision based on ..." sentences; the phrase may wrap:
# "... Section(s): Special Studies. Decision based on Non-MTUS Citation ..."
DECISION_BASED_RE = re.compile(r"\bDecision\s+based\s+on\s+", re.I)

# The 2013 notices say in prose what "Decision based on" says later: "The Expert Reviewer
# based his/her decision on the MTUS Chronic Pain Medical Treatment Guidelines, pages 30-32."
# ("relied on" too). ``notice_guideline`` rewrites each such opening to "Decision based on",
# so one reader serves both. Not the stock sentence "... based their decision on
# recommendation(s) outside of the MTUS", which stays as printed.
NOTICE_BASED_ON_RE = re.compile(
    r"\b(?:The\s+)?(?:Claims\s+Administrator|(?:Expert\s+|physician\s+)?Reviewer)\s+"
    r"(?:based\s+(?:its|his|her|his/her|his\s+or\s+her)\s+decision|relied)\s+(?:up)?on\s+"
    r"(?!recommendation)(?:the\s+)?",
    re.I,
)


def notice_guideline(paragraph: str) -> str:
    """A 2013 notice's guideline paragraph in the "Decision based on ..." wording."""
    return NOTICE_BASED_ON_RE.sub("Decision based on ", paragraph)


# Stock sentences, matched on their key words (the whole sentence is cut out around the
# match afterwards: a leading "[^.]*" would make the search quadratic).
# "The Claims Administrator did not cite any medical evidence for its decision."
NO_EVIDENCE_RE = re.compile(r"\bdid\s+not\s+cite\s+any\s+(?:medical\s+)?evidence\b", re.I)
# "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines."
OUTSIDE_MTUS_RE = re.compile(
    r"\bbased\s+(?:their|its|his|her|the)\s+decision\s+on\s+recommendations?(?:\(s\))?\s+"
    r"outside\s+(?:of\s+)?the\s+MTUS\b",
    re.I,
)
# "The Claims Administrator did not base their decision on the MTUS."
NOT_MTUS_RE = re.compile(
    r"\bdid\s+not\s+base\s+(?:their|its|his|her|the)\s+decision\s+on\s+the\s+MTUS\b", re.I
)
# Each with a word its sentence must contain: most paragraphs hold none of the three, and a
# substring test is far cheaper than a case-insensitive regex scan.
STOCK_SENTENCES = (
    (NO_EVIDENCE_RE, Stock.NO_EVIDENCE, "cite"),
    (OUTSIDE_MTUS_RE, Stock.OUTSIDE_MTUS, "outside"),
    (NOT_MTUS_RE, Stock.NOT_MTUS, "base"),
)

# What follows "Decision based on": "MTUS ..." or "Non-MTUS Citation ...".
NON_MTUS_RE = re.compile(r"^Non[\s-]*MTUS(?:\s+Citations?)?\s*:?\s*", re.I)
MTUS_RE = re.compile(r"^(?:the\s+)?(?:CA\s+|California\s+)?MTUS\b[\s,:]*", re.I)

# "ACOEM", "ACOEM Chapter 12", "ACOEM Practice Guidelines, Chapter 5" before a chapter name:
# "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 300-301".
ACOEM_PREFIX_RE = re.compile(
    r"(?P<acoem>ACOEM\b(?:\s+Practice\s+Guidelines?)?)?[\s,]*"
    r"(?:Chapter\s+(?P<chapter>\d{1,2})\b[\s,:-]*)?",
    re.I,
)

# Edition year right after a document name: "Low Back Complaints 2004, Section(s): ...".
YEAR_RE = re.compile(r"[\s,]*\(?(?P<year>(?:19|20)\d\d)\b\)?")
# ... or as DWC's adoption order dates the ACOEM guidelines: "Low Back Disorders Guideline
# (ACOEM February 24, 2016)", "Elbow Disorders Guideline (ACOEM 2013)".
DATED_YEAR_RE = re.compile(
    r"[\s,]*\((?:ACOEM\s+)?(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?P<year>(?:19|20)\d\d)\)", re.I
)
# A "Section(s):" label inside a formulary citation's section: "Drug List v.10, Section(s):
# Non-Exempt" -> "Drug List v.10, Non-Exempt".
INNER_SECTION_LABEL_RE = re.compile(r"[\s,;]*\bSections?(?:\(s\))?\s*:\s*", re.I)

# Where the next document of a list starts: ", and Shoulder Complaints 2004",
# ",Chronic Pain Treatment Guidelines." A known name must follow and be followed by a
# year or the end of the name, so section words like "chronic pain (TENS)" never split.
# The formulary by its own words: ", and MTUS Drug List v.10" (not "specific drug list").
NEXT_DOCUMENT_RE = re.compile(
    rf"(?:[,;]\s*(?:and\s+)?|\s+and\s+)(?=ACOEM\b|(?:{_ANY_DOCUMENT})[\s,]*(?:19|20)\d\d\b"
    rf"|(?:{_LIST_DOCUMENT})"
    r"(?:\s+Guidelines?\b|\s*[.,;]|\s*$|\s+Page\(s\)|\s+Section\(s\))"
    r"|MTUS\s+Drug\s+(?:List|Formulary)\b|Drug\s+Formulary\b|Drug\s+List\s+v(?:ersion)?\.?\s*\d)",
    re.I,
)

# "Section(s):" label before the 2016 section list.
SECTION_LABEL_RE = re.compile(r"^[\s,:;-]*Sections?(?:\(s\))?\s*:?\s*", re.I)

# Pages of a 2014 citation: "Page(s): 24, 78-79." / "Page(s): 13-16, 43" / "Pages 300 and 309".
PAGES_RE = re.compile(
    r"\bPages?(?:\(s\))?\s*:?\s*(?P<pages>\d+(?:\s*(?:-|\u2013|,|and|&)\s*\d+)*)", re.I
)
# One number or range inside a page list: "78-79", "24".
PAGE_PART_RE = re.compile(r"(?P<start>\d+)(?:\s*[-\u2013]\s*(?P<end>\d+))?")

# Official Disability Guidelines by name or initials, at the start of a Non-MTUS citation:
# "Official Disability Guidelines (ODG), Low Back Chapter" / "ODG Mental Illness and Stress".
# The edition year may follow the name, after a comma or in parentheses, and after ODG's
# product name: "ODG 2018", "Official Disability Guidelines (ODG), 2019, Low Back",
# "ODG Treatment in Workers' Comp (2020)".
ODG_START_RE = re.compile(
    r"^(?:the\s+)?(?:(?:Official\s+Disability\s+Guidelines?|Work\s+Loss\s+Data\s+Institute)"
    r"(?:\s*\(ODG\))?|ODG\b)(?:[\s,]*Treatment\s+in\s+Workers'?\s*Comp(?:ensation)?\b)?"
    r"(?:[\s,]*\(?(?P<year>(?:19|20)\d\d)\b\)?(?:\s+edition\b)?)?[\s,:;-]*",
    re.I,
)
# ODG named later in the citation: "Knee Official Disability Guidelines (ODG), ...".
ODG_ANYWHERE_RE = re.compile(r"Official\s+Disability\s+Guidelines?|\bODG\b", re.I)

# Two citations printed without a space, seen in 2014 letters:
# "Official Disability GuidelinesJournal of Pain Practice 2011; pages 14-15"
GLUED_AFTER_ODG_RE = re.compile(r"(?<=Official Disability Guidelines)(?=[A-Z])")

# A second, non-ODG source listed after the ODG one:
# "... Epidural Steroid Injection (ESI) and Other Medical Treatment Guidelines www.mdguidelines.com"
OTHER_GUIDELINES_RE = re.compile(
    r"[\s,;]+and\s+(?=Other\s+Medical\s+Treatment\s+Guidelines\b)", re.I
)

# ACOEM cited outside the MTUS (3rd edition chapters): "ACOEM Practice Guidelines, 3rd Ed."
ACOEM_START_RE = re.compile(
    r"^(?:ACOEM|American\s+College\s+of\s+Occupational\s+and\s+Environmental\s+Medicine)"
    r"(?:\s+Practice\s+Guidelines?)?[\s,:;-]*",
    re.I,
)
# Its edition, kept as the year printed: "3rd Edition (2011)", "2nd Ed. 2004", "2019".
ACOEM_EDITION_RE = re.compile(
    r"^(?:(?:\d(?:st|nd|rd|th)|second|third|fourth)\s+Ed(?:ition|\.)?[\s,]*)?"
    r"(?:\(?(?P<year>(?:19|20)\d\d)\b\)?)?[\s,:;-]*",
    re.I,
)

# Publishers of other (Non-MTUS, non-ODG) sources, by a tell-tale in the citation:
# "Tadalafil: Drug information, accessed from UpToDate.com on 02/01/2017."
OTHER_PUBLISHERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bUp\s*To\s*Date\b", re.I), "UpToDate"),
    (
        re.compile(r"^Other\s+Medical\s+Treatment\s+Guidelines?[\s,:;-]*", re.I),
        "Other Medical Treatment Guidelines",
    ),
    (re.compile(r"\bmdguidelines\b|\bMD\s*Guidelines\b", re.I), "MDGuidelines"),
    (re.compile(r"\bMedscape\b", re.I), "Medscape"),
    (re.compile(r"\bPractical\s+Pain\s+Management\b", re.I), "Practical Pain Management"),
    (
        re.compile(r"\bNational\s+Guideline\s+Clearinghouse\b", re.I),
        "National Guideline Clearinghouse",
    ),
)

# Trailing "accessed from UpToDate.com on 02/01/2017." is about the source, not the topic.
ACCESSED_RE = re.compile(r",?\s*accessed\s+(?:from|at|on|via)\b.*$", re.I)

_TRIM = " \t\n,;:.-"


@dataclass(frozen=True, slots=True)
class ParagraphCitations:
    citations: tuple[Citation, ...]
    warnings: tuple[str, ...] = ()


# Guideline paragraphs repeat across letters word for word (the same drug, the same pages):
# each is read once per process. The result is immutable, so sharing it is safe.
@lru_cache(maxsize=8192)
def read_citations(paragraph: str, party: Party) -> ParagraphCitations:
    """All citations in one guideline paragraph, in the order printed."""
    text = " ".join(paragraph.split())
    found: list[tuple[int, Citation]] = []
    warnings: list[str] = []
    lowered = text.lower()
    for pattern, stock, word in STOCK_SENTENCES:
        if word not in lowered:
            continue
        for match in pattern.finditer(text):
            start = text.rfind(". ", 0, match.start()) + 1
            end = text.find(".", match.end())
            raw = text[start : len(text) if end < 0 else end + 1].strip()
            found.append((match.start(), _stock(party, stock, raw)))
    starts = [m for m in DECISION_BASED_RE.finditer(text)]
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        sentence = text[match.end() : end].strip(_TRIM)
        citations, sentence_warnings = _read_sentence_cached(sentence, party)
        warnings.extend(sentence_warnings)
        found.extend((match.start(), c) for c in citations)
    if not found and text:
        # Not the stock wording: keep the text as one citation so nothing is lost.
        found.append((0, _loose(text, party)))
        warnings.append(f"{_party_name(party)} guideline not in the usual wording")
    found.sort(key=lambda pair: pair[0])
    return ParagraphCitations(tuple(c for _pos, c in found), tuple(warnings))


def _stock(party: Party, stock: Stock, raw: str) -> Citation:
    return Citation(party, Source.NONE, "", None, "", (), raw, stock)


def _party_name(party: Party) -> str:
    return "Claims Administrator" if party is Party.CLAIMS_ADMINISTRATOR else "MAXIMUS"


# Guideline sentences are formulaic ("... based its decision on the MTUS Chronic Pain Medical
# Treatment Guidelines, Opioids, pages 74-96."): the same sentence is read once per process.
@lru_cache(maxsize=8192)
def _read_sentence_cached(
    sentence: str, party: Party
) -> tuple[tuple[Citation, ...], tuple[str, ...]]:
    citations, warnings = _read_sentence(sentence, party)
    return tuple(citations), tuple(warnings)


def _read_sentence(sentence: str, party: Party) -> tuple[list[Citation], list[str]]:
    non_mtus = NON_MTUS_RE.match(sentence)
    if non_mtus:
        return _read_non_mtus(sentence[non_mtus.end() :], party), []
    mtus = MTUS_RE.match(sentence)
    if mtus:
        return _read_mtus(sentence[mtus.end() :], party)
    if ACOEM_START_RE.match(sentence) and _match_document(sentence) is None:
        return _read_mtus(sentence, party)
    if ODG_START_RE.match(sentence) or ACOEM_START_RE.match(sentence):
        return _read_non_mtus(sentence, party), []
    if _match_document(sentence) is not None:
        return _read_mtus(sentence, party)
    return _read_non_mtus(sentence, party), []


def _match_document(text: str, pos: int = 0) -> tuple[re.Match[str], Document] | None:
    for pattern, document in _DOCUMENT_RES:
        match = pattern.match(text, pos)
        if match:
            return match, document
    return None


def _read_mtus(body: str, party: Party) -> tuple[list[Citation], list[str]]:
    """One citation per document in an MTUS sentence."""
    citations: list[Citation] = []
    warnings: list[str] = []
    pieces = [p.strip(_TRIM) for p in NEXT_DOCUMENT_RE.split(body)]
    for piece in pieces:
        if not piece:
            continue
        citation, piece_warnings = _read_mtus_document(piece, party)
        citations.append(citation)
        warnings.extend(piece_warnings)
    if not citations:
        citations.append(Citation(party, Source.MTUS, "", None, "", (), body))
    return citations, warnings


def _read_mtus_document(piece: str, party: Party) -> tuple[Citation, list[str]]:
    source = Source.MTUS
    document = ""
    chapter_section = ""
    pos = 0
    prefix = ACOEM_PREFIX_RE.match(piece)
    if prefix and (prefix.group("acoem") or prefix.group("chapter")):
        source = Source.ACOEM
        pos = prefix.end()
    named = _match_document(piece, pos)
    if named:
        match, doc = named
        document, chapter_section, pos = doc.canonical, doc.section, match.end()
    elif prefix and prefix.group("chapter"):
        document, chapter_section = ACOEM_CHAPTERS.get(int(prefix.group("chapter")), ("", ""))
    year: int | None = None
    year_match = YEAR_RE.match(piece, pos) or DATED_YEAR_RE.match(piece, pos)
    if year_match and (document or source is Source.ACOEM):
        year, pos = int(year_match.group("year")), year_match.end()
    rest = piece[pos:]
    if not document and source is Source.MTUS:
        # An MTUS document we do not know: its name is what precedes the year/section.
        document, rest = _unknown_document(rest)
        year_match = YEAR_RE.match(rest)
        if year_match:
            year, rest = int(year_match.group("year")), rest[year_match.end() :]
    section, pages, warnings = _section_and_pages(rest)
    if chapter_section:
        section = f"{chapter_section}, {section}" if section else chapter_section
    if document == DRUG_FORMULARY:
        section = _tidy(INNER_SECTION_LABEL_RE.sub(", ", section))
    return Citation(party, source, document, year, section, pages, piece), warnings


# An unknown MTUS document name ends at its year, a "Section(s)"/"Page(s)" label or the end.
UNKNOWN_DOCUMENT_RE = re.compile(
    r"^(?P<name>.*?)(?=[\s,]*\(?(?:19|20)\d\d\b|\s*,?\s*(?:Sections?|Pages?)\(s\)|\s*$)", re.I
)


def _unknown_document(text: str) -> tuple[str, str]:
    match = UNKNOWN_DOCUMENT_RE.match(text)
    name = match.group("name") if match else text
    name = name.strip(_TRIM)
    if name.lower() in {"", "guideline", "guidelines"}:
        return "", text[len(match.group("name")) if match else 0 :]
    return name, text[match.end() if match else len(text) :]


def _section_and_pages(text: str) -> tuple[str, tuple[int, ...], list[str]]:
    warnings: list[str] = []
    pages: tuple[int, ...] = ()
    pages_match = PAGES_RE.search(text)
    if pages_match:
        pages, warnings = parse_pages(pages_match.group("pages"))
        text = text[: pages_match.start()] + " " + text[pages_match.end() :]
    text = SECTION_LABEL_RE.sub("", text, count=1)
    return _tidy(text), pages, warnings


def parse_pages(text: str) -> tuple[tuple[int, ...], list[str]]:
    """Page numbers of "24, 78-79" -> (24, 78, 79), in order, without repeats."""
    pages: list[int] = []
    warnings: list[str] = []
    for part in PAGE_PART_RE.finditer(text):
        start = int(part.group("start"))
        end = int(part.group("end")) if part.group("end") else start
        if end < start:
            start, end = end, start
        if end > MAX_PAGE:
            warnings.append(f"page number {end} out of range; ignored")
            continue
        if end - start > MAX_PAGE_RANGE:
            warnings.append(f"page range {start}-{end} too long; kept its ends only")
            span: list[int] = [start, end]
        else:
            span = list(range(start, end + 1))
        pages.extend(p for p in span if p not in pages)
    return tuple(pages), warnings


def _read_non_mtus(body: str, party: Party) -> list[Citation]:
    """One citation per source in a Non-MTUS sentence (usually one)."""
    parts = [
        part
        for piece in OTHER_GUIDELINES_RE.split(body)
        for part in GLUED_AFTER_ODG_RE.split(piece)
    ]
    return [_non_mtus_citation(p.strip(_TRIM), party) for p in parts if p.strip(_TRIM)]


def _non_mtus_citation(text: str, party: Party) -> Citation:
    odg = ODG_START_RE.match(text)
    if odg:
        year = int(odg.group("year")) if odg.group("year") else None
        return Citation(
            party,
            Source.ODG,
            "Official Disability Guidelines",
            year,
            _tidy(text[odg.end() :]),
            (),
            text,
        )
    acoem = ACOEM_START_RE.match(text)
    if acoem:
        rest = text[acoem.end() :]
        edition = ACOEM_EDITION_RE.match(rest)
        year = int(edition.group("year")) if edition and edition.group("year") else None
        if year is not None and edition:
            rest = rest[edition.end() :]
        return Citation(
            party, Source.ACOEM, "ACOEM Practice Guidelines", year, _tidy(rest), (), text
        )
    if ODG_ANYWHERE_RE.search(text):
        return Citation(
            party, Source.ODG, "Official Disability Guidelines", None, _tidy(text), (), text
        )
    for pattern, publisher in OTHER_PUBLISHERS:
        match = pattern.search(text)
        if match:
            section = text[match.end() :] if match.start() == 0 else ACCESSED_RE.sub("", text)
            if match.start() > 0 and section == text:
                section = text[: match.start()] + text[match.end() :]
            return Citation(party, Source.OTHER, publisher, None, _tidy(section), (), text)
    # No source named ("Low Back Chapter, Facet Joint Pain, Signs & Symptoms"). The
    # chapter may well be ODG's, but the letter does not say so and the same shape is
    # used for other references; we record what was printed, as OTHER, rather than
    # credit a publisher the letter did not name.
    return Citation(party, Source.OTHER, "", None, _tidy(text), (), text)


# Guideline names that tell the source of a paragraph not in the stock wording:
# "The Claims Administrator relied on the ACOEM guidelines."
LOOSE_SOURCES: tuple[tuple[re.Pattern[str], Source], ...] = (
    (ODG_ANYWHERE_RE, Source.ODG),
    (re.compile(r"\bACOEM\b", re.I), Source.ACOEM),
    (re.compile(r"\bMTUS\b", re.I), Source.MTUS),
)


def _loose(text: str, party: Party) -> Citation:
    source = next((s for pattern, s in LOOSE_SOURCES if pattern.search(text)), Source.OTHER)
    return Citation(party, source, "", None, "", (), text)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(_TRIM)
