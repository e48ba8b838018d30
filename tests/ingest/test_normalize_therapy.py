"""Visit counts and body regions of treatments."""

import pytest

from ingest.normalize.therapy import (
    MULTIPLE,
    body_region,
    item_region,
    region_code,
    therapy_visits,
    visit_count,
)

VISITS = [
    # Sessions stated outright.
    ("Physical therapy 6 sessions", 6),
    # Sessions in words.
    ("Chiropractic care for the low back; six sessions", 6),
    # An explicit count wins over frequency x duration.
    ("physical therapy 2 times a week for 6 weeks (12 sessions) to the right elbow", 12),
    # Frequency x duration.
    ("Physical therapy 2 times a week for 6 weeks", 12),
    # Words, "times six weeks".
    ("Electroacupuncture for the lumbar spine two times a week times six weeks", 12),
    # "2 x 4" shorthand.
    ("Acupuncture trial 2 x 4", 8),
    # "1 times 8".
    ("Spinal manipulation 1 times 8", 8),
    # "one time a week for six weeks" after an explicit count.
    ("Six sessions of acupuncture one time a week for six weeks", 6),
    # A range of frequencies: the most requested.
    ("Physical therapy 2-3 times a week for 6 weeks", 18),
    # One week.
    ("Physical therapy right knee 3 times a week for 1 week", 3),
    # "times 6" alone.
    ("Electrical stimulation times 6", 6),
    # A count after the word: "sessions ..., #2".
    ("Chiropractic therapy sessions for the cervical spine, #2", 2),
    # Counts written in words before the therapy's name.
    ("Ten physical therapy sessions for the knee", 10),
    ("Twelve additional chiropractic visits", 12),
    ("Six (6) aquatic therapy sessions", 6),
    # Visits per week times weeks: 6, not the 3 a week.
    ("Acupuncture 3 visits per week for 2 weeks", 6),
    ("Physical therapy two sessions a week for four weeks", 8),
    # A product before "visits", and a total in parentheses after it.
    ("Chiropractic two times four visits (8)", 8),
    ("Chiropractic 2 x 3 visits", 6),
    # "Twice a week", "over" the weeks.
    ("Chiropractic care for the neck, twice a week for 4 weeks", 8),
    ("Aquatic therapy three times a week over three weeks", 9),
    # No count.
    ("MRI of the lumbar spine", None),
    # Doses are not visits.
    ("Norco 10/325mg #120", None),
]


@pytest.mark.parametrize(("treatment", "expected"), VISITS)
def test_it_counts_visits(treatment, expected):
    assert visit_count(treatment) == expected


REGIONS = [
    # Lumbar by name.
    ("MRI of the lumbar spine", "Lumbar spine"),
    # Low back.
    ("Chiropractic care for the low back; six sessions", "Lumbar spine"),
    # Lumbosacral.
    ("Open MRI of the lumbosacral spine", "Lumbar spine"),
    # Spine levels.
    ("Bilateral L4-5 and L5-S1 lumbar facet block", "Lumbar spine"),
    # Neck means cervical.
    ("MRI of the neck without contrast", "Cervical spine"),
    # Knee.
    ("Physical therapy right knee 3 times a week for 1 week", "Knee"),
    # Shoulder.
    ("MR Arthrogram of the right shoulder", "Shoulder"),
    # Upper extremities (electrodiagnostics).
    ("EMG/NCV of the bilateral upper extremities", "Upper extremities"),
    # Foot.
    ("MRI of the right foot", "Ankle/foot"),
    # Several regions.
    ("Chiropractic treatment for cervical and lumbar spine, left wrist/hand", MULTIPLE),
    # No region.
    ("Norco 10/325mg #120", None),
]


@pytest.mark.parametrize(("treatment", "expected"), REGIONS)
def test_it_reads_the_body_region(treatment, expected):
    assert body_region(treatment) == expected


FALSE_VISITS = [
    # Counts of things that are not therapy sessions: (treatment, category, subcategory).
    # An office visit "times 2".
    ("Follow-up office visit times 2", "Evaluation & Management", "Medical Specialties"),
    # An EKG "times 3", an MRI "times 1".
    ("Resting ECG times 4", "Diagnostic Testing", "Other Diagnostic Tests"),
    ("MRI of the knee times 1", "Diagnostic Testing", "Imaging (Radiology)"),
    # Home aide hours and nursing visits.
    ("Home aide 4 hours a day 5 days a week for 6 weeks", "Home Health", "Home Health"),
    ("RN visits 2 times a week for 3 weeks", "Home Health", "Home Health"),
    # Days in an inpatient rehabilitation unit.
    ("Inpatient rehabilitation times 10 days", "Programs", "Programs"),
]


@pytest.mark.parametrize(("treatment", "category", "subcategory"), FALSE_VISITS)
def test_counts_outside_session_therapies_are_not_visits(treatment, category, subcategory):
    assert therapy_visits(treatment, category, subcategory) is None


def test_session_therapies_keep_their_visits():
    treatment = "Physical therapy 2 times a week for 4 weeks"
    sub = "Physical Therapy/Occupational Therapy (PT/OT)"
    assert therapy_visits(treatment, "Rehabilitation", sub) == 8
    assert therapy_visits("Psychotherapy 6 sessions", "Psych Services", "Therapies") == 6


MORE_REGIONS = [
    # Groin belongs with the hip; two regions are several.
    ("Chiropractic for low back and right groin pain", MULTIPLE),
    # An unlevelled spine beside a limb is a region of its own.
    ("CT of the spine and pelvis", MULTIPLE),
    # A bare "back" beside the neck.
    ("Chiropractic for the cervical spine and back", MULTIPLE),
    # Tests and devices of the head.
    ("Electroencephalogram", "Head"),
    ("Hearing aids for both ears", "Head"),
    # A body word naming a device is no region.
    ("Knee scooter rental", None),
    ("Hand-held shower head", None),
]


@pytest.mark.parametrize(("treatment", "expected"), MORE_REGIONS)
def test_it_reads_more_regions(treatment, expected):
    assert body_region(treatment) == expected


def test_a_partial_takes_the_original_requests_region():
    assert (
        item_region("Two more visits", "Twelve therapy visits for the left wrist") == "Wrist/hand"
    )
    assert item_region("Two more visits for the knee", "Twelve visits for the wrist") == "Knee"


def test_region_codes_are_the_labelled_sets():
    assert region_code("Lumbar spine") == "lumbar"
    assert region_code("Upper extremities") == "multiple"
    assert region_code("Spine") == "none"
    assert region_code(None) == "none"
