"""Ingest benchmark: parse speed, PDF extraction time, end-to-end ingest into PostgreSQL.

    .venv/bin/python benchmarks/ingest.py [--letters 10000]
    .venv/bin/python benchmarks/ingest.py --real [--letters 2000]

Prints parse letters/s (one core), PDF text extraction ms/letter (encrypted PDFs like
DWC's), and end-to-end ingest letters/s with `manage.py ingest` (1 and 2 workers) on a
fresh benchmark database. Targets: parse >= 1,000/s, ingest >= 300/s.

``--real`` measures the same on copies of the real DWC PDFs in ../shared under fresh
case numbers (benchmarks/real_corpus.py; written to a scratch folder, never kept):
extraction and parse ms/letter, and ingest letters/s with 1 and 2 workers. Target:
>= 150 real PDF letters/s with 2 workers.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from _cpu import postgres_server, python_cpu, server_cpu
from _django import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--real", action="store_true", help="copies of the real PDFs in ../shared")
    args = parser.parse_args()
    setup("imr_bench_ingest")
    if args.real:
        real(args.letters if args.letters != 10_000 else 2_000)
        return

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
    used = {extract_text(data, "x.pdf").extractor for data in pdfs}
    pdf_ms = 1000 * (time.perf_counter() - t) / len(pdfs)
    print(
        f"PDF extraction ({', '.join(sorted(used))}, AES-encrypted): {pdf_ms:.1f} ms/letter "
        f"over {len(pdfs)} synthetic PDFs"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for x in letters:
            (folder / x.filename).write_text(x.text)
        for workers in (1, 2):
            _ingest_folder(folder, len(letters), workers)


def real(count: int) -> None:
    from real_corpus import build

    from ingest.parser import parse_letter
    from ingest.text import extract_text

    print(f"machine load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        copies = build(count, folder)
        sources = len({c.source for c in copies})
        kb = statistics.mean(len(c.data) for c in copies) / 1024
        print(
            f"copied {len(copies):,} real PDFs ({sources} letters, mean {kb:.0f} KB) under "
            f"fresh case numbers in {time.perf_counter() - t:.1f}s"
        )
        sample = copies[: min(len(copies), 300)]
        for name in ("pdfium", "pypdf"):
            t, cpu = time.perf_counter(), time.process_time()
            for c in sample:
                got = extract_text(c.data, "x.pdf", extractor=name)  # type: ignore[arg-type]
                assert got.extractor == name
            ms = 1000 * (time.perf_counter() - t) / len(sample)
            cpu_ms = 1000 * (time.process_time() - cpu) / len(sample)
            print(
                f"PDF extraction ({name}): {ms:.1f} ms/letter ({cpu_ms:.1f} ms CPU) "
                f"over {len(sample)} real PDFs"
            )
        texts = [extract_text(c.data).text for c in copies]
        for text in texts[:50]:  # warm-up: loads the drug dictionary once
            parse_letter(text)
        t, cpu = time.perf_counter(), time.process_time()
        items = sum(len(parse_letter(text).items) for text in texts)
        parse_s = time.perf_counter() - t
        cpu_ms = 1000 * (time.process_time() - cpu) / len(texts)
        print(
            f"parse: {1000 * parse_s / len(texts):.2f} ms/letter ({cpu_ms:.2f} ms CPU; "
            f"{len(texts) / parse_s:,.0f} letters/s on one core, {items:,} items)"
        )
        for workers in (1, 2):
            _ingest_folder(folder, len(copies), workers)
    print(f"machine load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min)")


def _ingest_folder(folder: Path, letters: int, workers: int) -> None:
    """Run ``manage.py ingest`` on ``folder`` into emptied tables; print letters/s and
    the CPU time per letter it took (Python processes and PostgreSQL server), which
    says what an idle machine would do when other work shares the cores."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE determinations_guidelinecitation, determinations_disputeditem,"
            " determinations_determination CASCADE"
        )
    server = postgres_server()
    out = io.StringIO()
    before = (python_cpu(), server_cpu(server), os.getloadavg()[0])
    t = time.perf_counter()
    try:
        call_command("ingest", str(folder), "--workers", str(workers), "--quiet", stdout=out)
    except Exception as exc:  # failures are part of the printed result
        print(f"  ingest reported: {exc}")
    seconds = time.perf_counter() - t
    python_ms = 1000 * (python_cpu() - before[0]) / letters
    server_ms = 1000 * (server_cpu(server) - before[1]) / letters
    print(
        f"ingest end to end, {workers} worker(s): {letters / seconds:,.0f} letters/s "
        f"({seconds:.1f}s, load {before[2]:.1f} -> {os.getloadavg()[0]:.1f}) "
        f"-> {out.getvalue().strip().splitlines()[0]}"
    )
    cpu_ms = python_ms + server_ms
    print(
        f"  CPU per letter: {python_ms:.1f} ms Python + {server_ms:.1f} ms PostgreSQL = "
        f"{cpu_ms:.1f} ms; {workers} busy core(s) would do {1000 * workers / cpu_ms:,.0f} "
        "letters/s"
    )


if __name__ == "__main__":
    main()
