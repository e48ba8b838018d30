# The item's copies of its letter's columns (determinations.columns.LETTER_COLUMNS) get
# database defaults, for rows written before the letter's SQL fills them in (the bulk
# benchmark loader stages items without them, then runs REFRESH_SQL); the sample table's
# copies follow the item's fields. And the GIN index of the "claims administrator's
# guideline source" facet, the one array facet column that had none. Everything is frozen
# here: a migration never runs today's code.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

REVIEW_STATUSES = [
    ("ok", "OK"),
    ("needs_review", "Needs review"),
    ("conflict", "Conflicting case number"),
    ("failed", "Failed"),
]


def specialties(**extra):
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.CharField(max_length=120),
        blank=True,
        db_default=[],
        default=list,
        **extra,
    )


def licensure_states(**extra):
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.CharField(max_length=2),
        blank=True,
        db_default=[],
        default=list,
        **extra,
    )


def review_status(**extra):
    return models.CharField(
        choices=REVIEW_STATUSES, db_default="ok", default="ok", max_length=12, **extra
    )


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0010_subcategory_facet"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disputeditem", name="review_status", field=review_status(editable=False)
        ),
        migrations.AlterField(
            model_name="disputeditem", name="specialties", field=specialties(editable=False)
        ),
        migrations.AlterField(
            model_name="disputeditem",
            name="licensure_states",
            field=licensure_states(editable=False),
        ),
        migrations.AlterField(
            model_name="disputeditem",
            name="sample",
            field=models.PositiveSmallIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AlterField(model_name="sampleitem", name="review_status", field=review_status()),
        migrations.AlterField(model_name="sampleitem", name="specialties", field=specialties()),
        migrations.AlterField(
            model_name="sampleitem", name="licensure_states", field=licensure_states()
        ),
        migrations.AddIndex(
            model_name="disputeditem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["claims_sources"], name="item_claims_sources_gin"
            ),
        ),
    ]
