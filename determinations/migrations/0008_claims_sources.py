# The "claims administrator's guideline source" facet (determinations.facets): the column on
# the item and sample tables, the sample trigger copying it, and its values for the letters
# already stored. Everything is frozen here: a migration never runs today's code.

import django.contrib.postgres.fields
from django.db import migrations, models

# The copy trigger's columns: 0006's, plus claims_sources.
COLUMNS = (
    "id, determination_id, outcome, partial, category, ingredients, drug_class, search_vector,"
    " decision_date, decision_year, date_of_injury, review_status, specialties,"
    " licensure_states, guidelines, body_region, reason_tags, guideline_sections,"
    " same_guideline, claims_sources"
)
NEW_VALUES = ", ".join(f"NEW.{c.strip()}" for c in COLUMNS.split(","))
OLD_COLUMNS = COLUMNS.removesuffix(", claims_sources")
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

# As determinations.facets.CLAIMS_SOURCES_SQL over the stored citations.
FILL = """
UPDATE determinations_disputeditem AS i
SET claims_sources = coalesce(NULLIF(ARRAY(
    SELECT DISTINCT c.source FROM determinations_guidelinecitation AS c
    WHERE c.item_id = i.id AND c.party = 'claims_administrator' AND c.source <> 'none'
    ORDER BY c.source), '{}'), '{none}')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0007_case_number_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeditem",
            name="claims_sources",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=8), blank=True, default=list, editable=False
            ),
        ),
        migrations.AddField(
            model_name="sampleitem",
            name="claims_sources",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=8), blank=True, default=list
            ),
        ),
        migrations.RunSQL(
            FUNCTION.format(columns=COLUMNS, values=NEW_VALUES),
            FUNCTION.format(columns=OLD_COLUMNS, values=OLD_VALUES),
        ),
        # After the trigger: the sample rows' copies are rewritten with the new column.
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
