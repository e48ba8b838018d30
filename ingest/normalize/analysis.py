"""The analysis fields of a parsed item: visits, body region, daily MME, guideline sections,
same guideline, reason tags. One call per item from ``ingest.parser``; pure."""

from __future__ import annotations

import dataclasses

from ingest.letter import Item, Party
from ingest.normalize.guidelines import party_sections, same_guideline
from ingest.normalize.mme import daily_mme
from ingest.normalize.reasons import read_reasons
from ingest.normalize.therapy import item_region, therapy_visits


def analyse(item: Item) -> Item:
    """``item`` with its analysis fields filled in."""
    med = item.medication
    if med is not None:
        mme = daily_mme(med.ingredients, med.strength, med.frequency, item.treatment)
        if mme is not None:
            med = dataclasses.replace(med, mme=mme)
    # A drug's "#60", an office visit's "times 2", an EKG's "times 3" are no visit counts.
    visits = (
        None if med is not None else therapy_visits(item.treatment, item.category, item.subcategory)
    )
    # A partial authorization is judged against the guideline's visit limit as a whole: the
    # original request's visits, not only the remainder's.
    requested = visits
    if visits is not None and item.original_request:
        original = therapy_visits(item.original_request, item.category, item.subcategory)
        requested = max(visits, original or 0)
    reasons = read_reasons(item.rationale, item.outcome, item.subcategory, requested)
    reviewer = party_sections(item.citations, Party.REVIEWER)
    claims = party_sections(item.citations, Party.CLAIMS_ADMINISTRATOR)
    return dataclasses.replace(
        item,
        medication=med,
        visits=visits,
        body_region=None if med is not None else item_region(item.treatment, item.original_request),
        reason_tags=reasons.tags,
        reason_evidence=reasons.evidence,
        guideline_sections=reviewer,
        claims_guideline_sections=claims,
        same_guideline=same_guideline(reviewer, claims),
    )
