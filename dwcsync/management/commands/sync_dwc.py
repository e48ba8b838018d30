"""Fetch the IMR decisions DWC published for a decision-date window, through the one ingest path.

``--record DIR`` saves every exchange with DWC; ``--replay DIR`` runs the sync (or the probe)
offline against such a recording; ``--probe --date D`` reads one day and saves nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dwcsync import sync
from dwcsync.client import (
    Client,
    HttpTransport,
    NotFound,
    Politeness,
    Refused,
    SyncStop,
    Transport,
)
from dwcsync.models import RunStatus
from dwcsync.page import ShapeError
from dwcsync.probe import probe_day
from dwcsync.recording import Recorder, Replayer


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = (
        "Walk DWC's IMR decision search for decisions in a date window and ingest each letter "
        "not yet held. Re-running the same window resumes an unfinished run. --probe --date D "
        "reads one day and saves nothing; --record DIR saves every request and answer, "
        "--replay DIR runs offline from such a recording."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--decided-from", help="first decision date, YYYY-MM-DD")
        parser.add_argument("--decided-to", help="last decision date, YYYY-MM-DD")
        parser.add_argument(
            "--probe", action="store_true", help="read one day (--date) and print it; save nothing"
        )
        parser.add_argument("--date", help="the day --probe reads, YYYY-MM-DD")
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--record", metavar="DIR", help="save every request and answer to DIR (appends)"
        )
        where.add_argument(
            "--replay", metavar="DIR", help="answer every request from a recording in DIR"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = self.stdout.write if options["verbosity"] > 0 else (lambda _m: None)
        replayer = Replayer(Path(options["replay"])) if options["replay"] else None
        recorded = replayer.manifest["runs"][-1] if replayer else {}
        search_url = replayer.manifest["search_url"] if replayer else settings.DWC_SEARCH_URL
        if options["probe"]:
            if options["decided_from"] or options["decided_to"]:
                raise CommandError("--probe reads one day: give --date, not a window")
            day = options["date"] or recorded.get("date")
            if not day:
                raise CommandError("--probe needs --date YYYY-MM-DD")
            first = last = _date(day)
        else:
            if options["date"]:
                raise CommandError("--date goes with --probe; a sync takes --decided-from/-to")
            start = options["decided_from"] or recorded.get("decided_from")
            end = options["decided_to"] or recorded.get("decided_to")
            if not start or not end:
                raise CommandError("give --decided-from and --decided-to (YYYY-MM-DD)")
            first, last = _date(start), _date(end)
            if first > last:
                raise CommandError(f"--decided-from {first} is after --decided-to {last}")
        try:
            client = self._client(options, replayer, search_url, first, last)
            if options["probe"]:
                with sync.sync_lock() as got:
                    if not got:
                        raise sync.AlreadyRunning("a DWC sync is running; probe after it")
                    for line in probe_day(first, client, search_url):
                        self.stdout.write(line)
                return
            run = sync.sync_window(first, last, report=report, client=client, search_url=search_url)
        except (ShapeError, Refused, SyncStop, sync.AlreadyRunning, sync.NotConfigured) as exc:
            raise CommandError(str(exc)) from None
        except NotFound as exc:
            raise CommandError(f"DWC answered 404 Not Found for {exc}") from None
        self.stdout.write(f"Run #{run.pk} {run.get_status_display().lower()}: {run.message}")
        if run.status != RunStatus.FINISHED:
            raise CommandError(
                f"run #{run.pk} did not finish ({run.message}); run the same command to resume it"
            )
        if run.failures:
            # As `manage.py ingest`: letters that could not be read make the exit status 1.
            raise CommandError(
                f"{run.failures} letter(s) could not be fetched or read: see Ingest -> Review "
                "queue (failed uploads) and the DWC cases marked failed or missing"
            )

    def _client(
        self,
        options: dict[str, Any],
        replayer: Replayer | None,
        search_url: str,
        first: datetime.date,
        last: datetime.date,
    ) -> Client:
        if replayer is not None:
            # Offline: no delay, no budget, no waiting; the recording's redirects followed.
            return Client(
                Politeness(
                    user_agent="replay",
                    delay=0,
                    backoff=0,
                    max_retry_after=float("inf"),
                    max_retries=settings.DWC_MAX_RETRIES,
                    hosts=sync.dwc_hosts(search_url),
                ),
                take_request=lambda: None,
                sleep=lambda _s: None,
                transport=replayer,
            )
        transport: Transport = HttpTransport()
        if options["record"]:
            what = (
                {"probe": True, "date": first.isoformat()}
                if options["probe"]
                else {"decided_from": first.isoformat(), "decided_to": last.isoformat()}
            )
            transport = Recorder(
                transport,
                Path(options["record"]),
                {
                    "search_url": search_url,
                    **what,
                    "recorded_at": timezone.now().isoformat(timespec="seconds"),
                },
            )
        return Client(sync.politeness(), sync.take_request, transport=transport)
