"""Database triggers that note every transaction writing to a table sync reads (issue 13).

Sync skips an input it checked before only while nothing in the database changed since: a web edit, an
API write, the admin, a team edit, a rename, a hard delete, a restore or a hand-written SQL statement.
Only the database sees all of those, so a trigger on every catalog, annotation and team table notes the
writing transaction in `syncing_databasechange`:

- PostgreSQL: one statement-level trigger per table (INSERT, UPDATE, DELETE, TRUNCATE; COPY fires it
  too) inserts the transaction's id, once per transaction (ON CONFLICT DO NOTHING). Concurrent
  transactions insert different ids, so they never wait on each other; a bulk load pays once per
  statement, not per row.
- SQLite: row-level triggers, one per table and event, insert a single row while the table is empty
  (SQLite has one writer at a time, and sync holds the write lock from its first statement).

A migration installs the triggers; sync installs any that are missing itself, inside its transaction (a
table a later migration added, or rebuilt: SQLite's table rebuilds drop them). That run counts as a
change, so nothing is skipped until the triggers have watched the database since a sync.

At the end of a successful sync, `forget` deletes the rows it saw at its start and its own. A
transaction that committed while the sync ran keeps its row, so the next sync checks everything again.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from syncing.models import DatabaseChange

WATCHED_APPS = ("catalog", "annotation", "team")
LOG_TABLE = DatabaseChange._meta.db_table
PG_TRIGGER = "syncing_change"
PG_FUNCTION = "syncing_note_change"
SQLITE_EVENTS = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}


def watched_tables(registry=apps) -> list[str]:
    """Every table of the watched apps, many-to-many tables included (`registry`: a migration's apps)."""
    return sorted(
        {
            model._meta.db_table
            for label in WATCHED_APPS
            for model in registry.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _sqlite_trigger(table: str, suffix: str) -> str:
    return f"syncing_change_{table}_{suffix}"


def ensure_triggers(registry=apps, connection=connection) -> bool:
    """Install any missing trigger; True when every table already had its own (nothing was installed)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace",
                [PG_TRIGGER],
            )
            have = {name for (name,) in cursor.fetchall()}
            missing = [t for t in watched_tables(registry) if t not in have]
            if not missing:
                return True
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN INSERT INTO {quote(LOG_TABLE)} (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING; "
                "RETURN NULL; END $$"
            )
            for table in missing:
                cursor.execute(
                    f"CREATE TRIGGER {PG_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
                )
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'syncing_change_%'")
        have = {name for (name,) in cursor.fetchall()}
        missing = [
            (table, suffix, event)
            for table in watched_tables(registry)
            for suffix, event in SQLITE_EVENTS.items()
            if _sqlite_trigger(table, suffix) not in have
        ]
        for table, suffix, event in missing:
            cursor.execute(
                f"CREATE TRIGGER {quote(_sqlite_trigger(table, suffix))} AFTER {event} ON {quote(table)} "
                f"WHEN NOT EXISTS (SELECT 1 FROM {quote(LOG_TABLE)}) "
                f"BEGIN INSERT INTO {quote(LOG_TABLE)} (txid) VALUES (0); END"
            )
        return not missing


def noted() -> list[int]:
    """The transactions noted so far (committed ones, and this one's own)."""
    return list(DatabaseChange.objects.values_list("txid", flat=True))


def any_noted() -> bool:
    return DatabaseChange.objects.exists()


def forget(seen: list[int]) -> None:
    """After a successful sync: delete the changes it saw at its start and its own."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(LOG_TABLE)} WHERE txid = ANY(%s) OR txid = txid_current()",
                [list(seen)],
            )
    else:
        DatabaseChange.objects.all().delete()  # SQLite: no other writer since the sync began


def drop_triggers(connection=connection) -> None:
    """Remove every trigger and the function (the migration's reverse)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace",
                [PG_TRIGGER],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {PG_TRIGGER} ON {quote(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
            return
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'syncing_change_%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER {quote(name)}")
