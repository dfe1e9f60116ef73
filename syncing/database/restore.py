"""Restore: check a backup completely before anything changes, then load it with loaddata (DB-8, DB-10).

A restore changes nothing unless it completes (issue 16.1): on PostgreSQL the drop, the migrations, the
load and the checks run in one transaction (its DDL is transactional), so a failure or a `kill -9` rolls
all of it back; on SQLite the backup is loaded into a new file beside the database, checked there, and
only then copied over the live database in one SQLite write transaction.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from catalog.models import User
from syncing.database import DatabaseToolError, first_line
from syncing.database.backup import is_gzip, read_sidecar, sidecar_path
from syncing.database.schema import drop_all_tables, migrate, migration_differences
from syncing.database.tables import counted_models, row_counts


@dataclass
class BackupContents:
    """What a restore needs to know about a backup before loading it."""

    path: Path
    compressed: bool
    objects: int = 0
    # user_id -> normalized email (None for model users), to plan the admin seeding (DB-8).
    users: dict[str, str | None] = field(default_factory=dict)
    meta: dict | None = None

    def user_id_with_email(self, email: str) -> str | None:
        return next((user_id for user_id, e in self.users.items() if e == email), None)


def inspect_backup(path: Path) -> BackupContents:
    """Read the whole file once: it must exist, decompress, and hold one serialized row per line.

    Then check the sidecar: recorded migrations must match the code's, and the row count must match.
    Raises DatabaseToolError; nothing has been changed at that point.
    """
    if not path.is_file():
        raise DatabaseToolError(f"backup file {path} does not exist")
    try:
        contents = BackupContents(path=path, compressed=is_gzip(path))
        with _open(path, contents.compressed) as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    _read_line(contents, line, number)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatabaseToolError(f"backup file {path} is unreadable or corrupt: {first_line(exc)}") from None
    if contents.objects == 0 and path.stat().st_size == 0 and not sidecar_path(path).exists():
        raise DatabaseToolError(f"backup file {path} is empty and has no sidecar")
    contents.meta = read_sidecar(path)
    if contents.meta is not None:
        _check_sidecar(contents)
    return contents


def _open(path: Path, compressed: bool):
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _read_line(contents: BackupContents, line: bytes, number: int) -> None:
    where = f"backup file {contents.path} is corrupt: line {number}"
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise DatabaseToolError(f"{where} is not JSON ({first_line(exc)})") from None
    if not (isinstance(obj, dict) and isinstance(obj.get("model"), str) and isinstance(obj.get("fields"), dict)):
        raise DatabaseToolError(f"{where} is not a serialized row (no model and fields)")
    try:
        model = apps.get_model(obj["model"])
    except (LookupError, ValueError):
        raise DatabaseToolError(f"{where} names an unknown model {obj['model']!r}") from None
    if model._meta.label_lower == settings.AUTH_USER_MODEL.lower():
        fields = obj["fields"]
        contents.users[str(fields.get("user_id"))] = User.objects.normalize_email(fields.get("email"))
    contents.objects += 1


def _check_sidecar(contents: BackupContents) -> None:
    meta, meta_path = contents.meta, sidecar_path(contents.path)
    recorded = meta.get("migrations")
    if not isinstance(recorded, dict):
        raise DatabaseToolError(f"sidecar {meta_path} records no migrations")
    problems = migration_differences(recorded)
    if problems:
        raise DatabaseToolError(
            f"backup {contents.path} was taken at other migrations than this code's: {'; '.join(problems)}"
        )
    if isinstance(meta.get("objects"), int) and meta["objects"] != contents.objects:
        raise DatabaseToolError(
            f"backup file {contents.path} is corrupt: it holds {contents.objects} rows, "
            f"its sidecar says {meta['objects']}"
        )


def load_backup(contents: BackupContents) -> None:
    """Load every row with loaddata: one transaction, natural keys resolved, sequences reset after.

    loaddata tells the format and compression from the file name, and backup names are free
    (`my_sql.sql.gz`), so it reads the file through a link whose name says what the content is.
    """
    if contents.objects == 0:
        return
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / ("backup.jsonl.gz" if contents.compressed else "backup.jsonl")
        try:
            link.symlink_to(contents.path.resolve())
        except OSError:  # no symlinks (some Windows set-ups): copy instead
            shutil.copyfile(contents.path, link)
        call_command("loaddata", str(link), verbosity=0, stdout=io.StringIO())


def count_differences(contents: BackupContents) -> list[str]:
    """Tables whose restored row count differs from the sidecar's, as 'table: expected N, found M'."""
    if contents.meta is None or not isinstance(contents.meta.get("rows"), dict):
        return []
    found = row_counts(counted_models())
    return [
        f"{table}: expected {expected}, found {found.get(table, 0)}"
        for table, expected in sorted(contents.meta["rows"].items())
        if found.get(table, 0) != expected
    ]


def restore_database(contents: BackupContents, *, then: Callable[[], None]) -> None:
    """Replace the whole database with the backup, then run `then` (seed and checks) on the result.

    Everything, `then` included, lands together or not at all: any exception leaves the previous data.
    """
    try:
        if connection.vendor == "sqlite":
            _restore_sqlite(contents, then=then)
        else:
            with transaction.atomic():
                drop_all_tables()
                migrate()
                _load_and_check(contents)
                then()
    finally:
        # Content type ids from a rolled-back or swapped-in schema must not survive in the cache.
        ContentType.objects.clear_cache()


def _load_and_check(contents: BackupContents) -> None:
    load_backup(contents)
    wrong = count_differences(contents)
    if wrong:
        raise DatabaseToolError(f"row counts differ from the sidecar: {'; '.join(wrong)}")


def _restore_sqlite(contents: BackupContents, *, then: Callable[[], None]) -> None:
    """Build the restored database in a new file, then copy it over the live one in one transaction.

    The copy uses SQLite's online backup API rather than renaming the file: it writes the live file
    under SQLite's own lock and journal, so a kill mid-copy is rolled back on the next open, a
    write-ahead log beside the live file stays consistent, and open connections see the new data.
    """
    if connection.is_in_memory_db():
        raise DatabaseToolError("cannot restore into an in-memory SQLite database")
    live = Path(connection.settings_dict["NAME"])
    fd, name = tempfile.mkstemp(prefix=f".{live.name}.restore-", dir=live.parent)
    os.close(fd)
    scratch = Path(name)
    try:
        with _connected_to(scratch):
            migrate()
            _load_and_check(contents)
            then()
        _copy_sqlite(scratch, live)
    finally:
        for leftover in (scratch, scratch.with_name(scratch.name + "-journal")):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)


@contextmanager
def _connected_to(path: Path):
    """Point the default connection at another SQLite file for the duration (as Django's test runner does)."""
    settings_dict = connection.settings_dict
    live_name = settings_dict["NAME"]
    connection.close()
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = live_name


def _copy_sqlite(source: Path, target: Path) -> None:
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target, timeout=timeout)
        try:
            src.backup(dst)  # all pages in one step: one write transaction on the target
        finally:
            dst.close()
    finally:
        src.close()
