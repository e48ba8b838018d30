"""How well the parser reads hand-labelled real letters.

    python manage.py accuracy_report ../shared/letters/dwc-2016-labelled [--half 1|2] [--no-misses]

Parses every letter of the folder (no database) and prints, against its ``items.jsonl``: the
accuracy of each field of ``ingest.accuracy.FIELDS``, micro precision and recall of the reason
tags and each tag's own, then every miss, one line each. ``--half`` measures one fixed half of
the letters (``ingest.accuracy.half_of``), to check that rules tuned on one half generalise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.accuracy import LABELS_FILE, measure


class Command(BaseCommand):
    help = "Print per-field accuracy of the parser against a folder of hand-labelled letters."
    # Pure parsing: no database connection, no migrations needed.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help=f"letters beside their {LABELS_FILE}")
        parser.add_argument("--half", type=int, choices=(1, 2), default=None)
        parser.add_argument("--no-misses", action="store_true", help="leave out the misses")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not (folder / LABELS_FILE).is_file():
            raise CommandError(f"{folder} has no {LABELS_FILE}: not a labelled folder")
        report = measure(folder, half=options["half"])
        lines = report.lines()
        if options["no_misses"]:
            lines = lines[: next(i for i, line in enumerate(lines) if line.startswith("Misses"))]
        self.stdout.write("\n".join(lines))
