"""The loader writes the items' search columns exactly as the SQL refresh computes them.

Both run the declarations of determinations.columns (LETTER_COLUMNS, CITATION_COLUMNS) and
determinations.search (search_vector_sql, drug_words); these tests hold the loader's rows to
the refresh's, and the refresh's to what the columns mean.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.db import connection

from determinations.columns import CITATION_COLUMNS, LETTER_COLUMNS
from determinations.models import Determination, DisputedItem, DrugName
from determinations.sampling import sample_of
from determinations.search import drug_words, record_drug_names, refresh_search_vectors
from ingest import loader
from ingest.loader import ingest_bytes, save_items, save_prepared
from ingest.pipeline import prepare_letter
from synth.letters import generate_letters
from tests.factories import make_reviewer

pytestmark = pytest.mark.django_db

# Every denormalised column, from the declarations themselves: a new one is compared too.
COLUMNS = ["search_vector", "request_vector", *LETTER_COLUMNS, *CITATION_COLUMNS]


def snapshot() -> dict[int, dict]:
    rows = DisputedItem.objects.order_by("pk").values("pk", *COLUMNS)
    # Array order follows the database's collation in SQL and code points in Python;
    # the facets read them as sets.
    return {
        r["pk"]: {
            k: sorted(v)
            if isinstance(v, list)
            else str(v)
            if k in ("search_vector", "request_vector")
            else v
            for k, v in r.items()
        }
        for r in rows
    }


def ingest_generated(count: int, seed: int) -> list[int]:
    return [
        ingest_bytes(x.filename, x.text.encode()).determination_id
        for x in generate_letters(count, seed=seed)
    ]


def test_it_writes_the_search_columns_the_refresh_would():
    ids = ingest_generated(40, seed=11)
    as_inserted = snapshot()
    assert len(as_inserted) > 60
    assert all(row["search_vector"] not in ("", "None") for row in as_inserted.values())
    # Each column varies across the items, so that equal means something (review status
    # too, in test_it_rewrites_a_letters_items_from_the_stored_letter).
    for column in set(COLUMNS) - {"review_status"}:
        values = {repr(row[column]) for row in as_inserted.values()}
        assert len(values) > 1, column
    refresh_search_vectors(connection, ids)
    assert snapshot() == as_inserted


def test_its_letter_columns_are_the_letters_and_reviewers_values():
    # Loader and refresh could agree and both be wrong: read the sources in Python.
    ingest_generated(20, seed=14)
    items = DisputedItem.objects.select_related("determination__reviewer")
    for item in items:
        det = item.determination
        reviewer = det.reviewer
        assert item.decision_date == det.decision_date
        assert item.decision_year == (det.decision_date.year if det.decision_date else None)
        assert item.date_of_injury == det.date_of_injury
        assert item.review_status == det.review_status
        assert item.sample == sample_of(det.sha256)
        if reviewer is None:
            assert (item.specialties, item.licensure_states) == ([], [])
        else:
            names = sorted(reviewer.specialties.values_list("name", flat=True))
            assert sorted(item.specialties) == names
            assert sorted(item.licensure_states) == sorted(reviewer.licensure_states)


def test_its_vector_weighs_each_text_as_the_search_expects():
    ingest_generated(10, seed=15)
    # The lexemes of each text are in the vector with its weight: A the treatment, heading
    # and drug; B the citations; C the rationale; D the letter's case summary.
    texts = {
        "a": "concat_ws(' ', i.treatment, i.heading, i.brand, array_to_string(i.ingredients, ' '))",
        "b": "(SELECT string_agg(concat_ws(' ', c.source, c.document, c.section), ' ')"
        " FROM determinations_guidelinecitation AS c WHERE c.item_id = i.id)",
        "c": "i.rationale",
        "d": "d.case_summary",
    }
    with connection.cursor() as cursor:
        for weight, text in texts.items():
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE NOT"
                f" tsvector_to_array(ts_filter(i.search_vector, '{{{weight}}}'))"
                f" @> tsvector_to_array(to_tsvector('english', coalesce({text}, ''))))"
                f" , count(*) FILTER (WHERE to_tsvector('english', coalesce({text}, '')) <> '')"
                " FROM determinations_disputeditem AS i"
                " JOIN determinations_determination AS d ON d.id = i.determination_id"
            )
            items, missing, with_text = cursor.fetchone()
            assert items > 10 and with_text > 10, weight
            assert missing == 0, weight


def test_it_rewrites_a_letters_items_from_the_stored_letter():
    # save_items (the re-parse) reads the letter row as stored, not the parse: here a
    # reviewer corrected by hand and a decision date edited.
    for x in generate_letters(3, seed=16):
        ingest_bytes(x.filename, x.text.encode())
    det = Determination.objects.filter(items__isnull=False).order_by("pk").first()
    det.reviewer = make_reviewer(("Orthopedic Surgery", "Pain Medicine"), ("NV", "AZ"))
    det.decision_date = date(2015, 12, 31)
    det.review_status = "needs_review"
    det.save()
    x = next(x for x in generate_letters(3, seed=16) if x.filename == det.original_filename)
    save_items(det, prepare_letter(x.filename, x.text.encode()).parsed, replace=True)
    item = det.items.order_by("order").first()
    assert item.decision_year == 2015
    assert item.review_status == "needs_review"
    assert sorted(item.specialties) == ["Orthopedic Surgery", "Pain Medicine"]
    assert sorted(item.licensure_states) == ["AZ", "NV"]
    as_written = snapshot()
    refresh_search_vectors(connection, [det.pk])
    assert snapshot() == as_written


def drug_names() -> set[str]:
    return set(DrugName.objects.values_list("name", flat=True))


def test_it_records_the_drug_words_the_refresh_would():
    ids = ingest_generated(40, seed=12)
    as_inserted = drug_names()
    assert len(as_inserted) > 10
    DrugName.objects.all().delete()
    record_drug_names(connection, ids)
    assert drug_names() == as_inserted


def with_brand(prepared, brand: str):
    """``prepared`` with the first drug's brand (as written) replaced by ``brand``."""
    parsed = prepared.parsed
    n = next(n for n, item in enumerate(parsed.items) if item.medication)
    item = parsed.items[n]
    item = dataclasses.replace(item, medication=dataclasses.replace(item.medication, brand=brand))
    items = (*parsed.items[:n], item, *parsed.items[n + 1 :])
    return dataclasses.replace(prepared, parsed=dataclasses.replace(parsed, items=items))


def test_it_records_a_non_ascii_brand_as_the_refresh_would():
    # Python computes the words for both (the loader used to leave non-ASCII text to
    # PostgreSQL, whose lower() may differ): loader and refresh agree on it.
    x = next(x for x in generate_letters(20, seed=12) if "Lyrica" in x.text)
    data = x.text.encode()
    prepared = with_brand(prepare_letter(x.filename, data), "Lyrica® Gésicrème-Ñeurontin")
    result = save_prepared(prepared, data)
    as_inserted = drug_names()
    assert {"lyrica", "sicr", "eurontin"} <= as_inserted
    DrugName.objects.all().delete()
    record_drug_names(connection, [result.determination_id])
    assert drug_names() == as_inserted


def medication_words(parsed) -> set[str]:
    return set().union(
        *(
            drug_words(i.medication.ingredients, i.medication.brand)
            for i in parsed.items
            if i.medication
        )
    )


def test_it_skips_the_drug_words_this_process_has_seen(monkeypatch):
    prepared = [prepare_letter(x.filename, x.text.encode()) for x in generate_letters(20, seed=17)]
    first, second = [p for p in prepared if medication_words(p.parsed)][:2]
    known = medication_words(first.parsed)
    monkeypatch.setattr(loader, "_DRUG_WORDS", set(known))
    save_prepared(first, b"first")
    assert drug_names() == set()
    # A letter with a word not seen yet inserts its words.
    monkeypatch.setattr(loader, "_DRUG_WORDS", set())
    save_prepared(second, b"second")
    assert drug_names() == medication_words(second.parsed)


# drug_words(ingredients, brand as written) -> the DrugName words, one case per line.
DRUG_WORDS = [
    # Ingredients as they are; the brand lowercase, split at anything but a-z.
    ((("acetaminophen", "hydrocodone"), "Norco 10/325"), {"acetaminophen", "hydrocodone", "norco"}),
    # Words under four letters are dropped (too short to correct a typo towards).
    ((("tramadol",), "Ultram ER"), {"tramadol", "ultram"}),
    # Letters outside a-z split a word, as they always did in SQL.
    ((("pregabalin",), "Lyrica® Gésicrème"), {"pregabalin", "lyrica", "sicr"}),
    # No drug as written: the ingredients alone.
    ((("baclofen",), ""), {"baclofen"}),
    # Cut to DrugName's 80 characters.
    (((), "a" * 100), {"a" * 80}),
]


@pytest.mark.parametrize(("args", "expected"), DRUG_WORDS)
def test_drug_words(args, expected):
    assert drug_words(*args) == expected
