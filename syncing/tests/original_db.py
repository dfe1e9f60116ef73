"""A throw-away database in the original Label Pizza's schema (data/labelpizza_original.sql), on the PostgreSQL
server the tests use, for import_labelpizza's tests and its benchmark. Names start with lp12_."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DDL = Path(__file__).parent / "data" / "labelpizza_original.sql"


def server_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


@contextmanager
def original_database(base_url: str, name: str):
    """Create database `name` with the original's tables on the server of `base_url`; yield its URL; drop it."""
    import psycopg

    admin = psycopg.connect(server_url(base_url, "postgres"), autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        url = server_url(base_url, name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(DDL.read_text(encoding="utf-8"))
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Source:
    """Inserts rows into the original's tables; JSON columns take Python values."""

    JSON_COLUMNS = {"video_metadata", "options", "display_values", "option_weights", "custom_option_display_map"}

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def insert(self, table: str, **columns) -> int | None:
        names = list(columns)
        values = [json.dumps(v) if k in self.JSON_COLUMNS and v is not None else v for k, v in columns.items()]
        sql = f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join(["%s"] * len(names))})'
        has_id = table in {
            "users",
            "videos",
            "question_groups",
            "questions",
            "schemas",
            "projects",
            "project_groups",
            "annotator_answers",
            "answer_reviews",
        }
        row = self.conn.execute(sql + (" RETURNING id" if has_id else ""), values)
        return row.fetchone()[0] if has_id else None

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql, params)

    def copy(self, table: str, columns: list[str], rows) -> None:
        """Bulk load (for the benchmark)."""
        with self.conn.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def close(self) -> None:
        self.conn.close()
