# The letter sample of estimated facet counts: DisputedItem.sample and its partial indexes.

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0004_item_analysis"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeditem",
            name="sample",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        # Existing items: the bucket of their letter, as determinations.models.sample_of.
        migrations.RunSQL(
            """
            UPDATE determinations_disputeditem AS i
            SET sample = ('x' || substr(d.sha256, 1, 8))::bit(32)::bigint % 32
            FROM determinations_determination AS d
            WHERE d.id = i.determination_id
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="disputeditem",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("sample", 0)),
                fields=["search_vector"],
                name="item_sample_search_gin",
            ),
        ),
        migrations.AddIndex(
            model_name="disputeditem",
            index=models.Index(
                condition=models.Q(("sample", 0)),
                fields=["determination", "order"],
                name="item_sample",
            ),
        ),
    ]
