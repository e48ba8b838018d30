"""Visit counts and body regions of treatments."""

import pytest

from ingest.normalize.therapy import MULTIPLE, body_region, visit_count

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
