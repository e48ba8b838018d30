"""The API's counts are the list page's: totals, every facet value's count and overturn
rate, and the rows the items and letters endpoints page through."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Facet combinations (values: each facet's most common value in the corpus) and extras.
COMBINATIONS = [
    # everything
    ((), {}),
    # one facet
    (("outcome",), {}),
    (("category",), {}),
    # two facets AND-ed, one of them an array facet
    (("drug", "outcome"), {}),
    (("specialty", "year"), {}),
    # three facets, in letters mode (distinct letters counted)
    (("category", "state", "guideline"), {"count": "letters"}),
    # analysis facets
    (("section", "outcome"), {}),
    (("region",), {}),
    (("reason",), {"count": "letters"}),
    # search text with a facet (the whole letter: "pain" is rarely in a request)
    (("category",), {"q": "pain", "scope": "letter"}),
    # a date range
    ((), {"decided_from": "2016-01-01", "decided_to": "2016-12-31"}),
]


def top_values(client) -> dict[str, str]:
    panels = client.get(reverse("determinations:list")).context["panels"]
    return {panel.facet.param: panel.shown[0].value for panel in panels if panel.shown}


def all_rows(client, path: str, params: dict) -> list[dict]:
    rows, url = [], path
    response = client.get(url, {**params, "page_size": 100})
    while True:
        assert response.status_code == 200, response.content
        rows.extend(response.json()["results"])
        if not response.json()["next"]:
            return rows
        response = client.get(response.json()["next"])


@pytest.mark.parametrize(("facets", "extra"), COMBINATIONS)
def test_it_counts_what_the_list_counts(corpus, analyst_client, facets, extra):
    values = top_values(analyst_client)
    params = {**{f: values[f] for f in facets}, **extra}
    page = analyst_client.get(reverse("determinations:list"), params).context
    counts, panels = page["counts"], page["panels"]

    facets_json = analyst_client.get(reverse("api:facets"), params).json()
    assert facets_json["total"] == counts.total
    assert facets_json["overturn_rate"] == counts.overturn_rate
    assert facets_json["count"] == params.get("count", "items")
    listed = {
        (p.facet.param, o.value): (o.count, o.overturn_rate)
        for p in panels
        for o in p.shown + p.more
    }
    api = {
        (f["param"], v["value"]): (v["count"], v["overturn_rate"])
        for f in facets_json["facets"]
        for v in f["values"]
    }
    assert api == listed
    assert counts.total > 0  # every combination selects something in this corpus

    item_params = {k: v for k, v in params.items() if k != "count"}
    items = all_rows(analyst_client, reverse("api:items"), item_params)
    letters = all_rows(analyst_client, reverse("api:letters"), item_params)
    if params.get("count") == "letters":
        assert len(letters) == counts.total
    else:
        assert len(items) == counts.total
        assert sum(i["outcome"] == "overturned" for i in items) == counts.overturned
    assert {i["letter"]["id"] for i in items} == {letter["id"] for letter in letters}
    assert len({i["id"] for i in items}) == len(items)


def test_it_returns_the_analytics_pages_numbers(corpus, analyst_client):
    params = {"by": "category", "outcome": "upheld"}
    context = analyst_client.get(reverse("determinations:analytics"), params).context
    data = analyst_client.get(reverse("api:analytics"), params).json()
    assert data["overall"]["n"] == context["total"].n
    assert data["all_letters"]["n"] == context["everything"].n
    assert [(r["value"], r["rate"]["n"]) for r in data["breakdown"]] == [
        (row.value, row.rate.n) for row, _url in context["rows"]
    ]
    assert [m["rate"]["n"] for m in data["trend"]] == [m.rate.n for m, _url in context["months"]]
