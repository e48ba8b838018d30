"""Step 1 and 2 of parsing: normalise the extracted text, then cut it into sections.

A Final Determination has up to four parts, in this order:

* the header block (2016 layout only): case number and dates;
* HOW THE IMR FINAL DETERMINATION WAS MADE: boilerplate plus reviewer credentials;
* CLINICAL CASE SUMMARY: the patient's story (age, sex, date of injury);
* IMR ISSUES, DECISIONS AND RATIONALES: the disputed items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Line breaks, layout spaces and invisible characters other than the common "\r\n",
# "\r" and "\f" (handled by fast str.replace): checked for first, translated only if found.
# Form feeds (page breaks) become line breaks because pypdf can put one anywhere, even
# inside a heading ("...for 4 \fweeks: Upheld").
RARE_CHARACTER_RE = re.compile(
    "[\v\u2028\u2029\x85\u00a0\u202f\u205f\u3000\t\u2000-\u200d\u2060\ufeff\x1c-\x1f\u1680]"
)
# The ASCII ones among them.
_RARE_ASCII = "\v\t\x1c\x1d\x1e\x1f"
_RARE_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\v\u2028\u2029\x85"), "\n"),
        # (str.split() also splits at the information separators \x1c-\x1f and U+1680.)
        **dict.fromkeys(map(ord, "\u00a0\u202f\u205f\u3000\t\x1c\x1d\x1e\x1f\u1680"), " "),
        **{code: " " for code in range(0x2000, 0x200B)},
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None),
    }
)

# The three section headings, alone on their line, any case:
# "HOW THE IMR FINAL DETERMINATION WAS MADE"
HOW_MADE_RE = re.compile(r"^HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE\s*$", re.M | re.I)
# "CLINICAL CASE SUMMARY"
CASE_SUMMARY_RE = re.compile(r"^CLINICAL\s+CASE\s+SUMMARY\s*$", re.M | re.I)
# "IMR ISSUES, DECISIONS AND RATIONALES" (seen with and without the comma)
ISSUES_RE = re.compile(r"^IMR\s+ISSUES,?\s+DECISIONS,?\s+AND\s+RATIONALES?\s*$", re.M | re.I)

# A share of gaps between text lines that hold an empty line above which a text is
# "double spaced" (the 2014 letters: an empty line after every printed line).
DOUBLE_SPACED_SHARE = 0.8
# Shorter texts are never treated as double spaced.
DOUBLE_SPACED_MIN_LINES = 8


@dataclass(frozen=True, slots=True)
class Sections:
    header: str  # everything before the first section heading
    how_made: str
    case_summary: str
    issues: str
    missing: tuple[str, ...]  # names of the section headings not found


def normalize(text: str) -> str:
    """Return ``text`` with one kind of line break, stripped lines, single blank lines.

    The 2014 letters come double spaced: every printed line is followed by an empty
    line, and a real paragraph break is a line holding a single space. They are
    undoubled here so that every later step sees the same shape as the 2016 letters.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if _has_rare_characters(text):
        text = text.translate(_RARE_TRANSLATION)
    raw_lines = text.split("\n")
    if _is_double_spaced(raw_lines):
        raw_lines = _undouble(raw_lines)
    lines: list[str] = []
    for raw in raw_lines:
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):  # at most one blank line in a row
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _has_rare_characters(text: str) -> bool:
    # str.isascii() is a stored flag: an ASCII text (most letters) is checked for its few
    # possible rare characters with substring tests, not a regex scan (~20 us a letter).
    if text.isascii():
        return any(c in text for c in _RARE_ASCII)
    return RARE_CHARACTER_RE.search(text) is not None


def lower_same_length(text: str) -> str:
    """``text.lower()`` with the same offsets (searching lower-case text with lower-case
    patterns is several times faster than ``re.I``); "İ".lower() is two characters."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[0] for c in text)


def _is_double_spaced(lines: list[str]) -> bool:
    gaps = 0
    empty_gaps = 0
    previous_text = False
    empty_run = 0
    for line in lines:
        if not line.strip():
            empty_run += 1
            continue
        if previous_text:
            gaps += 1
            if empty_run:
                empty_gaps += 1
        previous_text = True
        empty_run = 0
    return gaps >= DOUBLE_SPACED_MIN_LINES and empty_gaps >= DOUBLE_SPACED_SHARE * gaps


def _undouble(lines: list[str]) -> list[str]:
    # In a double-spaced text a run of k truly empty lines stands for k // 2 blank
    # lines; whitespace-only lines (the printed blank lines) count as empty too.
    out: list[str] = []
    run = 0
    for line in lines:
        if not line.strip():
            run += 1
            continue
        out.extend([""] * (run // 2))
        run = 0
        out.append(line)
    return out


def split_sections(text: str) -> Sections:
    """Cut normalised text at the three section headings (each used once, in order)."""
    found: list[tuple[int, int, str]] = []
    missing: list[str] = []
    for name, pattern in (
        ("HOW THE IMR FINAL DETERMINATION WAS MADE", HOW_MADE_RE),
        ("CLINICAL CASE SUMMARY", CASE_SUMMARY_RE),
        ("IMR ISSUES, DECISIONS AND RATIONALES", ISSUES_RE),
    ):
        match = pattern.search(text)
        if match is None:
            missing.append(name)
        else:
            found.append((match.start(), match.end(), name))
    found.sort()
    bodies: dict[str, str] = {}
    for index, (_start, end, name) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        bodies[name] = text[end:stop].strip("\n")
    header = text[: found[0][0]] if found else ""
    return Sections(
        header=header.strip("\n"),
        how_made=bodies.get("HOW THE IMR FINAL DETERMINATION WAS MADE", ""),
        case_summary=bodies.get("CLINICAL CASE SUMMARY", ""),
        issues=bodies.get("IMR ISSUES, DECISIONS AND RATIONALES", ""),
        missing=tuple(missing),
    )


# --- the 2013 notice ---------------------------------------------------------------------
# A "Notice of Independent Medical Review Determination" (2013) has other parts, in order:
# a first list of decisions after "Dated: ...", the same list again under INDEPENDENT
# MEDICAL REVIEW DECISION AND RATIONALE (after the dates the application was filed and the
# UR denial), "Medical Qualifications of the Expert Reviewer:", "Case Summary:" (opening
# with a disclaimer), then one rationale section per item.

# The repeat of the list, alone on its line, any case; "DECISIONS"/"RATIONALES" tolerated:
# "INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE"
NOTICE_DECISION_RE = re.compile(
    r"^INDEPENDENT\s+MEDICAL\s+REVIEW\s+DECISIONS?\s+AND\s+RATIONALES?\s*:?\s*$", re.M | re.I
)
# The reviewer's credentials, in prose that may start on the heading's own line:
# "Medical Qualifications of the Expert Reviewer:"
NOTICE_QUALIFICATIONS_RE = re.compile(
    r"^Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer\s*:?[ \t]*", re.M | re.I
)
# The summary heading at the start of a line, text possibly on the same line. Not
# "CLINICAL CASE SUMMARY" (a Final Determination's heading): "Case Summary:"
NOTICE_SUMMARY_RE = re.compile(r"^(?:Expert\s+Reviewer\s+)?Case\s+Summary\s*:[ \t]*", re.M | re.I)
# The disclaimer that opens the summary, one sentence; a worded date may hold a full stop
# ("... taken directly from the utilization review denial/modification dated Aug. 30, 2013."):
# "Disclaimer: The following case summary was taken directly from the utilization review ..."
NOTICE_DISCLAIMER_RE = re.compile(
    r"^\s*Disclaimer\s*:(?:[^.]|\.(?=\S)|(?<=\b[A-Z][a-z]{2})\.|(?<=Sept)\.)*\.\s*", re.I
)
# The opening of one item's rationale section, numbered like the list ("1)" or "1."):
# "1) Regarding the request for a lumbar brace:"
NOTICE_ITEM_SECTION_RE = re.compile(
    r"^(?P<number>\d{1,2})\s*[.)]\s*(?:Regarding|With\s+regard\s+to|As\s+to|In\s+regard\s+to)"
    r"\s+the\s+request\s+for\b",
    re.M | re.I,
)


@dataclass(frozen=True, slots=True)
class NoticeSections:
    header: str  # from the title to the first list's end (the decision heading)
    decision: str  # INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE up to the next part
    qualifications: str
    summary: str  # without the disclaimer
    disclaimer: str  # the disclaimer sentence as printed, "" when absent
    rationales: str  # from the first item section to the end
    missing: tuple[str, ...]  # names of the parts not found


NOTICE_DECISION = "INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE"
NOTICE_QUALIFICATIONS = "Medical Qualifications of the Expert Reviewer"
NOTICE_SUMMARY = "Case Summary"
NOTICE_RATIONALES = "the items' rationale sections"


def split_notice(text: str) -> NoticeSections:
    """Cut a normalised 2013 notice into its parts (each found once, in order of the text)."""
    starts: dict[str, tuple[int, int]] = {}
    for name, pattern in (
        (NOTICE_DECISION, NOTICE_DECISION_RE),
        (NOTICE_QUALIFICATIONS, NOTICE_QUALIFICATIONS_RE),
        (NOTICE_SUMMARY, NOTICE_SUMMARY_RE),
    ):
        match = pattern.search(text)
        if match is not None:
            starts[name] = (match.start(), match.end())
    # Item sections come after the summary (or the last part found): the first list's
    # entries, numbered too, never open with "Regarding the request for".
    floor = max((end for _start, end in starts.values()), default=0)
    section = NOTICE_ITEM_SECTION_RE.search(text, floor)
    if section is not None:
        starts[NOTICE_RATIONALES] = (section.start(), section.start())
    ordered = sorted(starts.items(), key=lambda pair: pair[1][0])
    bodies: dict[str, str] = {}
    for index, (name, (_start, end)) in enumerate(ordered):
        stop = ordered[index + 1][1][0] if index + 1 < len(ordered) else len(text)
        bodies[name] = text[end:stop].strip("\n")
    summary = bodies.get(NOTICE_SUMMARY, "")
    disclaimer = NOTICE_DISCLAIMER_RE.match(summary)
    return NoticeSections(
        header=text[: ordered[0][1][0]].strip("\n") if ordered else text,
        decision=bodies.get(NOTICE_DECISION, ""),
        qualifications=bodies.get(NOTICE_QUALIFICATIONS, ""),
        summary=summary[disclaimer.end() :].strip() if disclaimer else summary.strip(),
        disclaimer=" ".join(disclaimer.group().split()) if disclaimer else "",
        rationales=bodies.get(NOTICE_RATIONALES, ""),
        missing=tuple(
            name
            for name in (NOTICE_DECISION, NOTICE_QUALIFICATIONS, NOTICE_SUMMARY, NOTICE_RATIONALES)
            if name not in starts
        ),
    )
