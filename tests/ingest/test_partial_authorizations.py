"""Partial authorizations read in three parts: the original request, the authorized portion,
and the disputed remainder that becomes the item's treatment (issue 25).

Every sentence below is our own, in the grammatical shapes DWC's letters use; the golden
letters 2016_partial_authorization_wordings and 2016_partial_authorization_unknown_wording
carry the same shapes through the whole parser.
"""

from __future__ import annotations

import pytest

from ingest.items import read_partial
from ingest.normalize.therapy import therapy_visits

PARTS = [
    # The usual wording: "X was the original request. Y was authorized by the Claims
    # Administrator. The remaining IMR eligible portion of the original request, Z is".
    (
        "Eight physical therapy sessions for the hip was the original request. Six physical "
        "therapy sessions for the hip was authorized by the Claims Administrator. The remaining "
        "IMR eligible portion of the original request, two physical therapy sessions for the hip is",
        (
            "Eight physical therapy sessions for the hip",
            "Six physical therapy sessions for the hip",
            "two physical therapy sessions for the hip",
        ),
    ),
    # The closing "is" left out, and a comma before the outcome's colon.
    (
        "Meloxicam 15mg #60 was the original request. Meloxicam 15mg #30 was authorized by the "
        "Claims Administrator. The remaining IMR eligible portion of the original request, "
        "Meloxicam 15mg #30,",
        ("Meloxicam 15mg #60", "Meloxicam 15mg #30", "Meloxicam 15mg #30"),
    ),
    # The whole request stays disputed: "..., leaving the original request IMR eligible. The
    # original request, X is".
    (
        "Home exercise kit was the original request. The Claims Administrator authorized a "
        "home exercise instruction visit, leaving the original request IMR eligible. The "
        "original request, Home exercise kit is",
        ("Home exercise kit", "a home exercise instruction visit", "Home exercise kit"),
    ),
    # Plural, "certified", "IMR-eligible", "of the request", "are".
    (
        "Ten massage visits were the original request. Four massage visits were certified by the "
        "Claims Administrator. The remaining IMR-eligible portion of the request, six massage "
        "visits, are",
        ("Ten massage visits", "Four massage visits", "six massage visits"),
    ),
    # "has been approved", "The remainder of the original request".
    (
        "Gabapentin 300mg #90 with 1 refill was the original request. Gabapentin 300mg #90 has "
        "been approved by the Claims Administrator. The remainder of the original request, one "
        "refill of Gabapentin 300mg #90 is",
        (
            "Gabapentin 300mg #90 with 1 refill",
            "Gabapentin 300mg #90",
            "one refill of Gabapentin 300mg #90",
        ),
    ),
    # The original request first: "The original request was for X. The Claims Administrator
    # modified the request to Y."
    (
        "The original request was for traction 2 times a week for 6 weeks. The Claims "
        "Administrator modified the request to traction 2 times a week for 3 weeks. The remaining "
        "portion of the original request, traction 2 times a week for 3 weeks is",
        (
            "traction 2 times a week for 6 weeks",
            "traction 2 times a week for 3 weeks",
            "traction 2 times a week for 3 weeks",
        ),
    ),
    # A part of a procedure remains: "..., with release of the first dorsal compartment is".
    (
        "Left wrist arthroscopy with release of the first dorsal compartment was the original "
        "request. Left wrist arthroscopy was authorized by the Claims Administrator. The remaining "
        "IMR eligible portion of the original request, with release of the first dorsal "
        "compartment is",
        (
            "Left wrist arthroscopy with release of the first dorsal compartment",
            "Left wrist arthroscopy",
            "with release of the first dorsal compartment",
        ),
    ),
    # "The remaining portion, which is IMR eligible, Z, remains IMR eligible and is".
    (
        "Acupuncture for 10 sessions was the original request. Acupuncture for 6 sessions was "
        "authorized by the Claims Administrator. The remaining portion, which is IMR eligible, "
        "acupuncture for 4 sessions, remains IMR eligible and is",
        ("Acupuncture for 10 sessions", "Acupuncture for 6 sessions", "acupuncture for 4 sessions"),
    ),
]


@pytest.mark.parametrize(("heading", "parts"), PARTS)
def test_it_reads_the_three_parts(heading, parts):
    found = read_partial(heading)
    assert found is not None
    assert (found.original_request, found.authorized_portion, found.remainder) == parts
    assert found.understood


def test_an_unknown_authorized_sentence_still_leaves_the_remainder_alone():
    # Never the whole paragraph as the treatment: the last sentence is the remainder, and the
    # item is flagged (``understood`` False -> a warning).
    found = read_partial(
        "Twelve chiropractic visits was the original request. Eight chiropractic visits were "
        "okayed at the first review. The rest, four chiropractic visits is"
    )
    assert found is not None and not found.understood
    assert found.original_request == "Twelve chiropractic visits"
    assert found.remainder == "The rest, four chiropractic visits"
    assert "Eight chiropractic visits" in (found.authorized_portion or "")


def test_a_heading_without_an_original_request_is_no_partial():
    assert read_partial("Physical therapy 2 times a week for 4 weeks") is None


def test_the_remainder_carries_the_visits():
    # The disputed count is what remains, not the original request's.
    found = read_partial(PARTS[0][0])
    assert found is not None
    assert therapy_visits(found.remainder, "Rehabilitation", None) == 2
