"""The letter's page (issue 23): the summary in paragraphs with the search still marked,
"Back to results" to the page the letter was on, and the original's format apart from the
letter's layout."""

from urllib.parse import parse_qs

import pytest

from tests.factories import make_determination, make_item, refresh

pytestmark = pytest.mark.django_db

SUMMARY = (
    "The expert reviewer developed the following clinical case summary based on a review of\n"
    "the case file, including all medical records:\n"
    "The injured worker is a 53 year old male who was treated with acupuncture and physical\n"
    "therapy for chronic low back pain."
)


def back_link(response) -> dict[str, list[str]]:
    """The query of the page's "Back to results" link."""
    return parse_qs(response.context["back_query"])


def test_it_shows_the_summary_in_paragraphs(analyst_client):
    letter = make_determination(case_summary=SUMMARY)
    make_item(letter)
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert (
        "<p>The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:</p>"
        in html
    )
    assert (
        "<p>The injured worker is a 53 year old male who was treated with acupuncture and physical therapy for chronic low back pain.</p>"
        in html
    )


def test_it_still_marks_the_searched_words_in_the_summary(analyst_client):
    letter = make_determination(case_summary=SUMMARY)
    make_item(letter, treatment="Acupuncture 6 visits")
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url(), {"q": "acupuncture"}).content.decode()
    assert "treated with <mark>acupuncture</mark> and physical therapy for chronic" in html


@pytest.mark.parametrize(
    ("params", "page"),
    [
        # the list's 3rd row (position 2) is on page 1: no page written
        ({"sort": "newest", "pos": "2"}, None),
        # position 60 (the 61st row) is on page 3 of 25 rows a page
        ({"sort": "newest", "pos": "60"}, ["3"]),
        # the last row of page 2
        ({"sort": "newest", "pos": "49"}, ["2"]),
        # no position (a link from elsewhere): the page asked for, if any
        ({"sort": "newest", "page": "4"}, ["4"]),
        # a bad position is ignored
        ({"sort": "newest", "pos": "x", "page": "2"}, ["2"]),
    ],
)
def test_back_to_results_returns_to_the_letters_page(analyst_client, params, page):
    letter = make_determination()
    make_item(letter)
    refresh(letter)
    response = analyst_client.get(
        letter.get_absolute_url(), {"q": "pain", "outcome": "upheld", "count": "letters", **params}
    )
    back = back_link(response)
    assert back.get("page") == page
    # the rest of the list's state goes back too
    assert back["q"] == ["pain"] and back["outcome"] == ["upheld"]
    assert back["sort"] == ["newest"] and back["count"] == ["letters"]
    assert (
        f'href="/?{response.context["back_query"].replace("&", "&amp;")}" class="back-link"'
        in response.content.decode()
    )


def test_the_list_links_back_from_a_deep_page(analyst_client):
    letters = [make_determination(decision_date=f"2016-01-{d:02d}") for d in range(1, 29)]
    for letter in letters:
        make_item(letter)
    refresh(*letters)
    page2 = analyst_client.get("/", {"sort": "newest", "page": "2"})
    first_on_page2 = page2.context["page"].groups[0][0]
    html = page2.content.decode()
    # the list's own link to the first letter of page 2, followed as a browser would
    start = html.index(f"/letters/{first_on_page2.pk}/?")
    href = html[html.rindex('href="', 0, start) + 6 : html.index('"', start)].replace("&amp;", "&")
    detail = analyst_client.get(href)
    assert detail.status_code == 200
    assert back_link(detail)["page"] == ["2"]


@pytest.mark.parametrize(
    ("extractor", "layout", "original", "layout_label"),
    [
        # a .txt letter in the 2016 layout is not a PDF
        ("utf-8", "dwc-2016", "Plain text (UTF-8)", "2016-2017 DWC letter"),
        ("pdfium", "dwc-2016", "PDF with a text layer (read by PDFium)", "2016-2017 DWC letter"),
        ("pypdf", "dwc-2014", "PDF with a text layer (read by pypdf)", "2014-2015 letter"),
        ("", "dwc-2016", "Not recorded", "2016-2017 DWC letter"),
    ],
)
def test_it_labels_the_original_file_apart_from_the_layout(
    analyst_client, extractor, layout, original, layout_label
):
    letter = make_determination(text_extractor=extractor, layout=layout)
    make_item(letter)
    refresh(letter)
    html = analyst_client.get(letter.get_absolute_url()).content.decode()
    assert f"<dt>Original file</dt><dd>{original}</dd>" in html
    assert f"<dt>Letter layout</dt><dd>{layout_label}</dd>" in html
    assert "DWC PDF" not in html
