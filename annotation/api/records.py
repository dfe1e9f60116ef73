"""Bulk writes of the API (API-5): a JSON list of records applied all-or-nothing.

Each record's shape is checked, then its natural keys are resolved inside the caller's scope (an unknown
project and a project the caller has no role in give the same 404 message, SEC-4). The lookups of the
whole request are made up front, a few queries in all (Batch.prefetch). The resolved records then go to
annotation.bulk_writes, which applies the portals' rules to the whole batch in a fixed number of queries
(issue 16.8). Every error is collected with its index and field; if there is any, the transaction is
rolled back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from rest_framework.exceptions import ValidationError

from annotation import bulk_writes
from annotation.bulk_writes import GroupWrite, ReviewWrite
from annotation.ground_truth import Conflict
from annotation.models import Answer, GroundTruthHistory
from annotation.progress import GroupLayout, schema_layouts
from annotation.refusals import NotAllowed, SubmissionRefused
from catalog.api.conventions import error, flatten
from catalog.api.permissions import visible_projects
from catalog.models import Project, ProjectVideo, Question, User, Video
from catalog.question_types import UnknownQuestionType, find

MAX_RECORDS = 1000
CREATED, UPDATED, UNCHANGED = bulk_writes.CREATED, bulk_writes.UPDATED, bulk_writes.UNCHANGED


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
            # Shape errors are found before the batch's domain refusals: list them all by record.
            return {"errors": sorted(self.errors, key=lambda e: e["index"])}
        counts = {s: sum(r["status"] == s for r in self.results) for s in (CREATED, UPDATED, UNCHANGED)}
        return {**counts, "results": sorted(self.results, key=lambda r: r["index"])}

    def add(self, index: int, problems: list[RecordError]) -> None:
        for p in problems:
            self.errors.append(error(p.message, field=p.field, index=index))
            self.statuses.add(p.status)


class Batch:
    """One request's lookups, made for every record at once by `prefetch` (a few queries in all) and
    then served from memory; a name missing from the prefetch is looked up on its own."""

    def __init__(self, user: User):
        self.user = user
        self._projects: dict[str, Project | None] = {}
        self._layouts: dict[int, list[GroupLayout]] = {}
        self._links: dict[tuple[int, str], ProjectVideo | None] = {}
        self._users: dict[str, User | None] = {}
        self._reviewing: set[int] | None = None

    def prefetch(self, records: list) -> None:
        """Projects, layouts, project videos and answer authors named anywhere in the request."""

        def texts(key: str) -> set[str]:
            return {r[key] for r in records if isinstance(r, dict) and isinstance(r.get(key), str)}

        names = texts("project_name")
        found = {p.name: p for p in visible_projects(self.user).select_related("schema").filter(name__in=names)}
        self._projects.update({name: found.get(name) for name in names})
        self._layouts.update(schema_layouts({p.schema_id for p in found.values()}))
        uids = texts("video_uid")
        if found and uids:
            for key in ((p.pk, uid) for p in found.values() for uid in uids):
                self._links[key] = None
            for link in ProjectVideo.objects.select_related("video").filter(
                project__in=list(found.values()), video__video_uid__in=uids
            ):
                self._links[(link.project_id, link.video.video_uid)] = link
        authors = texts("user_name")
        if authors:
            found_users = {u.user_id: u for u in User.objects.filter(user_id__in=authors)}
            self._users.update({name: found_users.get(name) for name in authors})

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
            self._layouts.update(schema_layouts([project.schema_id]))
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

    def may_review(self, project: Project) -> bool:
        """can_review for every project of the request, in one query."""
        if self._reviewing is None:
            projects = [p for p in self._projects.values() if p is not None]
            self._reviewing = bulk_writes.projects_with_role(self.user, projects, bulk_writes.REVIEWING)
        if project.pk not in {p.pk for p in self._projects.values() if p is not None}:
            return project.pk in bulk_writes.projects_with_role(self.user, [project], bulk_writes.REVIEWING)
        return project.pk in self._reviewing


def run(
    user: User,
    data,
    *,
    shape: type,
    resolve: Callable[[Batch, dict], object],
    key: Callable[[object], tuple],
    apply: Callable[[User, list], list],
) -> Outcome:
    """Check, resolve and apply every record in one transaction; roll it back if any record fails.

    `apply` takes the resolved records and returns, per record, its status or its refusal.
    """
    outcome = Outcome()
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_RECORDS:
        outcome.errors.append(error(f"expected a JSON list of 1 to {MAX_RECORDS} records"))
        outcome.statuses.add(400)
        return outcome
    batch = Batch(user)
    batch.prefetch(data)
    seen: dict[tuple, int] = {}
    targets: list[tuple[int, object]] = []
    # One serializer for every record: building one per record (its fields deep-copied each time) was
    # most of the Python time of a 1,000-record batch.
    checker = shape()
    with transaction.atomic():
        for index, raw in enumerate(data):
            try:
                validated = checker.run_validation(raw)
            except ValidationError as exc:
                outcome.errors += flatten(exc.detail, index=index)
                outcome.statuses.add(400)
                continue
            try:
                target = resolve(batch, validated)
                k = key(target)
                if k in seen:
                    raise RecordError("", f"the same record as index {seen[k]}: each key may appear once per request")
                seen[k] = index
            except RecordErrors as exc:
                outcome.add(index, exc.errors)
            except RecordError as exc:
                outcome.add(index, [exc])
            else:
                targets.append((index, target))
        if targets:
            results = apply(user, [t for _, t in targets])
            for (index, _), result in zip(targets, results, strict=True):
                if isinstance(result, Exception):
                    outcome.add(index, [_record_error(result)])
                else:
                    outcome.results.append({"index": index, "status": result})
        if outcome.errors:
            transaction.set_rollback(True)
    return outcome


def _record_error(exc: Exception) -> RecordError:
    """A domain refusal as a record error on the field it concerns."""
    if isinstance(exc, RecordError):
        return exc
    if isinstance(exc, Conflict):
        return RecordError("version", str(exc), exc.status)
    if isinstance(exc, NotAllowed):
        return RecordError("project_name", str(exc), exc.status)
    if isinstance(exc, SubmissionRefused):  # value checks, verification, the training lock, the overridden lock
        return RecordError("answers", str(exc), exc.status)
    raise exc


# --------------------------------------------------------------------------- one group on one video


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


def _resolve_group_record(batch: Batch, data: dict, *, ground_truth: bool) -> GroupWrite:
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
    values = _stored_values({by_text[t]: v for t, v in data["answers"].items()})
    return GroupWrite(
        project=project,
        video=video,
        group=group.group,
        questions=group.questions,
        values=values,
        confidence={by_text[t]: s for t, s in (data.get("confidence_scores") or {}).items()},
        version=data.get("version"),
    )


def _stored_values(given: dict[Question, object]) -> dict[Question, object]:
    """The JSON values in their stored form (`kind.to_stored`: a multiple-choice list becomes its canonical text),
    each refusal on the field `answers.<question text>`. A type the code no longer knows keeps the value as given,
    for the write functions to refuse in their words."""
    stored, problems = {}, []
    for question, value in given.items():
        kind = find(question.qtype)
        try:
            stored[question] = value if kind is None else kind.to_stored(question, value)
        except ValueError as exc:
            problems.append(RecordError(f"answers.{question.text}", str(exc)))
    if problems:
        raise RecordErrors(problems)
    return stored


def resolve_annotation(batch: Batch, data: dict) -> GroupWrite:
    return _resolve_group_record(batch, data, ground_truth=False)


def resolve_ground_truth(batch: Batch, data: dict) -> GroupWrite:
    return _resolve_group_record(batch, data, ground_truth=True)


def group_key(t: GroupWrite) -> tuple:
    return (t.project.pk, t.video.pk, t.group.pk)


def apply_annotations(user: User, targets: list[GroupWrite]) -> list:
    """The caller's own answers, with confidence scores (absent = null, SYNC-ANN-8)."""
    return bulk_writes.submit_answer_batch(user=user, items=targets)


def apply_ground_truths(user: User, targets: list[GroupWrite]) -> list:
    """Reviewer semantics (PORTAL-REV-6/7, DM-GT-3), with the optional stale check (PORTAL-REV-12)."""
    return bulk_writes.set_ground_truth_batch(user=user, items=targets, source=GroundTruthHistory.Source.REVIEW)


def apply_overrides(user: User, targets: list[GroupWrite]) -> list:
    """Admin override semantics (PORTAL-META-4); the reviewer attribution is kept."""
    return bulk_writes.override_ground_truth_batch(user=user, items=targets, source=GroundTruthHistory.Source.OVERRIDE)


# --------------------------------------------------------------------------- reviews of description answers


@dataclass(frozen=True)
class ReviewTarget:
    """A review record resolved to its answer's key; the answers are loaded for the whole batch."""

    project: Project
    video: Video
    question: Question
    author: User | None
    user_name: str
    status: str


def resolve_review(batch: Batch, data: dict) -> ReviewTarget:
    project = batch.project(data["project_name"])
    if not batch.may_review(project):
        # Before looking the answer up, so that a non-reviewer learns nothing about others' answers.
        raise RecordError("project_name", "you may not review answers in this project", 403)
    problems: list[RecordError] = []
    video = _collect(problems, batch.video, project, data["video_uid"])
    question = _collect(problems, batch.question, project, data["question_text"])
    if question is not None:
        try:
            if not question.kind.is_reviewed:
                problems.append(RecordError("question_text", "only answers to description questions can be reviewed"))
        except UnknownQuestionType as e:
            problems.append(RecordError("question_text", f'question "{question.text}": {e}'))
    if problems:
        raise RecordErrors(problems)
    author = batch.author(data["user_name"])
    return ReviewTarget(project, video, question, author, data["user_name"], data["status"])


def review_key(t: ReviewTarget) -> tuple:
    return (t.project.pk, t.video.pk, t.question.pk, t.user_name)


def apply_reviews(user: User, targets: list[ReviewTarget]) -> list:
    """Each record's answer, loaded in one query, then approved, rejected or reset (DM-REV)."""
    authors = [t.author.pk for t in targets if t.author is not None]
    answers = {
        (a.project_id, a.video_id, a.question_id, a.user_id): a
        for a in Answer.objects.select_related("project", "video", "review").filter(
            project_id__in={t.project.pk for t in targets},
            video_id__in={t.video.pk for t in targets},
            question_id__in={t.question.pk for t in targets},
            user_id__in=authors,
        )
    }
    results: list = [None] * len(targets)
    found: list[tuple[int, ReviewWrite]] = []
    for i, t in enumerate(targets):
        answer = answers.get((t.project.pk, t.video.pk, t.question.pk, t.author.pk)) if t.author else None
        if answer is None:
            results[i] = RecordError("user_name", f'"{t.user_name}" has no answer to this question on this video', 404)
        else:
            found.append((i, ReviewWrite(answer, t.status)))
    for (i, _), result in zip(found, bulk_writes.review_batch(user=user, items=[w for _, w in found]), strict=True):
        results[i] = result
    return results
