"""Reading a request: the letters' normalizers on free text, and the form's corrections."""

import pytest

from similar.request import SimilarRequest, understand

# (text, expected fields): each case is a way users write requests.
UNDERSTOOD = [
    # A brand becomes its generic ingredient and DWC drug class; "#30" is the quantity.
    (
        "Lidoderm patch 5% #30",
        {"ingredients": ("lidocaine",), "drug_class": "Topical Analgesics", "quantity": 30},
    ),
    # A combination product keeps every ingredient.
    (
        "Norco 10/325 #90",
        {"ingredients": ("acetaminophen", "hydrocodone"), "drug_class": "Opioids"},
    ),
    # A spine level names the region; "ESI" is an injection.
    ("L4-5 ESI", {"category": "Injection", "region": "Lumbar spine", "ingredients": ()}),
    # Visits in a phrase, the neck as the cervical spine.
    (
        "12 sessions of chiropractic for the neck",
        {"subcategory": "Chiropractic", "region": "Cervical spine", "visits": 12},
    ),
    # Words nothing knows: understood as nothing, kept as text.
    ("zzz qqq", {"category": "", "ingredients": (), "text": "zzz qqq"}),
]


@pytest.mark.parametrize(("text", "expected"), UNDERSTOOD)
def test_it_reads_the_text_as_the_letters_are_read(text, expected):
    wanted = understand(text)
    for name, value in expected.items():
        assert getattr(wanted, name) == value, name


def test_a_correction_replaces_only_the_fields_given():
    wanted = SimilarRequest.from_query({"text": ["Norco 10/325 #90"], "drug": ["oxycodone"]})
    assert wanted.ingredients == ("oxycodone",)
    assert wanted.drug_class == "Opioids"
    assert wanted.quantity == 90


def test_the_correction_form_can_clear_a_field():
    wanted = SimilarRequest.from_query(
        {
            "text": ["MRI of the lumbar spine"],
            "corrected": ["1"],
            "region": [""],
            "category": ["Diagnostic Testing"],
            "subcategory": ["Imaging (Radiology)"],
        }
    )
    assert wanted.region == ""
    assert wanted.subcategory == "Imaging (Radiology)"


def test_it_drops_values_it_cannot_use():
    wanted = SimilarRequest.from_query(
        {
            "text": ["MRI"],
            "region": ["Moon"],
            "subcategory": ["Nonsense"],
            "quantity": ["-4"],
            "visits": ["9999999"],
            "helpful": ["maybe"],
        }
    )
    assert (wanted.region, wanted.subcategory, wanted.quantity, wanted.visits, wanted.helpful) == (
        "",
        "",
        None,
        None,
        "",
    )


def test_its_url_reads_back_to_the_same_request():
    wanted = understand("12 sessions of chiropractic for the neck")
    again = SimilarRequest.from_query({k: [v] for k, v in wanted.as_params()})
    assert again.subcategory == wanted.subcategory
    assert again.region == wanted.region
    assert again.visits == wanted.visits
