"""Rename a natural key (OVR-REN-1): the one way to change a video uid, a project name and the like.

Every relation uses surrogate ids, so answers, ground truth and history follow the renamed row
(DM-CONV-4). The new name must satisfy the key rules (DM-CONV-2/3) and be unused; otherwise nothing
changes. A backup is written first unless turned off. Workspace JSON still names the old key: re-export
or edit it before the next sync, or sync would create the old name again as a new row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from catalog.models import Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video
from catalog.validation import natural_key_problem
from syncing.database import DatabaseToolError
from syncing.database.backup import BackupResult, resolve_backup_path, timestamped_name, write_backup


class RenameError(ValueError):
    """A rename that cannot happen; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Renameable:
    model: type[Model]
    field: str
    max_length: int | None
    label: str  # how messages name the kind: 'video "a.mp4"'


KINDS: dict[str, Renameable] = {
    "user": Renameable(User, "user_id", 128, "user"),
    "video": Renameable(Video, "video_uid", 255, "video"),
    "question_group": Renameable(QuestionGroup, "title", 255, "question group"),
    "question": Renameable(Question, "text", None, "question"),
    "schema": Renameable(Schema, "name", 255, "schema"),
    "project": Renameable(Project, "name", 255, "project"),
    "project_group": Renameable(ProjectGroup, "name", 255, "project group"),
}
KIND_OF_MODEL = {kind.model: name for name, kind in KINDS.items()}

REMINDER = (
    "Workspace JSON files still use the old name: re-export the workspace (python manage.py export_workspace) "
    "or edit them before the next sync, or sync will create the old name again."
)


@dataclass(frozen=True)
class RenameResult:
    kind: str
    old: str
    new: str
    backup: BackupResult | None

    @property
    def headline(self) -> str:
        text = f'Renamed {KINDS[self.kind].label} "{self.old}" to "{self.new}".'
        if self.backup is not None:
            text += f" Backup: {self.backup.path} ({self.backup.total_rows} rows)."
        return text

    @property
    def reminders(self) -> list[str]:
        notes = [REMINDER]
        if self.kind == "question":
            notes.append("Verification functions that read answers by question text need the new text too.")
        return notes

    def summary(self) -> str:
        return "\n".join([self.headline, *self.reminders])


def check_rename(kind: str, old: str, new: str) -> Model:
    """The row to rename; raises RenameError when the rename is not allowed. Writes nothing."""
    if kind not in KINDS:
        raise RenameError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    spec = KINDS[kind]
    manager = spec.model._default_manager
    row = manager.filter(**{spec.field: old}).first()
    if row is None:
        raise RenameError(f'no {spec.label} "{old}"')
    if not isinstance(new, str):
        raise RenameError(f"the new {spec.field} must be a string")
    problem = natural_key_problem(new, spec.max_length)
    if problem:
        raise RenameError(f"the new {spec.field} {problem}")
    if new == old:
        raise RenameError(f'{spec.label} "{old}" already has that name')
    if manager.filter(**{spec.field: new}).exists():
        raise RenameError(f'another {spec.label} is already named "{new}"')
    return row


def rename(
    kind: str,
    old: str,
    new: str,
    *,
    backup_first: bool = True,
    backup_dir: str | Path = "./backups",
    backup_file: str | None = None,
    compress: bool = True,
) -> RenameResult:
    """OVR-REN-1: give one row a new natural key, after a backup unless `backup_first` is false."""
    check_rename(kind, old, new)
    backup = None
    if backup_first:
        name = timestamped_name(f"backup_before_rename_{kind}", compress=compress)
        path = resolve_backup_path(backup_dir=backup_dir, backup_file=backup_file, default_name=name)
        try:
            backup = write_backup(path, compress=compress)
        except DatabaseToolError as exc:
            raise RenameError(f"{exc}; nothing was renamed") from exc
    spec = KINDS[kind]
    try:
        with transaction.atomic():
            row = check_rename(kind, old, new)  # again, under the transaction: another rename may have run
            setattr(row, spec.field, new)
            fields = [spec.field]
            if hasattr(row, "updated_at"):
                row.updated_at = timezone.now()
                fields.append("updated_at")
            row.save(update_fields=fields)
    except IntegrityError as exc:  # a concurrent rename or create took the name first
        raise RenameError(f'another {spec.label} is already named "{new}"') from exc
    return RenameResult(kind=kind, old=old, new=new, backup=backup)


def _named(kind: str):
    def set_name(old, new, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
        return rename(
            kind, old, new, backup_first=backup_first, backup_dir=backup_dir, backup_file=backup_file, compress=compress
        )

    set_name.__name__ = f"set_{kind}_name"
    set_name.__qualname__ = set_name.__name__
    set_name.__doc__ = f"Rename the {KINDS[kind].label} called `old` to `new` (see syncing.rename.rename)."
    return set_name


set_user_name = _named("user")
set_video_name = _named("video")
set_question_group_name = _named("question_group")
set_question_name = _named("question")
set_schema_name = _named("schema")
set_project_name = _named("project")
set_project_group_name = _named("project_group")
