"""Whole-database tools behind `python manage.py manage_db` (spec §8, DB-1..DB-11).

- `tables`: which tables hold Label Pizza's data and how many rows they have;
- `schema`: reaching the database, emptying it, migrations;
- `backup`: streamed jsonl backups with a `.meta.json` sidecar, and listing them;
- `restore`: checking a backup file before anything changes, then loading it;
- `admin_seed`: the admin account that init, reset and restore create.
"""


class DatabaseToolError(Exception):
    """A failure reported to the operator in one line (DB-10). The message says what, if anything, changed."""


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message, for one-line errors."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return exc.__class__.__name__
