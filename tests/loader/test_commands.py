"""The parse_letters and ingest management commands."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from determinations.models import Determination, DisputedItem
from synth.pdf import text_to_pdf
from tests.loader.conftest import letter_text

REQUIRED_KEYS = {
    "path",
    "layout",
    "case_number",
    "date_assigned",
    "decision_date",
    "date_of_injury",
    "ur_denial_date",
    "application_received",
    "priority",
    "reviewer",
    "patient",
    "items",
    "warnings",
    "error",
}
ITEM_KEYS = {"heading", "treatment", "outcome", "partial", "category", "drugs", "citations"}
CITATION_KEYS = {"party", "source", "document", "section", "pages"}


@pytest.fixture
def letters(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "one.txt").write_text(letter_text("CM17-5000001"))
    (folder / "two.pdf").write_bytes(text_to_pdf(letter_text("CM17-5000002"), encrypt=True))
    return folder


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_one_json_object_per_letter_without_a_database(letters):
    out, _ = run("parse_letters", str(letters))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["case_number"] for r in records] == ["CM17-5000001", "CM17-5000002"]
    for record in records:
        assert record.keys() >= REQUIRED_KEYS
        assert record["error"] is None
        assert record["reviewer"] == {
            "specialties": ["Pain Management", "Anesthesiology"],
            "licensure_states": ["CA", "NC"],
        }
        assert record["patient"] == {"age": 47, "sex": "female"}
        assert record["application_received"] == "2016-12-28"
        for item in record["items"]:
            assert item.keys() >= ITEM_KEYS
            for citation in item["citations"]:
                assert citation.keys() >= CITATION_KEYS
    assert records[0]["items"][0]["drugs"] == ["acetaminophen", "hydrocodone"]


def test_it_exits_non_zero_when_a_letter_cannot_be_read(letters):
    (letters / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CommandError) as excinfo:
        run("parse_letters", str(letters))
    assert excinfo.value.returncode == 1


@pytest.mark.django_db
def test_it_ingests_folders_and_is_idempotent(letters):
    out, _ = run("ingest", str(letters), "--quiet")
    assert "2 new" in out
    assert Determination.objects.count() == 2
    out, _ = run("ingest", str(letters), "--quiet")
    assert "2 unchanged" in out
    assert Determination.objects.count() == 2
    assert DisputedItem.objects.count() == 4


@pytest.mark.django_db
def test_it_ingests_zip_archives_and_reports_refused_members(tmp_path):
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", letter_text("CM17-5000001"))
        archive.writestr("../escape.txt", letter_text("CM17-5000002"))
    with pytest.raises(CommandError):
        run("ingest", str(path), "--quiet")
    assert list(Determination.objects.values_list("case_number", flat=True)) == ["CM17-5000001"]


@pytest.mark.django_db(transaction=True)
def test_it_parses_in_worker_processes(letters):
    for n in range(3, 9):
        (letters / f"{n}.txt").write_text(letter_text(f"CM17-500000{n}"))
    out, _ = run("ingest", str(letters), "--workers", "2", "--quiet")
    assert "8 new" in out
    assert Determination.objects.count() == 8


@pytest.mark.django_db
def test_it_summarises_failures_and_exits_non_zero(letters):
    (letters / "empty.txt").write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("ingest", str(letters), "--quiet", stdout=out)
    assert excinfo.value.returncode == 1
    assert "1 failed" in out.getvalue()
    assert "empty.txt: empty file" in out.getvalue()
    assert Determination.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_reads_letters_only_as_the_workers_need_them():
    # A backlog of a million PDFs must never be read into memory at once: ingest_all
    # pulls from its iterable at most workers x QUEUED_PER_WORKER chunks ahead.
    from ingest.loader import CHUNK, QUEUED_PER_WORKER, ingest_all

    pulled = 0

    def letters():
        nonlocal pulled
        for n in range(120):
            pulled += 1
            yield f"{n}.txt", letter_text(f"CM17-5{n:06d}").encode()

    results = ingest_all(letters(), workers=2)
    first = next(results)
    assert pulled <= (2 * QUEUED_PER_WORKER + 1) * CHUNK < 120
    rest = list(results)
    assert [r.name for r in [first, *rest]] == [f"{n}.txt" for n in range(120)]
    assert {r.status.value for r in [first, *rest]} == {"new"}
    assert Determination.objects.count() == 120


@pytest.mark.django_db
def test_it_lists_refused_files_among_the_letters_and_counts_them(letters):
    (letters / "empty.txt").write_bytes(b"")
    (letters / "notes.zip").write_bytes(b"PK\x03\x04 not really a zip")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(letters), "--quiet", stdout=out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("4 letters in ")
    assert "2 new" in first and "2 failed" in first
    assert "notes.zip: not a readable zip archive" in out.getvalue()
