"""Set-based writes of many groups at once: the API's bulk endpoints (API-5; issue 16, points 7 and 8).

The portals write one group on one video through annotation.submission and annotation.ground_truth. A
bulk request of up to 1,000 records used to call those once per record, a dozen queries each, holding
its row locks for the whole time (26 s for annotations, 52 s for GT). Here a batch costs a fixed number
of queries, whatever its size: permissions, existing rows and figures are read once for the batch, and
the changes are decided by the planners every writer uses (annotation.planning) and saved with
bulk_create and labelpizza.row_updates.update_rows.

Locks: every (project, video) row of the batch is locked in one query, in primary-key order, after the
verification functions ran (issue 16.9). Two batches touching the same videos in different orders then
queue instead of deadlocking.

Each function returns, per item, "created", "updated" or "unchanged", or the refusal (a SubmissionRefused
or VerificationFailed) that item met. It writes only when no item was refused; the caller's transaction
rolls back everything else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from annotation.completion import recompute_completion, set_answer_completion
from annotation.ground_truth import (
    REVIEW_TOKEN_FIELDS,
    check_not_overridden,
    check_overridable,
    digest,
    scores_by_text,
    stale_version,
    write_gt_plan,
)
from annotation.models import Answer, AnswerReview, GroundTruth
from annotation.planning.answers import load_answers, plan_answers
from annotation.planning.ground_truth import GT_KEY, GT_ROW, merge_plans, plan_override, plan_review
from annotation.planning.reviews import CREATE, DELETE, review_change, wanted_review
from annotation.progress import project_figures
from annotation.submission import NotAllowed, SubmissionRefused, TrainingLocked, answer_objects, check_values
from annotation.verification import VerificationFailed, as_given, verify_answers
from catalog.models import Assignment, Project, ProjectVideo, Question, QuestionGroup, User, Video
from catalog.verification import get_registry
from labelpizza.row_updates import update_rows

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
Role = Assignment.Role
ANSWERING = [Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN, Role.MODEL]
REVIEWING = [Role.REVIEWER, Role.ADMIN]


@dataclass(frozen=True)
class GroupWrite:
    """One group's values on one video; `questions` are the group's, in order."""

    project: Project
    video: Video
    group: QuestionGroup
    questions: tuple[Question, ...]
    values: dict[Question, str]
    confidence: dict[Question, float | None] | None = None
    version: str | None = None


@dataclass(frozen=True)
class ReviewWrite:
    answer: Answer  # with project, video and review selected
    status: str  # approved, rejected or pending (pending deletes the review)


Result = str | SubmissionRefused | VerificationFailed


def projects_with_role(user: User, projects, roles) -> set[int]:
    """DM-ROLE-8 for many projects in one query: those where `user` holds an active row in `roles`."""
    active = {p.pk for p in projects if p.is_active}
    if not user.is_active or not active:
        return set()
    return set(
        Assignment.objects.active()
        .for_user(user)
        .filter(project_id__in=active, role__in=roles)
        .values_list("project_id", flat=True)
    )


def lock_videos(pairs) -> set[tuple[int, int]]:
    """Lock the (project, video) rows in primary-key order, in one query, and return the pairs found.

    The one order is what prevents deadlocks between batches (PostgreSQL locks rows as the sorted scan
    returns them). SQLite has no row locks: its IMMEDIATE transactions already run writers one at a time.
    """
    pairs = set(pairs)
    if not pairs:
        return set()
    rows = (
        ProjectVideo.objects.select_for_update()
        .filter(project_id__in={p for p, _ in pairs}, video_id__in={v for _, v in pairs})
        .order_by("pk")
        .values_list("project_id", "video_id")
    )
    return {row for row in rows if row in pairs}


def _precheck(items: list[GroupWrite], results: list, allowed: set[int], refusal: str) -> None:
    """Permission, values and verification, before any lock (issue 16.9)."""
    registry = get_registry()
    for i, item in enumerate(items):
        try:
            if item.project.pk not in allowed:
                raise NotAllowed(refusal)
            check_values(list(item.questions), item.values)
            verify_answers(registry, item.group.verification_function, as_given(item.values))
        except (SubmissionRefused, VerificationFailed) as exc:
            results[i] = exc


def _lock(items: list[GroupWrite], results: list) -> None:
    live = lock_videos((item.project.pk, item.video.pk) for item in items)
    for i, item in enumerate(items):
        if results[i] is None and ((item.project.pk, item.video.pk) not in live or not item.video.is_active):
            results[i] = NotAllowed("this video is not an active video of the project")


def _scope(items) -> dict:
    return {
        "project_id__in": {i.project.pk for i in items},
        "video_id__in": {i.video.pk for i in items},
        "question_id__in": {q.pk for i in items for q in i.questions},
    }


def _refused(results) -> bool:
    return any(isinstance(r, Exception) for r in results)


# --------------------------------------------------------------------------- answers


def submit_answer_batch(*, user: User, items: list[GroupWrite]) -> list[Result]:
    """submit_answers for many groups at once. An identical repost in training mode is "unchanged",
    where a changed one is TrainingLocked (API-5)."""
    results: list = [None] * len(items)
    projects = {i.project.pk: i.project for i in items}
    allowed = projects_with_role(user, projects.values(), ANSWERING)
    _precheck(items, results, allowed, "you may not answer in this project")
    _lock(items, results)
    stored, stored_reviews = load_answers(Answer.objects.filter(user=user, **_scope(items)))
    figures = project_figures(list(projects.values()), user)
    now = timezone.now()
    created, changed, stale = [], [], []
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        scope = (item.project.pk, item.video.pk, user.pk)
        existing = {q.pk: stored[k] for q in item.questions if (k := (*scope[:2], q.pk, scope[2])) in stored}
        if figures[item.project.pk].training and len(existing) == len(item.questions):
            confidence = item.confidence or {}
            same = all(
                existing[q.pk][1] == item.values[q] and existing[q.pk][2] == confidence.get(q) for q in item.questions
            )
            results[i] = UNCHANGED if same else TrainingLocked("already submitted in training mode")
            continue
        plan = plan_answers(
            scope=scope,
            questions=[(q.pk, q.text) for q in item.questions],
            values={q.text: v for q, v in item.values.items()},
            scores=scores_by_text(item.confidence),
            reviews=None,
            existing=stored,
            stored_reviews=stored_reviews,
        )
        new, edited = answer_objects(plan, project_id=item.project.pk, video_id=item.video.pk, user_id=user.pk, now=now)
        created += new
        changed += edited
        stale += plan.review_deletes if plan is not None else []
        results[i] = UNCHANGED if plan is None else UPDATED if existing else CREATED
    if _refused(results):
        return results
    Answer.objects.bulk_create(created)
    update_rows(Answer, changed, ["value", "confidence_score", "modified_at"])
    if stale:
        AnswerReview.objects.filter(pk__in=stale).delete()
    grown = [projects[pk] for pk in {a.project_id for a in created}]
    for pk, after in project_figures(grown, user).items():  # DM-DER-7: only new answers change completion
        set_answer_completion(project=projects[pk], user=user, answered=after.answered, total=after.total, now=now)
    return results


# --------------------------------------------------------------------------- ground truth


def _version_conflicts(items: list[GroupWrite], results: list, stored: dict) -> None:
    """PORTAL-REV-12 for the items that carry a version: the token from the rows already loaded plus one
    query for the reviews, computed as ground_truth.version_token does."""
    checked = [i for i, item in enumerate(items) if results[i] is None and item.version is not None]
    if not checked:
        return
    scope = _scope([items[i] for i in checked])
    reviews = defaultdict(list)
    for row in AnswerReview.objects.filter(
        answer__project_id__in=scope["project_id__in"],
        answer__video_id__in=scope["video_id__in"],
        answer__question_id__in=scope["question_id__in"],
    ).values_list("answer__project_id", "answer__video_id", "answer__question_id", *REVIEW_TOKEN_FIELDS):
        reviews[row[:3]].append(row[3:])
    for i in checked:
        item = items[i]
        keys = [(item.project.pk, item.video.pk, q.pk) for q in item.questions]
        gt_rows = [(k[2], g[1], g[2], g[4], g[7]) for k in keys if (g := stored.get(k)) is not None]
        token = digest(gt_rows, [r for k in keys for r in reviews[k]])
        if token != item.version:
            results[i] = stale_version(item.project, item.video, item.group, list(item.questions))


def _stored_gt(items) -> dict:
    """{GT_KEY: GT_ROW + (modified_at,)}: the planners' rows, and the version token's timestamp."""
    return {
        row[:3]: row[3:]
        for row in GroundTruth.objects.filter(**_scope(items)).values_list(*GT_KEY, *GT_ROW, "modified_at")
    }


def _existing(item: GroupWrite, stored: dict) -> dict:
    """The item's stored rows, keyed as the planners look them up."""
    return {k: stored[k] for q in item.questions if (k := (item.project.pk, item.video.pk, q.pk)) in stored}


def set_ground_truth_batch(*, user: User, items: list[GroupWrite], source: str) -> list[Result]:
    """set_ground_truth (reviewer semantics, DM-GT-3, PORTAL-REV-7/12) for many groups at once."""
    results: list = [None] * len(items)
    projects = {i.project.pk: i.project for i in items}
    allowed = projects_with_role(user, projects.values(), REVIEWING)
    _precheck(items, results, allowed, "you may not set ground truth in this project")
    _lock(items, results)
    stored = _stored_gt(items)
    _version_conflicts(items, results, stored)
    now = timezone.now()
    plans = []
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        existing = _existing(item, stored)
        try:
            check_not_overridden(existing)
        except SubmissionRefused as exc:
            results[i] = exc
            continue
        plan = plan_review(
            video_key=(item.project.pk, item.video.pk),
            questions=[(q.pk, q.text) for q in item.questions],
            values={q.text: v for q, v in item.values.items()},
            scores=scores_by_text(item.confidence),
            reviewer_id=user.pk,
            existing=existing,
            source=source,
            at=now,
        )
        plans.append(plan)
        results[i] = UNCHANGED if not plan.changed else UPDATED if existing else CREATED
    if _refused(results):
        return results
    write_gt_plan(merge_plans(plans), now)
    if any(plan.creates for plan in plans):
        recompute_completion(project_ids={row[0] for plan in plans for row in plan.creates}, now=now)
    return results


def override_ground_truth_batch(*, user: User, items: list[GroupWrite], source: str) -> list[Result]:
    """override_ground_truth (PORTAL-META-4) for many groups at once; the reviewer attribution is kept."""
    results: list = [None] * len(items)
    projects = {i.project.pk: i.project for i in items}
    allowed = projects_with_role(user, projects.values(), REVIEWING) if user.is_global_admin else set()
    _precheck(items, results, allowed, "only global admins can override ground truth")
    _lock(items, results)
    stored = _stored_gt(items)
    _version_conflicts(items, results, stored)
    now = timezone.now()
    plans = []
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        existing = _existing(item, stored)
        try:
            check_overridable(existing, item.questions)
        except SubmissionRefused as exc:
            results[i] = exc
            continue
        plan = plan_override(
            video_key=(item.project.pk, item.video.pk),
            questions=[(q.pk, q.text) for q in item.questions],
            values={q.text: v for q, v in item.values.items()},
            scores=scores_by_text(item.confidence),
            admin_id=user.pk,
            existing=existing,
            source=source,
            at=now,
        )
        plans.append(plan)
        results[i] = UNCHANGED if not plan.changed else UPDATED
    if _refused(results):
        return results
    write_gt_plan(merge_plans(plans), now)
    return results


# --------------------------------------------------------------------------- reviews of description answers


def review_batch(*, user: User, items: list[ReviewWrite]) -> list[Result]:
    """review_answer (DM-REV) for many answers at once: approve, reject, or reset to pending."""
    results: list = [None] * len(items)
    projects = {i.answer.project_id: i.answer.project for i in items}
    allowed = projects_with_role(user, projects.values(), REVIEWING)
    for i, item in enumerate(items):
        if item.answer.project_id not in allowed:
            results[i] = NotAllowed("you may not review answers in this project")
    live = lock_videos((i.answer.project_id, i.answer.video_id) for i in items)
    now = timezone.now()
    create, update, delete = [], [], []
    for i, item in enumerate(items):
        answer = item.answer
        if results[i] is not None:
            continue
        if (answer.project_id, answer.video_id) not in live or not answer.video.is_active:
            results[i] = NotAllowed("this video is not an active video of the project")
            continue
        current = getattr(answer, "review", None)
        stored = (current.pk, current.status, current.reviewer_id) if current is not None else None
        change = review_change(stored, wanted_review(item.status, user.pk))
        if change is None:
            results[i] = UNCHANGED
            continue
        action, row = change
        if action == DELETE:
            delete.append(current.pk)
            results[i] = UPDATED
        elif action == CREATE:
            create.append(AnswerReview(answer=answer, status=item.status, reviewer=user, reviewed_at=now))
            results[i] = CREATED
        else:
            current.status, current.reviewer, current.reviewed_at = item.status, user, now
            update.append(current)
            results[i] = UPDATED
    if _refused(results):
        return results
    AnswerReview.objects.filter(pk__in=delete).delete()
    AnswerReview.objects.bulk_create(create)
    update_rows(AnswerReview, update, ["status", "reviewer", "reviewed_at"])
    return results
