"""Why a reviewer upheld or overturned: tags read from the decision rationale.

A transparent lexicon: each tag is a list of phrases (regexes), each with a comment giving
the wording it catches. A rationale gets every tag one of whose phrases it contains; upheld
items are read against ``UPHELD_TAGS``, overturned items against ``OVERTURNED_TAGS``. The
tags are a facet of the list and a dimension of the analytics page; ``TAG_LABELS`` names them.

Phrases describe what the reviewer found ("there is no documentation of objective functional
improvement"), and some guideline wording the reviewer applies ("not recommended for long-term
use"): both are reasons an analyst can act on.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ingest.letter import Outcome
from ingest.normalize.needles import PhraseSet, TextMatches, WindowedPattern
from ingest.normalize.numbers import NUMBER_WORDS, number


class Phrase(NamedTuple):
    # The phrase as written, matched case-insensitively (``matched_phrases``).
    pattern: re.Pattern[str]
    # The same phrase for lowercased text without re.I (several times faster than
    # case-insensitive matching; its literal capitals are lowercased to match), searched
    # only in the sentences containing one of its words (see ``ingest.normalize.needles``).
    lowered: WindowedPattern


class Tag(NamedTuple):
    key: str
    # The labelled set's tag this finer tag counts as (one of ``LABELLED_TAGS``).
    labelled: str
    label: str
    phrases: tuple[Phrase, ...]


# Literal capitals in a phrase ("MTUS", "Spurling"), not escapes like \S or \W.
_LITERAL_CAPITAL_RE = re.compile(r"(?<!\\)[A-Z]")


def _phrase(pattern: str) -> Phrase:
    lowered = _LITERAL_CAPITAL_RE.sub(lambda m: m.group(0).lower(), pattern)
    return Phrase(re.compile(pattern, re.I), WindowedPattern(lowered))


def _tag(key: str, labelled: str, label: str, *patterns: str) -> Tag:
    assert labelled in LABELLED_TAGS, (key, labelled)
    return Tag(key, labelled, label, tuple(_phrase(p) for p in patterns))


# The 12 reason tags of the hand-labelled real letters
# (../shared/letters/dwc-2016-labelled/README.md defines each); every tag below counts as one.
LABELLED_TAGS: dict[str, str] = {
    "imaging_not_indicated": "Imaging not indicated",
    "no_red_flags_or_deficits": "No red flags or deficits",
    "conservative_care_not_tried": "Conservative care not tried",
    "no_functional_improvement": "No functional improvement",
    "exceeds_guideline_quantity": "Exceeds guideline quantity",
    "long_term_not_recommended": "Long-term use not recommended",
    "not_first_line": "Not first line",
    "no_drug_screen_or_agreement": "No drug screen or agreement",
    "insufficient_documentation": "Insufficient documentation",
    "frequency_or_quantity_unspecified": "Frequency or quantity unspecified",
    "criteria_met": "Criteria met",
    "documented_benefit": "Documented benefit",
    "other": "Other",
}


IMAGING_NOT_INDICATED_KEY = "imaging-not-indicated"

# Gaps of a few words between the key words of a phrase ("lack of documentation regarding
# objective functional improvement"): bounded, and never across a sentence end.
_GAP = r"[^.;]{0,80}?"

UPHELD_TAGS: tuple[Tag, ...] = (
    _tag(
        "no-functional-improvement",
        "no_functional_improvement",
        "No documented functional improvement",
        # "no documentation of objective functional improvement", "no evidence of functional
        # improvement", "without functional improvement".
        rf"\b(?:no\b|without|absence\s+of|lack\s+of|lacks|not\s+demonstrated?){_GAP}"
        r"functional\s+(?:improvement|benefit|gains?|restoration)",
        # "there is a lack of documentation with ... increased function with prior treatment".
        rf"\b(?:no\b|lack\s+of|absence\s+of){_GAP}(?:increased|improved|improvement\s+in)\s+function",
        # "failed to show objective functional improvement" / "did not demonstrate improvement".
        rf"\b(?:failed|did\s+not|does\s+not){_GAP}(?:show|demonstrate|document){_GAP}improvement",
        # "the earlier visits were not helpful", "no documented objective improvement since",
        # "how function responded to the sessions" ("functional response").
        r"\b(?:were|was|been)\s+not\s+(?:beneficial|helpful|effective)\b"
        r"|\b(?:no\b|lack\s+of)\s+documented\s+(?:objective\s+)?(?:benefit|improvement)"
        r"|\bfunctional\s+response\b",
        # "functional gains from the drug have not been shown".
        r"\bfunctional\s+(?:improvements?|benefits?|gains?|status|response)[^.;]{0,60}\bnot\s+"
        r"(?:been\s+)?(?:documented"
        r"|demonstrated|established|shown)",
        # "no sign of less pain or better function since", "the records argue against any
        # functional gain", "there does not seem to be the improvement in pain expected".
        r"\b(?:no|lack\s+of|without)\s+(?:\w+\s+){0,3}improvement\s+in\s+(?:pain|function|symptoms)"
        rf"|\bargu\w*\s+against{_GAP}functional\s+(?:improvement|gains?|benefit)"
        rf"|\bnot\s+appear\s+to\s+be{_GAP}\bimprovement\b",
        # The MTUS definition of functional improvement (8 CCR 9792.20), its parts said to be
        # missing: "no clinically significant improvement in activities of daily living", "no
        # reduction in work restrictions", "no decrease in medication use", "no measurable
        # gains in range of motion or strength", "no objective improvement".
        rf"\b(?:no\b|not|without|lack\s+of|absence\s+of|fail\w*\s+to){_GAP}(?:improvement\s+in\s+"
        r"(?:(?:the\s+)?activities\s+of\s+daily\s+living|ADLs?|function\w*)|reduction\s+in\s+(?:work\s+"
        r"restrictions|(?:the\s+)?dependen\w+)|(?:decrease|reduction)\s+in\s+(?:the\s+)?(?:use\s+of\s+)?"
        r"(?:medications?|analgesics?|opioids?)|measurable\s+(?:functional\s+)?(?:gains?|improvement)|objective\s+(?:functional\s+)?"
        r"(?:improvement|gains?|benefit))",
    ),
    _tag(
        "no-pain-relief",
        "no_functional_improvement",
        "No documented pain relief",
        # "no documentation of pain relief", "lack of quantified evidence of numerical pain
        # relief", "no decrease in pain".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}(?:pain\s+relief|decrease\s+in\s+pain"
        r"|reduction\s+in\s+pain|pain\s+reduction)",
    ),
    _tag(
        "long-term-not-recommended",
        "long_term_not_recommended",
        "Long-term use not recommended",
        # "not recommended for long-term use", "Not recommended for long term use".
        r"\bnot\s+recommended\s+for\s+(?:long[-\s]*term|chronic|prolonged)\s+use",
        # "long-term use is not recommended", "recommendation against long-term use".
        rf"\blong[-\s]*term\s+use{_GAP}\bnot\s+(?:recommended|supported|indicated)"
        r"|against\s+long[-\s]*term\s+use",
        # "The guidelines do not support long- term use of this medication".
        r"\bdo(?:es)?\s+not\s+support\s+(?:the\s+)?(?:long[-\s]*term|chronic|ongoing)\s+use",
        # "Most guidelines limit use to 4 weeks", "recommended for short-term use only".
        r"\blimit\s+(?:its\s+)?use\s+to\s+(?:\d|two|three|four)\s+weeks|short[-\s]?term\s+use\s+only"
        r"|(?:recommended|indicated)\s+(?:only\s+)?for\s+(?:a\s+)?short[-\s]?term",
        # "not recommended for more than a few weeks", "a short course only", "not indicated
        # for long-term treatment", "long-term/chronic dosing". (The dosing maxim "the lowest
        # dose for the shortest time" is said of every NSAID and does not make one short-term.)
        r"\bnot\s+(?:recommended|indicated)\s+for\s+(?:longer|more)\s+than\b|\bshort\s+course\b"
        r"|\bnot\s+indicated\s+for\s+long[-\s]*term|\blong[-\s]*term\s*/\s*chronic"
        r"|\bchronic\s+use\b",
        # The maxim judged against this case: "has taken it for months, which is not the
        # shortest duration possible"; a drug the guideline offers "as an option for
        # short-term treatment".
        rf"\b(?:not|lack\s+of|no|beyond|exceed\w*|longer\s+than|continued|ongoing|prolonged)\b{_GAP}"
        r"\bshortest\s+(?:period|duration|time)|\b(?:no|lack\s+of|without)\b[^.;]{0,40}"
        r"\bshort[-\s]?term\s+use\b"
        r"|\b(?:option|used)\s+(?:only\s+)?for\s+(?:a\s+)?short[-\s]?term\b",
    ),
    _tag(
        "exceeds-visits",
        "exceeds_guideline_quantity",
        "Exceeds recommended number of visits",
        # "the request for an initial 12 sessions exceeds the recommended guidelines",
        # "exceeds guideline recommendations", "in excess of the recommended".
        r"\bexceed(?:s|ed|ing)?\s+(?:the\s+)?(?:guideline|recommend|number|maximum|allowed)"
        r"|\bin\s+excess\s+of\s+(?:the\s+)?(?:guideline|recommend)",
        # "more than the recommended number of visits", "beyond the recommended".
        rf"\b(?:more\s+than|beyond){_GAP}recommended\s+(?:number|visits|sessions|duration)",
        # "would exceed the guideline-recommended number of sessions".
        rf"\bexceed{_GAP}(?:visits|sessions|treatments)",
        # "an additional six would go past the upper limit the guideline sets", "would
        # surpass the recommended number".
        r"\bsurpass(?:es|ed|ing)?\b|\b(?:upper|maximum)\s+limit\b",
        # "in excess of what the guideline allows", "an excessive number of visits", "twelve
        # visits were already approved", "approved for 10 sessions" (more than the authorized
        # trial). How many were attended, "she has had 9 visits", is a fact of the history,
        # not a limit exceeded.
        r"\bin\s+excess\s+of\b|\bexcess(?:ive)?\s+(?:number|physical|therapy|sessions|visits|quantity)"
        r"|\b(?:authorized|approved|certified)\s+(?:for\s+)?(?:\d+|six|eight|ten|twelve)\s+"
        r"(?:\w+\s+)?(?:sessions|visits)",
    ),
    _tag(
        "no-opioid-monitoring",
        "no_drug_screen_or_agreement",
        "No urine drug screen / opioid agreement",
        # "no recent urine drug screen", "lack of urine drug testing".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without|not){_GAP}urine\s+drug\s+(?:screen|test)",
        # "no signed opioid agreement", "no pain contract on file".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}(?:opioid|pain|narcotic)\s+"
        r"(?:agreement|contract)",
        # "documentation of the four A's" not provided.
        rf"\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}(?:four|4)\s+a['\u2019]s",
        # "no CURES report".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}CURES",
        # "the CURES database was not reviewed", "without an opioid risk screening" (not a GI
        # risk assessment), "no sign the worker is watched for aberrant use".
        rf"\bCURES\b{_GAP}\bnot\s+(?:checked|reviewed|documented|obtained)"
        rf"|\b(?:no\b|lack\s+of|without|not){_GAP}(?:(?:opioid|abuse|misuse|addiction)\s+risk\s+"
        r"(?:assessment|screening)|monitored\s+for|aberrant)",
    ),
    _tag(
        "no-red-flags",
        "no_red_flags_or_deficits",
        "No red flags or neurological deficit",
        # "in the absence of red flags", "no red flag signs", "red flags ... were not documented".
        rf"\b(?:no\b|absence\s+of|lack\s+of|without|not){_GAP}red[-\s]flags?"
        rf"|red[-\s]flags?{_GAP}\b(?:not|no)\b",
        # "no evidence of any neurological deficits", "neurologic examination was normal".
        rf"\b(?:no\b|absence\s+of|lack\s+of|without){_GAP}neurolog\w*\s+(?:deficits?|compromise"
        r"|findings|dysfunction)|neurolog\w*\s+exam\w*\s+(?:was|is)\s+(?:normal|unremarkable|intact)",
        # "no objective findings of radiculopathy".
        rf"\b(?:no\b|absence\s+of|lack\s+of){_GAP}(?:objective\s+)?(?:findings|evidence|signs)\s+of"
        r"\s+radiculopathy",
        # "no exam signs indicative of a radiculopathy", "the notes fail to show findings
        # suggesting nerve injury", "neurologic deficits have not been described", "does not
        # document any neurologic loss".
        rf"\b(?:no\b|not|fails?\s+to|lack\s+of|absence\s+of|without){_GAP}(?:findings|evidence|signs"
        r"|abnormalit\w+)\s+(?:\w+\s+){0,3}(?:of|indicative\s+of|suggest\w*|consistent\s+with)\s+"
        r"(?:\w+\s+){0,3}(?:radiculopathy|radicular|nerve|neurolog\w*)",
        r"\bneurolog\w*\s+(?:abnormalit\w+|deficits?|findings)\s+(?:has|have|was|were)\s+not\s+been"
        r"|\bdoes\s+not\s+document\s+any\s+neurolog|\bno\s+(?:objective\s+)?(?:significant\s+)?"
        r"(?:objective\s+)?findings\s+(?:that\s+)?(?:would\s+)?(?:warrant|justify|support)",
        # "her neurologic exam is unremarkable", "the neurological evaluation was non-focal",
        # "with intact grip strength".
        r"\bneurolog\w*\s+(?:physical\s+)?(?:exam\w*|evaluation)\s+(?:was|is)\s+(?:otherwise\s+)?"
        r"(?:normal|unremarkable|intact|non-?focal)|\bintact\s+(?:\w+\s+){0,2}(?:strength|sensation"
        r"|reflexes)",
        # The adjective first: "a normal neurologic exam of both legs"; "nothing shows a
        # compromised nerve root"; "no sign of abnormal nerve-study results".
        r"\b(?:unremarkable|normal|intact|non-?focal)\s+(?:[\w-]+\s+){0,3}neurolog\w*\s+exam"
        rf"|\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}\bnerve\s+(?:root\s+)?(?:compromise"
        r"|impingement|compression)|\bno\s+evidence\s+of\s+(?:positive|abnormal)\s+(?:\w+\s+)?findings"
        # "the notes fail to record radiating (radicular-type) leg pain".
        rf"|\b(?:no\b|not|fails?\s+to|lack\s+of|absence\s+of|without){_GAP}\bradicular\b",
        # The ACOEM criteria for special studies and referral, said to be unmet: no
        # "physiologic evidence of tissue insult or neurologic dysfunction", no "emergence of
        # a red flag", no progressive or focal deficit, no "unequivocal objective findings that
        # identify specific nerve compromise", no suspected fracture, tumor, infection,
        # instability or cauda equina syndrome; "radiculopathy is not corroborated".
        rf"\b(?:no\b|not|without|lack\s+of|absence\s+of|fails?\s+to){_GAP}(?:physiologic\s+evidence"
        r"|tissue\s+insult|neurolog\w*\s+dysfunction|progressive\s+(?:neurolog\w*\s+)?(?:deficits?"
        r"|weakness)|focal\s+(?:neurolog\w*\s+)?(?:deficits?|findings)|(?:specific\s+)?nerve\s+compromise"
        r"|cauda\s+equina|(?:suspected\s+|suspicion\s+of\s+)(?:fracture|tumou?r|infection|malignancy"
        r"|instability)|(?:signs?|symptoms?)\s+of\s+radiculopathy|objective\s+(?:neurolog\w*\s+)?"
        r"(?:findings|deficits?))"
        r"|\bradiculopathy\s+(?:is|was|has)\s+not\s+(?:been\s+)?(?:documented|established|corroborated"
        r"|confirmed|shown)",
    ),
    _tag(
        "conservative-care-not-tried",
        "conservative_care_not_tried",
        "Conservative care not tried",
        # "lack of documentation regarding the patient trying and failing conservative care",
        # "no evidence of failed conservative treatment", "no trial of physical therapy".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without|not){_GAP}(?:trial|trying|tried|failed|failure"
        rf"|attempt){_GAP}(?:conservative|physical\s+therapy|home\s+exercise|activity\s+modification)",
        # "until after a period of conservative care", "conservative care has not been tried".
        r"after\s+a\s+period\s+of\s+conservative|conservative\s+(?:care|treatment|therapy)"
        rf"{_GAP}(?:not\s+(?:been\s+)?(?:tried|attempted|exhausted|documented))",
        # "lack of evidence that indicated the patient had significant conservative care".
        rf"\b(?:no\b|lack\s+of|absence\s+of){_GAP}conservative\s+(?:care|treatment|therapy|measures)",
        # "the patient is still improving with physical therapy".
        r"\b(?:still|continues\s+to\s+be|continuing\s+to)\s+(?:improving|benefit\w*|progress\w*)",
        # "absent any record of conservative management", "no sign physical therapy was tried",
        # "a conservative care trial and its failure have not been documented", "no failure of
        # standard conservative measures".
        rf"\b(?:absent|absence\s+of|no\b|lack\s+of){_GAP}(?:conservative\s+management|physical\s+therapy"
        r"\s+was\s+(?:started|tried|completed|attempted))|\bconservative\s+(?:\w+\s+){0,3}(?:trial|failure)"
        rf"{_GAP}\bnot\s+been\s+(?:submitted|documented|provided)|\bfailure\s+of\s+(?:\w+\s+){{0,2}}"
        r"conservative\b",
        # The MTUS condition for the next step, said to be unmet: conservative care not
        # "exhausted", no "failure of" or being "unresponsive to" it, a trial not completed
        # ("failed to show a completion of a trial of conservative treatments"), "has not
        # tried physical therapy".
        rf"\b(?:no\b|not|without|lack\s+of|absence\s+of|fail\w*\s+to){_GAP}(?:exhaust\w*|unresponsive"
        r"|refractory|complet\w*\s+(?:of\s+)?(?:a\s+|the\s+)?(?:trial|course)\s+of)"
        r"|\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:tried|failed|exhausted|undergone|completed|attempted)"
        r"\s+(?:\w+\s+){0,3}(?:conservative|physical\s+therapy|therapy|treatment|exercises?|medications?"
        r"|injections?)",
    ),
    _tag(
        "not-first-line",
        "not_first_line",
        "Not first line",
        # "nothing shows first-line drugs were tried and failed", "without a trial of
        # antidepressants", "no failure of oral medications is recorded".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without|not){_GAP}(?:trial|trying|tried|failed|failure)"
        rf"{_GAP}(?:first[-\s]line|oral\s+(?:medications?|analgesics?|alternatives?|forms?)"
        r"|antidepressants|anticonvulsants|non-?\s?opioid)",
        # The same, first-line named first: "no evidence that first-line drugs were attempted",
        # "failure of primary (acetaminophen) treatment is not documented".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without|not){_GAP}\bfirst[-\s]line\b{_GAP}"
        r"\b(?:attempted|tried|trialed|failed|used)\b|\b(?:failure|trial)\s+of\s+(?:the\s+)?primary\b",
        # "not a first-line treatment", "second-line", "guidelines do not recommend kits as
        # a first-line choice".
        r"\bnot\s+(?:a\s+)?first[-\s]line|\bsecond[-\s]line\b|\bnot\s+recommend\w*\s+[^.;]{0,40}"
        r"\bas\s+(?:a\s+)?first[-\s]line",
        # Topicals, as the guideline puts their condition: "when trials of antidepressants
        # have failed", "for those who have not responded or are intolerant".
        rf"\bwhen\s+(?:a\s+)?trials?\s+of\s+antidepressants{_GAP}(?:failed|fail)"
        r"|\bnot\s+responded\s+or\s+are\s+intolerant",
        # "nothing says she cannot take the drug by mouth", "intolerant of oral NSAIDs". Not
        # "unable to take pills or capsules": that asks why a liquid form of the same drug is
        # needed, a documentation gap about the formulation, not a first-line drug skipped.
        rf"\b(?:cannot|can\s+not|unable\s+to|not\s+able\s+to|intoleran\w*){_GAP}"
        r"(?:oral\b(?!\s+(?:capsules?|tablets?|pills?|solids?)\b)|by\s+mouth)",
    ),
    _tag(
        "not-specified",
        "frequency_or_quantity_unspecified",
        "Frequency, quantity or duration not specified",
        # "the frequency of the medication was not specified", "the quantity was not provided",
        # "the request does not specify the body part".
        r"\b(?:frequency|quantity|duration|dosage|dose|number\s+of\s+(?:sessions|visits)"
        rf"|body\s+part|strength){_GAP}\b(?:was|were|is|are|has\s+not\s+been|had\s+not\s+been)\s+"
        r"not\s+(?:specified|provided|indicated|stated|documented|included|noted)",
        # "did not specify a frequency", "does not specify the quantity", "unspecified frequency".
        rf"\b(?:did|does)\s+not\s+(?:specify|indicate|include){_GAP}(?:frequency|quantity|duration"
        r"|dosage|dose|body\s+part|number)|\bunspecified\s+(?:frequency|quantity|duration|rental)",
        # "without a frequency", "without the quantity".
        r"\bwithout\s+(?:a|the|any)\s+(?:specified\s+)?(?:frequency|quantity|duration)",
        # "the amount ... is not included with the request", "the request ... is vague".
        r"\bnot\s+included\s+(?:with|in)\s+the\s+request|\brequest\b[^.;]{0,60}\bvague\b",
        # "the duration is unspecified", "the number of sessions requested is unknown", "an
        # open-ended request", "no frequency or duration was given".
        r"\b(?:frequency|quantity|duration|number\s+of\s+(?:sessions|visits|units|refills|tablets|pills)"
        r"|amount)\s+(?:[\w-]+\s+){0,4}?(?:is|was|are|were)\s+(?:unspecified|unknown|unclear|not\s+"
        r"(?:listed|given|clear))|\bopen[-\s]ended\b|\bno\s+(?:frequency|quantity|duration|stop\s+date"
        r"|end\s+date)\b",
    ),
    _tag(
        "no-indication",
        "other",
        "No indication for the drug or treatment",
        # A drug given without the condition it treats: "no history of GI bleeding or ulcer"
        # (a PPI), "without osteoarthritis" (an NSAID), "does not have a diagnosis of
        # anxiety", "not at high risk".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without|not)\b{_GAP}(?:gastrointestinal|\bGI\b|dyspepsia"
        r"|gastritis|reflux|ulcer|osteoarthritis|nausea|constipation)",
        # The nerve-pain conditions an anti-epilepsy drug or antidepressant is for: "nothing
        # shows he has diabetic neuropathy, post-herpetic neuralgia or fibromyalgia".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without)\b{_GAP}\b(?:has|had|have|of)\s+(?:\w+\s+){{0,3}}"
        r"(?:neuropathy|neuralgia|fibromyalgia)\b",
        # "no diagnosis for which the drug is given"; tests "reserved for those with a known
        # clotting disorder".
        rf"\b(?:no\b|not|any)\b{_GAP}\bdiagnos[ie]s\s+for\s+which|\breserved\s+for\s+(?:patients|those)\s+"
        r"(?:with|who)\s+(?:a\s+)?(?:history|known|clinical)",
        r"\bdoes\s+not\s+(?:maintain|have)\s+a\s+diagnosis|\bnot\s+exhibiting\b"
        r"|\bnot\s+(?:at|considered\s+at)\s+(?:an?\s+)?(?:increased|intermediate|high)\s+risk",
        # "nerve pain, for which the drug is not recommended", "no indication for a baseline
        # screen".
        r"\bfor\s+which\s+(?:this|the)\s+(?:medication|drug|treatment|test)\s+is\s+not\s+recommended"
        r"|\bno\s+indication\s+for\s+(?:a|the|an|any)\b",
        # The history, risk or current drug that would call for the test is not on record:
        # "nothing shows a bleeding history or a condition predisposing to it", "no record
        # that he is on blood-thinning therapy".
        rf"\b(?:no\b|lack\s+of|absence\s+of|without){_GAP}(?:\bhistory\s+of\s+(?:\w+\s+){{0,2}}"
        r"(?:bleeding|seizures?|cardiac|heart|disease|disorders?|conditions?|diabetes|hypertension)"
        r"|\bpredispos\w*|\b(?:is|was|were|are)\s+(?:currently\s+)?(?:taking|on)\s+(?:[\w-]+\s+){0,2}"
        r"(?:therapy|anti-?coagula\w*|blood[-\s]thinn\w*))",
    ),
    _tag(
        "ancillary-to-denied",
        "other",
        "The treatment it belongs to was not approved",
        # Items of a surgery that was denied: "as the requested surgery is not medically
        # necessary, none of the associated services are", "since the primary procedure was
        # not certified".
        r"\b(?:surgery|surgical\s+(?:procedure|request|intervention)|procedure|operation)\s+"
        r"(?:is|was|has|has\s+been|have\s+been|were)\s+(?:not|deemed\s+not|non-?)\s*(?:been\s+)?"
        r"(?:medically\s+necessary|certified|authorized|approved|supported|indicated|recommended)",
        r"\b(?:associated|ancillary|related|post-?operative|pre-?operative)\s+(?:services?|requests?"
        r"|items?)\s+(?:is|are|would\s+be)\s+(?:also\s+)?not\s+(?:medically\s+necessary|needed|indicated)",
        # "The primary request was not found medically necessary".
        r"\bprimary\s+(?:request|procedure|treatment)\s+(?:is|was|has\s+been)\s+not",
        # A duplicate: "this request duplicates one already decided".
        r"\bduplicat\w+",
        # The same request decided before: "a second approval would be redundant", "the visit
        # was already approved." (a count after it is a quantity, not this).
        r"\bredundant\b|\b(?:already|previously)\s+(?:been\s+)?(?:authorized|approved|certified)"
        r"(?!\s+(?:for\s+)?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve))\b",
        # Buying what should be rented: "a purchase of the unit is not supported; rent it".
        r"\bpurchase\b[^.;]{0,40}\bnot\s+(?:supported|recommended|indicated)",
    ),
    _tag(
        "compound-ingredient-not-recommended",
        "other",
        "A compound holds a drug not recommended topically",
        # The guideline's rule for compounds, that a mix which contains at least one drug not
        # recommended is itself not recommended; "topical baclofen is not recommended";
        # "lidocaine is only recommended as a patch formulation".
        r"\bcontains?\s+at\s+least\s+one\s+drug|\btopical\s+(?:muscle\s+relaxants?|cyclobenzaprine"
        r"|baclofen|gabapentin|antidepressants?|dextromethorphan|ketoprofen)\s+(?:is|are)\s+not\s+"
        r"(?:recommended|approved)",
        rf"\blidocaine\b{_GAP}\bonly\s+(?:recommended\s+)?(?:in\s+the\s+)?(?:form|formulation)"
        rf"|\bonly\s+recommended\s+(?:form|formulation)\s+of\s+topical|\bnot\s+approved\s+in\s+any\s+other",
        # "a cream containing a drug it should not", "gabapentin in a topical base".
        r"\bcontaining\s+(?:a|at\s+least\s+one)\s+drug|\b(?:muscle\s+relaxants?|gabapentin|baclofen"
        r"|cyclobenzaprine)\s+in\s+(?:a\s+)?topical\b",
    ),
    _tag(
        "awaiting-prior-results",
        "other",
        "Results of authorized treatment still pending",
        # "until the results of the initial set of visits", "prior to the completion of the
        # previously authorized conservative treatment", "lack of documentation regarding the
        # patient's response to therapy".
        r"\bresults?\s+(?:of|from)\s+the\s+(?:initial|previous|prior|previously)"
        r"|\bprior\s+to\s+the\s+completion\s+of|\bresponse\s+to\s+(?:the\s+)?(?:therapy|treatment)",
        # "currently undergoing previously recommended physical therapy".
        r"\bcurrently\s+undergo\w*\s+(?:previously\s+)?(?:recommended|authorized|approved)",
    ),
    _tag(
        "refills",
        "exceeds_guideline_quantity",
        "Request for refills",
        # "the request for refills is not supported", "3 refills would not allow reassessment".
        rf"\brefills?\b{_GAP}\b(?:not|no|cannot|without)\b|\b(?:not|no){_GAP}\brefills?\b",
    ),
    _tag(
        "not-recommended",
        "other",
        "Not recommended by the guideline",
        # "Topical analgesics ... are not recommended", "the guidelines do not recommend".
        r"\b(?:is|are)\s+not\s+recommended\b|\b(?:do|does)\s+not\s+recommend\b",
        # "is not supported by the guidelines", "not supported by evidence".
        r"\bnot\s+supported\s+by\s+(?:the\s+)?(?:guidelines?|evidence|MTUS|ODG)",
    ),
    _tag(
        IMAGING_NOT_INDICATED_KEY,
        "imaging_not_indicated",
        "Imaging not indicated",
        # "routine MRI is not recommended", "imaging is not indicated without red flags",
        # "no surgical intent" (given to every upheld imaging item, see reason_tags).
        r"\broutine\s+(?:use\s+of\s+)?(?:MRI|imaging|x-?rays?|radiograph\w*|CT)"
        rf"|\b(?:MRI|imaging|x-?rays?|radiograph\w*|CT\s+scan|scan){_GAP}\bnot\s+(?:indicated|warranted"
        r"|recommended)|\bno\s+(?:surgical\s+(?:intent|indication|plan)|plan\s+for\s+surgery)"
        # "nothing says she is a candidate for an operation".
        rf"|\b(?:no\b|not|without|lack\s+of){_GAP}\b(?:surgical\s+candidate|candidate\s+for\s+"
        r"(?:surgery|surgical|an\s+operation|operative))",
    ),
    _tag(
        "repeat-study",
        "imaging_not_indicated",
        "Repeat or prior study",
        # "the patient had prior X-rays", "a repeat MRI is not indicated", "previous imaging".
        r"\brepeat\s+(?:MRI|imaging|study|studies|x-?rays?|EMG|scan|testing)"
        r"|\b(?:prior|previous)\s+(?:MRI|imaging|study|studies|x-?rays?|EMG|scan)",
    ),
    _tag(
        "insufficient-documentation",
        "insufficient_documentation",
        "Insufficient documentation",
        # "there is a lack of documentation", "no documentation was provided", "insufficient
        # documentation", "the medical records did not include".
        r"\b(?:lack\s+of|insufficient|inadequate|limited|no)\s+(?:clinical\s+|medical\s+)?"
        r"(?:documentation|information|records)\b",
        # "was not documented", "were not provided for review".
        r"\b(?:was|were|is|are|has\s+not\s+been)\s+not\s+(?:documented|provided\s+for\s+review)",
        # "no clear rationale", "lack of evidence based rationale".
        rf"\b(?:no\b|lack\s+of){_GAP}rationale\b",
        # "the reason is not clearly explained", "the provider did not document", "could not be
        # verified", "given the lack of the above", "lack of evidence provided", "the goals
        # were not provided".
        r"\bnot\s+clearly\s+(?:stated|established|documented|explained)|\b(?:did|does|has)\s+not\s+"
        r"document\b|\bcould\s+not\s+be\s+(?:established|determined|verified)|\black\s+of\s+(?:the\s+)?"
        r"above|\black\s+of\s+(?:clinical\s+)?evidence\s+provided|\b(?:was|were)\s+not\s+provided\b",
        # The prescriber left it unexplained: "the doctor has not documented an exam", "no
        # discussion of why", "the notes do not detail the need", "the request fails to
        # say which procedure", "without such documentation", "which model is not stated".
        r"\b(?:has|have|had)\s+not\s+documented\b|\bno\s+(?:discussion|explanation|description"
        r"|describing|detailing)\b|\b(?:does|do|did)\s+not\s+(?:detail|explain|describe|discuss)\b"
        r"|\bfail(?:s|ed)?\s+to\s+(?:specify|document|provide|detail|explain|describe)\b"
        r"|\babsence\s+of\s+(?:such|this|that|any)\s+documentation\b"
        r"|\bwithout\s+(?:(?:any|such|this|that|adequate|sufficient|further|clear)\s+)?documentation\b"
        r"|\btype\s+of\s+(?:[\w-]+\s+){0,3}(?:is|was)\s+not\s+(?:specified|stated|identified)",
    ),
)

OVERTURNED_TAGS: tuple[Tag, ...] = (
    _tag(
        "criteria-met",
        "criteria_met",
        "Guideline criteria met",
        # "MRI of shoulder meets criteria for recommendation", "the criteria have been met",
        # "this worker qualifies for an MRI".
        r"\bmee?ts?\s+(?:the\s+)?(?:guidelines?\s+)?(?:criteria|recommendations?|guidelines?)"
        r"|\bcriteria\s+(?:are|were|have\s+been|has\s+been)\s+met\b|\bqualif(?:y|ies|ied)\s+for\b",
        # "consistent with the guidelines", "in accordance with MTUS", "supported by the
        # guidelines".
        r"\bconsistent\s+with\s+(?:the\s+)?(?:guidelines?|recommendations?|MTUS|ODG)"
        r"|\bin\s+accordance\s+with\b|\b(?:is|are)\s+supported\s+by\s+(?:the\s+)?guidelines?",
        # "within guideline recommendations", "does not exceed the recommended".
        r"\bwithin\s+(?:the\s+)?(?:guidelines?|recommended)|\bdoes\s+not\s+exceed\b",
    ),
    _tag(
        "documented-benefit",
        "documented_benefit",
        "Documented benefit from prior treatment",
        # "showed benefit with the initial 6 visits", "has reported benefit from previous
        # sessions", "documented functional improvement", "objective improvement".
        r"\b(?:showed|shown|reported|documented|demonstrated|noted)\s+(?:significant\s+)?"
        r"(?:functional\s+)?(?:benefit|improvement)",
        rf"\bbenefit\s+(?:from|with){_GAP}(?:previous|prior|initial|the)",
        r"\b(?:objective|measurable|significant)\s+(?:functional\s+)?improvement\s+(?:in|with|was|has)",
    ),
    _tag(
        "red-flags-present",
        "criteria_met",
        "Red flags or objective findings present",
        # "positive straight leg raise", "positive provocative testing", "instability",
        # "neurologic deficit", "locking".
        r"\bpositive\s+(?:straight\s+leg|provocative|Spurling|McMurray|Apley|Hawkins|Neer|Tinel"
        r"|Phalen)|\bneurologic\w*\s+(?:deficits?|dysfunction|compromise)\b",
        # "red flag", "internal derangement", "suspicion of meniscal tear".
        r"\bred[-\s]flags?\b(?![^.]{0,40}\b(?:no\b|not|absence)\b)|\binternal\s+derangement"
        r"|\b(?:meniscal|ligament|rotator\s+cuff)\s+tear",
    ),
    _tag(
        "conservative-care-failed",
        "criteria_met",
        "Conservative care tried and failed",
        # "has not responded to conservative treatment", "failed conservative care",
        # "despite physical therapy", "anti-inflammatories with no benefit".
        r"\b(?:not\s+responded|failed|failure\s+of|despite|refractory\s+to)\s+(?:to\s+)?"
        r"(?:conservative|physical\s+therapy|medications?|anti-?inflammator|treatment)",
        rf"\bwith\s+no\s+benefit\b|\bno\s+(?:documented\s+)?improvement{_GAP}(?:therapy|treatment)",
    ),
    _tag(
        "monitoring-documented",
        "criteria_met",
        "Opioid monitoring documented",
        # "urine drug screens were performed", "screened 2-3 times per year", "opioid agreement
        # on file", "CURES report reviewed".
        r"\bdrug\s+screens?\s+(?:were|was)\s+(?:performed|consistent|appropriate|done)"
        r"|\b(?:opioid|pain)\s+(?:agreement|contract)\s+(?:is|was)\s+(?:on\s+file|signed)"
        r"|\bCURES\s+(?:report\s+)?(?:was\s+)?(?:reviewed|consistent)|\bscreened\s+\d",
    ),
    _tag(
        "trial-appropriate",
        "criteria_met",
        "Initial trial appropriate",
        # "An initial trial of 6 visits over 2 weeks is recommended", "a trial is appropriate".
        r"\binitial\s+trial\s+of\b|\btrial\s+(?:is|would\s+be)\s+(?:appropriate|reasonable|indicated)",
    ),
    _tag(
        "necessity-established",
        "criteria_met",
        "Medical necessity established",
        # "Medical necessity is established for urine drug screen", "is medically necessary
        # because ...".
        r"\bmedical\s+necessity\s+(?:is|has\s+been)\s+established"
        r"|\b(?:is|are)\s+(?:determined\s+to\s+be\s+)?medically\s+necessary\s+because",
        # "is indicated", "is appropriate", "would be reasonable".
        r"\b(?:is|are|would\s+be)\s+(?:clinically\s+)?(?:indicated|appropriate|reasonable)\b"
        r"(?![^.]{0,20}\bnot\b)",
    ),
)

TAGS_BY_OUTCOME: dict[Outcome, tuple[Tag, ...]] = {
    Outcome.UPHELD: UPHELD_TAGS,
    Outcome.OVERTURNED: OVERTURNED_TAGS,
}
TAG_LABELS: dict[str, str] = {t.key: t.label for t in UPHELD_TAGS + OVERTURNED_TAGS}
TAG_TO_LABELLED: dict[str, str] = {t.key: t.labelled for t in UPHELD_TAGS + OVERTURNED_TAGS}
# Tags whose presence is nearly universal and so say little on their own; coverage counts
# an item as tagged only if it has another.
GENERIC_TAGS = frozenset({"insufficient-documentation", "not-recommended", "necessity-established"})


# Upheld imaging is, by definition, imaging the guideline's criteria do not support: every
# upheld MRI, CT or X-ray gets this tag, whatever else the rationale says.
IMAGING_SUBCATEGORY = "Imaging (Radiology)"
IMAGING_NOT_INDICATED = IMAGING_NOT_INDICATED_KEY
ANCILLARY = "ancillary-to-denied"
# What an overturned item gets when no phrase says more: the reviewer found it medically
# necessary, so the guideline's criteria were met.
OVERTURNED_DEFAULT = "necessity-established"
# A lack of documentation that a specific tag already explains ("there is no documentation
# of functional improvement" is no-functional-improvement) is not also a documentation gap.
_SENTENCE_GENERIC = frozenset({"insufficient-documentation", "no-indication"})
# Reasons that only stand when nothing specific was found: a guideline's "is not recommended"
# is quoted in most rationales, and is the reason only when the rationale gives no other.
_FALLBACK = frozenset({"not-recommended", "awaiting-prior-results"})
_GENERAL_LABELS = ("insufficient_documentation", "other")
_SENTENCE_RE = re.compile(r"[^.;]*(?:[.;]|$)")


# A sentence that states the guideline's general rule rather than a finding about this
# case: it names a guideline or speaks as one ("the guidelines recommend ...", "ODG states
# ...", "... is recommended for ...", a rule that opens "When ..." or "If ..."), and has no
# word that points at the case ("in this case", "the claimant", "the records", "was").
# "ESIs offer no long-term functional benefit" there describes the treatment, not the worker.
_GUIDELINE_VOICE_RE = re.compile(
    r"^\s*(?:when|if|for)\b|\bguidelines?\b|\b(?:mtus|odg|acoem)\b|\brecommend(?:s|ed)?\b"
)
_CASE_VOICE_RE = re.compile(
    r"\bin\s+(?:this|the)\s+case\b|\bthis\s+(?:patient|claimant|worker|injured|employee|individual"
    r"|request)\b|\bthe\s+(?:claimant|injured\s+worker|employee|iw)\b|\b(?:medical\s+)?records?\b"
    r"|\b(?:submitted|provided|notes|additional|currently)\b|\bfor\s+review\b"
    r"|\b(?:was|were|had|did)\b|\bhas\s+(?:been|had|not)\b|\bthe\s+request\b|\bit\s+is\s+noted\b"
    r"|\bthere\s+(?:is|are)\s+(?:no|a\s+lack)\b|\b(?:would|will)\s+(?:exceed|surpass|go\s+beyond)"
)
# Tags that report a finding about the case: a match in a guideline-voice sentence is the
# guideline's rule being quoted, not a reason found in this case.
_CASE_FINDINGS = frozenset(
    {
        "no-functional-improvement",
        "no-pain-relief",
        "exceeds-visits",
        "no-red-flags",
        "insufficient-documentation",
        "not-specified",
        "no-opioid-monitoring",
    }
)


def _sentence_at(text: str, start: int, end: int) -> str:
    head = text.rfind(".", 0, start) + 1
    tail = text.find(".", end)
    return text[head : tail if tail >= 0 else len(text)]


# Guideline quotations recur in many rationales: each sentence's voice is read once.
@lru_cache(maxsize=20_000)
def _in_guideline_voice(sentence: str) -> bool:
    return bool(_GUIDELINE_VOICE_RE.search(sentence)) and not _CASE_VOICE_RE.search(sentence)


def _found_about_case(phrase: Phrase, text: str, matches: TextMatches) -> bool:
    """Whether ``phrase`` matches ``text`` (lowercased) outside guideline-voice sentences;
    ``matches`` is ``_LEXICON.in_text(text)``."""
    bit = _LEXICON.bit[phrase.lowered]
    if bit & _LEXICON.local:  # every match lies in a sentence that matches alone
        return any(
            bits & bit and not _in_guideline_voice(sentence)
            for sentence, bits in zip(matches.sentences, matches.per_sentence, strict=True)
        )
    return any(
        not _in_guideline_voice(_sentence_at(text, m.start(), m.end()))
        for m in phrase.lowered.pattern.finditer(text)
    )


# Tags that say no more than "something is missing" or "the guideline says no": never the
# specific reason that explains a sentence.
_VAGUE = frozenset({"insufficient-documentation", "not-recommended", "awaiting-prior-results"})


def _explaining(generic: Tag) -> tuple[Phrase, ...]:
    """The phrases of the tags more specific than ``generic``: for a documentation gap any
    named reason ("no record that she takes a blood thinner" is no indication for the test);
    for no-indication, a reason outside the general labels."""
    return tuple(
        phrase
        for tag in UPHELD_TAGS
        if tag.key != generic.key
        and tag.key not in _VAGUE
        and (generic.key == "insufficient-documentation" or tag.labelled not in _GENERAL_LABELS)
        for phrase in tag.phrases
    )


_EXPLAINING: dict[str, tuple[Phrase, ...]] = {
    tag.key: _explaining(tag) for tag in UPHELD_TAGS if tag.key in _SENTENCE_GENERIC
}


# Every phrase of the lexicon, searched in a rationale together.
_LEXICON = PhraseSet([p.lowered for tag in UPHELD_TAGS + OVERTURNED_TAGS for p in tag.phrases])


def _bits(phrases: tuple[Phrase, ...]) -> int:
    bits = 0
    for phrase in phrases:
        bits |= _LEXICON.bit[phrase.lowered]
    return bits


# A generic tag's phrases and its explaining phrases, as ``_LEXICON`` bits. Its phrases must be
# sentence-local: a match is judged by the one sentence holding it.
_GENERIC_BITS: dict[str, tuple[int, int]] = {
    key: (_bits(tag.phrases), _bits(_EXPLAINING[key]))
    for tag in UPHELD_TAGS
    if (key := tag.key) in _SENTENCE_GENERIC
}
# Its explaining phrases are searched in the sentence alone, as they always were; for a
# windowed phrase that was a search inside the text, the same only when sentence-local.
assert all(
    _LEXICON.bit[p.lowered] & _LEXICON.local or not p.lowered.windowed
    for phrases in _EXPLAINING.values()
    for p in phrases
), "an explaining phrase must be sentence_local (see ingest.normalize.needles)"
assert all(own & ~_LEXICON.local == 0 for own, _ in _GENERIC_BITS.values()), (
    "a generic tag's phrases must be sentence_local (see ingest.normalize.needles)"
)


# Every phrase of a tag that names a reason of its own (not the vague ones).
_SPECIFIC_BITS = _bits(
    tuple(p for tag in UPHELD_TAGS if tag.key not in _VAGUE for p in tag.phrases)
)


def _generic_found(tag: Tag, matches: TextMatches) -> bool:
    """Whether ``tag`` matches a rationale in a sentence no more specific tag explains (no
    phrase of ``_EXPLAINING`` matches the sentence searched alone); ``matches`` is
    ``_LEXICON.in_text`` of the rationale."""
    own, explaining = _GENERIC_BITS[tag.key]
    return any(bits & own and not bits & explaining for bits in matches.per_sentence)


# The sentence that decides: it states the conclusion ("... is not medically necessary", "...
# cannot be supported") or ties the finding to it ("therefore", "given", "without this",
# "in the absence of", "because"). A documentation gap counts as a reason only when said in
# such a sentence, or just before the verdict that follows from it ("There is no record of
# the exam. Therefore the request is not medically necessary."); a gap mentioned in passing,
# while the rationale decides on something else, is not the reason.
_DECISIVE_RE = re.compile(
    r"\bnot\s+(?:medically\s+necessary|(?:been\s+)?(?:supported|established|indicated|warranted"
    r"|appropriate|recommended|justified|substantiated|certified|reasonable))\b|\bnon-?certif"
    r"|\b(?:cannot|can\s*not|could\s+not|unable\s+to)\s+(?:be\s+)?(?:support|establish|recommend"
    r"|justif|certif|determin|verif|confirm|endorse)|\btherefore\b|\bthus\b|\bas\s+such\b"
    r"|\bconsequently\b|\bhence\b|\bgiven\s+(?:the|this|that|these)\b|\bin\s+the\s+absence\s+of\b"
    r"|\bwithout\s+(?:this|such|that|these|the|documentation|evidence|clear)\b|\bbecause\b"
    r"|\bdue\s+to\b|\bsince\b|\bunclear\b|\bin\s+order\s+to\b|\bwould\s+be\s+(?:needed|required)"
    r"|\b(?:is|are)\s+(?:needed|required)\b|\bnecessary\s+to\b"
    # The gap is in the case for the request itself, what the guideline asks the requesting
    # provider to show: why it is needed, its rationale or medical necessity, the drug's
    # efficacy, what exactly is asked for ("the type of device is not specified").
    r"|\bwhy\b|\brationale\b|\bmedical\s+necessity\b|\befficacy\b|\btype\s+of\b"
    r"|\bto\s+(?:support|substantiate|justify|warrant)\b"
)
# Tags whose phrases report a gap in the records: held to the decisive sentence.
_NEEDS_DECISIVE = frozenset({"insufficient-documentation"})


# A verdict on the request, the sentence a documentation gap may lead to: "Therefore, the
# request is not medically necessary", "As such, it is non-certified".
_BARE_VERDICT_RE = re.compile(
    r"\bmedically\s+(?:necessary|reasonable)\b|\bnon-?certif|\b(?:is|are)\s+not\s+(?:supported|indicated"
    r"|warranted|certified|appropriate|reasonable)\b"
)


def _decisive(index: int, matches: TextMatches, specific: int) -> bool:
    """Whether sentence ``index`` of a rationale (``matches`` of its lowercased text) decides:
    it states or draws the conclusion, it ends the rationale, the next sentence is the bare
    verdict it leads to (one that gives no reason of its own: none of the ``specific`` phrase
    bits), or the rationale gives no specific reason at all."""
    sentences = matches.sentences
    if _DECISIVE_RE.search(sentences[index]):
        return True
    if not any(bits & specific for bits in matches.per_sentence):
        return True  # the rationale decides on nothing else: the gap is its reason
    for following, bits in zip(
        sentences[index + 1 :], matches.per_sentence[index + 1 :], strict=True
    ):
        if following.strip():
            return (
                bool(_BARE_VERDICT_RE.search(following))
                and not bits & specific
                and len(following.split()) <= 30
            )
    return True  # the rationale ends on it


def _evidence_index(tag: Tag, phrase: Phrase, text: str, matches: TextMatches) -> int | None:
    """The first sentence (an index into ``matches.sentences``) where ``phrase`` gives ``tag``
    about this case; None when none does (only the guideline's rule quoted, only a sentence a
    more specific tag explains, or, for a documentation gap, never the decisive sentence)."""
    bit = _LEXICON.bit[phrase.lowered]
    if bit & _LEXICON.local:
        explaining = _GENERIC_BITS[tag.key][1] if tag.key in _SENTENCE_GENERIC else 0
        if not explaining and tag.key not in _CASE_FINDINGS and tag.key not in _NEEDS_DECISIVE:
            # Most tags: the first sentence holding the phrase.
            return next((i for i, bits in enumerate(matches.per_sentence) if bits & bit), None)
        for index, (sentence, bits) in enumerate(
            zip(matches.sentences, matches.per_sentence, strict=True)
        ):
            if not bits & bit or bits & explaining:
                continue
            if tag.key in _CASE_FINDINGS and _in_guideline_voice(sentence):
                continue
            if tag.key in _NEEDS_DECISIVE and not _decisive(index, matches, _SPECIFIC_BITS):
                continue
            return index
        return None
    for match in phrase.lowered.pattern.finditer(text):
        if tag.key in _CASE_FINDINGS and _in_guideline_voice(
            _sentence_at(text, match.start(), match.end())
        ):
            continue
        return text.count(".", 0, match.start())
    return None


# A verdict sentence: where an overturned item's default reason, and upheld imaging's, is
# read when no phrase names one.
_VERDICT_RE = re.compile(
    r"\bmedically\s+necessary\b|\b(?:is|are)\s+(?:not\s+)?(?:indicated|supported)\b"
)


def _verdict_index(sentences: list[str]) -> int:
    """The last sentence giving the verdict, else the last sentence with words."""
    last = None
    for index in range(len(sentences) - 1, -1, -1):
        if _VERDICT_RE.search(sentences[index]):
            return index
        if last is None and sentences[index].strip():
            last = index
    return last or 0


_COUNT = r"(?:\d{1,2}|" + "|".join(w for w in NUMBER_WORDS if w not in ("no", "zero")) + r")"
# The guideline's limit on visits, in the MTUS physical medicine and acupuncture wording:
# "9-10 visits over 8 weeks", "up to 10 visits of physical therapy over eight weeks", "8-10
# visits may be needed", "the guidelines recommend 10 visits", "a six visit clinical trial",
# "a maximum of 24 visits", "3-6 treatments to produce functional improvement".
_GUIDELINE_VISITS_RE = re.compile(
    rf"\b(?:{_COUNT}\s*(?:-|to)\s*)?(?P<over>{_COUNT})\s*(?:[\w-]+\s+){{0,4}}?(?:visits?|sessions?"
    rf"|treatments?)\s+(?:over|in|within|during)\s+(?:{_COUNT}|a|one|the)\s*(?:[\w-]+\s+)?weeks?"
    rf"|\b(?:recommends?|recommended|allows?|allowed|supports?|maximum\s+of|up\s+to)\s+(?:up\s+to\s+"
    rf"|a\s+(?:total|maximum)\s+of\s+|(?:only\s+)?{_COUNT}\s*(?:-|to)\s*)?(?P<limit>{_COUNT})\s*"
    r"(?:[\w-]+\s+){0,3}?(?:visits?|sessions?|treatments?)\b"
    rf"|\b(?:an?\s+)?(?P<trial>{_COUNT})[-\s](?:visit|session)\s+(?:clinical\s+)?trial\b"
)
# Visits the worker has had, or that were approved: "8 previous physical therapy sessions",
# "received three physical therapy visits", "has completed 12 sessions", "was approved for 8
# sessions".
_PRIOR_VISITS_RE = re.compile(
    rf"\b(?:received|had|completed|attended|undergone|underwent|approved\s+for|authorized\s+for"
    rf"|certified\s+for)\s+(?:(?:at\s+least|over|approximately|about|the|a\s+total\s+of)\s+)?"
    rf"(?P<n>{_COUNT})\s+(?:[\w-]+\s+){{0,3}}?(?:visits?|sessions?|treatments?)\b"
    rf"|\b(?P<m>{_COUNT})\s+(?:previous|prior|past|completed|previously\s+\w+)\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:visits?|sessions?|treatments?)\b"
)


def _exceeds_visit_limit(sentences: list[str], requested: int) -> int | None:
    """The index of the sentence stating the guideline's visit limit when the visits requested,
    with those already had, go past it (MTUS physical medicine: "allow for fading of treatment
    frequency", up to a number of visits over some weeks); None when the rationale states no
    limit or the request stays within it."""
    limit_at: tuple[int, int] | None = None
    prior = 0
    for index, sentence in enumerate(sentences):
        if "visit" not in sentence and "session" not in sentence and "treatment" not in sentence:
            continue  # both patterns need one of these words
        for match in _GUIDELINE_VISITS_RE.finditer(sentence):
            limit = number(match.group("over") or match.group("limit") or match.group("trial"))
            if limit and (limit_at is None or limit > limit_at[0]):
                limit_at = (limit, index)
        for match in _PRIOR_VISITS_RE.finditer(sentence):
            prior = max(prior, number(match.group("n") or match.group("m")))
    if limit_at is None:
        return None
    return limit_at[1] if requested + prior > limit_at[0] else None


class Reasons(NamedTuple):
    tags: tuple[str, ...]
    # Tag -> the sentence of the rationale it was read from, as printed ("why: ..."), in tag
    # order: for an analyst to check the reading.
    evidence: tuple[tuple[str, str], ...]


def read_reasons(
    rationale: str,
    outcome: Outcome,
    subcategory: str | None = None,
    requested_visits: int | None = None,
) -> Reasons:
    """Tags of a rationale, in lexicon order, each with the sentence it was read from;
    ``subcategory`` is the item's DWC subcategory, ``requested_visits`` the most visits the
    request asked for (a partial authorization's original request), if it counts visits."""
    folded = " ".join(rationale.split())
    text = folded.lower()
    matches = _LEXICON.in_text(text)  # every phrase searched at once, a sentence at a time
    bit = _LEXICON.bit
    where: dict[str, int] = {}
    if outcome is Outcome.UPHELD and subcategory == IMAGING_SUBCATEGORY:
        where[IMAGING_NOT_INDICATED] = -1  # its sentence: an imaging phrase's, else the verdict
    for tag in TAGS_BY_OUTCOME[outcome]:
        if tag.key in where and where[tag.key] >= 0:
            continue
        for phrase in tag.phrases:
            if matches.found & bit[phrase.lowered]:
                index = _evidence_index(tag, phrase, text, matches)
                if index is None and (tag.key in _CASE_FINDINGS or tag.key in _NEEDS_DECISIVE):
                    continue  # only the rule quoted, or said in passing: try the other phrases
                if index is not None:
                    where[tag.key] = index
                break
    if outcome is Outcome.UPHELD and requested_visits and EXCEEDS_VISITS not in where:
        index = _exceeds_visit_limit(matches.sentences, requested_visits)
        if index is not None:
            where[EXCEEDS_VISITS] = index
    found = sorted(where, key=_TAG_ORDER.__getitem__)
    if outcome is Outcome.OVERTURNED and not any(
        TAG_TO_LABELLED[t] == "criteria_met" for t in found
    ):
        # Benefit documented is why the guideline's criteria for more are met.
        found.append(OVERTURNED_DEFAULT)
    if ANCILLARY in found and IMAGING_NOT_INDICATED in found:
        # Denied because its surgery was, not on imaging criteria ("a chest film before the
        # operation").
        found.remove(IMAGING_NOT_INDICATED)
    if any(TAG_TO_LABELLED[t] not in _GENERAL_LABELS for t in found if t not in _FALLBACK):
        found = [t for t in found if t not in _FALLBACK]
    # The original sentences: lowercasing keeps every full stop, so the split lines up.
    printed = folded.split(".")
    if len(printed) != len(matches.sentences):
        printed = matches.sentences
    verdict: int | None = None  # read only for a tag no sentence gave (a default)
    evidence: list[tuple[str, str]] = []
    for key in found:
        index = where.get(key, -1)
        if index < 0:
            if verdict is None:
                verdict = _verdict_index(matches.sentences)
            index = verdict
        evidence.append((key, printed[index].strip() + "."))
    return Reasons(tuple(found), tuple(evidence))


# Lexicon order, for tags found out of it (the visit limit); imaging's default first.
_TAG_ORDER: dict[str, int] = {
    key: position
    for position, key in reversed(
        list(enumerate([IMAGING_NOT_INDICATED] + [t.key for t in UPHELD_TAGS + OVERTURNED_TAGS]))
    )
}
EXCEEDS_VISITS = "exceeds-visits"


def reason_tags(
    rationale: str, outcome: Outcome, subcategory: str | None = None
) -> tuple[str, ...]:
    """Tags of a rationale, in lexicon order; ``subcategory`` is the item's DWC subcategory."""
    return read_reasons(rationale, outcome, subcategory).tags


def matched_phrases(rationale: str, outcome: Outcome) -> dict[str, list[str]]:
    """Tag -> the phrases found, for showing why a rationale got its tags."""
    text = " ".join(rationale.split())
    out: dict[str, list[str]] = {}
    for tag in TAGS_BY_OUTCOME[outcome]:
        found = [m.group(0) for p in tag.phrases for m in [p.pattern.search(text)] if m]
        if found:
            out[tag.key] = found
    return out


def labelled_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """The labelled set's tags (``LABELLED_TAGS``) for this lexicon's tags, in first-seen order."""
    return tuple(dict.fromkeys(TAG_TO_LABELLED[t] for t in tags if t in TAG_TO_LABELLED))
