"""The letter's page shows each reason's evidence sentence and a partial authorization's three
parts (issue 25)."""

import pytest

from ingest.loader import ingest_bytes
from tests.factories import make_determination, make_item, refresh
from tests.loader.conftest import letter_text

pytestmark = pytest.mark.django_db


def test_it_shows_why_each_reason_was_read(analyst_client):
    letter = make_determination()
    make_item(
        letter,
        reason_tags=["no-functional-improvement"],
        reason_evidence={"no-functional-improvement": "No gain in daily activities was recorded."},
    )
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert "why:</span> <mark>No gain in daily activities was recorded.</mark>" in html


def test_it_shows_the_three_parts_of_a_partial_authorization(analyst_client):
    letter = make_determination()
    make_item(
        letter,
        treatment="two massage visits",
        partial=True,
        original_request="eight massage visits",
        authorized_portion="six massage visits",
    )
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert "<dt>Disputed (remaining)</dt><dd>two massage visits</dd>" in html
    assert "<dt>Original request</dt><dd>eight massage visits</dd>" in html
    assert "<dt>Authorized portion</dt><dd>six massage visits</dd>" in html


def test_the_loader_stores_each_tags_evidence():
    from determinations.models import DisputedItem

    ingest_bytes("a.txt", letter_text().encode())
    items = list(DisputedItem.objects.all())
    assert any(item.reason_tags for item in items)
    for item in items:
        assert set(item.reason_evidence) == set(item.reason_tags)
        assert all(sentence.endswith(".") for sentence in item.reason_evidence.values())
