"""Write realistic synthetic IMR letters (both layouts) to a folder, or into the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from synth.letters import generate_letters
from synth.pdf import text_to_pdf


class Command(BaseCommand):
    help = (
        "Generate synthetic IMR letters from realistic vocabularies. With --out, write "
        "<name>.txt (or .pdf) files, plus <name>.truth.json with --truth; with --load, ingest "
        "them through the same path as `manage.py ingest`."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, help="folder to write letters into")
        parser.add_argument("--load", action="store_true", help="ingest into the database")
        parser.add_argument(
            "--pdf-share",
            type=float,
            default=0.0,
            help="share of letters written as encrypted PDFs like DWC's (0..1)",
        )
        parser.add_argument("--truth", action="store_true", help="also write expected JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        if not out and not options["load"]:
            raise CommandError("give --out DIR, --load, or both")
        if out:
            out.mkdir(parents=True, exist_ok=True)
        pdf_every = round(1 / options["pdf_share"]) if options["pdf_share"] > 0 else 0
        written = loaded = 0
        for n, letter in enumerate(generate_letters(options["count"], options["seed"])):
            stem = Path(letter.filename).stem
            as_pdf = bool(pdf_every) and n % pdf_every == 0
            data = text_to_pdf(letter.text, encrypt=True) if as_pdf else letter.text.encode()
            name = f"{stem}.pdf" if as_pdf else f"{stem}.txt"
            if out:
                (out / name).write_bytes(data)
                if options["truth"]:
                    truth = json.dumps(letter.truth, indent=2, sort_keys=True)
                    (out / f"{stem}.truth.json").write_text(truth + "\n")
                written += 1
            if options["load"]:
                from ingest.loader import ingest_bytes

                ingest_bytes(name, data)
                loaded += 1
        if out:
            self.stdout.write(f"Wrote {written:,} letters to {out}")
        if options["load"]:
            self.stdout.write(f"Ingested {loaded:,} letters")
