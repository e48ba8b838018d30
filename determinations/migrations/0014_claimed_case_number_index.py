# The case-number search reads the numbers conflicting copies claim through this index
# (a partial one: few letters claim a number), not by reading every letter.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0013_drop_indexes_covered_by_others"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="determination",
            index=models.Index(
                condition=models.Q(("claimed_case_number", ""), _negated=True),
                fields=["claimed_case_number"],
                name="det_claimed_case_number",
            ),
        ),
    ]
