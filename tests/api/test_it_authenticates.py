"""Tokens made and revoked on the account page; the browser's session works too."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ["items", "letters", "facets", "analytics"])
def test_it_answers_401_not_a_login_redirect_without_credentials(client, endpoint):
    response = client.get(reverse(f"api:{endpoint}"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_it_accepts_a_token(api):
    assert api.get(reverse("api:items")).status_code == 200


def test_it_refuses_an_unknown_token(client):
    response = client.get(reverse("api:items"), HTTP_AUTHORIZATION="Bearer imr_nope")
    assert response.status_code == 401


def test_it_accepts_the_browsers_session(analyst_client):
    assert analyst_client.get(reverse("api:facets")).status_code == 200


def test_it_creates_shows_once_and_revokes_a_token_on_the_account_page(analyst_client, client):
    page = analyst_client.post(reverse("api_token_create"), {"name": "nightly report"})
    assert page["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token">(imr_[\w-]+)<', page.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.name == "nightly report"
    assert token.key_hash != secret and secret not in token.key_hash  # only a hash is kept
    # The page shows the secret only in the response that made it.
    assert secret not in analyst_client.get(reverse("account")).content.decode()

    script = client.get(reverse("api:items"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    analyst_client.post(reverse("api_token_revoke", args=[token.pk]))
    script = client.get(reverse("api:items"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.status_code == 401
    assert "revoked" in analyst_client.get(reverse("account")).content.decode()


def test_it_does_not_let_a_user_revoke_someone_elses_token(analyst_client, django_user_model):
    other = django_user_model.objects.create_user("other", password="x-long-passphrase-1")
    token, _secret = ApiToken.create_for(other, "theirs")
    response = analyst_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.active
