"""Every page needs a login; the account pages render in the site's look."""

import pytest
from django.urls import reverse

from tests.factories import make_determination, make_item, refresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, args",
    [
        ("determinations:list", []),
        ("determinations:export", []),
        ("determinations:detail", [1]),
        ("determinations:file", [1]),
    ],
)
def test_it_requires_login_everywhere(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content
    assert b'for="id_username"' in response.content


def test_it_logs_in_and_out(client, user):
    response = client.post(
        reverse("login"), {"username": "analyst", "password": "a-long-passphrase-42"}
    )
    assert response.status_code == 302
    assert client.get(reverse("determinations:list")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("determinations:list")).status_code == 302


def test_it_changes_the_password(analyst_client, user):
    assert analyst_client.get(reverse("password_change")).status_code == 200
    response = analyst_client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-passphrase-42",
            "new_password1": "another-long-phrase-77",
            "new_password2": "another-long-phrase-77",
        },
        follow=True,
    )
    assert b"Password changed" in response.content
    user.refresh_from_db()
    assert user.check_password("another-long-phrase-77")


def test_it_has_no_inline_script_or_style(analyst_client):
    """The pages must work under a Content-Security-Policy without 'unsafe-inline'."""
    letter = make_determination()
    make_item(letter)
    refresh(letter)
    for url in (reverse("determinations:list"), letter.get_absolute_url(), reverse("login")):
        html = analyst_client.get(url).content.decode()
        assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
        assert " style=" not in html and "<style" not in html
        assert " onclick=" not in html and " onchange=" not in html
