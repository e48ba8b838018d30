"""Overturn rates of a filtered set of disputed items: overall, by facet, by month, compared.

Every number starts from ``DisputedItem.objects.filtered(filters, search)`` (the list's one
filter definition, read by determinations.filters.ItemFilterSet) and is counted in SQL,
each facet by its own ``Facet.count_sql`` (the list's counts use the same); only the
Wilson interval is computed in Python, from the SQL counts. In "letters" count mode a
value counts distinct letters, and "overturned" counts letters with an overturned item
among the matching ones, as on the list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from determinations.facets import FACETS, FACETS_BY_PARAM
from determinations.filters import ItemFilters, value_label
from determinations.models import DisputedItem
from determinations.search import PreparedSearch
from imr_site.routers import read_connection

# 95% two-sided normal quantile.
Z95 = 1.959963984540054
# Rates of fewer items than this are not shown (the interval says too little).
MIN_COUNT = 10
# Rows per breakdown.
BREAKDOWN_LIMIT = 25

# Dimensions the analytics page breaks down by: the facets marked ``analysed``.
DIMENSIONS: tuple[str, ...] = tuple(f.param for f in FACETS if f.analysed)
ORDERS = {"volume": "Most decisions first", "rate": "Highest overturn rate first"}


def wilson(overturned: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion overturned/n, as fractions; (0, 1) when n = 0."""
    if n <= 0:
        return 0.0, 1.0
    p = overturned / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Rate:
    n: int
    overturned: int

    @property
    def rate(self) -> float | None:
        return self.overturned / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.overturned, self.n)

    @property
    def shown(self) -> bool:
        """Enough decisions for the rate to be shown."""
        return self.n >= MIN_COUNT

    @property
    def percent(self) -> str:
        return f"{100 * self.rate:.0f}%" if self.rate is not None else "-"

    @property
    def interval_text(self) -> str:
        low, high = self.interval
        return f"{100 * low:.0f}-{100 * high:.0f}%"


@dataclass(frozen=True, slots=True)
class Row:
    """One value of a breakdown: its rate, and the same value's rate over all letters."""

    param: str
    value: str
    label: str
    rate: Rate
    baseline: Rate | None

    @property
    def difference(self) -> float | None:
        """Percentage points above (+) or below (-) the baseline."""
        if self.rate.rate is None or self.baseline is None or self.baseline.rate is None:
            return None
        return 100 * (self.rate.rate - self.baseline.rate)

    @property
    def difference_text(self) -> str:
        d = self.difference
        return "-" if d is None else f"{d:+.0f} pts"


@dataclass(frozen=True, slots=True)
class Month:
    month: date
    rate: Rate

    @property
    def label(self) -> str:
        return f"{self.month:%b %Y}"


def _count_sql(letters: bool) -> tuple[str, str]:
    n = "count(DISTINCT s.determination_id)" if letters else "count(*)"
    return n, f"{n} FILTER (WHERE s.outcome = 'overturned')"


def _base(filters: ItemFilters, search: PreparedSearch) -> tuple[str, list[Any]]:
    qs = DisputedItem.objects.filtered(filters, search).order_by()
    columns = ["id", "determination_id", "outcome", "decision_date"]
    columns += [FACETS_BY_PARAM[d].column for d in DIMENSIONS]
    sql, params = qs.values_list(*dict.fromkeys(columns)).query.sql_with_params()
    return sql, list(params)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from determinations.models import DisputedItem

    with read_connection(DisputedItem).cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def overall(filters: ItemFilters, search: PreparedSearch) -> Rate:
    base, params = _base(filters, search)
    n, ov = _count_sql(filters.count == "letters")
    ((count, overturned),) = _fetch(f"SELECT {n}, {ov} FROM ({base}) AS s", params)
    return Rate(count, overturned)


def counts_by(param: str, filters: ItemFilters, search: PreparedSearch) -> dict[str, Rate]:
    """Every value of one dimension with its counts (array columns unnested)."""
    facet = FACETS_BY_PARAM[param]
    base, params = _base(filters, search)
    n, ov = _count_sql(filters.count == "letters")
    sql = facet.count_sql(f"({base})", "true", n, ov)
    return {value: Rate(count, over) for value, count, over in _fetch(sql, params)}


def breakdown(
    param: str,
    filters: ItemFilters,
    search: PreparedSearch,
    order: str = "volume",
    limit: int = BREAKDOWN_LIMIT,
) -> list[Row]:
    """Values of ``param`` in the filtered set, each with its rate and its baseline rate
    (the same value over all letters, with no filters). Sorted by volume, or by rate with
    the values under ``MIN_COUNT`` last."""
    here = counts_by(param, filters, search)
    everywhere = counts_by(param, ItemFilters(count=filters.count), PreparedSearch("", None))
    rows = [
        Row(param, value, value_label(param, value), rate, everywhere.get(value))
        for value, rate in here.items()
    ]
    if order == "rate":
        rows.sort(key=lambda r: (not r.rate.shown, -(r.rate.rate or 0), -r.rate.n, r.value))
    else:
        rows.sort(key=lambda r: (-r.rate.n, r.value))
    return rows[:limit]


def trend(filters: ItemFilters, search: PreparedSearch) -> list[Month]:
    """Volume and overturn rate per decision month (undated items left out), every month
    between the first and the last shown, empty ones included."""
    base, params = _base(filters, search)
    n, ov = _count_sql(filters.count == "letters")
    rows = _fetch(
        f"SELECT date_trunc('month', s.decision_date)::date AS m, {n}, {ov} "
        f"FROM ({base}) AS s WHERE s.decision_date IS NOT NULL GROUP BY m ORDER BY m",
        params,
    )
    if not rows:
        return []
    found = {m: Rate(count, over) for m, count, over in rows}
    months: list[Month] = []
    current, last = rows[0][0], rows[-1][0]
    while current <= last:
        months.append(Month(current, found.get(current, Rate(0, 0))))
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def month_range(month: date) -> tuple[date, date]:
    """First and last day of a month (the list's decided_from / decided_to)."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return month, date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two selections side by side: the current filters (A) and another (B)."""

    label_a: str
    label_b: str
    filters_b: ItemFilters
    a: Rate
    b: Rate
    rows: list[tuple[str, str, Rate, Rate]]  # value, label, A's rate, B's rate

    @property
    def difference_text(self) -> str:
        if self.a.rate is None or self.b.rate is None:
            return "-"
        return f"{100 * (self.a.rate - self.b.rate):+.0f} pts"


def comparison_choices(filters: ItemFilters) -> list[tuple[str, ItemFilters]]:
    """Selections worth comparing the current one with: all letters, and the current
    filters without each of their constraints ("this specialty vs all")."""
    choices: list[tuple[str, ItemFilters]] = [("all letters", ItemFilters(count=filters.count))]
    for _kind, label, rest in filters.active():
        choices.append((f"without {label}", rest))
    return choices


def drug_classes(drugs: tuple[str, ...]) -> tuple[str, ...]:
    """The drug classes the chosen drugs are filed under ("this drug vs its class")."""
    if not drugs:
        return ()
    rows = (
        DisputedItem.objects.filter(ingredients__overlap=list(drugs))
        .exclude(drug_class="")
        .values_list("drug_class", flat=True)
        .distinct()
        .order_by("drug_class")
    )
    return tuple(rows[:5])


def compare(
    filters: ItemFilters,
    search: PreparedSearch,
    other: ItemFilters,
    label_b: str,
    param: str,
) -> Comparison:
    """The two selections' rates, and ``param``'s values in A with both rates."""
    other_search = search if other.q == filters.q else PreparedSearch("", None)
    a = overall(filters, search)
    b = overall(other, other_search)
    here = counts_by(param, filters, search)
    there = counts_by(param, other, other_search)
    values = sorted(here, key=lambda v: (-here[v].n, v))[:BREAKDOWN_LIMIT]
    rows = [(v, value_label(param, v), here[v], there.get(v, Rate(0, 0))) for v in values]
    return Comparison(filters.summary(), label_b, other, a, b, rows)
