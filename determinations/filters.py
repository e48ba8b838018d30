"""The one filter definition of the list page, its facet counts and the CSV export.

``ItemFilters.from_query(request.GET)`` reads every URL parameter forgivingly: a value
it cannot understand is dropped (a hand-edited or truncated URL never becomes a 500),
and ``query_string()`` writes the state back, so every view of the same filters
(list, counts, export, detail prev/next) sees exactly the same set.

URL parameters (all optional, facets repeatable; several values of one facet are OR-ed,
facets and filters are AND-ed):

    q             search text, websearch syntax: "exact phrase", OR, -exclude
    outcome       upheld | overturned
    category      DWC request category ("Pharmaceuticals")
    subcategory   DWC request subcategory ("Chiropractic"); a filter, not a facet (the
                  "Find similar decisions" page, similar/, opens its matched set with it)
    drug          generic ingredient ("hydrocodone"); brand names are folded into these
    drug_class    DWC drug class ("Opioids")
    specialty     reviewer specialty ("Pain Medicine")
    guideline     "MTUS", "MTUS|<document>" or "MTUS|<document>|<section>"
    state         reviewer licensure state ("CA")
    section       canonical guideline section the reviewer cited ("MTUS|<document>|<topic>")
    same_guideline  true | false: the reviewer cited the claims administrator's guideline
    reason        reason tag of the rationale ("no-functional-improvement")
    region        body region of the request ("Lumbar spine")
    year          decision year ("2016")
    decided_from, decided_to, injured_from, injured_to   dates, YYYY-MM-DD
    case          case number: jumps to that letter
    partial       1 = partial authorizations only
    status        review status: ok | needs_review | conflict | failed
    count         items (default) | letters: what the counts and rows are
    sort          relevance | newest | oldest (default: relevance when searching)
    page          1-based page number
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from determinations.models import Outcome, ReviewStatus
from determinations.search import clean_query_text
from ingest.normalize.guidelines import section_label
from ingest.normalize.reasons import TAG_LABELS

# Longest facet value read from the URL and most values per facet; more is not a search.
MAX_VALUE_CHARS = 300
MAX_VALUES = 30
# Page numbers beyond this are clamped: deep OFFSETs get slow, and nobody reads page 400
# (the CSV export has every row).
MAX_PAGE = 200

CASE_RE = re.compile(r"^[A-Za-z]{2}\d{2}-\d{5,8}$")


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet: URL parameter, label, the DisputedItem column it counts and filters."""

    param: str
    label: str
    column: str
    array: bool = False
    # "Long facets show the top values with 'more'": how many before "more".
    top: int = 8


FACETS: tuple[Facet, ...] = (
    Facet("outcome", "Outcome", "outcome"),
    Facet("category", "Request category", "category"),
    Facet("drug", "Drug", "ingredients", array=True),
    Facet("drug_class", "Drug class", "drug_class"),
    Facet("specialty", "Reviewer specialty", "specialties", array=True),
    Facet("guideline", "Guideline", "guidelines", array=True, top=6),
    Facet("state", "Reviewer licensure", "licensure_states", array=True),
    Facet("year", "Decision year", "decision_year", top=12),
    # Issue 5 analysis facets (determinations.analytics): canonical guideline sections the
    # reviewer cited, whether the reviewer cited the claims administrator's guideline,
    # reason tags of the rationale, body region of the request.
    Facet("section", "Guideline section", "guideline_sections", array=True),
    Facet("same_guideline", "Same guideline as claims administrator", "same_guideline"),
    Facet("reason", "Reason", "reason_tags", array=True),
    Facet("region", "Body region", "body_region"),
)
FACETS_BY_PARAM = {f.param: f for f in FACETS}

SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
COUNTS = {"items": "disputed items", "letters": "letters"}


def _parse_date(value: str) -> date | None:
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return parsed if 1990 <= parsed.year <= 2100 else None


def _clean(value: str) -> str:
    value = "".join(ch for ch in value if ch.isprintable())
    return " ".join(value.split())[:MAX_VALUE_CHARS]


def _parse_facet(facet: Facet, values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values[: MAX_VALUES * 2]:
        value = _clean(raw)
        if not value:
            continue
        if facet.param == "outcome":
            member = Outcome.parse(value)
            value = member.value if member else ""
        elif facet.param == "year":
            value = value if value.isdigit() and 1990 <= int(value) <= 2100 else ""
        elif facet.param == "state":
            value = value.upper() if len(value) == 2 and value.isalpha() else ""
        elif facet.param == "drug":
            value = value.lower()
        elif facet.param == "same_guideline":
            value = _BOOLEANS.get(value.lower(), "")
        elif facet.param == "reason":
            value = value.lower()
        if value and value not in out:
            out.append(value)
    return tuple(out[:MAX_VALUES])


# "same_guideline" values as the facet counts print them (boolean::text), and their labels.
_BOOLEANS = {
    **dict.fromkeys(("true", "yes", "1"), "true"),
    **dict.fromkeys(("false", "no", "0"), "false"),
}
SAME_GUIDELINE_LABELS = {
    "true": "Same guideline as claims administrator",
    "false": "Different guideline from claims administrator",
}


def guideline_label(key: str) -> str:
    """ "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids" -> "Opioids"."""
    return key.rsplit("|", 1)[-1]


def value_label(param: str, value: str) -> str:
    if param == "outcome":
        member = Outcome.parse(value)
        return str(member.label) if member else value
    if param == "guideline":
        parts = value.split("|")
        return " - ".join(parts[:1] + parts[2:]) if len(parts) == 3 else " ".join(parts)
    if param == "drug":
        return value.capitalize()
    if param == "section":
        return section_label(value)
    if param == "reason":
        return TAG_LABELS.get(value, value)
    if param == "same_guideline":
        return SAME_GUIDELINE_LABELS.get(value, value)
    return value


@dataclass(frozen=True, slots=True)
class ItemFilters:
    """What the analyst asked for. Immutable: the ``with_*`` methods return new states."""

    q: str = ""
    outcome: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    drug: tuple[str, ...] = ()
    drug_class: tuple[str, ...] = ()
    specialty: tuple[str, ...] = ()
    guideline: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    same_guideline: tuple[str, ...] = ()
    reason: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    subcategory: tuple[str, ...] = ()
    decided_from: date | None = None
    decided_to: date | None = None
    injured_from: date | None = None
    injured_to: date | None = None
    case: str = ""
    partial: bool = False
    status: tuple[str, ...] = ()
    count: str = "items"
    sort: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, data: Any) -> ItemFilters:
        """Build from a QueryDict (or a dict of lists); never raises."""

        def get(name: str) -> str:
            values = _getlist(data, name)
            return values[-1] if values else ""

        statuses = []
        for raw in _getlist(data, "status")[:10]:
            member = ReviewStatus.parse(raw)
            if member and member.value not in statuses:
                statuses.append(member.value)
        page = get("page").strip()
        sort = get("sort").strip().lower()
        count = get("count").strip().lower()
        return cls(
            q=clean_query_text(get("q")),
            **{f.param: _parse_facet(f, _getlist(data, f.param)) for f in FACETS},
            subcategory=tuple(
                dict.fromkeys(
                    v for raw in _getlist(data, "subcategory")[:MAX_VALUES] if (v := _clean(raw))
                )
            ),
            decided_from=_parse_date(get("decided_from")),
            decided_to=_parse_date(get("decided_to")),
            injured_from=_parse_date(get("injured_from")),
            injured_to=_parse_date(get("injured_to")),
            case=_clean(get("case"))[:20],
            partial=get("partial").strip().lower() in {"1", "true", "on", "yes"},
            status=tuple(statuses),
            count=count if count in COUNTS else "items",
            sort=sort if sort in SORTS else "",
            page=min(int(page), MAX_PAGE) if page.isdigit() and 0 < len(page) < 6 else 1,
        )

    # --- state -> URL -------------------------------------------------------------------

    def as_params(self) -> list[tuple[str, str]]:
        """Every non-default value as (name, value) pairs, in a stable order."""
        params: list[tuple[str, str]] = []
        if self.q:
            params.append(("q", self.q))
        for facet in FACETS:
            params.extend((facet.param, v) for v in getattr(self, facet.param))
        params.extend(("subcategory", v) for v in self.subcategory)
        for name in ("decided_from", "decided_to", "injured_from", "injured_to"):
            value = getattr(self, name)
            if value:
                params.append((name, value.isoformat()))
        if self.case:
            params.append(("case", self.case))
        if self.partial:
            params.append(("partial", "1"))
        params.extend(("status", v) for v in self.status)
        if self.count != "items":
            params.append(("count", self.count))
        if self.sort:
            params.append(("sort", self.sort))
        if self.page > 1:
            params.append(("page", str(self.page)))
        return params

    def query_string(self) -> str:
        return urlencode(self.as_params())

    def replace(self, **changes: Any) -> ItemFilters:
        """A copy with ``changes``; back to page 1 unless a page is given."""
        changes.setdefault("page", 1)
        return dataclasses.replace(self, **changes)

    def toggled(self, param: str, value: str) -> ItemFilters:
        """Select or unselect one facet value. In the guideline tree, choosing a key drops
        its ancestors and descendants, so "MTUS" and "MTUS|<document>" never OR together."""
        current: tuple[str, ...] = getattr(self, param)
        if value in current:
            return self.replace(**{param: tuple(v for v in current if v != value)})
        if param == "guideline":
            current = tuple(
                v for v in current if not (value.startswith(v + "|") or v.startswith(value + "|"))
            )
        return self.replace(**{param: (*current, value)})

    def without(self, name: str, value: str | None = None) -> ItemFilters:
        """Remove one facet value, or a whole filter."""
        if name in FACETS_BY_PARAM and value is not None:
            return self.replace(**{name: tuple(v for v in getattr(self, name) if v != value)})
        field = next(f for f in dataclasses.fields(self) if f.name == name)
        return self.replace(**{name: field.default})

    def cleared(self) -> ItemFilters:
        """No filters, but the same count mode."""
        return ItemFilters(count=self.count)

    # --- reading the state ----------------------------------------------------------------

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def is_filtered(self) -> bool:
        return bool(self.active())

    def selected(self, param: str) -> tuple[str, ...]:
        return getattr(self, param)

    def active(self) -> list[tuple[str, str, ItemFilters]]:
        """(kind, human label, state without it) for every active constraint, in reading
        order: the one-line summary, the removable chips and the empty-page advice."""
        out: list[tuple[str, str, ItemFilters]] = []
        if self.q:
            out.append(("q", f"\u201c{self.q}\u201d", self.without("q")))
        for facet in FACETS:
            for value in getattr(self, facet.param):
                label = value_label(facet.param, value)
                if facet.param == "year":
                    label = f"decided {value}"
                elif facet.param == "state":
                    label = f"licensed in {value}"
                out.append((facet.param, label, self.without(facet.param, value)))
        for value in self.subcategory:
            rest = self.replace(subcategory=tuple(v for v in self.subcategory if v != value))
            out.append(("subcategory", value, rest))
        if self.decided_from or self.decided_to:
            label = _range_label("decided", self.decided_from, self.decided_to)
            out.append(("decided", label, self.replace(decided_from=None, decided_to=None)))
        if self.injured_from or self.injured_to:
            label = _range_label("injured", self.injured_from, self.injured_to)
            out.append(("injured", label, self.replace(injured_from=None, injured_to=None)))
        if self.case:
            out.append(("case", f"case {self.case}", self.without("case")))
        if self.partial:
            out.append(("partial", "partial authorizations", self.without("partial")))
        for value in self.status:
            member = ReviewStatus.parse(value)
            label = f"status: {member.label if member else value}"
            out.append(
                ("status", label, self.replace(status=tuple(s for s in self.status if s != value)))
            )
        return out

    def summary(self, total: int | None = None, approximate: bool = False) -> str:
        """ "412 items - Overturned - Opioids - decided 2016 - Pain Management"; with
        ``approximate``, "about 120,000 items - ..." (an estimated total)."""
        noun = COUNTS[self.count]
        if total is not None:
            noun = f"{total:,} {noun if total != 1 else noun.removesuffix('s')}"
            if approximate:
                noun = f"about {noun}"
        parts = [noun]
        by_kind: dict[str, list[str]] = {}
        for kind, label, _ in self.active():
            by_kind.setdefault(kind, []).append(label)
        for labels in by_kind.values():
            parts.append(" or ".join(labels))
        return " - ".join(parts)

    def slug(self) -> str:
        """The summary as a file-name fragment: "overturned_opioids_decided-2016"."""
        labels = [label for _, label, _ in self.active()]
        text = "_".join(re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") for label in labels)
        return text[:120].strip("_-") or "all"


def _range_label(verb: str, start: date | None, end: date | None) -> str:
    if start and end:
        return f"{verb} {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if start:
        return f"{verb} from {start:%Y-%m-%d}"
    return f"{verb} until {end:%Y-%m-%d}"


def _getlist(data: Any, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        values = data.get(name, [])
        if isinstance(values, str):
            values = [values]
    return [v for v in values if isinstance(v, str)]


@dataclass(frozen=True, slots=True)
class FacetOption:
    param: str
    value: str
    label: str
    count: int
    overturn_rate: int
    selected: bool
    depth: int = 0
    # Scaled up from the sample: shown with "≈".
    estimated: bool = False

    @property
    def input_id(self) -> str:
        return f"f-{self.param}-" + re.sub(r"[^A-Za-z0-9]+", "-", self.value).strip("-")[:80]


@dataclass(frozen=True, slots=True)
class FacetPanel:
    facet: Facet
    shown: list[FacetOption]
    more: list[FacetOption]

    @property
    def has_selection(self) -> bool:
        return any(o.selected for o in self.shown + self.more)


def facet_panels(filters: ItemFilters, counts: Any) -> list[FacetPanel]:
    """The sidebar: each facet's values with count and overturn rate, the top few shown
    and the rest behind "more". Selected values always show, even with a zero count.

    The guideline facet is a tree: sources, then the documents of a source once it (or
    something under it) is chosen, then that document's sections likewise.
    """
    panels = []
    for facet in FACETS:
        chosen = filters.selected(facet.param)
        found = {fc.value: fc for fc in counts.by_facet.get(facet.param, [])}
        values = list(found) + [v for v in chosen if v not in found]
        if facet.param == "guideline":
            tree = _guideline_tree(values, chosen)
            options = [_option(facet, v, depth, found, chosen) for v, depth in tree]
            shown, more = options, []
        else:
            options = [_option(facet, v, 0, found, chosen) for v in values]
            rest = options[facet.top :]
            shown = options[: facet.top] + [o for o in rest if o.selected]
            more = [o for o in rest if not o.selected]
        if shown or more:
            panels.append(FacetPanel(facet, shown, more))
    return panels


def _option(
    facet: Facet, value: str, depth: int, found: dict[str, Any], chosen: tuple[str, ...]
) -> FacetOption:
    fc = found.get(value)
    label = value_label(facet.param, value) if depth == 0 else guideline_label(value)
    return FacetOption(
        facet.param,
        value,
        label,
        fc.count if fc else 0,
        fc.overturn_rate if fc else 0,
        value in chosen,
        depth,
        fc.estimated if fc else False,
    )


def _guideline_tree(keys: list[str], chosen: tuple[str, ...]) -> list[tuple[str, int]]:
    """(key, depth) in display order: sources by count, each followed by its documents
    when open, each followed by its sections when open."""

    def is_open(key: str) -> bool:
        return any(c == key or c.startswith(key + "|") for c in chosen)

    for key in chosen:  # a chosen section shows under its document and source
        parts = key.split("|")
        for depth in range(1, len(parts)):
            ancestor = "|".join(parts[:depth])
            if ancestor not in keys:
                keys = [*keys, ancestor]
    out: list[tuple[str, int]] = []
    for source in [k for k in keys if "|" not in k]:
        out.append((source, 0))
        if not is_open(source):
            continue
        for doc in [k for k in keys if k.count("|") == 1 and k.startswith(source + "|")]:
            out.append((doc, 1))
            if is_open(doc):
                out.extend(
                    (sec, 2) for sec in keys if sec.count("|") == 2 and sec.startswith(doc + "|")
                )
    return out
