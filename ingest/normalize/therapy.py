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

# Visits stated outright: "12 sessions", "(12 sessions)", "six sessions", "8 visits",
# "x12 visits", "Six sessions of acupuncture".
SESSIONS_RE = re.compile(
    rf"\b(?P<n>{_NUMBER})\s*(?:additional\s+|more\s+|initial\s+)?(?:sessions?|visits?|treatments?)\b",
    re.I,
)
# A count after the word: "sessions #6", "sessions for the cervical spine, #2".
SESSIONS_HASH_RE = re.compile(r"\b(?:sessions?|visits?)\b[^#\d]{0,40}#\s*(?P<n>\d{1,3})\b", re.I)

# Frequency times duration: "2 times a week for 6 weeks", "two times a week times six weeks",
# "2-3 times a week for 6 weeks" (the upper bound: what was requested at most),
# "3 times a week for 1 week", "2x/week x 4 weeks", "2 x 4", "1 times 8", "2x6".
TIMES_RE = re.compile(
    rf"\b(?:(?P<low>{_NUMBER})\s*(?:-|to)\s*)?(?P<per>{_NUMBER})\s*(?:times?|x)\s*"
    rf"(?:(?:a|per|/)\s*(?:week|wk)s?\s*|weekly\s*)?"
    rf"(?:(?:for|times|x)\s*)?(?P<weeks>{_NUMBER})(?:\s*(?:weeks?|wks?))?\b",
    re.I,
)
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
    text = " ".join(treatment.split())
    found = SESSIONS_RE.search(text) or SESSIONS_HASH_RE.search(text)
    if found:
        visits = _number(found.group("n"))
        return visits if 0 < visits <= MAX_VISITS else None
    times = TIMES_RE.search(text)
    if times:
        visits = _number(times.group("per")) * _number(times.group("weeks"))
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
        ("Lumbar spine", r"\blumb\w*|\blow(?:er)?\s+back|\bL\d(?:\s*-\s*(?:L?\d|S1))?\b|\bS1\b"),
        # "cervical spine", "neck", "C5-6".
        ("Cervical spine", r"\bcervical|\bneck\b|\bC\d(?:\s*-\s*C?\d)?\b"),
        # "thoracic spine", "mid back", "T12".
        ("Thoracic spine", r"\bthoracic|\bmid[-\s]?back|\bT\d{1,2}\b"),
        # "right knee", "bilateral knees".
        ("Knee", r"\bknees?\b"),
        # "left shoulder".
        ("Shoulder", r"\bshoulders?\b"),
        # "right elbow".
        ("Elbow", r"\belbows?\b"),
        # "left wrist/hand", "hand", "carpal tunnel", "fingers", "thumb".
        ("Wrist/hand", r"\bwrists?\b|\bhands?\b|\bfingers?\b|\bthumbs?\b|\bcarpal\b"),
        # "left hip", "pelvis".
        ("Hip/pelvis", r"\bhips?\b|\bpelvi[sc]\b|\bsacroiliac|\bSI\s+joints?\b"),
        # "ankle", "right foot", "heel", "toes".
        ("Ankle/foot", r"\bankles?\b|\bfoot\b|\bfeet\b|\bheels?\b|\btoes?\b|\bplantar\b"),
        # "upper extremities" (EMG/NCV of the arms).
        ("Upper extremities", r"\bupper\s+extremit\w*|\barms?\b"),
        # "lower extremities", "lower leg".
        ("Lower extremities", r"\blower\s+extremit\w*|\blegs?\b"),
        # "for the head", "brain", "TMJ".
        ("Head", r"\bhead\b|\bbrain\b|\bTMJ\b|\bjaw\b"),
        # "abdomen".
        ("Abdomen", r"\babdom\w*|\bhernia\b"),
        # "spine" without a level.
        ("Spine", r"\bspin(?:e|al)\b"),
    )
)

MULTIPLE = "Multiple regions"


@lru_cache(maxsize=8192)
def body_region(treatment: str) -> str | None:
    """The body region a treatment names; "Multiple regions" when it names several
    ("cervical and lumbar spine, left wrist/hand"); None when it names none."""
    found: list[str] = []
    for name, pattern in REGIONS:
        if pattern.search(treatment):
            found.append(name)
    if "Spine" in found and len(found) > 1:
        found.remove("Spine")
    if not found:
        return None
    return found[0] if len(found) == 1 else MULTIPLE
