# The sparse sample (models.SparseSampleItem, determinations.sampling): the items of one
# letter in 128, a quarter of the dense sample, copied by the same trigger function, which
# now also copies a sample row into the sparse table when its letter's hash is 0 modulo 128
# (the letter is read from the trigger: AFTER triggers see the whole statement's rows, the
# loader's letter included). The rows already sampled are copied, then indexed (one GIN
# build, not one insert per row). Everything is frozen here: a migration never runs
# today's code.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The copy trigger's columns (0010's).
COLUMNS = (
    "id, determination_id, outcome, partial, category, ingredients, drug_class, search_vector,"
    " decision_date, decision_year, date_of_injury, review_status, specialties,"
    " licensure_states, guidelines, body_region, reason_tags, guideline_sections,"
    " same_guideline, claims_sources, subcategory"
)
NEW_VALUES = ", ".join(f"NEW.{c.strip()}" for c in COLUMNS.split(","))
# A letter of the sparse sample: the first 32 bits of its SHA-256, modulo 128, are 0.
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
# 0010's function.
OLD_FUNCTION = """
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

FILL = f"""
INSERT INTO determinations_sparsesampleitem ({COLUMNS})
SELECT {", ".join(f"s.{c.strip()}" for c in COLUMNS.split(","))}
FROM determinations_sampleitem AS s
JOIN determinations_determination AS d ON d.id = s.determination_id
WHERE {SPARSE}
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0011_letter_column_defaults_claims_sources_gin"),
    ]

    operations = [
        migrations.CreateModel(
            name="SparseSampleItem",
            fields=[
                (
                    "item",
                    models.OneToOneField(
                        db_column="id",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="determinations.disputeditem",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[("upheld", "Upheld"), ("overturned", "Overturned")], max_length=10
                    ),
                ),
                ("partial", models.BooleanField(default=False)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("decision_date", models.DateField(blank=True, null=True)),
                ("decision_year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("date_of_injury", models.DateField(blank=True, null=True)),
                (
                    "review_status",
                    models.CharField(
                        choices=[
                            ("ok", "OK"),
                            ("needs_review", "Needs review"),
                            ("conflict", "Conflicting case number"),
                            ("failed", "Failed"),
                        ],
                        db_default="ok",
                        default="ok",
                        max_length=12,
                    ),
                ),
                (
                    "specialties",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=120),
                        blank=True,
                        db_default=[],
                        default=list,
                    ),
                ),
                (
                    "licensure_states",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=2),
                        blank=True,
                        db_default=[],
                        default=list,
                    ),
                ),
                ("category", models.CharField(blank=True, max_length=80)),
                ("subcategory", models.CharField(blank=True, max_length=80)),
                (
                    "ingredients",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=80), blank=True, default=list
                    ),
                ),
                ("drug_class", models.CharField(blank=True, max_length=80)),
                (
                    "guidelines",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), blank=True, default=list
                    ),
                ),
                (
                    "guideline_sections",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), blank=True, default=list
                    ),
                ),
                ("same_guideline", models.BooleanField(blank=True, null=True)),
                (
                    "reason_tags",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=40), blank=True, default=list
                    ),
                ),
                ("body_region", models.CharField(blank=True, max_length=40)),
                (
                    "claims_sources",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=8), blank=True, default=list
                    ),
                ),
                (
                    "determination",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="determinations.determination",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(
            FUNCTION.format(columns=COLUMNS, values=NEW_VALUES, sparse=SPARSE),
            OLD_FUNCTION.format(columns=COLUMNS, values=NEW_VALUES),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="sparsesampleitem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="sparse_sample_search_gin"
            ),
        ),
    ]
