"""A deterministic synthetic corpus of letters for facet, search and speed tests.

``make_corpus(n)`` bulk-creates ``n`` letters with 1-4 items each, varied drugs,
categories, specialties, states, years, citations and outcomes, then refreshes their
search columns as the loader does. Small ``n`` for tests; thousands for EXPLAIN ANALYZE:

    .venv/bin/python manage.py shell -c "from tests.corpus import make_corpus; make_corpus(5000)"
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from django.db import connection, transaction

from determinations.models import Determination, DisputedItem, GuidelineCitation, Reviewer
from determinations.search import refresh_search_vectors

DRUGS = {
    # generic: (drug class, brand as written, guideline section)
    "hydrocodone": ("Opioids", "Norco", "Opioids"),
    "oxycodone": ("Opioids", "Percocet", "Opioids"),
    "tramadol": ("Opioids", "Ultram", "Opioids"),
    "gabapentin": ("Anticonvulsants", "Neurontin", "Anti-epilepsy drugs"),
    "cyclobenzaprine": ("Muscle Relaxants", "Flexeril", "Muscle relaxants"),
    "omeprazole": ("Gastrointestinal", "Prilosec", "NSAIDs, GI symptoms"),
    "ibuprofen": ("NSAIDs", "Motrin", "NSAIDs"),
    "lidocaine": ("Topical Analgesics", "Lidoderm", "Topical analgesics"),
    "alprazolam": ("Benzodiazepines", "Xanax", "Benzodiazepines"),
}
TREATMENTS = [
    # treatment, category, guideline (source, document, section)
    (
        "Physical therapy 12 sessions",
        "Physical Medicine",
        ("MTUS", "Chronic Pain Medical Treatment Guidelines", "Physical Medicine"),
    ),
    (
        "MRI of the lumbar spine",
        "Diagnostic Testing",
        ("MTUS", "Low Back Complaints", "Special Studies"),
    ),
    (
        "Lumbar epidural steroid injection",
        "Injection",
        ("MTUS", "Chronic Pain Medical Treatment Guidelines", "Epidural steroid injections"),
    ),
    (
        "Acupuncture 6 visits",
        "Physical Medicine",
        ("MTUS", "Acupuncture Medical Treatment Guidelines", ""),
    ),
    ("TENS unit purchase", "DMEPOS", ("ODG", "Official Disability Guidelines", "Pain")),
    (
        "Functional restoration program",
        "Evaluation & Management",
        ("ODG", "Official Disability Guidelines", "Low Back"),
    ),
]
SPECIALTIES = [
    ("Pain Medicine",),
    ("Orthopaedic Surgery",),
    ("Physical Medicine & Rehabilitation",),
    ("Internal Medicine", "Pain Medicine"),
    ("Psychiatry",),
]
STATES = [("CA",), ("NY",), ("TX", "CA"), ("FL",), ("AZ",)]
_PROSE = (
    "patient reports chronic low back pain radiating to the left leg with numbness "
    "medical records document functional improvement after prior treatment course "
    "guidelines state that ongoing management requires documentation of pain relief"
)
WORDS = _PROSE.split()


@transaction.atomic
def make_corpus(n_letters: int, seed: int = 7, start: int = 0) -> list[int]:
    """Create ``n_letters`` letters (case numbers from ``start``); return their ids."""
    rnd = random.Random(seed)
    reviewers = []
    for i, specialties in enumerate(SPECIALTIES):
        states = STATES[i]
        reviewer, created = Reviewer.objects.get_or_create(
            profile_key=Reviewer.key_for(specialties, states),
            defaults={"licensure_states": sorted(states)},
        )
        if created:
            from determinations.models import Specialty

            reviewer.specialties.set(
                [Specialty.objects.get_or_create(name=s)[0] for s in specialties]
            )
        reviewers.append(reviewer)

    letters = []
    for n in range(start, start + n_letters):
        decided = date(2013, 1, 1) + timedelta(days=rnd.randrange(365 * 6))
        letters.append(
            Determination(
                case_number=f"CM{decided:%y}-{n:07d}",
                sha256=hashlib.sha256(f"corpus-{seed}-{n}".encode()).hexdigest(),
                decision_date=decided if rnd.random() > 0.01 else None,
                date_of_injury=decided - timedelta(days=rnd.randrange(200, 4000)),
                date_assigned=decided - timedelta(days=rnd.randrange(5, 40)),
                layout="dwc-2016",
                priority="standard",
                patient_age=rnd.randrange(20, 70),
                patient_sex=rnd.choice(["male", "female"]),
                reviewer=rnd.choice(reviewers),
                case_summary=" ".join(rnd.choice(WORDS) for _ in range(60)),
                review_status="needs_review" if rnd.random() < 0.05 else "ok",
                parse_warnings=["item 2: outcome not found"] if rnd.random() < 0.05 else [],
            )
        )
    letters = Determination.objects.bulk_create(letters, batch_size=2000)

    items, cites = [], []
    for letter in letters:
        for order in range(1, rnd.choice([1, 1, 2, 3, 4]) + 1):
            outcome = "overturned" if rnd.random() < 0.3 else "upheld"
            if rnd.random() < 0.55:
                drug = rnd.choice(list(DRUGS))
                drug_class, brand, section = DRUGS[drug]
                ingredients = [drug] if rnd.random() < 0.8 else sorted([drug, "acetaminophen"])
                item = DisputedItem(
                    determination=letter,
                    order=order,
                    heading=f"{brand} 10 mg #60",
                    treatment=f"{brand} 10 mg #60",
                    outcome=outcome,
                    partial=rnd.random() < 0.05,
                    category="Pharmaceuticals",
                    subcategory=drug_class,
                    ingredients=ingredients,
                    brand=brand,
                    strength="10 mg",
                    quantity=60,
                    drug_class=drug_class,
                    rationale=f"{brand} ({drug}) " + " ".join(rnd.choice(WORDS) for _ in range(40)),
                )
                guideline = ("MTUS", "Chronic Pain Medical Treatment Guidelines", section)
            else:
                treatment, category, guideline = rnd.choice(TREATMENTS)
                item = DisputedItem(
                    determination=letter,
                    order=order,
                    heading=treatment,
                    treatment=treatment,
                    outcome=outcome,
                    partial=rnd.random() < 0.05,
                    category=category,
                    rationale=" ".join(rnd.choice(WORDS) for _ in range(40)),
                )
            items.append((item, guideline))
    DisputedItem.objects.bulk_create([i for i, _ in items], batch_size=2000)
    for item, (source, document, section) in items:
        cites.append(
            GuidelineCitation(
                item=item, party="reviewer", source=source, document=document, section=section
            )
        )
        if rnd.random() < 0.5:
            cites.append(
                GuidelineCitation(
                    item=item,
                    order=1,
                    party="claims_administrator",
                    source="ODG",
                    document="Official Disability Guidelines",
                    section="Pain",
                )
            )
    GuidelineCitation.objects.bulk_create(cites, batch_size=5000)
    ids = [d.pk for d in letters]
    for i in range(0, len(ids), 2000):
        refresh_search_vectors(connection, ids[i : i + 2000])
    return ids
