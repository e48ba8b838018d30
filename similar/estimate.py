"""The estimate block: how past decisions on the matched set went, and nothing more.

Every count is SQL over the list's own filter definition
(``DisputedItem.objects.filtered``). A set the list would estimate from its sample of
letters (one in 32, or 128 once the corpus is large: more than ``EXACT_LIMIT`` items
predicted) is estimated here from the same sample, with the same rounding, so "Open these
in the list" shows the same count; its rate and Wilson interval then come from the
sampled items themselves (their n is shown), which is what the data can honestly say.
Smaller sets are counted exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F

from determinations import querysets
from determinations.analytics import Rate, wilson
from determinations.filters import ItemFilters
from determinations.models import DisputedItem
from determinations.querysets import FacetCount, current_sample_rate, sample_model
from determinations.search import PreparedSearch
from ingest.normalize.reasons import TAG_LABELS
from similar.matching import list_filters

# Below this many decisions the overturn rate is withheld: a 95% interval on fewer is
# wider than about +-20 points whatever the rate.
MIN_N = 20
QUARTERS = 8
REASONS = 5
# Base rates (a kind's, all letters') depend on the data, not on the request: each process
# keeps them this long, and counts again as soon as a letter is added (the newest item id
# is part of the key); an edit or a deletion shows in the base rates within this time.
BASE_RATE_SECONDS = 300
# Kinds kept at most (about 80 subcategories and categories, and "all letters").
BASE_RATE_KINDS = 256
DISCLAIMER = (
    "This describes how IMR decided past requests like this one. It is not a prediction "
    "of how a pending request will be decided, and it is not medical or legal advice."
)


@dataclass(frozen=True, slots=True)
class Count:
    """A set's size as the list shows it, and the decisions its rate is read from."""

    total: int
    # True when the total is scaled up from the sample (shown as "about").
    estimated: bool
    # The decisions the rate is computed on: every item, or the sampled ones.
    rate: Rate
    # One letter in how many was sampled, when ``estimated``.
    sample_rate: int = querysets.SAMPLE_RATE

    @property
    def withheld(self) -> bool:
        return self.rate.n < MIN_N

    @property
    def withheld_reason(self) -> str:
        return (
            f"Only {self.rate.n} decision{'s' if self.rate.n != 1 else ''} "
            f"{'were sampled' if self.estimated else 'match'}; an overturn rate is shown from "
            f"{MIN_N} on, because below that its 95% interval is too wide to say anything."
        )

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.rate.overturned, self.rate.n)


@dataclass(frozen=True, slots=True)
class Quarter:
    start: date
    rate: Rate

    @property
    def label(self) -> str:
        return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"

    @property
    def end(self) -> date:
        following = date(
            self.start.year + self.start.month // 10, (self.start.month + 2) % 12 + 1, 1
        )
        return date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True, slots=True)
class Reason:
    tag: str
    count: int

    @property
    def label(self) -> str:
        return TAG_LABELS.get(self.tag, self.tag)


@dataclass(frozen=True, slots=True)
class Estimate:
    matched: Count
    subcategory: Count | None
    subcategory_label: str
    subcategory_params: tuple[tuple[str, str], ...]
    everything: Count
    quarters: list[Quarter]
    upheld_reasons: list[Reason]
    overturned_reasons: list[Reason]
    disclaimer: str = DISCLAIMER


def estimate(
    filters: ItemFilters, search: PreparedSearch, kind: tuple[tuple[str, str], ...]
) -> Estimate:
    """The block for the matched set ``filters``; ``kind`` is the list parameters of the
    request's subcategory (or category, or drug class) for its base rate."""
    first = _first_quarter()
    matched, stats = _count(filters, search, since=first)
    quarters = _quarters(first, stats.get("q", {}))
    kind_count = None
    label = ""
    newest = _newest_item()
    if kind:
        kind_count = base_rate(kind, newest)
        label = " / ".join(v for _, v in kind)
    everything = base_rate((), newest)

    def reasons(outcome: str) -> list[Reason]:
        found = stats.get(f"r:{outcome}", {})
        top = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))[:REASONS]
        return [Reason(tag, n) for tag, (n, _) in top]

    return Estimate(
        matched,
        kind_count,
        label,
        kind,
        everything,
        quarters,
        reasons("upheld"),
        reasons("overturned"),
    )


def _count(
    filters: ItemFilters, search: PreparedSearch, since: date | None = None
) -> tuple[Count, dict[str, dict[Any, tuple[int, int]]]]:
    """The set's count as the list decides it (DisputedItemQuerySet.facet_counts): from
    the sample when it predicts more than EXACT_LIMIT items, else exact; with
    ``since``, also its quarters from then on and its reason tags, from the same rows."""
    rate = current_sample_rate()
    sample = sample_model(rate).objects.filtered(filters, search)
    sampled = _stats(sample, None)
    n_sample, ov_sample = sampled["total"].get("", (0, 0))
    # The list's own limit, read when counting (as DisputedItemQuerySet.facet_counts does).
    exact = n_sample * rate <= querysets.EXACT_LIMIT
    if exact:
        stats = _stats(DisputedItem.objects.filtered(filters, search), since)
        n, ov = stats["total"].get("", (0, 0))
        return Count(n, False, Rate(n, ov)), stats
    stats = _stats(sample, since) if since else sampled
    scaled = querysets.scaled(FacetCount("", n_sample, ov_sample), rate)
    return Count(scaled.count, True, Rate(n_sample, ov_sample), rate), stats


_base_rates: dict[tuple[Any, ...], tuple[float, Count]] = {}


def base_rate(kind: tuple[tuple[str, str], ...], newest: int | None) -> Count:
    """The count of the list parameters ``kind`` (() for all letters), as ``_count``
    makes it, kept BASE_RATE_SECONDS per ``newest`` item id. Measured at 50,000 letters on
    the loaded 2-core machine: 10-25 ms of the block's two or three sample reads."""
    key = (kind, newest)
    now = time.monotonic()
    kept = _base_rates.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    if kind:
        kind_set = list_filters(kind)
        count, _ = _count(kind_set.state, kind_set.search)
    else:
        count, _ = _count(ItemFilters(), PreparedSearch("", None))
    if len(_base_rates) >= BASE_RATE_KINDS:
        _base_rates.clear()
    _base_rates[key] = (now + BASE_RATE_SECONDS, count)
    return count


def _newest_item() -> int | None:
    """The newest item's id (the primary key's index: one entry read)."""
    return DisputedItem.objects.order_by("-pk").values_list("pk", flat=True).first()


def _stats(qs: Any, since: date | None) -> dict[str, dict[Any, tuple[int, int]]]:
    """One statement: total and overturned; with ``since``, per decision quarter from
    then on and per (outcome, reason tag)."""
    columns = ["outcome", "decision_date", "reason_tags"]
    sql, params = qs.order_by().values_list(*columns).query.sql_with_params()
    parts = [
        "SELECT 'total', '', count(*), count(*) FILTER (WHERE s.outcome = 'overturned') FROM s"
    ]
    if since:
        parts.append(
            "SELECT 'q', date_trunc('quarter', s.decision_date)::date::text, count(*),"
            " count(*) FILTER (WHERE s.outcome = 'overturned') FROM s"
            f" WHERE s.decision_date >= '{since.isoformat()}'::date GROUP BY 2"
        )
        parts.append(
            "SELECT 'r:' || s.outcome, t.tag::text, count(*), 0"
            " FROM s CROSS JOIN LATERAL unnest(s.reason_tags) AS t(tag) GROUP BY 1, 2"
        )
    # Materialized: the rows are read once for every aggregate.
    union = " UNION ALL ".join(parts)
    out: dict[str, dict[Any, tuple[int, int]]] = {"total": {}}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH s AS MATERIALIZED ({sql}) {union}", list(params))
        for kind, key, n, ov in cursor.fetchall():
            out.setdefault(kind, {})[key if kind != "total" else ""] = (n, ov)
    return out


def _latest_decision() -> date | None:
    """The newest decision date of any letter (index item_newest: one row read)."""
    return (
        DisputedItem.objects.order_by(F("decision_date").desc(nulls_last=True))
        .values_list("decision_date", flat=True)
        .first()
    )


def _first_quarter() -> date:
    latest = _latest_decision() or date.today()
    start = date(latest.year, (latest.month - 1) // 3 * 3 + 1, 1)
    months = start.year * 12 + start.month - 1 - 3 * (QUARTERS - 1)
    return date(months // 12, months % 12 + 1, 1)


def _quarters(first: date, found: dict[str, tuple[int, int]]) -> list[Quarter]:
    """QUARTERS quarters from ``first``, empty ones included."""
    out = []
    for i in range(QUARTERS):
        months = first.year * 12 + first.month - 1 + 3 * i
        start = date(months // 12, months % 12 + 1, 1)
        n, ov = found.get(start.isoformat(), (0, 0))
        out.append(Quarter(start, Rate(n, ov)))
    return out
