# Where each disputed item's coding comes from (issue 24): "parsed" (the letter as the parser
# read it, every item stored so far) or "dwc_index" (DWC's own coding, written by
# dwcsync.fallback when the letter cannot be read). A constant default: PostgreSQL adds the
# column without rewriting the table. Frozen SQL: a migration never runs today's code.

from django.db import migrations, models

ADD = """ALTER TABLE "determinations_disputeditem"
    ADD COLUMN "source" varchar(10) DEFAULT 'parsed' NOT NULL"""
DROP = 'ALTER TABLE "determinations_disputeditem" DROP COLUMN "source"'


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0017_item_request_vector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP)],
            state_operations=[
                migrations.AddField(
                    model_name="disputeditem",
                    name="source",
                    field=models.CharField(
                        choices=[("parsed", "The letter"), ("dwc_index", "DWC's index")],
                        db_default="parsed",
                        default="parsed",
                        max_length=10,
                    ),
                ),
            ],
        ),
    ]
