"""Step 6 of parsing: the disputed items of IMR ISSUES, DECISIONS AND RATIONALES.

Each item is a heading ending in its outcome, then three labelled paragraphs::

    Norco 10/325mg #120: Upheld
    Claims Administrator guideline: Decision based on MTUS ...
    MAXIMUS guideline: Decision based on MTUS ...
    Decision rationale: The request for Norco ... is not medically necessary.

Items are found by their labelled paragraphs, not by their headings: a new item starts
at every "Claims Administrator guideline:" (or at a "MAXIMUS guideline:" / "Decision
rationale:" that cannot belong to the current item). The heading is then read
backwards from that label: the outcome line, and the lines above it up to a blank line,
a finished sentence, or the section's opening sentence. Headings wrap, contain colons
and parentheses, and may be whole paragraphs for partial authorizations::

    Norco 10/325mg #60 was the original request. Norco 10/325mg #25 was authorized by
    the Claims Administrator. The remaining IMR eligible portion of the original
    request, Norco 10/325mg #35 is: Upheld
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.letter import Outcome
from ingest.sections import NOTICE_ITEM_SECTION_RE, lower_same_length

# The three labels that open an item's paragraphs, anywhere on a line (a page break
# can glue a label to the previous line). Searched in lower-cased text (see
# sections.lower_same_length), one literal-led pattern each, which is fast:
# "Claims Administrator guideline: ...", "MAXIMUS guideline: ...", "Decision rationale: ..."
LABEL_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ca", re.compile(r"claims\s+administrator\s+guidelines?\s*:\s*")),
    ("max", re.compile(r"maximus\s+guidelines?\s*:\s*")),
    ("why", re.compile(r"decision\s+rationale\s*:\s*")),
)

# The outcome closing a heading, after a colon or alone on the last line:
# "Alprozam 0.5mg #60:  Upheld", "... Norco 10/325mg #35 is: Upheld", "Upheld".
OUTCOME_RE = re.compile(r"(?:^|:|\s)\s*(?P<outcome>upheld|overturned)\s*\.?\s*$", re.I)

# Line endings of a heading, for counting headings: "MRI of the knee: Overturned",
# "Upheld" alone (lower-cased lines).
HEADING_ENDINGS = ("upheld", "overturned", "upheld.", "overturned.")

# The section's opening sentence, never part of a heading: "The Final Determination was
# based on decisions for the disputed items/services set forth below:"
INTRO_RE = re.compile(
    r"set\s+forth\s+below\s*:?\s*$|^The\s+Final\s+Determination\s+was\s+based", re.I
)

# A line that finishes a sentence ends the text above a heading ("... not medically
# necessary." / "... (Tapering opioids)." / a closing quote).
SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*$")

# Words of a partial-authorization paragraph: "... was authorized by the Claims
# Administrator. The remaining IMR eligible portion ...", "... were certified by ...",
# "... leaving the original request IMR-eligible."
PARTIAL_HINT_RE = re.compile(
    r"\bIMR[-\s]*eligible\b|\b(?:was|were)\s+(?:partially\s+)?(?:authorized|certified)\b"
    r"|\bClaims\s+Administrator\s+(?:partially\s+)?(?:authorized|certified|approved|modified)\b"
    r"|\bremain(?:ing|der)\s+(?:portion\s+)?of\s+the\s+original\s+request\b",
    re.I,
)
# The opening sentence of a partial-authorization paragraph: "X was the original request.",
# "X were the original requests.", "The original request was X."
ORIGINAL_REQUEST_HINT_RE = re.compile(
    r"\b(?:was|were|is)\s+the\s+original\s+requests?\b|^\s*the\s+original\s+request\s+(?:was|is)\b",
    re.I,
)

# A partial authorization names three things, in three sentences; each has more than one
# wording, so each is read on its own (``read_partial``):
#   "Norco 10/325mg #60 was the original request."                     -> the original request
#   "Norco 10/325mg #25 was authorized by the Claims Administrator."   -> the authorized portion
#   "The remaining IMR eligible portion of the original request, Norco 10/325mg #35 is"
#                                                                       -> the disputed remainder
# The first sentence: "X was the original request." / "X were the original requests." /
# "The original request was for X." (a sentence ends at a full stop before a space).
PARTIAL_ORIGINAL_RE = re.compile(
    r"^(?:(?P<original>.+?)\s+(?:was|were|is)\s+the\s+original(?:ly)?\s+requests?"
    r"|The\s+original\s+request\s+(?:was|is)(?:\s+for)?\s+(?P<original_first>.+?))\s*[.;]\s+",
    re.I,
)
# The second: "Y was authorized by the Claims Administrator.", "Y were certified.",
# "Y has been approved by the claims administrator.", or the administrator first: "The Claims
# Administrator authorized Y, leaving the original request IMR eligible.", "The Claims
# Administrator modified the request to Y." The ", leaving ... IMR eligible" says the whole
# request stays disputed.
PARTIAL_AUTHORIZED_RE = re.compile(
    r"(?:The\s+Claims\s+Administrator\s+(?:has\s+)?(?:partially\s+)?(?:authorized|certified|approved"
    r"|modified\s+(?:the\s+(?:original\s+)?request\s+)?to)\s+(?P<by_ca>.+?)"
    r"|(?P<passive>.+?)\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:partially\s+)?"
    r"(?:authorized|certified|approved)(?:\s+by\s+the\s+Claims\s+Administrator)?)"
    r"(?P<leaving>,?\s+leaving\s+(?:the\s+)?(?:original\s+|entire\s+|whole\s+)?request\s+"
    r"IMR[-\s]*eligible)?\s*[.;]\s+",
    re.I,
)
# The opening of the third, before the remainder itself: "The remaining IMR eligible portion
# of the original request,", "The remaining IMR-eligible portion of the request is",
# "The remainder of the original request,", "The remaining portion,", and, when the whole
# request stays disputed, "The original request,".
PARTIAL_REMAINDER_OPENING_RE = re.compile(
    r"^(?:(?:The\s+)?(?:(?:remaining|remainder)(?:\s+IMR[-\s]*eligible)?(?:\s+(?:portion|part|request))?"
    r"(?:\s+of\s+(?:the\s+)?(?:original\s+)?request)?(?:,?\s+(?:which|that)\s+is\s+IMR[-\s]*eligible)?"
    r"|original\s+request)\s*,?\s*(?:is\s+(?:for\s+)?|being\s+)?)?",
    re.I,
)
# The close of the heading after the remainder: "... Norco 10/325mg #35 is", "..., are",
# "... remains IMR eligible and is", or nothing ("..., Norco 10/325mg #35:").
PARTIAL_REMAINDER_CLOSE_RE = re.compile(
    r",?(?:\s+(?:remains?\s+IMR[-\s]*eligible(?:\s+and)?\s*)?(?:is|are))?\s*[:.]?\s*$", re.I
)

# Sentences of a partial-authorization paragraph in an unrecognised wording: a full stop, then
# a capital ("... by the insurer. The rest, two visits is"), never inside "0.5 mg" or "Dr. X".
SENTENCE_SPLIT_RE = re.compile(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class PartialAuthorization:
    """The three parts of a partial authorization's heading."""

    original_request: str
    authorized_portion: str | None
    remainder: str  # the disputed part: the item's treatment
    understood: bool = True  # False: the authorized sentence's wording was not recognised


def read_partial(heading: str) -> PartialAuthorization | None:
    """The parts of a partial-authorization heading; None when it has no "original request"
    sentence. The remainder is never the whole paragraph: without a readable authorized
    sentence it is what follows the original request's sentence."""
    original = PARTIAL_ORIGINAL_RE.match(heading)
    if original is None:
        return None
    rest = heading[original.end() :]
    authorized_text: str | None = None
    authorized = PARTIAL_AUTHORIZED_RE.match(rest)
    if authorized is not None:
        authorized_text = (authorized.group("by_ca") or authorized.group("passive")).strip(" ,")
        rest = rest[authorized.end() :]
    else:  # other wording: the sentences between say what was authorized, the last one the rest
        *between, rest = SENTENCE_SPLIT_RE.split(rest)
        authorized_text = " ".join(between) or None
    remainder = rest[PARTIAL_REMAINDER_OPENING_RE.match(rest).end() :]  # type: ignore[union-attr]
    remainder = remainder[: PARTIAL_REMAINDER_CLOSE_RE.search(remainder).start()]  # type: ignore[union-attr]
    original_text = (original.group("original") or original.group("original_first")).strip(" ,")
    return PartialAuthorization(
        original_request=original_text,
        authorized_portion=authorized_text,
        remainder=remainder.strip(" ,") or original_text,
        understood=authorized is not None,
    )


# Outcome words said in the rationale, when the heading lost its outcome:
# "... the request is not medically necessary." / "... is medically necessary."
RATIONALE_VERDICT_RE = re.compile(r"\b(?P<not>not[\s-]+)?medically\s+necessary\b", re.I)

# Headings are short; a walk upwards longer than this has left the heading.
MAX_HEADING_LINES = 8


@dataclass(frozen=True, slots=True)
class RawItem:
    """One disputed item as printed, before citations and drug lookup."""

    order: int
    heading: str  # whitespace folded, without the outcome
    treatment: str
    outcome: Outcome | None
    outcome_inferred: bool  # outcome read from the rationale, not the heading
    partial: bool
    original_request: str | None
    authorized_portion: str | None
    claims_administrator_guideline: str | None  # None: paragraph missing
    maximus_guideline: str | None
    rationale: str | None


@dataclass(frozen=True, slots=True)
class IssuesRead:
    items: tuple[RawItem, ...]
    warnings: tuple[str, ...]


@dataclass(slots=True)
class _Group:
    start: int  # offset of the first label
    labels: dict[str, tuple[int, int]]  # kind -> (label start, label end)


def read_items(issues: str) -> IssuesRead:
    """All items of the issues section, with warnings for what could not be read."""
    warnings: list[str] = []
    groups = _group_labels(issues)
    if not groups:
        return IssuesRead((), ("no disputed items found",) if issues.strip() else ())

    # Each group's heading sits between the previous group's last label and its own
    # first label; what precedes the heading there is the previous group's last paragraph.
    heading_spans: list[tuple[int, int]] = []
    previous_end = 0
    for group in groups:
        start = _heading_start(issues, previous_end, group.start)
        heading_spans.append((start, group.start))
        previous_end = max(end for _s, end in group.labels.values())

    items: list[RawItem] = []
    for index, group in enumerate(groups):
        order = index + 1
        stop = heading_spans[index + 1][0] if index + 1 < len(groups) else len(issues)
        paragraphs = _paragraphs(issues, group, stop)
        heading_text = _fold(issues[slice(*heading_spans[index])])
        item, item_warnings = _build_item(order, heading_text, paragraphs)
        warnings.extend(item_warnings)
        if item is not None:
            items.append(item)

    rationales = sum("why" in group.labels for group in groups)
    if rationales != len(items):
        warnings.append(
            f"{len(items)} items read but {rationales} 'Decision rationale:' paragraphs found"
        )
    headings = sum(line.endswith(HEADING_ENDINGS) for line in lower_same_length(issues).split("\n"))
    if headings != len(items):
        warnings.append(f"{len(items)} items read but {headings} outcome headings found")
    return IssuesRead(tuple(items), tuple(warnings))


def _group_labels(issues: str) -> list[_Group]:
    low = lower_same_length(issues)
    labels = sorted(
        (match.start(), match.end(), kind)
        for kind, pattern in LABEL_RES
        for match in pattern.finditer(low)
    )
    groups: list[_Group] = []
    for start, end, kind in labels:
        current = groups[-1] if groups else None
        starts_new = (
            current is None
            or kind == "ca"
            or kind in current.labels
            or (kind == "max" and "why" in current.labels)
        )
        if starts_new:
            groups.append(_Group(start=start, labels={}))
        groups[-1].labels[kind] = (start, end)
    return groups


def _heading_start(text: str, floor: int, label_start: int) -> int:
    """Offset where the heading that ends at ``label_start`` begins (>= ``floor``)."""
    # Offsets of line starts between floor and the label.
    block = text[floor:label_start]
    lines = block.split("\n")
    offsets: list[int] = []
    position = floor
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    # The label may share its line with the heading's end when a page break glued them.
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if last < 0:
        return label_start
    first = last
    if OUTCOME_RE.fullmatch(lines[last].strip()) and last > 0:
        # "Upheld" alone: the heading is on the lines above.
        first = last - 1
        while first > 0 and not lines[first].strip():
            first -= 1
    taken = last - first + 1
    index = first - 1
    while index >= 0 and taken < MAX_HEADING_LINES:
        line = lines[index].strip()
        if not line:
            # A page break may leave a blank line inside a wrapped heading: the heading
            # then continues in lower case ("... 3 times a week for 4" / "weeks: Upheld").
            above = index - 1
            while above >= 0 and not lines[above].strip():
                above -= 1
            if (
                above >= 0
                and lines[first].strip()[:1].islower()
                and not _ends_block(lines[above].strip())
            ):
                index = above
                continue
            break
        if _ends_block(line):
            break
        first = index
        taken += 1
        index -= 1
    # A partial-authorization paragraph may have a line ending in a full stop; keep
    # going up to its opening sentence ("X was the original request."), then on up to
    # where that sentence starts.
    if PARTIAL_HINT_RE.search(" ".join(lines[first : last + 1])):
        found_start = bool(
            ORIGINAL_REQUEST_HINT_RE.search(_fold(" ".join(lines[first : last + 1])))
        )
        walked_from = first
        index = first - 1
        while index >= 0 and last - index < 2 * MAX_HEADING_LINES:
            line = lines[index].strip()
            if not line or INTRO_RE.search(line) or (found_start and _ends_block(line)):
                break
            first = index
            found_start = found_start or bool(
                ORIGINAL_REQUEST_HINT_RE.search(_fold(" ".join(lines[first : last + 1])))
            )
            index -= 1
        if not found_start:  # other wording: do not eat into the rationale above
            first = walked_from
    return offsets[first]


def _ends_block(line: str) -> bool:
    return bool(SENTENCE_END_RE.search(line) or INTRO_RE.search(line))


def _paragraphs(text: str, group: _Group, stop: int) -> dict[str, str]:
    """The text of each labelled paragraph of a group, keyed by label kind."""
    ordered = sorted(group.labels.items(), key=lambda pair: pair[1][0])
    out: dict[str, str] = {}
    for index, (kind, (_start, end)) in enumerate(ordered):
        paragraph_end = ordered[index + 1][1][0] if index + 1 < len(ordered) else stop
        out[kind] = _fold(text[end:paragraph_end])
    return out


def _build_item(
    order: int, heading_text: str, paragraphs: dict[str, str]
) -> tuple[RawItem | None, list[str]]:
    warnings: list[str] = []
    outcome: Outcome | None = None
    inferred = False
    match = OUTCOME_RE.search(heading_text)
    if match:
        outcome = Outcome(match.group("outcome").lower())
        heading = heading_text[: match.start()].rstrip(" :")
    else:
        heading = heading_text.rstrip(" :")
        outcome = _verdict(paragraphs.get("why", ""))
        inferred = outcome is not None
        if outcome is None:
            warnings.append(f"item {order}: no outcome (Upheld/Overturned) found")
        else:
            warnings.append(f"item {order}: outcome not printed; read from the rationale")
    if not heading:
        warnings.append(f"item {order}: heading missing")

    treatment = heading
    partial = False
    original: str | None = None
    authorized: str | None = None
    if PARTIAL_HINT_RE.search(heading) or ORIGINAL_REQUEST_HINT_RE.search(heading):
        partial = True
        parts = read_partial(heading)
        if parts is not None:
            original = parts.original_request
            authorized = parts.authorized_portion
            treatment = parts.remainder
        if parts is None or not parts.understood:
            warnings.append(f"item {order}: partial authorization wording not understood")

    for kind, name in (
        ("ca", "Claims Administrator guideline"),
        ("max", "MAXIMUS guideline"),
        ("why", "Decision rationale"),
    ):
        if kind not in paragraphs:
            warnings.append(f"item {order}: '{name}:' paragraph missing")
    item = RawItem(
        order=order,
        heading=heading,
        treatment=treatment,
        outcome=outcome,
        outcome_inferred=inferred,
        partial=partial,
        original_request=original,
        authorized_portion=authorized,
        claims_administrator_guideline=paragraphs.get("ca"),
        maximus_guideline=paragraphs.get("max"),
        rationale=paragraphs.get("why"),
    )
    return item, warnings


def _verdict(rationale: str) -> Outcome | None:
    """Upheld/Overturned from the last "(not) medically necessary" of a rationale."""
    last: re.Match[str] | None = None
    for last in RATIONALE_VERDICT_RE.finditer(rationale):  # noqa: B007 - keep the last one
        pass
    if last is None:
        return None
    return Outcome.UPHELD if last.group("not") else Outcome.OVERTURNED


def _fold(text: str) -> str:
    return " ".join(text.split())


# --- the 2013 notice ---------------------------------------------------------------------
# A notice lists one decision per item, numbered "1)" or "1.", wrapping freely:
# "1) MAXIMUS Federal Services, Inc. has determined the request for a lumbar brace is not
# medically necessary and appropriate." Searched in whitespace-folded text. "not" glued to
# "medically" ("notmedically") is a PDF extraction artefact; ", Inc." and "and appropriate"
# are optional; "is not" means upheld, "is" overturned. The treatment never runs into the
# next entry ("has determined"), so an entry in other words cannot swallow the next one.
NOTICE_DECISION_RE = re.compile(
    r"(?:^|(?<=\s))(?P<number>\d{1,2})\s*[.)]\s*MAXIMUS\s+Federal\s+Services\b,?\s*"
    r"(?:Inc\b\.?,?\s*)?has\s+determined\s+(?:that\s+)?the\s+request(?:ed)?\s+(?:for\s+)?"
    r"(?P<treatment>(?:(?!\bhas\s+determined\b).)+?)\s+(?:is|are|was|were)\s+"
    r"(?P<not>not\s*)?medically\s+necessary"
    r"(?:\s+and\s+appropriate)?\s*\.",
    re.I,
)
# A numbered entry that names a determination, read or not, to count against what was read:
# "2) MAXIMUS Federal Services, Inc. has determined ..."
NOTICE_ENTRY_RE = re.compile(
    r"(?:^|(?<=\s))\d{1,2}\s*[.)]\s*MAXIMUS\s+Federal\s+Services\b,?\s*(?:Inc\b\.?,?\s*)?"
    r"has\s+determined\b",
    re.I,
)
# The paragraphs of an item's rationale section, each label anywhere on a line:
# "Medical Treatment Guideline(s) Relied Upon by the Claims Administrator:",
# "Medical Treatment Guideline(s) Relied Upon by the Expert Reviewer:",
# "Rationale for the Decision:"
NOTICE_LABEL_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ca",
        re.compile(
            r"(?:Medical\s+Treatment\s+)?Guidelines?(?:\(s\))?\s+Relied\s+(?:Up)?on\s+by\s+"
            r"the\s+Claims\s+Administrator\s*:\s*",
            re.I,
        ),
    ),
    (
        "max",
        re.compile(
            r"(?:Medical\s+Treatment\s+)?Guidelines?(?:\(s\))?\s+Relied\s+(?:Up)?on\s+by\s+"
            r"the\s+(?:Expert\s+|Physician\s+)?Reviewer\s*:\s*",
            re.I,
        ),
    ),
    ("why", re.compile(r"Rationale\s+for\s+(?:the\s+)?Decisions?\s*:\s*", re.I)),
)


@dataclass(frozen=True, slots=True)
class NoticeDecision:
    number: int
    treatment: str
    outcome: Outcome


def read_notice_list(text: str) -> tuple[tuple[NoticeDecision, ...], tuple[str, ...]]:
    """The numbered decisions of one list, with a warning for entries that could not be read."""
    folded = _fold(text)
    decisions: list[NoticeDecision] = []
    entries = 0
    for match in NOTICE_DECISION_RE.finditer(folded):
        number = int(match.group("number"))
        if any(d.number == number for d in decisions):
            # The list starts again (its repeat, when the heading between was lost).
            entries = len(NOTICE_ENTRY_RE.findall(folded, 0, match.start()))
            break
        decisions.append(
            NoticeDecision(
                number=number,
                treatment=_fold(match.group("treatment")).strip(" ,"),
                outcome=Outcome.UPHELD if match.group("not") else Outcome.OVERTURNED,
            )
        )
    else:
        entries = len(NOTICE_ENTRY_RE.findall(folded))
    warnings: list[str] = []
    if entries > len(decisions):
        warnings.append(f"{entries - len(decisions)} numbered decisions could not be read")
    return tuple(decisions), tuple(warnings)


def read_notice_items(first: str, repeat: str, rationales: str) -> IssuesRead:
    """A 2013 notice's items: treatments and outcomes from its numbered list (the first
    one, checked against the repeat under the decision heading), each item's guideline
    paragraphs and rationale from its own section, matched by number."""
    warnings: list[str] = []
    listed, list_warnings = read_notice_list(first)
    repeated, repeat_warnings = read_notice_list(repeat)
    warnings.extend(list_warnings)
    if not listed:
        listed = repeated
        warnings.extend(repeat_warnings)
    elif repeated and [(d.number, d.outcome) for d in repeated] != [
        (d.number, d.outcome) for d in listed
    ]:
        warnings.append("the two lists of decisions differ; the first one was read")
    numbers = [d.number for d in listed]
    if numbers != list(range(1, len(numbers) + 1)):
        warnings.append(
            f"decisions numbered {', '.join(map(str, numbers))}, not 1 to {len(numbers)}"
        )

    sections = _notice_sections(rationales)
    items: list[RawItem] = []
    for order, decision in enumerate(listed, start=1):
        paragraphs = sections.pop(decision.number, None)
        if paragraphs is None:
            warnings.append(f"item {order}: rationale section missing")
            paragraphs = {}
        elif "why" not in paragraphs:
            warnings.append(f"item {order}: 'Rationale for the Decision:' paragraph missing")
        rationale = paragraphs.get("why")
        said = _verdict(rationale) if rationale else None
        if said is not None and said is not decision.outcome:
            warnings.append(
                f"item {order}: the rationale ends {said.value}, the list says "
                f"{decision.outcome.value}"
            )
        items.append(
            RawItem(
                order=order,
                heading=decision.treatment,
                treatment=decision.treatment,
                outcome=decision.outcome,
                outcome_inferred=False,
                partial=False,
                original_request=None,
                authorized_portion=None,
                claims_administrator_guideline=paragraphs.get("ca"),
                maximus_guideline=paragraphs.get("max"),
                rationale=rationale,
            )
        )
    for number in sorted(sections):
        warnings.append(f"rationale section {number} has no decision in the list")
    return IssuesRead(tuple(items), tuple(warnings))


def _notice_sections(rationales: str) -> dict[int, dict[str, str]]:
    """Each item section's labelled paragraphs, keyed by the section's number."""
    starts = list(NOTICE_ITEM_SECTION_RE.finditer(rationales))
    out: dict[int, dict[str, str]] = {}
    for index, start in enumerate(starts):
        stop = starts[index + 1].start() if index + 1 < len(starts) else len(rationales)
        body = rationales[start.start() : stop]
        labels = sorted(
            (match.start(), match.end(), kind)
            for kind, pattern in NOTICE_LABEL_RES
            for match in pattern.finditer(body)
        )
        paragraphs: dict[str, str] = {}
        for position, (_label_start, label_end, kind) in enumerate(labels):
            end = labels[position + 1][0] if position + 1 < len(labels) else len(body)
            paragraphs.setdefault(kind, _fold(body[label_end:end]))
        out.setdefault(int(start.group("number")), paragraphs)
    return out
