"""A letter's text in paragraphs (determinations/templatetags/letter_text.py: ``reflow``),
and the labels of its original file and layout. The texts are made up, shaped like the
line breaks PDF extraction leaves in real letters."""

import pytest

from determinations.querysets import MARK_START, MARK_STOP
from determinations.templatetags.letter_text import layout_name, original_format, reflow

M0, M1 = MARK_START, MARK_STOP


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        # nothing at all
        (None, []),
        ("", []),
        (" \n\n \n", []),
        # a line break inside a sentence becomes a space
        (
            "The worker was treated\nwith physical therapy.",
            ["The worker was treated with physical therapy."],
        ),
        # a sentence ending at a full-width line end does not end the paragraph
        (
            "The worker reported pain in the neck rated 7 out of 10 at the visit of\n"
            "11-9-16 and the treating physician requested therapy. The request was\n"
            "denied by utilization review.",
            [
                "The worker reported pain in the neck rated 7 out of 10 at the visit of "
                "11-9-16 and the treating physician requested therapy. The request was "
                "denied by utilization review."
            ],
        ),
        # a blank line ends a paragraph
        ("First part\nof one.\n\nSecond\npart.", ["First part of one.", "Second part."]),
        # blank lines with spaces or tabs in them too; \r\n line ends read as \n
        ("One.\r\n \t\r\nTwo.", ["One.", "Two."]),
        # a page break (form feed) inside a sentence is a line break like any other
        ("continued on the\fnext page.", ["continued on the next page."]),
        # a line ending with ":" ends its paragraph (the summary's introduction)
        (
            "The expert reviewer developed the following clinical case summary based on a\n"
            "review of the case file, including all medical records:\n"
            "The injured worker is a 53 year old male.",
            [
                "The expert reviewer developed the following clinical case summary based on "
                "a review of the case file, including all medical records:",
                "The injured worker is a 53 year old male.",
            ],
        ),
        # ... unless a list follows it: the entries keep their line breaks
        (
            "Diagnoses included:\n1. Lumbar strain.\n2. Cervical sprain.",
            ["Diagnoses included:\n1. Lumbar strain.\n2. Cervical sprain."],
        ),
        # list entries after a finished sentence keep their breaks; bullets too
        ("Requested.\n- MRI\n- Therapy", ["Requested.\n- MRI\n- Therapy"]),
        # entries ending with ";" keep their breaks; a ";" before ordinary text does not
        ("Plan:\n1. MRI;\n2. therapy.", ["Plan:\n1. MRI;\n2. therapy."]),
        ("Neck pain;\nand numbness.", ["Neck pain; and numbness."]),
        # "10." at a line start after an unfinished sentence is not a list entry
        ("Pain was rated\n10. The worker reported", ["Pain was rated 10. The worker reported"]),
        # a heading in capitals keeps its own line
        ("DIAGNOSES\nLumbar strain and\nneck pain.", ["DIAGNOSES\nLumbar strain and neck pain."]),
        # a short line ending a sentence in wrapped text ends its paragraph
        (
            "The request for Tramadol ER 150 mg #30 was non-certified by utilization review on\n"
            "the grounds stated in the report.\n"
            "An appeal followed on 12-1-2016 and was included in the records submitted for\n"
            "review.",
            [
                "The request for Tramadol ER 150 mg #30 was non-certified by utilization review "
                "on the grounds stated in the report.",
                "An appeal followed on 12-1-2016 and was included in the records submitted for "
                "review.",
            ],
        ),
        # ... but not in text whose lines are all short (nothing was wrapped there)
        ("Short line.\nAnother one.", ["Short line. Another one."]),
        # a real hyphen at the line end is kept, joined without a space
        (
            "The request was non-\ncertified on appeal.",
            ["The request was non-certified on appeal."],
        ),
        ("Seen on 11-15-\n2016 for follow-\nup.", ["Seen on 11-15-2016 for follow-up."]),
        # a broken word is mended when the letter writes the whole word elsewhere
        (
            "Prior treat-\nment failed. Further treatment is requested.",
            ["Prior treatment failed. Further treatment is requested."],
        ),
        # ... and only then: "land-based" is written nowhere as "landbased"
        (
            "Aquatic therapy was better tolerated than land-\nbased therapy.",
            ["Aquatic therapy was better tolerated than land-based therapy."],
        ),
        # a dash standing alone at the line end is a dash: joined with a space
        ("The worker -\nnow retired - appealed.", ["The worker - now retired - appealed."]),
        # search markers pass through, also on a mended word and before a colon
        (
            f"Prior {M0}treat{M1}-\nment failed; {M0}treatment{M1} continued.",
            [f"Prior {M0}treat{M1}ment failed; {M0}treatment{M1} continued."],
        ),
        (
            f"All medical {M0}records{M1}:\nThe worker is 40.",
            [f"All medical {M0}records{M1}:", "The worker is 40."],
        ),
    ],
)
def test_it_joins_hard_line_breaks_into_paragraphs(text, paragraphs):
    assert reflow(text) == paragraphs


@pytest.mark.parametrize(
    ("extractor", "label"),
    [
        # a PDF's text layer, read by PDFium or by pypdf (PDFium's fallback)
        ("pdfium", "PDF with a text layer (read by PDFium)"),
        ("pypdf", "PDF with a text layer (read by pypdf)"),
        # a plain-text letter: the encoding it was decoded with
        ("utf-8", "Plain text (UTF-8)"),
        ("cp1252", "Plain text (Windows-1252)"),
        ("latin-1", "Plain text (Latin-1)"),
        # letters saved before the extractor was kept: not guessed from the file name
        ("", "Not recorded"),
        (None, "Not recorded"),
    ],
)
def test_it_labels_the_original_by_what_read_it(extractor, label):
    assert original_format(extractor) == label


@pytest.mark.parametrize(
    ("layout", "label"),
    [
        # the 2016-2017 layout names no file format: a .txt letter has it too
        ("dwc-2016", "2016-2017 DWC letter"),
        ("dwc-2014", "2014-2015 letter"),
        ("notice-2013", "2013 notice"),
        ("unknown", "Unknown layout"),
        # a value no layout has
        ("bogus", "Unknown layout"),
    ],
)
def test_it_names_the_letter_layout(layout, label):
    assert layout_name(layout) == label
