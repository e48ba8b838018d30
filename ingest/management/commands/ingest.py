"""Parse and save letters: files, folders and .zip archives; idempotent; parallel parsing."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.loader import IngestResult, Status, ingest_all
from ingest.management.commands.parse_letters import ingest_limits
from ingest.sources import SourceFile, iter_paths

# The summary names at most this many letters per status (a month's upload can flag hundreds;
# the admin review queue lists them all).
SHOWN_PER_STATUS = 50


class Progress:
    """A one-line progress bar on a terminal; a line every 10% otherwise."""

    def __init__(self, out: TextIO, total: int) -> None:
        self.out, self.total, self.done = out, total, 0
        self.started = time.monotonic()
        self.tty = out.isatty()
        self._last_decile = -1

    def step(self) -> None:
        self.done += 1
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        if self.tty:
            filled = int(30 * self.done / max(self.total, 1))
            bar = "#" * filled + "-" * (30 - filled)
            self.out.write(f"\r[{bar}] {self.done:,}/{self.total:,} {rate:,.0f} letters/s")
            if self.done == self.total:
                self.out.write("\n")
        else:
            decile = 10 * self.done // max(self.total, 1)
            if decile != self._last_decile:
                self._last_decile = decile
                self.out.write(f"{self.done:,}/{self.total:,} letters ({rate:,.0f}/s)\n")
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Ingest IMR letters (.txt, .pdf, folders, .zip): parse and save each in its own "
        "transaction. Re-running on the same files changes nothing. Exits non-zero when "
        "any letter failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="extract, parse and save in N processes, each on its own connection",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = list(iter_paths(options["paths"], ingest_limits()))
        if not sources:
            raise CommandError("no .txt, .pdf or .zip files found")
        progress = None if options["quiet"] else Progress(sys.stderr, len(sources))
        started = time.monotonic()
        results: list[IngestResult] = []
        for result in self._results(sources, options["workers"]):
            results.append(result)
            if progress:
                progress.step()
        self._summary(results, time.monotonic() - started)
        failed = sum(r.status is Status.FAILED for r in results)
        if failed:
            raise CommandError(f"{failed} letter(s) failed", returncode=1)

    def _results(self, sources: list[SourceFile], workers: int) -> Iterator[IngestResult]:
        for source in sources:
            if source.data is None:
                yield IngestResult(source.name, Status.FAILED, None, source.error or "")
        readable = [(s.name, s.data) for s in sources if s.data is not None]
        yield from ingest_all(readable, workers)

    def _summary(self, results: list[IngestResult], seconds: float) -> None:
        counts = Counter(r.status for r in results)
        order = [Status.NEW, Status.UNCHANGED, Status.NEEDS_REVIEW, Status.CONFLICT, Status.FAILED]
        line = ", ".join(f"{counts[s]:,} {s.value.replace('_', ' ')}" for s in order)
        rate = len(results) / max(seconds, 1e-6)
        self.stdout.write(f"{len(results):,} letters in {seconds:.1f}s ({rate:,.0f}/s): {line}")
        for status in (Status.FAILED, Status.CONFLICT, Status.NEEDS_REVIEW):
            listed = [r for r in results if r.status is status]
            for r in listed[:SHOWN_PER_STATUS]:
                self.stdout.write(f"  {r.status.value:<12} {r.name}: {r.message}")
            if len(listed) > SHOWN_PER_STATUS:
                more = len(listed) - SHOWN_PER_STATUS
                self.stdout.write(f"  ... and {more:,} more {status.value.replace('_', ' ')}")
