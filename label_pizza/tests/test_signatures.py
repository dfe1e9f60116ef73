"""Issue 12 point 1: every public function of the original's db, sync, override, export, compare and merge modules
exists here with its parameter names, order and defaults (the facts, listed from the original's modules)."""

import inspect

import pytest

BACKUP = ["backup_first", "backup_dir", "backup_file", "compress"]
BACKUP_DEFAULTS = [True, "./backups", None, True]

SIGNATURES = {
    "db.init_database": (["database_url_name"], ["DBURL"]),
    "sync_utils.sync_videos": (["videos_path", "videos_data"], [None, None]),
    "sync_utils.sync_users": (["users_path", "users_data"], [None, None]),
    "sync_utils.sync_question_groups": (["question_groups_folder", "question_groups_data"], [None, None]),
    "sync_utils.sync_schemas": (["schemas_path", "schemas_data"], [None, None]),
    "sync_utils.sync_projects": (["projects_path", "projects_data", "max_workers"], [None, None, 10]),
    "sync_utils.sync_project_groups": (["project_groups_path", "project_groups_data"], [None, None]),
    "sync_utils.sync_users_to_projects": (["assignment_path", "assignments_data", "max_workers"], [None, None, 10]),
    "sync_utils.sync_annotations": (["annotations_folder", "annotations_data", "max_workers"], [None, None, 15]),
    "sync_utils.sync_ground_truths": (["ground_truths_folder", "ground_truths_data", "max_workers"], [None, None, 15]),
    "override_utils.delete_user_using_id": (["user_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_video_using_id": (["video_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_video_tag_using_id": (["video_id", "tag"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question_group_using_id": (["question_group_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question_using_id": (["question_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question_group_question_using_id": (
        ["question_group_id", "question_id"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_schema_using_id": (["schema_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_schema_question_group_using_id": (
        ["schema_id", "question_group_id"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_project_using_id": (["project_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_video_using_id": (["project_id", "video_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_user_role_using_id": (["project_id", "user_id", "role"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_group_using_id": (["project_group_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_group_project_using_id": (
        ["project_group_id", "project_id"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_project_video_question_display_using_id": (
        ["project_id", "video_id", "question_id"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_annotator_answer_using_id": (["answer_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_reviewer_ground_truth_using_id": (
        ["video_id", "question_id", "project_id"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_answer_review_using_id": (["answer_review_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_user": (["user_id_str"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_video": (["video_uid"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_video_tag": (["video_uid", "tag"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question_group": (["title"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question": (["text"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_question_group_question": (
        ["question_group_title", "question_text"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_schema": (["name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_schema_question_group": (["schema_name", "question_group_title"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project": (["name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_video": (["project_name", "video_uid"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_user_role": (["project_name", "user_id_str", "role"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_group": (["name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_group_project": (["project_group_name", "project_name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.delete_project_video_question_display": (
        ["project_name", "video_uid", "question_text"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_annotator_answer": (
        ["video_uid", "question_text", "user_id_str", "project_name"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_reviewer_ground_truth": (
        ["video_uid", "question_text", "project_name"] + BACKUP,
        BACKUP_DEFAULTS,
    ),
    "override_utils.delete_answer_review": (["answer_id"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.get_user_name": (["user_id"], []),
    "override_utils.get_video_name": (["video_id"], []),
    "override_utils.get_question_group_name": (["question_group_id"], []),
    "override_utils.get_question_name": (["question_id"], []),
    "override_utils.get_schema_name": (["schema_id"], []),
    "override_utils.get_project_name": (["project_id"], []),
    "override_utils.get_project_group_name": (["project_group_id"], []),
    "override_utils.set_user_name_using_id": (["user_id", "user_id_str"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_video_name_using_id": (["video_id", "video_uid"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_question_group_name_using_id": (["question_group_id", "title"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_question_name_using_id": (["question_id", "question_text"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_schema_name_using_id": (["schema_id", "name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_project_name_using_id": (["project_id", "name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_project_group_name_using_id": (["project_group_id", "name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_user_name": (["old_user_id_str", "new_user_id_str"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_video_name": (["old_video_uid", "new_video_uid"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_question_group_name": (["old_title", "new_title"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_question_name": (["old_text", "new_text"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_schema_name": (["old_name", "new_name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_project_name": (["old_name", "new_name"] + BACKUP, BACKUP_DEFAULTS),
    "override_utils.set_project_group_name": (["old_name", "new_name"] + BACKUP, BACKUP_DEFAULTS),
    "export_utils.export_users": (["output_path"], [None]),
    "export_utils.export_videos": (["output_path"], [None]),
    "export_utils.export_question_groups": (["output_folder"], [None]),
    "export_utils.export_schemas": (["output_path"], [None]),
    "export_utils.export_projects": (["output_path"], [None]),
    "export_utils.export_project_groups": (["output_path"], [None]),
    "export_utils.export_assignments": (["output_path"], [None]),
    "export_utils.export_annotations": (["output_folder"], [None]),
    "export_utils.export_ground_truths": (["output_folder"], [None]),
    "export_utils.export_workspace": (["output_folder"], [None]),
    "compare_utils.compare_videos": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_users": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_schemas": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_projects": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_project_groups": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_assignments": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_question_groups": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_annotations": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_ground_truths": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "compare_utils.compare_workspace": (["folder1_path", "folder2_path", "output_folder"], [None, None, None]),
    "merge_utils.merge_videos": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_users": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_schemas": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_projects": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_project_groups": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_assignments": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_question_groups": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_annotations": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_ground_truths": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
    "merge_utils.merge_workspace": (
        ["folder1_path", "folder2_path", "output_folder", "use_first_folder_on_conflict"],
        [True],
    ),
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_the_original_function_exists_with_its_parameters_and_defaults(name):
    import importlib

    module, function = name.split(".")
    params, defaults = SIGNATURES[name]
    signature = inspect.signature(getattr(importlib.import_module(f"label_pizza.{module}"), function))
    assert list(signature.parameters) == params
    assert [p.default for p in signature.parameters.values() if p.default is not inspect.Parameter.empty] == defaults
