"""The public sync API, with the seed guide's names and keyword arguments (SYNC-API-4).

A thin facade: reading input lives in `inputs`, the run in `pipeline`, the rules in `steps/`.
"""

from __future__ import annotations

from pathlib import Path

from catalog.verification import register_workspace
from syncing.errors import InputError, Problems, SyncError
from syncing.export import ExportError, export_workspace
from syncing.hard_delete import (
    HardDeleteError,
    delete_annotation,
    delete_answer_review,
    delete_assignment,
    delete_custom_display,
    delete_ground_truth,
    delete_group_question,
    delete_project,
    delete_project_group,
    delete_project_group_project,
    delete_project_video,
    delete_question,
    delete_question_group,
    delete_schema,
    delete_schema_group,
    delete_user,
    delete_video,
)
from syncing.input_digests import InputDigests
from syncing.inputs import KINDS, read_folder, read_helper_input
from syncing.pipeline import cyclic_gc_paused, run_sync
from syncing.rename import (
    RenameError,
    set_project_group_name,
    set_project_name,
    set_question_group_name,
    set_question_name,
    set_schema_name,
    set_user_name,
    set_video_name,
)
from syncing.report import SyncReport
from syncing.workspace_compare import (
    WorkspaceCompareError,
    compare_annotations,
    compare_assignments,
    compare_ground_truths,
    compare_project_groups,
    compare_projects,
    compare_question_groups,
    compare_schemas,
    compare_users,
    compare_videos,
    compare_workspace,
    merge_workspace,
)

__all__ = [
    "ExportError",
    "export_workspace",
    "export_projects_ground_truth",
    "InputError",
    "SyncError",
    "SyncReport",
    "register_workspace",
    "WorkspaceCompareError",
    "compare_annotations",
    "compare_assignments",
    "compare_ground_truths",
    "compare_project_groups",
    "compare_projects",
    "compare_question_groups",
    "compare_schemas",
    "compare_users",
    "compare_videos",
    "compare_workspace",
    "merge_workspace",
    "RenameError",
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
    "set_project_group_name",
    "set_project_name",
    "set_question_group_name",
    "set_question_name",
    "set_schema_name",
    "set_user_name",
    "set_video_name",
    "sync_annotations",
    "sync_from_folder",
    "sync_ground_truths",
    "sync_project_groups",
    "sync_projects",
    "sync_question_groups",
    "sync_schemas",
    "sync_users",
    "sync_users_to_projects",
    "sync_videos",
]


@cyclic_gc_paused()  # reading the input too
def _sync_one(kind_name: str, sources: dict, *, dry_run: bool, quiet: bool, verbose: bool) -> SyncReport:
    kind = KINDS[kind_name]
    problems = Problems()
    entries, label = read_helper_input(kind, sources, problems)
    report = run_sync(
        {kind.name: entries}, label=label, dry_run=dry_run, quiet=quiet, verbose=verbose, file_problems=problems
    )
    if not quiet:
        print(report)
    return report


def sync_videos(*, videos_data=None, videos_path=None, dry_run=False, quiet=False, verbose=False, max_workers=None):
    """Add, update and archive videos (SYNC-VID)."""
    sources = {"videos_data": videos_data, "videos_path": videos_path}
    return _sync_one("videos", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_users(*, users_data=None, users_path=None, dry_run=False, quiet=False, verbose=False, max_workers=None):
    """Add, update, rename (by email) and archive users (SYNC-USR)."""
    sources = {"users_data": users_data, "users_path": users_path}
    return _sync_one("users", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_question_groups(
    *,
    question_groups_data=None,
    question_groups_path=None,
    question_groups_folder=None,
    dry_run=False,
    quiet=False,
    verbose=False,
    max_workers=None,
):
    """Add and update question groups with their questions; archive groups (SYNC-QG)."""
    sources = {
        "question_groups_data": question_groups_data,
        "question_groups_path": question_groups_path,
        "question_groups_folder": question_groups_folder,
    }
    return _sync_one("question_groups", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_schemas(*, schemas_data=None, schemas_path=None, dry_run=False, quiet=False, verbose=False, max_workers=None):
    """Add, reorder and archive schemas (SYNC-SCH)."""
    sources = {"schemas_data": schemas_data, "schemas_path": schemas_path}
    return _sync_one("schemas", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_projects(
    *, projects_data=None, projects_path=None, dry_run=False, quiet=False, verbose=False, max_workers=None
):
    """Add, update and archive projects and mirror their custom displays (SYNC-PRJ, SYNC-CD)."""
    sources = {"projects_data": projects_data, "projects_path": projects_path}
    return _sync_one("projects", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_project_groups(
    *, project_groups_data=None, project_groups_path=None, dry_run=False, quiet=False, verbose=False, max_workers=None
):
    """Add, update and archive project groups (SYNC-PG)."""
    sources = {"project_groups_data": project_groups_data, "project_groups_path": project_groups_path}
    return _sync_one("project_groups", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_users_to_projects(
    *,
    assignments_data=None,
    assignments_path=None,
    assignment_path=None,
    dry_run=False,
    quiet=False,
    verbose=False,
    max_workers=None,
):
    """Assign, re-weight and remove project roles (SYNC-ASG)."""
    if assignments_path is not None and assignment_path is not None:
        raise InputError("pass exactly one of assignments_data, assignments_path")
    sources = {"assignments_data": assignments_data, "assignments_path": assignments_path or assignment_path}
    return _sync_one("assignments", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_annotations(
    *,
    annotations_data=None,
    annotations_path=None,
    annotations_folder=None,
    dry_run=False,
    quiet=False,
    verbose=False,
    max_workers=None,
):
    """Import annotator answers, model predictions with confidence, and reviews (SYNC-ANN)."""
    sources = {
        "annotations_data": annotations_data,
        "annotations_path": annotations_path,
        "annotations_folder": annotations_folder,
    }
    return _sync_one("annotations", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


def sync_ground_truths(
    *,
    ground_truths_data=None,
    ground_truths_path=None,
    ground_truths_folder=None,
    dry_run=False,
    quiet=False,
    verbose=False,
    max_workers=None,
):
    """Import ground truth, with attribution and admin overrides (SYNC-GT)."""
    sources = {
        "ground_truths_data": ground_truths_data,
        "ground_truths_path": ground_truths_path,
        "ground_truths_folder": ground_truths_folder,
    }
    return _sync_one("ground_truths", sources, dry_run=dry_run, quiet=quiet, verbose=verbose)


@cyclic_gc_paused()  # reading the input too
def sync_from_folder(folder_path, *, dry_run=False, quiet=False, verbose=False, max_workers=None) -> SyncReport:
    """Sync a whole workspace folder in one transaction (SYNC-FOLDER)."""
    folder = Path(folder_path)
    if not folder.is_dir():
        raise InputError(f"folder_path: {folder} is not a folder")
    problems, digests = Problems(), InputDigests()
    inputs, no_input, warnings = read_folder(folder, problems, digests)
    verify_file = folder / "verify.py"
    report = run_sync(
        inputs,
        label=str(folder_path),
        dry_run=dry_run,
        quiet=quiet,
        verbose=verbose,
        file_problems=problems,
        warnings=warnings,
        workspace=folder if verify_file.is_file() else None,
        no_input=no_input,
        digests=digests,
    )
    if verify_file.is_file() and not dry_run:
        added = register_workspace(folder)
        report.notes.append(f"{'Added workspace to config' if added else 'Workspace already in config'}: {folder}")
    if not quiet:
        print(report)
    return report


def export_projects_ground_truth(projects, fmt="json", output=None):
    """Validate, then return the ground truth of these projects (names, ids or Project objects) as the JSON rows,
    also writing them as `fmt` ("json" or "excel") when `output` is given (EXPORT-GT-1). Raises
    `annotation.gt_export.ExportValidationError` (a ValueError) listing every failure, having written nothing."""
    from annotation.gt_export import export_projects

    return export_projects(projects, fmt=fmt, output=output)[0]
