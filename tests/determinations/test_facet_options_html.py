"""The sidebar's facet options are built as strings (determinations_tags.facet_options):
every value from a letter is escaped, and the markup carries what the page's script and
screen readers read. Table-driven: one option per case, read back with an HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from determinations.filters import FacetOption
from determinations.templatetags.determinations_tags import facet_options


class _Reader(HTMLParser):
    """Elements (tag, attributes) and the text inside each span class, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._open.append(dict(attrs).get("class") or tag)

    def handle_endtag(self, tag: str) -> None:
        self._open.pop()

    def handle_data(self, data: str) -> None:
        for name in self._open:
            self.text[name] = self.text.get(name, "") + data


def _read(option: FacetOption, mode: str = "items") -> _Reader:
    reader = _Reader()
    reader.feed(str(facet_options([option], mode)))
    reader.close()
    return reader


HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"

CASES = [
    # A plain option: count, rate, unselected, not estimated.
    (FacetOption("drug", "hydrocodone", "Hydrocodone", 1204, 13, False), "items"),
    # Selected and estimated from the sample: checked, "about", the is-selected class.
    (FacetOption("drug", "tramadol", "Tramadol", 90, 7, True, 0, True), "letters"),
    # A letter's own words as value and label: escaped in the attribute and the text.
    (FacetOption("guideline", HOSTILE, HOSTILE, 3, 100, False), "items"),
    # A nested option without a rate (Facet.shows_rate false), at depth 2.
    (FacetOption("region", "spine/lumbar", "Lumbar", 5, 0, False, 2, False, False), "items"),
]


@pytest.mark.parametrize(("option", "mode"), CASES, ids=lambda x: getattr(x, "value", x))
def test_it_renders_each_option_from_its_fields(option: FacetOption, mode: str) -> None:
    html = str(facet_options([option], mode))
    assert "<script" not in html
    reader = _Reader()
    reader.feed(html)
    tags = [tag for tag, _ in reader.elements]
    assert tags[:3] == ["li", "input", "label"]
    li, field, label = (attrs for _, attrs in reader.elements[:3])
    assert li["class"].split() == [
        "facet-option",
        f"depth-{option.depth}",
        *(["is-selected"] if option.selected else []),
    ]
    assert field["type"] == "checkbox"
    assert field["name"] == option.param
    assert field["value"] == option.value
    assert field["id"] == option.input_id == label["for"]
    assert ("checked" in field) is option.selected
    assert "data-autosubmit" in field
    assert reader.text["facet-label"] == option.label
    count = reader.text["facet-count"]
    assert count.endswith(f"{option.count} {mode},")
    assert count.startswith("≈about ") is option.estimated
    if option.shows_rate:
        assert reader.text["facet-rate"] == f"{option.overturn_rate}% overturned"
    else:
        assert "facet-rate" not in reader.text
        assert ("span", {"class": "facet-rate", "aria-hidden": "true"}) in reader.elements


def test_it_joins_many_options_in_order() -> None:
    options = [FacetOption("year", str(y), str(y), y - 2000, 10, False) for y in range(2014, 2020)]
    reader = _Reader()
    reader.feed(str(facet_options(options, "items")))
    values = [attrs["value"] for tag, attrs in reader.elements if tag == "input"]
    assert values == [o.value for o in options]


def test_the_count_mode_is_escaped_too() -> None:
    reader = _read(FacetOption("drug", "x", "X", 1, 0, False), mode='<b>"items"</b>')
    assert reader.text["facet-count"].endswith('1 <b>"items"</b>,')
    assert not [tag for tag, _ in reader.elements if tag == "b"]
