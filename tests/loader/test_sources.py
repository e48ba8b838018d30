"""iter_paths: files, folders and zip archives, with every refusal explained (no database)."""

from __future__ import annotations

import io
import zipfile

from ingest.sources import Limits, count_letters, iter_paths, iter_zip_bytes
from tests.loader.conftest import letter_text

LIMITS = Limits(max_file_bytes=1_000_000, max_archive_bytes=5_000_000, max_archive_members=50)


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def by_name(sources):
    return {s.name.split("!")[-1]: s for s in sources}


def test_it_walks_folders_in_order_and_skips_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(letter_text())
    (tmp_path / "1.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "notes.docx").write_bytes(b"ignored")
    names = [s.name for s in iter_paths([tmp_path], LIMITS)]
    assert names == [str(tmp_path / "1.pdf"), str(tmp_path / "b" / "2.txt")]


def test_it_reports_a_missing_path(tmp_path):
    [source] = iter_paths([tmp_path / "nope.txt"], LIMITS)
    assert source.data is None
    assert source.error == "no such file or folder"


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 50 * 1024 * 1024)  # a 50 MB "letter"
    [source] = iter_paths([big], Limits(max_file_bytes=20 * 1024 * 1024))
    assert source.data is None
    assert "50.0 MB" in source.error
    assert "limit is 20 MB" in source.error


def test_it_opens_zip_archives(tmp_path):
    path = tmp_path / "batch.zip"
    path.write_bytes(make_zip({"2016/a.txt": b"letter a", "b.pdf": b"%PDF-1.4"}))
    sources = by_name(iter_paths([path], LIMITS))
    assert sources["2016/a.txt"].data == b"letter a"
    assert sources["b.pdf"].data == b"%PDF-1.4"


# Archive members that must be refused, each with its reason.
HOSTILE_MEMBERS = [
    # path traversal out of the extraction folder
    ("../../etc/passwd.txt", b"x", "unsafe path"),
    # absolute path
    ("/tmp/evil.txt", b"x", "unsafe path"),
    # not a letter type
    ("macro.xlsm", b"x", "not a .pdf or .txt"),
]


def test_it_refuses_hostile_archive_members():
    data = make_zip({name: body for name, body, _ in HOSTILE_MEMBERS})
    sources = by_name(iter_zip_bytes(data, "upload.zip", LIMITS))
    for name, _, reason in HOSTILE_MEMBERS:
        source = sources[name]
        assert source.data is None
        assert reason in source.error, (name, source.error)


def test_it_refuses_a_zip_bomb_without_inflating_it():
    bomb = make_zip({"bomb.txt": b"\0" * 20_000_000})  # compresses ~1000:1
    [source] = iter_zip_bytes(bomb, "bomb.zip", LIMITS)
    assert source.data is None
    assert "zip bomb" in source.error


def test_it_stops_reading_an_archive_that_expands_past_the_limit():
    members = {f"{n}.txt": bytes([65 + n % 26]) * 900_000 for n in range(8)}
    data = make_zip(members, compression=zipfile.ZIP_STORED)
    sources = list(iter_zip_bytes(data, "big.zip", LIMITS))
    assert [s.data is not None for s in sources] == [True] * 5 + [False]
    assert "expands past" in sources[-1].error


def test_it_refuses_an_archive_with_too_many_members():
    data = make_zip({f"{n}.txt": b"x" for n in range(51)})
    [source] = iter_zip_bytes(data, "many.zip", LIMITS)
    assert "51 files" in source.error


def test_it_reports_a_corrupt_archive(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    [source] = iter_paths([path], LIMITS)
    assert source.data is None
    assert "not a readable zip" in source.error


def test_it_counts_what_it_will_yield_without_reading_the_files(tmp_path):
    # The ingest command's progress total: names and zip directories only.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(letter_text())
    (tmp_path / "1.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "notes.docx").write_bytes(b"ignored")
    (tmp_path / "batch.zip").write_bytes(make_zip({"x/": b"", "a.txt": b"a", "c.pdf": b"c"}))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    paths = [tmp_path, tmp_path / "missing.txt"]
    assert count_letters(paths) == len(list(iter_paths(paths, LIMITS))) == 6
