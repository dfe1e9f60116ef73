"""Writing planned rows at the speed of the database (SYNC-GEN-13, issue 13).

The steps decide what to write, as plain tuples of column values (one code path for every engine);
a `TableWriter` only writes them, and there is one per engine:

- PostgreSQL: inserts with psycopg's `COPY … FROM STDIN`, updates as one
  `UPDATE … FROM unnest(…)` per batch, deletes as `DELETE … WHERE id = ANY(…)`.
- SQLite: `executemany` of the same tuples.

No model instance is built for a row that is only written. Everything runs on the sync's connection,
inside its one transaction.

A large insert on PostgreSQL (at least `LARGE_LOAD` rows, and at least a tenth of the rows the table
already holds) does not queue one deferred foreign-key check per row and reference (2.9 million at
10,000 videos, 15 s of COMMIT): pending checks are run first (`SET CONSTRAINTS ALL IMMEDIATE`), the
table's foreign keys are dropped, the rows copied, and each foreign key is added back with its
original definition, which PostgreSQL validates in one pass over the table. A missing reference fails
that statement, and the sync reports the database's refusal and writes nothing, as before. Cost: from
the drop until the sync commits, the table and the tables it references (for answers: projects,
videos, questions, users) are locked ACCESS EXCLUSIVE, so web requests reading them wait for the rest
of the sync (seconds at this size). Smaller loads keep the row checks and take no such lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection, models

LARGE_LOAD = 20_000  # rows in one insert before PostgreSQL swaps row checks for whole-table validation
BATCH = 10_000  # rows per UPDATE / executemany / DELETE statement


def batches(rows: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    """Fields by attribute name (`project_id`) or field name (`project`)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname.get(name) or model._meta.get_field(name) for name in names]


class TableWriter:
    """Insert, update and delete plain rows of one model's table."""

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> None:
        raise NotImplementedError

    def update(self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Each row is (id, *values of `columns`)."""
        raise NotImplementedError

    def delete(self, model: type[models.Model], ids: Sequence[int]) -> None:
        raise NotImplementedError

    def new_ids(self, model: type[models.Model], n: int) -> list[int]:
        """`n` primary keys for rows inserted with explicit ids (so later rows can reference them)."""
        raise NotImplementedError

    @contextmanager
    def large_load(self, model: type[models.Model], n: int):
        """Around the inserts of `n` rows into the model's table (PostgreSQL: see the module doc)."""
        yield


class PostgresWriter(TableWriter):
    def insert(self, model, columns, rows) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in _columns(model, columns))
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)

    @contextmanager
    def large_load(self, model, n):
        table = model._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            keys = self._foreign_keys_to_relax(cursor, table, n)
            if keys:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no check may stay pending on these tables
                for name, _ in keys:
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {name}")
        yield
        if keys:
            with connection.cursor() as cursor:
                for name, definition in keys:
                    # Validates every row in one pass; a missing reference raises IntegrityError.
                    cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {name} {definition}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    @staticmethod
    def _foreign_keys_to_relax(cursor, table: str, n: int) -> list[tuple[str, str]]:
        if n < LARGE_LOAD:
            return []
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        if n * 10 < cursor.fetchone()[0]:
            return []  # validating the whole table would cost more than the row checks
        cursor.execute(
            "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        return cursor.fetchall()

    def update(self, model, columns, rows) -> None:
        if not rows:
            return
        fields = _columns(model, ["id", *columns])
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        arrays = ", ".join(f"%s::{f.cast_db_type(connection).split('(')[0]}[]" for f in fields)
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        sets = ", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(fields) if i)
        sql = f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) WHERE {table}.{quote('id')} = v.c0"
        with connection.cursor() as cursor:
            for batch in batches(rows):
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])

    def delete(self, model, ids) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            for batch in batches(list(ids)):
                cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [list(batch)])

    def new_ids(self, model, n) -> list[int]:
        if n == 0:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, n],
            )
            return [row[0] for row in cursor.fetchall()]


class SqliteWriter(TableWriter):
    @staticmethod
    def _adapters(fields: list[models.Field]) -> list:
        """Datetime columns go through Django's adapter (the same text Django stores); one call per value."""
        adapters = []
        for field in fields:
            if isinstance(field, models.DateTimeField):
                cache: dict = {}

                def adapt(value, cache=cache):
                    if value is None:
                        return None
                    if value not in cache:
                        cache[value] = connection.ops.adapt_datetimefield_value(value)
                    return cache[value]

                adapters.append(adapt)
            else:
                adapters.append(None)
        return adapters

    def _adapted(self, fields, rows) -> Iterable[tuple]:
        adapters = self._adapters(fields)
        if not any(adapters):
            return rows
        return (tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) for row in rows)

    def insert(self, model, columns, rows) -> None:
        if not rows:
            return
        fields = _columns(model, columns)
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        with connection.cursor() as cursor:
            for batch in batches(rows):
                cursor.executemany(sql, list(self._adapted(fields, batch)))

    def update(self, model, columns, rows) -> None:
        if not rows:
            return
        fields = _columns(model, columns)
        quote = connection.ops.quote_name
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s"
        with connection.cursor() as cursor:
            for batch in batches(rows):
                values = self._adapted(fields, [row[1:] for row in batch])
                cursor.executemany(sql, [(*v, row[0]) for v, row in zip(values, batch, strict=True)])

    def delete(self, model, ids) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            for batch in batches(list(ids), 500):
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(batch))})", list(batch))

    def new_ids(self, model, n) -> list[int]:
        """The sync holds SQLite's write lock (an IMMEDIATE transaction), so nobody else takes these ids."""
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)  # AUTOINCREMENT never reuses an id
        return list(range(top + 1, top + 1 + n))


def table_writer() -> TableWriter:
    return PostgresWriter() if connection.vendor == "postgresql" else SqliteWriter()
