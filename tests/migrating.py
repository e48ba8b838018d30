"""Moving the test database between migrations, for tests of a migration's data."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` ((app, migration) pairs); the apps registry at that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    # Every app's leaf: going back to determinations 0001 also unapplied the apps that
    # depend on it (dwcsync, alerts, ...), and later tests in this process need their tables.
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
