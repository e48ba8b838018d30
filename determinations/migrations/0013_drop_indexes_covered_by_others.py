# The foreign keys' own indexes go: each is the leading column of another index
# (item_order_unique (determination, order); citation_item_party (item, party)), which serves
# the same lookups and cascades. Measured: one index less for each item and citation a
# letter's insert writes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0012_sparse_sample"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disputeditem",
            name="determination",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="determinations.determination",
            ),
        ),
        migrations.AlterField(
            model_name="guidelinecitation",
            name="item",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="determinations.disputeditem",
            ),
        ),
    ]
