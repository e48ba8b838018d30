"""ingest_bytes: the one parse -> save path, on real PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import DataError

from determinations.models import Determination, DisputedItem, GuidelineCitation, Reviewer
from ingest import loader
from ingest.loader import Status, ingest_bytes
from synth.pdf import text_to_pdf
from tests.loader.conftest import letter_text

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return (
        Determination.objects.count(),
        DisputedItem.objects.count(),
        GuidelineCitation.objects.count(),
    )


def test_it_saves_a_letter_with_items_citations_and_reviewer():
    result = ingest_bytes("a.txt", letter_text().encode())
    assert result.status is Status.NEW, result
    det = Determination.objects.get(pk=result.determination_id)
    assert det.case_number == "CM17-5000001"
    assert det.decision_date.isoformat() == "2017-02-10"
    assert det.review_status == "ok", det.parse_warnings
    assert det.source_file.read() == letter_text().encode()
    assert [i.outcome for i in det.items.order_by("order")] == ["upheld", "overturned"]
    norco = det.items.get(order=1)
    assert norco.ingredients == ["acetaminophen", "hydrocodone"]
    assert norco.search_vector is not None
    assert det.reviewer.licensure_states == ["CA", "NC"]
    assert sorted(s.name for s in det.reviewer.specialties.all()) == [
        "Anesthesiology",
        "Pain Management",
    ]


def test_it_changes_nothing_when_the_same_file_comes_again():
    first = ingest_bytes("a.txt", letter_text().encode())
    before = counts()
    again = ingest_bytes("copy-of-a.txt", letter_text().encode())
    assert again.status is Status.UNCHANGED
    assert again.determination_id == first.determination_id
    assert counts() == before


def test_it_keeps_a_different_file_for_a_known_case_number_as_a_conflict():
    first = ingest_bytes("a.txt", letter_text().encode())
    other = ingest_bytes("b.txt", letter_text(symptom="numbness").encode())
    assert other.status is Status.CONFLICT
    original = Determination.objects.get(pk=first.determination_id)
    conflict = Determination.objects.get(pk=other.determination_id)
    assert original.case_number == "CM17-5000001"
    assert "radicular" in original.case_summary  # not overwritten
    assert conflict.case_number is None
    assert conflict.claimed_case_number == "CM17-5000001"
    assert conflict.review_status == "conflict"
    assert any("already belongs" in w for w in conflict.parse_warnings)


def test_it_shares_one_reviewer_row_between_identical_profiles():
    ingest_bytes("a.txt", letter_text("CM17-5000001").encode())
    ingest_bytes("b.txt", letter_text("CM17-5000002").encode())
    assert Reviewer.objects.count() == 1


def test_it_reads_encrypted_pdfs_like_dwc_posts_them():
    pdf = text_to_pdf(letter_text(), encrypt=True)
    result = ingest_bytes("CM17-5000001.pdf", pdf)
    assert result.status is Status.NEW, result
    det = Determination.objects.get(pk=result.determination_id)
    assert det.items.count() == 2
    assert det.original_filename == "CM17-5000001.pdf"


def test_it_rolls_back_a_letter_that_fails_mid_save(monkeypatch):
    real = loader._items_params

    def too_long_party(*args, **kwargs):
        params = real(*args, **kwargs)
        return {
            **params,
            "citations": params["citations"].replace('"reviewer"', '"' + "x" * 99 + '"'),
        }

    # The reviewer is written by then, and the letter and its items in the statement
    # that fails (on a citation PostgreSQL refuses).
    monkeypatch.setattr(loader, "_items_params", too_long_party)
    with pytest.raises(DataError):
        ingest_bytes("a.txt", letter_text().encode())
    assert counts() == (0, 0, 0)
    assert Reviewer.objects.count() == 0


def test_it_removes_the_stored_file_when_a_save_fails(monkeypatch, media_root):
    monkeypatch.setattr(loader, "insert_letter", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        ingest_bytes("a.txt", letter_text().encode())
    stored = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert stored == []


def test_it_keeps_a_letter_it_cannot_read_items_from_flagged_with_its_text():
    text = "NOTICE OF INDEPENDENT MEDICAL REVIEW DETERMINATION\n\n1. The reviewer has determined"
    text += " the request for physical therapy is not medically necessary.\n"
    result = ingest_bytes("notice.txt", text.encode())
    assert result.status is Status.FAILED
    det = Determination.objects.get(pk=result.determination_id)
    assert det.review_status == "failed"
    assert det.layout == "notice-2013"
    assert "physical therapy" in det.full_text
    assert det.parse_error


# Bad inputs: each gets a clear message and writes nothing.
BAD_INPUTS = [
    # an empty upload
    ("empty.txt", b"", "empty"),
    # whitespace only
    ("blank.txt", b"  \n\n \t", "empty"),
    # binary junk with NUL bytes
    ("junk.txt", bytes(range(256)) * 40, "not"),
    # a PDF cut off half way through
    ("cut.pdf", text_to_pdf(letter_text())[:400], "PDF"),
    # a PDF whose only page has no text layer (a scan)
    ("scan.pdf", text_to_pdf(""), "no text"),
]


@pytest.mark.parametrize(("name", "data", "needle"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_it_refuses_unreadable_input_with_a_clear_message(name, data, needle):
    result = ingest_bytes(name, data)
    assert result.status is Status.FAILED
    assert needle.lower() in result.message.lower(), result.message
    assert counts() == (0, 0, 0)


def test_it_reads_non_utf8_text_and_says_so():
    text = letter_text().replace("lifting boxes", "lifting caf\u00e9 boxes")
    result = ingest_bytes("latin.txt", text.encode("cp1252"))
    assert result.status is Status.NEEDS_REVIEW
    det = Determination.objects.get(pk=result.determination_id)
    assert "caf\u00e9" in det.case_summary
    assert any("cp1252" in w or "encoding" in w.lower() for w in det.parse_warnings)


def test_it_refuses_a_zip_passed_as_one_letter():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("a.txt", letter_text())
    result = ingest_bytes("inner.txt", buf.getvalue())
    assert result.status is Status.FAILED


def test_its_per_process_caches_expire(monkeypatch):
    # A long-lived upload worker must see reviewer profiles edited in the admin.
    loader._REVIEWERS["x"] = Reviewer(pk=1, profile_key="x")
    loader._DRUG_WORDS.add("norco")
    monkeypatch.setattr(loader, "CACHE_SECONDS", 0.0)
    loader._expire_caches()
    assert not loader._REVIEWERS
    assert not loader._DRUG_WORDS


def test_it_prepares_the_letter_statement_once_per_connection():
    # Django connects with psycopg's prepare_threshold None, which also turns prepare=True
    # into a no-op: the letter's statement was then parsed and planned for every letter.
    from django.db import connection

    for n in range(3):
        text = letter_text(case=f"CM17-500000{n + 2}")
        assert ingest_bytes(f"{n}.txt", text.encode()).status is Status.NEW
    with connection.cursor() as cursor:
        # One prepared statement per variant (with or without new drug words), each run
        # again for the next letter: at least the three letters' runs, not one statement
        # each.
        cursor.execute(
            "SELECT count(*), sum(generic_plans + custom_plans) FROM pg_prepared_statements"
            " WHERE statement LIKE 'WITH det AS (INSERT INTO determinations_determination%%'"
        )
        statements, runs = cursor.fetchone()
        assert 1 <= statements <= 2 and runs >= 3
        cursor.execute("SELECT 1")  # an ordinary query is still never prepared
        cursor.execute("SELECT 1")
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT 1'")
        assert cursor.fetchone() == (0,)
