"""Template helpers of a letter's page: its text in paragraphs, and what its original is.

A letter's sections are stored as the PDF printed them: lines broken at the page width,
paragraphs rarely separated by a blank line. ``reflow`` joins the broken lines back into
paragraphs so the page reads like prose; the stored text is never changed (the search
vector, the CSV and the re-parse read it as extracted).
"""

from __future__ import annotations

import itertools
import re

from django import template

from determinations.choices import Layout
from determinations.querysets import MARK_START, MARK_STOP

register = template.Library()

# A line that starts a list entry keeps its line break: "1. Norco 10/325 mg", "2) MRI",
# "a. Lumbar", "- Physical therapy", "• Acupuncture". Two digits at most: "2016. The" is
# a year ending a sentence, not entry 2016.
LIST_ENTRY_RE = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[-\u2022*\u00b7\u25aa\u25e6])\s")
# A heading alone on its line, in capitals: "DIAGNOSES", "CURRENT MEDICATIONS".
HEADING_RE = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")
# A line that ends a sentence: "...was authorized." / "...(page 12)." / "...noted?"
SENTENCE_END_RE = re.compile(r"[.?!][\"')\]]?$")
# A word broken at the line end, the break after its hyphen: "land-" + "based ...".
BROKEN_WORD_RE = re.compile(r"([A-Za-z]+)-$")
FIRST_WORD_RE = re.compile(r"^([a-z]+)")
WORD_RE = re.compile(r"[a-z]+")
# A line shorter than this share of the paragraph's longest line, ending a sentence, ends
# its paragraph ("...was authorized." then a new paragraph on the next line). Only in
# wrapped text: a paragraph whose longest line is shorter than WRAPPED_WIDTH is left alone.
SHORT_LINE_SHARE = 0.6
WRAPPED_WIDTH = 60
_MARKS = str.maketrans("", "", MARK_START + MARK_STOP)


def reflow(text: str | None) -> list[str]:
    """The paragraphs of ``text`` with the extractor's hard line breaks joined.

    A line break inside a sentence becomes a space; a hyphen at a line end is kept (DWC
    letters break lines at real hyphens: "non-\\ncertified", "11-15-\\n2016") and joined
    without a space, and dropped only when the joined word is written whole elsewhere in
    the text ("treat-\\nment" where "treatment" also occurs). Blank lines and a short
    line ending a sentence end a paragraph; a line ending with ":" ends one unless a list
    follows. List entries and capitalised headings keep their line breaks, returned as
    "\\n" inside a paragraph (the page shows them with ``linebreaksbr``).

    Search markers (``querysets.MARK_START``/``MARK_STOP``) pass through untouched.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    words = set(WORD_RE.findall(text.translate(_MARKS).lower()))
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            out.extend(_reflow_block(lines, words))
    return out


def _reflow_block(lines: list[str], words: set[str]) -> list[str]:
    widest = max(len(line.translate(_MARKS)) for line in lines)
    paragraphs: list[str] = []
    current = lines[0]
    for previous, line in itertools.pairwise(lines):
        before, after = previous.translate(_MARKS), line.translate(_MARKS)
        starts_list = LIST_ENTRY_RE.match(after) is not None
        if before.endswith(":"):
            if starts_list:
                current += "\n" + line
            else:
                paragraphs.append(current)
                current = line
        elif (starts_list and (SENTENCE_END_RE.search(before) or before.endswith(";"))) or (
            HEADING_RE.match(before) or HEADING_RE.match(after)
        ):
            current += "\n" + line
        elif (
            widest >= WRAPPED_WIDTH
            and SENTENCE_END_RE.search(before)
            and len(before) < SHORT_LINE_SHARE * widest
        ):
            paragraphs.append(current)
            current = line
        else:
            current = _join(current, line, before, after, words)
    paragraphs.append(current)
    return paragraphs


def _join(current: str, line: str, before: str, after: str, words: set[str]) -> str:
    """``current`` continued by ``line`` (``before``/``after``: the two lines unmarked)."""
    if not before.endswith("-") or before.endswith(" -") or before.endswith("--"):
        return f"{current} {line}"
    broken, rest = BROKEN_WORD_RE.search(before), FIRST_WORD_RE.match(after)
    if broken and rest:
        left, right = broken.group(1).lower(), rest.group(1)
        if left + right in words and current.endswith("-"):
            return current[:-1] + line
    return current + line


@register.filter(name="reflow")
def reflow_filter(text: str | None) -> list[str]:
    """``reflow`` for templates: ``{% for para in letter.case_summary|reflow %}``."""
    return reflow(text)


# What the original file is, from the extractor that read it (Determination.text_extractor,
# written by the loader): PDFium or pypdf read a PDF's text layer; any other value is the
# encoding a plain-text file was decoded with (ingest.text).
PDF_EXTRACTORS = {"pdfium": "PDFium", "pypdf": "pypdf"}
# Scans (ingest.ocr): read by Tesseract, wholly or the pages without a text layer, or kept
# until Tesseract is installed (ingest.pipeline.WAITING_FOR_OCR).
OCR_EXTRACTORS = {
    "ocr": "Scan, read by OCR (Tesseract)",
    "pdfium+ocr": "PDF, partly scanned: text layer read by PDFium, scanned pages by OCR "
    "(Tesseract)",
    "ocr-waiting": "Scan, waiting for OCR (Tesseract is not installed here)",
}
TEXT_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}

# The letter's layout, as a layout: choices.Layout's label of dwc-2016 ("2016-2017 DWC
# PDF") names a file format, which the original may not be (a .txt letter has that
# layout too). Changing the label there changes the field's choices, a migration.
LAYOUT_NAMES = {Layout.DWC_2016.value: "2016-2017 DWC letter"}


@register.filter
def original_format(extractor: str | None) -> str:
    """What the original file is: "PDF with a text layer (read by PDFium)", "Plain text
    (UTF-8)", or "Not recorded" for letters saved before the extractor was kept."""
    extractor = extractor or ""
    if extractor in OCR_EXTRACTORS:
        return OCR_EXTRACTORS[extractor]
    if extractor in PDF_EXTRACTORS:
        return f"PDF with a text layer (read by {PDF_EXTRACTORS[extractor]})"
    if extractor:
        return f"Plain text ({TEXT_ENCODINGS.get(extractor, extractor)})"
    return "Not recorded"


@register.filter
def layout_name(layout: str | None) -> str:
    """The letter layout's name ("2016-2017 DWC letter", "2014-2015 letter")."""
    member = Layout.parse(layout) or Layout.UNKNOWN
    return LAYOUT_NAMES.get(member.value, str(member.label))
