"""Saved searches from before the search scopes keep matching the whole letter."""

import pytest
from django.utils import timezone

from tests.migrating import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_gives_old_searches_with_text_the_whole_letter_scope():
    old = migrate([("alerts", "0002_alert_address")])
    SavedSearch = old.get_model("alerts", "SavedSearch")
    User = old.get_model("auth", "User")
    user = User.objects.create(username="old-analyst")
    now = timezone.now()
    states = {
        "norco": "q=norco&drug=hydrocodone",
        "phrase": "q=%22functional+improvement%22",
        "no text": "drug=hydrocodone&outcome=upheld",
        "scoped": "q=norco&scope=request",
    }
    for name, state in states.items():
        SavedSearch.objects.create(
            user=user, name=name, state=state, last_opened_at=now, alert_since=now, alert_mark=now
        )

    migrate(latest())

    from alerts.models import SavedSearch as Current
    from alerts.models import canonical_state

    stored = dict(Current.objects.values_list("name", "state"))
    assert stored == {
        "norco": "q=norco&scope=letter&drug=hydrocodone",
        "phrase": "q=%22functional+improvement%22&scope=letter",
        "no text": "drug=hydrocodone&outcome=upheld",
        "scoped": "q=norco&scope=request",
    }
    # What the migration writes is the canonical state itself.
    assert canonical_state(stored["norco"]) == stored["norco"]
