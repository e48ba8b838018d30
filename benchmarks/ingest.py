"""Ingest benchmark: parse speed, PDF extraction time, end-to-end ingest into PostgreSQL.

    .venv/bin/python benchmarks/ingest.py [--letters 10000]

Prints parse letters/s (one core), PDF text extraction ms/letter (encrypted PDFs like
DWC's), and end-to-end ingest letters/s with `manage.py ingest` (1 and 2 workers) on a
fresh benchmark database. Targets: parse >= 1,000/s, ingest >= 300/s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from _django import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=200)
    args = parser.parse_args()
    setup("imr_bench_ingest")

    from django.core.management import call_command
    from django.db import connection

    from ingest.parser import parse_letter
    from ingest.text import extract_text
    from synth.letters import generate_letters
    from synth.pdf import text_to_pdf

    t = time.perf_counter()
    letters = list(generate_letters(args.letters, seed=7))
    gen_s = time.perf_counter() - t
    kb = statistics.mean(len(x.text) for x in letters) / 1024
    print(f"generated {len(letters):,} synthetic letters in {gen_s:.1f}s (mean {kb:.1f} KB)")

    for x in letters[:50]:  # warm-up: loads the drug dictionary once
        parse_letter(x.text)
    t = time.perf_counter()
    items = sum(len(parse_letter(x.text).items) for x in letters)
    parse_s = time.perf_counter() - t
    print(
        f"parse: {len(letters) / parse_s:,.0f} letters/s on one core "
        f"({items:,} items, {1000 * parse_s / len(letters):.2f} ms/letter)"
    )

    pdfs = [text_to_pdf(x.text, encrypt=True) for x in letters[: args.pdfs]]
    t = time.perf_counter()
    for data in pdfs:
        extract_text(data, "x.pdf")
    pdf_ms = 1000 * (time.perf_counter() - t) / len(pdfs)
    print(f"PDF extraction (pypdf, AES-encrypted): {pdf_ms:.1f} ms/letter over {len(pdfs)} PDFs")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for x in letters:
            (folder / x.filename).write_text(x.text)
        for workers in (1, 2):
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE determinations_guidelinecitation, determinations_disputeditem,"
                    " determinations_determination CASCADE"
                )
            out = io.StringIO()
            t = time.perf_counter()
            try:
                call_command(
                    "ingest", str(folder), "--workers", str(workers), "--quiet", stdout=out
                )
            except Exception as exc:  # failures are part of the printed result
                print(f"  ingest reported: {exc}")
            seconds = time.perf_counter() - t
            print(
                f"ingest end to end, {workers} worker(s): {len(letters) / seconds:,.0f} letters/s "
                f"({seconds:.1f}s) -> {out.getvalue().strip().splitlines()[0]}"
            )


if __name__ == "__main__":
    main()
