"""Reading an original Label Pizza database: PostgreSQL, read-only, every table in one snapshot."""

from __future__ import annotations

from labelpizza.bootstrap import mask_url

# The original's tables (its label_pizza/models.py), in the order they are read.
TABLES = (
    "users",
    "videos",
    "video_tags",
    "question_groups",
    "questions",
    "question_group_questions",
    "schemas",
    "schema_question_groups",
    "projects",
    "project_videos",
    "project_user_roles",
    "project_groups",
    "project_group_projects",
    "project_video_question_displays",
    "annotator_answers",
    "reviewer_ground_truth",
    "answer_reviews",
)


class SourceError(Exception):
    """The source database cannot be read; nothing was imported."""


def read_source(url: str) -> dict[str, list[dict]]:
    """Every row of every table, as dicts by column name, from one read-only, repeatable-read transaction."""
    import psycopg
    from psycopg.rows import dict_row

    if not url.startswith(("postgres://", "postgresql://")):
        raise SourceError(f"--source-url must be a PostgreSQL URL (postgres://…), got {mask_url(url)}")
    try:
        connection = psycopg.connect(url, row_factory=dict_row, connect_timeout=10)
    except psycopg.Error as exc:
        raise SourceError(f"cannot connect to {mask_url(url)}: {str(exc).strip().splitlines()[0]}") from None
    try:
        connection.read_only = True  # psycopg refuses any write; the source stays untouched
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
            present = {row["table_name"] for row in cursor.fetchall()}
            missing = [t for t in TABLES if t not in present]
            if missing:
                raise SourceError(
                    f"{mask_url(url)} is not an original Label Pizza database: missing table(s) {', '.join(missing)}"
                )
            rows = {}
            for table in TABLES:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - fixed table names
                rows[table] = cursor.fetchall()
            return rows
    except psycopg.Error as exc:
        raise SourceError(f"reading {mask_url(url)} failed: {str(exc).strip().splitlines()[0]}") from None
    finally:
        connection.close()
