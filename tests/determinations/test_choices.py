"""The enumerations are declared once: Django's choices carry the parser's values."""

import pytest
from django.db import models

from determinations import choices
from ingest import letter


@pytest.mark.parametrize("name", ["Layout", "Outcome", "Party", "Source", "Stock"])
def test_it_builds_each_parser_enum_into_choices(name):
    parsed, stored = getattr(letter, name), getattr(choices, name)
    assert [(m.name, m.value) for m in stored] == [(m.name, m.value) for m in parsed]
    assert issubclass(stored, models.TextChoices)


def test_it_refuses_labels_that_do_not_cover_the_enum():
    with pytest.raises(ValueError, match="Outcome"):
        choices.forgiving(letter.Outcome, {"upheld": "Upheld"})


def test_it_parses_forgivingly():
    assert choices.Outcome.parse(" Overturned ") is choices.Outcome.OVERTURNED
    assert choices.ReviewStatus.parse("needs review") is choices.ReviewStatus.NEEDS_REVIEW
    assert choices.Source.parse("nonsense") is None
