# Indexes for the "Find similar decisions" page (similar.matching.ranked and
# similar.estimate), on the item table; SQL of its own, so this migration never runs
# today's code and the determinations app's migrations stay its own.
#
# similar_kind: a request of a kind (category and subcategory, perhaps a body region):
# its ranking reads the newest CANDIDATES items of the kind in this order, and its
# estimate's exact count reads outcome, decision date and reason tags, both from the
# index alone (measured at 50,000 letters: MRI of the lumbar spine, 1,382 items, 66 ms
# from the table, 3-10 ms from this index; an index-only read needs the table vacuumed,
# as autovacuum does).
#
# similar_drug: a drug request (key ingredient within its drug class) reads its newest
# candidates here, the ingredients checked in the index. Only items of at most four
# ingredients: similar_compound lists the others (a compound's), few at any size.
#
# Bounded entries: a btree entry over ~2.7 kB would make the letter's INSERT fail, and a
# letter must never be lost for an index (see determinations 0010). No heading here. The
# widest possible entries: similar_kind 80 + 80 + 40 characters (4 bytes each at most)
# and the reason tags, at most one of each of the lexicon's ~28 keys of <= 40 characters
# (ingest.normalize.reasons writes nothing else): under 1.6 kB. similar_drug: 80 + 40
# characters and four ingredients of <= 80: under 2 kB.

from django.db import migrations

KIND = (
    "CREATE INDEX similar_kind ON determinations_disputeditem"
    " (category, subcategory, decision_date DESC NULLS LAST, id DESC)"
    " INCLUDE (body_region, outcome, reason_tags)"
)
DRUG = (
    "CREATE INDEX similar_drug ON determinations_disputeditem"
    " (drug_class, decision_date DESC NULLS LAST, id DESC)"
    " INCLUDE (ingredients, body_region)"
    " WHERE drug_class <> '' AND cardinality(ingredients) <= 4"
)

COMPOUND = (
    "CREATE INDEX similar_compound ON determinations_disputeditem"
    " (decision_date DESC NULLS LAST, id DESC) WHERE cardinality(ingredients) > 4"
)


class Migration(migrations.Migration):
    dependencies = [("determinations", "0010_subcategory_facet")]

    operations = [
        migrations.RunSQL(KIND, reverse_sql="DROP INDEX similar_kind"),
        migrations.RunSQL(DRUG, reverse_sql="DROP INDEX similar_drug"),
        migrations.RunSQL(COMPOUND, reverse_sql="DROP INDEX similar_compound"),
    ]
