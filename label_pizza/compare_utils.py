"""`label_pizza.compare_utils`: the original's compare functions, on `syncing.workspace_compare`.

Each returns True when the two folders hold the same records of its type, and with `output_folder` writes
diff_<type>.json there in the original's shape: `identical` is a boolean, then folder1_only, folder2_only,
different and summary. This project's compare lists the keys of identical records under `identical`; here
that list moves to `identical_keys`.
"""

from __future__ import annotations

from label_pizza.django_setup import ensure_django


def _wc():
    ensure_django()
    from syncing import workspace_compare

    return workspace_compare


def _compare(types, folder1_path, folder2_path, output_folder) -> bool:
    wc = _wc()
    diffs = wc.diff_workspace(folder1_path, folder2_path, types)
    if output_folder is not None:
        shaped = {}
        for name, diff in diffs.items():
            identical_keys = diff.pop("identical")
            shaped[name] = {"identical": diff["summary"]["differences_found"] == 0, "identical_keys": identical_keys}
            shaped[name].update(diff)
        wc.write_diffs(shaped, output_folder)
    return all(diff["summary"]["differences_found"] == 0 for diff in diffs.values())


def compare_videos(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("videos",), folder1_path, folder2_path, output_folder)


def compare_users(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("users",), folder1_path, folder2_path, output_folder)


def compare_schemas(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("schemas",), folder1_path, folder2_path, output_folder)


def compare_projects(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("projects",), folder1_path, folder2_path, output_folder)


def compare_project_groups(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("project_groups",), folder1_path, folder2_path, output_folder)


def compare_assignments(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("assignments",), folder1_path, folder2_path, output_folder)


def compare_question_groups(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("question_groups",), folder1_path, folder2_path, output_folder)


def compare_annotations(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("annotations",), folder1_path, folder2_path, output_folder)


def compare_ground_truths(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(("ground_truths",), folder1_path, folder2_path, output_folder)


def compare_workspace(folder1_path: str = None, folder2_path: str = None, output_folder: str = None) -> bool:
    return _compare(tuple(_wc().FILE_TYPES), folder1_path, folder2_path, output_folder)
