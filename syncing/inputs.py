"""Where records come from: `*_data`, `*_path`, `*_folder`, or a workspace folder (SYNC-GEN-1, SYNC-FOLDER)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from syncing.errors import InputError, Problems
from syncing.input_digests import InputDigests
from syncing.jsonio import Entry, FileProblem, entries_from_value, folder_files, read_file


@dataclass(frozen=True)
class Kind:
    name: str  # "videos"
    tables: tuple[str, ...]  # report tables it fills
    folder_layout: str  # "videos.json" or "question_groups/"
    data_arg: str
    path_arg: str
    folder_arg: str | None = None
    path_alias: str | None = None

    @property
    def allow_object(self) -> bool:
        return self.folder_arg is not None  # question groups, annotations, ground truths


KINDS = {
    k.name: k
    for k in (
        Kind("videos", ("videos",), "videos.json", "videos_data", "videos_path"),
        Kind("users", ("users",), "users.json", "users_data", "users_path"),
        Kind(
            "question_groups",
            ("questions", "question groups"),
            "question_groups/",
            "question_groups_data",
            "question_groups_path",
            "question_groups_folder",
        ),
        Kind("schemas", ("schemas",), "schemas.json", "schemas_data", "schemas_path"),
        Kind("projects", ("projects", "custom displays"), "projects.json", "projects_data", "projects_path"),
        Kind(
            "project_groups", ("project groups",), "project_groups.json", "project_groups_data", "project_groups_path"
        ),
        Kind(
            "assignments",
            ("assignments",),
            "assignments.json",
            "assignments_data",
            "assignments_path",
            path_alias="assignment_path",
        ),
        Kind(
            "annotations",
            ("annotations",),
            "annotations/",
            "annotations_data",
            "annotations_path",
            "annotations_folder",
        ),
        Kind(
            "ground_truths",
            ("ground truths",),
            "ground_truths/",
            "ground_truths_data",
            "ground_truths_path",
            "ground_truths_folder",
        ),
    )
}
KNOWN_TOP_LEVEL = {k.folder_layout for k in KINDS.values() if k.folder_layout.endswith(".json")}


def read_helper_input(kind: Kind, sources: dict, problems: Problems) -> tuple[list[Entry], str]:
    """Exactly one of the kind's `*_data`, `*_path`, `*_folder`; returns entries and a label."""
    given = {name: value for name, value in sources.items() if value is not None}
    allowed = [kind.data_arg, kind.path_arg] + ([kind.folder_arg] if kind.folder_arg else [])
    if len(given) != 1:
        raise InputError(f"pass exactly one of {', '.join(allowed)}")
    ((name, value),) = given.items()
    table = kind.tables[-1] if kind.name != "question_groups" else "question groups"
    if name == kind.data_arg:
        source = f"<{name}>"
        if not isinstance(value, (list, dict)) or (isinstance(value, dict) and not kind.allow_object):
            raise InputError(f"{name} must be a list of dicts")
        return entries_from_value(value, source, allow_object=kind.allow_object), source
    path = Path(value)
    if name == kind.folder_arg:
        if not path.is_dir():
            raise InputError(f"{name}: {path} is not a folder")
        entries: list[Entry] = []
        for file in folder_files(path):
            try:
                entries += read_file(file, str(file), allow_object=True)
            except FileProblem as exc:
                problems.add(table, exc.source, None, None, "", exc.message)
        return entries, str(path)
    if not path.is_file():
        raise InputError(f"{name}: no file at {path}")
    try:
        return read_file(path, str(path), allow_object=kind.allow_object), str(path)
    except FileProblem as exc:
        problems.add(table, exc.source, None, None, "", exc.message)
        return [], str(path)


def _seen(digests: InputDigests | None, kind: Kind, source: str):
    return None if digests is None else (lambda data: digests.add(kind.name, source, data))


def read_folder(
    folder: Path, problems: Problems, digests: InputDigests | None = None
) -> tuple[dict[str, list[Entry] | None], list[str], list[str]]:
    """Every kind in the workspace layout; a missing file or subfolder is "no input" (SYNC-FOLDER-2).
    `digests` is given each file's name and bytes, per kind."""
    inputs: dict[str, list[Entry] | None] = {}
    no_input: list[str] = []
    for kind in KINDS.values():
        target = folder / kind.folder_layout.rstrip("/")
        table = kind.tables[-1] if kind.name != "question_groups" else "question groups"
        if kind.folder_layout.endswith("/"):
            if not target.is_dir():
                inputs[kind.name] = None
                no_input += list(kind.tables)
                continue
            entries: list[Entry] = []
            if digests is not None:
                digests.empty(kind.name)
            for file in folder_files(target):
                source = f"{kind.folder_layout}{file.name}"
                try:
                    entries += read_file(file, source, allow_object=True, seen=_seen(digests, kind, source))
                except FileProblem as exc:
                    problems.add(table, exc.source, None, None, "", exc.message)
            inputs[kind.name] = entries
        else:
            if not target.is_file():
                inputs[kind.name] = None
                no_input += list(kind.tables)
                continue
            try:
                inputs[kind.name] = read_file(
                    target, kind.folder_layout, allow_object=False, seen=_seen(digests, kind, kind.folder_layout)
                )
            except FileProblem as exc:
                problems.add(table, exc.source, None, None, "", exc.message)
                inputs[kind.name] = []
    warnings = [
        f"{p.name}: unknown file in the workspace folder; it was ignored"
        for p in folder_files(folder)
        if p.name not in KNOWN_TOP_LEVEL
    ]
    return inputs, no_input, warnings
