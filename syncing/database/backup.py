"""Backups: dumpdata's jsonl format, gzipped by default, streamed, with a sidecar (DB-5, DB-6, DB-9).

The file holds what `dumpdata --format jsonl --natural-foreign --natural-primary` would write for the
project apps, auth groups and the admin log, and `loaddata` reads it back. Two differences in how it is
produced, not in its format: timestamps keep their microseconds (Django's JSON encoder cuts them to
milliseconds) and related rows are fetched with select_related rather than one query per foreign key.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import django
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from syncing.database import DatabaseToolError, first_line
from syncing.database.schema import applied_migrations
from syncing.database.tables import backup_models, counted_models, row_counts

GZIP_MAGIC = b"\x1f\x8b"
SIDECAR_SUFFIX = ".meta.json"


class PreciseJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes and times keep microseconds, so a restore gives back the same values."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    total_rows: int
    overwrote: bool

    @property
    def size(self) -> str:
        return human_size(self.size_bytes)


@dataclass(frozen=True)
class BackupListing:
    path: Path
    size_bytes: int
    created_at: str | None
    total_rows: int | None


def human_size(size_bytes: int) -> str:
    """'812 bytes', '3.2 KB', '41.0 MB': a size that means something for small files too (issue 11.4)."""
    if size_bytes < 1024:
        return "1 byte" if size_bytes == 1 else f"{size_bytes} bytes"
    size = float(size_bytes)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"


def _owner_only(path: Path):
    """A new file readable and writable by its owner only, from its creation (issue 16.2: hashes inside).

    Any stale file of that name (a killed earlier run with the same pid) is removed first, so the
    mode is never inherited from an older, wider file.
    """
    with suppress(FileNotFoundError):
        path.unlink()
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def timestamped_name(prefix: str, *, compress: bool) -> str:
    """`backup_20250131_142501.jsonl.gz` (or `.jsonl` without compression), in UTC."""
    return f"{prefix}_{timezone.now():%Y%m%d_%H%M%S}.jsonl" + (".gz" if compress else "")


def resolve_backup_path(*, backup_dir: str | Path, backup_file: str | None, default_name: str) -> Path:
    """DB-1: a bare file name goes into `backup_dir`; a name with a directory part is used as given."""
    if not backup_file:
        return Path(backup_dir) / default_name
    has_dir = os.sep in backup_file or (os.altsep is not None and os.altsep in backup_file)
    return Path(backup_file) if has_dir else Path(backup_dir) / backup_file


def is_gzip(path: Path) -> bool:
    """Compression is told by the content, never by the name (seed names such as `my_sql.sql.gz`)."""
    with open(path, "rb") as stream:
        return stream.read(2) == GZIP_MAGIC


def write_backup(path: Path, *, compress: bool) -> BackupResult:
    """Write the backup and its sidecar, replacing both if they exist. Nothing is left half-written.

    Both are created with mode 0600 and renamed into place: the backup holds password hashes, and
    there is no moment at which another local user could read it.
    """
    overwrote = path.exists()
    meta_path = sidecar_path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial_meta = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _consistent_snapshot():
            rows = row_counts(counted_models())
            with _owner_only(partial) as raw:
                objects = _dump(raw, compress=compress, name=path.name)
            migrations = applied_migrations()
        meta = {
            "created_at": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
            "database": {
                "vendor": connection.vendor,
                "host": connection.settings_dict.get("HOST") or "",
                "name": str(connection.settings_dict.get("NAME") or ""),
            },
            "format": "dumpdata jsonl, natural foreign and primary keys",
            "compressed": compress,
            "size_bytes": partial.stat().st_size,
            "objects": objects,
            "rows": rows,
            "total_rows": sum(rows.values()),
            "migrations": migrations,
            "django_version": django.get_version(),
        }
        with _owner_only(partial_meta) as stream:
            stream.write((json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
        os.replace(partial, path)
        os.replace(partial_meta, meta_path)
    except OSError as exc:
        raise DatabaseToolError(f"cannot write backup {path}: {exc.strerror or first_line(exc)}") from exc
    except Exception as exc:
        raise DatabaseToolError(f"backup failed: {first_line(exc)}") from exc
    finally:
        for leftover in (partial, partial_meta):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
    return BackupResult(path=path, size_bytes=meta["size_bytes"], total_rows=meta["total_rows"], overwrote=overwrote)


@contextmanager
def _consistent_snapshot():
    """One transaction, so the file never holds a row whose related rows changed mid-backup."""
    starts_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if starts_transaction and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _dump(raw, *, compress: bool, name: str) -> int:
    """Stream every backed-up row into `raw`; returns the number of serialized objects."""
    binary = gzip.GzipFile(filename=name, mode="wb", fileobj=raw) if compress else raw
    count = 0

    def counted(objects: Iterator) -> Iterator:
        nonlocal count
        for obj in objects:
            count += 1
            yield obj

    with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
        serializers.serialize(
            "jsonl",
            counted(_objects()),
            stream=text,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
            cls=PreciseJSONEncoder,
        )
    return count


def _objects() -> Iterator:
    for model in backup_models():
        related = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and hasattr(field.related_model, "natural_key")
        ]
        queryset = model._base_manager.select_related(*related).order_by(model._meta.pk.name)
        yield from queryset.iterator(chunk_size=2000)


def read_sidecar(path: Path) -> dict | None:
    """The backup's sidecar, or None when there is none."""
    meta_path = sidecar_path(path)
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatabaseToolError(f"sidecar {meta_path} is unreadable or not JSON: {first_line(exc)}") from None
    if not isinstance(meta, dict):
        raise DatabaseToolError(f"sidecar {meta_path} is not a JSON object")
    return meta


def list_backups(backup_dir: Path) -> list[BackupListing]:
    """DB-9: every file in `backup_dir` except sidecars, oldest first, described by its sidecar."""
    if not backup_dir.is_dir():
        return []
    listings = []
    for path in backup_dir.iterdir():
        if not path.is_file() or path.name.endswith(SIDECAR_SUFFIX) or path.name.startswith("."):
            continue
        try:
            meta = read_sidecar(path) or {}
        except DatabaseToolError:
            meta = {}
        listings.append(
            BackupListing(
                path=path,
                size_bytes=path.stat().st_size,
                created_at=meta.get("created_at"),
                total_rows=meta.get("total_rows"),
            )
        )
    return sorted(listings, key=lambda b: (b.created_at or "", b.path.name))
