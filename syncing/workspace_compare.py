"""Compare two workspace folders record by record, and merge them into a third (WS-CMP-1, WS-CMP-2).

Works on the files alone, never the database. Records are matched by their natural key per file type;
the merged folder is written the way `export_workspace` writes one, so it can be synced as it is.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from catalog import question_types
from syncing.export import SUBFOLDERS, TOP_FILES, dumps, unique_slugs
from syncing.jsonio import Entry, FileProblem, folder_files, read_file

PREFER_CHOICES = ("first", "second")


class WorkspaceCompareError(ValueError):
    """Input that cannot be compared or merged: a bad folder, unreadable JSON, a missing or repeated key."""


@dataclass(frozen=True)
class FileType:
    name: str  # "videos"
    location: str  # "videos.json" (a top file) or "annotations/" (a subfolder of *.json)
    key_fields: tuple[str, ...]

    @property
    def in_subfolder(self) -> bool:
        return self.location.endswith("/")


FILE_TYPES = {
    t.name: t
    for t in (
        FileType("videos", "videos.json", ("video_uid",)),
        FileType("users", "users.json", ("user_id",)),
        FileType("question_groups", "question_groups/", ("title",)),
        FileType("schemas", "schemas.json", ("schema_name",)),
        FileType("projects", "projects.json", ("project_name",)),
        FileType("project_groups", "project_groups.json", ("project_group_name",)),
        FileType("assignments", "assignments.json", ("user_name", "project_name", "role")),
        FileType("annotations", "annotations/", ("project_name", "video_uid", "question_group_title", "user_name")),
        # No user in the key: one ground truth per (project, video, group), so a merge can never yield two.
        FileType("ground_truths", "ground_truths/", ("project_name", "video_uid", "question_group_title")),
    )
}

Key = tuple[str, ...]
Records = dict[Key, dict]


# --------------------------------------------------------------------------- reading


def require_folder(folder) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise WorkspaceCompareError(f"{path} is not a folder")
    return path


def read_entries(folder: Path, file_type: FileType) -> list[Entry]:
    """Every record of one type in the folder; a missing file or subfolder is empty (WS-CMP-2)."""
    target = folder / file_type.location.rstrip("/")
    if file_type.in_subfolder:
        files = folder_files(target) if target.is_dir() else []
    else:
        files = [target] if target.exists() else []
    entries: list[Entry] = []
    for path in files:
        try:
            entries += read_file(path, str(path), allow_object=file_type.in_subfolder)
        except FileProblem as exc:
            raise WorkspaceCompareError(str(exc)) from None
    return entries


def _place(entry: Entry) -> str:
    return f"{entry.source}[{entry.index}]"


def record_key(file_type: FileType, entry: Entry) -> Key:
    if not isinstance(entry.data, dict):
        raise WorkspaceCompareError(f"{_place(entry)}: expected a JSON object, got {type(entry.data).__name__}")
    key = []
    for name in file_type.key_fields:
        if name not in entry.data:
            raise WorkspaceCompareError(f'{_place(entry)}: missing key field "{name}"')
        if not isinstance(entry.data[name], str):
            raise WorkspaceCompareError(f'{_place(entry)}: key field "{name}" must be a string')
        key.append(entry.data[name])
    return tuple(key)


def key_json(file_type: FileType, key: Key):
    """The key as written in diff files: a string for one field, an object for a composite key."""
    if len(file_type.key_fields) == 1:
        return key[0]
    return dict(zip(file_type.key_fields, key, strict=True))


def load_records(folder, file_type: FileType) -> Records:
    """The folder's records of one type by key; a key seen twice is an error naming both places."""
    seen: dict[Key, Entry] = {}
    for entry in read_entries(Path(folder), file_type):
        key = record_key(file_type, entry)
        if key in seen:
            shown = json.dumps(key_json(file_type, key), ensure_ascii=False)
            raise WorkspaceCompareError(
                f"{_place(seen[key])} and {_place(entry)}: two {file_type.name} records with the key {shown}"
            )
        seen[key] = entry
    return {key: entry.data for key, entry in seen.items()}


def same_json(a, b) -> bool:
    """Equal as parsed JSON: object key order is ignored, and true/false never equal 1/0 (as they do in Python)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return a == b


# --------------------------------------------------------------------------- sets (multiple choice)
# A multiple-choice answer, ground truth, reviewer answer or default is a set of options written as a JSON
# list: the same set in another order is the same value (sync stores both alike), so compare and merge
# compare such lists as sets, and merge writes them in option order, as export does. Only list-valued types
# have list answers in the workspace format, so an answer's list is a set without looking its question up.


def _as_set(value):
    return sorted(value, key=repr) if isinstance(value, list) else value


def _list_defaults(record: dict, arrange) -> dict:
    """A question group with each list-valued default rearranged by `arrange(values, options)`."""
    questions = record.get("questions")
    if not isinstance(questions, list):
        return record
    changed = []
    for question in questions:
        kind = question_types.find(question.get("qtype")) if isinstance(question, dict) else None
        if kind is not None and not kind.value_is_text and isinstance(question.get(kind.default_key), list):
            options = question.get("options")
            question = {**question, kind.default_key: arrange(question[kind.default_key], options)}
        changed.append(question)
    return {**record, "questions": changed} if changed != questions else record


def _list_answers(record: dict, arrange, options_of) -> dict:
    """An annotation or GT record with each list answer and list reviewer answer rearranged by
    `arrange(values, options)`; `options_of(text)` gives a question's options (None when unknown)."""
    answers, overrides = record.get("answers"), record.get("admin_overrides")
    if isinstance(answers, dict) and any(isinstance(v, list) for v in answers.values()):
        answers = {t: arrange(v, options_of(t)) if isinstance(v, list) else v for t, v in answers.items()}
        record = {**record, "answers": answers}
    if isinstance(overrides, dict):
        listed = {
            t: {**o, "reviewer_answer": arrange(o["reviewer_answer"], options_of(t))}
            for t, o in overrides.items()
            if isinstance(o, dict) and isinstance(o.get("reviewer_answer"), list)
        }
        if listed:
            record = {**record, "admin_overrides": {**overrides, **listed}}
    return record


def comparable(file_type: FileType, record):
    """The record as compared: every set-valued list sorted, everything else as given."""
    if not isinstance(record, dict):
        return record
    if file_type.name == "question_groups":
        return _list_defaults(record, lambda values, options: _as_set(values))
    if file_type.name in SUBJECT_TYPES:
        return _list_answers(record, lambda values, options: _as_set(values), lambda text: None)
    return record


def same_record(file_type: FileType, a, b) -> bool:
    return same_json(comparable(file_type, a), comparable(file_type, b))


def in_option_order(values: list, options) -> list:
    """A set-valued list as export writes it: in the order of the question's options (others after, as given)."""
    if not isinstance(options, list):
        return values
    order = {option: i for i, option in enumerate(options) if isinstance(option, str)}
    return sorted(values, key=lambda v: order.get(v, len(order)) if isinstance(v, str) else len(order))


# --------------------------------------------------------------------------- compare (WS-CMP-1)


def diff_records(file_type: FileType, records1: Records, records2: Records) -> dict:
    """The diff_<type>.json content; every list is sorted by key."""
    common = sorted(records1.keys() & records2.keys())
    same = {k for k in common if same_record(file_type, records1[k], records2[k])}
    different = [k for k in common if k not in same]
    only1 = sorted(records1.keys() - records2.keys())
    only2 = sorted(records2.keys() - records1.keys())
    return {
        "identical": [key_json(file_type, k) for k in common if k in same],
        "folder1_only": [records1[k] for k in only1],
        "folder2_only": [records2[k] for k in only2],
        "different": [
            {"key": key_json(file_type, k), "folder1": records1[k], "folder2": records2[k]} for k in different
        ],
        "summary": {
            "folder1_count": len(records1),
            "folder2_count": len(records2),
            "differences_found": len(only1) + len(only2) + len(different),
        },
    }


def diff_workspace(folder1, folder2, types=tuple(FILE_TYPES)) -> dict[str, dict]:
    """Type name -> diff, for the given types. Reads everything before returning, so bad input raises early."""
    first, second = require_folder(folder1), require_folder(folder2)
    diffs = {}
    for name in types:
        file_type = FILE_TYPES[name]
        diffs[name] = diff_records(file_type, load_records(first, file_type), load_records(second, file_type))
    return diffs


def write_diffs(diffs: dict[str, dict], output_folder) -> list[Path]:
    out = Path(output_folder)
    if out.exists() and not out.is_dir():
        raise WorkspaceCompareError(f"{out} is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, diff in diffs.items():
        path = out / f"diff_{name}.json"
        path.write_text(dumps(diff), encoding="utf-8")
        written.append(path)
    return written


def _compare(types, folder1, folder2, output_folder) -> bool:
    diffs = diff_workspace(folder1, folder2, types)
    if output_folder is not None:
        write_diffs(diffs, output_folder)
    return all(d["summary"]["differences_found"] == 0 for d in diffs.values())


def compare_workspace(folder1, folder2, output_folder=None) -> bool:
    """True when no record of any type differs; with `output_folder`, writes diff_<type>.json for all nine."""
    return _compare(tuple(FILE_TYPES), folder1, folder2, output_folder)


def compare_videos(folder1, folder2, output_folder=None) -> bool:
    return _compare(("videos",), folder1, folder2, output_folder)


def compare_users(folder1, folder2, output_folder=None) -> bool:
    return _compare(("users",), folder1, folder2, output_folder)


def compare_question_groups(folder1, folder2, output_folder=None) -> bool:
    return _compare(("question_groups",), folder1, folder2, output_folder)


def compare_schemas(folder1, folder2, output_folder=None) -> bool:
    return _compare(("schemas",), folder1, folder2, output_folder)


def compare_projects(folder1, folder2, output_folder=None) -> bool:
    return _compare(("projects",), folder1, folder2, output_folder)


def compare_project_groups(folder1, folder2, output_folder=None) -> bool:
    return _compare(("project_groups",), folder1, folder2, output_folder)


def compare_assignments(folder1, folder2, output_folder=None) -> bool:
    return _compare(("assignments",), folder1, folder2, output_folder)


def compare_annotations(folder1, folder2, output_folder=None) -> bool:
    return _compare(("annotations",), folder1, folder2, output_folder)


def compare_ground_truths(folder1, folder2, output_folder=None) -> bool:
    return _compare(("ground_truths",), folder1, folder2, output_folder)


# --------------------------------------------------------------------------- merge (WS-CMP-2)


@dataclass
class TypeMerge:
    folder1_count: int
    folder2_count: int
    merged_count: int
    conflicts_resolved: int


@dataclass
class MergeResult:
    out_folder: Path
    types: dict[str, TypeMerge] = field(default_factory=dict)
    verify_source: Path | None = None  # the verify.py copied into the output
    verify_skipped: Path | None = None  # the other folder's verify.py when it differs and was not copied

    def counts(self) -> dict:
        total = {"merged_count": 0, "folder1_count": 0, "folder2_count": 0, "conflicts_resolved": 0}
        for merged in self.types.values():
            for name in total:
                total[name] += getattr(merged, name)
        return total


def merge_records(
    records1: Records, records2: Records, prefer: str, file_type: FileType | None = None
) -> tuple[Records, int]:
    """The union by key; where both folders hold a key with different records, the preferred one wins.
    With `file_type`, records that differ only in the order of a set (multiple choice) are no conflict."""
    preferred, other = (records1, records2) if prefer == "first" else (records2, records1)
    same = same_json if file_type is None else lambda a, b: same_record(file_type, a, b)
    conflicts = sum(1 for k in preferred.keys() & other.keys() if not same(preferred[k], other[k]))
    return {**other, **preferred}, conflicts


def prepare_out_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise WorkspaceCompareError(f"{out} is not a folder")
    if out.is_dir() and any(out.iterdir()):
        raise WorkspaceCompareError(f"{out} is not empty; merge writes only into an empty or new folder")


def merge_workspace(folder1, folder2, out_folder, prefer="first") -> dict:
    """Merge two workspaces into `out_folder` and return the record counts summed over all types."""
    return merge_folders(folder1, folder2, out_folder, prefer=prefer).counts()


def merge_folders(folder1, folder2, out_folder, *, prefer="first") -> MergeResult:
    """merge_workspace with the per-type counts and where verify.py came from, for the command's report."""
    if prefer not in PREFER_CHOICES:
        raise WorkspaceCompareError(f'prefer must be "first" or "second", not {prefer!r}')
    first, second = require_folder(folder1), require_folder(folder2)
    out = Path(out_folder)
    prepare_out_folder(out)
    result = MergeResult(out)
    merged: dict[str, Records] = {}
    for name, file_type in FILE_TYPES.items():  # read and check everything before writing anything
        records1, records2 = load_records(first, file_type), load_records(second, file_type)
        merged[name], conflicts = merge_records(records1, records2, prefer, file_type)
        result.types[name] = TypeMerge(len(records1), len(records2), len(merged[name]), conflicts)
    write_workspace(out, merged)
    result.verify_source, result.verify_skipped = copy_verify(first, second, out, prefer)
    return result


def copy_verify(first: Path, second: Path, out: Path, prefer: str) -> tuple[Path | None, Path | None]:
    """Copy the preferred folder's verify.py (else the other's) so the merged groups keep their checks."""
    preferred, other = (first, second) if prefer == "first" else (second, first)
    candidates = [p / "verify.py" for p in (preferred, other) if (p / "verify.py").is_file()]
    if not candidates:
        return None, None
    shutil.copyfile(candidates[0], out / "verify.py")
    skipped = candidates[1] if len(candidates) == 2 else None
    if skipped is not None and skipped.read_bytes() == candidates[0].read_bytes():
        skipped = None
    return candidates[0], skipped


# --------------------------------------------------------------------------- writing in the export format


def write_workspace(out: Path, merged: dict[str, Records]) -> None:
    """Write the merged records in export_workspace's layout, file names and record order (WS-EXP-2..4)."""
    out.mkdir(parents=True, exist_ok=True)
    for sub in SUBFOLDERS:
        (out / sub).mkdir()
    for file_name in TOP_FILES:
        name = file_name.removesuffix(".json")
        (out / file_name).write_text(dumps(top_file_rows(name, merged[name])), encoding="utf-8")
    write_question_groups(out, merged["question_groups"])
    order = ProjectOrder(merged["projects"], merged["schemas"])
    options = list_options(merged.get("question_groups", {}))
    # project_name is the first key field of both subject types
    files = unique_slugs(list({k[0] for name in ("projects", *SUBJECT_TYPES) for k in merged[name]}))
    for name in SUBJECT_TYPES:
        for project, rows in order.by_project(merged[name]).items():
            rows = [_list_answers(row, in_option_order, options.get) for row in rows]
            (out / name / f"{files[project]}.json").write_text(dumps(rows), encoding="utf-8")


def list_options(groups: Records) -> dict[str, list]:
    """question text -> options, for the questions whose answers are lists (multiple choice)."""
    found = {}
    for record in groups.values():
        questions = record.get("questions") if isinstance(record, dict) else None
        for question in questions if isinstance(questions, list) else []:
            kind = question_types.find(question.get("qtype")) if isinstance(question, dict) else None
            if kind is not None and not kind.value_is_text and isinstance(question.get("text"), str):
                found[question["text"]] = question.get("options")
    return found


def top_file_rows(name: str, records: Records) -> list[dict]:
    """Sorted by key (code point order), except assignments: by project, then user, active before inactive."""
    if name == "assignments":
        return sorted(records.values(), key=_assignment_order)
    return [records[k] for k in sorted(records)]


def _assignment_order(record: dict) -> tuple:
    return (record["project_name"], record["user_name"], record.get("is_active", True) is not True, record["role"])


def write_question_groups(out: Path, records: Records) -> None:
    files = unique_slugs([title for (title,) in records])
    for (title,), record in sorted(records.items()):
        record = _list_defaults(record, in_option_order)
        (out / "question_groups" / f"{files[title]}.json").write_text(dumps(record), encoding="utf-8")


SUBJECT_TYPES = ("annotations", "ground_truths")  # one file per project


class ProjectOrder:
    """Orders a project's annotations and ground truths as the exporter does: by the video's position in the
    project, then the group's position in its schema, then user. Records naming a video or group the merged
    project or schema does not list come after the others, by name."""

    def __init__(self, projects: Records, schemas: Records):
        self.videos = {name: _video_positions(p) for (name,), p in projects.items()}
        schema_groups = {name: _group_positions(s) for (name,), s in schemas.items()}
        self.groups = {name: schema_groups.get(p.get("schema_name"), {}) for (name,), p in projects.items()}

    def sort_key(self, key: Key, record: dict) -> tuple:
        project = record["project_name"]
        video = _rank(self.videos.get(project, {}), record["video_uid"])
        group = _rank(self.groups.get(project, {}), record["question_group_title"])
        return (video, group, key)  # the rest of the key orders annotations by user

    def by_project(self, records: Records) -> dict[str, list[dict]]:
        grouped = defaultdict(list)
        for key, record in records.items():
            grouped[record["project_name"]].append((self.sort_key(key, record), record))
        return {project: [r for _, r in sorted(rows, key=lambda row: row[0])] for project, rows in grouped.items()}


def _rank(positions: dict[str, int], name: str) -> tuple:
    return (0, positions[name], "") if name in positions else (1, 0, name)


def _video_positions(project: dict) -> dict[str, int]:
    videos = project.get("videos")
    positions: dict[str, int] = {}
    for i, item in enumerate(videos if isinstance(videos, list) else []):
        uid = item.get("video_uid") if isinstance(item, dict) else item
        if isinstance(uid, str):
            positions.setdefault(uid, i)
    return positions


def _group_positions(schema: dict) -> dict[str, int]:
    names = schema.get("question_group_names")
    positions: dict[str, int] = {}
    for i, name in enumerate(names if isinstance(names, list) else []):
        if isinstance(name, str):
            positions.setdefault(name, i)
    return positions


# --------------------------------------------------------------------------- command output


def format_table(rows: list[tuple[str, ...]]) -> str:
    """The commands' summary tables: the first column left-aligned, the counts right-aligned."""
    width = max(len(row[0]) for row in rows) + 2
    return "\n".join(row[0].ljust(width) + "".join(cell.rjust(11) for cell in row[1:]) for row in rows)
