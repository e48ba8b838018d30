"""The OpenAPI description beyond what drf-spectacular reads from the views: the token
scheme, the errors every endpoint answers, and the "Find similar decisions" parameters
with the rules that join them.

``error_responses`` is a postprocessing hook of the schema view (api.urls): every
operation documents, besides its 200, the 400, 401 and 429 it can answer, each with its
body as a component schema (``ERROR_SCHEMAS``: what ``BadParameter`` and DRF's
authentication and throttling errors send; tests/api/test_it_documents_its_errors.py
checks real answers against them). No endpoint takes a path parameter, so none answers
404 (``?format=`` other than json would, and is not a documented parameter).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from ingest.normalize.categories import CATEGORIES
from similar import request as similar_request


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made on the account page: Authorization: Bearer imr_...",
        }


# --- errors ---------------------------------------------------------------------------

_DETAIL = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    # api.filtering.BadParameter
    "BadParameter": {
        "type": "object",
        "required": ["error", "parameter", "message"],
        "properties": {
            "error": {"type": "string", "enum": ["bad_parameter"]},
            "parameter": {"type": "string", "description": "The parameter refused."},
            "message": {"type": "string", "description": "Why, and what it accepts."},
        },
    },
    # DRF's NotAuthenticated / AuthenticationFailed
    "Unauthenticated": {**_DETAIL, "description": "No token, or an invalid or revoked one."},
    # DRF's Throttled (api.throttling.TokenRateThrottle)
    "Throttled": {**_DETAIL, "description": "Over the token's rate limit."},
}


def _error(description: str, component: str, headers: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": headers,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


ERROR_RESPONSES: dict[str, dict[str, Any]] = {
    "400": _error(
        "A parameter the endpoint does not know, or a value it cannot read: the body names "
        "the first such parameter.",
        "BadParameter",
        {},
    ),
    "401": _error(
        "No credentials, or a token that is invalid or revoked.",
        "Unauthenticated",
        {
            "WWW-Authenticate": {
                "description": 'The scheme to authenticate with: Bearer realm="api".',
                "schema": {"type": "string"},
            }
        },
    ),
    "429": _error(
        "Over the token's rate limit (API_RATE_LIMIT, per token or signed-in user).",
        "Throttled",
        {
            "Retry-After": {
                "description": "Seconds until a request is allowed again.",
                "schema": {"type": "integer", "minimum": 0},
            }
        },
    ),
}


def error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the error bodies as components, and every operation's 400, 401
    and 429 pointing at them."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for status, response in ERROR_RESPONSES.items():
                operation["responses"].setdefault(status, response)
    return result


# --- /api/v1/similar/ -------------------------------------------------------------------

# A value with a letter or digit: something the search reads (a value of only symbols or
# unprintable characters may read as nothing, and the request as nothing to search).
_READABLE = "[A-Za-z0-9]"


def similar_parameters() -> list[dict[str, Any]]:
    """The page's parameters (similar.request.PARAMETERS) as one exploded form object, so
    the rules that join them are in the schema: something to search (text, drug,
    category or region), and a subcategory only with a category it belongs to
    (ingest.normalize.categories.CATEGORIES)."""
    properties: dict[str, dict[str, Any]] = {
        "text": {
            "type": "string",
            "maxLength": similar_request.MAX_TEXT,
            "description": "The requested treatment as written.",
        },
        "corrected": {
            "type": "string",
            "enum": sorted(similar_request.CORRECTED | similar_request.NOT_CORRECTED),
            "description": "1: the fields below are corrections, read as given (empty: "
            "any); otherwise they are read from text and a field given overrides only itself.",
        },
        "drug": {"type": "string", "description": 'Generic ingredients ("a + b").'},
        "category": {"type": "string", "enum": ["", *CATEGORIES]},
        "subcategory": {
            "type": "string",
            "enum": ["", *sorted(similar_request.SUBCATEGORY_OF)],
            "description": "A DWC subcategory of the category, which must be given too.",
        },
        "region": {"type": "string", "enum": ["", *similar_request.REGION_NAMES]},
        "quantity": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": similar_request.MAX_NUMBER},
                {"type": "string", "enum": [""]},
            ],
            "description": "Quantity requested (medications). Empty: any.",
        },
        "visits": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": similar_request.MAX_NUMBER},
                {"type": "string", "enum": [""]},
            ],
            "description": "Visits requested (therapies). Empty: any.",
        },
        "section": {
            "type": "string",
            "pattern": r"^([^|]*\|[^|]*\|[^|]*)?$",
            "description": "Guideline section key: source|document|topic.",
        },
        "specialty": {
            "type": "string",
            "maxLength": similar_request.MAX_SPECIALTY,
            "description": "Reviewer specialty.",
        },
        "helpful": {
            "type": "string",
            "enum": ["", *similar_request.HELPFUL],
            "description": "Prior treatment of this kind was documented as helpful.",
        },
    }
    assert tuple(properties) == similar_request.PARAMETERS  # one list, in order
    something = [
        {"required": ["text"], "properties": {"text": {"pattern": _READABLE}}},
        {"required": ["drug"], "properties": {"drug": {"pattern": _READABLE}}},
        {"required": ["category"], "properties": {"category": {"enum": list(CATEGORIES)}}},
        {
            "required": ["region"],
            "properties": {"region": {"enum": list(similar_request.REGION_NAMES)}},
        },
    ]
    kinds = [{"properties": {"subcategory": {"enum": [""]}}}] + [
        {
            "required": ["category", "subcategory"],
            "properties": {"category": {"enum": [category]}, "subcategory": {"enum": list(subs)}},
        }
        for category, subs in CATEGORIES.items()
        if subs
    ]
    return [
        {
            "name": "request",
            "in": "query",
            "required": True,
            "style": "form",
            "explode": True,
            "description": "The page's fields, each its own query parameter (text=...&"
            "drug=...), each at most once. Something to search: text, drug, category or "
            "region (with a letter or digit). A subcategory needs its category.",
            "schema": {
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
                "allOf": [{"anyOf": something}, {"anyOf": kinds}],
            },
        }
    ]
