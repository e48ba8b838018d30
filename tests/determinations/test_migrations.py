"""A database holding letters migrates from 0001 to the latest migration.

Migrations must never run today's code: 0002 once called determinations.search's refresh,
whose SQL writes a column that only exists from 0005 on, so a database at 0001 holding
letters could not migrate.
"""

import pytest
from django.db import connection

from tests.migrating import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_migrates_a_database_with_letters_from_0001_to_the_latest():
    old = migrate([("determinations", "0001_initial")])
    Determination = old.get_model("determinations", "Determination")
    Reviewer = old.get_model("determinations", "Reviewer")
    Item = old.get_model("determinations", "DisputedItem")
    Citation = old.get_model("determinations", "GuidelineCitation")
    reviewer = Reviewer.objects.create(profile_key="Pain Medicine | CA", licensure_states=["CA"])
    letters = []
    for n, sha in enumerate(["00000000" + "a" * 56, "00000001" + "b" * 56]):
        letter = Determination.objects.create(
            case_number=f"CM16-000000{n}",
            sha256=sha,
            decision_date="2016-05-01",
            case_summary="Chronic low back pain.",
            reviewer=reviewer,
        )
        item = Item.objects.create(
            determination=letter,
            order=1,
            heading="Norco 10/325 #60",
            treatment="Norco 10/325 #60",
            outcome="upheld",
            ingredients=["hydrocodone", "acetaminophen"],
            brand="Norco",
        )
        Citation.objects.create(item=item, party="reviewer", source="MTUS", document="Chronic Pain")
        letters.append(letter.pk)

    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT decision_year, guidelines, licensure_states, sample, search_vector IS NOT NULL"
            " FROM determinations_disputeditem ORDER BY determination_id"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT id FROM determinations_sampleitem")
        sampled = cursor.fetchall()
        cursor.execute("SELECT name FROM determinations_drugname ORDER BY name")
        names = [name for (name,) in cursor.fetchall()]
    assert rows == [
        (2016, ["MTUS", "MTUS|Chronic Pain"], ["CA"], 0, True),
        (2016, ["MTUS", "MTUS|Chronic Pain"], ["CA"], 1, True),
    ]
    # The first letter's hash puts it in bucket 0: its item was copied to the sample table.
    assert len(sampled) == 1
    assert names == ["acetaminophen", "hydrocodone", "norco"]


def test_0016_fills_in_the_citation_text_the_refresh_writes():
    # 0016 freezes the export's citation SQL to fill in the stored items: it must write what
    # today's loader and refresh write (determinations.exports.CITATION_TEXT_COLUMNS).
    from tests.factories import make_citation, make_determination, make_drug_item, refresh

    letter = make_determination()
    item = make_drug_item(letter, "tramadol")
    make_citation(item, order=2, source="ODG", document="Pain", section="", pages=[])
    make_citation(item, order=1, pages=[74, 80])
    make_citation(item, party="claims_administrator", source="none", document="", pages=[])
    make_citation(item, party="claims_administrator", order=1, source="other", document="=X")
    make_drug_item(letter, "gabapentin", order=2)
    refresh(letter)
    query = (
        "SELECT reviewer_citation_text, claims_citation_text FROM determinations_disputeditem"
        " ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        refreshed = cursor.fetchall()

    migrate([("determinations", "0015_citation_item_order")])
    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute(query)
        assert cursor.fetchall() == refreshed
    assert refreshed == [
        (
            "MTUS Chronic Pain Medical Treatment Guidelines 2009 - Opioids p. 74, 80; ODG Pain 2009",
            "No guideline cited; =X 2009 - Opioids p. 74",
        ),
        ("", ""),
    ]


def test_0017_fills_in_the_request_vector_the_refresh_writes():
    # 0017 freezes the request vector's SQL to fill in the stored items and copies it into
    # the samples: it must write what today's loader and refresh write.
    from tests.factories import make_determination, make_drug_item, make_item, refresh

    # Hashes starting 00000000 put a letter in both samples (determinations.sampling).
    letters = [make_determination(sha256=f"{n % 2:08x}{n:056x}") for n in range(6)]
    for letter in letters:
        make_drug_item(letter, "hydrocodone", brand="Norco", ingredients=["hydrocodone"])
        make_item(letter, treatment="Acupuncture 6 visits", category="Rehabilitation")
    refresh(*letters)
    items = "SELECT id, request_vector::text FROM determinations_disputeditem ORDER BY id"
    samples = """SELECT id, request_vector::text FROM determinations_sampleitem
        UNION ALL SELECT -id, request_vector::text FROM determinations_sparsesampleitem
        ORDER BY 1"""
    with connection.cursor() as cursor:
        cursor.execute(items)
        refreshed = cursor.fetchall()
        cursor.execute(samples)
        sampled = cursor.fetchall()
    assert len(sampled) == 12 and all(vector for _, vector in refreshed + sampled)

    migrate([("determinations", "0016_item_citation_text")])
    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute(items)
        assert cursor.fetchall() == refreshed
        cursor.execute(samples)
        assert cursor.fetchall() == sampled
