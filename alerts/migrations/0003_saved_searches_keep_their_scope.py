# Before search scopes (determinations 0017), every search matched the whole letter. A saved
# search with search text keeps meaning what it meant when it was saved: it gets
# scope=letter, placed right after q as the canonical query string writes it
# (determinations.filters). The analyst can narrow it to the request on the list page.
# Plain query-string handling here: a migration never runs today's code.

from urllib.parse import parse_qsl, urlencode

from django.db import migrations


def keep_scope(apps, schema_editor):
    SavedSearch = apps.get_model("alerts", "SavedSearch")
    for search in SavedSearch.objects.filter(state__contains="q="):
        params = parse_qsl(search.state, keep_blank_values=True)
        names = [name for name, _ in params]
        if "q" not in names or "scope" in names:
            continue
        at = names.index("q") + 1
        params.insert(at, ("scope", "letter"))
        search.state = urlencode(params)
        search.save(update_fields=["state"])


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_alert_address"),
        ("determinations", "0017_item_request_vector"),
    ]

    operations = [migrations.RunPython(keep_scope, migrations.RunPython.noop)]
