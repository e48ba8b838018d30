"""Agreement per item between our category/subcategory and DWC's coding of the same letters.

Until ``accuracy_report --against-dwc`` exists this prints the same report.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dwcsync.agreement import agreement_report, format_report


class Command(BaseCommand):
    help = "Compare our request category/subcategory of each item with DWC's own coding."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--disagreements", type=int, default=20, metavar="N", help="list up to N (0: none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = agreement_report()
        self.stdout.write(format_report(report, list_disagreements=options["disagreements"]))
