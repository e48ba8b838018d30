"""Step 5 of parsing: the expert reviewer's credentials.

Two shapes, both in HOW THE IMR FINAL DETERMINATION WAS MADE:

* prose (2014): "The expert reviewer is Board Certified in Physical Medicine &
  Rehabilitation and is licensed to practice in Texas and Ohio."
* a block (2015 on)::

      State(s) of Licensure: California,South Carolina
      Certification(s)/Specialty: Preventive Medicine, Occupational Medicine

The texts go to ``ingest.normalize.credentials``, which maps them to DWC's specialty
names and two-letter state codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.letter import Reviewer
from ingest.normalize.credentials import parse_specialties, parse_states

# Block form, label then the value up to a blank line or the next label; the value may
# wrap: "State(s) of Licensure: California,South Carolina"
STATES_BLOCK_RE = re.compile(
    r"^States?(?:\(s\))?\s+of\s+Licensure\s*:\s*(?P<text>.*?)\s*(?=\n\n|\n\S[^\n:]{0,40}:|\Z)",
    re.I | re.M | re.S,
)
# "Certification(s)/Specialty: Preventive Medicine, Occupational Medicine, Family Practice"
SPECIALTY_BLOCK_RE = re.compile(
    r"^(?:Board\s+)?Certifications?(?:\(s\))?\s*/\s*Specialt(?:y|ies)(?:\(ies\))?\s*:\s*"
    r"(?P<text>.*?)\s*(?=\n\n|\n\S[^\n:]{0,40}:|\Z)",
    re.I | re.M | re.S,
)

# Prose form, specialty: "is Board Certified in Physical Medicine & Rehabilitation and is
# licensed to practice in ...", also "... in Anesthesiology, has a subspecialty in Pain
# Medicine and is licensed ..."; stops at "and is licensed", "and has", or the full stop.
SPECIALTY_PROSE_RE = re.compile(
    r"\bBoard[\s-]+Certified\s+in\s+(?P<text>[^.]{1,200}?)"
    r"(?=\s+and\s+(?:is|has|he|she)\b|\s*\.)",
    re.I,
)
# Prose form, states: "is licensed to practice in Texas and Ohio."
STATES_PROSE_RE = re.compile(
    r"\blicensed\s+to\s+practice\s+in\s+(?:the\s+states?\s+of\s+)?(?P<text>[^.]{1,200}?)\s*\.(?:\s|$)",
    re.I,
)
# "..., has a subspecialty in Pain Medicine" inside the specialty text: a second specialty.
SUBSPECIALTY_RE = re.compile(r",?\s*(?:and\s+)?(?:has\s+a\s+)?sub-?specialty\s+in\s+", re.I)


@dataclass(frozen=True, slots=True)
class CredentialText:
    specialties: str
    states: str
    raw: str


def find_credentials(how_made: str) -> CredentialText:
    """The specialty and state text as printed ("" when absent)."""
    states = STATES_BLOCK_RE.search(how_made)
    specialty = SPECIALTY_BLOCK_RE.search(how_made)
    if states or specialty:
        state_text = " ".join(states.group("text").split()) if states else ""
        specialty_text = " ".join(specialty.group("text").split()) if specialty else ""
        raw_parts = [" ".join(m.group().split()) for m in (states, specialty) if m]
        return CredentialText(specialty_text, state_text, "\n".join(raw_parts))
    folded = " ".join(how_made.split())
    prose_specialty = SPECIALTY_PROSE_RE.search(folded)
    prose_states = STATES_PROSE_RE.search(folded)
    specialty_text = prose_specialty.group("text") if prose_specialty else ""
    specialty_text = SUBSPECIALTY_RE.sub(", ", specialty_text)
    raw = ""
    if prose_specialty or prose_states:
        start = min(m.start() for m in (prose_specialty, prose_states) if m)
        end = max(m.end() for m in (prose_specialty, prose_states) if m)
        raw = folded[start:end].strip()
    return CredentialText(specialty_text, prose_states.group("text") if prose_states else "", raw)


def read_reviewer(how_made: str) -> tuple[Reviewer, tuple[str, ...]]:
    """The reviewer, plus warnings for credentials that could not be read."""
    found = find_credentials(how_made)
    warnings: list[str] = []
    specialties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    try:
        specialties = parse_specialties(found.specialties) if found.specialties else ()
    except Exception as exc:  # a bug in the normaliser must not lose the letter
        warnings.append(f"reviewer: specialty lookup failed ({type(exc).__name__}: {exc})")
    try:
        states = parse_states(found.states) if found.states else ()
    except Exception as exc:
        warnings.append(f"reviewer: state lookup failed ({type(exc).__name__}: {exc})")
    if not specialties:
        warnings.append("reviewer: specialty unreadable")
    if not states:
        warnings.append("reviewer: licensure state unreadable")
    return Reviewer(specialties=specialties, licensure_states=states, raw=found.raw), tuple(
        warnings
    )
