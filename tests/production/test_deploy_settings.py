"""The production settings path: `check --deploy` clean, and refusing to start half-set."""

from __future__ import annotations

import subprocess
import sys

from tests.production.support import ROOT

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k8Q2-not-a-real-key-but-long-enough-for-the-deploy-check-7fZpL0x",
    "DJANGO_ALLOWED_HOSTS": "imr.example.com",
    "EMAIL_URL": "smtp://mail.example.com:25",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_logs_are_json_lines_and_settings_are_https_only():
    code = (
        "from django.conf import settings as s;"
        "print(s.LOG_FORMAT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    result = manage("shell", "--no-imports", "-v", "0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "json",
        "True",
        "True",
        "True",
        "True",
        "False",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


def test_it_refuses_to_start_without_a_mail_server():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "EMAIL_URL (or EMAIL_HOST) must be set" in result.stderr
