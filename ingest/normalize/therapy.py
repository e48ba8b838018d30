"""Visits requested for a therapy, and the body region a treatment is for.

"Physical therapy 2 times a week for 6 weeks" asks for 12 visits, "Acupuncture trial 2 x 4"
for 8, "Chiropractic care for the low back; six sessions" for 6. ``visit_count`` reads the
number the request states, and ``body_region`` the region it names ("lumbar spine" ->
"Lumbar spine"). Both return None when the treatment does not say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.normalize.numbers import number

_NUMBER = (
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|sixteen|eighteen|twenty|twenty-four|thirty)"
)

# Words that may stand between a count and "sessions" ("Ten aquatic therapy sessions",
# "Twelve additional chiropractic visits"), but not units of a schedule ("6 weeks of visits").
_WORDS_BEFORE_SESSIONS = (
    r"(?:(?!(?:weeks?|wks?|times?|per|days?|months?|hours?|hrs?|x)\b)[a-z][a-z/&-]*,?\s+){0,4}"
)

# A stated total in parentheses after the schedule: "two times four visits (8)",
# "2x4 weeks (8)", "twice a week for six weeks (12)".
TOTAL_RE = re.compile(
    r"\b(?:sessions?|visits?|treatments?|weeks?|wks?)\s*\(\s*(?P<n>\d{1,2})\s*\)", re.I
)

# Visits per week times weeks: "3 visits per week for 2 weeks" (6, not 3),
# "two sessions a week for four weeks".
PER_WEEK_RE = re.compile(
    rf"\b(?P<per>{_NUMBER})\s*(?:sessions?|visits?|treatments?)\s*(?:a|per|/|each)\s*(?:week|wk)"
    rf"\s*,?\s*(?:for|x|times|over)\s*(?:a\s+period\s+of\s+|the\s+next\s+)?(?P<weeks>{_NUMBER})"
    r"\s*(?:weeks?|wks?)\b",
    re.I,
)

# A product of counts before "visits": "two times four visits", "2 x 6 sessions".
PRODUCT_SESSIONS_RE = re.compile(
    rf"\b(?P<per>{_NUMBER})\s*(?:times|x)\s*(?P<weeks>{_NUMBER})\s*(?:sessions?|visits?|treatments?)\b",
    re.I,
)

# Visits stated outright: "12 sessions", "(12 sessions)", "six sessions", "8 visits",
# "x12 visits", "Six sessions of acupuncture", "Nine (9) hand therapy sessions".
SESSIONS_RE = re.compile(
    rf"\b(?P<n>{_NUMBER})\s*(?:\(\s*\d{{1,2}}\s*\)\s*)?{_WORDS_BEFORE_SESSIONS}"
    r"(?:sessions?|visits?|treatments?)\b",
    re.I,
)
# A count after the word: "sessions #6", "sessions for the cervical spine, #2".
SESSIONS_HASH_RE = re.compile(r"\b(?:sessions?|visits?)\b[^#\d]{0,40}#\s*(?P<n>\d{1,3})\b", re.I)

# The count after the noun: "physical therapy sessions, 12", "acupuncture visits: 8",
# "sessions - six", "manual therapy sessions qty 6"; not a schedule that follows
# ("sessions, 2 times a week for 4 weeks", read by TIMES_RE).
SESSIONS_AFTER_RE = re.compile(
    rf"\b(?:sessions?|visits?|treatments?)\s*(?:[,:=-]|\bqty\b\.?|\bquantity\b|\bnumber\b)\s*"
    rf"(?:qty\.?\s*|quantity\s*(?:of\s*)?|#\s*)?:?\s*(?P<n>{_NUMBER})\b"
    r"(?!\s*(?:-|to)?\s*(?:times?|x|/|per|a\s+week|weeks?|wks?|months?|days?|hours?|mg|%)\b)",
    re.I,
)
# A number word with its digits in parentheses, "two (2) times a week for four (4) weeks":
# the digits are dropped before reading.
WORD_DIGITS_RE = re.compile(rf"\b(?P<word>{_NUMBER})\s*\(\s*\d{{1,3}}\s*\)", re.I)

# Frequency times duration: "2 times a week for 6 weeks", "two times a week times six weeks",
# "2-3 times a week for 6 weeks" (the upper bound: what was requested at most),
# "3 times a week for 1 week", "2x/week x 4 weeks", "2 x 4", "1 times 8", "2x6", "2 x week x 6
# weeks", "2-3x/week x 4-6 weeks" (18: the most requested); never months or days ("2 times per
# week for 3 months" states no number of weeks).
TIMES_RE = re.compile(
    rf"\b(?:(?P<low>{_NUMBER})\s*(?:-|to)\s*)?(?P<per>{_NUMBER})\s*(?:times?|x)\s*"
    rf"(?:(?:(?:a|per|/|each)\s*)?(?:week|wk)s?\b\s*|weekly\s*)?"
    rf"(?:(?:for|times|x|over)\s*)?(?:a\s+period\s+of\s+|the\s+next\s+)?(?P<weeks>{_NUMBER})"
    rf"(?:\s*(?:-|to)\s*(?P<weeks_high>{_NUMBER}))?(?:\s*(?:weeks?|wks?))?\b(?!\s*(?:months?|days?|hours?|hrs?|minutes?|mins?|years?)\b)",
    re.I,
)
# "Twice a week for 3 weeks", "once weekly for six weeks", "weekly for 6 weeks" (once a week).
TWICE_RE = re.compile(
    rf"(?:\b(?P<per>once|twice|thrice)\s*(?:a|per|each)?\s*(?:week|weekly|wk)|(?<![\w/]\s)\bweekly)\s*,?\s*"
    rf"(?:for|x|times|over)\s*(?:a\s+period\s+of\s+|the\s+next\s+)?(?P<weeks>{_NUMBER})\s*(?:weeks?|wks?)\b",
    re.I,
)
_PER_WORDS = {"once": 1, "twice": 2, "thrice": 3}

# A count alone after "times"/"x": "Electrical stimulation times 6", "Ultrasound x 6".
TIMES_ALONE_RE = re.compile(rf"(?:\btimes|\bx)\s*(?P<n>{_NUMBER})\b(?!\s*(?:mg|mcg|%|/))", re.I)

# Counts larger than this are not visit counts (dates, codes, doses).
MAX_VISITS = 60


def _number(text: str) -> int:
    text = text.lower()
    return number(text)


# Treatments repeat across letters ("Physical therapy 2x6 lumbar spine"), like drugs
# (normalize.drugs.find_medication): each is read once per process.
@lru_cache(maxsize=8192)
def visit_count(treatment: str) -> int | None:
    """Visits requested, as stated; None when the treatment gives no count."""
    text = WORD_DIGITS_RE.sub(r"\g<word>", " ".join(treatment.split()))
    total = TOTAL_RE.search(text)
    if total:
        visits = int(total.group("n"))
        return visits if 0 < visits <= MAX_VISITS else None
    product = PER_WEEK_RE.search(text) or PRODUCT_SESSIONS_RE.search(text)
    if product:
        visits = _number(product.group("per")) * _number(product.group("weeks"))
        return visits if 0 < visits <= MAX_VISITS else None
    found = (
        SESSIONS_RE.search(text) or SESSIONS_HASH_RE.search(text) or SESSIONS_AFTER_RE.search(text)
    )
    if found:
        visits = _number(found.group("n"))
        return visits if 0 < visits <= MAX_VISITS else None
    times = TIMES_RE.search(text)
    if times:
        weeks = times.group("weeks_high") or times.group("weeks")
        visits = _number(times.group("per")) * _number(weeks)
        return visits if 0 < visits <= MAX_VISITS else None
    twice = TWICE_RE.search(text)
    if twice:
        per = _PER_WORDS[twice.group("per").lower()] if twice.group("per") else 1
        visits = per * _number(twice.group("weeks"))
        return visits if 0 < visits <= MAX_VISITS else None
    alone = TIMES_ALONE_RE.search(text)
    if alone:
        visits = _number(alone.group("n"))
        return visits if 0 < visits <= MAX_VISITS else None
    return None


# Body regions, in match order (spine levels before limbs; a named joint before a limb).
# Each row: region name, then the words that name it.
REGIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        # "lumbar spine", "low back", "lumbosacral", "L4-5", "L5-S1", "lumbar facet".
        # A bare "back" ("cervical spine and back") is the low back, as letters use it.
        (
            "Lumbar spine",
            r"\blumb\w*|\blow(?:er)?\s+back|\bL\d(?:\s*-\s*(?:L?\d|S1))?\b|\bS1\b"
            r"|(?<!upper )(?<!mid )(?<!mid-)(?<!middle )\bback\b",
        ),
        # "cervical spine", "neck", "C5-6".
        ("Cervical spine", r"\bcervical|\bneck\b|\bC\d(?:\s*-\s*C?\d)?\b"),
        # "thoracic spine", "mid back", "T12".
        ("Thoracic spine", r"\bthoracic|\b(?:mid|middle|upper)[-\s]?back|\bT\d{1,2}\b"),
        # "right knee", "bilateral knees".
        ("Knee", r"\bknees?\b"),
        # "left shoulder".
        ("Shoulder", r"\bshoulders?\b"),
        # "right elbow".
        ("Elbow", r"\belbows?\b"),
        # "left wrist/hand", "hand", "carpal tunnel", "fingers", "thumb".
        ("Wrist/hand", r"\bwrists?\b|\bhands?\b|\bfingers?\b|\bthumbs?\b|\bcarpal\b"),
        # "left hip", "pelvis".
        ("Hip/pelvis", r"\bhips?\b|\bpelvi[sc]\b|\bsacroiliac|\bSI\s+joints?\b|\bgroin\b"),
        # "ankle", "right foot", "heel", "toes".
        ("Ankle/foot", r"\bankles?\b|\bfoot\b|\bfeet\b|\bheels?\b|\btoes?\b|\bplantar\b"),
        # "upper extremities" (EMG/NCV of the arms).
        ("Upper extremities", r"\bupper\s+extremit\w*|\barms?\b"),
        # "lower extremities", "lower leg".
        ("Lower extremities", r"\blower\s+extremit\w*|\blegs?\b"),
        # "for the head", "brain", "TMJ"; tests and devices of the head: "EEG", "hearing aids".
        (
            "Head",
            r"\bhead\b|\bbrain\b|\bTMJ\b|\bjaw\b|\bEEG\b|electroencephalogra\w*|\bhearing\b"
            r"|\baudio\w*|\bears?\b",
        ),
        # "abdomen".
        ("Abdomen", r"\babdom\w*|\bhernia\b"),
        # "spine" without a level.
        ("Spine", r"\bspin(?:e|al)\b"),
    )
)

MULTIPLE = "Multiple regions"
SPINE_LEVELS = ("Lumbar spine", "Cervical spine", "Thoracic spine")

# Body words that name a device or a manner, not the treated region: "knee scooter" (for a
# foot injury), "knee walker", "hand-held shower head", "hands-on therapy", "headset".
NOT_A_REGION_RE = re.compile(
    r"\bknee\s+(?:scooter|walker)s?\b|\bhand[-\s]?held\b|\bhands[-\s]on\b|\bhead\s*sets?\b"
    r"|\bhead\s+of\s+(?:the\s+)?bed\b|\bshower\s*head\b",
    re.I,
)


@lru_cache(maxsize=8192)
def body_region(treatment: str) -> str | None:
    """The body region a treatment names; "Multiple regions" when it names several
    ("cervical and lumbar spine, left wrist/hand"); None when it names none."""
    treatment = NOT_A_REGION_RE.sub(" ", treatment)
    found: list[str] = []
    for name, pattern in REGIONS:
        if pattern.search(treatment):
            found.append(name)
    # "Spine" adds nothing to a named level ("lumbar spine"), but is a region of its own
    # beside a limb ("MRI of the spine and pelvis").
    if "Spine" in found and any(level in found for level in SPINE_LEVELS):
        found.remove("Spine")
    if not found:
        return None
    return found[0] if len(found) == 1 else MULTIPLE


# Categories whose items are counted in sessions: a count elsewhere is no visit count
# ("Follow-up office visit times 2", "EKG times 3", "MRI times 1", home aide hours).
SESSION_CATEGORIES = frozenset({"Rehabilitation"})
SESSION_SUBCATEGORIES = frozenset(
    {("Psych Services", "Therapies"), ("Therapies", "Other Therapies")}
)

# Treatments given in sessions at a provider's office, in the words of the MTUS physical
# medicine, acupuncture and psychological treatment guidelines, whatever category the
# request was given: passive modalities ("electrical muscle stimulation", "ultrasound",
# "traction", "hot/cold packs" in a therapy plan), active ones ("therapeutic exercise",
# "neuromuscular re-education"), manual ones ("manual therapy", "massage", "myofascial
# release", "manipulation", "mobilization"), and talking therapies ("group therapy",
# "counseling", "CBT").
SESSION_MODALITY_RE = re.compile(
    r"\btherap(?:y|ies|eutic)\b|\bphysiotherapy|\brehab\w*|\bchiropract\w*|\bacupuncture"
    r"|\bmanipulation|\bmobili[sz]ation|\bmassage|\bmyofascial|\bre-?education"
    r"|\b(?:electrical|muscle|neuromuscular|interferential|galvanic)\s+(?:\w+\s+)?stimulation"
    r"|\bE-?stim\b|\bEMS\b|\bultrasound\s+(?:therapy|treatment)|\btraction\b|\biontophoresis"
    r"|\bbiofeedback|\bpsychotherapy|\bcounsel(?:l)?ing|\bCBT\b|\bhypnotherapy|\bexercises?\b"
    r"|\bwork\s+(?:hardening|conditioning)|\bdry\s+needling|\bshock\s*wave",
    re.I,
)
# A schedule of sessions stated in the request: "6 sessions", "8 visits", "2 times a week",
# "2x/wk", "weekly", "2x6": without one, a count is a device's or a supply's ("TENS #30",
# "hot/cold packs times 6").
SESSION_SCHEDULE_RE = re.compile(
    r"\b(?:sessions?|visits?|treatments?)\b|\b(?:a|per|each|/)\s*(?:week|wk)\b|/\s*(?:week|wk)\b"
    r"|\bweekly\b|\b(?:once|twice|thrice)\b|\b\d\s*x\s*\d{1,2}\b",
    re.I,
)
# Things counted that are not visits, whatever therapy they name: a device or its rental
# ("TENS unit", "30 day rental"), supplies, an office visit, an evaluation or consultation
# ("chiropractic re-evaluation"), a test, injections, home care hours, inpatient days.
NOT_VISITS_RE = re.compile(
    r"\bunits?\b|\brental\b|\bpurchase\b|\bdevice\b|\bsupplies\b|\belectrodes?\b|\bpads?\b"
    r"|\boffice\s+visits?|\bfollow[-\s]?up\s+visits?|\bevaluations?\b|\bre-?evaluation|\bconsult\w*"
    r"|\bre-?exam\w*|\btesting\b|\btests?\b|\binjections?\b|\bhome\s+(?:health|care|aide|nursing)"
    r"|\binpatient\b|\bdays?\b|\bhours?\b",
    re.I,
)


def therapy_visits(treatment: str, category: str | None, subcategory: str | None) -> int | None:
    """Visits requested, only for session-based therapies: a rehabilitation or psychotherapy
    category, or a treatment that names an in-office session modality with a schedule of
    sessions ("6 sessions of manual therapy", "electrical muscle stimulation 2 times a week
    for 4 weeks") and nothing counted otherwise (a unit, an office visit, a test)."""
    if category in SESSION_CATEGORIES or (category, subcategory) in SESSION_SUBCATEGORIES:
        return visit_count(treatment)
    if (
        SESSION_MODALITY_RE.search(treatment)
        and SESSION_SCHEDULE_RE.search(treatment)
        and not NOT_VISITS_RE.search(treatment)
    ):
        return visit_count(treatment)
    return None


def item_region(treatment: str, original_request: str | None = None) -> str | None:
    """The region of an item: its treatment's, else (partial authorizations) the original
    request's ("... after the release surgery" whose original request names the wrist)."""
    return body_region(treatment) or (body_region(original_request) if original_request else None)


# ``body_region`` names -> the region codes of the labelled real letters
# (../shared/letters/dwc-2016-labelled/README.md): lowercase, limbs and several regions are
# "multiple", a region outside the list (abdomen, an unlevelled "spine") is "none".
REGION_CODES: dict[str, str] = {
    "Lumbar spine": "lumbar",
    "Cervical spine": "cervical",
    "Thoracic spine": "thoracic",
    "Knee": "knee",
    "Shoulder": "shoulder",
    "Elbow": "elbow",
    "Wrist/hand": "wrist/hand",
    "Hip/pelvis": "hip",
    "Ankle/foot": "ankle/foot",
    "Upper extremities": "multiple",
    "Lower extremities": "multiple",
    "Head": "head",
    "Abdomen": "none",
    "Spine": "none",
    MULTIPLE: "multiple",
}


def region_code(region: str | None) -> str:
    """The labelled set's code for a ``body_region`` value ("none" when there is none)."""
    return REGION_CODES.get(region, "none") if region else "none"
