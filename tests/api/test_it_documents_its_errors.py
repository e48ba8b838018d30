"""The schema documents what the API really answers: every operation's 400, 401 and 429
point at component schemas that the real error bodies validate against, and each filter
parameter's accepted values are read from the filter declarations."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from jsonschema import validate

from determinations.facets import CONSTRAINTS_BY_PARAM, FACETS_BY_PARAM
from determinations.filters import COUNTS
from determinations.search import SearchScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)


def _body_schema(schema, status):
    ref = schema["paths"]["/api/v1/items/"]["get"]["responses"][status]["content"][
        "application/json"
    ]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_every_operation_documents_its_errors(schema):
    for path in schema["paths"].values():
        responses = path["get"]["responses"]
        assert {"200", "400", "401", "429"} <= set(responses)
    assert "Retry-After" in schema["paths"]["/api/v1/facets/"]["get"]["responses"]["429"]["headers"]


def test_a_bad_parameter_answers_the_documented_body(api, schema):
    response = api.get(reverse("api:items"), {"outcome": "maybe"})
    assert response.status_code == 400
    validate(response.json(), _body_schema(schema, "400"))


def test_no_token_answers_the_documented_body(client, schema):
    response = client.get(reverse("api:letters"), HTTP_AUTHORIZATION="Bearer imr_nope")
    assert response.status_code == 401
    validate(response.json(), _body_schema(schema, "401"))
    assert response["WWW-Authenticate"]


def test_over_the_limit_answers_the_documented_body(api, schema, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1/minute"},
    }
    api.get(reverse("api:facets"))
    response = api.get(reverse("api:facets"))
    assert response.status_code == 429
    validate(response.json(), _body_schema(schema, "429"))
    assert int(response["Retry-After"]) > 0


def _parameter(schema, name, path="/api/v1/items/"):
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return parameter["schema"]


def test_closed_sets_are_enums_read_from_their_declarations(schema):
    assert _parameter(schema, "scope")["enum"] == [*SearchScope.values, ""]
    assert _parameter(schema, "count", "/api/v1/facets/")["enum"] == [*COUNTS, ""]
    assert _parameter(schema, "sort")["enum"] == ["newest", "oldest", ""]
    outcome = _parameter(schema, "outcome")
    assert outcome["items"]["enum"] == [*FACETS_BY_PARAM["outcome"].choices, ""]
    status = _parameter(schema, "status")["items"]["enum"]
    assert status == [*CONSTRAINTS_BY_PARAM["status"].choices, ""]


def test_open_sets_say_where_their_values_are_listed(client):
    parameters = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)["paths"][
        "/api/v1/items/"
    ]["get"]["parameters"]
    drug = next(p for p in parameters if p["name"] == "drug")
    assert "/api/v1/facets/" in drug["description"]
    assert "enum" not in drug["schema"]["items"]


def test_similar_documents_that_a_subcategory_needs_its_category(schema):
    (request,) = schema["paths"]["/api/v1/similar/"]["get"]["parameters"]
    kinds = request["schema"]["allOf"][1]["anyOf"]
    chiropractic = [k for k in kinds if "Chiropractic" in k["properties"]["subcategory"]["enum"]]
    assert [k["required"] for k in chiropractic] == [["category", "subcategory"]]
