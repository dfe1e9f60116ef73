"""The database as a whole: reaching it, emptying it and migrating it (DB-2, DB-7, DB-8)."""

from __future__ import annotations

import io
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from labelpizza.bootstrap import mask_url, resolve_database_url
from syncing.database import DatabaseToolError, first_line


def masked_url() -> str:
    """The database URL with its password masked: the only form in which messages show it (DB-2)."""
    return mask_url(resolve_database_url())


def check_connection() -> None:
    """DB-2: every mode starts here, so an unreachable database is one clear line, not a traceback."""
    try:
        connection.ensure_connection()
    except Exception as exc:
        raise DatabaseToolError(f"cannot connect to the database {masked_url()}: {first_line(exc)}") from None


def drop_all_tables() -> None:
    """Drop every table of the database (DB-7: the result after migrate is as after a fresh init).

    Tables are dropped one by one rather than the whole schema, so extensions and the schema's
    ownership and grants stay as the database administrator set them up.
    """
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        quote = connection.ops.quote_name
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quote(t) for t in tables)} CASCADE")
        else:
            # SQLite would refuse to drop a table other tables still point at; the pragma only
            # takes effect outside a transaction, which constraint_checks_disabled() ensures.
            with connection.constraint_checks_disabled(), transaction.atomic(), connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
    # Content type ids change when migrate recreates the table.
    ContentType.objects.clear_cache()


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded in django_migrations, per app: what the backup's data was shaped by."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = defaultdict(list)
    for app_label, name in sorted(recorder.applied_migrations()):
        applied[app_label].append(name)
    return dict(applied)


def migration_differences(recorded: dict[str, list[str]]) -> list[str]:
    """How a backup's recorded migrations differ from the code's, per app; empty when they match (DB-8).

    They match when the backup has every latest migration of the code and no migration the code does
    not know. Squashed migrations count as applied when all the migrations they replace are.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    for key, migration in loader.replacements.items():
        known.add(key)
        known.update(migration.replaces)
    recorded_keys = {(app, name) for app, names in recorded.items() for name in names}
    problems = []
    for app_label, name in sorted(loader.graph.leaf_nodes()):
        replaced = loader.replacements.get((app_label, name))
        if (app_label, name) in recorded_keys or (replaced and set(replaced.replaces) <= recorded_keys):
            continue
        problems.append(f"{app_label}: the code is at {name}, the backup is not")
    for app_label, name in sorted(recorded_keys):
        if app_label in loader.migrated_apps and (app_label, name) not in known:
            problems.append(f"{app_label}: the backup has {name}, which the code does not")
    return problems
