# The "request subcategory" facet (determinations.facets): the item table has had the
# column since 0001; this adds its copy to the sample table, the sample trigger copying it,
# and its values for the sample rows already stored. Everything is frozen here: a migration
# never runs today's code.
#
# No new index. The list's subcategory filter is served by item_category (category,
# subcategory, outcome): with the category (as the similar page always gives it) as its
# prefix, and without it by PostgreSQL 18's skip scan over the few categories; its counts
# over a large set read the sample table. The covering index the similar page's ranking
# was measured with (category, subcategory, body_region) INCLUDE (..., heading, ...) serves
# that page's query only, and a heading longer than a btree entry (~2.7 kB, a misparse)
# would then make the letter's INSERT fail: a letter must never be lost for an index.

from django.db import migrations, models

# The copy trigger's columns: 0008's, plus subcategory.
COLUMNS = (
    "id, determination_id, outcome, partial, category, ingredients, drug_class, search_vector,"
    " decision_date, decision_year, date_of_injury, review_status, specialties,"
    " licensure_states, guidelines, body_region, reason_tags, guideline_sections,"
    " same_guideline, claims_sources, subcategory"
)
NEW_VALUES = ", ".join(f"NEW.{c.strip()}" for c in COLUMNS.split(","))
OLD_COLUMNS = COLUMNS.removesuffix(", subcategory")
OLD_VALUES = ", ".join(f"NEW.{c.strip()}" for c in OLD_COLUMNS.split(","))

FUNCTION = """
CREATE OR REPLACE FUNCTION determinations_sample_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM determinations_sampleitem WHERE id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.sample = 0 THEN
        INSERT INTO determinations_sampleitem ({columns}) VALUES ({values});
    END IF;
    RETURN NULL;
END
$$;
"""

# The item table already holds the values: copy them into the sample rows (only those, not
# a rewrite of every item through the trigger).
FILL = """
UPDATE determinations_sampleitem AS s
SET subcategory = i.subcategory
FROM determinations_disputeditem AS i
WHERE i.id = s.id AND s.subcategory IS DISTINCT FROM i.subcategory
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0009_determination_text_extractor"),
    ]

    operations = [
        migrations.AddField(
            model_name="sampleitem",
            name="subcategory",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.RunSQL(
            FUNCTION.format(columns=COLUMNS, values=NEW_VALUES),
            FUNCTION.format(columns=OLD_COLUMNS, values=OLD_VALUES),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
