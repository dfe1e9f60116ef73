"""`label_pizza.export_utils`: the original's export functions, on `syncing.export.export_workspace`.

Every function exports the whole database once into a temporary folder, in this project's workspace layout,
and copies out what was asked for: one file, or one subfolder's files. Annotation and ground-truth files are
named per project here (the original named them per question group); their records are the same kind of
record and sync back as they are. An existing output file is replaced, as in the original.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def _export_into(temp: Path):
    from syncing.export import export_workspace

    return export_workspace(temp / "workspace", quiet=True)


def _copy_file(name: str, output_path) -> None:
    with tempfile.TemporaryDirectory() as temp:
        result = _export_into(Path(temp))
        out = Path(output_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(result.folder / name, out)
    print(f"Exported {name} to {out}")


def _copy_folder(name: str, output_folder) -> None:
    with tempfile.TemporaryDirectory() as temp:
        result = _export_into(Path(temp))
        out = Path(output_folder)
        out.mkdir(parents=True, exist_ok=True)
        files = sorted((result.folder / name).glob("*.json"))
        for path in files:
            shutil.copyfile(path, out / path.name)
    print(f"Exported {len(files)} {name} files to {out}")


def export_users(output_path: str = None):
    _copy_file("users.json", output_path)


def export_videos(output_path: str = None):
    _copy_file("videos.json", output_path)


def export_question_groups(output_folder: str = None):
    _copy_folder("question_groups", output_folder)


def export_schemas(output_path: str = None):
    _copy_file("schemas.json", output_path)


def export_projects(output_path: str = None):
    _copy_file("projects.json", output_path)


def export_project_groups(output_path: str = None):
    _copy_file("project_groups.json", output_path)


def export_assignments(output_path: str = None):
    _copy_file("assignments.json", output_path)


def export_annotations(output_folder: str = None):
    _copy_folder("annotations", output_folder)


def export_ground_truths(output_folder: str = None):
    _copy_folder("ground_truths", output_folder)


def export_workspace(output_folder: str = None):
    """The whole workspace into `output_folder`; files of an earlier export there are replaced."""
    from syncing.export import export_workspace as export

    print(export(output_folder, force=True, quiet=True).summary())
