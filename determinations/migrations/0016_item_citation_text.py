# Each party's citations as the CSV export writes them, stored on the item
# (determinations.exports.CITATION_TEXT_COLUMNS): the export reads two columns instead of
# aggregating every exported item's citations. The loader and the refresh write them from
# now on; this fills them in for the items already stored, with the export's SQL of today
# frozen here (a migration never runs today's code). Items without citations keep the
# default "".

from django.db import migrations, models

# One citation as readable text (exports._CITATION_TEXT when this was written).
CITATION_TEXT = """
    CASE WHEN c.source = 'none' THEN 'No guideline cited'
    ELSE concat_ws(' ', NULLIF(c.source, 'other'), NULLIF(c.document, ''), c.edition_year,
                   CASE WHEN c.section <> '' THEN '- ' || c.section END,
                   CASE WHEN cardinality(c.pages) > 0
                        THEN 'p. ' || array_to_string(c.pages, ', ') END)
    END"""


def _party(party: str) -> str:
    return f"""coalesce((
        SELECT string_agg({CITATION_TEXT}, '; ' ORDER BY c."order")
        FROM determinations_guidelinecitation AS c
        WHERE c.item_id = i.id AND c.party = '{party}'), '')"""


BACKFILL = f"""
UPDATE determinations_disputeditem AS i
SET reviewer_citation_text = {_party("reviewer")},
    claims_citation_text = {_party("claims_administrator")}
WHERE EXISTS (SELECT FROM determinations_guidelinecitation AS c WHERE c.item_id = i.id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0015_citation_item_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="disputeditem",
            name="reviewer_citation_text",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="disputeditem",
            name="claims_citation_text",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
