"""Ranking quality on the labelled real letters (../shared/letters/dwc-2016-labelled),
loaded through the ingest path as the whole corpus. See tests/similar/quality.py for what
is measured; the numbers are printed (pytest -s) for the report."""

import pytest

from tests.similar.quality import LABELLED, load_labelled, measure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_letters,
    pytest.mark.skipif(
        not (LABELLED / "items.jsonl").is_file(),
        reason=f"labelled real letters not found at {LABELLED} (../shared is absent in this clone)",
    ),
]


def test_it_finds_decisions_of_the_same_kind_on_the_labelled_real_letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_labelled()
    quality = measure()
    print(quality.line())
    assert quality.queries == 165
    # The measure: per query, the share of its top 10 in the query's gold
    # subcategory, averaged over the queries (pooled over all results too); and, for drug
    # queries, the share sharing a gold ingredient with it.
    assert quality.subcategory_precision >= 0.90
    assert quality.subcategory_pooled >= 0.90
    assert quality.ingredient_precision >= 0.90
    # Most queries find something (a query finds nothing when its kind is unique here).
    assert quality.empty <= 0.25 * quality.queries
