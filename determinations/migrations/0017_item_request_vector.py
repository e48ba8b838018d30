# The search box's scopes (determinations.search.SearchScope): each item's own request gets a
# vector of its own, request_vector, with GIN indexes on the item table and both samples.
# The copy trigger copies it into the samples from now on; this fills it in for the items
# already stored, with the request SQL of today frozen here (a migration never runs today's
# code), then builds the indexes (one GIN build each, not one insert per row). The UPDATE
# does not go through the trigger (see FILL).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# The copy trigger's columns (0012's, plus request_vector).
COLUMNS = (
    "id, determination_id, outcome, partial, category, ingredients, drug_class, search_vector,"
    " decision_date, decision_year, date_of_injury, review_status, specialties,"
    " licensure_states, guidelines, body_region, reason_tags, guideline_sections,"
    " same_guideline, claims_sources, subcategory, request_vector"
)
OLD_COLUMNS = COLUMNS.removesuffix(", request_vector")
SPARSE = "('x' || substr(d.sha256, 1, 8))::bit(32)::bigint % 128 = 0"

FUNCTION = """
CREATE OR REPLACE FUNCTION determinations_sample_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM determinations_sampleitem WHERE id = OLD.id;
        DELETE FROM determinations_sparsesampleitem WHERE id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.sample = 0 THEN
        INSERT INTO determinations_sampleitem ({columns}) VALUES ({values});
        IF EXISTS (SELECT FROM determinations_determination AS d
                   WHERE d.id = NEW.determination_id AND {sparse}) THEN
            INSERT INTO determinations_sparsesampleitem ({columns}) VALUES ({values});
        END IF;
    END IF;
    RETURN NULL;
END
$$;
"""


def _function(columns: str) -> str:
    values = ", ".join(f"NEW.{c.strip()}" for c in columns.split(","))
    return FUNCTION.format(columns=columns, values=values, sparse=SPARSE)


# determinations.search.request_vector_sql when this was written. The item rows are updated
# with the copy trigger off (it would delete and re-insert every sample row, and leave
# foreign-key checks pending that forbid the index builds below), then the samples take the
# new column from them.
FILL = """
ALTER TABLE determinations_disputeditem DISABLE TRIGGER determinations_sample_update;
UPDATE determinations_disputeditem AS i
SET request_vector = to_tsvector('english'::regconfig, regexp_replace(translate(concat_ws(' ',
    concat_ws(' ', i.treatment, i.heading, i.brand, array_to_string(i.ingredients, ' ')),
    i.category, i.subcategory, i.drug_class), '/', ' '),
    '\\m(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen'
    '|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)\\M',
    ' ', 'gi'));
ALTER TABLE determinations_disputeditem ENABLE TRIGGER determinations_sample_update;
UPDATE determinations_sampleitem AS s SET request_vector = i.request_vector
FROM determinations_disputeditem AS i WHERE i.id = s.id;
UPDATE determinations_sparsesampleitem AS s SET request_vector = i.request_vector
FROM determinations_disputeditem AS i WHERE i.id = s.id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0016_item_citation_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeditem",
            name="request_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="sampleitem",
            name="request_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddField(
            model_name="sparsesampleitem",
            name="request_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunSQL(_function(COLUMNS), _function(OLD_COLUMNS)),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="disputeditem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["request_vector"], name="item_request_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="sampleitem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["request_vector"], name="sample_request_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="sparsesampleitem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["request_vector"], name="sparse_sample_request_gin"
            ),
        ),
    ]
