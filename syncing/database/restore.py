"""Restore: check a backup completely before anything changes, then load it with loaddata (DB-8, DB-10)."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from catalog.models import User
from syncing.database import DatabaseToolError, first_line
from syncing.database.backup import is_gzip, read_sidecar, sidecar_path
from syncing.database.schema import migration_differences
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
