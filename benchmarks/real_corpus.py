"""Copies of the real DWC PDFs in ../shared under fresh case numbers, for benchmarks.

Each real letter is copied as it is (same pages, fonts, AES-128 encryption with an
empty password) except that the digits of its case number, wherever a page prints
them, become ``9`` and a six-digit serial: real case numbers start ``CM1x-0``, so a
copy never claims a real one, and every copy is a new file (new SHA-256) with a new
case number, as in the users' backlog. The copies are written to a scratch folder and
never committed; nothing of their text is printed.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SHARED_LETTERS = Path(__file__).resolve().parents[1].parent / "shared" / "letters"
FOLDERS = ("dwc-2016", "dwc-2016-labelled")
# The stem of a DWC file name is its case number.
CASE_RE = re.compile(r"^CM(\d\d)-(\d{7})$")


def real_pdfs(root: Path = SHARED_LETTERS) -> list[Path]:
    return sorted(
        p for folder in FOLDERS for p in (root / folder).glob("*.pdf") if CASE_RE.match(p.stem)
    )


@dataclass(frozen=True, slots=True)
class Copy:
    source: Path
    case_number: str
    data: bytes


def _digit_run(digits: str) -> re.Pattern[bytes]:
    """The case number's digits in a content stream, where the PDF may split them
    across the strings of a TJ array ("(00)-3.4 (13587)")."""
    gap = rb"(?:\)\s*-?[\d.]*\s*\()?"
    return re.compile(gap.join(re.escape(d.encode()) for d in digits))


class _Template:
    """One real letter, decrypted once, written again for each new case number."""

    def __init__(self, path: Path) -> None:
        import pypdf
        from pypdf.generic import ArrayObject

        self.path = path
        match = CASE_RE.match(path.stem)
        assert match is not None
        self.year, digits = match.groups()
        reader = pypdf.PdfReader(path)
        reader.decrypt("")
        self.writer = pypdf.PdfWriter(clone_from=reader)
        self.writer.encrypt(user_password="", owner_password=None, algorithm="AES-128")
        run = _digit_run(digits)
        self.streams = []
        for page in self.writer.pages:
            _give_digits_widths(page)
            contents = page["/Contents"].get_object()
            refs = list(contents) if isinstance(contents, ArrayObject) else [page["/Contents"]]
            for ref in refs:
                stream = ref.get_object()
                data = stream.get_data()
                if run.search(data):
                    self.streams.append((stream, data))
        self.run = run

    @property
    def usable(self) -> bool:
        return bool(self.streams)

    def copy(self, serial: int) -> Copy:
        new = f"9{serial:06d}".encode()

        def renumber(match: re.Match[bytes]) -> bytes:
            # Only the digits inside the strings, not the kerning numbers between them.
            digits, inside, out = iter(new), True, bytearray()
            for b in match.group(0):
                if b in b")(":
                    inside = b == ord("(")
                out.append(next(digits) if inside and 48 <= b <= 57 else b)
            return bytes(out)

        for stream, data in self.streams:
            stream.set_data(self.run.sub(renumber, data))
        out = io.BytesIO()
        self.writer.write(out)
        return Copy(self.path, f"CM{self.year}-{new.decode()}", out.getvalue())


def _give_digits_widths(page: object) -> None:
    """Fonts are subset: a digit the letter never printed has width 0, and PDFium reads
    two such digits side by side as one (it drops overlapping repeats, a fake-bold
    trick). Give them the width of the font's printed digits, so a new case number is
    laid out and read like a printed one (its missing glyphs draw nothing)."""
    from pypdf.generic import FloatObject

    fonts = page.get("/Resources", {}).get_object().get("/Font", {})  # type: ignore[attr-defined]
    for ref in fonts.get_object().values():
        font = ref.get_object()
        if "/Widths" not in font or "/FirstChar" not in font:
            continue
        widths, first = font["/Widths"].get_object(), int(font["/FirstChar"])
        codes = [c - first for c in range(48, 58) if 0 <= c - first < len(widths)]
        printed = [float(widths[i]) for i in codes if float(widths[i]) > 0]
        for i in codes:
            if printed and float(widths[i]) == 0:
                widths[i] = FloatObject(max(printed))


def _copies_of(job: tuple[Path, list[int]]) -> list[Copy]:
    path, serials = job
    template = _Template(path)
    if not template.usable:
        return []
    return [template.copy(s) for s in serials]


def build(count: int, folder: Path, workers: int = 2, first_serial: int = 1) -> list[Copy]:
    """Write ``count`` copies (cycling through the real PDFs) into ``folder`` as
    <case number>.pdf; returns them. Real letters whose case number could not be found
    in their content streams are left out (and so are their serials)."""
    sources = real_pdfs()
    if not sources:
        raise SystemExit(f"no real PDFs in {SHARED_LETTERS}/{{{','.join(FOLDERS)}}}")
    serials: dict[Path, list[int]] = {p: [] for p in sources}
    for n in range(count):
        serials[sources[n % len(sources)]].append(first_serial + n)
    copies: list[Copy] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(_copies_of, serials.items()):
            copies.extend(batch)
    folder.mkdir(parents=True, exist_ok=True)
    for c in copies:
        (folder / f"{c.case_number}.pdf").write_bytes(c.data)
    return copies
