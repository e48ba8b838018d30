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
from ingest.sources import SourceFile, count_letters, iter_paths

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
        self._ended = False

    def step(self) -> None:
        self.done += 1
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        if self.tty:
            # A file that is a zip inside (whatever its name) counts once in the total.
            filled = min(30, int(30 * self.done / max(self.total, 1)))
            bar = "#" * filled + "-" * (30 - filled)
            self.out.write(f"\r[{bar}] {self.done:,}/{self.total:,} {rate:,.0f} letters/s")
            if self.done == self.total:
                self.out.write("\n")
                self._ended = True
        else:
            decile = 10 * self.done // max(self.total, 1)
            if decile != self._last_decile:
                self._last_decile = decile
                self.out.write(f"{self.done:,}/{self.total:,} letters ({rate:,.0f}/s)\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty and not self._ended:
            self.out.write("\n")
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
        paths = options["paths"]
        total = count_letters(paths)
        if not total:
            raise CommandError("no .txt, .pdf or .zip files found")
        progress = None if options["quiet"] else Progress(sys.stderr, total)
        started = time.monotonic()
        # Counted as they come, with the first few of each status kept for the summary:
        # a backlog of a million letters is never held in memory, as files or as results.
        counts: Counter[Status] = Counter()
        listed: dict[Status, list[IngestResult]] = {s: [] for s in Status}
        sources = iter_paths(paths, ingest_limits())
        for result in self._results(sources, options["workers"]):
            counts[result.status] += 1
            if len(listed[result.status]) < SHOWN_PER_STATUS:
                listed[result.status].append(result)
            if progress:
                progress.step()
        if progress:
            progress.finish()
        self._summary(counts, listed, time.monotonic() - started)
        if counts[Status.FAILED]:
            raise CommandError(f"{counts[Status.FAILED]} letter(s) failed", returncode=1)

    def _results(self, sources: Iterator[SourceFile], workers: int) -> Iterator[IngestResult]:
        refused: list[IngestResult] = []

        def readable() -> Iterator[tuple[str, bytes]]:
            for source in sources:
                if source.data is None:
                    error = source.error or ""
                    refused.append(IngestResult(source.name, Status.FAILED, None, error))
                else:
                    yield source.name, source.data

        for result in ingest_all(readable(), workers):
            yield from refused
            refused.clear()
            yield result
        yield from refused

    def _summary(
        self, counts: Counter[Status], listed: dict[Status, list[IngestResult]], seconds: float
    ) -> None:
        done = sum(counts.values())
        order = [Status.NEW, Status.UNCHANGED, Status.NEEDS_REVIEW, Status.CONFLICT, Status.FAILED]
        line = ", ".join(f"{counts[s]:,} {s.value.replace('_', ' ')}" for s in order)
        rate = done / max(seconds, 1e-6)
        self.stdout.write(f"{done:,} letters in {seconds:.1f}s ({rate:,.0f}/s): {line}")
        for status in (Status.FAILED, Status.CONFLICT, Status.NEEDS_REVIEW):
            for r in listed[status]:
                self.stdout.write(f"  {r.status.value:<12} {r.name}: {r.message}")
            if counts[status] > SHOWN_PER_STATUS:
                more = counts[status] - SHOWN_PER_STATUS
                self.stdout.write(f"  ... and {more:,} more {status.value.replace('_', ' ')}")
