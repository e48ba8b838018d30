"""The API's parameters are the facet registry's: every facet and constraint is accepted,
validated and described with no change in api/, and a facet the filterset gains is too."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from api.filtering import ApiItemFilterSet, schema_parameters
from determinations.facets import CONSTRAINTS, FACETS, Facet

pytestmark = pytest.mark.django_db


def top_values(client) -> dict[str, str]:
    panels = client.get(reverse("determinations:list")).context["panels"]
    return {panel.facet.param: panel.shown[0].value for panel in panels if panel.shown}


@pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.param)
def test_it_accepts_every_registry_facet_and_counts_as_the_list(corpus, analyst_client, facet):
    values = top_values(analyst_client)
    if facet.param not in values:
        pytest.skip(f"the synthetic corpus has no value of {facet.param!r}")
    params = {facet.param: values[facet.param]}
    listed = analyst_client.get(reverse("determinations:list"), params).context["counts"]
    response = analyst_client.get(reverse("api:facets"), params)
    assert response.status_code == 200, response.content
    assert response.json()["total"] == listed.total > 0
    items = analyst_client.get(reverse("api:items"), {**params, "page_size": 100})
    assert items.status_code == 200, items.content


@pytest.mark.parametrize(
    "param", [f.param for f in FACETS] + [c.param for c in CONSTRAINTS], ids=str
)
def test_the_schema_describes_every_registry_parameter(client, param):
    schema = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    # The endpoints that filter through the list's filterset (similar/ takes a request's
    # own words instead: tests/api/test_it_finds_similar.py).
    filtered = [reverse(f"api:{name}") for name in ("items", "letters", "facets", "analytics")]
    assert set(filtered) <= set(schema["paths"])
    for path in (schema["paths"][url] for url in filtered):
        (described,) = [p for p in path["get"]["parameters"] if p["name"] == param]
        if param in {f.param for f in FACETS}:
            assert described["schema"]["type"] == "array"  # repeatable


# A facet on an existing column, with a parse that reads only digits: what a new registry
# entry gives ItemFilterSet (one filter of the registry's filter class).
NEW = Facet("kind", "Kind", "category", normalise=lambda v: v if v.isdigit() else "")
FilterClass = type(ApiItemFilterSet.base_filters["category"])
Extended = type(
    "Extended",
    (ApiItemFilterSet,),
    {"kind": FilterClass(NEW, multiple=True, label=NEW.label), "__module__": __name__},
)


def test_a_facet_the_filterset_gains_is_accepted_validated_and_described():
    assert Extended(QueryDict("kind=12&outcome=upheld")).is_valid()
    bad = Extended(QueryDict("outcome=upheld&kind=twelve")).bad_parameter
    assert bad is not None and bad.detail["parameter"] == "kind"
    # ...and the filterset without it still refuses it as unknown.
    unknown = ApiItemFilterSet(QueryDict("kind=12")).bad_parameter
    assert unknown is not None and unknown.detail["message"] == "Unknown parameter 'kind'."
    (kind,) = [p for p in schema_parameters(Extended) if p["name"] == "kind"]
    assert kind["schema"]["type"] == "array"
    assert "Kind" in kind["description"]
