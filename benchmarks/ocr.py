"""OCR benchmark: seconds per page and letters per minute for scanned letters (issue 26).

    .venv/bin/python benchmarks/ocr.py [--letters 8] [--dpi 200] [--fax]
    .venv/bin/python benchmarks/ocr.py --folder /tmp/scans     # scans made elsewhere
    .venv/bin/python benchmarks/ocr.py --text-path               # text-layer PDFs: no slower

Synthetic 2016 letters (synth/) are rendered to image-only PDFs at ``--dpi`` (``--fax``: 1-bit
G4 TIFFs at dpi x dpi/2 with speckles, as tests/ingest/test_ocr.py makes them), or the files of
``--folder`` are read (e.g. renders of the real letters, kept outside the repository). Each
letter goes through ``ingest.pipeline.prepare_letter``, what the ingest workers run: OCR, then
the one parser. Prints CPU seconds per page on one process, then letters per minute and
seconds per page with 2 worker processes (wall clock: what shares the cores counts). Saving a
letter takes milliseconds against OCR's seconds, so no database is used.

``--text-path`` checks that PDFs with a text layer did not get slower: ms per letter to extract
the real PDFs in ../shared with this tree's ``ingest/text.py`` and with the last commit's
before OCR (``--before REV``), alternating, best of 5.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _cpu import python_cpu

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=8)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--fax", action="store_true", help="1-bit G4 TIFFs at dpi x dpi/2")
    parser.add_argument("--folder", type=Path, help="read these scans instead")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--text-path", action="store_true")
    parser.add_argument("--before", default="HEAD", help="revision of text.py to compare")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imr_site.settings")
    import django

    django.setup()
    if args.text_path:
        text_path(args.before)
        return
    scans = folder_scans(args.folder) if args.folder else synthetic_scans(args)
    pages = sum(count for _, _, count in scans)
    print(f"{len(scans)} letters, {pages} pages ({pages / len(scans):.1f} a letter)")

    from ingest.pipeline import prepare_letter

    prepare_letter(*scans[0][:2])  # loads Tesseract and the drug dictionary once
    cpu, wall = python_cpu(), time.perf_counter()
    read = [prepare_letter(name, data) for name, data, _ in scans]
    cpu, wall = python_cpu() - cpu, time.perf_counter() - wall
    report(read)
    print(f"one process: {cpu / pages:.2f} CPU-s a page ({wall / pages:.2f} s a page wall clock)")
    print(
        f"on {args.workers} idle cores (from CPU time): "
        f"{60 * args.workers * len(scans) / cpu:.1f} letters a minute"
    )

    wall = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        list(pool.map(_prepare, [(name, data) for name, data, _ in scans]))
    wall = time.perf_counter() - wall
    print(
        f"{args.workers} workers: {60 * len(scans) / wall:.1f} letters a minute, "
        f"{wall / pages:.2f} s a page (wall clock, {wall:.0f} s in all)"
    )


def _prepare(pair: tuple[str, bytes]) -> str:
    from ingest.pipeline import prepare_letter

    return prepare_letter(*pair).extractor


def report(read: list) -> None:  # type: ignore[type-arg]
    confidences = [p.ocr_confidence for p in read if p.ocr_confidence is not None]
    flagged = sum(1 for p in read if p.parsed is None or p.parsed.needs_review)
    mean = sum(confidences) / len(confidences) if confidences else 0
    print(f"read: mean OCR confidence {mean:.1f}%, {flagged} of {len(read)} letters flagged")


def synthetic_scans(args: argparse.Namespace) -> list[tuple[str, bytes, int]]:
    import pypdfium2

    from synth.letters import generate_letters
    from synth.pdf import text_to_pdf

    out = []
    for letter in generate_letters(args.letters, seed=26, layout="dwc-2016"):
        document = pypdfium2.PdfDocument(text_to_pdf(letter.text))
        images = [p.render(scale=args.dpi / 72, grayscale=True).to_pil() for p in document]
        buffer = io.BytesIO()
        if args.fax:
            frames = [
                i.resize((i.width, i.height // 2)).point(lambda v: 255 if v > 150 else 0)
                for i in images
            ]
            frames = [f.convert("1") for f in frames]
            frames[0].save(
                buffer,
                "TIFF",
                save_all=True,
                append_images=frames[1:],
                compression="group4",
                dpi=(args.dpi, args.dpi // 2),
            )
        else:
            images[0].save(
                buffer, "PDF", save_all=True, append_images=images[1:], resolution=args.dpi
            )
        suffix = ".tif" if args.fax else ".pdf"
        out.append((letter.filename.replace(".txt", suffix), buffer.getvalue(), len(images)))
    return out


def folder_scans(folder: Path) -> list[tuple[str, bytes, int]]:
    from ingest import ocr
    from ingest.text import PDF_MAGIC

    out = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".tif", ".tiff")):
        data = path.read_bytes()
        if data.startswith(PDF_MAGIC):
            import pypdfium2

            count = len(pypdfium2.PdfDocument(data))
        else:
            count, _ = ocr.image_pages(data, path.name)
        out.append((path.name, data, count))
    return out


def text_path(before: str) -> None:
    """ms a letter to extract the real PDFs with text.py now and at ``before``."""
    import importlib.util

    pdfs = [
        p.read_bytes()
        for sub in ("dwc-2016", "dwc-2016-labelled")
        for p in sorted((ROOT.parent / "shared" / "letters" / sub).glob("*.pdf"))
    ]
    if not pdfs:
        print("no real PDFs in ../shared/letters: nothing to compare")
        return
    old_source = subprocess.run(
        ["git", "show", f"{before}:ingest/text.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    handle, name = tempfile.mkstemp(suffix=".py")
    os.close(handle)
    old_path = Path(name)
    old_path.write_bytes(old_source)
    spec = importlib.util.spec_from_file_location("text_before", old_path)
    assert spec and spec.loader
    old = importlib.util.module_from_spec(spec)
    sys.modules["text_before"] = old
    spec.loader.exec_module(old)
    from ingest import text as new

    best = {"before": float("inf"), "now": float("inf")}
    pair = [("before", old), ("now", new)]
    for _ in range(5):
        # Alternating which goes first: the second of a pair ran measurably faster.
        pair.reverse()
        for label, module in pair:
            t = time.process_time()
            for data in pdfs:
                module.extract_text(data, "x.pdf")
            best[label] = min(best[label], (time.process_time() - t) / len(pdfs))
    old_path.unlink()
    print(
        f"text-layer PDFs ({len(pdfs)} real letters), extraction CPU ms a letter, best of 5: "
        f"before {1000 * best['before']:.2f}, now {1000 * best['now']:.2f}"
    )


if __name__ == "__main__":
    main()
