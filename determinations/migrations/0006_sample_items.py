# The sample rows of the item table in a table of their own (models.SampleItem), kept equal
# to them by triggers; the item table's partial sample indexes are no longer needed.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The columns copied: every SampleItem column (tests/determinations/test_sample_items.py
# checks that each one follows the item).
COLUMNS = (
    "id, determination_id, outcome, partial, category, ingredients, drug_class, search_vector,"
    " decision_date, decision_year, date_of_injury, review_status, specialties,"
    " licensure_states, guidelines, body_region, reason_tags, guideline_sections,"
    " same_guideline"
)
NEW_VALUES = ", ".join(f"NEW.{c.strip()}" for c in COLUMNS.split(","))

TRIGGERS = f"""
CREATE FUNCTION determinations_sample_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM determinations_sampleitem WHERE id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.sample = 0 THEN
        INSERT INTO determinations_sampleitem ({COLUMNS}) VALUES ({NEW_VALUES});
    END IF;
    RETURN NULL;
END
$$;
-- WHEN clauses: the other 31 rows in 32 never call the function.
CREATE TRIGGER determinations_sample_insert AFTER INSERT ON determinations_disputeditem
    FOR EACH ROW WHEN (NEW.sample = 0) EXECUTE FUNCTION determinations_sample_copy();
CREATE TRIGGER determinations_sample_update AFTER UPDATE ON determinations_disputeditem
    FOR EACH ROW WHEN (OLD.sample = 0 OR NEW.sample = 0)
    EXECUTE FUNCTION determinations_sample_copy();
CREATE TRIGGER determinations_sample_delete AFTER DELETE ON determinations_disputeditem
    FOR EACH ROW WHEN (OLD.sample = 0) EXECUTE FUNCTION determinations_sample_copy();
"""
DROP_TRIGGERS = """
DROP TRIGGER determinations_sample_insert ON determinations_disputeditem;
DROP TRIGGER determinations_sample_update ON determinations_disputeditem;
DROP TRIGGER determinations_sample_delete ON determinations_disputeditem;
DROP FUNCTION determinations_sample_copy();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0005_item_sample"),
    ]

    operations = [
        migrations.CreateModel(
            name="SampleItem",
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
                ("category", models.CharField(blank=True, max_length=80)),
                (
                    "ingredients",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=80), blank=True, default=list
                    ),
                ),
                ("drug_class", models.CharField(blank=True, max_length=80)),
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
                        default="ok",
                        max_length=12,
                    ),
                ),
                (
                    "specialties",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=120), blank=True, default=list
                    ),
                ),
                (
                    "licensure_states",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=2), blank=True, default=list
                    ),
                ),
                (
                    "guidelines",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), blank=True, default=list
                    ),
                ),
                ("body_region", models.CharField(blank=True, max_length=40)),
                (
                    "reason_tags",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=40), blank=True, default=list
                    ),
                ),
                (
                    "guideline_sections",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), blank=True, default=list
                    ),
                ),
                ("same_guideline", models.BooleanField(blank=True, null=True)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="disputeditem",
            name="item_sample_search_gin",
        ),
        migrations.RemoveIndex(
            model_name="disputeditem",
            name="item_sample",
        ),
        migrations.AddField(
            model_name="sampleitem",
            name="determination",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="determinations.determination",
            ),
        ),
        # The sample rows already there (before the index: one build, not one per row).
        migrations.RunSQL(
            f"INSERT INTO determinations_sampleitem ({COLUMNS})"
            f" SELECT {COLUMNS} FROM determinations_disputeditem WHERE sample = 0",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddIndex(
            model_name="sampleitem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="sample_search_gin"
            ),
        ),
    ]
