"""Reason tags read from decision rationales (synthetic sentences in the letters' wording)."""

import pytest

from ingest.letter import Outcome
from ingest.normalize.reasons import TAG_LABELS, UPHELD_TAGS, reason_tags

UP, OV = Outcome.UPHELD, Outcome.OVERTURNED

CASES = [
    # Functional improvement not documented.
    (
        UP,
        "There is no documentation of objective functional improvement with prior use.",
        "no-functional-improvement",
    ),
    # The same, worded as a lack of increased function.
    (
        UP,
        "There is a lack of documentation with quantified evidence of increased function.",
        "no-functional-improvement",
    ),
    # Pain relief not documented.
    (UP, "There was no documentation of pain relief from the medication.", "no-pain-relief"),
    # Guideline wording against long-term use.
    (UP, "Benzodiazepines are not recommended for long-term use.", "long-term-not-recommended"),
    # "long- term" broken by a line end.
    (
        UP,
        "The guidelines do not support long- term use of this medication.",
        "long-term-not-recommended",
    ),
    # Too many visits.
    (UP, "The request for 12 sessions exceeds the recommended guidelines.", "exceeds-visits"),
    # Opioid monitoring missing.
    (UP, "There was no recent urine drug screen to document compliance.", "no-opioid-monitoring"),
    # Opioid agreement missing.
    (UP, "There is no signed opioid agreement on file.", "no-opioid-monitoring"),
    # No red flags.
    (UP, "In the absence of red flags, imaging is not indicated.", "no-red-flags"),
    # No neurological deficit.
    (UP, "There was no evidence of any neurological deficits on the examination.", "no-red-flags"),
    # Conservative care not tried.
    (
        UP,
        "There was a lack of documentation of the patient trying and failing conservative care.",
        "conservative-care-not-tried",
    ),
    # Not first line.
    (UP, "Topical analgesics are not a first-line treatment.", "conservative-care-not-tried"),
    # Frequency not specified.
    (UP, "The frequency of the medication was not specified in the request.", "not-specified"),
    # Refills not supported.
    (
        UP,
        "The request for 3 refills does not allow for reassessment and is not supported.",
        "refills",
    ),
    # Waiting for the results of authorized treatment.
    (
        UP,
        "Additional visits are not indicated until the results of the initial set are known.",
        "awaiting-prior-results",
    ),
    # Overturned: criteria met.
    (OV, "The MRI of the shoulder meets criteria for recommendation.", "criteria-met"),
    # Overturned: benefit documented.
    (OV, "The injured worker showed benefit with the initial 6 visits.", "documented-benefit"),
    # Overturned: objective findings.
    (OV, "Examination showed a positive straight leg raise on the right.", "red-flags-present"),
    # Overturned: conservative care failed.
    (OV, "The knee has not responded to conservative treatment.", "conservative-care-failed"),
]


@pytest.mark.parametrize(("outcome", "rationale", "tag"), CASES)
def test_it_tags_the_reason(outcome, rationale, tag):
    assert tag in reason_tags(rationale, outcome)


def test_upheld_tags_are_not_read_from_overturned_rationales():
    # The tag sets are per outcome: an overturn never gets a denial reason.
    text = "The request exceeds the recommended number of visits but criteria are met."
    assert "exceeds-visits" not in reason_tags(text, OV)
    assert "criteria-met" in reason_tags(text, OV)


def test_a_plain_sentence_gets_no_tag():
    assert reason_tags("The patient is a 45 year old male.", UP) == ()


def test_every_tag_has_a_label():
    assert all(TAG_LABELS[t.key] for t in UPHELD_TAGS)
