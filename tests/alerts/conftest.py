"""Fixtures of the alert tests: the SMTP server (tests/alerts/smtp.py) and saved searches."""

from __future__ import annotations

from tests.alerts.smtp import smtp_server  # noqa: F401
