"""Step 3 of parsing: which layout is this letter, and what does its header block say.

The 2016-2017 letters open with a header block of seven labelled fields. pypdf prints
it row by row, two fields per row::

    Case Number: CM16-0000000
    Date Assigned: 02/06/2017 Date of Injury: 09/12/2016
    Decision Date: 03/03/2017 UR Denial Date: 12/19/2016
    Priority: Standard Application
    Received:
    01/27/2017

pdfminer prints the same block column by column (all labels of a column, then its
values), and sometimes keeps one value beside its label::

    Case Number:          <- left column labels
    Date Assigned:
    Decision Date:
    Priority:
    CM16-0000000          <- left column values
    02/06/2017
    03/03/2017
    Standard
    09/12/2016            <- right column, in an order that varies
    Date of Injury:
    UR Denial Date: 12/19/2016
    01/27/2017
    Application
    Received:

Both are read by one rule: a date on the same line right after its label belongs to
that label; the dates left over go, in order of appearance, to the labels left over,
taken in column order (left column top to bottom, then right column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.dates import ANY_DATE, NUMERIC_DATE, parse_date
from ingest.letter import Layout

# Layout tells, searched in lower-cased text (fast literal-led patterns).
# The 2013 notices carry this title; they must never be read as a 2014 letter:
# "Notice of Independent Medical Review Determination"
NOTICE_2013_RE = re.compile(r"notice\s+of\s+independent\s+medical\s+review\s+determination")
# Proof of a Final Determination, even when a section heading was lost in extraction:
# "IMR ISSUES, DECISIONS AND RATIONALES", "Decision rationale: The request for ...",
# "HOW THE IMR FINAL DETERMINATION WAS MADE".
DETERMINATION_TELLS = (
    re.compile(r"imr\s+issues,?\s+decisions"),
    re.compile(r"decision\s+rationale\s*:"),
    re.compile(r"claims\s+administrator\s+guidelines?\s*:"),
    re.compile(r"maximus\s+guidelines?\s*:"),
)

# The MAXIMUS case number: "CM17-5123456" (two-digit year, seven digits).
CASE_NUMBER_RE = re.compile(r"\bCM\d{2}-\d{5,8}\b")

# "Case Number:" label, proof of the 2016 header block even if its value is lost.
CASE_NUMBER_LABEL_RE = re.compile(r"\bCase\s+Number\s*:", re.I)

# Priority value, beside its label or alone in the pdfminer value column:
# "Priority:  Standard Application" / "Standard"
PRIORITY_RE = re.compile(r"\b(Standard|Expedited)\b", re.I)

# Any numeric date in the header: "02/06/2017".
HEADER_DATE_RE = re.compile(NUMERIC_DATE)

# Header labels in column order (left column top to bottom, then right column), each
# with an optional date on the same line: "Date Assigned: 02/06/2017".
# "Application Received:" wraps ("Application\nReceived:") and pdfminer may put the
# value or other lines between the two words, so "Received:" alone is the label.
HEADER_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b{label}\s*:[ \t]*(?P<date>{NUMERIC_DATE})?", re.I))
    for name, label in (
        ("date_assigned", r"Date\s+Assigned"),
        ("decision_date", r"Decision\s+Date"),
        ("date_of_injury", r"Date\s+of\s+Injury"),
        ("ur_denial_date", r"UR\s+Denial\s+Date"),
        ("application_received", r"(?:Application\s+)?Received"),
    )
)

HEADER_FIELD_LABELS = {
    "date_assigned": "Date Assigned",
    "decision_date": "Decision Date",
    "date_of_injury": "Date of Injury",
    "ur_denial_date": "UR Denial Date",
    "application_received": "Application Received",
}


@dataclass(frozen=True, slots=True)
class Header:
    case_number: str | None = None
    date_assigned: date | None = None
    decision_date: date | None = None
    date_of_injury: date | None = None
    ur_denial_date: date | None = None
    application_received: date | None = None
    priority: str | None = None
    warnings: tuple[str, ...] = ()


def detect_layout(text: str, header: str) -> Layout:
    """Tell the layout from normalised text and its part before the first section."""
    low = text.lower()
    if NOTICE_2013_RE.search(low):
        return Layout.NOTICE_2013
    if not any(tell.search(low) for tell in DETERMINATION_TELLS):
        return Layout.UNKNOWN
    if CASE_NUMBER_LABEL_RE.search(header) or CASE_NUMBER_RE.search(header):
        return Layout.DWC_2016
    return Layout.DWC_2014


def read_header(header: str) -> Header:
    """Read the 2016 header block (row-wise or column-wise); warn for unread fields."""
    warnings: list[str] = []
    case_match = CASE_NUMBER_RE.search(header)
    if case_match is None:
        warnings.append("header: case number unreadable")
    priority_match = PRIORITY_RE.search(header)

    values: dict[str, date | None] = {}
    pending: list[str] = []  # labels present without a date beside them
    consumed: set[int] = set()  # start offsets of dates already given to a label
    for name, pattern in HEADER_FIELDS:
        match = pattern.search(header)
        if match is None:
            warnings.append(f"header: {HEADER_FIELD_LABELS[name]} missing")
            continue
        if match.group("date"):
            values[name] = parse_date(match.group("date"))
            consumed.add(match.start("date"))
        else:
            pending.append(name)
    leftovers = [m.group() for m in HEADER_DATE_RE.finditer(header) if m.start() not in consumed]
    if pending:
        if len(leftovers) == len(pending):
            values.update(zip(pending, (parse_date(d) for d in leftovers), strict=True))
        else:
            labels = ", ".join(HEADER_FIELD_LABELS[name] for name in pending)
            warnings.append(f"header: could not match dates to {labels}")
    for name, value in values.items():
        if value is None:
            warnings.append(f"header: {HEADER_FIELD_LABELS[name]} is not a valid date")

    return Header(
        case_number=case_match.group() if case_match else None,
        date_assigned=values.get("date_assigned"),
        decision_date=values.get("decision_date"),
        date_of_injury=values.get("date_of_injury"),
        ur_denial_date=values.get("ur_denial_date"),
        application_received=values.get("application_received"),
        priority=priority_match.group(1).capitalize() if priority_match else None,
        warnings=tuple(warnings),
    )


# --- the 2013 notice ---------------------------------------------------------------------
# Its dates are in prose, not a labelled block. Each pattern is searched in whitespace-
# folded text, so a sentence may wrap anywhere.

# The notice's own date, under the title: "Dated: 9/26/2013" (the decision date).
NOTICE_DATED_RE = re.compile(rf"\bDated\s*:\s*(?P<date>{ANY_DATE})", re.I)
# "An application for Independent Medical Review was filed on 9/6/2013 disputing ...":
# the date the application was filed (the 2016 header's "Application Received").
NOTICE_FILED_RE = re.compile(
    rf"\bapplication\b[^.]{{0,80}}?\bfiled\s+(?:on\s+)?(?P<date>{ANY_DATE})", re.I
)
# "... disputing the Utilization Review Denial dated 8/30/2013." (the 2016 "UR Denial Date").
NOTICE_UR_DENIAL_RE = re.compile(
    rf"\b(?:Utilization\s+Review|UR)\b[^.]{{0,60}}?\bdated\s+(?P<date>{ANY_DATE})", re.I
)
# "A Notice of Assignment and Request for Information was provided to the above parties on
# 9/23/2013." (the 2016 header's "Date Assigned").
NOTICE_ASSIGNED_RE = re.compile(
    rf"\bNotice\s+of\s+Assignment\b[^.]{{0,100}}?\bon\s+(?P<date>{ANY_DATE})", re.I
)


def read_notice_header(header: str, decision: str) -> Header:
    """The 2013 notice's case number and dates: "Dated:" from the part before the repeated
    list (``header``), the application and UR denial dates from the sentence that opens the
    repeat (``decision``; the whole text when that part is missing). Warns for each date a
    notice always gives but this one did not."""
    warnings: list[str] = []
    folded_header = " ".join(header.split())
    folded_decision = " ".join(decision.split()) or folded_header
    case_match = CASE_NUMBER_RE.search(folded_header) or CASE_NUMBER_RE.search(folded_decision)
    values: dict[str, date | None] = {}
    for name, label, pattern, text, required in (
        ("decision_date", "notice date (Dated:)", NOTICE_DATED_RE, folded_header, True),
        ("application_received", "application filed date", NOTICE_FILED_RE, folded_decision, True),
        ("ur_denial_date", "UR denial date", NOTICE_UR_DENIAL_RE, folded_decision, True),
        ("date_assigned", "notice of assignment date", NOTICE_ASSIGNED_RE, folded_decision, False),
    ):
        match = pattern.search(text)
        value = parse_date(match.group("date")) if match else None
        if match is not None and value is None:
            warnings.append(f"notice: {label} is not a valid date")
        elif match is None and required:
            warnings.append(f"notice: {label} missing")
        values[name] = value
    return Header(
        case_number=case_match.group() if case_match else None,
        date_assigned=values["date_assigned"],
        decision_date=values["decision_date"],
        ur_denial_date=values["ur_denial_date"],
        application_received=values["application_received"],
        warnings=tuple(warnings),
    )
