"""Which tables hold Label Pizza's data and how many rows they have (DB-4, DB-5, DB-7, DB-8)."""

from __future__ import annotations

from django.apps import apps
from django.core import serializers
from django.db import connection
from django.db.models import Model

from syncing.database import DatabaseToolError

# The data tables: init refuses unless all of them are empty (DB-4). The user table is in catalog.
PROJECT_APPS = ("catalog", "annotation", "syncing", "team")
# Rows outside the project apps that migrate does not recreate, so a backup must keep them.
# Content types and permissions are left out on purpose: migrate recreates them, and rows that
# refer to them do so by natural key.
EXTRA_MODELS = ("auth.Group", "admin.LogEntry")


# What sync remembers between runs (syncing/models.py): derived from the data, so never backed up, restored
# or counted; a restored or new database starts without it, and its first sync checks everything.
SYNC_MEMORY = ("syncing.DatabaseChange", "syncing.CheckedInput")


def _stored(model: type[Model]) -> bool:
    return model._meta.managed and not model._meta.proxy and model._meta.label not in SYNC_MEMORY


def data_models() -> list[type[Model]]:
    """Every model of the project apps, many-to-many tables included."""
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if _stored(model)
    ]


def backup_models() -> list[type[Model]]:
    """The models a backup serializes, each after the models its natural keys refer to (dumpdata's order)."""
    app_list: dict = {apps.get_app_config(label): None for label in PROJECT_APPS}
    for label in EXTRA_MODELS:
        model = apps.get_model(label)
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return [model for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True) if _stored(model)]


def counted_models() -> list[type[Model]]:
    """The backup's models plus their many-to-many tables, whose rows are serialized inside their owner."""
    models = []
    for model in backup_models():
        models.append(model)
        models.extend(
            field.remote_field.through
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    return models


def existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def row_counts(models: list[type[Model]]) -> dict[str, int]:
    """Rows per table, for the tables of `models` that exist (a table not created yet is left out)."""
    existing = existing_tables()
    return {model._meta.db_table: model._base_manager.count() for model in models if model._meta.db_table in existing}


def missing_tables(models: list[type[Model]]) -> list[str]:
    existing = existing_tables()
    return sorted(model._meta.db_table for model in models if model._meta.db_table not in existing)


def rows_in(models: list[type[Model]]) -> dict[str, int]:
    """The tables of `models` that hold rows, with their counts; empty when all are empty or absent."""
    return {table: count for table, count in row_counts(models).items() if count}


def data_rows() -> dict[str, int]:
    """DB-4's emptiness test: the data tables that hold rows."""
    return rows_in(data_models())


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def describe_rows(counts: dict[str, int]) -> str:
    """'12 rows in 3 tables (catalog_user: 5, …)', for messages."""
    detail = ", ".join(f"{table}: {count}" for table, count in sorted(counts.items())[:4])
    more = ", …" if len(counts) > 4 else ""
    return f"{plural(sum(counts.values()), 'row')} in {plural(len(counts), 'table')} ({detail}{more})"


def check_tables() -> None:
    """DB-4 check: every data table exists."""
    missing = missing_tables(data_models())
    if missing:
        raise DatabaseToolError(f"check failed: missing tables {', '.join(missing)}")
