"""Analytics numbers against brute-force counts in Python over a fixture set; the pages,
CSV downloads and charts."""

import csv
import io
import math
import random
import re
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from determinations import analytics, charts
from determinations.filters import ItemFilters
from determinations.search import PreparedSearch
from tests.factories import make_determination, make_drug_item, make_item, make_reviewer, refresh

pytestmark = pytest.mark.django_db

NO_SEARCH = PreparedSearch("", None)
OPIOIDS = "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids"
BACK_MRI = "ODG|Low Back|MRI"


@pytest.fixture
def fixture_set():
    """40 letters of 1-3 items with varied drugs, sections, reasons, months and outcomes.
    Returns plain dicts of what each item is, for the brute force."""
    rng = random.Random(5)
    rows = []
    pain = make_reviewer(("Pain Medicine",), ("CA",))
    ortho = make_reviewer(("Orthopaedic Surgery",), ("NY",))
    letters = []
    for n in range(40):
        reviewer = pain if n % 3 else ortho
        decided = date(2016, 1 + n % 6, 1 + n % 27)
        letter = make_determination(reviewer=reviewer, decision_date=decided)
        letters.append(letter)
        for _ in range(rng.randint(1, 3)):
            outcome = "overturned" if rng.random() < 0.35 else "upheld"
            reasons = rng.sample(["no-functional-improvement", "exceeds-visits", "no-red-flags"], 2)
            if rng.random() < 0.5:
                drug = rng.choice(["hydrocodone", "tramadol", "diazepam"])
                drug_class = "Benzodiazepines" if drug == "diazepam" else "Opioids"
                item = make_drug_item(
                    letter, drug, outcome=outcome, drug_class=drug_class,
                    guideline_sections=[OPIOIDS], reason_tags=reasons,
                    same_guideline=rng.random() < 0.5,
                )  # fmt: skip
            else:
                item = make_item(
                    letter, outcome=outcome, category="Diagnostic Testing",
                    guideline_sections=[BACK_MRI, OPIOIDS][: rng.randint(1, 2)],
                    reason_tags=reasons[:1], body_region="Lumbar spine",
                )  # fmt: skip
            rows.append(
                {
                    "letter": letter.pk,
                    "overturned": outcome == "overturned",
                    "month": decided.replace(day=1),
                    "drug": set(item.ingredients),
                    "drug_class": {item.drug_class} - {""},
                    "category": {item.category},
                    "specialty": {"Pain Medicine" if reviewer == pain else "Orthopaedic Surgery"},
                    "section": set(item.guideline_sections),
                    "reason": set(item.reason_tags),
                    "region": {item.body_region} - {""},
                }
            )
    refresh(*letters)
    return rows


def brute(rows, keep=lambda r: True, letters=False):
    chosen = [r for r in rows if keep(r)]
    if letters:
        return (
            len({r["letter"] for r in chosen}),
            len({r["letter"] for r in chosen if r["overturned"]}),
        )
    return len(chosen), sum(r["overturned"] for r in chosen)


def test_wilson_interval_matches_the_formula():
    # 7 of 20 at 95%: the textbook Wilson score interval.
    z, n, p = 1.959963984540054, 20, 7 / 20
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = analytics.wilson(7, 20)
    assert low == pytest.approx(centre - half)
    assert high == pytest.approx(centre + half)
    assert analytics.wilson(0, 0) == (0.0, 1.0)
    assert analytics.wilson(0, 10)[0] == 0.0


@pytest.mark.parametrize("letters", [False, True])
def test_overall_rate_matches_brute_force(fixture_set, letters):
    filters = ItemFilters(count="letters" if letters else "items", drug_class=("Opioids",))
    rate = analytics.overall(filters, NO_SEARCH)
    expected = brute(fixture_set, lambda r: "Opioids" in r["drug_class"], letters)
    assert (rate.n, rate.overturned) == expected


@pytest.mark.parametrize("param", ["drug", "section", "reason", "specialty", "region"])
def test_breakdown_matches_brute_force(fixture_set, param):
    query = QueryDict("specialty=Pain+Medicine" if param != "specialty" else "")
    filters = ItemFilters.from_query(query)
    rows = analytics.breakdown(param, filters, NO_SEARCH, limit=100)
    in_filter = (
        (lambda r: "Pain Medicine" in r["specialty"]) if param != "specialty" else (lambda r: True)
    )
    values = {v for r in fixture_set if in_filter(r) for v in r[param]}
    assert {row.value for row in rows} == values
    for row in rows:
        here = brute(fixture_set, lambda r, v=row.value: in_filter(r) and v in r[param])
        everywhere = brute(fixture_set, lambda r, v=row.value: v in r[param])
        assert (row.rate.n, row.rate.overturned) == here
        assert (row.baseline.n, row.baseline.overturned) == everywhere
        if row.rate.n and everywhere[0]:
            diff = 100 * (here[1] / here[0] - everywhere[1] / everywhere[0])
            assert row.difference == pytest.approx(diff)
    # Sorted by volume.
    assert [r.rate.n for r in rows] == sorted((r.rate.n for r in rows), reverse=True)


def test_breakdown_by_rate_puts_small_groups_last(fixture_set):
    rows = analytics.breakdown("drug", ItemFilters(), NO_SEARCH, order="rate")
    shown = [r for r in rows if r.rate.shown]
    assert [r.rate.rate for r in shown] == sorted((r.rate.rate for r in shown), reverse=True)
    assert rows[: len(shown)] == shown


def test_trend_matches_brute_force(fixture_set):
    months = analytics.trend(ItemFilters(), NO_SEARCH)
    assert [m.month for m in months] == [date(2016, m, 1) for m in range(1, 7)]
    for m in months:
        assert (m.rate.n, m.rate.overturned) == brute(
            fixture_set, lambda r, d=m.month: r["month"] == d
        )


def test_compare_puts_two_selections_side_by_side(fixture_set):
    filters = ItemFilters(drug=("hydrocodone",))
    other = ItemFilters(drug_class=("Opioids",))
    result = analytics.compare(filters, NO_SEARCH, other, "its class", "reason")
    assert (result.a.n, result.a.overturned) == brute(
        fixture_set, lambda r: "hydrocodone" in r["drug"]
    )
    assert (result.b.n, result.b.overturned) == brute(
        fixture_set, lambda r: "Opioids" in r["drug_class"]
    )
    for value, _label, a, b in result.rows:
        assert (b.n, b.overturned) == brute(
            fixture_set, lambda r, v=value: "Opioids" in r["drug_class"] and v in r["reason"]
        )
        assert a.n <= b.n


def test_the_analytics_page_shows_charts_tables_and_links(analyst_client, fixture_set):
    response = analyst_client.get(
        reverse("determinations:analytics") + "?by=drug&vs=1&drug=hydrocodone"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart') == 2
    assert 'role="group"' in html and "<title id=" in html and "<desc id=" in html
    # Bars narrow the list to their value, keeping the filters.
    assert re.search(r'<a href="/\?drug=hydrocodone" class="chart-link">', html)
    # Months narrow the list to the month.
    assert "decided_from=2016-01-01&amp;decided_to=2016-01-31" in html
    # Back to the list with the filters kept; "this drug vs its class" is offered.
    assert 'href="/?drug=hydrocodone"' in html
    assert "its class (Opioids)" in html
    # No inline script or style (a strict CSP).
    assert "<script>" not in html and "style=" not in html


def test_the_rate_is_hidden_below_the_minimum_count(analyst_client, fixture_set):
    # One letter (1-3 items) was decided on Jan 1-3: too few for a rate.
    url = reverse("determinations:analytics") + "?decided_from=2016-01-01&decided_to=2016-01-03"
    html = analyst_client.get(url).content.decode()
    assert "too few for an overturn rate" in html
    assert "% overturned" not in html


@pytest.mark.parametrize("chart", ["breakdown", "trend", "compare"])
def test_each_chart_downloads_as_csv(analyst_client, fixture_set, chart):
    url = (
        reverse("determinations:analytics_csv")
        + f"?chart={chart}&by=section&specialty=Pain+Medicine"
    )
    response = analyst_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1
    if chart == "breakdown":
        by_value = {r[1]: r for r in rows[1:]}
        n, ov = brute(
            fixture_set, lambda r: "Pain Medicine" in r["specialty"] and OPIOIDS in r["section"]
        )
        assert by_value[OPIOIDS][2:4] == [str(n), str(ov)]


def test_guideline_pages_list_sections_and_their_decisions(analyst_client, fixture_set):
    index = analyst_client.get(reverse("determinations:guidelines")).content.decode()
    assert "MTUS Chronic Pain Medical Treatment Guidelines - Opioids" in index
    url = reverse("determinations:guideline_section", args=[OPIOIDS])
    assert url in index
    page = analyst_client.get(url)
    assert page.status_code == 200
    n, ov = brute(fixture_set, lambda r: OPIOIDS in r["section"])
    assert f"{ov} of {n} decisions" in page.content.decode()
    assert (
        analyst_client.get(
            reverse("determinations:guideline_section", args=["MTUS|Nope"])
        ).status_code
        == 404
    )


def test_section_and_reason_are_list_facets(analyst_client, fixture_set):
    response = analyst_client.get(
        reverse("determinations:list") + f"?section={OPIOIDS}&reason=exceeds-visits"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Exceeds recommended number of visits" in html
    n, _ov = brute(
        fixture_set, lambda r: OPIOIDS in r["section"] and "exceeds-visits" in r["reason"]
    )
    assert f"{n} disputed item" in html


def test_bar_chart_svg_is_accessible_and_escaped():
    svg = charts.rate_bars(
        "c1", "Rate <by> drug", "desc & more",
        [charts.Bar("A&B", 20, 0.25, 0.1, 0.45, "/?drug=a&b=1"), charts.Bar("few", 3, None, 0, 1, "/?x=1")],
        0.3,
    )  # fmt: skip
    assert svg.startswith('<svg class="chart chart-bars"')
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert "Rate &lt;by&gt; drug" in svg and "A&amp;B" in svg
    assert 'href="/?drug=a&amp;b=1"' in svg
    assert svg.count('class="bar"') == 1  # the small group has no bar
    assert "too few to show a rate" in svg
    assert "Overturn rate" in svg and "Decisions" in svg  # axis labels


def test_trend_chart_links_every_month():
    points = [charts.Point(f"M{i}", 10 + i, 0.3, f"/?m={i}") for i in range(5)]
    svg = charts.trend_chart("t", "Trend", "desc", points)
    assert svg.count('class="chart-link"') == 5
    assert svg.count('class="point"') == 5
    assert "<polyline" in svg
