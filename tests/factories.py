"""Small factory functions for letters, items and citations, saved through the ORM.

Call ``refresh(letters)`` after creating items and citations, as the loader does, so
the search vectors and the denormalised facet columns exist.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Any

from django.db import connection

from determinations.models import (
    Determination,
    DisputedItem,
    GuidelineCitation,
    Reviewer,
    Specialty,
)
from determinations.search import refresh_search_vectors

_seq = itertools.count(1)


def make_reviewer(specialties: tuple[str, ...] = ("Pain Medicine",), states=("CA",)) -> Reviewer:
    reviewer, created = Reviewer.objects.get_or_create(
        profile_key=Reviewer.key_for(specialties, states),
        defaults={"licensure_states": sorted(states)},
    )
    if created:
        reviewer.specialties.set([Specialty.objects.get_or_create(name=s)[0] for s in specialties])
    return reviewer


def make_determination(**overrides: Any) -> Determination:
    n = next(_seq)
    fields: dict[str, Any] = {
        "case_number": f"CM16-{n:07d}",
        "sha256": hashlib.sha256(f"letter-{n}".encode()).hexdigest(),
        "decision_date": date(2016, 5, 1),
        "date_of_injury": date(2012, 3, 4),
        "layout": "dwc-2016",
        "case_summary": "The injured worker is a 45 year old with chronic low back pain.",
    }
    if "reviewer" not in overrides:
        fields["reviewer"] = make_reviewer()
    fields.update(overrides)
    return Determination.objects.create(**fields)


def make_item(determination: Determination, **overrides: Any) -> DisputedItem:
    order = overrides.pop("order", None) or determination.items.count() + 1
    fields: dict[str, Any] = {
        "heading": "Physical therapy 12 sessions",
        "treatment": "Physical therapy 12 sessions",
        "outcome": "upheld",
        "rationale": "The guidelines recommend a fading of treatment frequency.",
        "category": "Physical Medicine",
    }
    fields.update(overrides)
    return DisputedItem.objects.create(determination=determination, order=order, **fields)


def make_drug_item(determination: Determination, drug: str = "hydrocodone", **overrides: Any):
    fields: dict[str, Any] = {
        "heading": f"{drug.capitalize()} 10 mg #60",
        "treatment": f"{drug.capitalize()} 10 mg #60",
        "category": "Pharmaceuticals",
        "subcategory": "Opioids",
        "drug_class": "Opioids",
        "ingredients": [drug],
        "brand": drug.capitalize(),
        "rationale": f"{drug.capitalize()} is not recommended for long term use.",
    }
    fields.update(overrides)
    return make_item(determination, **fields)


def make_citation(item: DisputedItem, **overrides: Any) -> GuidelineCitation:
    fields: dict[str, Any] = {
        "party": "reviewer",
        "source": "MTUS",
        "document": "Chronic Pain Medical Treatment Guidelines",
        "section": "Opioids",
        "edition_year": 2009,
        "pages": [74],
    }
    fields.update(overrides)
    return GuidelineCitation.objects.create(item=item, **fields)


def refresh(*letters: Determination) -> None:
    """What the loader does after writing a letter's items and citations."""
    refresh_search_vectors(connection, [d.pk for d in letters])
