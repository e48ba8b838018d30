"""The OpenAPI 3 schema at /api/v1/schema/ is valid and describes every filter."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from api.filtering import FILTER_PARAMS
from similar.request import PARAMETERS as SIMILAR_PARAMS

pytestmark = pytest.mark.django_db


def test_it_serves_a_valid_openapi_3_schema(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on an invalid document
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/items/",
        "/api/v1/letters/",
        "/api/v1/facets/",
        "/api/v1/analytics/",
        "/api/v1/similar/",
    }
    for url, path in paths.items():
        names = {p["name"] for p in path["get"]["parameters"]}
        if url == "/api/v1/similar/":
            # The "Find similar decisions" page's own parameters, not the list's: one
            # exploded form object, so the rules joining them are in its schema.
            (request,) = path["get"]["parameters"]
            assert (request["style"], request["explode"]) == ("form", True)
            assert list(request["schema"]["properties"]) == list(SIMILAR_PARAMS)
        else:
            assert names >= FILTER_PARAMS
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
