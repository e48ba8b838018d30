"""How well the parser reads hand-labelled real letters.

    python manage.py accuracy_report ../shared/letters/dwc-2016-labelled [--half 1|2]
        [--fold K/N] [--no-misses]
    python manage.py accuracy_report --against-dwc [--disagreements N] [--refresh]

Parses every letter of the folder (no database) and prints, against its ``items.jsonl``: the
accuracy of each field of ``ingest.accuracy.FIELDS``, micro precision and recall of the reason
tags and each tag's own, then every miss, one line each. ``--half`` measures one fixed half of
the letters (``ingest.accuracy.half_of``), to check that rules tuned on one half generalise.
``--fold K/N`` (or ``K,L/N``) measures the letters of those folds of N
(``ingest.accuracy.fold_of``): develop on some folds, then score the held-out ones once
(``--fold 1,2,3/5`` then ``4,5/5``).

``--against-dwc`` compares instead, per item, our category and subcategory of the stored letters
with DWC's own coding from its search results (``dwcsync.agreement``; the letters synced by
``sync_dwc``). ``--refresh`` first recomputes which letters the review queue lists as disagreeing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dwcsync.agreement import agreement_report, format_report, refresh_flags
from ingest.accuracy import LABELS_FILE, measure, parse_fold, read_labels


class Command(BaseCommand):
    help = "Print per-field accuracy of the parser against a folder of hand-labelled letters."
    # Pure parsing: no database connection, no migrations needed.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", type=Path, nargs="?", help=f"letters beside their {LABELS_FILE}"
        )
        parser.add_argument("--half", type=int, choices=(1, 2), default=None)
        parser.add_argument(
            "--fold",
            default=None,
            metavar="K/N",
            help="only the letters of fold K (or folds K,L) of N, split by case-number hash",
        )
        parser.add_argument("--no-misses", action="store_true", help="leave out the misses")
        parser.add_argument(
            "--labels",
            type=Path,
            default=None,
            help=f"the labels file, when it is not the folder's {LABELS_FILE} (a folder of "
            "scans rendered from the labelled letters)",
        )
        dwc = parser.add_argument_group("agreement with DWC's own coding (stored letters)")
        dwc.add_argument(
            "--against-dwc",
            action="store_true",
            help="per item: our category/subcategory against DWC's search-result coding",
        )
        dwc.add_argument(
            "--disagreements", type=int, default=20, metavar="N", help="list up to N (0: none)"
        )
        dwc.add_argument(
            "--refresh",
            action="store_true",
            help="first recompute which letters the review queue lists as disagreeing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["against_dwc"]:
            self._against_dwc(options)
            return
        folder: Path | None = options["folder"]
        if folder is None:
            raise CommandError("give a folder of labelled letters, or --against-dwc")
        labels_file: Path = options["labels"] or folder / LABELS_FILE
        if not labels_file.is_file():
            raise CommandError(f"{labels_file} is missing: not a labelled folder")
        fold = None
        if options["fold"]:
            try:
                fold = parse_fold(options["fold"])
            except ValueError as error:
                raise CommandError(str(error)) from error
        labels = read_labels(folder, labels_file)
        report = measure(folder, half=options["half"], fold=fold, labels=labels)
        lines = report.lines()
        if options["no_misses"]:
            lines = lines[: next(i for i, line in enumerate(lines) if line.startswith("Misses"))]
        self.stdout.write("\n".join(lines))

    def _against_dwc(self, options: dict[str, Any]) -> None:
        if options["refresh"]:
            flagged = refresh_flags()
            self.stdout.write(f"{flagged} letters disagree with DWC's coding (review queue)")
        report = agreement_report()
        self.stdout.write(format_report(report, list_disagreements=options["disagreements"]))
