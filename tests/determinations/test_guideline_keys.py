"""A citation's guideline keys: the item's "guideline" facet column (SQL) and the detail
page's citation chips (Python) are both built from determinations.facets.GUIDELINE_KEY_PARTS."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from determinations.facets import guideline_keys
from determinations.models import DisputedItem
from determinations.templatetags.determinations_tags import guideline_key
from ingest.loader import ingest_bytes
from synth.letters import generate_letters

DOC = "Chronic Pain Medical Treatment Guidelines"

# (source, document, section) -> its keys, shallowest first; one case per line.
CASES = [
    # All three parts: a key at each depth.
    (("MTUS", DOC, "Opioids"), ["MTUS", f"MTUS|{DOC}", f"MTUS|{DOC}|Opioids"]),
    # No section: two keys.
    (("ODG", "Pain", ""), ["ODG", "ODG|Pain"]),
    # A section without a document stops at the source (keys never skip a depth).
    (("ACOEM", "", "Chapter 12"), ["ACOEM"]),
    # A stock sentence ("none") is no guideline: no key, and its chip links nowhere.
    (("none", "", ""), []),
]


@pytest.mark.parametrize(("parts", "expected"), CASES)
def test_guideline_keys(parts, expected):
    citation = SimpleNamespace(**dict(zip(("source", "document", "section"), parts, strict=True)))
    assert guideline_keys(citation) == expected
    assert guideline_key(citation) == (expected[-1] if expected else "")


@pytest.mark.django_db
def test_its_chips_link_to_the_keys_the_guideline_facet_counts():
    for x in generate_letters(30, seed=21):
        ingest_bytes(x.filename, x.text.encode())
    items = DisputedItem.objects.prefetch_related("citations")
    with_keys = 0
    for item in items:
        citations = list(item.citations.all())
        assert set(item.guidelines) == {k for c in citations for k in guideline_keys(c)}
        for c in citations:
            key = guideline_key(c)
            assert key == "" or key in item.guidelines
            with_keys += key.count("|") == 2
    assert with_keys > 10  # section-deep keys were compared
