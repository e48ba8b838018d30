"""The detail page: fields, items, chips, highlighting, prev/next, flags, the file."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import make_citation, make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    letter = make_determination(case_number="CM16-0004242", patient_age=52)
    item = make_drug_item(letter, "hydrocodone", brand="Norco", outcome="overturned")
    make_citation(item)
    make_citation(item, party="claims_administrator", source="ODG", document="", section="")
    make_item(letter, treatment="Acupuncture 6 visits", rationale="Acupuncture may be used.")
    refresh(letter)
    return letter


def test_it_shows_the_letter(analyst_client, letter):
    response = analyst_client.get(letter.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "CM16-0004242" in html
    assert "Pain Medicine" in html and "52 years" in html
    assert 'class="badge badge-overturned">Overturned' in html
    assert 'class="badge badge-upheld">Upheld' in html
    assert "Norco" in html and "Acupuncture 6 visits" in html


def test_it_links_citation_chips_to_the_filtered_list(analyst_client, letter):
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert "/?guideline=MTUS%7CChronic+Pain+Medical+Treatment+Guidelines%7COpioids" in html
    assert "/?guideline=ODG" in html
    assert "MAXIMUS reviewer cited" in html and "Claims administrator cited" in html


def test_it_links_more_like_this(analyst_client, letter):
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert "/?drug=hydrocodone" in html
    assert "/?specialty=Pain+Medicine" in html


def test_it_highlights_the_search_terms(analyst_client, letter):
    response = analyst_client.get(letter.get_absolute_url(), {"q": "acupuncture"})
    assert b"<mark>Acupuncture</mark> 6 visits" in response.content


def test_it_escapes_letter_text(analyst_client):
    letter = make_determination()
    make_item(letter, treatment="<script>alert(1)</script> therapy")
    refresh(letter)
    for params in ({}, {"q": "therapy"}):
        html = analyst_client.get(letter.get_absolute_url(), params).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_shows_parse_warnings_of_flagged_letters(analyst_client):
    letter = make_determination(
        review_status="needs_review", parse_warnings=["item 2: no outcome found"]
    )
    make_item(letter)
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert "Flagged: Needs review" in html and "item 2: no outcome found" in html


def test_it_links_previous_and_next_within_the_results(analyst_client):
    letters = [make_determination(decision_date=f"2016-0{m}-01") for m in (1, 2, 3)]
    for letter in letters:
        make_item(letter)
    refresh(*letters)
    newest_first = letters[::-1]
    response = analyst_client.get(newest_first[1].get_absolute_url(), {"sort": "newest", "pos": 1})
    assert response.context["previous"] == (0, newest_first[0].pk)
    assert response.context["following"] == (2, newest_first[2].pk)
    edge = analyst_client.get(newest_first[0].get_absolute_url(), {"sort": "newest", "pos": 0})
    assert edge.context["previous"] is None


def test_it_skips_other_items_of_the_same_letter_for_next(analyst_client):
    first = make_determination(decision_date="2016-05-01")
    make_item(first)
    make_item(first, treatment="Acupuncture")
    second = make_determination(decision_date="2016-04-01")
    make_item(second)
    refresh(first, second)
    response = analyst_client.get(first.get_absolute_url(), {"sort": "newest", "pos": 0})
    assert response.context["following"] == (2, second.pk)


def test_it_uses_a_fixed_number_of_queries(analyst_client, letter, django_assert_max_num_queries):
    # session, user, search words, letter, specialties, items, citations, neighbours
    with django_assert_max_num_queries(8):
        analyst_client.get(letter.get_absolute_url(), {"q": "norco", "sort": "newest", "pos": 0})


def test_it_serves_the_original_file_as_a_download(analyst_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = make_determination(original_filename="CM16-0000001.pdf")
    letter.source_file.save("CM16-0000001.pdf", ContentFile(b"%PDF-1.4 test"))
    response = analyst_client.get(reverse("determinations:file", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_it_serves_text_letters_as_plain_text(analyst_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = make_determination(original_filename="letter.txt")
    letter.source_file.save("letter.txt", ContentFile(b"IMR letter"))
    response = analyst_client.get(reverse("determinations:file", args=[letter.pk]))
    assert response["Content-Type"].startswith("text/plain")


def test_it_gives_404_without_a_file(analyst_client, letter):
    assert analyst_client.get(reverse("determinations:file", args=[letter.pk])).status_code == 404
    assert analyst_client.get(reverse("determinations:detail", args=[999999])).status_code == 404


def test_it_ignores_a_bad_position(analyst_client, letter):
    for pos in ("-1", "abc", "99999999999"):
        response = analyst_client.get(letter.get_absolute_url(), {"sort": "newest", "pos": pos})
        assert response.status_code == 200
