"""Reason tags read from decision rationales (synthetic sentences in the letters' wording)."""

import pytest

from ingest.letter import Outcome
from ingest.normalize.reasons import (
    _LEXICON,
    IMAGING_NOT_INDICATED_KEY,
    LABELLED_TAGS,
    OVERTURNED_TAGS,
    TAG_LABELS,
    TAG_TO_LABELLED,
    UPHELD_TAGS,
    labelled_tags,
    reason_tags,
)

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
    (UP, "Topical analgesics are not a first-line treatment.", "not-first-line"),
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


# Each of the labelled real letters' tags (../shared/letters/dwc-2016-labelled/README.md) on
# synthetic sentences in the letters' manner: (outcome, rationale, subcategory, labelled tag).
LABELLED_CASES = [
    # Upheld imaging is imaging the guideline does not support, whatever else is said.
    (UP, "The study is not medically necessary.", "Imaging (Radiology)", "imaging_not_indicated"),
    # A normal neurological examination leaves a test unjustified.
    (
        UP,
        "Her chart shows no signs suggestive of a pinched nerve root.",
        None,
        "no_red_flags_or_deficits",
    ),
    # Conservative care not tried first.
    (
        UP,
        "There is no evidence the worker tried and failed a course of physical therapy.",
        None,
        "conservative_care_not_tried",
    ),
    # Prior sessions without benefit.
    (
        UP,
        "The earlier ten visits were not helpful, by her own account.",
        None,
        "no_functional_improvement",
    ),
    # More than the guideline allows: prior visits already authorized.
    (
        UP,
        "The worker was previously authorized 8 sessions of chiropractic care.",
        None,
        "exceeds_guideline_quantity",
    ),
    # Short-term drugs used long term.
    (
        UP,
        "This drug is not recommended for longer than three weeks.",
        None,
        "long_term_not_recommended",
    ),
    # A topical before oral first-line drugs were tried.
    (
        UP,
        "A gel is an option only when a trial of antidepressants has failed.",
        None,
        "not_first_line",
    ),
    # Opioid monitoring missing.
    (UP, "The CURES database was not reviewed this year.", None, "no_drug_screen_or_agreement"),
    # Records that lack what the reviewer needs.
    (
        UP,
        "Why a second scan is wanted is not clearly explained.",
        None,
        "insufficient_documentation",
    ),
    # The request omits its own quantity.
    (
        UP,
        "The duration of the rental was not specified.",
        None,
        "frequency_or_quantity_unspecified",
    ),
    # An item of a surgery that was denied.
    (
        UP,
        "As the requested surgery is not medically necessary, the sling is not either.",
        None,
        "other",
    ),
    # A compound holding a drug not recommended on the skin.
    (UP, "Topical baclofen is not recommended for anyone.", None, "other"),
    # A drug without the condition it treats.
    (UP, "There is no history of gastrointestinal events or risk factors.", None, "other"),
    # Overturned: the guideline's criteria are met.
    (OV, "The request meets the guideline criteria for a repeat study.", None, "criteria_met"),
    # Overturned: benefit from earlier treatment documented.
    (OV, "The worker reported benefit from the previous sessions.", None, "documented_benefit"),
    # Overturned with no phrase beyond the verdict: criteria met all the same.
    (OV, "The request is medically necessary.", None, "criteria_met"),
]


@pytest.mark.parametrize(("outcome", "rationale", "subcategory", "tag"), LABELLED_CASES)
def test_it_gives_the_labelled_tag(outcome, rationale, subcategory, tag):
    assert tag in labelled_tags(reason_tags(rationale, outcome, subcategory))


def test_every_tag_counts_as_one_labelled_tag():
    for tag in UPHELD_TAGS + OVERTURNED_TAGS:
        assert TAG_TO_LABELLED[tag.key] in LABELLED_TAGS, tag.key


def test_every_labelled_tag_is_given_by_some_tag():
    assert set(TAG_TO_LABELLED.values()) == set(LABELLED_TAGS)


def test_a_documentation_gap_a_specific_tag_explains_is_not_counted_twice():
    # "no documentation of functional improvement" is the specific reason, nothing more.
    text = "There is no documentation of objective functional improvement with prior sessions."
    assert reason_tags(text, UP) == ("no-functional-improvement",)


def test_a_documentation_gap_of_its_own_is_counted():
    text = "There is a lack of documentation of the planned home program."
    assert "insufficient-documentation" in reason_tags(text, UP)


def test_not_recommended_is_a_reason_only_when_nothing_specific_is():
    # A guideline's "is not recommended" is quoted in most rationales.
    alone = "Passive modalities are not recommended."
    assert "not-recommended" in reason_tags(alone, UP)
    with_reason = alone + " There is no documentation of functional improvement."
    assert "not-recommended" not in reason_tags(with_reason, UP)


def test_no_does_not_match_the_start_of_not():
    # "not surface) ... after conservative therapy" is no lack of conservative care.
    text = "EMG (needle, not surface) is recommended after a month of conservative therapy."
    assert "conservative-care-not-tried" not in reason_tags(text, UP)


def test_imaging_is_only_tagged_for_imaging_items():
    text = "The request is not medically necessary."
    assert "imaging-not-indicated" not in reason_tags(text, UP, "EMG/NCV/NCS")
    assert "imaging-not-indicated" not in reason_tags(text, OV, "Imaging (Radiology)")


# Rules of parser 1.2.1 (issue 10): each row is a sentence in our own wording and the tag it
# must get (the finer key of this lexicon).
RULE_CASES = [
    # A normal neurological exam, the adjective before the noun.
    (UP, "She had a normal bilateral upper limb neurological exam last month.", "no-red-flags"),
    # Nothing shows a compressed or compromised nerve root.
    (UP, "No records point to nerve root compromise in the neck.", "no-red-flags"),
    # No sign of radiating (radicular) pain.
    (UP, "The chart fails to describe any radicular leg symptoms.", "no-red-flags"),
    # The prescriber never explained the request.
    (
        UP,
        "There was no discussion of why a second device was wanted.",
        "insufficient-documentation",
    ),
    (UP, "The progress notes do not detail what the brace is for.", "insufficient-documentation"),
    (
        UP,
        "The request failed to specify which level would be injected.",
        "insufficient-documentation",
    ),
    (UP, "The physician has not documented a recent examination.", "insufficient-documentation"),
    (
        UP,
        "In the absence of such documentation, it cannot be approved.",
        "insufficient-documentation",
    ),
    (UP, "The type of walker ordered was not specified.", "insufficient-documentation"),
    # The history or current drug that would call for a test is not on record.
    (UP, "There is no record that she is on blood-thinning therapy.", "no-indication"),
    (UP, "No records show a history of bleeding disorders in this man.", "no-indication"),
    # No sign of the nerve-pain condition the drug is for.
    (UP, "There is no evidence that she has painful diabetic neuropathy.", "no-indication"),
    # No better pain or function.
    (
        UP,
        "There was no meaningful improvement in function after the visits.",
        "no-functional-improvement",
    ),
    (
        UP,
        "His unchanged work limits argue against any functional gains.",
        "no-functional-improvement",
    ),
    # The shortest-duration maxim judged against this case.
    (
        UP,
        "Months of use are not the shortest duration the guideline asks.",
        "long-term-not-recommended",
    ),
    (UP, "No records justify going past short-term use here.", "long-term-not-recommended"),
    # The guideline offers the drug only for a short course.
    (UP, "The guideline lists it as an option for short-term relief.", "long-term-not-recommended"),
    # First-line drugs named before the verb.
    (UP, "Nothing shows first-line agents were tried before this one.", "not-first-line"),
    (UP, "There is no failure of primary analgesic treatment on file.", "not-first-line"),
    # Going past the guideline's upper limit.
    (UP, "Six more sessions would surpass what the guideline allows.", "exceeds-visits"),
    (UP, "This brings the total past the upper limit for the diagnosis.", "exceeds-visits"),
    # A request said, in the case, to exceed the guideline.
    (UP, "Given the request will exceed the guideline, it is denied.", "exceeds-visits"),
    # The duration of the request was not noted.
    (
        UP,
        "How long the unit would be used was not noted; its duration was not noted.",
        "not-specified",
    ),
    # Candidacy for surgery is what imaging criteria ask.
    (UP, "There is no note that he is a candidate for surgery.", IMAGING_NOT_INDICATED_KEY),
    # An attempt at conservative care not shown.
    (
        UP,
        "The records give no real attempt at conservative treatment.",
        "conservative-care-not-tried",
    ),
]


@pytest.mark.parametrize(("outcome", "rationale", "tag"), RULE_CASES)
def test_it_tags_the_reason_of_each_rule(outcome, rationale, tag):
    assert tag in reason_tags(rationale, outcome)


# The same rules' limits: each row is a sentence that must NOT get the tag.
RULE_NEGATIVE_CASES = [
    # A guideline's general text, not a finding about this case (guideline voice).
    (
        UP,
        "ESIs offer no lasting functional benefit, the guidelines note.",
        "no-functional-improvement",
    ),
    (UP, "When visits exceed the guideline, special factors should be given.", "exceeds-visits"),
    (UP, "ODG recommends testing in the absence of red flags only rarely.", "no-red-flags"),
    # ... but the same words about the case still count.
    # (see test_a_guideline_rule_applied_to_the_case_still_counts)
    # The NSAID dosing maxim does not make a drug short-term only.
    (
        UP,
        "NSAIDs are advised at the lowest dose for the shortest period.",
        "long-term-not-recommended",
    ),
    # Sessions already attended are history, not an excess.
    (UP, "The man has undergone eight sessions of therapy so far.", "exceeds-visits"),
    # Pills or capsules asks why a liquid is needed, not whether first-line drugs were tried.
    (UP, "Nothing shows he is unable to take oral tablets or capsules.", "not-first-line"),
    # A missing bleeding history is no indication for the test, not a documentation gap.
    (
        UP,
        "There is no documentation that she is taking anticoagulant therapy.",
        "insufficient-documentation",
    ),
]


@pytest.mark.parametrize(("outcome", "rationale", "tag"), RULE_NEGATIVE_CASES)
def test_it_does_not_tag_beyond_each_rule(outcome, rationale, tag):
    assert tag not in reason_tags(rationale, outcome)


def test_a_guideline_rule_applied_to_the_case_still_counts():
    # The guideline voice is dropped only when nothing in the sentence points at the case.
    rule = "The guidelines say red flags must be present."
    case = "In this case the guidelines' red flags were not present."
    assert "no-red-flags" not in reason_tags(rule, UP)
    assert "no-red-flags" in reason_tags(case, UP)


def test_searching_one_sentence_by_its_words_agrees_with_the_plain_regex():
    # reason_tags reads every phrase's answer sentence by sentence (a documentation gap is
    # explained by a more specific phrase in the same sentence); the needle-gated, cached
    # answers must be exactly the plain regex's on each sentence searched alone.
    text = (
        "there is no documentation of functional improvement. the doctor did not explain why. "
        "no urine drug screen was done; there is a lack of records. red flags were not noted"
    ).lower()
    for sentence in text.split("."):
        got = _LEXICON.in_sentence(sentence)
        for pattern, bit in _LEXICON.bit.items():
            expected = pattern.pattern.search(sentence) is not None
            assert bool(got & bit) == expected, (pattern.pattern.pattern, sentence)
