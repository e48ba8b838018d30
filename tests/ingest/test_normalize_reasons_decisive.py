"""Reasons come from what the rationale decides, not from what it mentions (issue 25).

Each row is a rationale in our own words: a tag needs the decisive sentence (the one that
states the conclusion or the unmet criterion), each tag keeps the sentence it was read from,
and the rules follow the guidelines' criteria wording (MTUS 8 CCR 9792.20's functional
improvement; ACOEM's criteria for special studies; the physical medicine visit limits).
"""

from __future__ import annotations

import pytest

from ingest.letter import Outcome
from ingest.normalize.reasons import read_reasons, reason_tags

UP = Outcome.UPHELD
OV = Outcome.OVERTURNED

PASSING_MENTIONS = [
    # A documentation gap mentioned while the rationale decides on the guideline's rule.
    "Her current allergies were not documented. Topical muscle relaxants are not recommended "
    "by the guidelines. The request is not medically necessary.",
    # A gap about a side fact, then a different, decisive reason.
    "The height and weight were not provided. The twelve visits she has had already exceed the "
    "recommended number of visits. Therefore the request is not medically necessary.",
]


@pytest.mark.parametrize("rationale", PASSING_MENTIONS)
def test_a_passing_mention_of_documentation_is_no_reason(rationale):
    assert "insufficient-documentation" not in reason_tags(rationale, UP)


DECISIVE_GAPS = [
    # The gap stated with the conclusion.
    "Without documentation of the treating physician's plan, the request cannot be supported.",
    # The gap just before the verdict it leads to.
    "The dates and findings of the earlier study were not provided. Therefore, the request is "
    "not medically necessary.",
    # The gap is in the case for the request itself: why it is needed.
    "The notes do not explain why a second device is needed when one was bought last year.",
]


@pytest.mark.parametrize("rationale", DECISIVE_GAPS)
def test_a_decisive_documentation_gap_is_a_reason(rationale):
    assert "insufficient-documentation" in reason_tags(rationale, UP)


# Guideline criteria said to be unmet, in wordings the labelled letters did not use.
GUIDELINE_CRITERIA = [
    # 9792.20: functional improvement as improvement in activities of daily living.
    (
        "There was no clinically significant improvement in activities of daily living after the "
        "last six sessions.",
        "no-functional-improvement",
    ),
    (
        "The records show no reduction in work restrictions and no decrease in medication use "
        "with the drug.",
        "no-functional-improvement",
    ),
    # ACOEM: physiologic evidence of tissue insult or neurologic dysfunction.
    (
        "The examination gives no physiologic evidence of tissue insult or nerve impairment.",
        "no-red-flags",
    ),
    (
        "Nothing suggests cauda equina syndrome, fracture or infection; radiculopathy has not been "
        "corroborated on examination.",
        "no-red-flags",
    ),
    # Conservative care not exhausted.
    (
        "The worker has not yet tried a course of physical therapy for the shoulder.",
        "conservative-care-not-tried",
    ),
    (
        "The notes fail to show the completion of a trial of conservative treatment.",
        "conservative-care-not-tried",
    ),
    # Frequency or quantity left open.
    (
        "The number of sessions requested is unknown, and the request is open-ended.",
        "not-specified",
    ),
]


@pytest.mark.parametrize(("rationale", "tag"), GUIDELINE_CRITERIA)
def test_it_reads_guideline_criteria_in_other_words(rationale, tag):
    assert tag in reason_tags(rationale, UP)


def test_each_tag_keeps_the_sentence_it_was_read_from():
    rationale = (
        "The worker is a 50 year old carpenter. There was no clinically significant improvement "
        "in activities of daily living after the prior visits. Therefore, the request is not "
        "medically necessary."
    )
    reasons = read_reasons(rationale, UP)
    evidence = dict(reasons.evidence)
    assert set(evidence) == set(reasons.tags)
    assert evidence["no-functional-improvement"] == (
        "There was no clinically significant improvement in activities of daily living after "
        "the prior visits."
    )


def test_a_default_reason_points_at_the_verdict():
    reasons = read_reasons("The worker is better. The request is medically necessary.", OV)
    assert dict(reasons.evidence)["necessity-established"] == "The request is medically necessary."


VISIT_LIMITS = [
    # Requested plus had goes past the guideline's limit: exceeds.
    (
        "The guidelines recommend up to 10 visits over 8 weeks. She has completed 8 sessions.",
        6,
        True,
    ),
    # "a six visit clinical trial", nothing had yet, twelve requested.
    ("Patients should be assessed after a six visit clinical trial.", 12, True),
    # Within the limit.
    ("The guidelines recommend 9-10 visits over 8 weeks. He has had 2 visits.", 6, False),
    # No limit stated: nothing to exceed.
    ("The prior visits did not help.", 12, False),
]


@pytest.mark.parametrize(("rationale", "requested", "exceeds"), VISIT_LIMITS)
def test_it_compares_the_visits_with_the_guidelines_limit(rationale, requested, exceeds):
    tags = read_reasons(
        rationale, UP, "Physical Therapy/Occupational Therapy (PT/OT)", requested
    ).tags
    assert ("exceeds-visits" in tags) is exceeds
