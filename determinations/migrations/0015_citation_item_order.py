# Citations are looked up by item only (the facets read columns copied onto the item), and
# the CSV export aggregates each item's citations in "order": an index on (item, order)
# serves both, and lets PostgreSQL 16+ read the export's aggregate input presorted.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0014_claimed_case_number_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="guidelinecitation",
            name="citation_item_party",
        ),
        migrations.AddIndex(
            model_name="guidelinecitation",
            index=models.Index(fields=["item", "order"], name="citation_item_order"),
        ),
    ]
