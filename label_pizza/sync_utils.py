"""`label_pizza.sync_utils`: the original's nine sync helpers, with its parameter names and order.

Each one calls the helper of the same name in `syncing.helpers`. The original returned None; these return
this project's `SyncReport` (what was created, updated, archived), which a script may ignore. A failed sync
raises `syncing.errors.SyncError`, a ValueError as in the original, and writes nothing. `max_workers` is
accepted and unused: each call is one transaction.
"""

from __future__ import annotations


def _helpers():
    # Imported on first call, so that importing this module before init_database works as in the original.
    from syncing import helpers

    return helpers


def sync_videos(*, videos_path=None, videos_data=None):
    return _helpers().sync_videos(videos_path=videos_path, videos_data=videos_data)


def sync_users(*, users_path=None, users_data=None):
    return _helpers().sync_users(users_path=users_path, users_data=users_data)


def sync_question_groups(question_groups_folder=None, question_groups_data=None):
    return _helpers().sync_question_groups(
        question_groups_folder=question_groups_folder, question_groups_data=question_groups_data
    )


def sync_schemas(*, schemas_path=None, schemas_data=None):
    return _helpers().sync_schemas(schemas_path=schemas_path, schemas_data=schemas_data)


def sync_projects(*, projects_path=None, projects_data=None, max_workers=10):
    return _helpers().sync_projects(projects_path=projects_path, projects_data=projects_data)


def sync_project_groups(*, project_groups_path=None, project_groups_data=None):
    return _helpers().sync_project_groups(
        project_groups_path=project_groups_path, project_groups_data=project_groups_data
    )


def sync_users_to_projects(assignment_path=None, assignments_data=None, max_workers=10):
    return _helpers().sync_users_to_projects(assignment_path=assignment_path, assignments_data=assignments_data)


def sync_annotations(annotations_folder=None, annotations_data=None, max_workers=15):
    return _helpers().sync_annotations(annotations_folder=annotations_folder, annotations_data=annotations_data)


def sync_ground_truths(ground_truths_folder=None, ground_truths_data=None, max_workers=15):
    return _helpers().sync_ground_truths(
        ground_truths_folder=ground_truths_folder, ground_truths_data=ground_truths_data
    )


__all__ = [
    "sync_annotations",
    "sync_ground_truths",
    "sync_project_groups",
    "sync_projects",
    "sync_question_groups",
    "sync_schemas",
    "sync_users",
    "sync_users_to_projects",
    "sync_videos",
]
