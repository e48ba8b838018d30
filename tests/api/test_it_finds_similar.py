"""/api/v1/similar/ answers the "Find similar decisions" page's search: the same request
read the same way, the same ranked items and the same estimate; strict where the page
forgives; authenticated, throttled and audited like every endpoint."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from audit.models import Action, AuditEvent
from tests.factories import make_determination, make_drug_item, make_item, refresh

pytestmark = pytest.mark.django_db

API = reverse("api:similar")
PAGE = reverse("similar:find")


@pytest.fixture
def decisions(db):
    """25 topical lidocaine decisions (15 upheld, 10 overturned) over 2016, knee therapy
    with and without a region, Norco, and three decisions on Zumba classes (a kind
    nothing understands)."""
    letters = []
    for i in range(25):
        upheld = i < 15
        letter = make_determination(decision_date=date(2016, 1 + i % 12, 1))
        make_drug_item(
            letter,
            "lidocaine",
            heading=f"Lidoderm 5% patch #{30 if i % 3 else 60}",
            treatment=f"Lidoderm 5% patch #{30 if i % 3 else 60}",
            brand="Lidoderm",
            quantity=30 if i % 3 else 60,
            subcategory="Topical Analgesics",
            drug_class="Topical Analgesics",
            outcome="upheld" if upheld else "overturned",
            reason_tags=["not-first-line"] if upheld else ["criteria-met"],
            rationale=(
                "There is no documentation of a trial of first-line therapy. "
                "The request is not medically necessary."
                if upheld
                else "The criteria have been met. The request is medically necessary."
            ),
        )
        make_item(
            letter,
            order=2,
            heading="Physical therapy 12 sessions for the knee",
            treatment="Physical therapy 12 sessions for the knee",
            category="Rehabilitation",
            subcategory="Physical Therapy/Occupational Therapy (PT/OT)",
            body_region="Knee" if i % 2 else "",
            visits=12 if i % 4 else 6,
            outcome="overturned" if i % 5 == 0 else "upheld",
        )
        if i % 2:
            quantity = (60, 90, 120)[i % 3]
            make_drug_item(
                letter,
                "hydrocodone",
                order=3,
                heading=f"Norco 10/325mg #{quantity}",
                treatment=f"Norco 10/325mg #{quantity}",
                ingredients=["acetaminophen", "hydrocodone"],
                quantity=quantity,
                outcome="overturned" if i % 3 else "upheld",
                reason_tags=["no-functional-improvement"] if i % 3 else [],
            )
        letters.append(letter)
    for i in range(3):
        letter = make_determination(decision_date=date(2016, 6, 1 + i))
        make_item(
            letter, heading="Zumba classes twice weekly", treatment="Zumba classes", category=""
        )
        letters.append(letter)
    refresh(*letters)


@pytest.fixture
def page(user):
    """The page, in a browser session of the token's owner."""
    browser = Client()
    browser.force_login(user)
    return browser


# The page's forms as users fill them: (case, query parameters).
REQUESTS = [
    # a drug, its quantity ranking first: the rate is given
    ("drug", {"text": "Lidoderm patch 5% #30"}),
    # a therapy with visits and a region that too few items name to filter
    ("therapy", {"text": "Physical therapy 12 visits for the knee"}),
    # the user's corrections: another region and quantity, prior benefit said
    (
        "corrected",
        {
            "text": "Lidoderm patch",
            "corrected": "1",
            "drug": "lidocaine",
            "category": "Pharmaceuticals",
            "subcategory": "Topical Analgesics",
            "quantity": "60",
            "helpful": "no",
        },
    ),
    # one field overriding what the text says
    ("override", {"text": "Norco 10/325 #90", "quantity": "120"}),
    # words nothing understands: the full-text fallback, a set too small for a rate
    ("words", {"text": "Zumba classes 20 sessions"}),
    # a combination drug (its key ingredient)
    ("combination", {"text": "Norco 10/325 #90"}),
]


def rate_on_page(count):
    rate = count.rate
    low, high = count.interval
    return {
        "n": rate.n,
        "total": count.total,
        "estimated": count.estimated,
        "withheld": count.withheld,
        "overturned": None if count.withheld else rate.overturned,
        "ci": None if count.withheld else (round(low, 9), round(high, 9)),
    }


def rate_in_api(data):
    ci = None if data["withheld"] else (round(data["ci_low"], 9), round(data["ci_high"], 9))
    return {
        "n": data["n"],
        "total": data["total"],
        "estimated": data["estimated"],
        "withheld": data["withheld"],
        "overturned": data["overturned"],
        "ci": ci,
    }


@pytest.mark.parametrize(("case", "params"), REQUESTS, ids=[c for c, _ in REQUESTS])
def test_it_answers_what_the_page_shows_for_the_same_request(
    corpus, decisions, api, page, case, params
):
    """Over the API tests' synthetic letters (through the ingest path) and ``decisions``."""
    shown = page.get(PAGE, params).context
    response = api.get(API, params)
    assert response.status_code == 200, response.content
    data = response.json()

    # What was understood, and what it matched on.
    wanted = shown["wanted"]
    assert data["request"]["ingredients"] == list(wanted.ingredients)
    for field in ("text", "category", "subcategory", "region", "quantity", "visits", "helpful"):
        assert data["request"][field] == getattr(wanted, field), field
    assert data["matched_on"] == list(shown["match"].basis)
    assert data["by_text"] == shown["match"].by_text
    assert data["list"].endswith(f"{reverse('determinations:list')}?{shown['list_query']}")

    # The same items in the same order, with the same carried sentences.
    results = shown["results"]
    assert [r["id"] for r in data["results"]] == [item.pk for item, _, _ in results]
    for got, (item, sentences, _) in zip(data["results"], results, strict=True):
        assert got["outcome"] == item.outcome
        assert got["decision_date"] == (item.decision_date and item.decision_date.isoformat())
        assert got["guideline_sections"] == item.guideline_sections
        assert got["carried"] == [s.text for s in sentences if s.carried]

    # The same estimate: the matched set, base rates, quarters and reasons.
    estimate = shown["estimate"]
    got = data["estimate"]
    assert rate_in_api(got["matched"]) == rate_on_page(estimate.matched)
    assert rate_in_api(got["all_letters"]) == rate_on_page(estimate.everything)
    if estimate.subcategory is None:
        assert got["subcategory"] is None
    else:
        assert rate_in_api(got["subcategory"]) == rate_on_page(estimate.subcategory)
        assert got["subcategory"]["label"] == estimate.subcategory_label
    assert [(q["quarter"], q["n"]) for q in got["quarters"]] == [
        (q.label, q.rate.n) for q in estimate.quarters
    ]
    for outcome in ("upheld", "overturned"):
        assert [(r["tag"], r["count"]) for r in got[f"{outcome}_reasons"]] == [
            (r.tag, r.count) for r in getattr(estimate, f"{outcome}_reasons")
        ]
    assert got["disclaimer"] == estimate.disclaimer
    assert data["results"]


def test_it_gives_the_rate_its_interval_and_links_to_the_reasons(decisions, api, page):
    data = api.get(API, {"text": "Lidoderm patch 5% #30"}).json()
    matched = data["estimate"]["matched"]
    # 10 of 25 overturned: 40%, Wilson 95% interval 23.4%-59.3%.
    assert (matched["n"], matched["overturned"], matched["withheld"]) == (25, 10, False)
    assert matched["rate"] == 0.4
    assert (round(matched["ci_low"], 3), round(matched["ci_high"], 3)) == (0.234, 0.593)
    assert len(data["estimate"]["quarters"]) == 8
    assert data["results"][0]["quantity"] == 30
    reason = data["estimate"]["overturned_reasons"][0]
    assert (reason["tag"], reason["count"]) == ("criteria-met", 10)
    listed = page.get(reason["list"])
    assert listed.context["counts"].total == 10
    opened = page.get(data["list"])
    assert opened.context["counts"].total == matched["total"] == 25


def test_it_withholds_the_rate_below_the_minimum_and_says_why(decisions, api):
    data = api.get(API, {"text": "Zumba classes 20 sessions"}).json()
    matched = data["estimate"]["matched"]
    assert data["by_text"]
    assert (matched["n"], matched["withheld"]) == (3, True)
    assert data["estimate"]["min_n"] == 20
    assert matched["rate"] is None and matched["overturned"] is None
    assert "Only 3 decisions match" in matched["withheld_reason"]


# (query string, the parameter the 400 names)
BAD = [
    # a parameter the page does not read (a typo of "drug"), or the list's
    ("drugs=lidocaine&text=patch", "drugs"),
    ("text=patch&outcome=upheld", "outcome"),
    # nothing to search for
    ("", "text"),
    ("text=&specialty=Pain+Medicine", "text"),
    # text longer than the form takes; a parameter twice
    ("text=" + "x" * 201, "text"),
    ("text=patch&text=Norco", "text"),
    # numbers that are not counts of a request
    ("text=Norco&quantity=many", "quantity"),
    ("text=Norco&quantity=0", "quantity"),
    ("text=therapy&visits=100000", "visits"),
    # values outside the form's choices
    ("text=patch&region=Moon", "region"),
    ("text=patch&category=Magic", "category"),
    ("text=patch&category=Pharmaceuticals&subcategory=Chiropractic", "subcategory"),
    # a subcategory's category is given, not read from the text
    ("text=adjustments&subcategory=Chiropractic", "subcategory"),
    ("text=patch&section=MTUS", "section"),
    ("text=patch&helpful=maybe", "helpful"),
    ("text=patch&corrected=perhaps", "corrected"),
    ("text=patch&specialty=" + "x" * 121, "specialty"),
]


@pytest.mark.parametrize(("query", "parameter"), BAD)
def test_it_answers_400_naming_the_parameter(api, query, parameter):
    response = api.get(f"{API}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["parameter"]) == ("bad_parameter", parameter)
    assert body["message"]


# Accepted as the page accepts them.
GOOD = [
    "text=Lidoderm+patch&region=",  # an empty form field: any region
    "text=Lidoderm+patch&corrected=1&drug=lidocaine&category=&region=&quantity=",
    "drug=lidocaine",  # no text: the drug alone
    "text=12+sessions+of+chiropractic&visits=%2312&region=Cervical+spine",
    "text=Norco&format=json",
    "text=0&quantity=30",  # no word to rank by (was a 500: an empty tsquery)
]


@pytest.mark.parametrize("query", GOOD)
def test_it_accepts_what_the_page_accepts(api, query):
    assert api.get(f"{API}?{query}").status_code == 200


def test_it_takes_a_token_or_the_session_and_refuses_anyone_else(client, user, token):
    assert client.get(API, {"text": "MRI"}).status_code == 401
    assert client.get(API, {"text": "MRI"}, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(user)
    assert client.get(API, {"text": "MRI"}).status_code == 200


def test_it_is_audited_with_its_token_parameters_and_rows(decisions, api, user):
    api.get(API, {"text": "Lidoderm patch 5% #30"})
    api.get(API, {"text": "patch", "region": "Moon"})
    first, refused = AuditEvent.objects.filter(action=Action.API).order_by("pk")
    assert (first.user, first.target) == (user, API)
    assert first.filters == "text=Lidoderm+patch+5%25+%2330"
    assert first.rows == 10
    assert first.detail["status"] == 200
    assert first.detail["token"] == ApiToken.objects.get().pk
    assert refused.detail["status"] == 400
    assert refused.filters == "text=patch&region=Moon"


def test_it_is_throttled_per_token_with_retry_after(settings, api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "2/minute"},
    }
    assert [api.get(API, {"text": "MRI"}).status_code for _ in range(2)] == [200, 200]
    refused = api.get(API, {"text": "MRI"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
