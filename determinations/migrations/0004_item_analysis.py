# Analysis fields of disputed items (issue 5): visits, body region, daily MME, reason tags,
# canonical guideline sections of both parties, and whether they cited the same guideline.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0003_item_sort_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeditem",
            name="visits",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="visits requested"
            ),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="body_region",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="mme",
            field=models.FloatField(
                blank=True, null=True, verbose_name="daily morphine milligram equivalents"
            ),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="reason_tags",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=40), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="guideline_sections",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="claims_guideline_sections",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="same_guideline",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="disputeditem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["reason_tags"], name="item_reason_tags_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="disputeditem",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["guideline_sections"], name="item_sections_gin"
            ),
        ),
    ]
