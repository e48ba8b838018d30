"""Visits for any session-based modality, in every wording (issue 25); never a count for
what is not a visit (drug quantities, office visits, tests, devices)."""

from __future__ import annotations

import pytest

from ingest.normalize.therapy import therapy_visits, visit_count

WORDINGS = [
    # The number after the noun.
    ("Physical therapy sessions, 12", 12),
    ("Acupuncture visits: 8", 8),
    ("Manual therapy sessions qty 6", 6),
    # A number word with its digits in parentheses.
    ("Physical therapy two (2) times a week for four (4) weeks", 8),
    # "x week x weeks".
    ("Physical therapy, 2 x week x 6 weeks", 12),
    # Ranges of frequency and of weeks: the most requested.
    ("Physical therapy 2-3x/week x 4-6 weeks", 18),
    # "weekly" alone is once a week.
    ("Psychotherapy, weekly for 6 weeks", 6),
    # Months give no number of weeks: no count rather than a wrong one.
    ("Physical therapy 2 times per week for 3 months", None),
    # A schedule after the noun is read as a schedule, not as a count.
    ("Physical therapy sessions, 2 times a week for 4 weeks", 8),
]


@pytest.mark.parametrize(("treatment", "expected"), WORDINGS)
def test_it_reads_every_wording(treatment, expected):
    assert visit_count(treatment) == expected


# (treatment, category, subcategory, visits): modalities outside the known categories count
# when a schedule of sessions is stated; counts of other things never do.
MODALITIES = [
    ("6 sessions of manual therapy", None, None, 6),
    ("Electrical muscle stimulation 2 times a week for 4 weeks", None, None, 8),
    ("Interferential stimulation 2x a week for 4 weeks", "DMEPOS", "Electrical Stimulation", 8),
    ("Neuromuscular re-education 2 times a week for 3 weeks", None, None, 6),
    ("Group therapy 6 sessions", None, None, 6),
    ("Work hardening 10 sessions", "Programs", "Programs", 10),
    # Not visits: devices, supplies, office visits, tests, injections, home care, days.
    ("TENS unit 30 day rental", "DMEPOS", "Electrical Stimulation", None),
    ("Hot/cold packs times 6", "DMEPOS", "Supplies", None),
    ("Follow-up office visit times 2", "Evaluation & Management", "Medical Specialties", None),
    ("Pain management consultation and follow up visits x 6", None, None, None),
    ("EKG times 3", "Diagnostic Testing", "Other Diagnostic Tests", None),
    ("Trigger point injections x 3", "Injection", "Injection", None),
    (
        "Home health aide 4 hours a day 5 days a week for 6 weeks",
        "Home Health",
        "Home Health",
        None,
    ),
    ("Functional restoration program 10 days", "Programs", "Programs", None),
    ("Urine drug screen 4 times a year", "Diagnostic Testing", "Lab & Pathology", None),
]


@pytest.mark.parametrize(("treatment", "category", "subcategory", "expected"), MODALITIES)
def test_it_counts_session_modalities_only(treatment, category, subcategory, expected):
    assert therapy_visits(treatment, category, subcategory) == expected
