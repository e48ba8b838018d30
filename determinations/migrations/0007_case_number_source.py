# Issue 10: where a letter's case number came from (its text, or its file name).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0006_sample_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="determination",
            name="case_number_source",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
