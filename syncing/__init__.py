"""JSON workspace to database and back. The helpers load lazily (SYNC-API-4), so importing the app
during Django's start-up never imports models early."""

_HELPERS = {
    "sync_videos",
    "sync_users",
    "sync_question_groups",
    "sync_schemas",
    "sync_projects",
    "sync_project_groups",
    "sync_users_to_projects",
    "sync_annotations",
    "sync_ground_truths",
    "sync_from_folder",
    "register_workspace",
    "export_workspace",
    "export_projects_ground_truth",
    "SyncError",
    "SyncReport",
}


def __getattr__(name):
    if name in _HELPERS:
        from syncing import helpers

        return getattr(helpers, name)
    raise AttributeError(f"module 'syncing' has no attribute {name!r}")
