"""Agreement per item between our category/subcategory and DWC's coding of the same letters.

Until ``accuracy_report --against-dwc`` exists this prints the same report.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dwcsync.agreement import agreement_report, format_report, refresh_flags


class Command(BaseCommand):
    help = "Compare our request category/subcategory of each item with DWC's own coding."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--disagreements", type=int, default=20, metavar="N", help="list up to N (0: none)"
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="first recompute which letters the review queue lists as disagreeing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["refresh"]:
            flagged = refresh_flags()
            self.stdout.write(f"{flagged} letters disagree with DWC's coding (review queue)")
        report = agreement_report()
        self.stdout.write(format_report(report, list_disagreements=options["disagreements"]))
