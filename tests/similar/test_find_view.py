"""The "Find similar decisions" page over synthetic letters made with the test factories."""

import re
from datetime import date

import pytest
from django.urls import reverse

from determinations import querysets
from determinations.models import DisputedItem
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db

URL = reverse("similar:find")


def lidocaine_letters(n_upheld: int, n_overturned: int, quantity: int = 30):
    letters = []
    for i in range(n_upheld + n_overturned):
        letter = make_determination(decision_date=date(2016, 1 + i % 12, 1))
        make_drug_item(
            letter,
            "lidocaine",
            heading=f"Lidoderm 5% patch #{quantity}",
            treatment=f"Lidoderm 5% patch #{quantity}",
            brand="Lidoderm",
            quantity=quantity,
            subcategory="Topical Analgesics",
            drug_class="Topical Analgesics",
            outcome="upheld" if i < n_upheld else "overturned",
            reason_tags=["not-first-line"] if i < n_upheld else ["criteria-met"],
            rationale=(
                "There is no documentation of a trial of first-line therapy. "
                "The request is not medically necessary."
                if i < n_upheld
                else "The criteria have been met. The request is medically necessary."
            ),
        )
        letters.append(letter)
    return letters


def other_letters():
    letter = make_determination()
    make_drug_item(
        letter, "hydrocodone", heading="Norco 10/325mg #90", treatment="Norco 10/325mg #90"
    )
    make_item(
        letter,
        heading="Lidocaine injection to the knee",
        treatment="Lidocaine injection to the knee",
        category="Injection",
        subcategory="Injection",
        ingredients=["lidocaine"],
        drug_class="Local anesthetic",
    )
    return [letter]


def count_on(html: str) -> int:
    return int(re.search(r'data-count="(\d+)"', html).group(1))


def test_it_shows_what_it_understood_and_only_decisions_of_the_same_kind(analyst_client):
    refresh(*lidocaine_letters(15, 10), *other_letters())
    response = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"})
    html = response.content.decode()
    assert 'value="lidocaine"' in html
    assert "ingredient: lidocaine" in html
    assert "drug class: Topical Analgesics" in html
    results = response.context["results"]
    assert len(results) == 10
    assert all(item.drug_class == "Topical Analgesics" for item, _, _ in results)
    assert "Norco" not in html.split('id="results-heading"')[1]
    assert "Lidocaine injection" not in html


def test_it_ranks_the_closest_quantity_first(analyst_client):
    letters = lidocaine_letters(3, 0, quantity=90) + lidocaine_letters(2, 0, quantity=30)
    refresh(*letters)
    response = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"})
    quantities = [item.quantity for item, _, _ in response.context["results"]]
    assert quantities == [30, 30, 90, 90, 90]


def test_it_gives_the_rate_with_its_wilson_interval_and_base_rates(analyst_client):
    refresh(*lidocaine_letters(15, 10), *other_letters())
    html = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"}).content.decode()
    assert count_on(html) == 25
    # 10 of 25 overturned: 40%, Wilson 95% interval 23.4%-59.3%.
    assert "<strong>40%</strong> overturned" in html
    assert "23-59%" in html
    assert "10 of 25" in html
    assert "All letters: 37% overturned" in html  # 10 of 27
    assert "Pharmaceuticals / Topical Analgesics" in html
    assert "not a prediction" in html


def test_it_withholds_the_rate_below_twenty_decisions_and_says_why(analyst_client):
    refresh(*lidocaine_letters(12, 7))
    html = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"}).content.decode()
    assert count_on(html) == 19
    assert "Overturn rate withheld" in html
    assert "Only 19 decisions match" in html
    assert "overturned</strong>" not in html.split('id="estimate"')[1].split("base-rates")[0]


def test_its_reasons_count_and_link_to_the_items(analyst_client):
    refresh(*lidocaine_letters(15, 10))
    response = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"})
    estimate = response.context["estimate"]
    assert [(r.tag, r.count) for r in estimate.upheld_reasons] == [("not-first-line", 15)]
    assert [(r.tag, r.count) for r in estimate.overturned_reasons] == [("criteria-met", 10)]
    html = response.content.decode()
    link = re.search(r'href="([^"]*reason=criteria-met[^"]*)"', html).group(1)
    listed = analyst_client.get(link.replace("&amp;", "&"))
    assert listed.context["counts"].total == 10


def test_open_in_the_list_carries_the_matched_set_with_the_same_count(analyst_client):
    refresh(*lidocaine_letters(15, 10), *other_letters())
    html = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"}).content.decode()
    link = re.search(r'id="open-in-list" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "drug=lidocaine" in link and "drug_class=Topical+Analgesics" in link
    listed = analyst_client.get(link)
    assert listed.context["counts"].total == count_on(html) == 25
    export = analyst_client.get(
        link.replace(reverse("determinations:list"), reverse("determinations:export"))
    )
    rows = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(rows) == 2 + 25  # the line saying what produced the file, the header


def test_a_subcategory_is_carried_to_the_list_as_a_filter(analyst_client):
    letters = []
    for subcategory, treatment in (
        ("Chiropractic", "Chiropractic 6 visits for the neck"),
        ("Acupuncture", "Acupuncture 6 visits for the neck"),
    ):
        for _ in range(3):
            letter = make_determination()
            make_item(
                letter,
                heading=treatment,
                treatment=treatment,
                category="Rehabilitation",
                subcategory=subcategory,
                body_region="Cervical spine",
                visits=6,
            )
            letters.append(letter)
    refresh(*letters)
    response = analyst_client.get(URL, {"text": "12 sessions of chiropractic for the neck"})
    assert {item.subcategory for item, _, _ in response.context["results"]} == {"Chiropractic"}
    listed = analyst_client.get(
        reverse("determinations:list"),
        {"category": "Rehabilitation", "subcategory": "Chiropractic"},
    )
    assert listed.context["counts"].total == 3
    assert "Chiropractic" in listed.content.decode()


def test_the_body_region_narrows_the_set_only_when_enough_decisions_name_it(analyst_client):
    letters = []
    for i in range(25):
        letter = make_determination()
        region = "Knee" if i < 21 else "Shoulder"
        make_item(
            letter,
            heading=f"Physical therapy 12 sessions {region.lower()}",
            treatment=f"Physical therapy 12 sessions {region.lower()}",
            category="Rehabilitation",
            subcategory="Physical Therapy/Occupational Therapy (PT/OT)",
            body_region=region,
            visits=12,
        )
        letters.append(letter)
    refresh(*letters)
    knee = analyst_client.get(URL, {"text": "Physical therapy 12 visits for the knee"})
    assert knee.context["match"].filters.region == ("Knee",)
    assert count_on(knee.content.decode()) == 21
    shoulder = analyst_client.get(URL, {"text": "Physical therapy 12 visits for the shoulder"})
    assert shoulder.context["match"].filters.region == ()
    assert count_on(shoulder.content.decode()) == 25
    first = [item.body_region for item, _, _ in shoulder.context["results"]][:4]
    assert first == ["Shoulder"] * 4


def test_a_request_nothing_understands_is_matched_on_its_words(analyst_client):
    letter = make_determination()
    make_item(
        letter,
        heading="Zumba classes twice weekly",
        treatment="Zumba classes twice weekly",
        category="",
        rationale="Zumba is not supported.",
    )
    make_item(letter, heading="Physical therapy 12 sessions")
    refresh(letter)
    response = analyst_client.get(URL, {"text": "Zumba classes 20 sessions"})
    assert response.context["match"].by_text
    assert [i.treatment for i, _, _ in response.context["results"]] == [
        "Zumba classes twice weekly"
    ]


def test_the_rationale_sentences_that_carried_the_decision_are_highlighted(analyst_client):
    refresh(*lidocaine_letters(1, 0))
    html = analyst_client.get(URL, {"text": "Lidoderm patch"}).content.decode()
    assert "<mark>There is no documentation of a trial of first-line therapy.</mark>" in html


def test_the_empty_page_is_a_form(analyst_client):
    response = analyst_client.get(URL)
    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()
    assert "estimate" not in response.context


def test_the_nav_and_every_detail_item_link_here(analyst_client):
    letter = make_determination()
    make_item(letter, treatment="MRI of the lumbar spine", heading="MRI of the lumbar spine")
    make_drug_item(letter)
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert html.count("Decisions like this one") == 2
    assert f'href="{URL}?text=MRI%20of%20the%20lumbar%20spine"' in html
    assert f'href="{URL}"' in html  # the nav


def test_it_needs_a_login(client):
    assert client.get(URL, {"text": "MRI"}).status_code == 302


def test_a_large_set_is_estimated_as_the_list_estimates_it(analyst_client, monkeypatch):
    refresh(*lidocaine_letters(15, 10), *other_letters())
    # Every letter in the sample, and the list's exact limit at 0: both estimate.
    DisputedItem.objects.update(sample=0)
    monkeypatch.setattr(querysets, "EXACT_LIMIT", 0)
    response = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"})
    html = response.content.decode()
    assert response.context["estimate"].matched.estimated
    assert "about 800" in html  # 25 sampled items, 1 in 32
    link = re.search(r'id="open-in-list" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    listed = analyst_client.get(link)
    assert listed.context["counts"].total_estimated
    assert listed.context["counts"].total == count_on(html) == 800


def test_the_subcategory_base_rate_counts_what_the_list_counts(analyst_client):
    letters = []
    for subcategory, n in (("Chiropractic", 4), ("Acupuncture", 2)):
        for i in range(n):
            letter = make_determination()
            make_item(
                letter,
                heading=f"{subcategory} 6 visits for the neck",
                treatment=f"{subcategory} 6 visits for the neck",
                category="Rehabilitation",
                subcategory=subcategory,
                outcome="overturned" if i == 0 else "upheld",
            )
            letters.append(letter)
    refresh(*letters)
    response = analyst_client.get(URL, {"text": "12 sessions of chiropractic"})
    estimate = response.context["estimate"]
    assert estimate.subcategory_label == "Rehabilitation / Chiropractic"
    listed = analyst_client.get(reverse("determinations:list"), dict(estimate.subcategory_params))
    assert estimate.subcategory.total == listed.context["counts"].total == 4
    assert estimate.subcategory.rate.overturned == listed.context["counts"].overturned == 1


def test_base_rates_are_counted_again_when_a_letter_is_added(analyst_client):
    refresh(*lidocaine_letters(15, 10))
    first = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"}).context["estimate"]
    assert (first.everything.rate.n, first.subcategory.rate.n) == (25, 25)
    refresh(*lidocaine_letters(0, 2), *other_letters())
    again = analyst_client.get(URL, {"text": "Lidoderm patch 5% #30"}).context["estimate"]
    assert (again.everything.rate.n, again.everything.rate.overturned) == (29, 12)
    assert again.subcategory.rate.n == 27
