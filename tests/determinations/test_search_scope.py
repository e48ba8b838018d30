"""The search box's scope: "decisions about X" by default, its rationale or the whole letter
one click away, and the scope part of the answer everywhere the filters go."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from api.models import ApiToken
from determinations.filters import ItemFilters
from determinations.models import DisputedItem
from determinations.search import SearchScope, prepare_search, typed_letter
from tests.factories import make_citation, make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db

URL = reverse("determinations:list")


@pytest.fixture
def letters():
    """Norco asked for once, written as its generic once, and mentioned in two other
    letters: in a case summary (an MRI's letter) and in a rationale (a TENS unit's)."""
    asked = make_determination(case_number="CM16-0000201", decision_date="2016-05-03")
    make_drug_item(
        asked,
        "hydrocodone",
        heading="Norco 10/325 #60",
        treatment="Norco 10/325 #60",
        ingredients=["acetaminophen", "hydrocodone"],
        brand="Norco",
    )
    generic = make_determination(case_number="CM16-0000202", decision_date="2016-05-02")
    make_drug_item(
        generic,
        "hydrocodone",
        heading="Hydrocodone/APAP 5/325 #30",
        treatment="Hydrocodone/APAP 5/325 #30",
        ingredients=["acetaminophen", "hydrocodone"],
        brand="Hydrocodone/APAP",
    )
    summary = make_determination(
        case_number="CM16-0000203",
        decision_date="2016-05-04",
        case_summary="Medications include Norco and ibuprofen. Prior acupuncture helped.",
    )
    make_item(
        summary,
        heading="MRI lumbar spine",
        treatment="MRI lumbar spine",
        category="Diagnostic Testing",
        subcategory="Imaging (Radiology)",
    )
    rationale = make_determination(case_number="CM16-0000204", decision_date="2016-05-01")
    tens = make_item(
        rationale,
        heading="TENS unit",
        treatment="TENS unit",
        category="DMEPOS",
        rationale="Norco already controls the pain; functional improvement is absent.",
    )
    make_citation(tens, section="Transcutaneous electrotherapy")
    refresh(asked, generic, summary, rationale)
    return asked, generic, summary, rationale


def cases(response):
    return [letter.case_number for letter, _ in response.context["page"].groups]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (None, ["CM16-0000201", "CM16-0000202"]),
        ("request", ["CM16-0000201", "CM16-0000202"]),
        ("rationale", ["CM16-0000201", "CM16-0000202", "CM16-0000204"]),
        ("letter", ["CM16-0000201", "CM16-0000202", "CM16-0000203", "CM16-0000204"]),
        ("nonsense", ["CM16-0000201", "CM16-0000202"]),
    ],
)
def test_it_counts_what_the_scope_covers(analyst_client, letters, scope, expected):
    params = {"q": "norco", "sort": "oldest"} | ({"scope": scope} if scope else {})
    response = analyst_client.get(URL, params)
    assert sorted(cases(response)) == expected
    assert response.context["counts"].total == len(expected)


def test_it_says_what_it_counts_in_the_heading(analyst_client, letters):
    request = analyst_client.get(URL, {"q": "norco"}).context["summary"]
    letter = analyst_client.get(URL, {"q": "norco", "scope": "letter"}).context["summary"]
    assert request == "2 requests for \u201cnorco\u201d"
    assert letter == "4 disputed items whose letter mentions \u201cnorco\u201d"
    letters_mode = analyst_client.get(URL, {"q": "norco", "count": "letters"}).context["summary"]
    assert letters_mode == "2 letters with a request for \u201cnorco\u201d"


def test_it_writes_the_scope_in_the_url_only_with_a_search():
    assert ItemFilters(q="norco", scope="letter").query_string() == "q=norco&scope=letter"
    assert ItemFilters(q="norco").query_string() == "q=norco"
    assert ItemFilters(scope="letter").query_string() == ""
    assert ItemFilters.from_query({"q": "x", "scope": "LETTER "}).scope == "letter"


def test_it_finds_a_brand_written_as_its_generic(letters):
    search = prepare_search("Norco")
    assert search.expansions == {"norco": ("acetaminophen", "hydrocodone")}
    found = DisputedItem.objects.search(search).values_list("treatment", flat=True)
    assert sorted(found) == ["Hydrocodone/APAP 5/325 #30", "Norco 10/325 #60"]


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("norco", True),
        ("Flexeril 10mg", True),
        ("hydrocodone", False),  # already a generic
        ('"norco"', False),  # a phrase is searched as written
        ("tramadol -norco", False),  # an exclusion stays an exclusion
        ("norco OR percocet", False),  # websearch has no parentheses for the ingredients
    ],
)
def test_it_expands_only_bare_brand_names(db, text, expanded):
    assert bool(prepare_search(text).expansions) is expanded


def test_it_finds_the_category_and_drug_class_words_in_the_request(letters):
    found = DisputedItem.objects.search(prepare_search("opioids"))
    assert found.count() == 2
    assert DisputedItem.objects.search(prepare_search("imaging")).get().treatment.startswith("MRI")


def test_a_wider_scope_finds_everything_a_narrower_one_finds(letters):
    for text in ["norco", "opioids", "acupuncture", '"functional improvement"', "tens"]:
        found = [
            set(DisputedItem.objects.search(prepare_search(text, scope=s)).values_list("pk"))
            for s in SearchScope
        ]
        assert found[0] <= found[1] <= found[2], text


def test_it_keeps_the_ranking_with_an_exclusion(analyst_client):
    narrative = make_determination(
        decision_date="2017-01-01", case_summary="Acupuncture helped before. Also Percocet."
    )
    make_drug_item(narrative, "oxycodone", treatment="Percocet 10/325 #90", brand="Percocet")
    asked = make_determination(decision_date="2015-01-01")
    make_item(asked, treatment="Acupuncture 6 visits", heading="Acupuncture 6 visits")
    chiro = make_determination(decision_date="2016-01-01")
    make_item(chiro, treatment="Acupuncture and chiropractic care", heading="Acupuncture")
    refresh(narrative, asked, chiro)
    response = analyst_client.get(URL, {"q": "acupuncture -chiropractic", "scope": "letter"})
    assert cases(response) == [asked.case_number, narrative.case_number]
    assert response.context["page"].sort == "relevance"


def test_it_offers_the_wider_scopes_with_their_counts_when_few_match(analyst_client, letters):
    response = analyst_client.get(URL, {"q": '"functional improvement"'})
    assert response.context["counts"].total == 0
    wider = response.context["wider_scopes"]
    assert [(query, count, estimated) for query, _, _, count, estimated in wider] == [
        ("q=%22functional+improvement%22&scope=rationale", 1, False),
        ("q=%22functional+improvement%22&scope=letter", 1, False),
    ]
    html = response.content.decode()
    assert "1 disputed item whose request, guidelines or rationale mention" in html
    assert 'href="?q=%22functional+improvement%22&amp;scope=letter"' in html


def test_it_counts_the_wider_scopes_in_letters_mode(analyst_client, letters):
    response = analyst_client.get(URL, {"q": "ibuprofen", "count": "letters"})
    (_, _, _, rationale, _), (_, _, phrase, letter, _) = response.context["wider_scopes"]
    assert (rationale, letter) == (0, 1)
    assert phrase == "1 letter that mentions \u201cibuprofen\u201d"


def test_it_does_not_count_wider_scopes_when_enough_match(analyst_client):
    letter = make_determination()
    for n in range(12):
        make_item(letter, order=n + 1, treatment=f"Acupuncture {n} visits")
    refresh(letter)
    response = analyst_client.get(URL, {"q": "acupuncture"})
    assert response.context["wider_scopes"] == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CM16-7264943", ("case", "CM16-7264943")),
        ("cm16 7264943", ("case", "CM16-7264943")),
        (" CM167264943. ", ("case", "CM16-7264943")),
        ("#12", ("id", "12")),
        ("letter 12", ("id", "12")),
        ("Letter #12", ("id", "12")),
        ("CM16-7264943 norco", None),
        ("12 sessions", None),
        ("#", None),
        ("norco", None),
    ],
)
def test_it_reads_a_letter_typed_in_the_search_box(typed, expected):
    assert typed_letter(typed) == expected


def test_it_opens_the_letter_whose_case_number_is_typed(analyst_client, letters):
    response = analyst_client.get(URL, {"q": "cm16 0000203"}, follow=True)
    assert response.redirect_chain[-1][0] == letters[2].get_absolute_url()


def test_it_opens_the_letter_whose_id_is_typed(analyst_client, letters):
    response = analyst_client.get(URL, {"q": f"#{letters[1].pk}"})
    assert response.status_code == 302
    assert response["Location"] == letters[1].get_absolute_url()


def test_it_says_when_a_typed_case_number_is_not_stored(analyst_client, letters):
    response = analyst_client.get(URL, {"q": "CM16-7264943"}, follow=True)
    assert response.context["case_missing"]
    assert b"No letter has case number CM16-7264943" in response.content


def test_the_export_follows_the_scope(analyst_client, letters):
    def rows(**params):
        response = analyst_client.get(reverse("determinations:export"), params)
        text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
        lines = [line for line in text.splitlines() if not line.startswith("#")]
        return list(csv.DictReader(io.StringIO("\n".join(lines))))

    assert len(rows(q="norco")) == 2
    assert len(rows(q="norco", scope="letter")) == 4


def test_the_api_follows_the_scope(client, user, letters):
    _token, secret = ApiToken.create_for(user, "scope test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    url = reverse("api:items")
    narrow = client.get(url, {"q": "norco"}).json()["results"]
    wide = client.get(url, {"q": "norco", "scope": "letter"}).json()["results"]
    assert len(narrow) == 2
    assert len(wide) == 4
