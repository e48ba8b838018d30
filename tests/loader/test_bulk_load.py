"""benchmarks/bulk_load.py writes by COPY the very rows the ingest path writes."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.bulk_load import create_staging, letters_between, write_chunk
from determinations.columns import CITATION_COLUMNS
from determinations.models import (
    Determination,
    DisputedItem,
    DrugName,
    GuidelineCitation,
    SampleItem,
)
from ingest.loader import ingest_bytes
from ingest.pipeline import prepare_letter
from synth.letters import generate_letters

pytestmark = pytest.mark.django_db

# Enough letters for every layout, partial decisions, drugs and a sampled letter.
COUNT = 80
SEED = 11
# Not compared: keys and timestamps, and the stored file (the bulk load stores none).
SKIP = {"id", "created_at", "updated_at", "source_file", "determination", "item"}


def _values(model: Any, order: list[str], **extra: Any) -> list[dict[str, Any]]:
    names = [f.attname for f in model._meta.concrete_fields if f.name not in SKIP]
    names = [n for n in names if n not in ("determination_id", "item_id")]
    rows = model.objects.annotate(**extra).order_by(*order).values(*names, *extra)
    return [
        {k: str(v) if k in ("search_vector", "request_vector") else v for k, v in r.items()}
        for r in rows
    ]


def _snapshot() -> dict[str, Any]:
    from django.db.models import F

    return {
        "letters": _values(Determination, ["sha256"]),
        "items": _values(
            DisputedItem, ["letter_sha", "order"], letter_sha=F("determination__sha256")
        ),
        "citations": _values(
            GuidelineCitation,
            ["letter_sha", "item_order", "id"],
            letter_sha=F("item__determination__sha256"),
            item_order=F("item__order"),
        ),
        "sample": sorted(SampleItem.objects.values_list("determination__sha256", "item__order")),
        "drug_names": sorted(DrugName.objects.values_list("name", flat=True)),
    }


def test_it_generates_the_same_letters_as_generate_letters():
    whole = [x.text for x in generate_letters(30, seed=SEED)]
    assert [x.text for x in letters_between(SEED, 10, 30)] == whole[10:]


def test_it_writes_the_rows_the_ingest_path_writes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letters = list(generate_letters(COUNT, seed=SEED))
    for x in letters:
        ingest_bytes(x.filename, x.text.encode())
    by_ingest = _snapshot()
    assert len(by_ingest["letters"]) > COUNT * 0.9
    assert by_ingest["sample"], "no sampled letter: raise COUNT"
    # The columns computed from the citations (determinations.columns) are compared too:
    # some items must have something in them for that to mean anything.
    for column in CITATION_COLUMNS:
        values = {tuple(i[column]) for i in by_ingest["items"]}
        assert len(values) > 2, (column, values)

    DisputedItem.objects.all().delete()
    Determination.objects.all().delete()
    DrugName.objects.all().delete()
    create_staging()
    written, items = write_chunk(
        [prepare_letter(x.filename, x.text.encode()) for x in letters], set()
    )
    assert written == len(by_ingest["letters"])
    assert items == len(by_ingest["items"])

    by_copy = _snapshot()
    for key in by_ingest:
        assert by_copy[key] == by_ingest[key], key


def test_it_keeps_an_index_for_every_lookup_by_parent_through_the_load():
    # The load drops the declared indexes and builds them at the end. Migration 0013 dropped
    # the foreign keys' own indexes where a declared index leads with the same column, so
    # dropping that index too left the refresh's per-item citation lookups reading the whole
    # citation table: a 1,000,000-letter build stalled in its first chunk.
    from django.apps import apps
    from django.db.models import UniqueConstraint

    from benchmarks.bulk_load import BULK_MODELS, _declared_indexes

    dropped = {index.name for _, index in _declared_indexes()}
    for model in (apps.get_model("determinations", name) for name in BULK_MODELS):
        for field in model._meta.fields:
            if not field.many_to_one or field.db_index:
                continue
            kept = [
                i.name
                for i in model._meta.indexes
                if i.fields and i.fields[0] == field.name and i.condition is None
            ] + [
                c.name
                for c in model._meta.constraints
                if isinstance(c, UniqueConstraint) and c.fields and c.fields[0] == field.name
            ]
            assert set(kept) - dropped, f"{model.__name__}.{field.name} has no index in the load"
    assert "citation_item_order" not in dropped and "item_search_gin" in dropped
