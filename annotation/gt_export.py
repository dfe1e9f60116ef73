"""Ground-truth export of selected projects (EXPORT-GT): validate everything first, then build JSON rows or an
Excel sheet.

Loading takes a fixed number of queries whatever the number of projects, videos or questions; validation and row
building are plain Python over what was loaded. The admin Export page, `manage.py export_ground_truth` and
`syncing.helpers.export_projects_ground_truth` all go through `prepare_export`, so they refuse the same exports.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from annotation.forms import display_for
from annotation.models import GroundTruth
from annotation.progress import GroupLayout
from catalog.models import CustomDisplay, Project, ProjectVideo, Question, QuestionGroupQuestion, SchemaQuestionGroup

if TYPE_CHECKING:
    from openpyxl import Workbook

# openpyxl is imported where a workbook is built: it costs ~0.3 s of start-up to every process that
# imports this module through the admin (every manage.py command), and only Excel exports use it.

FORMATS = {"json": ".json", "excel": ".xlsx"}
SHEET_TITLE = "Ground Truth"
NO_DATA = "No data to export"
MAX_LISTED = 10  # EXPORT-GT-2: an error names at most this many videos, then the total
MAX_COLUMN_WIDTH = 60  # EXPORT-GT-5
MAX_ID = 2**63 - 1

REUSABLE_ISSUE = "inconsistent reusable GT"
OVERLAP_ISSUE = "overlapping non-reusable group"
REUSABLE_FIX = (
    "Make the ground truth identical in these projects (Search → video answer editor), or export them separately."
)
OVERLAP_FIX = "Export these projects separately."
REPORT_SHEET_TITLE = "Export errors"
REPORT_COLUMNS = ("video_uid", "issue", "question_group", "question", "details", "how to fix")

Progress = Callable[[str, int, int], None]  # (step, done, total)


class ExportValidationError(ValueError):
    """The selection cannot be exported; `validation` holds every failure (EXPORT-GT-2)."""

    def __init__(self, validation: Validation):
        self.validation = validation
        super().__init__("\n".join(validation.failures))


@dataclass(frozen=True)
class ReportRow:
    """One row of the error report (EXPORT-GT-3)."""

    video_uid: str
    issue: str
    question_group: str
    question: str
    details: str
    how_to_fix: str

    def cells(self) -> tuple[str, ...]:
        return (self.video_uid, self.issue, self.question_group, self.question, self.details, self.how_to_fix)


@dataclass
class Validation:
    failures: list[str] = field(default_factory=list)  # one line each, in the order the checks ran
    report_rows: list[ReportRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failing_video_count(self) -> int:
        return len({row.video_uid for row in self.report_rows})


@dataclass
class Loaded:
    """What the export reads, for the selected active projects, in the order they were given."""

    projects: list[Project]
    layouts: dict[int, list[GroupLayout]]  # schema id -> groups with their questions, in order
    gt: dict[tuple[int, int, int], str]  # (project, video, question) -> value; active videos, Q(P) only
    videos: dict[int, tuple[str, str]]  # video id -> (uid, url) for the active videos with GT
    members: dict[int, dict[int, str]]  # project id -> {active video id: uid}, for the overlap check only
    customs: dict[tuple[int, int, int], CustomDisplay]  # only for schemas with has_custom_display

    def questions_of(self, project: Project) -> list[Question]:
        """Q(P): schema group order, then group question order (DM-DER-2)."""
        return [q for layout in self.layouts.get(project.schema_id, []) for q in layout.questions]


@dataclass
class Export:
    """A validated (or refused) selection: `rows()` and the writers need `validation.ok`."""

    loaded: Loaded
    validation: Validation

    @property
    def projects(self) -> list[Project]:
        return self.loaded.projects

    def rows(self, progress: Progress | None = None) -> list[dict]:
        if not self.validation.ok:
            raise ExportValidationError(self.validation)
        return build_rows(self.loaded, progress=progress)

    def question_texts(self) -> list[str]:
        """The global question order of EXPORT-GT-4, as question texts."""
        return [question.text for question, _ in question_order(self.loaded)]


# --------------------------------------------------------------------------- loading


def resolve_projects(refs: Iterable[Project | int | str] | Project | int | str) -> tuple[list[Project], list[str]]:
    """Projects by name or numeric id, in the order given, duplicates dropped; plus EXPORT-GT-2.1 failures.

    A string is a name first; only a string that names no project and is all digits is read as an id.
    """
    refs = [refs] if isinstance(refs, str | int | Project) else list(refs)
    names = {str(r) for r in refs if not isinstance(r, Project)}
    ids = {int(r.pk if isinstance(r, Project) else r) for r in refs if isinstance(r, Project | int)}
    ids |= {int(n) for n in names if n.isdecimal()}
    ids = {i for i in ids if 0 < i <= MAX_ID}  # SQLite overflows on larger numbers; no project has them
    found = Project.objects.filter(name__in=names) | Project.objects.filter(pk__in=ids)
    by_name, by_id = {}, {}
    for project in found.select_related("schema"):
        by_name[project.name] = by_id[project.pk] = project
    projects: list[Project] = []
    failures: list[str] = []
    seen: set[int] = set()
    for ref in refs:
        if isinstance(ref, Project | int):
            project = by_id.get(int(ref.pk if isinstance(ref, Project) else ref))
        else:
            project = by_name.get(str(ref)) or (by_id.get(int(ref)) if str(ref).isdecimal() else None)
        if project is None:
            failures.append(f"Project {str(ref)!r} does not exist.")
        elif project.pk in seen:
            continue
        elif not project.is_active:
            seen.add(project.pk)
            failures.append(f"Project {project.name!r} is archived; unarchive it to export it.")
        else:
            seen.add(project.pk)
            projects.append(project)
    return projects, failures


def load(projects: Sequence[Project]) -> Loaded:
    """At most five queries: schema groups, group questions, active members (when two projects share a
    non-reusable group), GT rows, custom displays (when a schema has custom display)."""
    ids = [p.pk for p in projects]
    schema_ids = {p.schema_id for p in projects}
    groups: dict[int, list] = defaultdict(list)
    for m in SchemaQuestionGroup.objects.filter(schema_id__in=schema_ids).select_related("group").order_by("position"):
        groups[m.schema_id].append(m.group)
    questions: dict[int, list[Question]] = defaultdict(list)
    group_ids = {g.pk for gs in groups.values() for g in gs}
    for m in (
        QuestionGroupQuestion.objects.filter(group_id__in=group_ids).select_related("question").order_by("position")
    ):
        questions[m.group_id].append(m.question)
    layouts = {sid: [GroupLayout(g, tuple(questions[g.pk])) for g in gs] for sid, gs in groups.items()}

    # Memberships matter only to the overlap check, so only projects sharing a non-reusable group load them.
    sharing = Counter(g.pk for p in projects for g in groups[p.schema_id] if not g.is_reusable)
    overlapping = [p.pk for p in projects if any(sharing[g.pk] > 1 for g in groups[p.schema_id] if not g.is_reusable)]
    members: dict[int, dict[int, str]] = {pid: {} for pid in ids}
    if overlapping:
        links = ProjectVideo.objects.of_active_videos().filter(project_id__in=overlapping)
        for pid, vid, uid in links.values_list("project_id", "video_id", "video__video_uid"):
            members[pid][vid] = uid

    in_schema = {p.pk: {q.pk for layout in layouts.get(p.schema_id, []) for q in layout.questions} for p in projects}
    gt: dict[tuple[int, int, int], str] = {}
    videos: dict[int, tuple[str, str]] = {}
    rows = (
        GroundTruth.objects.on_active_videos()
        .filter(project_id__in=ids)
        .values_list("project_id", "video_id", "question_id", "value", "video__video_uid", "video__url")
    )
    for pid, vid, qid, value, uid, url in rows.iterator(chunk_size=5000):
        if qid in in_schema[pid]:  # DM-DER-2: only Q(P) counts
            gt[pid, vid, qid] = value
            videos[vid] = (uid, url)

    custom_ids = [p.pk for p in projects if p.schema.has_custom_display]  # DM-SCH-4: otherwise ignored
    customs = {
        (c.project_id, c.video_id, c.question_id): c
        for c in (CustomDisplay.objects.filter(project_id__in=custom_ids) if custom_ids else ())
    }
    return Loaded(list(projects), layouts, gt, videos, members, customs)


def prepare_export(refs: Iterable[Project | int | str]) -> Export:
    """Resolve, load and validate (EXPORT-GT-2). Nothing is written; check `export.validation.ok`."""
    projects, failures = resolve_projects(refs)
    loaded = load(projects)
    validation = validate(loaded)
    if not projects and not failures:
        failures.append("No projects selected.")
    validation.failures[:0] = failures
    return Export(loaded, validation)


# --------------------------------------------------------------------------- validation


def _projects_by_group(loaded: Loaded) -> dict[int, tuple[GroupLayout, list[Project]]]:
    """Group id -> (group layout, the selected projects whose schema uses it, in the order given)."""
    found: dict[int, tuple[GroupLayout, list[Project]]] = {}
    for project in loaded.projects:
        for layout in loaded.layouts.get(project.schema_id, []):
            found.setdefault(layout.group.pk, (layout, []))[1].append(project)
    return found


def validate(loaded: Loaded) -> Validation:
    """EXPORT-GT-2.2 and 2.3, every failure collected; 2.1 (existence) is `resolve_projects`' job."""
    validation = Validation()
    by_question: dict[int, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for (pid, vid, qid), value in loaded.gt.items():
        by_question[qid][vid][pid] = value
    for layout, projects in _projects_by_group(loaded).values():
        if len(projects) < 2:
            continue
        if layout.group.is_reusable:
            _check_reusable(loaded, layout, projects, by_question, validation)
        else:
            _check_overlap(loaded, layout, projects, validation)
    return validation


def _listed(items: list[str], total: int) -> str:
    more = f" … and {total - len(items)} more" if total > len(items) else ""
    return "; ".join(items) + more


def _check_reusable(
    loaded: Loaded,
    layout: GroupLayout,
    projects: list[Project],
    by_question: dict[int, dict[int, dict[int, str]]],
    validation: Validation,
) -> None:
    """GT for the questions of a reusable group must be identical across the projects that hold it."""
    found: list[tuple[str, int, Question, str]] = []  # (uid, position in group, question, details)
    for position, question in enumerate(layout.questions):
        for vid, held in by_question.get(question.pk, {}).items():
            values = {p.name: held[p.pk] for p in projects if p.pk in held}
            if len(values) < 2 or len(set(values.values())) == 1:
                continue
            shown = {name: question.kind.to_external(question, value) for name, value in values.items()}
            details = "; ".join(f"{name} → {value!r}" for name, value in shown.items())  # a list: ['pan', 'zoom']
            found.append((loaded.videos[vid][0], position, question, details))
    failing: dict[str, list[str]] = {}
    for uid, _, question, details in sorted(found, key=lambda f: (f[0], f[1])):
        failing.setdefault(uid, []).append(f"{question.text}: {details}")
        validation.report_rows.append(
            ReportRow(uid, REUSABLE_ISSUE, layout.group.title, question.text, details, REUSABLE_FIX)
        )
    if failing:
        listed = [f"{uid} ({' | '.join(parts)})" for uid, parts in list(failing.items())[:MAX_LISTED]]
        validation.failures.append(
            f"Reusable group {layout.group.title!r}: ground truth differs across projects on {len(failing)} "
            f"video(s): {_listed(listed, len(failing))}"
        )


def _check_overlap(loaded: Loaded, layout: GroupLayout, projects: list[Project], validation: Validation) -> None:
    """Projects sharing a non-reusable group (so a schema) may share no active video."""
    question_ids = [q.pk for q in layout.questions]
    for a, b in combinations(projects, 2):
        shared = sorted(loaded.members[a.pk].keys() & loaded.members[b.pk].keys(), key=loaded.members[a.pk].get)
        if not shared:
            continue
        uids = [loaded.members[a.pk][vid] for vid in shared]
        validation.failures.append(
            f"Non-reusable group {layout.group.title!r} is in projects {a.name!r} and {b.name!r}, which share "
            f"{len(uids)} active video(s): {_listed(uids[:MAX_LISTED], len(uids))}"
        )
        for vid, uid in zip(shared, uids, strict=True):
            details = "; ".join(f"{p.name} → {_gt_summary(loaded, p, vid, question_ids)}" for p in (a, b))
            validation.report_rows.append(
                ReportRow(uid, OVERLAP_ISSUE, layout.group.title, "(every question of the group)", details, OVERLAP_FIX)
            )


def _gt_summary(loaded: Loaded, project: Project, video_id: int, question_ids: list[int]) -> str:
    done = sum((project.pk, video_id, qid) in loaded.gt for qid in question_ids)
    return f"GT for {done}/{len(question_ids)} question(s)" if done else "no GT"


# --------------------------------------------------------------------------- rows (EXPORT-GT-4)


def question_order(loaded: Loaded) -> list[tuple[Question, list[Project]]]:
    """Every question with GT, by first appearance: projects in the order given, each in Q(P) order; with the
    projects holding it, in that order."""
    with_gt = {qid for (_, _, qid) in loaded.gt}
    order: dict[int, tuple[Question, list[Project]]] = {}
    for project in loaded.projects:
        for question in loaded.questions_of(project):
            if question.pk in with_gt:
                order.setdefault(question.pk, (question, []))[1].append(project)
    return list(order.values())


def build_rows(loaded: Loaded, progress: Progress | None = None) -> list[dict]:
    """One entry per active video with GT, by video_uid; the first project in the given order holding a question
    for the video supplies its value and display strings (equal values after validation). Values are given as the
    workspace writes them (`kind.to_external`: a list of option values for a multiple-choice question) and shown
    as people read them (`kind.shown_value`: "Pan; Zoom", "None of these")."""
    order = question_order(loaded)
    videos = sorted(loaded.videos.items(), key=lambda item: item[1][0])
    rows = []
    for i, (vid, (uid, url)) in enumerate(videos, 1):
        answers, texts, labels = {}, {}, {}
        for question, projects in order:
            project = next((p for p in projects if (p.pk, vid, question.pk) in loaded.gt), None)
            if project is None:
                continue
            value = loaded.gt[project.pk, vid, question.pk]
            shown = display_for(
                question,
                loaded.customs.get((project.pk, vid, question.pk)),
                use_custom=project.schema.has_custom_display,
            )
            answers[question.text] = shown.kind.to_external(question, value)  # a list for multiple choice
            texts[question.text] = shown.text
            labels[question.text] = shown.kind.shown_value(value, dict(shown.options))
        rows.append(
            {
                "video_uid": uid,
                "url": url,
                "answers": answers,
                "question_display_text": texts,
                "answer_display_values": labels,
            }
        )
        if progress is not None and (i % 500 == 0 or i == len(videos)):
            progress("Building rows", i, len(videos))
    return rows


# --------------------------------------------------------------------------- files


def json_bytes(rows: list[dict]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()


def _cell_text(value) -> str:
    # openpyxl refuses control characters, and would store "=…" as a formula: keep text as text.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet(workbook: Workbook, title: str, header: Sequence[str], body: Iterable[Sequence]) -> None:
    from openpyxl.styles import Font

    sheet = workbook.active
    sheet.title = title
    widths = [len(h) for h in header]
    sheet.append(list(header))
    for row in body:
        sheet.append([_cell_text(v) for v in row])
        for i, value in enumerate(row):
            if value:
                widths[i] = max(widths[i], max(len(line) for line in str(value).splitlines() or [""]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, MAX_COLUMN_WIDTH)


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel_bytes(rows: list[dict], questions: Sequence[str]) -> bytes:
    """EXPORT-GT-5: one "Ground Truth" sheet; Video UID, URL, then Q{i}: text / Q{i} Answer per question, in the
    global question order (which the rows alone cannot tell: each holds only its own questions)."""
    from openpyxl import Workbook

    workbook = Workbook()
    if not rows:
        workbook.active.title = SHEET_TITLE
        workbook.active["A1"] = NO_DATA
        return _workbook_bytes(workbook)
    header = ["Video UID", "URL"]
    for i, text in enumerate(questions):
        header += [f"Q{i}: {text}", f"Q{i} Answer"]
    body = []
    for row in rows:
        cells = [row["video_uid"], row["url"]]
        for text in questions:
            cells += [row["question_display_text"].get(text), row["answer_display_values"].get(text)]
        body.append(cells)
    _sheet(workbook, SHEET_TITLE, header, body)
    return _workbook_bytes(workbook)


def error_report_bytes(validation: Validation) -> bytes:
    """EXPORT-GT-3: one row per failing video and issue, with the values per project and how to fix it."""
    from openpyxl import Workbook

    workbook = Workbook()
    _sheet(workbook, REPORT_SHEET_TITLE, REPORT_COLUMNS, (row.cells() for row in validation.report_rows))
    return _workbook_bytes(workbook)


def file_bytes(export: Export, rows: list[dict], fmt: str) -> bytes:
    return json_bytes(rows) if fmt == "json" else excel_bytes(rows, export.question_texts())


def output_path(output: str | os.PathLike, fmt: str) -> Path:
    """EXPORT-GT-1: the extension is corrected to .json or .xlsx."""
    path = Path(output)
    ext = FORMATS[fmt]
    return path if path.suffix.lower() == ext else path.with_suffix(ext)


def write_file(data: bytes, path: Path) -> None:
    """Create missing folders, then replace the file in one step: a failed write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def export_projects(
    refs: Iterable[Project | int | str],
    *,
    fmt: str = "json",
    output: str | os.PathLike | None = None,
    progress: Progress | None = None,
) -> tuple[list[dict], Path | None]:
    """Validate, build the rows and, when `output` is given, write them; raise ExportValidationError first if
    anything fails, so nothing is written then."""
    check_format(fmt)
    export = prepare_export(refs)
    rows = export.rows(progress=progress)
    if output is None:
        return rows, None
    path = output_path(output, fmt)
    write_file(file_bytes(export, rows, fmt), path)
    return rows, path
