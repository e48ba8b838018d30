"""Every API call lands in the audit log, as exports do: who, what, filters, rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.models import ApiToken
from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_it_records_each_call_with_its_token_filters_and_rows(corpus, api, user):
    api.get(reverse("api:items"), {"outcome": "upheld", "page_size": 5})
    event = AuditEvent.objects.get(action=Action.API)
    assert event.user == user
    assert event.target == reverse("api:items")
    assert event.filters == "outcome=upheld&page_size=5"
    assert event.rows == 5
    assert event.detail["status"] == 200
    assert event.detail["token"] == ApiToken.objects.get().pk


def test_it_records_refused_calls_too(client, api):
    client.get(reverse("api:facets"), {"drug": "x"}, HTTP_AUTHORIZATION="")
    api.get(reverse("api:facets"), {"year": "nineteen"})
    events = list(AuditEvent.objects.filter(action=Action.API).order_by("pk"))
    assert [e.detail["status"] for e in events] == [401, 400]
    assert events[0].user is None
    assert events[1].filters == "year=nineteen"
