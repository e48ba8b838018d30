"""The guideline index says how many decisions it leaves out: those whose reviewer cited no
canonical guideline section are in no section's row."""

import pytest
from django.urls import reverse

from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db


def test_it_says_how_many_decisions_cite_no_section(analyst_client):
    letter = make_determination()
    make_drug_item(letter, "tramadol", guideline_sections=["MTUS|Chronic Pain|Opioids"])
    make_drug_item(
        letter,
        "hydrocodone",
        guideline_sections=["MTUS|Chronic Pain|Opioids", "MTUS|Chronic Pain|Weaning"],
    )
    make_item(letter, treatment="MRI lumbar spine")  # no section read
    refresh(letter)
    response = analyst_client.get(reverse("determinations:guidelines"))
    coverage = response.context["coverage"]
    assert (coverage.total, coverage.shown, coverage.left_out) == (3, 2, 1)
    assert coverage.sentence in response.content.decode()
    assert coverage.sentence.startswith(
        "Decisions by guideline section: 2 of 3 decisions; 1 decision with no guideline section"
        " recorded is not shown."
    )
