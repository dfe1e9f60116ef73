"""`label_pizza.compare_utils`: the original's compare functions, on `syncing.workspace_compare`.

Each returns True when the two folders hold the same records of its type, and with `output_folder` writes
diff_<type>.json (identical, folder1_only, folder2_only, different, summary) there.
"""

from __future__ import annotations

from label_pizza.django_setup import ensure_django


def _wc():
    ensure_django()
    from syncing import workspace_compare

    return workspace_compare


def compare_videos(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_videos(folder1_path, folder2_path, output_folder=output_folder)


def compare_users(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_users(folder1_path, folder2_path, output_folder=output_folder)


def compare_schemas(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_schemas(folder1_path, folder2_path, output_folder=output_folder)


def compare_projects(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_projects(folder1_path, folder2_path, output_folder=output_folder)


def compare_project_groups(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_project_groups(folder1_path, folder2_path, output_folder=output_folder)


def compare_assignments(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_assignments(folder1_path, folder2_path, output_folder=output_folder)


def compare_question_groups(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_question_groups(folder1_path, folder2_path, output_folder=output_folder)


def compare_annotations(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_annotations(folder1_path, folder2_path, output_folder=output_folder)


def compare_ground_truths(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_ground_truths(folder1_path, folder2_path, output_folder=output_folder)


def compare_workspace(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _wc().compare_workspace(folder1_path, folder2_path, output_folder=output_folder)
