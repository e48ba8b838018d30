"""Each token has its own budget; over it, 429 with Retry-After."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }


def test_it_answers_429_with_retry_after_over_the_limit(three_a_minute, api):
    statuses = [api.get(reverse("api:items")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = api.get(reverse("api:items"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_it_counts_each_token_separately(three_a_minute, api, client, user):
    for _ in range(4):
        api.get(reverse("api:items"))
    _token, other = ApiToken.create_for(user, "second script")
    response = client.get(reverse("api:items"), HTTP_AUTHORIZATION=f"Bearer {other}")
    assert response.status_code == 200
