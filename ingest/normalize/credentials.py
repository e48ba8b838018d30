"""Reviewer credentials: specialty names normalised to DWC's list, licensure states to codes.

The parser hands over the specialty part of a credential line ("Preventive Medicine,
Occupational Medicine, Family Practice", or "Physical Medicine & Rehabilitation" cut from
"Board Certified in ...") and the licensure part ("California,North Carolina",
"licensed to practice in Texas and Ohio"). Both functions are pure and cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.normalize.specialties_data import DWC_SPECIALTIES


def _fold(text: str) -> str:
    """Lowercase, "&" -> "and", punctuation dropped, whitespace folded: the lookup key."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


# Wordings seen in letters (or likely) for a DWC specialty; keys are folded (see _fold).
# The DWC names themselves are added below, so only variants go here.
_SPECIALTY_ALIASES: dict[str, str] = {
    "chiropractor": "Chiropractic",
    "chiropractic medicine": "Chiropractic",
    "doctor of chiropractic": "Chiropractic",
    "dc": "Chiropractic",
    "orthopaedic surgery": "Orthopedic Surgery",
    "orthopaedics": "Orthopedic Surgery",
    "orthopedics": "Orthopedic Surgery",
    "orthopedic": "Orthopedic Surgery",
    "orthopaedic": "Orthopedic Surgery",
    "orthopedic surgeon": "Orthopedic Surgery",
    "orthopaedic surgeon": "Orthopedic Surgery",
    "physiatry": "Physical Medicine & Rehabilitation",
    "physical medicine": "Physical Medicine & Rehabilitation",
    "physical medicine rehabilitation": "Physical Medicine & Rehabilitation",
    "physical medicine and rehab": "Physical Medicine & Rehabilitation",
    "pm and r": "Physical Medicine & Rehabilitation",
    "pmr": "Physical Medicine & Rehabilitation",
    "psychologist": "Psychologist",
    "clinical psychologist": "Psychologist",
    "clinical psychology": "Psychology",
    "acupuncturist": "Oriental Medicine",
    "licensed acupuncturist": "Oriental Medicine",
    "acupuncture": "Oriental Medicine",
    "acupuncture and oriental medicine": "Oriental Medicine",
    "traditional chinese medicine": "Oriental Medicine",
    "family medicine": "Family Practice",
    "family physician": "Family Practice",
    "general practice": "Family Practice",
    "pain medicine": "Pain Management",
    "interventional pain management": "Pain Management",
    "interventional pain medicine": "Pain Management",
    "neurosurgery": "Neurological Surgery",
    "neurosurgeon": "Neurological Surgery",
    "neurologist": "Neurology",
    "psychiatrist": "Psychiatry",
    "internist": "Internal Medicine",
    "pulmonary medicine": "Pulmonary Disease",
    "pulmonology": "Pulmonary Disease",
    "cardiology": "Cardiovascular Disease",
    "vascular surgery": "General Vascular Surgery",
    "general surgery": "Surgery",
    "podiatry": "Podiatrist",
    "podiatric medicine": "Podiatrist",
    "foot and ankle surgery": "Podiatric Surgery",
    "dentistry": "Dentist",
    "dental": "Dentist",
    "registered nurse": "Registered Nurse",
    "rn": "Registered Nurse",
    "nursing": "Registered Nurse",
    "toxicology": "Medical Toxicology",
    "occupational and environmental medicine": "Occupational Medicine",
    "hospice and palliative care": "Hospice & Palliative Medicine",
    "palliative medicine": "Hospice & Palliative Medicine",
    "otolaryngology head and neck surgery": "Otolaryngology",
    "ent": "Otolaryngology",
    "hand surgeon": "Hand Surgery",
    "surgery of the hand": "Hand Surgery",
    "sports medicine": "Sports Medicine",
    "geriatrics": "Geriatric Medicine",
    "critical care": "Critical Care Medicine",
    "rheumatologist": "Rheumatology",
    "urologist": "Urology",
    "dermatologist": "Dermatology",
}

SPECIALTY_LOOKUP: dict[str, str] = {_fold(n): n for n in DWC_SPECIALTIES} | _SPECIALTY_ALIASES

# Words around a specialty that are not part of it: "Board Certified in X", "Diplomate of the
# American Board of X", "a specialist in X". Stripped from each piece before lookup.
SPECIALTY_NOISE_RE = re.compile(
    r"^(?:(?:the|a|an|is|and|also|dual|double|board|certified|certification|certifications"
    r"|specialty|specialties|subspecialty|in|of|diplomate|american|eligible|specialist"
    r"|with|fellowship|trained|a|s)\s+)+",
)

# Separators between specialties: commas, semicolons, slashes, bullets, " - ". Line breaks are
# not separators: the text is wrapped ("Physical Medicine &\nRehabilitation").
SPECIALTY_SPLIT_RE = re.compile(r"\s*(?:[,;/\u2022]|\s-\s)\s*")

# "Board Certified in X" left on an unknown specialty.
CERTIFIED_IN_RE = re.compile(r"^(?:board\s+)?certified\s+in\s+", re.I)

_SMALL_WORDS = frozenset({"and", "of", "in", "the", "for", "&"})


def _title(piece: str) -> str:
    """Title-case an unknown specialty, keeping small words lower and existing capitals."""
    words = piece.split()
    out = []
    for i, w in enumerate(words):
        if i and w.lower() in _SMALL_WORDS:
            out.append(w.lower())
        elif w.isupper() and len(w) <= 4:
            out.append(w)  # abbreviations like "PM&R", "ENT"
        else:
            out.append(w[:1].upper() + w[1:].lower())
    return " ".join(out)


def _lookup_specialty(piece: str) -> str | None:
    key = _fold(piece)
    if not key:
        return None
    found = SPECIALTY_LOOKUP.get(key)
    if found is None:
        stripped = SPECIALTY_NOISE_RE.sub("", key)
        found = SPECIALTY_LOOKUP.get(stripped)
    return found


def _specialties_in(piece: str) -> list[str]:
    """One comma-separated piece -> one or more specialties ("Psychiatry and Neurology")."""
    found = _lookup_specialty(piece)
    if found:
        return [found]
    key = SPECIALTY_NOISE_RE.sub("", _fold(piece))
    if not key:
        return []
    # "Internal Medicine and Pulmonary Disease": split on "and" only if every part is known,
    # so "Allergy and Immunology" and unknown names with "and" stay whole.
    if " and " in key:
        parts = [_lookup_specialty(p) for p in key.split(" and ")]
        if all(parts):
            return [p for p in parts if p]
    cleaned = CERTIFIED_IN_RE.sub("", " ".join(piece.split()))
    cleaned = cleaned.strip(" .:-")
    return [_title(cleaned)] if cleaned else []


@lru_cache(maxsize=4096)
def parse_specialties(text: str) -> tuple[str, ...]:
    """Specialties named in ``text``, as DWC spells them, in the order written, deduplicated.

    Unknown specialties are kept, title-cased ("Pediatric Rehabilitation Medicine"), so a
    new DWC name is visible rather than lost.
    """
    out: list[str] = []
    for piece in SPECIALTY_SPLIT_RE.split(" ".join(text.split())):
        for name in _specialties_in(piece):
            if name not in out:
                out.append(name)
    return tuple(out)


STATE_CODES: dict[str, str] = {
    "alabama": "AL",
    "alaska": "AK",
    "arizona": "AZ",
    "arkansas": "AR",
    "california": "CA",
    "colorado": "CO",
    "connecticut": "CT",
    "delaware": "DE",
    "district of columbia": "DC",
    "florida": "FL",
    "georgia": "GA",
    "hawaii": "HI",
    "idaho": "ID",
    "illinois": "IL",
    "indiana": "IN",
    "iowa": "IA",
    "kansas": "KS",
    "kentucky": "KY",
    "louisiana": "LA",
    "maine": "ME",
    "maryland": "MD",
    "massachusetts": "MA",
    "michigan": "MI",
    "minnesota": "MN",
    "mississippi": "MS",
    "missouri": "MO",
    "montana": "MT",
    "nebraska": "NE",
    "nevada": "NV",
    "new hampshire": "NH",
    "new jersey": "NJ",
    "new mexico": "NM",
    "new york": "NY",
    "north carolina": "NC",
    "north dakota": "ND",
    "ohio": "OH",
    "oklahoma": "OK",
    "oregon": "OR",
    "pennsylvania": "PA",
    "puerto rico": "PR",
    "rhode island": "RI",
    "south carolina": "SC",
    "south dakota": "SD",
    "tennessee": "TN",
    "texas": "TX",
    "utah": "UT",
    "vermont": "VT",
    "virginia": "VA",
    "washington": "WA",
    "west virginia": "WV",
    "wisconsin": "WI",
    "wyoming": "WY",
}
_VALID_CODES = frozenset(STATE_CODES.values())

# Full state names, longest first so "West Virginia" wins over "Virginia"; "Washington, D.C."
# and "D.C." mean the District, not Washington state. Whitespace may wrap ("North\nCarolina").
STATE_NAME_RE = re.compile(
    r"\b(?P<dc>washington,?\s*d\.?\s*c\b\.?|d\.\s*c\.)"
    r"|\b(?P<name>"
    + "|".join(n.replace(" ", r"\s+") for n in sorted(STATE_CODES, key=len, reverse=True))
    + r")\b",
    re.I,
)

# Two-letter postal codes ("CA, NV"); upper case only so the word "in" is never Indiana.
STATE_CODE_RE = re.compile(r"\b[A-Z]{2}\b")

# Codes that are also English words; ignored when the rest of the text is shouted in capitals
# ("LICENSED TO PRACTICE IN TEXAS").
_WORDLIKE_CODES = frozenset(
    {"IN", "OR", "ME", "OK", "HI", "DE", "ID", "AL", "LA", "PA", "MA", "CO"}
)
_SHOUTED_WORD_RE = re.compile(r"\b[A-Z]{3,}\b")


@lru_cache(maxsize=4096)
def parse_states(text: str) -> tuple[str, ...]:
    """Two-letter codes of the states named in ``text``, sorted and deduplicated."""
    codes: set[str] = set()

    def take(m: re.Match[str]) -> str:
        if m.group("dc"):
            codes.add("DC")
        else:
            codes.add(STATE_CODES[" ".join(m.group("name").lower().split())])
        return " "

    rest = STATE_NAME_RE.sub(take, text)
    shouted = any(w != "AND" for w in _SHOUTED_WORD_RE.findall(rest))
    for code in STATE_CODE_RE.findall(rest):
        if code in _VALID_CODES and not (shouted and code in _WORDLIKE_CODES):
            codes.add(code)
    return tuple(sorted(codes))
