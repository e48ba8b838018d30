"""The analysis fields of a parsed item: visits, body region, daily MME, guideline sections,
same guideline, reason tags. One call per item from ``ingest.parser``; pure."""

from __future__ import annotations

import dataclasses

from ingest.letter import Item, Party
from ingest.normalize.guidelines import party_sections, same_guideline
from ingest.normalize.mme import daily_mme
from ingest.normalize.reasons import reason_tags
from ingest.normalize.therapy import body_region, visit_count


def analyse(item: Item) -> Item:
    """``item`` with its analysis fields filled in."""
    med = item.medication
    if med is not None:
        mme = daily_mme(med.ingredients, med.strength, med.frequency, item.treatment)
        if mme is not None:
            med = dataclasses.replace(med, mme=mme)
    reviewer = party_sections(item.citations, Party.REVIEWER)
    claims = party_sections(item.citations, Party.CLAIMS_ADMINISTRATOR)
    return dataclasses.replace(
        item,
        medication=med,
        # A drug's "#60" or "x2 refills" is no visit count.
        visits=None if med is not None else visit_count(item.treatment),
        body_region=body_region(item.treatment),
        reason_tags=reason_tags(item.rationale, item.outcome),
        guideline_sections=reviewer,
        claims_guideline_sections=claims,
        same_guideline=same_guideline(reviewer, claims),
    )
