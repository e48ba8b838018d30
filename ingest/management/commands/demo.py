"""Demo data for a fresh machine: synthetic letters and two demo accounts.

The accounts are created once, when missing, and never touched again: a password
changed in the demo survives the next ``./dev run``."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alerts.models import AlertAddress
from determinations.models import Determination
from ingest.loader import Status, ingest_bytes
from synth.letters import generate_letters
from synth.pdf import text_to_pdf

DEMO_USERS = [
    # (username, password, is_staff): printed on every run; never created in production.
    ("analyst", "imr-demo-analyst", False),
    ("admin", "imr-demo-admin", True),
]
# The demo accounts' alert address, verified when created, so their alerts are mailed
# (`./dev run` prints mail to the console). example.com is reserved: nothing is delivered.
DEMO_EMAIL = "{username}@example.com"


class Command(BaseCommand):
    help = "Load synthetic demo letters (once) and create the demo analyst and admin accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--letters", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo data and demo accounts are never created in production")
        self._users()
        if Determination.objects.exists():
            self.stdout.write(
                f"Demo data already loaded ({Determination.objects.count():,} letters)"
            )
        else:
            self._letters(options["letters"], options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                "\nOpen http://127.0.0.1:8000/ and log in as (passwords as created; a "
                "changed one stays changed)\n"
                + "\n".join(
                    f"  {u:<8} password {p:<18} ({'admin: /admin/' if staff else 'analyst'})"
                    for u, p, staff in DEMO_USERS
                )
            )
        )

    def _users(self) -> None:
        """Create the demo accounts that do not exist; existing ones are left as they
        are (password, address, staff flag)."""
        users = get_user_model()
        for username, password, staff in DEMO_USERS:
            if users.objects.filter(username=username).exists():
                continue
            email = DEMO_EMAIL.format(username=username)
            user = users.objects.create_user(
                username, email, password, is_staff=staff, is_superuser=staff
            )
            AlertAddress.objects.create(user=user, email=email, verified_at=timezone.now())
            self.stdout.write(f"Created the demo account {username} ({email})")

    def _letters(self, count: int, seed: int) -> None:
        self.stdout.write(f"Loading {count:,} synthetic demo letters...")
        started = time.monotonic()
        statuses: dict[Status, int] = {}
        for n, letter in enumerate(generate_letters(count, seed)):
            # One in twenty arrives as an encrypted PDF, like DWC's own files.
            if n % 20 == 0:
                name, data = (
                    letter.filename.rsplit(".", 1)[0] + ".pdf",
                    text_to_pdf(letter.text, encrypt=True),
                )
            else:
                name, data = letter.filename, letter.text.encode()
            result = ingest_bytes(name, data)
            statuses[result.status] = statuses.get(result.status, 0) + 1
        summary = ", ".join(f"{v:,} {k.value.replace('_', ' ')}" for k, v in statuses.items())
        self.stdout.write(f"Loaded in {time.monotonic() - started:.0f}s: {summary}")
        self.stdout.write(
            "(The generator includes unreadable letters and scanned 2013 notices with no text "
            "on purpose: they fill the admin's review queue.)"
        )
