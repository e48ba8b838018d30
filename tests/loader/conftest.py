"""Fixtures for loader and command tests: synthetic letters written for these tests."""

from __future__ import annotations

import pytest

LETTER_2016 = """\
Case Number: {case}
Date Assigned: 01/04/2017 Date of Injury:  03/14/2012
Decision Date: 02/10/2017 UR Denial Date:  12/20/2016
Priority:  Standard Application
Received:
12/28/2016

HOW THE IMR FINAL DETERMINATION WAS MADE
MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no
affiliation with the employer, employee, providers or the claims administrator.

The Expert Reviewer has the following credentials:
State(s) of Licensure: California,North Carolina
Certification(s)/Specialty: Pain Management, Anesthesiology

CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

The injured worker is a 47 year old female who was lifting boxes of paper at work. She was
treated for chronic lumbar strain with {symptom}. Treatment has included medication and
physical therapy. The plan was to continue the current medications.

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Norco 10/325mg #90: Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment
Guidelines 2016, Section(s): Opioids.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):
Opioids, criteria for use.

Decision rationale: There is no documented functional improvement with the opioid and no
urine drug screen in the records. The request for Norco 10/325mg #90 is not medically necessary.

MRI of the lumbar spine: Overturned

Claims Administrator guideline: The Claims Administrator did not cite any medical evidence
for its decision.

MAXIMUS guideline: Decision based on MTUS Low Back Complaints 2004, Section(s): Special
Studies.

Decision rationale: New neurological deficit in the left leg was documented, a red flag that
warrants imaging. The request for MRI of the lumbar spine is medically necessary.
"""


def letter_text(case: str = "CM17-5000001", symptom: str = "radicular symptoms") -> str:
    return LETTER_2016.format(case=case, symptom=symptom)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded originals go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
