"""The URL form of the list page: ``ItemFilterSet``, a django-filter FilterSet built from
the facet registry (determinations.facets), the one filter definition of the list, its
facet counts, the CSV export, the analytics pages and the JSON API.

``ItemFilterSet(request.GET)`` (or DRF's ``request.query_params``) reads every URL
parameter forgivingly: a value it cannot understand is dropped, so the form is always
valid and a hand-edited or truncated URL never becomes a 500. ``.qs`` is the filtered
DisputedItem queryset; ``.state`` the canonical filter state (``ItemFilters``), whose
``query_string()`` / ``as_dict()`` write it back (saved searches, links), so every view
of the same filters (list, counts, export, detail prev/next) sees exactly the same set.

URL parameters (all optional, facets repeatable; several values of one facet are OR-ed,
facets and filters are AND-ed):

    q             search text, websearch syntax: "exact phrase", OR, -exclude
    scope         what q is matched against: request (default: the item's own request and
                  its normalised names) | rationale (also its guidelines and rationale) |
                  letter (also the letter's case summary)
    outcome       upheld | overturned
    category      DWC request category ("Pharmaceuticals")
    subcategory   DWC request subcategory or drug class ("Chiropractic", "Opioids")
    drug          generic ingredient ("hydrocodone"); brand names are folded into these
    drug_class    DWC drug class ("Opioids")
    specialty     reviewer specialty ("Pain Medicine")
    guideline     "MTUS", "MTUS|<document>" or "MTUS|<document>|<section>"
    state         reviewer licensure state ("CA")
    section       canonical guideline section the reviewer cited ("MTUS|<document>|<topic>")
    same_guideline  true | false: the reviewer cited the claims administrator's guideline
    reason        reason tag of the rationale ("no-functional-improvement")
    region        body region of the request ("Lumbar spine")
    claims_source guideline source the claims administrator cited: MTUS | ACOEM | ODG | other | none
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

import copy
import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.http import QueryDict

from determinations.choices import ReviewStatus
from determinations.facets import (
    CONSTRAINTS,
    FACETS,
    FACETS_BY_PARAM,
    Constraint,
    Facet,
    option_id,
)
from determinations.models import DisputedItem
from determinations.querysets import DisputedItemQuerySet, FacetCounts
from determinations.search import PreparedSearch, SearchScope, clean_query_text, prepare_search

# Page numbers beyond this are clamped: deep OFFSETs get slow, and nobody reads page 400
# (the CSV export has every row).
MAX_PAGE = 200

SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
COUNTS = {"items": "disputed items", "letters": "letters"}

# What a count of a search is, by scope and count mode: the page's sentence ("94 requests
# for "epidural steroid"", "2,256 disputed items whose letter mentions ...") and the export's
# first line. {n} is the count's noun phrase start, {q} the quoted search.
SCOPE_PHRASES: dict[tuple[str, str], tuple[str, str]] = {
    # (scope, count): (singular, plural)
    ("request", "items"): ("request for {q}", "requests for {q}"),
    ("request", "letters"): ("letter with a request for {q}", "letters with a request for {q}"),
    ("rationale", "items"): (
        "disputed item whose request, guidelines or rationale mention {q}",
        "disputed items whose request, guidelines or rationale mention {q}",
    ),
    ("rationale", "letters"): (
        "letter with an item whose request, guidelines or rationale mention {q}",
        "letters with an item whose request, guidelines or rationale mention {q}",
    ),
    ("letter", "items"): (
        "disputed item whose letter mentions {q}",
        "disputed items whose letter mentions {q}",
    ),
    ("letter", "letters"): ("letter that mentions {q}", "letters that mention {q}"),
}


def quoted(text: str) -> str:
    """Search text in typographic quotes; one quoted phrase keeps only those ("epidural
    steroid" -> “epidural steroid”, not “"epidural steroid"”)."""
    if len(text) > 2 and text[0] == text[-1] == '"' and text.count('"') == 2:
        text = text[1:-1]
    return f"\u201c{text}\u201d"


def value_label(param: str, value: str) -> str:
    """A facet value as people read it ("overturned" -> "Overturned")."""
    facet = FACETS_BY_PARAM.get(param)
    return facet.display(value) if facet else value


class _FilterState:
    """Methods of ``ItemFilters`` (its fields are generated from the registry below)."""

    __slots__ = ()
    q: str
    scope: str
    count: str
    sort: str
    page: int

    @classmethod
    def from_query(cls, data: Any) -> ItemFilters:
        """Build from a QueryDict (or a dict of lists or strings); never raises."""
        return ItemFilterSet(_as_querydict(data)).state

    # --- state -> URL -------------------------------------------------------------------

    def as_params(self) -> list[tuple[str, str]]:
        """Every non-default value as (name, value) pairs, in a stable order."""
        params: list[tuple[str, str]] = []
        if self.q:
            params.append(("q", self.q))
            # Without a search the scope means nothing, and is not written.
            if self.scope != SearchScope.REQUEST:
                params.append(("scope", self.scope))
        for facet in FACETS:
            params.extend((facet.param, v) for v in getattr(self, facet.param))
        for c in CONSTRAINTS:
            value = getattr(self, c.param)
            if value != c.default and value is not None:
                params.extend((c.param, v) for v in c.write(value))
        if self.count != "items":
            params.append(("count", self.count))
        if self.sort:
            params.append(("sort", self.sort))
        if self.page > 1:
            params.append(("page", str(self.page)))
        return params

    def as_dict(self) -> dict[str, list[str]]:
        """The canonical state as a JSON-ready dict of lists (a saved search)."""
        out: dict[str, list[str]] = {}
        for name, value in self.as_params():
            out.setdefault(name, []).append(value)
        return out

    def query_string(self) -> str:
        return urlencode(self.as_params())

    def replace(self, **changes: Any) -> ItemFilters:
        """A copy with ``changes``; back to page 1 unless a page is given."""
        changes.setdefault("page", 1)
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def toggled(self, param: str, value: str) -> ItemFilters:
        """Select or unselect one facet value."""
        facet = FACETS_BY_PARAM[param]
        return self.replace(**{param: facet.toggled(getattr(self, param), value)})

    def without(self, name: str, value: str | None = None) -> ItemFilters:
        """Remove one facet value, or a whole filter."""
        if name in FACETS_BY_PARAM and value is not None:
            return self.replace(**{name: tuple(v for v in getattr(self, name) if v != value)})
        field = next(f for f in dataclasses.fields(self) if f.name == name)  # type: ignore[arg-type]
        return self.replace(**{name: field.default})

    def cleared(self) -> ItemFilters:
        """No filters, but the same count mode."""
        return ItemFilters(count=self.count)

    # --- reading the state ----------------------------------------------------------------

    @property
    def default_sort(self) -> str:
        """The sort of a list that asks for none: relevance for a search, else newest."""
        return "relevance" if self.q else "newest"

    @property
    def effective_sort(self) -> str:
        return self.sort or self.default_sort

    @property
    def sort_options(self) -> list[tuple[str, str, bool]]:
        """The sort select's (value, label, selected). The default sort is sent as "" (none
        asked for), so a form that changes the list keeps no stale sort: a search typed on
        the unsearched list (newest first) is ranked by relevance, and a broad search shown
        newest first is ranked again once a facet narrows it."""
        options = [("", SORTS[self.default_sort], self.effective_sort == self.default_sort)]
        for value, label in SORTS.items():
            if value != self.default_sort and (value != "relevance" or self.q):
                options.append((value, label, value == self.effective_sort))
        return options

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
            out.append(("q", quoted(self.q), self.without("q")))
        for facet in FACETS:
            for value in getattr(self, facet.param):
                out.append((facet.param, facet.chip(value), self.without(facet.param, value)))
        for verb in ("decided", "injured"):
            start, end = getattr(self, f"{verb}_from"), getattr(self, f"{verb}_to")
            if start or end:
                rest = self.replace(**{f"{verb}_from": None, f"{verb}_to": None})
                out.append((verb, _range_label(verb, start, end), rest))
        case = self.case
        if case:
            out.append(("case", f"case {case}", self.without("case")))
        if self.partial:
            out.append(("partial", "partial authorizations", self.without("partial")))
        statuses = self.status
        for value in statuses:
            member = ReviewStatus.parse(value)
            label = f"status: {member.label if member else value}"
            out.append(
                ("status", label, self.replace(status=tuple(s for s in statuses if s != value)))
            )
        return out

    def scope_phrase(self, total: int | None = None, scope: str | None = None) -> str:
        """What a count of this search counts, in its scope (or ``scope``): "requests for
        "norco"", "disputed items whose letter mentions "norco"" (singular for 1)."""
        one, many = SCOPE_PHRASES[(scope or self.scope, self.count)]
        return (one if total == 1 else many).format(q=quoted(self.q))

    def summary(self, total: int | None = None, approximate: bool = False) -> str:
        """ "412 items - Overturned - Opioids - decided 2016 - Pain Management"; with
        ``approximate``, "about 120,000 items - ..." (an estimated total). A search says
        what it counts in its scope: "94 requests for "epidural steroid" - Upheld"."""
        noun = self.scope_phrase(total) if self.q else COUNTS[self.count]
        if total is not None:
            if not self.q and total == 1:
                noun = noun.removesuffix("s")
            noun = f"{total:,} {noun}"
            if approximate:
                noun = f"about {noun}"
        parts = [noun]
        by_kind: dict[str, list[str]] = {}
        for kind, label, _ in self.active():
            if kind == "q":  # said by the noun
                continue
            by_kind.setdefault(kind, []).append(label)
        for labels in by_kind.values():
            parts.append(" or ".join(labels))
        return " - ".join(parts)

    def slug(self) -> str:
        """The summary as a file-name fragment: "overturned_opioids_decided-2016"."""
        labels = [label for _, label, _ in self.active()]
        text = "_".join(re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") for label in labels)
        return text[:120].strip("_-") or "all"


# What the analyst asked for, immutable (the ``with_*``-style methods return new states):
# the search text, one tuple per facet, one field per constraint, and how to show it.
ItemFilters = dataclasses.make_dataclass(
    "ItemFilters",
    [
        ("q", str, dataclasses.field(default="")),
        ("scope", str, dataclasses.field(default=SearchScope.REQUEST.value)),
        *((f.param, tuple[str, ...], dataclasses.field(default=())) for f in FACETS),
        *((c.param, Any, dataclasses.field(default=c.default)) for c in CONSTRAINTS),
        ("count", str, dataclasses.field(default="items")),
        ("sort", str, dataclasses.field(default="")),
        ("page", int, dataclasses.field(default=1)),
    ],
    bases=(_FilterState,),
    frozen=True,
    slots=True,
    module=__name__,
)


def _range_label(verb: str, start: date | None, end: date | None) -> str:
    if start and end:
        return f"{verb} {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if start:
        return f"{verb} from {start:%Y-%m-%d}"
    return f"{verb} until {end:%Y-%m-%d}"


def _as_querydict(data: Any) -> Any:
    """A dict of strings or lists as a QueryDict (what django-filter's form reads)."""
    if data is None or hasattr(data, "getlist"):
        return data
    query = QueryDict(mutable=True)
    for name, values in dict(data).items():
        for value in [values] if isinstance(values, str) else values:
            if isinstance(value, str):
                query.appendlist(name, value)
    return query


# --- the FilterSet -------------------------------------------------------------------------


class ForgivingField(forms.Field):
    """A form field that never fails: ``parse`` turns the raw URL value (the last one, or
    the list of all when ``multiple``) into the cleaned value, dropping what it cannot read."""

    def __init__(self, parse: Any, *, multiple: bool = False, **kwargs: Any) -> None:
        self.parse = parse
        self.multiple = multiple
        kwargs["required"] = False
        kwargs["widget"] = forms.MultipleHiddenInput if multiple else forms.TextInput
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        if self.multiple:
            values = [value] if isinstance(value, str) else list(value or [])
            return self.parse([v for v in values if isinstance(v, str)])
        return self.parse(value if isinstance(value, str) else "")


class _CopiedCheaply(django_filters.Filter):
    """A FilterSet deep-copies its filters for every request. Ours hold only immutable
    declarations (a registry entry, a parse function), so a shallow copy with its own
    ``extra`` is a full copy; deep-copying the registry entries was ~3 ms of every page."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        clone = copy.copy(self)
        clone.extra = dict(self.extra)
        clone.__dict__.pop("_field", None)  # each copy builds its own form field
        memo[id(self)] = clone
        return clone


class _RegistryFilter(_CopiedCheaply):
    """A filter whose parse and ``Q`` come from one registry entry (a facet or a
    constraint), so the FilterSet and ``DisputedItemQuerySet.filtered`` cannot disagree."""

    field_class = ForgivingField

    def __init__(self, entry: Facet | Constraint, *, multiple: bool, **kwargs: Any) -> None:
        self.entry = entry
        parse = entry.parse
        super().__init__(field_name=entry.param, parse=parse, multiple=multiple, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in (None, "", (), False):
            return qs
        return qs.filter(self.entry.q(value))


class _ShownFilter(_CopiedCheaply):
    """A parameter of how the set is shown (count mode, sort, page), not which rows.
    ``choices``: the values it reads, when a closed set (the API schema's enum)."""

    field_class = ForgivingField

    def __init__(self, *, choices: Any = (), **kwargs: Any) -> None:
        self.choices = tuple(choices)
        super().__init__(**kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        return qs


class _SearchFilter(_CopiedCheaply):
    """The search box (websearch syntax); matched by ``DisputedItemQuerySet.search``."""

    field_class = ForgivingField

    def filter(self, qs: Any, value: Any) -> Any:
        return qs.search(self.parent.search) if value else qs


def _parse_scope(value: str) -> str:
    return SearchScope.parse(value).value


def _parse_count(value: str) -> str:
    value = value.strip().lower()
    return value if value in COUNTS else "items"


def _parse_sort(value: str) -> str:
    value = value.strip().lower()
    return value if value in SORTS else ""


def _parse_page(value: str) -> int:
    value = value.strip()
    return min(int(value), MAX_PAGE) if value.isdigit() and 0 < len(value) < 6 else 1


class _ItemFilterSetBase(django_filters.FilterSet):
    """Methods of ``ItemFilterSet`` (its filters are generated from the registry below)."""

    class Meta:
        model = DisputedItem
        fields: list[str] = []

    @cached_property
    def state(self) -> ItemFilters:
        """The canonical filter state: every parameter parsed, defaults for the rest."""
        if not self.is_bound:
            return ItemFilters()
        self.form.is_valid()  # never false: every field forgives
        return ItemFilters(**self.form.cleaned_data)

    @cached_property
    def search(self) -> PreparedSearch:
        """The search box read (one query: lexemes and drug-name corrections)."""
        return prepare_search(self.state.q, scope=SearchScope(self.state.scope))

    def canonical_query_string(self) -> str:
        return self.state.query_string()

    def canonical_dict(self) -> dict[str, list[str]]:
        return self.state.as_dict()

    def filter_queryset(self, queryset: Any) -> Any:
        """Items matching the search and every filter: ``DisputedItemQuerySet.filtered``,
        which applies the same registry entries as this set's filters."""
        return queryset.filtered(self.state, self.search)

    def counts(self) -> FacetCounts:
        """Every facet's values with their counts, exact or sampled (the sidebar)."""
        return DisputedItem.objects.facet_counts(self.state, self.search)

    def ordered_qs(self) -> DisputedItemQuerySet:
        """``qs`` in the list's order. Relevance ranks every match: bound it (the list page
        falls back to newest above querysets.RANK_LIMIT)."""
        return self.qs.ordered(self.state.effective_sort, self.search)


def _filterset_attrs() -> dict[str, Any]:
    attrs: dict[str, Any] = {"q": _SearchFilter(parse=clean_query_text, label="Search")}
    for facet in FACETS:
        attrs[facet.param] = _RegistryFilter(facet, multiple=True, label=facet.label)
    for c in CONSTRAINTS:
        attrs[c.param] = _RegistryFilter(c, multiple=c.multiple, label=c.param)
    # Read by ``search`` (the search filter matches in this scope).
    attrs["scope"] = _ShownFilter(
        parse=_parse_scope, label="Search scope", choices=SearchScope.values
    )
    attrs["count"] = _ShownFilter(parse=_parse_count, label="Count", choices=COUNTS)
    attrs["sort"] = _ShownFilter(parse=_parse_sort, label="Sort", choices=SORTS)
    attrs["page"] = _ShownFilter(parse=_parse_page, label="Page")
    attrs["__module__"] = __name__
    attrs["__doc__"] = (
        "The URL form: one filter per facet and constraint of the registry, plus the search "
        "box and how the set is shown. Always valid; ``qs``, ``state``, ``search``, ``counts()``."
    )
    return attrs


ItemFilterSet: type[_ItemFilterSetBase] = type(  # type: ignore[assignment]
    "ItemFilterSet", (_ItemFilterSetBase,), _filterset_attrs()
)


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

    # Its count comes with an overturn rate (Facet.shows_rate).
    shows_rate: bool = True

    @property
    def input_id(self) -> str:
        return option_id(self.param, self.value)


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
    and the rest behind "more" (a nested facet shows its open branches instead, see
    facets.TreeFacet). Selected values always show, even with a zero count."""
    panels = []
    for facet in FACETS:
        chosen = filters.selected(facet.param)
        found = {fc.value: fc for fc in counts.by_facet.get(facet.param, [])}
        values = list(found) + [v for v in chosen if v not in found]
        tree = facet.arranged(values, chosen)
        if tree is not None:
            shown = [_option(facet, v, depth, found, chosen) for v, depth in tree]
            more: list[FacetOption] = []
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
    return FacetOption(
        facet.param,
        value,
        facet.display_at(value, depth),
        fc.count if fc else 0,
        fc.overturn_rate if fc else 0,
        value in chosen,
        depth,
        fc.estimated if fc else False,
        facet.shows_rate,
    )
