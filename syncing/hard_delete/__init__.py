"""Hard delete (OVR-DEL-1..4): remove a row together with everything that depends on it, leaves first.

`plan.py` holds the plan (steps of set-wide querysets plus the lines the operator confirms) and `execute`,
one transaction; `closures.py` computes the closure of each kind; this module runs the procedure (print,
confirm, back up, delete) and offers the `delete_<kind>` helpers with the spec's arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError

from syncing.database import DatabaseToolError, first_line
from syncing.database.backup import BackupResult, resolve_backup_path, timestamped_name, write_backup
from syncing.hard_delete.closures import KINDS, plan_delete
from syncing.hard_delete.plan import (
    CANCELLED,
    CONFIRM_WORD,
    CONTINUE_WORD,
    REMINDER,
    DeletePlan,
    HardDeleteError,
    execute,
)

# --------------------------------------------------------------------------- the procedure (OVR-DEL-4)


@dataclass(frozen=True)
class DeleteResult:
    plan: DeletePlan
    deleted: int
    backup: BackupResult | None
    cancelled: bool = False


def _typed(ask: Callable[[str], str], prompt: str, word: str) -> bool:
    try:
        return ask(prompt).strip() == word
    except EOFError:  # no terminal and nothing piped in: declined
        return False


def hard_delete(
    kind: str,
    *keys: str,
    force: bool = False,
    backup_first: bool = True,
    backup_dir: str | Path = "./backups",
    backup_file: str | None = None,
    compress: bool = True,
    write: Callable[[str], object] = print,
    ask: Callable[[str], str] | None = None,
) -> DeleteResult:
    """OVR-DEL-4: plan, print, confirm (unless `force`), back up (unless not `backup_first`), delete.

    `ask` reads the operator's reply to a prompt; it defaults to input(). Typing anything but DELETE
    cancels, and so does anything but CONTINUE after a failed backup: the result then says `cancelled`.
    """
    ask = ask or input
    plan = plan_delete(kind, *keys)
    write(plan.render())
    if not force and not _typed(ask, f"Type {CONFIRM_WORD} to delete these rows: ", CONFIRM_WORD):
        write(CANCELLED)
        return DeleteResult(plan, 0, None, cancelled=True)
    backup = None
    if backup_first:
        name = timestamped_name(f"backup_before_hard_delete_{kind}", compress=compress)
        path = resolve_backup_path(backup_dir=backup_dir, backup_file=backup_file, default_name=name)
        try:
            backup = write_backup(path, compress=compress)
        except DatabaseToolError as exc:
            write(f"Backup failed: {exc}")
            if not _typed(ask, f"Type {CONTINUE_WORD} to delete without a backup: ", CONTINUE_WORD):
                write(CANCELLED)
                return DeleteResult(plan, 0, None, cancelled=True)
        else:
            write(f"Backup written to {backup.path} ({backup.total_rows} rows)")
    try:
        deleted = execute(plan)
    except DatabaseError as exc:
        raise HardDeleteError(f"the delete failed and was rolled back: {first_line(exc)}") from exc
    write(f"Deleted {deleted} rows")
    write(REMINDER)
    return DeleteResult(plan, deleted, backup)


# --------------------------------------------------------------------------- delete_<kind> (OVR-DEL-1)


def _options(force, backup_first, backup_dir, backup_file, compress) -> dict:
    return {
        "force": force,
        "backup_first": backup_first,
        "backup_dir": backup_dir,
        "backup_file": backup_file,
        "compress": compress,
    }


def delete_user(user_id, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
    """Assignments, answers and reviews, reviews made, GT attributed; overrides reverted; history kept."""
    return hard_delete("user", user_id, **_options(force, backup_first, backup_dir, backup_file, compress))


def delete_video(video_uid, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
    """Project memberships and the answers, reviews, GT, history and custom displays on the video."""
    return hard_delete("video", video_uid, **_options(force, backup_first, backup_dir, backup_file, compress))


def delete_question(
    question_text, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """Group links; answers, reviews, GT, history and custom displays of the question everywhere."""
    return hard_delete("question", question_text, **_options(force, backup_first, backup_dir, backup_file, compress))


def delete_question_group(
    group_title, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """Question and schema links; its questions' answers, reviews, GT, history and displays in its projects."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("question_group", group_title, **options)


def delete_schema(schema_name, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True):
    """Group links and every project using the schema, each with the project closure."""
    return hard_delete("schema", schema_name, **_options(force, backup_first, backup_dir, backup_file, compress))


def delete_project(
    project_name, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """Memberships, assignments, answers, reviews, GT, history, custom displays and project-group links."""
    return hard_delete("project", project_name, **_options(force, backup_first, backup_dir, backup_file, compress))


def delete_project_group(
    project_group_name, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """The group's membership links; its projects stay."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("project_group", project_group_name, **options)


def delete_group_question(
    group_title, question_text, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """The link, and the question's data in projects whose schema contains the group."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("group_question", group_title, question_text, **options)


def delete_schema_group(
    schema_name, group_title, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """The link, and the group's questions' data in the schema's projects."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("schema_group", schema_name, group_title, **options)


def delete_project_video(
    project_name, video_uid, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """The membership, and the answers, reviews, GT, history and custom displays of that project and video."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("project_video", project_name, video_uid, **options)


def delete_project_group_project(
    project_group_name,
    project_name,
    force=False,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
):
    """The project's membership in the project group."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("project_group_project", project_group_name, project_name, **options)


def delete_assignment(
    user_id, project_name, role, force=False, backup_first=True, backup_dir="./backups", backup_file=None, compress=True
):
    """OVR-DEL-3: the role row, the rows above it and their effects; refused for a global admin."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("assignment", user_id, project_name, role, **options)


def delete_custom_display(
    project_name,
    video_uid,
    question_text,
    force=False,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
):
    """One custom display row."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("custom_display", project_name, video_uid, question_text, **options)


def delete_annotation(
    project_name,
    video_uid,
    question_text,
    user_id,
    force=False,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
):
    """One answer and its review."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("annotation", project_name, video_uid, question_text, user_id, **options)


def delete_ground_truth(
    project_name,
    video_uid,
    question_text,
    force=False,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
):
    """One GT row, with a `deleted` history entry."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("ground_truth", project_name, video_uid, question_text, **options)


def delete_answer_review(
    project_name,
    video_uid,
    question_text,
    user_id,
    force=False,
    backup_first=True,
    backup_dir="./backups",
    backup_file=None,
    compress=True,
):
    """The review of the answer of `user_id` (the annotator) to the question on the video in the project."""
    options = _options(force, backup_first, backup_dir, backup_file, compress)
    return hard_delete("answer_review", project_name, video_uid, question_text, user_id, **options)


__all__ = [
    "KINDS",
    "DeletePlan",
    "DeleteResult",
    "HardDeleteError",
    "delete_annotation",
    "delete_answer_review",
    "delete_assignment",
    "delete_custom_display",
    "delete_ground_truth",
    "delete_group_question",
    "delete_project",
    "delete_project_group",
    "delete_project_group_project",
    "delete_project_video",
    "delete_question",
    "delete_question_group",
    "delete_schema",
    "delete_schema_group",
    "delete_user",
    "delete_video",
    "execute",
    "hard_delete",
    "plan_delete",
]
