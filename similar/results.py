"""One search of similar decisions, as the page and the API both answer it.

``find(wanted)`` runs the whole of it: the matched set (similar.matching.match), its ten
most similar items with the sentences that carried each decision (similar.carried), and
the estimate block (similar.estimate). The page (similar.views.find_similar) renders
what it returns, the API (api.views.Similar) serializes it: one computation, two forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from determinations.models import DisputedItem
from similar.carried import Sentence, carried_sentences
from similar.estimate import Estimate, estimate
from similar.matching import RESULTS, Match, match, ranked
from similar.request import SimilarRequest


class Result(NamedTuple):
    """A ranked item (its letter and reviewer selected), its rationale as sentences."""

    item: DisputedItem
    sentences: list[Sentence]
    # False when no sentence holds a reason phrase (the page says so).
    any_carried: bool


@dataclass(frozen=True, slots=True)
class Found:
    match: Match
    results: list[Result]
    estimate: Estimate

    @property
    def request(self) -> SimilarRequest:
        return self.match.request


def searchable(wanted: SimilarRequest) -> bool:
    """Whether there is anything to search for: some text, or a kind, drug or region."""
    return bool(wanted.text or wanted.understood_anything)


def find(wanted: SimilarRequest) -> Found:
    """The matches and the estimate of a ``searchable`` request."""
    m = match(wanted)
    results = []
    for item in ranked(m).with_letter()[:RESULTS]:
        sentences = carried_sentences(item.rationale, item.outcome)
        results.append(Result(item, sentences, any(s.carried for s in sentences)))
    return Found(m, results, estimate(m.filters, m.search, wanted.kind_params()))
