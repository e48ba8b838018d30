"""The facet registry: each facet of the list page is one object here, and so is every other
constraint the URL can carry.

A facet knows its URL parameter, its label, the DisputedItem column (or array column) it
filters and counts, how it reads URL input forgivingly (``parse``: a value it cannot
understand is dropped, never an error), how it filters (``q``), how its values are counted
in SQL (``count_sql``) and ordered, and how a value is displayed (``display``, ``chip``).
Everything else reads ``FACETS``: the URL form (determinations.filters.ItemFilterSet), the
list sidebar, the exact and sampled counts (querysets.facet_counts), the analytics
breakdowns, the CSV export's filters and the JSON API. Adding a facet is one entry here
(plus its column, see determinations.columns).

``CONSTRAINTS`` are the URL's other filters (date ranges, case number, partial
authorizations, review status): a parameter, a forgiving parse and a ``q``, read the same way.

Nothing here imports the models: the querysets read this module, and the models read the
querysets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from determinations.choices import Outcome, ReviewStatus, Source
from ingest.normalize.guidelines import section_label
from ingest.normalize.reasons import TAG_LABELS

# Longest facet value read from the URL and most values per facet; more is not a search.
MAX_VALUE_CHARS = 300
MAX_VALUES = 30
# Years a URL may name (a decision year, a date's year); others are typos.
YEARS = range(1990, 2101)


def clean_value(value: str) -> str:
    """Printable characters only, whitespace folded, cut to ``MAX_VALUE_CHARS``."""
    value = "".join(ch for ch in value if ch.isprintable())
    return " ".join(value.split())[:MAX_VALUE_CHARS]


def _as_is(value: str) -> str:
    return value


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet. Subclasses change how it filters, counts, orders or nests its values."""

    param: str
    label: str
    column: str
    array: bool = False
    # "Long facets show the top values with 'more'": how many before "more".
    top: int = 8
    # One cleaned URL value -> the stored value, or "" to drop it.
    normalise: Callable[[str], str] = _as_is
    # A stored value -> its label in the sidebar, the chips and the breakdowns.
    display: Callable[[str], str] = _as_is
    # The chip of an active value ("{}" is the display label): "decided {}".
    chip_format: str = "{}"
    # Broken down on the analytics page.
    analysed: bool = True
    # Sidebar options show each value's overturn rate (not for the outcome itself).
    shows_rate: bool = True
    # For a column computed from the item's citations: its SQL over citations ``c``
    # ({citations} AS c WHERE {item}), run by the loader and the refresh (columns.py).
    citations_sql: str = ""
    # A column this facet adds to DisputedItem (and so to SampleItem): declared here, so a
    # new facet is one entry of this registry and its migration.
    field: Any = None
    # The values the URL accepts, when they are a closed set (the API schema's enum, the
    # canonical spellings first), or a regex every accepted value matches; neither for an
    # open set (drug names, specialties: the facet counts list them).
    choices: tuple[str, ...] = ()
    pattern: str = ""

    # --- reading the URL -------------------------------------------------------------

    def parse(self, values: Iterable[str]) -> tuple[str, ...]:
        """The URL values of this facet, cleaned, deduplicated, invalid ones dropped."""
        out: list[str] = []
        for raw in list(values)[: MAX_VALUES * 2]:
            value = clean_value(raw) if isinstance(raw, str) else ""
            value = self.normalise(value) if value else ""
            if value and value not in out:
                out.append(value)
        return tuple(out[:MAX_VALUES])

    def toggled(self, current: tuple[str, ...], value: str) -> tuple[str, ...]:
        """The selection after choosing (or unchoosing) ``value``."""
        if value in current:
            return tuple(v for v in current if v != value)
        return (*current, value)

    # --- filtering and counting --------------------------------------------------------

    def q(self, values: Sequence[str]) -> Q:
        """Items having any of ``values``: the one definition of this facet's filter, used
        by the list, the counts (item table and sample), the export, analytics and API."""
        if self.array:
            return Q(**{f"{self.column}__overlap": list(values)})
        return Q(**{f"{self.column}__in": list(values)})

    def count_sql(self, source: str, condition: str, n: str, ov: str, lead: str = "") -> str:
        """SQL counting this facet's values over the rows of ``source`` (aliased ``s``)
        matching ``condition``: one row per value, ``SELECT {lead} value, n, ov``. Array
        facets unnest in the select list (a ProjectSet), half the cost of a lateral
        function scan per row (measured on 462,889 items)."""
        c = self.column
        if self.array:
            return (
                f"SELECT {lead}s.v::text, {n}, {ov} FROM ("
                f"SELECT unnest(s.{c}) AS v, s.determination_id, s.outcome "
                f"FROM {source} AS s WHERE {condition}) AS s GROUP BY s.v"
            )
        return (
            f"SELECT {lead}s.{c}::text, {n}, {ov} FROM {source} AS s "
            f"WHERE {condition} AND s.{c} IS NOT NULL AND s.{c}::text <> '' GROUP BY s.{c}"
        )

    def order_counts(self, counts: list[Any]) -> None:
        """Order counted values (``FacetCount``s) for display: most first."""
        counts.sort(key=lambda fc: (-fc.count, fc.value))

    def unvalued_sql(self, alias: str = "s") -> str:
        """SQL true for a row of ``alias`` that ``count_sql`` counts under no value (no
        category, no specialty...): what a breakdown by this facet leaves out, and says so
        (determinations.analytics)."""
        c = f"{alias}.{self.column}"
        if self.array:
            return f"coalesce(cardinality({c}), 0) = 0"
        return f"({c} IS NULL OR {c}::text = '')"

    def unknown_listed(self, selected: tuple[str, ...], counts: list[Any]) -> Any | None:
        """For a facet that counts the items having no value under a value of its own
        (YearFacet's "unknown"): that value's ``FacetCount`` when the list shows those
        items (``selected`` includes it or is empty), else None. None for other facets."""
        return None

    # --- display ---------------------------------------------------------------------

    def chip(self, value: str) -> str:
        return self.chip_format.format(self.display(value))

    def arranged(self, values: list[str], chosen: tuple[str, ...]) -> list[tuple[str, int]] | None:
        """(value, depth) in display order for a nested facet; None for a flat one (the
        top few shown, the rest behind "more")."""
        return None

    def display_at(self, value: str, depth: int) -> str:
        return self.display(value)


# The year facet's value for items whose letter carries no decision date (the 2014-15 letter
# layout has none): counted, selected and combined like a year ("year=unknown").
UNKNOWN_YEAR = "unknown"
UNKNOWN_YEAR_LABEL = "Undated"
# Why those items are left out of anything by date (the analytics trend says so).
UNDATED_REASON = "2014-15 letters carry no decision date"


@dataclass(frozen=True, slots=True)
class YearFacet(Facet):
    """Decision year, and "unknown" for undated items. Filters on the decision-date range
    of each year (index item_oldest) rather than decision_year: the same rows, but an index
    can find them; "unknown" is decision_date IS NULL (the same index). Newest first,
    undated last."""

    def q(self, values: Sequence[str]) -> Q:
        q = Q()
        for value in values:
            if value == UNKNOWN_YEAR:
                q |= Q(decision_date__isnull=True)
                continue
            year = int(value)
            q |= Q(decision_date__gte=date(year, 1, 1), decision_date__lt=date(year + 1, 1, 1))
        return q

    def count_sql(self, source: str, condition: str, n: str, ov: str, lead: str = "") -> str:
        # NULL is a value here: the undated items are counted as "unknown".
        c = self.column
        value = f"coalesce(s.{c}::text, '{UNKNOWN_YEAR}')"
        return (
            f"SELECT {lead}{value}, {n}, {ov} FROM {source} AS s WHERE {condition} GROUP BY {value}"
        )

    def unvalued_sql(self, alias: str = "s") -> str:
        return "false"  # every item is counted, the undated ones as "unknown"

    def unknown_listed(self, selected: tuple[str, ...], counts: list[Any]) -> Any | None:
        if selected and UNKNOWN_YEAR not in selected:
            return None
        return next((fc for fc in counts if fc.value == UNKNOWN_YEAR and fc.count), None)

    def order_counts(self, counts: list[Any]) -> None:
        # Years newest first, then the undated.
        counts.sort(key=lambda fc: (fc.value != UNKNOWN_YEAR, fc.value), reverse=True)

    def chip(self, value: str) -> str:
        # Not "decided Undated". (Facet.chip by name: slots dataclasses break super().)
        return "undated" if value == UNKNOWN_YEAR else Facet.chip(self, value)


@dataclass(frozen=True, slots=True)
class BooleanFacet(Facet):
    """A nullable boolean column; URL and count values are boolean::text ("true"/"false")."""

    def q(self, values: Sequence[str]) -> Q:
        return Q(**{f"{self.column}__in": [v == "true" for v in values]})


@dataclass(frozen=True, slots=True)
class TreeFacet(Facet):
    """Keys at three depths joined by "|" ("MTUS", "MTUS|<document>",
    "MTUS|<document>|<section>"), shown as a tree: sources, then the documents of a source
    once it (or something under it) is chosen, then that document's sections likewise."""

    def toggled(self, current: tuple[str, ...], value: str) -> tuple[str, ...]:
        # Choosing a key drops its ancestors and descendants, so "MTUS" and
        # "MTUS|<document>" never OR together.
        if value in current:
            return tuple(v for v in current if v != value)
        kept = tuple(
            v for v in current if not (value.startswith(v + "|") or v.startswith(value + "|"))
        )
        return (*kept, value)

    def arranged(self, values: list[str], chosen: tuple[str, ...]) -> list[tuple[str, int]]:
        def is_open(key: str) -> bool:
            return any(c == key or c.startswith(key + "|") for c in chosen)

        keys = list(values)
        for key in chosen:  # a chosen section shows under its document and source
            parts = key.split("|")
            for depth in range(1, len(parts)):
                ancestor = "|".join(parts[:depth])
                if ancestor not in keys:
                    keys.append(ancestor)
        out: list[tuple[str, int]] = []
        for source in [k for k in keys if "|" not in k]:
            out.append((source, 0))
            if not is_open(source):
                continue
            for doc in [k for k in keys if k.count("|") == 1 and k.startswith(source + "|")]:
                out.append((doc, 1))
                if is_open(doc):
                    out.extend(
                        (s, 2) for s in keys if s.count("|") == 2 and s.startswith(doc + "|")
                    )
        return out

    def display_at(self, value: str, depth: int) -> str:
        # Under its parent, a key shows only its last part.
        return self.display(value) if depth == 0 else value.rsplit("|", 1)[-1]


# --- forgiving parsers and labels ------------------------------------------------------


def _outcome(value: str) -> str:
    member = Outcome.parse(value)
    return member.value if member else ""


def _outcome_label(value: str) -> str:
    member = Outcome.parse(value)
    return str(member.label) if member else value


# How a URL may spell the undated items' year value.
_UNKNOWN_YEAR_SPELLINGS = frozenset({UNKNOWN_YEAR, "undated"})


def _year(value: str) -> str:
    if value.lower() in _UNKNOWN_YEAR_SPELLINGS:
        return UNKNOWN_YEAR
    return value if value.isdigit() and int(value) in YEARS else ""


def _year_label(value: str) -> str:
    return UNKNOWN_YEAR_LABEL if value == UNKNOWN_YEAR else value


def _state(value: str) -> str:
    return value.upper() if len(value) == 2 and value.isalpha() else ""


# "same_guideline" values as the counts print them (boolean::text), and their labels.
_BOOLEANS = {
    **dict.fromkeys(("true", "yes", "1"), "true"),
    **dict.fromkeys(("false", "no", "0"), "false"),
}
SAME_GUIDELINE_LABELS = {
    "true": "Same guideline as claims administrator",
    "false": "Different guideline from claims administrator",
}


def _boolean(value: str) -> str:
    return _BOOLEANS.get(value.lower(), "")


def _guideline_label(value: str) -> str:
    """ "MTUS|<doc>|<section>" -> "MTUS - <section>"; "MTUS|<doc>" -> "MTUS <doc>", and
    "MTUS|MTUS Drug Formulary" -> "MTUS Drug Formulary" (the name already says MTUS)."""
    parts = value.split("|")
    if len(parts) == 3:
        return " - ".join(parts[:1] + parts[2:])
    if len(parts) == 2 and parts[1].startswith(f"{parts[0]} "):
        return parts[1]
    return " ".join(parts)


# A citation's guideline keys: its source, then its source and document, then all three
# joined by "|" ("MTUS", "MTUS|Chronic Pain Medical Treatment Guidelines",
# "MTUS|Chronic Pain ...|Opioids"). A key stops at the first blank part, and a citation of no
# source (a stock sentence) has none. Both the item's "guideline" column (GUIDELINE_KEYS_SQL,
# both parties' citations) and the detail page's citation chips (guideline_keys) read this.
GUIDELINE_KEY_PARTS = ("source", "document", "section")


def guideline_keys(citation: object) -> list[str]:
    """The guideline keys of one citation (anything with GUIDELINE_KEY_PARTS as attributes),
    shallowest first: what GUIDELINE_KEYS_SQL computes for a stored citation."""
    parts = [str(getattr(citation, part, "") or "") for part in GUIDELINE_KEY_PARTS]
    if parts[0] == Source.NONE:
        return []
    keys: list[str] = []
    for depth, part in enumerate(parts, start=1):
        if not part:
            break
        keys.append("|".join(parts[:depth]))
    return keys


def _guideline_key_sql(depth: int) -> str:
    parts = [f"c.{part}" for part in GUIDELINE_KEY_PARTS[:depth]]
    blank = " AND ".join(f"{part} <> ''" for part in parts)
    return f"(CASE WHEN {blank} THEN {" || '|' || ".join(parts)} END)"


GUIDELINE_KEYS_SQL = f"""ARRAY(
    SELECT DISTINCT k.key FROM {{citations}} AS c
    CROSS JOIN LATERAL (VALUES
        {", ".join(_guideline_key_sql(n) for n in range(1, len(GUIDELINE_KEY_PARTS) + 1))}
    ) AS k(key)
    WHERE {{item}} AND c.source <> '{Source.NONE}' AND k.key IS NOT NULL
    ORDER BY k.key)"""


def _source(value: str) -> str:
    member = Source.parse(value)
    return member.value if member else ""


def _source_label(value: str) -> str:
    member = Source.parse(value)
    return str(member.label) if member else value


# The guideline sources (MTUS, ACOEM, ODG, other) the claims administrator cited for the
# item, or {none} when it cited none (no citation, or only a stock sentence).
CLAIMS_SOURCES_SQL = """coalesce(NULLIF(ARRAY(
    SELECT DISTINCT c.source FROM {citations} AS c
    WHERE {item} AND c.party = 'claims_administrator' AND c.source <> 'none'
    ORDER BY c.source), '{{}}'), '{{none}}')"""

FACETS: tuple[Facet, ...] = (
    Facet("outcome", "Outcome", "outcome", normalise=_outcome, display=_outcome_label,
          analysed=False, shows_rate=False, choices=tuple(Outcome.values)),
    Facet("category", "Request category", "category"),
    # The DWC subcategory within the category ("Chiropractic"; a medication's drug class):
    # what "Find similar decisions" (similar.matching) narrows a non-drug request to.
    Facet("subcategory", "Request subcategory", "subcategory"),
    Facet("drug", "Drug", "ingredients", array=True, normalise=str.lower, display=str.capitalize),
    Facet("drug_class", "Drug class", "drug_class"),
    Facet("specialty", "Reviewer specialty", "specialties", array=True),
    TreeFacet("guideline", "Guideline", "guidelines", array=True, top=6,
              display=_guideline_label, analysed=False, citations_sql=GUIDELINE_KEYS_SQL),
    Facet("state", "Reviewer licensure", "licensure_states", array=True, normalise=_state,
          chip_format="licensed in {}", pattern="^[A-Za-z]{2}$"),
    # top: every year of the archive (2013 on) and "Undated" show without "more".
    YearFacet("year", "Decision year", "decision_year", top=20, normalise=_year,
              display=_year_label, chip_format="decided {}",
              choices=(*map(str, YEARS), *sorted(_UNKNOWN_YEAR_SPELLINGS))),
    # What the reviewer's rationale says (ingest.normalize: guidelines, reasons, regions).
    Facet("section", "Guideline section", "guideline_sections", array=True,
          display=section_label),
    BooleanFacet("same_guideline", "Same guideline as claims administrator", "same_guideline",
                 normalise=_boolean, display=lambda v: SAME_GUIDELINE_LABELS.get(v, v),
                 choices=tuple(_BOOLEANS)),
    Facet("reason", "Reason", "reason_tags", array=True, normalise=str.lower,
          display=lambda v: TAG_LABELS.get(v, v)),
    Facet("region", "Body region", "body_region"),
    Facet("claims_source", "Claims administrator's guideline source", "claims_sources",
          array=True, normalise=_source, display=_source_label, choices=tuple(Source.values),
          citations_sql=CLAIMS_SOURCES_SQL,
          field=ArrayField(models.CharField(max_length=8), default=list, blank=True,
                           editable=False)),
)  # fmt: skip
FACETS_BY_PARAM: dict[str, Facet] = {f.param: f for f in FACETS}


# --- the other constraints ---------------------------------------------------------------


def _parse_date(value: str) -> date | None:
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return parsed if parsed.year in YEARS else None


def _parse_case(value: str) -> str:
    return clean_value(value)[:20]


# How a URL spells a flag on, and off (the default: an API refuses other spellings).
FLAG_ON = ("1", "true", "on", "yes")
FLAG_OFF = ("0", "false", "off", "no")


def _parse_flag(value: str) -> bool:
    return value.strip().lower() in FLAG_ON


def _parse_statuses(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for raw in list(values)[:10]:
        member = ReviewStatus.parse(raw)
        if member and member.value not in out:
            out.append(member.value)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Constraint:
    """A URL filter that is not a facet: ``parse`` reads the URL's value (the last one, or
    all of them when ``multiple``) forgivingly, ``q`` filters items by the parsed value,
    ``write`` turns it back into URL values."""

    param: str
    parse: Callable[[Any], Any]
    q: Callable[[Any], Q]
    default: Any = None
    multiple: bool = False
    write: Callable[[Any], list[str]] = field(default=lambda v: [str(v)])
    # As on Facet: a closed set of values, or a regex every accepted value matches.
    choices: tuple[str, ...] = ()
    pattern: str = ""


def _case_q(case: str) -> Q:
    case = case.upper()
    return Q(determination__case_number=case) | Q(determination__claimed_case_number=case)


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint("decided_from", _parse_date, lambda d: Q(decision_date__gte=d),
               write=lambda d: [d.isoformat()]),
    Constraint("decided_to", _parse_date, lambda d: Q(decision_date__lte=d),
               write=lambda d: [d.isoformat()]),
    Constraint("injured_from", _parse_date, lambda d: Q(date_of_injury__gte=d),
               write=lambda d: [d.isoformat()]),
    Constraint("injured_to", _parse_date, lambda d: Q(date_of_injury__lte=d),
               write=lambda d: [d.isoformat()]),
    Constraint("case", _parse_case, _case_q, default="", pattern=r"^[A-Za-z0-9-]{1,20}$"),
    Constraint("partial", _parse_flag, lambda _: Q(partial=True), default=False,
               write=lambda _: ["1"], choices=(*FLAG_ON, *FLAG_OFF)),
    Constraint("status", _parse_statuses, lambda s: Q(review_status__in=list(s)), default=(),
               multiple=True, write=list, choices=tuple(ReviewStatus.values)),
)  # fmt: skip
CONSTRAINTS_BY_PARAM: dict[str, Constraint] = {c.param: c for c in CONSTRAINTS}

# Characters an HTML id of a sidebar checkbox leaves out.
_ID_RE = re.compile(r"[^A-Za-z0-9]+")


def option_id(param: str, value: str) -> str:
    """The HTML id of one sidebar checkbox."""
    return f"f-{param}-" + _ID_RE.sub("-", value).strip("-")[:80]
