"""Parse letters without touching the database: one JSON object per letter per line.

``--analysis`` adds what the normalizers derived: the case number's source (the letter's text
or its file name) and, per item, visits, body region, reasons (the labelled real letters' tag
names), the finer reason tags, canonical guideline sections and daily MME. Without it the
output is the golden files' shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.letter import ParsedLetter, item_analysis_as_dict, letter_as_dict
from ingest.normalize.reasons import labelled_tags
from ingest.pipeline import prepare_letter
from ingest.sources import Limits, iter_paths


def ingest_limits() -> Limits:
    return Limits(
        max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
        max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES,
        max_archive_members=settings.INGEST_MAX_ARCHIVE_MEMBERS,
    )


def add_analysis(record: dict[str, Any], letter: ParsedLetter) -> None:
    """Add the analysis fields to a ``letter_as_dict`` record, in place."""
    source = letter.case_number_source
    record["case_number_source"] = source.value if source else None
    for out, item in zip(record["items"], letter.items, strict=True):
        out.update(item_analysis_as_dict(item, labelled_tags(item.reason_tags)))


class Command(BaseCommand):
    help = (
        "Parse IMR letters (.txt, .pdf, folders, .zip) and print one JSON object per letter "
        "per line. Exits non-zero when a letter could not be read at all."
    )
    # Pure parsing: no database connection, no migrations needed.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
        parser.add_argument(
            "--analysis",
            action="store_true",
            help="add the case number's source and each item's visits, body region, reasons "
            "and canonical guideline sections",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for source in iter_paths(options["paths"], ingest_limits()):
            if source.data is None:
                record: dict[str, Any] = {"path": source.name, "error": source.error, "items": []}
                failed += 1
            else:
                prepared = prepare_letter(source.name, source.data)
                if prepared.parsed is None:
                    record = {"path": source.name, "error": prepared.error, "items": []}
                    failed += 1
                else:
                    record = {"path": source.name, **letter_as_dict(prepared.parsed)}
                    if options["analysis"]:
                        add_analysis(record, prepared.parsed)
                    failed += prepared.parsed.error is not None
            self.stdout.write(json.dumps(record, indent=options["indent"]))
        if failed:
            raise CommandError(f"{failed} letter(s) could not be read", returncode=1)
