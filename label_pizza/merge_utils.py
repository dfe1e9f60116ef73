"""`label_pizza.merge_utils`: the original's merge functions, on `syncing.workspace_compare`.

Records are matched by key and merged as `merge_workspace` does here (the union; where both folders hold a
key with different records, folder 1 wins when `use_first_folder_on_conflict`, else folder 2). The merged
files are written in the export layout into `output_folder`, which may already hold files, as in the
original: the files of the merged type are replaced (for a subfolder type, all its .json files), the others
are left alone. Each function returns the original's report dict.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from label_pizza.django_setup import ensure_django


def _wc():
    ensure_django()
    from syncing import workspace_compare

    return workspace_compare


def _place(staged: Path, out: Path, names) -> None:
    """Move the merged files of `names` from the staging folder into `out`, replacing earlier ones."""
    wc = _wc()
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        file_type = wc.FILE_TYPES[name]
        if file_type.in_subfolder:
            sub = out / name
            sub.mkdir(exist_ok=True)
            for old in sub.glob("*.json"):
                old.unlink()
            for path in sorted((staged / name).glob("*.json")):
                shutil.copyfile(path, sub / path.name)
        else:
            shutil.copyfile(staged / file_type.location, out / file_type.location)


def _merge(names, folder1_path, folder2_path, output_folder, use_first_folder_on_conflict) -> dict[str, dict]:
    wc = _wc()
    prefer = "first" if use_first_folder_on_conflict else "second"
    first, second = wc.require_folder(folder1_path), wc.require_folder(folder2_path)
    # Annotation and ground-truth files are ordered by their project's videos and schema's groups.
    # Their multiple-choice lists are written in the order of the options the question groups define.
    needed = set(names) | ({"projects", "schemas", "question_groups"} if set(names) & set(wc.SUBJECT_TYPES) else set())
    merged = {name: {} for name in wc.FILE_TYPES}
    reports = {}
    for name, file_type in wc.FILE_TYPES.items():  # read and check everything before writing anything
        if name not in needed:
            continue
        records1, records2 = wc.load_records(first, file_type), wc.load_records(second, file_type)
        merged[name], conflicts = wc.merge_records(records1, records2, prefer, file_type)
        if name in names:
            reports[name] = {
                "merged_count": len(merged[name]),
                "folder1_count": len(records1),
                "folder2_count": len(records2),
                "conflicts_resolved": conflicts,
                "used_folder1_on_conflict": use_first_folder_on_conflict,
            }
    with tempfile.TemporaryDirectory() as temp:
        staged = Path(temp) / "merged"
        wc.write_workspace(staged, merged)
        _place(staged, Path(output_folder), names)
    return reports


def _merge_one(name, folder1_path, folder2_path, output_folder, use_first_folder_on_conflict) -> dict:
    report = _merge((name,), folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)[name]
    print(f"Merged {report['merged_count']} {name.replace('_', ' ')} into {output_folder}")
    return report


def merge_videos(folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True) -> dict:
    return _merge_one("videos", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_users(folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True) -> dict:
    return _merge_one("users", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_schemas(folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True) -> dict:
    return _merge_one("schemas", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_projects(folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True) -> dict:
    return _merge_one("projects", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_project_groups(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    return _merge_one("project_groups", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_assignments(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    return _merge_one("assignments", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_question_groups(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    return _merge_one("question_groups", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_annotations(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    return _merge_one("annotations", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_ground_truths(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    return _merge_one("ground_truths", folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)


def merge_workspace(
    folder1_path: str, folder2_path: str, output_folder: str, use_first_folder_on_conflict=True
) -> dict:
    """All nine types, plus the preferred folder's verify.py; per-type reports and a `summary`."""
    wc = _wc()
    names = tuple(wc.FILE_TYPES)
    report = _merge(names, folder1_path, folder2_path, output_folder, use_first_folder_on_conflict)
    prefer = "first" if use_first_folder_on_conflict else "second"
    wc.copy_verify(Path(folder1_path), Path(folder2_path), Path(output_folder), prefer)
    report["summary"] = {
        "total_conflicts_resolved": sum(r["conflicts_resolved"] for r in report.values()),
        "used_folder1_on_conflict": use_first_folder_on_conflict,
        "merge_completed": True,
    }
    print(f"Merged workspaces {folder1_path} and {folder2_path} into {output_folder}")
    return report
