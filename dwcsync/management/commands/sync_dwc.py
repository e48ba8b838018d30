"""Fetch the IMR decisions DWC published for a decision-date window, through the one ingest path."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dwcsync import sync
from dwcsync.client import Refused
from dwcsync.models import RunStatus
from dwcsync.page import ShapeError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = (
        "Walk DWC's IMR decision search for decisions in a date window and ingest each letter "
        "not yet held. Re-running the same window resumes an unfinished run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--decided-from", required=True, help="first decision date, YYYY-MM-DD")
        parser.add_argument("--decided-to", required=True, help="last decision date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _date(options["decided_from"]), _date(options["decided_to"])
        if first > last:
            raise CommandError(f"--decided-from {first} is after --decided-to {last}")
        report = self.stdout.write if options["verbosity"] > 0 else (lambda _m: None)
        try:
            run = sync.sync_window(first, last, report=report)
        except (ShapeError, Refused, sync.AlreadyRunning, sync.NotConfigured) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Run #{run.pk} {run.get_status_display().lower()}: {run.message}")
        if run.status != RunStatus.FINISHED:
            raise CommandError(f"run #{run.pk} did not finish; run the same command to resume it")
        if run.failures:
            # As `manage.py ingest`: letters that could not be read make the exit status 1.
            raise CommandError(
                f"{run.failures} letter(s) could not be fetched or read: see Ingest -> Review "
                "queue (failed uploads) and the DWC cases marked failed or missing"
            )
