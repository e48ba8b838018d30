# Each reason tag's evidence (issue 25): tag -> the sentence of the decision rationale it was
# read from, shown on the letter's page ("why: ..."). A constant default: PostgreSQL adds the
# column without rewriting the table, and statements that do not name the column (raw inserts)
# still get an empty map. Stored letters get their evidence when re-parsed (PARSER_VERSION).
# Frozen SQL: a migration never runs today's code.

from django.db import migrations, models

ADD = """ALTER TABLE "determinations_disputeditem"
    ADD COLUMN "reason_evidence" jsonb DEFAULT '{}'::jsonb NOT NULL"""
DROP = 'ALTER TABLE "determinations_disputeditem" DROP COLUMN "reason_evidence"'


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0018_item_source"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP)],
            state_operations=[
                migrations.AddField(
                    model_name="disputeditem",
                    name="reason_evidence",
                    field=models.JSONField(blank=True, default=dict),
                ),
            ],
        ),
    ]
