"""Write a converted plan into this database: per table, create what is new and update what changed.

Rows are matched by natural key (and references through natural keys), so a second import of the same
source writes nothing and an import after the source moved on writes only the difference. Source rows that
were removed are not deleted here (the original archives; its hard deletes are not replayed). Timestamps are
the source's: the models' auto_now / auto_now_add are off while the import writes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, identify_hasher, is_password_usable, make_password
from django.db import connection
from django.utils import timezone

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from syncing.labelpizza_import.convert import Plan
from syncing.parallel import in_threads

BATCH = 2000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# Our table -> the original's table it comes from, for the report.
SOURCE_TABLE = {
    "users": "users",
    "videos": "videos",
    "questions": "questions",
    "question_groups": "question_groups",
    "group_questions": "question_group_questions",
    "schemas": "schemas",
    "schema_groups": "schema_question_groups",
    "projects": "projects",
    "project_videos": "project_videos",
    "assignments": "project_user_roles",
    "project_groups": "project_groups",
    "project_group_projects": "project_group_projects",
    "custom_displays": "project_video_question_displays",
    "answers": "annotator_answers",
    "reviews": "answer_reviews",
    "ground_truths": "reviewer_ground_truth",
}
TIMESTAMPED = (User, Video, Question, Schema, Project, ProjectGroup, CustomDisplay)


# Plain columns only (no JSON): on PostgreSQL these are created with COPY, several times faster than INSERT
# for the tens of thousands of answers a deployment holds. Their ids are not needed afterwards: later tables
# look rows up by natural key.
COPIED = (Answer, AnswerReview, GroundTruth, GroundTruthHistory, Assignment, ProjectVideo)


def create(model, objs: list) -> None:
    if connection.vendor != "postgresql" or model not in COPIED or not objs:
        model._default_manager.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, inside Django's transaction
        with raw.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([getattr(obj, f.attname) for f in fields])


@contextmanager
def source_timestamps():
    """Let the source's created_at / updated_at through: auto_now(_add) would replace them with now."""
    switched = []
    for model in TIMESTAMPED:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Writer:
    def __init__(self, plan: Plan, progress: Callable[[str, int, int], None]):
        self.plan = plan
        self.progress = progress
        self.counts: dict[str, Counts] = {}
        self.now = timezone.now()

    # ------------------------------------------------------------------ the generic upsert

    def upsert(
        self, table: str, model, key_fields: tuple[str, ...], rows: list[dict], fields: list[str], existing=None
    ):
        """Create rows whose key is new, update rows whose `fields` differ; returns nothing, counts in .counts."""
        counts = self.counts.setdefault(table, Counts())
        if existing is None:
            existing = model._default_manager.values("pk", *key_fields, *fields)
        old_rows = {tuple(r[f] for f in key_fields): r for r in existing}
        creates, updates = [], []
        for row in rows:
            old = old_rows.get(tuple(row[f] for f in key_fields))
            if old is None:
                creates.append(model(**row))
            elif any(old[f] != row[f] for f in fields):
                updates.append(model(pk=old["pk"], **row))
            else:
                counts.unchanged += 1
        total = len(creates) + len(updates)
        for start in range(0, len(creates), BATCH):
            create(model, creates[start : start + BATCH])
            self.progress(table, start + len(creates[start : start + BATCH]), total)
        if updates and fields:
            for start in range(0, len(updates), BATCH):
                model._default_manager.bulk_update(updates[start : start + BATCH], fields)
                self.progress(table, len(creates) + start + len(updates[start : start + BATCH]), total)
        counts.created += len(creates)
        counts.updated += len(updates)
        return creates, updates

    @staticmethod
    def ids(model, field: str) -> dict:
        return dict(model._default_manager.values_list(field, "pk"))

    # ------------------------------------------------------------------ tables, in dependency order

    def run(self) -> dict[str, Counts]:
        rows = self.plan.rows
        with source_timestamps():
            self.users(rows["users"])
            self.simple("videos", Video, "video_uid", rows["videos"])
            self.simple("questions", Question, "text", rows["questions"])
            self.question_groups(rows["question_groups"])
            self.links(
                "group_questions",
                QuestionGroupQuestion,
                rows["group_questions"],
                {"group": (QuestionGroup, "title"), "question": (Question, "text")},
                ["position"],
            )
            self.simple("schemas", Schema, "name", rows["schemas"])
            self.links(
                "schema_groups",
                SchemaQuestionGroup,
                rows["schema_groups"],
                {"schema": (Schema, "name"), "group": (QuestionGroup, "title")},
                ["position"],
            )
            self.simple("projects", Project, "name", rows["projects"], refs={"schema": (Schema, "name")})
            self.links(
                "project_videos",
                ProjectVideo,
                rows["project_videos"],
                {"project": (Project, "name"), "video": (Video, "video_uid")},
                ["position", "added_at"],
            )
            self.links(
                "assignments",
                Assignment,
                rows["assignments"],
                {"project": (Project, "name"), "user": (User, "user_id")},
                ["user_weight", "is_active", "assigned_at", "completed_at"],
                extra_key=("role",),
            )
            self.simple("project_groups", ProjectGroup, "name", rows["project_groups"])
            self.links(
                "project_group_projects",
                ProjectGroupProject,
                rows["project_group_projects"],
                {"project_group": (ProjectGroup, "name"), "project": (Project, "name")},
                [],
            )
            self.links(
                "custom_displays",
                CustomDisplay,
                rows["custom_displays"],
                {"project": (Project, "name"), "video": (Video, "video_uid"), "question": (Question, "text")},
                ["custom_display_text", "custom_option_display_map", "created_at", "updated_at"],
            )
            self.answers(rows["answers"])
            self.reviews(rows["reviews"])
            self.ground_truths(rows["ground_truths"])
        from catalog.roles import ensure_global_admin_rows

        added = ensure_global_admin_rows()  # DM-ROLE-5, which the original kept by convention only
        if added:
            self.plan.notes.append(f"{added} role(s) added or re-activated: every active admin holds every role here")
        return self.counts

    def simple(self, table: str, model, key: str, rows: list[dict], refs: dict | None = None):
        refs = refs or {}
        maps = {name: self.ids(*target) for name, target in refs.items()}
        out = []
        for row in rows:
            row = dict(row)
            for name in refs:
                row[f"{name}_id"] = maps[name][row.pop(name)]
            out.append(row)
        fields = [f for f in (out[0] if out else {}) if f != key]
        self.upsert(table, model, (key,), out, fields)

    def links(self, table, model, rows, refs: dict, fields: list[str], extra_key: tuple[str, ...] = ()):
        maps = {name: self.ids(*target) for name, target in refs.items()}
        out = []
        for row in rows:
            row = dict(row)
            for name in refs:
                row[f"{name}_id"] = maps[name][row.pop(name)]
            out.append(row)
        key = tuple(f"{name}_id" for name in refs) + extra_key
        self.upsert(table, model, key, out, fields)

    def users(self, rows: list[dict]):
        existing = {u["user_id"]: u for u in User.objects.values("pk", "user_id", "password")}
        out, to_check, to_hash = [], [], []
        for row in rows:
            row = dict(row)
            plain, old = row.pop("password"), existing.get(row["user_id"])
            if row["user_type"] == "model":
                kept = old is not None and not is_password_usable(old["password"])
                row["password"] = old["password"] if kept else make_password(None)
            elif _is_django_hash(plain):
                row["password"] = plain
            elif old is not None and is_password_usable(old["password"]):
                to_check.append((row, plain, old["password"]))
            else:
                to_hash.append((row, plain))
            row["is_staff"] = row["is_superuser"] = row["user_type"] == "admin" and row["is_active"]
            out.append(row)
        # Each check and hash is one default-cost PBKDF2 run (never a cheaper hasher, issue 16.5), which releases
        # the GIL: run them on every core at once.
        same = in_threads(lambda item: check_password(item[1], item[2]), to_check)
        for (row, plain, stored), matches in zip(to_check, same, strict=True):
            if matches:
                row["password"] = stored  # the same password: keep its hash
            else:
                to_hash.append((row, plain))
        for (row, _), hashed in zip(to_hash, in_threads(make_password, [plain for _, plain in to_hash]), strict=True):
            row["password"] = hashed
        fields = ["email", "password", "user_type", "is_active", "is_staff", "is_superuser", "created_at", "updated_at"]
        self.upsert("users", User, ("user_id",), out, fields)

    def question_groups(self, rows: list[dict]):
        # The original keeps no timestamps on question groups: a new group is stamped now, an existing one kept.
        out = [{**row, "created_at": self.now, "updated_at": self.now} for row in rows]
        fields = ["display_title", "description", "is_reusable", "is_auto_submit", "verification_function", "is_active"]
        creates, updates = self.upsert("question_groups", QuestionGroup, ("title",), out, fields)
        if updates:
            QuestionGroup.objects.bulk_update(updates, ["updated_at"])

    def _answer_scope(self, rows: list[dict]):
        projects, videos = self.ids(Project, "name"), self.ids(Video, "video_uid")
        questions, users = self.ids(Question, "text"), self.ids(User, "user_id")
        return projects, videos, questions, users

    def answers(self, rows: list[dict]):
        projects, videos, questions, users = self._answer_scope(rows)
        out = []
        for row in rows:
            row = dict(row)
            project, video, question, user = row.pop("key")
            out.append(
                {
                    **row,
                    "project_id": projects[project],
                    "video_id": videos[video],
                    "question_id": questions[question],
                    "user_id": users[user],
                }
            )
        fields = ["value", "confidence_score", "created_at", "modified_at"]
        project_ids = {r["project_id"] for r in out}
        existing = Answer.objects.filter(project_id__in=project_ids).values(
            "pk", "project_id", "video_id", "question_id", "user_id", *fields
        )
        self.upsert("answers", Answer, ("project_id", "video_id", "question_id", "user_id"), out, fields, existing)

    def reviews(self, rows: list[dict]):
        projects, videos, questions, users = self._answer_scope(rows)
        project_ids = {projects[r["answer"][0]] for r in rows}
        answer_ids = {
            (p, v, q, u): pk
            for p, v, q, u, pk in Answer.objects.filter(project_id__in=project_ids).values_list(
                "project_id", "video_id", "question_id", "user_id", "pk"
            )
        }
        out = []
        for row in rows:
            project, video, question, user = row["answer"]
            answer_id = answer_ids[(projects[project], videos[video], questions[question], users[user])]
            out.append(
                {
                    "answer_id": answer_id,
                    "status": row["status"],
                    "reviewer_id": users[row["reviewer"]],
                    "reviewed_at": row["reviewed_at"],
                }
            )
        fields = ["status", "reviewer_id", "reviewed_at"]
        existing = AnswerReview.objects.filter(answer__project_id__in=project_ids).values("pk", "answer_id", *fields)
        self.upsert("reviews", AnswerReview, ("answer_id",), out, fields, existing)

    def ground_truths(self, rows: list[dict]):
        projects, videos, questions, users = self._answer_scope(rows)
        out = []
        for row in rows:
            row = dict(row)
            project, video, question = row.pop("key")
            reviewer, admin = row.pop("reviewer"), row.pop("overridden_by")
            out.append(
                {
                    **row,
                    "project_id": projects[project],
                    "video_id": videos[video],
                    "question_id": questions[question],
                    "reviewer_id": users[reviewer],
                    "overridden_by_id": users[admin] if admin else None,
                }
            )
        fields = [
            "value",
            "reviewer_id",
            "reviewer_value",
            "overridden_by_id",
            "overridden_at",
            "confidence_score",
            "created_at",
            "modified_at",
        ]
        project_ids = {r["project_id"] for r in out}
        existing = GroundTruth.objects.filter(project_id__in=project_ids).values(
            "pk", "project_id", "video_id", "question_id", *fields
        )
        creates, updates = self.upsert(
            "ground_truths", GroundTruth, ("project_id", "video_id", "question_id"), out, fields, existing
        )
        history = _history(creates, updates)
        for start in range(0, len(history), BATCH):
            create(GroundTruthHistory, history[start : start + BATCH])


def _history(creates: list[GroundTruth], updates: list[GroundTruth]) -> list[GroundTruthHistory]:
    """The GT history the reviewer portal shows: when each imported value was set, and by whom."""
    Kind, Source = GroundTruthHistory.Kind, GroundTruthHistory.Source  # noqa: N806

    def entry(gt, kind, actor_id, at, old, new):
        return GroundTruthHistory(
            project_id=gt.project_id,
            video_id=gt.video_id,
            question_id=gt.question_id,
            at=at,
            actor_id=actor_id,
            source=Source.SYNC,
            kind=kind,
            old_value=old,
            new_value=new,
            reviewer_after_id=gt.reviewer_id,
            overridden_by_after_id=gt.overridden_by_id,
        )

    out = []
    for gt in creates:
        out.append(entry(gt, Kind.CREATED, gt.reviewer_id, gt.created_at, None, gt.reviewer_value))
        if gt.overridden_by_id:
            out.append(entry(gt, Kind.OVERRIDDEN, gt.overridden_by_id, gt.overridden_at, gt.reviewer_value, gt.value))
    for gt in updates:
        actor = gt.overridden_by_id or gt.reviewer_id
        out.append(entry(gt, Kind.CHANGED, actor, gt.modified_at, None, gt.value))
    return out


def _is_django_hash(value: str) -> bool:
    try:
        identify_hasher(value)
    except ValueError:
        return False
    return True
