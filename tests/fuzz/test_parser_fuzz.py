"""Fuzzing the extract -> parse path with mutated letters in every real layout.

The seeds are the committed synthetic golden letters (tests/ingest/letters/*.txt). Each
example applies a few mutations -- shuffled paragraphs, truncation, duplicated sections,
random bytes, huge lines, dropped lines -- and checks that ``prepare_letter`` (what the
ingest command and the upload worker run on every file) never raises, and that whenever
the result is missing something a complete letter has, it says so in a warning or error.

Examples per test: 300 by default (CI); ``HYPOTHESIS_PROFILE=thorough`` runs 5,000.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.letter import Layout, ParsedLetter
from ingest.pipeline import prepare_letter

SEEDS = sorted((Path(__file__).parents[1] / "ingest" / "letters").glob("*.txt"))
TEXTS = [p.read_bytes() for p in SEEDS]

settings.register_profile(
    "default",
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=5000)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))

# Every layout the parser reads (2013 notices since parser 1.3.0).
READ_LAYOUTS = {Layout.DWC_2016, Layout.DWC_2014, Layout.NOTICE_2013}


def paragraphs(data: bytes) -> list[bytes]:
    return data.split(b"\n\n")


@st.composite
def mutation(draw, data: bytes) -> bytes:
    kind = draw(
        st.sampled_from(
            [
                "shuffle",
                "truncate",
                "duplicate",
                "random_bytes",
                "huge_line",
                "drop_lines",
                "swap_case",
                "splice_other",
            ]
        )
    )
    parts = paragraphs(data)
    if kind == "shuffle":
        return b"\n\n".join(draw(st.permutations(parts)))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "duplicate":
        start = draw(st.integers(0, len(parts) - 1))
        end = draw(st.integers(start, len(parts)))
        at = draw(st.integers(0, len(parts)))
        return b"\n\n".join(parts[:at] + parts[start:end] + parts[at:])
    if kind == "random_bytes":
        at = draw(st.integers(0, len(data)))
        noise = draw(st.binary(min_size=1, max_size=200))
        return data[:at] + noise + data[at:]
    if kind == "huge_line":
        at = draw(st.integers(0, len(data)))
        unit = draw(st.sampled_from([b"x", b"Upheld ", b": ", b"MTUS ", b"#120 ", b"\t", b"("]))
        return data[:at] + unit * draw(st.integers(10_000, 300_000)) + data[at:]
    if kind == "drop_lines":
        lines = data.split(b"\n")
        keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        return b"\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    if kind == "swap_case":
        return data.swapcase()
    other = draw(st.sampled_from(TEXTS))
    return data[: draw(st.integers(0, len(data)))] + other[draw(st.integers(0, len(other))) :]


@st.composite
def mutated_letters(draw) -> tuple[str, bytes]:
    index = draw(st.integers(0, len(TEXTS) - 1))
    data = TEXTS[index]
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return SEEDS[index].name, data


def missing(parsed: ParsedLetter) -> list[str]:
    """What a complete letter of a read layout has and this one lacks."""
    gaps = []
    if parsed.layout not in READ_LAYOUTS:
        gaps.append("layout")
    if not parsed.items:
        gaps.append("items")
    if parsed.decision_date is None and parsed.layout is Layout.DWC_2016:
        gaps.append("decision date")
    if parsed.case_number is None and parsed.layout is Layout.DWC_2016:
        gaps.append("case number")
    if parsed.date_of_injury is None:
        gaps.append("date of injury")
    return gaps


def check(name: str, data: bytes) -> None:
    prepared = prepare_letter(name, data)  # must not raise
    if prepared.parsed is None:
        assert prepared.error, "no text and no reason given"
        return
    parsed = prepared.parsed
    failures = [w for w in parsed.warnings if w.startswith("parser failure")]
    assert not failures, failures
    gaps = missing(parsed)
    if gaps:
        assert parsed.warnings or parsed.error, f"{gaps} missing without a warning"


def test_the_seeds_themselves_parse():
    assert len(TEXTS) >= 20
    for seed, data in zip(SEEDS, TEXTS, strict=True):
        prepared = prepare_letter(seed.name, data)
        assert prepared.parsed is not None, seed


@given(mutated_letters())
def test_mutated_letters_never_break_the_parser(letter):
    check(*letter)


@given(st.binary(max_size=5000))
def test_random_bytes_never_break_extraction(data):
    check("random.txt", data)


@given(st.sampled_from(TEXTS), st.binary(min_size=1, max_size=64))
def test_a_pdf_header_on_letter_text_is_refused_or_read(data, noise):
    # Claims to be a PDF but is not one: extraction must refuse it with a reason.
    check("fake.pdf", b"%PDF-1.7\n" + noise + data)
