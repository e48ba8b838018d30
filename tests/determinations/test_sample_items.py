"""SampleItem: the sample rows of the item table, kept equal to them by triggers."""

import pytest
from django.db import connection

from determinations.models import SAMPLED_COLUMNS, Determination, DisputedItem, SampleItem
from ingest.loader import ingest_bytes
from synth.letters import generate_letters
from tests.corpus import make_corpus

pytestmark = pytest.mark.django_db

# Every SampleItem column, as the item table names it (the key is the item's id).
COPIED = [f.attname for f in SampleItem._meta.concrete_fields if f.attname != "item_id"]


def sample_rows() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in SampleItem.objects.values_list("pk", *COPIED)}


def sampled_items() -> dict[int, tuple]:
    rows = DisputedItem.objects.filter(sample=0).values_list("pk", *COPIED)
    return {row[0]: row[1:] for row in rows}


def test_it_copies_every_column_of_the_sample_rows_the_loader_writes():
    for letter in generate_letters(80, seed=3):
        ingest_bytes(letter.filename, letter.text.encode())
    expected = sampled_items()
    # 80 letters, each in the sample with chance 1/32: the seed gives some.
    assert expected
    assert DisputedItem.objects.exclude(sample=0).exists()
    assert sample_rows() == expected


def test_it_follows_updates_into_and_out_of_the_sample():
    make_corpus(12, seed=4)
    DisputedItem.objects.update(sample=7)
    assert not SampleItem.objects.exists()
    first = DisputedItem.objects.order_by("pk").first()
    DisputedItem.objects.filter(pk=first.pk).update(sample=0, category="Surgery")
    assert sample_rows() == sampled_items()
    assert SampleItem.objects.get().category == "Surgery"
    DisputedItem.objects.filter(pk=first.pk).update(ingredients=["tramadol"], outcome="upheld")
    assert sample_rows() == sampled_items()
    DisputedItem.objects.filter(pk=first.pk).update(sample=3)
    assert not SampleItem.objects.exists()


def test_it_forgets_deleted_items_however_they_are_deleted():
    make_corpus(10, seed=5)
    DisputedItem.objects.update(sample=0)
    assert sample_rows() == sampled_items()
    # Through the ORM (Django's cascade from the letter).
    Determination.objects.order_by("pk").first().delete()
    assert sample_rows() == sampled_items()
    # In raw SQL, as a bulk re-parse might.
    victim = DisputedItem.objects.order_by("pk").first().pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM determinations_guidelinecitation WHERE item_id = %s", [victim])
        cursor.execute("DELETE FROM determinations_disputeditem WHERE id = %s", [victim])
    assert victim not in sample_rows()
    assert sample_rows() == sampled_items()


def test_its_copy_trigger_names_exactly_the_sampled_columns():
    # The trigger's column list is frozen in a migration's SQL; the model's columns come from
    # models.SAMPLED_COLUMNS (the facet registry). They must not drift apart.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('determinations_sample_copy'::regproc)")
        (source,) = cursor.fetchone()
    inserted = source.split("INSERT INTO determinations_sampleitem (", 1)[1].split(")", 1)[0]
    trigger_columns = {c.strip() for c in inserted.split(",")}
    model_columns = {f.column for f in SampleItem._meta.concrete_fields}
    assert trigger_columns == model_columns == {"id", "determination_id", *SAMPLED_COLUMNS}
