# Issue 26: a scan read by OCR records the mean confidence of its words (ingest.ocr); null for
# letters read from a text layer or a text file. A nullable column without a default:
# PostgreSQL adds it without rewriting the table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0019_item_reason_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="determination",
            name="ocr_confidence",
            field=models.FloatField(blank=True, null=True, verbose_name="OCR confidence"),
        ),
    ]
