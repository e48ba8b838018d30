"""Undated items (the 2014-15 letter layout carries no decision date) never vanish: the
year facet counts them as "unknown" ("Undated") and selects them, date sorts list them last
and say how many, and every analytics chart says how many items it leaves out and why."""

import csv
import io
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from determinations import analytics, querysets
from determinations.exports import HEADER
from determinations.facets import FACETS_BY_PARAM
from determinations.filters import ItemFilters
from determinations.models import Determination, DisputedItem
from determinations.sampling import SAMPLE_RATE
from determinations.search import PreparedSearch, prepare_search
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db

LIST = reverse("determinations:list")
NO_SEARCH = PreparedSearch("", None)


@pytest.fixture
def letters():
    """Four letters, six items: two letters dated (2016: 2 items, 2015: 1), two undated
    (3 items, one overturned). Two items are drugs; one undated letter has no reviewer."""
    decided_2016 = make_determination(decision_date=date(2016, 3, 5))
    make_drug_item(decided_2016, "tramadol", outcome="overturned")
    make_item(decided_2016)
    decided_2015 = make_determination(decision_date=date(2015, 7, 1))
    make_item(decided_2015, category="Diagnostic Testing")
    undated = make_determination(decision_date=None)
    make_drug_item(undated, "hydrocodone", outcome="overturned")
    make_item(undated)
    undated_unreviewed = make_determination(decision_date=None, reviewer=None)
    make_item(undated_unreviewed)
    refresh(decided_2016, decided_2015, undated, undated_unreviewed)
    return {
        "2016": decided_2016,
        "2015": decided_2015,
        "undated": undated,
        "undated_unreviewed": undated_unreviewed,
    }


def counts_for(query: str):
    filters = ItemFilters.from_query(QueryDict(query))
    return DisputedItem.objects.facet_counts(filters, prepare_search(filters.q))


def year_counts(query: str) -> dict[str, tuple[int, int]]:
    return {fc.value: (fc.count, fc.overturned) for fc in counts_for(query).by_facet["year"]}


def item_ids(query: str) -> set[int]:
    filters = ItemFilters.from_query(QueryDict(query))
    return set(DisputedItem.objects.filtered(filters, NO_SEARCH).values_list("pk", flat=True))


def items_of(*letters) -> set[int]:
    return set(DisputedItem.objects.filter(determination__in=letters).values_list("pk", flat=True))


# --- the year facet ------------------------------------------------------------------------


def test_it_counts_undated_items_as_the_unknown_year(letters):
    counts = counts_for("")
    assert [fc.value for fc in counts.by_facet["year"]] == ["2016", "2015", "unknown"]
    assert year_counts("") == {"2016": (2, 1), "2015": (1, 0), "unknown": (3, 1)}
    assert year_counts("count=letters") == {"2016": (1, 1), "2015": (1, 0), "unknown": (2, 1)}
    # Counted like any value under the other facets' selections.
    assert year_counts("outcome=overturned") == {"2016": (1, 1), "unknown": (1, 1)}
    year = FACETS_BY_PARAM["year"]
    assert year.display("unknown") == "Undated" and year.chip("unknown") == "undated"


def test_it_selects_undated_items_with_year_unknown(letters):
    undated = items_of(letters["undated"], letters["undated_unreviewed"])
    assert item_ids("year=unknown") == undated
    assert item_ids("year=Undated") == undated  # another spelling of the same value
    assert (
        ItemFilters.from_query(QueryDict("year=unknown")).summary(3) == "3 disputed items - undated"
    )
    # Its own selection does not shrink its list; the other facets' counts follow it.
    counts = counts_for("year=unknown")
    assert counts.total == 3
    assert year_counts("year=unknown") == {"2016": (2, 1), "2015": (1, 0), "unknown": (3, 1)}
    assert {fc.value: fc.count for fc in counts.by_facet["outcome"]} == {
        "upheld": 2,
        "overturned": 1,
    }


def test_it_combines_unknown_with_real_years(letters):
    assert item_ids("year=2016&year=unknown") == items_of(
        letters["2016"], letters["undated"], letters["undated_unreviewed"]
    )
    assert counts_for("year=2016&year=unknown").total == 5
    # AND with another facet: undated or 2016, and overturned.
    assert counts_for("year=2016&year=unknown&outcome=overturned").total == 2
    assert counts_for("year=2015&outcome=overturned").total == 0


def sample_everything() -> None:
    """Every letter in the sample (as tests/determinations/test_facet_estimates.py does)."""
    for pk in Determination.objects.values_list("pk", flat=True):
        Determination.objects.filter(pk=pk).update(sha256=f"{0:08x}{pk:056x}")
    DisputedItem.objects.update(sample=0)


@pytest.mark.parametrize("query", ["", "year=unknown", "year=2016&year=unknown", "count=letters"])
def test_it_estimates_the_unknown_year_from_the_sample(letters, monkeypatch, query):
    sample_everything()
    assert querysets.current_sample_rate() == SAMPLE_RATE
    exact = counts_for(query)
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    estimate = counts_for(query)
    assert "year" in estimate.estimated and "" in estimate.estimated
    scaled = {
        fc.value: querysets._two_figures(fc.count * SAMPLE_RATE) for fc in exact.by_facet["year"]
    }
    assert {fc.value: fc.count for fc in estimate.by_facet["year"]} == scaled
    assert "unknown" in scaled
    assert estimate.unknown_listed["year"].estimated


# --- date sorts ----------------------------------------------------------------------------


def test_it_lists_undated_items_last_and_says_how_many(letters, analyst_client):
    for sort in ("newest", "oldest"):
        page = analyst_client.get(LIST, {"sort": sort})
        html = page.content.decode()
        assert f"Sorted {sort} first; 3 undated items are listed last." in html
        # One group per item: a letter's items follow each other.
        shown = list(dict.fromkeys(letter.pk for letter, _items in page.context["page"].groups))
        dated = [letters["2016"].pk, letters["2015"].pk]
        assert shown[:2] == (dated if sort == "newest" else dated[::-1])
        assert set(shown[2:]) == {letters["undated"].pk, letters["undated_unreviewed"].pk}
    # The default sort (newest) says it too; in letters mode it counts letters.
    assert "3 undated items are listed last" in analyst_client.get(LIST).content.decode()
    html = analyst_client.get(LIST, {"count": "letters", "sort": "oldest"}).content.decode()
    assert "Sorted oldest first; 2 undated letters are listed last." in html
    html = analyst_client.get(LIST, {"year": ["2016", "unknown"]}).content.decode()
    assert "3 undated items are listed last" in html
    html = analyst_client.get(LIST, {"outcome": "overturned"}).content.decode()
    assert "Sorted newest first; 1 undated item is listed last." in html


def test_it_says_nothing_about_undated_items_the_list_does_not_show(letters, analyst_client):
    for params in ({"year": "2016"}, {"decided_from": "2015-01-01"}):
        assert "listed last" not in analyst_client.get(LIST, params).content.decode()


def test_it_says_an_estimated_number_of_undated_items(letters, analyst_client, monkeypatch):
    sample_everything()
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    html = analyst_client.get(LIST, {"sort": "oldest"}).content.decode()
    assert "Sorted oldest first; about 96 undated items are listed last." in html


# --- analytics -----------------------------------------------------------------------------


def test_it_states_what_the_monthly_trend_leaves_out(letters, analyst_client):
    trend = analytics.monthly(ItemFilters(), NO_SEARCH)
    assert [m.month for m in trend.months][:1] == [date(2015, 7, 1)]
    assert sum(m.rate.n for m in trend.months) == 3
    assert (trend.undated.n, trend.undated.overturned) == (3, 1)
    sentence = (
        "Monthly trend: 3 of 6 decisions; 3 undated decisions (2014-15 letters carry no "
        "decision date) are not shown."
    )
    assert trend.coverage.sentence == sentence
    html = analyst_client.get(reverse("determinations:analytics")).content.decode()
    assert html.count(sentence) == 2  # under the chart and in its SVG description
    letters_mode = analytics.monthly(ItemFilters(count="letters"), NO_SEARCH).coverage
    assert letters_mode.sentence.startswith("Monthly trend: 2 of 4 letters; 2 undated letters ")
    dated_only = analytics.monthly(ItemFilters(year=("2016",)), NO_SEARCH).coverage
    assert dated_only.sentence == "Monthly trend: 2 of 2 decisions; none left out."
    nothing_dated = analytics.monthly(ItemFilters(year=("unknown",)), NO_SEARCH)
    assert nothing_dated.months == []
    assert nothing_dated.coverage.sentence.startswith("Monthly trend: 0 of 3 decisions; 3 undated")


def test_it_states_what_a_breakdown_leaves_out(letters, analyst_client):
    by_drug = analytics.breakdown_with_coverage("drug", ItemFilters(), NO_SEARCH)
    assert {row.value for row in by_drug.rows} == {"tramadol", "hydrocodone"}
    assert by_drug.coverage.sentence == (
        "Overturn rate by drug: 2 of 6 decisions; 4 decisions with no drug recorded are not "
        "shown. A decision with several values is counted under each."
    )
    by_letter = analytics.breakdown_with_coverage("drug", ItemFilters(count="letters"), NO_SEARCH)
    assert by_letter.coverage.sentence.startswith(
        "Overturn rate by drug: 2 of 4 letters; 2 letters with no drug recorded are not shown."
    )
    by_specialty = analytics.breakdown_with_coverage("specialty", ItemFilters(), NO_SEARCH)
    assert by_specialty.coverage.sentence.startswith(
        "Overturn rate by reviewer specialty: 5 of 6 decisions; 1 decision with no reviewer "
        "specialty recorded is not shown."
    )
    # The year leaves nothing out: the undated are a value of their own.
    by_year = analytics.breakdown_with_coverage("year", ItemFilters(), NO_SEARCH)
    assert {row.label: row.rate.n for row in by_year.rows} == {"2016": 2, "2015": 1, "Undated": 3}
    assert (
        by_year.coverage.sentence
        == "Overturn rate by decision year: 6 of 6 decisions; none left out."
    )
    # A breakdown cut to its largest values says so.
    cut = analytics.breakdown_with_coverage("year", ItemFilters(), NO_SEARCH, limit=2)
    assert len(cut.rows) == 2
    assert cut.coverage.sentence.endswith(" 2 of 3 values are shown; the CSV has them all.")
    html = analyst_client.get(reverse("determinations:analytics"), {"by": "drug"}).content.decode()
    assert html.count("Overturn rate by drug: 2 of 6 decisions; 4 decisions with no drug") == 2
    html = analyst_client.get(reverse("determinations:analytics"), {"by": "year"}).content.decode()
    assert 'href="/?year=unknown"' in html  # the Undated bar lists the undated items


def test_it_states_what_the_comparison_leaves_out(letters, analyst_client):
    result = analytics.compare(
        ItemFilters(outcome=("overturned",)), NO_SEARCH, ItemFilters(), "all letters", "drug"
    )
    assert result.coverage_a.sentence.startswith(
        "This selection by drug: 2 of 2 decisions; none left out."
    )
    assert result.coverage_b.sentence.startswith(
        "All letters by drug: 2 of 6 decisions; 4 decisions with no drug recorded are not shown."
    )
    url = reverse("determinations:analytics")
    html = analyst_client.get(url, {"by": "drug", "outcome": "overturned"}).content.decode()
    assert "All letters by drug: 2 of 6 decisions; 4 decisions with no drug recorded" in html


def test_it_puts_the_undated_in_the_trend_csv(letters, analyst_client):
    url = reverse("determinations:analytics_csv")
    response = analyst_client.get(url, {"chart": "trend"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[-1][:3] == ["undated", "3", "1"]
    assert sum(int(r[1]) for r in rows[1:-1]) == 3
    dated = analyst_client.get(url, {"chart": "trend", "year": "2016"}).content.decode()
    assert "undated" not in dated


# --- everywhere the filter goes --------------------------------------------------------------


def test_it_follows_year_unknown_through_the_api_and_the_export(letters, analyst_client):
    undated = items_of(letters["undated"], letters["undated_unreviewed"])
    response = analyst_client.get(reverse("api:items"), {"year": "unknown", "page_size": 100})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == undated
    facets = analyst_client.get(reverse("api:facets"), {"year": "unknown"}).json()
    assert facets["total"] == 3
    (year,) = [f for f in facets["facets"] if f["param"] == "year"]
    unknown = next(v for v in year["values"] if v["value"] == "unknown")
    assert (unknown["label"], unknown["count"], unknown["selected"]) == ("Undated", 3, True)
    api_analytics = analyst_client.get(reverse("api:analytics"), {"year": "unknown"}).json()
    assert api_analytics["overall"]["n"] == 3
    assert {row["label"] for row in api_analytics["breakdown"]} == {
        "Physical Medicine",
        "Pharmaceuticals",
    }

    export = analyst_client.get(reverse("determinations:export"), {"year": ["2015", "unknown"]})
    body = b"".join(export.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff").split("\n", 1)[1])))
    assert tuple(rows[0]) == HEADER
    assert len(rows) - 1 == 4  # the 2015 item and the three undated ones
