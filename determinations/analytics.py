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

from determinations.facets import FACETS, FACETS_BY_PARAM, UNDATED_REASON
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


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many of the filtered set's items (or letters) a chart or breakdown counts, and
    why it leaves the rest out: its sentence is shown under the chart, in the chart's
    description and in the CSV. Counted in SQL with the chart's own numbers."""

    chart: str  # "Monthly trend", "Overturn rate by reviewer specialty"
    total: int  # items (letters) in the filtered set
    shown: int  # of them, counted in the chart
    letters: bool
    # What the left-out ones are, "{}" standing for the noun: "undated {}",
    # "{} with no reviewer specialty recorded".
    missing: str = "{}"
    why: str = ""  # "2014-15 letters carry no decision date"
    # A breakdown's values, and how many of them it shows (0: all).
    values: int = 0
    limit: int = 0
    # An item with several values (an array facet) is counted under each.
    several: bool = False

    @property
    def left_out(self) -> int:
        return self.total - self.shown

    def _noun(self, n: int) -> str:
        noun = "letter" if self.letters else "decision"
        return noun if n == 1 else noun + "s"

    @property
    def sentence(self) -> str:
        """ "Monthly trend: 36 of 73 decisions; 37 undated decisions (2014-15 letters carry
        no decision date) are not shown." """
        text = f"{self.chart}: {self.shown:,} of {self.total:,} {self._noun(self.total)}"
        left = self.left_out
        if left:
            what = self.missing.format(self._noun(left))
            why = f" ({self.why})" if self.why else ""
            text += f"; {left:,} {what}{why} {'is' if left == 1 else 'are'} not shown."
        else:
            text += "; none left out."
        if self.several:
            text += f" A {self._noun(1)} with several values is counted under each."
        if self.limit and self.values > self.limit:
            text += f" {self.limit} of {self.values} values are shown; the CSV has them all."
        return text


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


def _counted(
    param: str, filters: ItemFilters, search: PreparedSearch, *, coverage: bool = False
) -> tuple[dict[str, Rate], tuple[int, int]]:
    """Every value of one dimension with its counts (array columns unnested) and, with
    ``coverage``, in the same statement, (the set's total, those counted under a value):
    ``Facet.unvalued_sql`` says which rows its counts leave out."""
    facet = FACETS_BY_PARAM[param]
    base, params = _base(filters, search)
    n, ov = _count_sql(filters.count == "letters")
    sql = f"WITH b AS ({base}) {facet.count_sql('b', 'true', n, ov, lead='false, ')}"
    if coverage:
        shown = f"{n} FILTER (WHERE NOT {facet.unvalued_sql('s')})"
        sql += f" UNION ALL SELECT true, NULL, {n}, {shown} FROM b AS s"
    values: dict[str, Rate] = {}
    covered = (0, 0)
    for whole, value, count, other in _fetch(sql, params):
        if whole:
            covered = (count, other)
        else:
            values[value] = Rate(count, other)
    return values, covered


def counts_by(param: str, filters: ItemFilters, search: PreparedSearch) -> dict[str, Rate]:
    """Every value of one dimension with its counts (array columns unnested)."""
    return _counted(param, filters, search)[0]


def counts_with_coverage(
    param: str, filters: ItemFilters, search: PreparedSearch, chart: str
) -> tuple[dict[str, Rate], Coverage]:
    """``counts_by`` and, from the same statement, what it leaves out (the guideline index:
    decisions whose reviewer cited no canonical section)."""
    values, covered = _counted(param, filters, search, coverage=True)
    return values, _coverage(param, filters, covered, len(values), 0, chart=chart)


def _coverage(
    param: str,
    filters: ItemFilters,
    covered: tuple[int, int],
    values: int,
    limit: int,
    chart: str = "Overturn rate",
) -> Coverage:
    facet = FACETS_BY_PARAM[param]
    return Coverage(
        f"{chart} by {facet.label.lower()}",
        *covered,
        letters=filters.count == "letters",
        missing=f"{{}} with no {facet.label.lower()} recorded",
        values=values,
        limit=limit,
        several=facet.array,
    )


@dataclass(frozen=True, slots=True)
class Breakdown:
    rows: list[Row]
    coverage: Coverage


def breakdown_with_coverage(
    param: str,
    filters: ItemFilters,
    search: PreparedSearch,
    order: str = "volume",
    limit: int = BREAKDOWN_LIMIT,
) -> Breakdown:
    """Values of ``param`` in the filtered set, each with its rate and its baseline rate
    (the same value over all letters, with no filters). Sorted by volume, or by rate with
    the values under ``MIN_COUNT`` last. Its coverage says how many items no value counts
    (no specialty recorded...) and how many values ``limit`` leaves out."""
    here, covered = _counted(param, filters, search, coverage=True)
    everywhere = counts_by(param, ItemFilters(count=filters.count), PreparedSearch("", None))
    rows = [
        Row(param, value, value_label(param, value), rate, everywhere.get(value))
        for value, rate in here.items()
    ]
    if order == "rate":
        rows.sort(key=lambda r: (not r.rate.shown, -(r.rate.rate or 0), -r.rate.n, r.value))
    else:
        rows.sort(key=lambda r: (-r.rate.n, r.value))
    return Breakdown(rows[:limit], _coverage(param, filters, covered, len(rows), limit))


def breakdown(
    param: str,
    filters: ItemFilters,
    search: PreparedSearch,
    order: str = "volume",
    limit: int = BREAKDOWN_LIMIT,
) -> list[Row]:
    """The rows of ``breakdown_with_coverage``."""
    return breakdown_with_coverage(param, filters, search, order, limit).rows


@dataclass(frozen=True, slots=True)
class Trend:
    months: list[Month]
    # The undated items (letters), which no month shows.
    undated: Rate
    coverage: Coverage


def monthly(filters: ItemFilters, search: PreparedSearch) -> Trend:
    """Volume and overturn rate per decision month, every month between the first and the
    last shown, empty ones included; and the undated items, which it leaves out. One
    statement: ROLLUP adds the set's total (GROUPING = 1) to the months and the undated
    (month NULL). A letter's items share its date, so in "letters" mode too the undated
    are the total less the dated."""
    base, params = _base(filters, search)
    n, ov = _count_sql(filters.count == "letters")
    rows = _fetch(
        f"SELECT GROUPING(s.m) AS whole, s.m, {n}, {ov} FROM ("
        f"SELECT date_trunc('month', b.decision_date)::date AS m, b.determination_id, "
        f"b.outcome FROM ({base}) AS b) AS s "
        f"GROUP BY ROLLUP (s.m) ORDER BY whole, s.m NULLS LAST",
        params,
    )
    total = next((count for whole, _m, count, _ov in rows if whole), 0)
    undated = next(
        (Rate(count, over) for whole, m, count, over in rows if not whole and m is None),
        Rate(0, 0),
    )
    dated = [(m, Rate(count, over)) for whole, m, count, over in rows if m is not None]
    coverage = Coverage(
        "Monthly trend",
        total,
        total - undated.n,
        letters=filters.count == "letters",
        missing="undated {}",
        why=UNDATED_REASON,
    )
    months: list[Month] = []
    if dated:
        found = dict(dated)
        current, last = dated[0][0], dated[-1][0]
        while current <= last:
            months.append(Month(current, found.get(current, Rate(0, 0))))
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return Trend(months, undated, coverage)


def trend(filters: ItemFilters, search: PreparedSearch) -> list[Month]:
    """The months of ``monthly`` (undated items left out)."""
    return monthly(filters, search).months


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
    # What the side-by-side table leaves out of each selection.
    coverage_a: Coverage | None = None
    coverage_b: Coverage | None = None

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
    here, covered_a = _counted(param, filters, search, coverage=True)
    there, covered_b = _counted(param, other, other_search, coverage=True)
    values = sorted(here, key=lambda v: (-here[v].n, v))[:BREAKDOWN_LIMIT]
    rows = [(v, value_label(param, v), here[v], there.get(v, Rate(0, 0))) for v in values]
    coverage_a = _coverage(
        param, filters, covered_a, len(here), BREAKDOWN_LIMIT, chart="This selection"
    )
    coverage_b = _coverage(param, other, covered_b, 0, 0, chart=label_b[:1].upper() + label_b[1:])
    return Comparison(filters.summary(), label_b, other, a, b, rows, coverage_a, coverage_b)
