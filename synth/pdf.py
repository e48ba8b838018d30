"""Render letter text into a PDF like the ones DWC posts (for tests, demo data, benchmarks).

A small, dependency-light PDF writer: Helvetica text, one line per text line, pages
split on form feeds or every ``lines_per_page`` lines. ``encrypt=True`` applies AES
with an empty user password, as on the real DWC PDFs. Pure Python; no Django.
"""

from __future__ import annotations

import io

LINE_HEIGHT = 12
TOP = 760
LEFT = 56


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _paginate(text: str, lines_per_page: int) -> list[list[str]]:
    pages: list[list[str]] = []
    for chunk in text.replace("\r\n", "\n").split("\f"):
        lines = chunk.split("\n")
        for start in range(0, max(len(lines), 1), lines_per_page):
            pages.append(lines[start : start + lines_per_page])
    return pages or [[""]]


def text_to_pdf(text: str, *, encrypt: bool = False, lines_per_page: int = 58) -> bytes:
    pages = _paginate(text, lines_per_page)
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        ops = [b"BT", b"/F1 10 Tf", f"{LEFT} {TOP} Td".encode(), f"{LINE_HEIGHT} TL".encode()]
        ops += [b"(" + _escape(line) + b") '" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] " % pages_obj
                + b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, catalog))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    data = out.getvalue()
    return _encrypt(data) if encrypt else data


def _encrypt(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # As on DWC's PDFs: anyone may open it (empty user password), AES-encrypted.
    writer.encrypt(
        user_password="",
        owner_password="synthetic-owner",  # noqa: S106 - not a secret
        algorithm="AES-128",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
