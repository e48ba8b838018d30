"""The cache table (login throttling counters) is created by ``migrate``, so every setup
that migrates -- ./dev run, docker-compose's web start, the test database -- has it.
``createcachetable`` does nothing when the table exists or the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
