"""A parameter the list would not understand is a 400 naming it, never a 500 or a
silently broader result."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (endpoint, query string, the parameter the error names)
BAD = [
    # a name the list does not know (a typo of "drug")
    ("items", "drugs=hydrocodone", "drugs"),
    # dates that do not exist, or are not dates
    ("items", "decided_from=2016-13-45", "decided_from"),
    ("letters", "injured_to=yesterday", "injured_to"),
    # enumerations
    ("items", "outcome=maybe", "outcome"),
    ("facets", "status=lost", "status"),
    ("facets", "count=pages", "count"),
    ("facets", "same_guideline=perhaps", "same_guideline"),
    # a year outside the letters' range, a state that is not a two-letter code
    ("items", "year=1850", "year"),
    ("items", "state=California", "state"),
    # relevance cannot be paged by a cursor; pages are cursors
    ("items", "sort=relevance", "sort"),
    ("items", "page=2", "page"),
    # pagination's own parameters
    ("items", "cursor=not-a-cursor", "cursor"),
    ("letters", "cursor=736815.1.2", "cursor"),  # an items cursor: one key too many
    ("letters", "page_size=", "page_size"),
    # a case number is letters, digits and hyphens (the pattern the schema gives)
    ("items", "case=CM16+0000000", "case"),
    ("items", "decided_from=2016-01-01T00:00", "decided_from"),
    ("letters", "page_size=0", "page_size"),
    ("letters", "page_size=1000", "page_size"),
    # analytics' own parameters
    ("analytics", "by=colour", "by"),
    ("analytics", "order=random", "order"),
    # more values of one facet than the list reads
    ("items", "&".join(f"drug=d{i}" for i in range(31)), "drug"),
]


@pytest.mark.parametrize(("endpoint", "query", "parameter"), BAD)
def test_it_answers_400_naming_the_parameter(api, endpoint, query, parameter):
    response = api.get(reverse(f"api:{endpoint}") + "?" + query)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_parameter"
    assert response.json()["parameter"] == parameter
    assert response.json()["message"]


# Accepted as the list accepts them.
GOOD = [
    "drug=Hydrocodone",  # the list folds case
    "outcome=Overturned",
    "partial=0",
    "count=items",
    "q=%22home+health%22+-surgery",
    "decided_from=&outcome=upheld",  # an empty form field is ignored
    "sort=oldest",
]


@pytest.mark.parametrize("query", GOOD)
def test_it_accepts_what_the_list_accepts(api, query):
    assert api.get(reverse("api:items") + "?" + query).status_code == 200
