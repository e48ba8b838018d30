"""SampleItem and SparseSampleItem: the sample rows of the item table, kept equal to them
by triggers. The sparse sample is the dense one's items whose letter's hash is 0 modulo
SPARSE_RATE (sampling.in_sparse_sample)."""

import hashlib

import pytest
from django.db import connection

from determinations.models import (
    SAMPLE_MODELS,
    SAMPLED_COLUMNS,
    Determination,
    DisputedItem,
    SampleItem,
    SparseSampleItem,
)
from determinations.sampling import in_sparse_sample
from ingest.loader import ingest_bytes
from synth.letters import generate_letters
from tests.corpus import make_corpus

pytestmark = pytest.mark.django_db

# Every SampleItem column, as the item table names it (the key is the item's id).
COPIED = [f.attname for f in SampleItem._meta.concrete_fields if f.attname != "item_id"]


def sample_rows(model=SampleItem) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in model.objects.values_list("pk", *COPIED)}


def sampled_items(sparse: bool = False) -> dict[int, tuple]:
    rows = DisputedItem.objects.filter(sample=0).values_list("pk", "determination__sha256", *COPIED)
    return {row[0]: row[2:] for row in rows if not sparse or in_sparse_sample(row[1])}


def assert_both_samples_follow() -> None:
    assert sample_rows() == sampled_items()
    assert sample_rows(SparseSampleItem) == sampled_items(sparse=True)


def move_to_the_sparse_sample(letter_ids) -> None:
    """A hash of 0 puts a letter in both samples (its items follow on their next write)."""
    for pk in letter_ids:
        Determination.objects.filter(pk=pk).update(sha256=f"{0:08x}{pk:056x}")


def test_it_copies_every_column_of_the_sample_rows_the_loader_writes():
    for letter in generate_letters(80, seed=3):
        ingest_bytes(letter.filename, letter.text.encode())
    expected = sampled_items()
    # 80 letters, each in the sample with chance 1/32: the seed gives some.
    assert expected
    assert DisputedItem.objects.exclude(sample=0).exists()
    assert sample_rows() == expected
    assert sample_rows(SparseSampleItem) == sampled_items(sparse=True)


def in_the_sparse_sample(text: str) -> bytes:
    """The letter's file with trailing blank lines added until its hash puts it in the
    sparse sample (one file in 128 is; the parse ignores trailing blank lines)."""
    for blank_lines in range(5000):
        data = (text + "\n" * blank_lines).encode()
        if in_sparse_sample(hashlib.sha256(data).hexdigest()):
            return data
    raise AssertionError("no variant of the letter hashes into the sparse sample")


def test_the_sparse_sample_holds_the_sampled_letters_whose_hash_is_0_modulo_128():
    letters = list(generate_letters(30, seed=8))
    # Letters saved by the loader's one statement: the trigger reads the letter the same
    # statement inserted. A few are made to hash into the sparse sample.
    for n, letter in enumerate(letters):
        data = in_the_sparse_sample(letter.text) if n % 6 == 0 else letter.text.encode()
        ingest_bytes(letter.filename, data)
    assert_both_samples_follow()
    sparse = set(SparseSampleItem.objects.values_list("determination_id", flat=True))
    assert len(sparse) >= 4
    assert sparse <= set(SampleItem.objects.values_list("determination_id", flat=True))


def test_it_follows_updates_into_and_out_of_the_sample():
    make_corpus(12, seed=4)
    DisputedItem.objects.update(sample=7)
    assert not SampleItem.objects.exists()
    first = DisputedItem.objects.order_by("pk").first()
    move_to_the_sparse_sample([first.determination_id])
    DisputedItem.objects.filter(pk=first.pk).update(sample=0, category="Surgery")
    assert_both_samples_follow()
    assert SampleItem.objects.get().category == "Surgery"
    assert SparseSampleItem.objects.get().category == "Surgery"
    DisputedItem.objects.filter(pk=first.pk).update(ingredients=["tramadol"], outcome="upheld")
    assert_both_samples_follow()
    DisputedItem.objects.filter(pk=first.pk).update(sample=3)
    assert not SampleItem.objects.exists()
    assert not SparseSampleItem.objects.exists()


def test_it_forgets_deleted_items_however_they_are_deleted():
    make_corpus(10, seed=5)
    move_to_the_sparse_sample(Determination.objects.values_list("pk", flat=True)[:6])
    DisputedItem.objects.update(sample=0)
    assert SparseSampleItem.objects.exists()
    assert_both_samples_follow()
    # Through the ORM (Django's cascade from the letter).
    Determination.objects.order_by("pk").first().delete()
    assert_both_samples_follow()
    # In raw SQL, as a bulk re-parse might.
    victim = DisputedItem.objects.order_by("pk").first().pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM determinations_guidelinecitation WHERE item_id = %s", [victim])
        cursor.execute("DELETE FROM determinations_disputeditem WHERE id = %s", [victim])
    assert victim not in sample_rows()
    assert victim not in sample_rows(SparseSampleItem)
    assert_both_samples_follow()


def test_its_copy_trigger_names_exactly_the_sampled_columns():
    # The trigger's column list is frozen in a migration's SQL; the model's columns come from
    # models.SAMPLED_COLUMNS (the facet registry). They must not drift apart.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('determinations_sample_copy'::regproc)")
        (source,) = cursor.fetchone()
    for model in SAMPLE_MODELS.values():
        table = model._meta.db_table
        inserted = source.split(f"INSERT INTO {table} (", 1)[1].split(")", 1)[0]
        trigger_columns = {c.strip() for c in inserted.split(",")}
        model_columns = {f.column for f in model._meta.concrete_fields}
        assert trigger_columns == model_columns == {"id", "determination_id", *SAMPLED_COLUMNS}
