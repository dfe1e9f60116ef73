"""Write the database back as a workspace folder in exactly the sync layout (WS-EXP-1..5).

Deterministic: sorted by key, fixed key order, 2-space JSON with a trailing newline, so exporting
the same database twice gives byte-identical folders and syncing the export back is a no-op. Keys
inside JSON fields (video metadata, custom option maps) are written in a stable order too, so the
same data exports to the same bytes from SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotation.models import Answer, AnswerReview, GroundTruth
from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectVideo,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from catalog.roles import EXPAND, LEVELS

TOP_FILES = ("videos.json", "users.json", "schemas.json", "projects.json", "project_groups.json", "assignments.json")
SUBFOLDERS = ("question_groups", "annotations", "ground_truths")


class ExportError(ValueError):
    pass


@dataclass
class ExportResult:
    folder: Path
    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    verification_functions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Exported workspace to {self.folder}"]
        lines += [f"  {name:<16}{n:>8}" for name, n in self.counts.items()]
        if self.verification_functions:
            lines.append("Verification functions used by the exported groups (verify.py is not written):")
            lines += [f"  {name}: {source}" for name, source in sorted(self.verification_functions.items())]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def slug(name: str) -> str:
    """WS-EXP-3: lowercase, non-alphanumerics to "_", no leading or trailing "_"."""
    return re.sub(r"[^0-9a-z]", "_", name.lower()).strip("_") or "unnamed"


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Later names in sort order get _2, _3, … when their slugs collide (WS-EXP-3)."""
    taken: dict[str, int] = {}
    out = {}
    for name in sorted(names):
        base = slug(name)
        taken[base] = taken.get(base, 0) + 1
        out[name] = base if taken[base] == 1 else f"{base}_{taken[base]}"
    return out


def sorted_keys(value):
    """A JSON field's value with every object's keys sorted, at any depth (issue 16.3).

    PostgreSQL's jsonb stores objects with its own key order and SQLite keeps the order written, so
    the order read back is not the order given; sorting makes exports byte-identical across engines.
    """
    if isinstance(value, dict):
        return {key: sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(item) for item in value]
    return value


def in_option_order(display_map: dict | None, options: list | None) -> dict | None:
    """A custom option map in the order of the question's options (then any other key, sorted)."""
    if display_map is None:
        return None
    order = {option: i for i, option in enumerate(options or [])}
    return {key: display_map[key] for key in sorted(display_map, key=lambda k: (order.get(k, len(order)), k))}


def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write(folder: Path, relative: str, data, result: ExportResult) -> None:
    path = folder / relative
    path.write_text(dumps(data), encoding="utf-8")
    result.files.append(relative)


def prepare_folder(folder: Path, *, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ExportError(f"{folder} is not empty; pass --force (force=True) to replace the exported files")
    folder.mkdir(parents=True, exist_ok=True)
    for name in SUBFOLDERS:
        sub = folder / name
        sub.mkdir(exist_ok=True)
        for old in sub.glob("*.json"):
            old.unlink()


# --------------------------------------------------------------------------- records


def video_records() -> list[dict]:
    return [
        {"video_uid": v.video_uid, "url": v.url, "is_active": v.is_active, "metadata": sorted_keys(v.metadata)}
        for v in Video.objects.order_by("video_uid")
    ]


def user_records() -> list[dict]:
    rows = []
    for u in User.objects.order_by("user_id"):
        is_model = u.user_type == User.UserType.MODEL
        rows.append(
            {
                "user_id": u.user_id,
                "email": None if is_model else u.email,
                # The stored hash, never plaintext; model users have no password (WS-EXP-2).
                "password": "" if is_model or not u.has_usable_password() else u.password,
                "user_type": u.user_type,
                "is_active": u.is_active,
            }
        )
    return sorted(rows, key=lambda r: r["user_id"])


def question_record(q) -> dict:
    """The question object of question_groups/*.json, as its type writes it (what sync reads back)."""
    return q.kind.definition(q)


def group_records() -> list[dict]:
    questions = defaultdict(list)
    for m in QuestionGroupQuestion.objects.select_related("question").order_by("group_id", "position"):
        questions[m.group_id].append(question_record(m.question))
    return [
        {
            "title": g.title,
            "display_title": g.display_title,
            "description": g.description,
            "is_reusable": g.is_reusable,
            "is_auto_submit": g.is_auto_submit,
            "verification_function": g.verification_function,
            "is_active": g.is_active,
            "questions": questions[g.pk],
        }
        for g in QuestionGroup.objects.order_by("title")
    ]


def schema_records() -> list[dict]:
    groups = defaultdict(list)
    for m in SchemaQuestionGroup.objects.select_related("group").order_by("schema_id", "position"):
        groups[m.schema_id].append(m.group.title)
    rows = [
        {
            "schema_name": s.name,
            "instructions_url": s.instructions_url or "",
            "question_group_names": groups[s.pk],
            "has_custom_display": s.has_custom_display,
            "is_active": s.is_active,
        }
        for s in Schema.objects.all()
    ]
    return sorted(rows, key=lambda r: r["schema_name"])


def _schema_questions() -> dict[int, list]:
    """schema id -> [(group, [questions in group order])] in tab order: Q(P) (DM-DER-2)."""
    members = defaultdict(list)
    for m in QuestionGroupQuestion.objects.select_related("question").order_by("group_id", "position"):
        members[m.group_id].append(m.question)
    out = defaultdict(list)
    for m in SchemaQuestionGroup.objects.select_related("group").order_by("schema_id", "position"):
        out[m.schema_id].append((m.group, members[m.group_id]))
    return out


def project_records(schema_questions) -> list[dict]:
    displays = defaultdict(dict)
    for cd in CustomDisplay.objects.all():
        displays[(cd.project_id, cd.video_id)][cd.question_id] = cd
    videos = defaultdict(list)
    for link in ProjectVideo.objects.select_related("video").order_by("project_id", "position", "id"):
        videos[link.project_id].append(link.video)
    rows = []
    for p in Project.objects.select_related("schema"):
        ordered_questions = [q for _, qs in schema_questions[p.schema_id] for q in qs]
        items = []
        for video in videos[p.pk]:
            shown = displays.get((p.pk, video.pk))
            if not shown:
                items.append(video.video_uid)
                continue
            entries = []
            for q in ordered_questions:
                cd = shown.get(q.pk)
                if cd is None:
                    continue
                entry = {"question_text": q.text, "custom_question": cd.custom_display_text}
                if q.kind.has_options:
                    entry["custom_option"] = in_option_order(cd.custom_option_display_map, q.options)
                entries.append(entry)
            items.append({"video_uid": video.video_uid, "questions": entries})
        rows.append(
            {
                "project_name": p.name,
                "schema_name": p.schema.name,
                "description": p.description,
                "is_active": p.is_active,
                "videos": items,
            }
        )
    return sorted(rows, key=lambda r: r["project_name"])


def project_group_records() -> list[dict]:
    rows = []
    for g in ProjectGroup.objects.prefetch_related("projects"):
        rows.append(
            {
                "project_group_name": g.name,
                "description": g.description,
                "projects": sorted(p.name for p in g.projects.all()),
                "is_active": g.is_active,
            }
        )
    return sorted(rows, key=lambda r: r["project_group_name"])


def _highest(roles: set[str]) -> str | None:
    if Assignment.Role.MODEL in roles:
        return Assignment.Role.MODEL
    for role in reversed(LEVELS):
        if role in roles:
            return role
    return None


def assignment_records() -> list[dict]:
    """One active record per pair at its level, plus an inactive record for a higher archived role."""
    pairs: dict[tuple, list] = defaultdict(list)
    for a in Assignment.objects.select_related("user", "project"):
        pairs[(a.project.name, a.user.user_id)].append(a)
    rows = []
    for (project, user_id), assignments in sorted(pairs.items()):
        user = assignments[0].user
        weight = assignments[0].user_weight
        active = {a.role for a in assignments if a.is_active}
        archived = {a.role for a in assignments if not a.is_active}
        record = {"user_name": user_id, "project_name": project, "role": None, "user_weight": weight}
        if user.user_type == User.UserType.ADMIN:
            if active and weight != 1.0:
                rows.append({**record, "role": Assignment.Role.ADMIN, "is_active": True})
            continue
        level = _highest(active)
        if level is not None:
            rows.append({**record, "role": level, "is_active": True})
            above = {r for r in archived if r in LEVELS and level in LEVELS and r not in EXPAND[level]}
            if above:
                rows.append({**record, "role": _highest(above), "is_active": False})
        elif archived:
            rows.append({**record, "role": _highest(archived), "is_active": False})
    return rows


def _external_values(questions, values) -> dict:
    """question text -> the value as the workspace writes it: the stored text, or for a list type (multiple
    choice) the JSON list `to_external` gives (what sync reads back to the same stored text)."""
    return {
        q.text: value if q.kind.value_is_text else q.kind.to_external(q, value)
        for q, value in zip(questions, values, strict=True)
    }


def annotation_records(project, schema_questions, positions, result: ExportResult) -> list[dict]:
    groups = schema_questions[project.schema_id]
    group_of = {q.pk: (i, g) for i, (g, qs) in enumerate(groups) for q in qs}
    reviews = {r.answer_id: r for r in AnswerReview.objects.filter(answer__project=project).select_related("reviewer")}
    by_record: dict[tuple, dict] = defaultdict(dict)
    for a in Answer.objects.filter(project=project).select_related("user", "video").iterator(chunk_size=2000):
        if a.question_id not in group_of:
            continue
        gi, group = group_of[a.question_id]
        by_record[(positions[(project.pk, a.video_id)], gi, a.user.user_id, a.video.video_uid)][a.question_id] = a
    rows = []
    for (_, gi, user_id, video_uid), answers in sorted(by_record.items()):
        group, questions = groups[gi]
        if len(answers) != len(questions):
            result.warnings.append(
                f"{project.name} / {video_uid} / {group.title} / {user_id}: partial answers not exported"
            )
            continue
        ordered = [answers[q.pk] for q in questions]
        record = {
            "question_group_title": group.title,
            "project_name": project.name,
            "user_name": user_id,
            "video_uid": video_uid,
            "answers": _external_values(questions, [a.value for a in ordered]),
        }
        scores = {
            q.text: a.confidence_score
            for q, a in zip(questions, ordered, strict=True)
            if a.confidence_score is not None
        }
        if scores:
            record["confidence_scores"] = scores
        verdicts = {
            q.text: {"status": reviews[a.pk].status, "reviewer_name": reviews[a.pk].reviewer.user_id}
            for q, a in zip(questions, ordered, strict=True)
            if a.pk in reviews
        }
        if verdicts:
            record["reviews"] = verdicts
        record["is_ground_truth"] = False
        rows.append(record)
    return rows


def ground_truth_records(project, schema_questions, positions, result: ExportResult) -> list[dict]:
    groups = schema_questions[project.schema_id]
    group_of = {q.pk: (i, g) for i, (g, qs) in enumerate(groups) for q in qs}
    by_record: dict[tuple, dict] = defaultdict(dict)
    rows_qs = GroundTruth.objects.filter(project=project).select_related("video", "reviewer", "overridden_by")
    for gt in rows_qs.iterator(chunk_size=2000):
        if gt.question_id not in group_of:
            continue
        gi, _ = group_of[gt.question_id]
        by_record[(positions[(project.pk, gt.video_id)], gi, gt.video.video_uid)][gt.question_id] = gt
    rows = []
    for (_, gi, video_uid), truths in sorted(by_record.items()):
        group, questions = groups[gi]
        if len(truths) != len(questions):
            result.warnings.append(f"{project.name} / {video_uid} / {group.title}: partial ground truth not exported")
            continue
        ordered = [truths[q.pk] for q in questions]
        record = {
            "question_group_title": group.title,
            "project_name": project.name,
            "user_name": ordered[0].reviewer.user_id,
            "video_uid": video_uid,
            "answers": _external_values(questions, [gt.value for gt in ordered]),
        }
        scores = {
            q.text: gt.confidence_score
            for q, gt in zip(questions, ordered, strict=True)
            if gt.confidence_score is not None
        }
        if scores:
            record["confidence_scores"] = scores
        overridden = [(q, gt) for q, gt in zip(questions, ordered, strict=True) if gt.overridden_by_id is not None]
        reviewer_answers = _external_values([q for q, _ in overridden], [gt.reviewer_value for _, gt in overridden])
        overrides = {
            q.text: {"admin_name": gt.overridden_by.user_id, "reviewer_answer": reviewer_answers[q.text]}
            for q, gt in overridden
        }
        if overrides:
            record["admin_overrides"] = overrides
        record["is_ground_truth"] = True
        rows.append(record)
    return rows


def export_workspace(folder_path, force: bool = False, quiet: bool = False) -> ExportResult:
    """Write the database into `folder_path` in the sync layout (WS-EXP-1)."""
    from catalog.verification import get_registry

    folder = Path(folder_path)
    prepare_folder(folder, force=force)
    result = ExportResult(folder)
    progress = sys.stdout.isatty() and not quiet

    def step(name):
        if progress:
            sys.stdout.write(f"\rexporting {name}…" + " " * 20)
            sys.stdout.flush()

    step("videos")
    tables = {"videos.json": video_records()}
    step("users")
    tables["users.json"] = user_records()
    step("question groups")
    groups = group_records()
    step("schemas")
    tables["schemas.json"] = schema_records()
    schema_questions = _schema_questions()
    step("projects")
    tables["projects.json"] = project_records(schema_questions)
    tables["project_groups.json"] = project_group_records()
    step("assignments")
    tables["assignments.json"] = assignment_records()
    for name, rows in tables.items():
        _write(folder, name, rows, result)
        result.counts[name.removesuffix(".json").replace("_", " ")] = len(rows)
    group_files = unique_slugs([g["title"] for g in groups])
    for g in groups:
        _write(folder, f"question_groups/{group_files[g['title']]}.json", g, result)
    result.counts["question groups"] = len(groups)
    positions = {
        (link.project_id, link.video_id): link.position
        for link in ProjectVideo.objects.only("project_id", "video_id", "position")
    }
    projects = list(Project.objects.order_by("name"))
    project_files = unique_slugs([p.name for p in projects])
    n_ann = n_gt = 0
    for p in projects:
        step(f"answers of {p.name}")
        annotations = annotation_records(p, schema_questions, positions, result)
        if annotations:
            _write(folder, f"annotations/{project_files[p.name]}.json", annotations, result)
            n_ann += len(annotations)
        truths = ground_truth_records(p, schema_questions, positions, result)
        if truths:
            _write(folder, f"ground_truths/{project_files[p.name]}.json", truths, result)
            n_gt += len(truths)
    result.counts["annotations"] = n_ann
    result.counts["ground truths"] = n_gt
    if progress:
        sys.stdout.write("\r" + " " * 60 + "\r")
    registry = get_registry()
    for g in groups:
        name = g["verification_function"]
        if name:
            result.verification_functions[name] = registry.sources.get(name, "(not registered)")
    return result
