"""Update many rows, each with its own values, in a few linear statements (issue 16.8).

Django's bulk_update builds one `CASE WHEN id = … THEN …` per field with a branch per row: Python time
and database time both grow with rows × rows, and a 1,000-record API batch spent most of its 10 s there.
`update_rows` sends the new values as a VALUES list joined on the primary key instead:

    WITH v (id, value, …) AS (VALUES (%s, %s, …), …)
    UPDATE t SET value = v.value, … FROM v WHERE t.id = v.id

PostgreSQL and SQLite (3.33+) both run it. On PostgreSQL each value is cast to its column's type, since
a VALUES column of NULLs would otherwise be text. Rows are sent in chunks that stay under the engine's
parameter limit. Like bulk_update it skips save() and signals.
"""

from __future__ import annotations

import sqlite3

from django.db import connections, router

# SQLite's default limit is 999 host parameters per statement (32766 since 3.32, not everywhere);
# PostgreSQL allows 65535.
MAX_PARAMS = {"sqlite": 999, "postgresql": 65535}


def update_rows(model, objs, fields: list[str]) -> int:
    """Write `fields` of every object in `objs` (saved rows of `model`); returns the statements run."""
    objs = list(objs)
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in MAX_PARAMS or (connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)):
        model.objects.bulk_update(objs, fields)  # no UPDATE … FROM here
        return 1
    meta = model._meta
    pk = meta.pk
    columns = [pk] + [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = [quote(f.column) for f in columns]
    if connection.vendor == "postgresql":
        sets = ", ".join(f"{n} = v.{n}::{f.db_type(connection)}" for n, f in zip(names[1:], columns[1:], strict=True))
        join = f"{table}.{names[0]} = v.{names[0]}::{pk.db_type(connection)}"
    else:
        sets = ", ".join(f"{n} = v.{n}" for n in names[1:])
        join = f"{table}.{names[0]} = v.{names[0]}"
    per_chunk = max(1, MAX_PARAMS.get(connection.vendor, 999) // len(columns))
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    statements = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_chunk):
            chunk = objs[start : start + per_chunk]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in chunk for field in columns
            ]
            values = ", ".join([row] * len(chunk))
            cursor.execute(
                f"WITH v ({', '.join(names)}) AS (VALUES {values}) UPDATE {table} SET {sets} FROM v WHERE {join}",
                params,
            )
            statements += 1
    return statements
