"""Bulk writes of the API (API-5): a JSON list of records applied all-or-nothing.

Each record's natural keys are resolved inside the caller's scope (an unknown project and a project the
caller has no role in give the same 404 message, SEC-4). The record then goes through the portals' own
write functions (submit_answers, set_ground_truth, override_ground_truth and the reviewer's review
path), so the rules live in one place. Every error is collected with its index and field; if there is
any, the whole transaction is rolled back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from annotation.ground_truth import Conflict, override_ground_truth, review_answer, set_ground_truth
from annotation.models import Answer, GroundTruth
from annotation.progress import GroupLayout, schema_layout
from annotation.submission import NotAllowed, SubmissionRefused, TrainingLocked, VerificationFailed, submit_answers
from catalog.api.conventions import error, flatten
from catalog.api.permissions import visible_projects
from catalog.models import Project, ProjectVideo, Question, QuestionGroup, User, Video
from catalog.permissions import can_review

MAX_RECORDS = 1000
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RecordError(Exception):
    """One problem with one record: the field it is about and the HTTP status it stands for."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


class RecordErrors(Exception):
    def __init__(self, errors: list[RecordError]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Outcome:
    """What a bulk write did: per-record statuses on success, or every error (and the HTTP status)."""

    results: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def status(self) -> int:
        """200; or the one status all errors share (403, 404, 409); or 400 when they differ."""
        if not self.errors:
            return 200
        return self.statuses.pop() if len(self.statuses) == 1 else 400

    def body(self) -> dict:
        if self.errors:
            return {"errors": self.errors}
        counts = {s: sum(r["status"] == s for r in self.results) for s in (CREATED, UPDATED, UNCHANGED)}
        return {**counts, "results": self.results}


class Batch:
    """One request's lookups, cached: many records usually name the same project, videos and groups."""

    def __init__(self, user: User):
        self.user = user
        self._projects: dict[str, Project | None] = {}
        self._layouts: dict[int, list[GroupLayout]] = {}
        self._links: dict[tuple[int, str], ProjectVideo | None] = {}
        self._users: dict[str, User | None] = {}

    def project(self, name: str) -> Project:
        if name not in self._projects:
            self._projects[name] = visible_projects(self.user).select_related("schema").filter(name=name).first()
        project = self._projects[name]
        if project is None:
            raise RecordError("project_name", f'no project "{name}"', 404)
        return project

    def video(self, project: Project, uid: str) -> Video:
        key = (project.pk, uid)
        if key not in self._links:
            self._links[key] = (
                ProjectVideo.objects.select_related("video").filter(project=project, video__video_uid=uid).first()
            )
        link = self._links[key]
        if link is None:
            raise RecordError("video_uid", f'video "{uid}" is not in project "{project.name}"', 404)
        if not link.video.is_active:
            raise RecordError("video_uid", f'video "{uid}" is archived', 403)
        return link.video

    def layout(self, project: Project) -> list[GroupLayout]:
        if project.schema_id not in self._layouts:
            self._layouts[project.schema_id] = schema_layout(project.schema_id)
        return self._layouts[project.schema_id]

    def group(self, project: Project, title: str) -> GroupLayout:
        for g in self.layout(project):
            if g.group.title == title:
                return g
        raise RecordError("question_group_title", f'question group "{title}" is not in project "{project.name}"', 404)

    def question(self, project: Project, text: str) -> Question:
        for g in self.layout(project):
            for q in g.questions:
                if q.text == text:
                    return q
        raise RecordError("question_text", f'question "{text}" is not in project "{project.name}"', 404)

    def author(self, user_id: str) -> User | None:
        if user_id not in self._users:
            self._users[user_id] = User.objects.filter(user_id=user_id).first()
        return self._users[user_id]


def run(
    user: User,
    data,
    *,
    shape: type,
    resolve: Callable[[Batch, dict], object],
    key: Callable[[object], tuple],
    apply: Callable[[User, object], str],
) -> Outcome:
    """Validate, resolve and apply every record in one transaction; roll it back if any record fails."""
    outcome = Outcome()
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_RECORDS:
        outcome.errors.append(error(f"expected a JSON list of 1 to {MAX_RECORDS} records"))
        outcome.statuses.add(400)
        return outcome
    batch = Batch(user)
    seen: dict[tuple, int] = {}
    with transaction.atomic():
        for index, raw in enumerate(data):
            record = shape(data=raw)
            if not record.is_valid():
                outcome.errors += flatten(record.errors, index=index)
                outcome.statuses.add(400)
                continue
            try:
                target = resolve(batch, record.validated_data)
                k = key(target)
                if k in seen:
                    raise RecordError("", f"the same record as index {seen[k]}: each key may appear once per request")
                seen[k] = index
                status = _domain(apply, user, target)
            except RecordErrors as exc:
                problems = exc.errors
            except RecordError as exc:
                problems = [exc]
            else:
                outcome.results.append({"index": index, "status": status})
                continue
            for p in problems:
                outcome.errors.append(error(p.message, field=p.field, index=index))
                outcome.statuses.add(p.status)
        if outcome.errors:
            transaction.set_rollback(True)
    return outcome


def _domain(apply, user, target) -> str:
    """Run a domain write and turn its refusals into record errors on the field they concern."""
    try:
        return apply(user, target)
    except VerificationFailed as exc:
        raise RecordError("answers", str(exc)) from None
    except Conflict as exc:
        raise RecordError("version", str(exc), exc.status) from None
    except NotAllowed as exc:
        raise RecordError("project_name", str(exc), exc.status) from None
    except SubmissionRefused as exc:  # value checks, the training lock, the overridden lock
        raise RecordError("answers", str(exc), exc.status) from None


# --------------------------------------------------------------------------- one group on one video


@dataclass(frozen=True)
class GroupTarget:
    project: Project
    video: Video
    group: QuestionGroup
    questions: tuple[Question, ...]
    values: dict[Question, str]
    confidence: dict[Question, float | None]
    version: str | None = None


def _collect(problems: list[RecordError], lookup, *args):
    """`lookup(*args)`, or None with its error added to `problems`, so one record reports every problem."""
    try:
        return lookup(*args)
    except RecordError as exc:
        problems.append(exc)
        return None


def _keys_problem(expected: list[str], given, *, subset: bool = False) -> str | None:
    """SYNC-ANN-4/5: `missing: "…"; unexpected: "…"` against the group's question texts."""
    missing = [] if subset else [t for t in expected if t not in given]
    unexpected = [t for t in given if t not in expected]
    parts = [
        f"{label}: " + ", ".join(f'"{t}"' for t in texts)
        for label, texts in (("missing", missing), ("unexpected", unexpected))
        if texts
    ]
    return "; ".join(parts) or None


def _resolve_group_record(batch: Batch, data: dict, *, ground_truth: bool) -> GroupTarget:
    problems: list[RecordError] = []
    user = batch.user
    if "user_name" in data and data["user_name"] != user.user_id:
        problems.append(RecordError("user_name", f'must be your own user_id ("{user.user_id}")', 403))
    if data.get("is_ground_truth", ground_truth) is not ground_truth:
        where = "/api/ground-truth/" if not ground_truth else "/api/annotations/"
        problems.append(RecordError("is_ground_truth", f"must be {str(ground_truth).lower()}; use {where}"))
    try:
        project = batch.project(data["project_name"])
    except RecordError as exc:
        raise RecordErrors([*problems, exc]) from None
    video = _collect(problems, batch.video, project, data["video_uid"])
    group = _collect(problems, batch.group, project, data["question_group_title"])
    if group is not None:
        texts = [q.text for q in group.questions]
        problem = _keys_problem(texts, data["answers"])
        if problem:
            problems.append(RecordError("answers", problem))
        scores = data.get("confidence_scores") or {}
        problem = _keys_problem(texts, scores, subset=True)
        if problem:
            problems.append(RecordError("confidence_scores", problem))
    if problems:
        raise RecordErrors(problems)
    by_text = {q.text: q for q in group.questions}
    return GroupTarget(
        project=project,
        video=video,
        group=group.group,
        questions=group.questions,
        values={by_text[t]: v for t, v in data["answers"].items()},
        confidence={by_text[t]: s for t, s in (data.get("confidence_scores") or {}).items()},
        version=data.get("version"),
    )


def resolve_annotation(batch: Batch, data: dict) -> GroupTarget:
    return _resolve_group_record(batch, data, ground_truth=False)


def resolve_ground_truth(batch: Batch, data: dict) -> GroupTarget:
    return _resolve_group_record(batch, data, ground_truth=True)


def group_key(t: GroupTarget) -> tuple:
    return (t.project.pk, t.video.pk, t.group.pk)


def apply_annotation(user: User, t: GroupTarget) -> str:
    """The caller's own answers, with confidence scores (absent = null, SYNC-ANN-8)."""
    existing = {
        a.question_id: a
        for a in Answer.objects.filter(project=t.project, video=t.video, user=user, question__in=t.questions)
    }
    try:
        result = submit_answers(
            user=user, project=t.project, video=t.video, group=t.group, values=t.values, confidence=t.confidence
        )
    except TrainingLocked:
        # Re-posting an identical record is "unchanged" (API-5), even where a change would be locked.
        same = all(
            q.pk in existing
            and existing[q.pk].value == t.values[q]
            and existing[q.pk].confidence_score == t.confidence.get(q)
            for q in t.questions
        )
        if same:
            return UNCHANGED
        raise
    if not result.written:
        return UNCHANGED
    return UPDATED if existing else CREATED


def apply_ground_truth(user: User, t: GroupTarget) -> str:
    """Reviewer semantics (PORTAL-REV-6/7, DM-GT-3), with the optional stale check (PORTAL-REV-12)."""
    existed = GroundTruth.objects.filter(project=t.project, video=t.video, question__in=t.questions).exists()
    result = set_ground_truth(
        user=user,
        project=t.project,
        video=t.video,
        group=t.group,
        values=t.values,
        version=t.version,
        confidence=t.confidence,
    )
    if result.nothing_changed:
        return UNCHANGED
    return UPDATED if existed else CREATED


def apply_override(user: User, t: GroupTarget) -> str:
    """Admin override semantics (PORTAL-META-4); the reviewer attribution is kept."""
    result = override_ground_truth(
        user=user,
        project=t.project,
        video=t.video,
        group=t.group,
        values=t.values,
        version=t.version,
        confidence=t.confidence,
    )
    return UNCHANGED if result.nothing_changed else UPDATED


# --------------------------------------------------------------------------- reviews of description answers


@dataclass(frozen=True)
class ReviewTarget:
    answer: Answer
    status: str


def resolve_review(batch: Batch, data: dict) -> ReviewTarget:
    project = batch.project(data["project_name"])
    if not can_review(batch.user, project):
        # Before looking the answer up, so that a non-reviewer learns nothing about others' answers.
        raise RecordError("project_name", "you may not review answers in this project", 403)
    problems: list[RecordError] = []
    video = _collect(problems, batch.video, project, data["video_uid"])
    question = _collect(problems, batch.question, project, data["question_text"])
    if question is not None and question.is_single:
        problems.append(RecordError("question_text", "only answers to description questions can be reviewed"))
    if problems:
        raise RecordErrors(problems)
    author = batch.author(data["user_name"])
    answer = (
        Answer.objects.select_related("project", "video", "question", "review")
        .filter(project=project, video=video, question=question, user=author)
        .first()
        if author is not None
        else None
    )
    if answer is None:
        raise RecordError("user_name", f'"{data["user_name"]}" has no answer to this question on this video', 404)
    return ReviewTarget(answer, data["status"])


def review_key(t: ReviewTarget) -> tuple:
    return (t.answer.pk,)


@transaction.atomic
def apply_review(user: User, t: ReviewTarget) -> str:
    before = getattr(t.answer, "review", None)
    if not review_answer(user=user, answer=t.answer, status=t.status):
        return UNCHANGED
    return CREATED if before is None else UPDATED
