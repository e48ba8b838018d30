"""ItemFilters: forgiving URL parsing and the state written back to the URL."""

from datetime import date

from django.http import QueryDict

from determinations.filters import MAX_PAGE, ItemFilters


def parse(query: str) -> ItemFilters:
    return ItemFilters.from_query(QueryDict(query))


def test_it_reads_every_parameter():
    f = parse(
        "q=norco&outcome=Overturned&drug=Hydrocodone&drug=tramadol&year=2016&state=ca"
        "&decided_from=2016-01-01&injured_to=2015-12-31&partial=1&status=needs_review"
        "&count=letters&sort=oldest&page=3&guideline=MTUS%7CChronic"
    )
    assert f.q == "norco"
    assert f.outcome == ("overturned",)
    assert f.drug == ("hydrocodone", "tramadol")
    assert f.year == ("2016",)
    assert f.state == ("CA",)
    assert f.decided_from == date(2016, 1, 1)
    assert f.injured_to == date(2015, 12, 31)
    assert f.partial and f.status == ("needs_review",)
    assert (f.count, f.sort, f.page) == ("letters", "oldest", 3)
    assert f.guideline == ("MTUS|Chronic",)


def test_it_drops_what_it_cannot_read():
    f = parse(
        "outcome=maybe&year=20x6&year=1066&state=California&decided_from=2016-02-30"
        "&injured_from=yesterday&status=bogus&count=both&sort=random&page=-4&partial=no"
    )
    assert f == ItemFilters()


def test_it_clamps_deep_pages():
    assert parse("page=999999").page == 1  # absurdly long: ignored
    assert parse("page=5000").page == MAX_PAGE


def test_it_strips_control_characters_and_long_input():
    f = parse("q=" + "a\x00b" * 5000 + "&drug=" + "x" * 5000)
    assert "\x00" not in f.q and len(f.q) <= 300
    assert len(f.drug[0]) <= 300


def test_it_round_trips_through_the_query_string():
    f = parse("q=%22physical+therapy%22&drug=gabapentin&year=2015&sort=newest&count=letters")
    assert parse(f.query_string()) == f


def test_it_resets_the_page_when_a_filter_changes():
    f = parse("drug=gabapentin&page=4")
    assert f.toggled("year", "2016").page == 1
    assert f.without("drug", "gabapentin").page == 1


def test_it_replaces_guideline_ancestors_and_descendants():
    f = parse("guideline=MTUS&guideline=ODG")
    deeper = f.toggled("guideline", "MTUS|Chronic Pain")
    assert deeper.guideline == ("ODG", "MTUS|Chronic Pain")
    assert deeper.toggled("guideline", "MTUS").guideline == ("ODG", "MTUS")


def test_it_summarises_in_one_line():
    f = parse("outcome=overturned&drug_class=Opioids&year=2016&specialty=Pain+Medicine")
    assert (
        f.summary(412) == "412 disputed items - Overturned - Opioids - Pain Medicine - decided 2016"
    )
    assert parse("count=letters&drug=norco&drug=tramadol").summary(1) == (
        "1 letter - Norco or Tramadol"
    )


def test_it_makes_a_file_name_fragment():
    f = parse("outcome=overturned&drug_class=Opioids&year=2016")
    assert f.slug() == "overturned_opioids_decided-2016"
    assert ItemFilters().slug() == "all"
