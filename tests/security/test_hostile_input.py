"""Hostile input never reaches SQL or HTML unescaped, and never causes a server error."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from determinations.models import Determination
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE determinations_determination; --",
    "1' OR '1'='1",
    "x\x00y",
    "%' OR 1=1 --",
    "$1 $$ \\ ${x}",
    "名前 \u202e reversed",
    "a" * 5000,
    "../../etc/passwd",
    '=HYPERLINK("http://evil")',
]
PARAMS = [
    "q",
    "drug",
    "treatment",
    "specialty",
    "guideline",
    "outcome",
    "category",
    "sort",
    "page",
    "count",
    "from",
    "to",
    "status",
    "case",
    "partial",
    "pos",
]


@pytest.fixture
def letters():
    made = []
    for _ in range(2):
        det = make_determination()
        make_drug_item(det, "hydrocodone")
        make_item(det)
        refresh(det)
        made.append(det)
    return made


def check(response, url):
    assert response.status_code < 500, url
    if response.streaming:
        body = b"".join(response.streaming_content).decode()
        if response.get("Content-Disposition", "").startswith("attachment"):
            # The CSV export's first line repeats the search as typed (it says what
            # produced the file): a download never rendered as a page, and the rows
            # after it must not reflect the input either.
            assert response["Content-Type"].startswith("text/csv"), url
            assert response["X-Content-Type-Options"] == "nosniff", url
            body = body.split("\n", 1)[1]
    else:
        body = response.content.decode()
    assert SCRIPT not in body, url
    assert "<img src=x" not in body, url


def test_analyst_pages_survive_hostile_parameters(analyst_client, letters):
    detail = letters[0].get_absolute_url()
    for value in HOSTILE:
        for param in PARAMS:
            for url in (reverse("determinations:list"), detail, reverse("determinations:export")):
                check(analyst_client.get(url, {param: value, "q": value}), url)
    with connection.cursor() as cursor:  # the table is still there, rows intact
        cursor.execute("SELECT count(*) FROM determinations_determination")
        assert cursor.fetchone()[0] == 2 == Determination.objects.count()


def test_hostile_search_text_is_shown_escaped(analyst_client, letters):
    html = analyst_client.get(reverse("determinations:list"), {"q": SCRIPT}).content.decode()
    assert "&lt;script&gt;" in html


def test_sign_in_survives_hostile_usernames(client, user):
    for value in HOSTILE:
        response = client.post(reverse("login"), {"username": value, "password": value})
        check(response, "login")


def test_admin_search_and_filters_survive_hostile_input(client, staff_user, letters):
    client.force_login(staff_user)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for value in HOSTILE[:4]:
            check(client.get(url, {"q": value}), url)
            check(client.get(url, {"o": value, "p": value}), url)
