"""CSRF: every form carries the token, and every state-changing POST without it fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_determination

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POST_FORM_RE = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_in_the_templates_has_the_token():
    forms = 0
    for template in TEMPLATES.rglob("*.html"):
        for body in POST_FORM_RE.findall(template.read_text()):
            forms += 1
            assert "{% csrf_token %}" in body, template
    assert forms >= 3


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_sign_in_without_the_token_is_refused(strict_client, user):
    response = strict_client.post(
        reverse("login"), {"username": "analyst", "password": "a-long-passphrase-42"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in strict_client.session


@pytest.mark.parametrize(
    "name, data",
    [
        ("logout", {}),
        (
            "password_change",
            {"old_password": "a-long-passphrase-42", "new_password1": "x" * 20},
        ),
    ],
)
def test_account_forms_without_the_token_are_refused(strict_client, user, name, data):
    strict_client.force_login(user)
    assert strict_client.post(reverse(name), data).status_code == 403


def test_admin_forms_without_the_token_are_refused(strict_client, staff_user):
    strict_client.force_login(staff_user)
    det = make_determination()
    for url in (
        reverse("admin:determinations_determination_change", args=[det.pk]),
        reverse("admin:determinations_determination_changelist"),
        reverse("admin:ingest_ingestbatch_add"),
        reverse("admin:auth_user_add"),
    ):
        assert strict_client.post(url, {"priority": "Expedited"}).status_code == 403, url
