"""EMAIL_URL -> the default mailer's settings (imr_site.settings.email_mailer)."""

from __future__ import annotations

import pytest

from imr_site.settings import email_mailer

SMTP = "django.core.mail.backends.smtp.EmailBackend"

# (EMAIL_URL, the OPTIONS that matter)
CASES = [
    # plain SMTP, default port
    ("smtp://mail.example.com", {"host": "mail.example.com", "port": 25, "use_tls": False}),
    # STARTTLS asked for on the query string
    ("smtp://mail.example.com:2525?tls=1", {"port": 2525, "use_tls": True, "use_ssl": False}),
    # submission: STARTTLS on 587; credentials percent-decoded (an @ in the user name)
    (
        "submission://alerts%40example.com:p%2Fss@smtp.example.com",
        {"port": 587, "use_tls": True, "username": "alerts@example.com", "password": "p/ss"},
    ),
    # implicit TLS on 465
    ("smtps://u:p@smtp.example.com", {"port": 465, "use_ssl": True, "use_tls": False}),
    # a timeout
    ("smtp+tls://smtp.example.com?timeout=5", {"port": 587, "use_tls": True, "timeout": 5}),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_it_reads_an_smtp_url(url, expected):
    mailer = email_mailer(url)
    assert mailer["BACKEND"] == SMTP
    assert expected.items() <= mailer["OPTIONS"].items()


def test_console_prints_instead():
    assert email_mailer("console:")["BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "mail.example.com"])
def test_it_refuses_what_is_not_a_mail_server(url):
    with pytest.raises(RuntimeError, match="EMAIL_URL must look like"):
        email_mailer(url)
