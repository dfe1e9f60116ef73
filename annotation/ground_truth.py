"""Ground-truth writes of the portals: reviewer submit (with description reviews) and admin override.

The one write path for GT from the portals (their auto-submit included) and the REST API: permission and
archive checks, the overridden lock, the version token against lost updates (PORTAL-REV-12), verification,
history rows (DM-HIST) and completion timestamps, all in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from annotation.completion import recompute_completion
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.planning.ground_truth import GT_UPDATE, GTPlan, existing_rows, gt_objects, plan_override, plan_review
from annotation.planning.gt_history import history_objects
from annotation.planning.reviews import CREATE, DELETE, STATUSES, review_change, wanted_review
from annotation.progress import project_figures
from annotation.submission import NotAllowed, SubmissionRefused, check_values
from annotation.verification import as_given, verify_answers
from catalog.models import Project, ProjectVideo, Question, QuestionGroup, User, Video
from catalog.permissions import can_review
from catalog.verification import get_registry
from labelpizza.row_updates import update_rows

Source = GroundTruthHistory.Source
REVIEW_STATES = STATUSES


class Conflict(SubmissionRefused):
    """PORTAL-REV-12: someone changed this group's GT or reviews after the form was loaded."""

    status = 409


class OverriddenLock(SubmissionRefused):
    """PORTAL-REV-7: reviewers cannot write a group an admin has overridden."""

    status = 409


@dataclass(frozen=True)
class GTResult:
    changed: int  # GT rows created, changed or re-attributed
    reviews_changed: int
    gt_progress_before: float
    gt_progress_after: float
    scores_changed: int = 0  # rows whose only change is the confidence score (API writes)

    @property
    def nothing_changed(self) -> bool:
        return not self.changed and not self.reviews_changed and not self.scores_changed

    @property
    def just_completed(self) -> bool:
        """PORTAL-PRJ-11: the reviewer notice appears only when this write completed the project's GT."""
        return self.gt_progress_before < 100 <= self.gt_progress_after


GT_TOKEN_FIELDS = ("question_id", "value", "reviewer_id", "overridden_by_id", "modified_at")
REVIEW_TOKEN_FIELDS = ("answer_id", "status", "reviewer_id", "reviewed_at")


def digest(gt_rows, review_rows) -> str:
    """The version token of one (project, video, group) from its GT and review tuples (any order)."""
    return hashlib.sha256(repr((sorted(gt_rows), sorted(review_rows))).encode()).hexdigest()[:20]


def version_token(project: Project, video: Video, questions: list[Question]) -> str:
    """PORTAL-REV-12: changes whenever a GT row or a review of the group on the video changes (two queries).

    Pages compute the same digest from rows they already loaded (review_cards), so the token costs
    them no query.
    """
    gt = GroundTruth.objects.filter(project=project, video=video, question__in=questions).values_list(*GT_TOKEN_FIELDS)
    reviews = AnswerReview.objects.filter(
        answer__project=project, answer__video=video, answer__question__in=questions
    ).values_list(*REVIEW_TOKEN_FIELDS)
    return digest(gt, reviews)


def _last_change(project, video, questions) -> str:
    """ "changed by <user> at <time>" for the conflict message, from history or the newest review."""
    entry = (
        GroundTruthHistory.objects.filter(project=project, video=video, question__in=questions)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    review = (
        AnswerReview.objects.filter(answer__project=project, answer__video=video, answer__question__in=questions)
        .select_related("reviewer")
        .order_by("-reviewed_at")
        .first()
    )
    candidates = [(e.at, e.actor) for e in [entry] if e] + [(r.reviewed_at, r.reviewer) for r in [review] if r]
    if not candidates:
        return "changed by someone"
    at, actor = max(candidates, key=lambda c: c[0])
    who = actor.display_name if actor else "someone"
    return f"changed by {who} at {timezone.localtime(at):%Y-%m-%d %H:%M:%S}"


def _gt_progress(project: Project) -> float:
    return project_figures([project], None)[project.pk].gt_progress


def group_questions(project: Project, group: QuestionGroup) -> list[Question]:
    """The group's questions, refused unless the group is in the project's schema."""
    if not group.schema_memberships.filter(schema_id=project.schema_id).exists():
        raise SubmissionRefused("this question group is not part of the project's schema")
    return group.ordered_questions()


def lock_video(project: Project, video: Video) -> None:
    """Lock the (project, video) row: GT writes and reviews of one video queue behind each other."""
    link = ProjectVideo.objects.select_for_update().filter(project=project, video=video).first()
    if link is None or not video.is_active:
        raise NotAllowed("this video is not an active video of the project")


def stale_version(project: Project, video: Video, group: QuestionGroup, questions) -> Conflict:
    """PORTAL-REV-12's refusal, naming who changed the group last."""
    return Conflict(
        f"Ground truth for '{group.display_title}' on '{video.video_uid}' was "
        f"{_last_change(project, video, questions)} after you loaded it. Your answers were not saved."
    )


def _check_version(*, project, video, group, questions, version) -> None:
    if version is not None and version != version_token(project, video, questions):
        raise stale_version(project, video, group, questions)


def _apply_reviews(*, user, project, video, questions, reviews: dict[int, str], now) -> int:
    """Save pending / approved / rejected for description answers of the group on this video (DM-REV)."""
    if not reviews:
        return 0
    answers = {
        a.pk: a
        for a in Answer.objects.select_related("question", "review").filter(
            project=project,
            video=video,
            question__in=[q for q in questions if q.kind.is_reviewed],
            pk__in=list(reviews),
        )
    }
    unknown = set(reviews) - set(answers)
    if unknown:
        raise SubmissionRefused("only description answers of this group on this video can be reviewed")
    for status in reviews.values():
        if status not in REVIEW_STATES:
            raise SubmissionRefused(f'"{status}" is not a review status (pending, approved, rejected)')
    changed = 0
    for answer_id, status in reviews.items():
        current = getattr(answers[answer_id], "review", None)
        stored = (current.pk, current.status, current.reviewer_id) if current is not None else None
        change = review_change(stored, wanted_review(status, user.pk))
        if change is None:
            continue
        changed += 1
        action, row = change
        if action == DELETE:
            current.delete()
        elif action == CREATE:
            AnswerReview.objects.create(answer_id=answer_id, status=status, reviewer=user, reviewed_at=now)
        else:
            current.status, current.reviewer, current.reviewed_at = status, user, now
            current.save(update_fields=["status", "reviewer", "reviewed_at"])
    return changed


@transaction.atomic
def set_ground_truth(
    *,
    user: User,
    project: Project,
    video: Video,
    group: QuestionGroup,
    values: dict[Question, str],
    reviews: dict[int, str] | None = None,
    version: str | None = None,
    source: str = Source.REVIEW,
    confidence: dict[Question, float | None] | None = None,
) -> GTResult:
    """A reviewer's GT for one group on one video, plus reviews of its description answers (PORTAL-REV-6).

    Creates or changes only differing questions; a write that changes a value re-attributes every row of
    the group to `user` (DM-GT-3). `confidence` (API records): the score per question, a missing question
    meaning null as in SYNC-ANN-8; a score alone changes no attribution. None (the portals) leaves stored
    scores alone. Raises SubmissionRefused subclasses or VerificationFailed.
    """
    if not can_review(user, project):
        raise NotAllowed("you may not set ground truth in this project")
    questions, existing = _checked_and_locked(project, video, group, values, version)
    check_not_overridden(existing)
    before = _gt_progress(project)
    now = timezone.now()
    plan = plan_review(
        video_key=(project.pk, video.pk),
        questions=[(q.pk, q.text) for q in questions],
        values={q.text: v for q, v in values.items()},
        scores=scores_by_text(confidence),
        reviewer_id=user.pk,
        existing=existing,
        source=source,
        at=now,
    )
    write_gt_plan(plan, now)
    reviews_changed = _apply_reviews(
        user=user, project=project, video=video, questions=questions, reviews=reviews or {}, now=now
    )
    if plan.creates:
        recompute_completion(project_ids=[project.pk], now=now)
    after = _gt_progress(project) if plan.creates else before
    return GTResult(len(plan.history), reviews_changed, before, after, scores_changed=plan.score_only)


def scores_by_text(confidence: dict[Question, float | None] | None) -> dict[str, float | None] | None:
    """The planners' scores: by question text, a missing question meaning null; None keeps stored scores."""
    return None if confidence is None else {q.text: score for q, score in confidence.items()}


def write_gt_plan(plan: GTPlan, now) -> None:
    """Save a ground-truth plan with the ORM, history in the same transaction (DM-HIST-2)."""
    created, updated = gt_objects(plan, now)
    GroundTruth.objects.bulk_create(created)
    update_rows(GroundTruth, updated, [*GT_UPDATE, "modified_at"])
    GroundTruthHistory.objects.bulk_create(history_objects(plan.history))


@transaction.atomic
def override_ground_truth(
    *,
    user: User,
    project: Project,
    video: Video,
    group: QuestionGroup,
    values: dict[Question, str],
    reviews: dict[int, str] | None = None,
    version: str | None = None,
    source: str = Source.OVERRIDE,
    confidence: dict[Question, float | None] | None = None,
) -> GTResult:
    """A global admin's override of one group's GT (PORTAL-META-3/4); reviewer attribution is kept.
    `confidence` as in set_ground_truth."""
    if not user.is_global_admin or not can_review(user, project):
        raise NotAllowed("only global admins can override ground truth")
    questions, existing = _checked_and_locked(project, video, group, values, version)
    check_overridable(existing, questions)
    now = timezone.now()
    plan = plan_override(
        video_key=(project.pk, video.pk),
        questions=[(q.pk, q.text) for q in questions],
        values={q.text: v for q, v in values.items()},
        scores=scores_by_text(confidence),
        admin_id=user.pk,
        existing=existing,
        source=source,
        at=now,
    )
    write_gt_plan(plan, now)
    reviews_changed = _apply_reviews(
        user=user, project=project, video=video, questions=questions, reviews=reviews or {}, now=now
    )
    return GTResult(len(plan.history), reviews_changed, 100.0, 100.0, scores_changed=plan.score_only)


def _checked_and_locked(project, video, group, values, version) -> tuple[list[Question], dict]:
    """What every single-group GT write does first: check the values, run the group's verification before
    taking the lock (issue 16.9: a slow function must not hold up other writers of this video), lock the
    video, refuse a stale version (PORTAL-REV-12); then (the group's questions, their stored GT rows)."""
    questions = group_questions(project, group)
    check_values(questions, values)
    verify_answers(get_registry(), group.verification_function, as_given(values))
    lock_video(project, video)
    _check_version(project=project, video=video, group=group, questions=questions, version=version)
    return questions, existing_rows(GroundTruth.objects.filter(project=project, video=video, question__in=questions))


def check_not_overridden(existing: dict) -> None:
    """PORTAL-REV-7: reviewers cannot change a group an admin has overridden."""
    if any(row[4] is not None for row in existing.values()):
        raise OverriddenLock("this group was overridden by an admin; reviewers cannot change it")


def check_overridable(existing: dict, questions) -> None:
    """An override needs ground truth on every question of the group."""
    if not existing:
        raise SubmissionRefused("No ground truth yet")
    if len(existing) < len(questions):
        raise SubmissionRefused("Every question needs ground truth before it can be overridden")


@transaction.atomic
def review_answer(*, user: User, answer: Answer, status: str) -> bool:
    """Approve, reject or reset one description answer (DM-REV), as the reviewer portal does on submit.

    Same checks and lock as a GT write: can_review, an active member video, and the (project, video) row
    locked so the group's version token changes atomically (PORTAL-REV-12). True when something changed.
    """
    project, video = answer.project, answer.video
    if not can_review(user, project):
        raise NotAllowed("you may not review answers in this project")
    lock_video(project, video)
    changed = _apply_reviews(
        user=user,
        project=project,
        video=video,
        questions=[answer.question],
        reviews={answer.pk: status},
        now=timezone.now(),
    )
    return changed > 0


def set_or_override_ground_truth(
    *,
    user: User,
    project: Project,
    video: Video,
    group: QuestionGroup,
    values: dict[Question, str],
    reviews: dict[int, str] | None = None,
    version: str | None = None,
) -> GTResult:
    """The search portal's write (PORTAL-SRCH-4): a global admin sets the group's GT as its reviewer when
    there is none yet or every row is theirs and not overridden; otherwise they override it. History
    source `search`. One read, then the chosen write with its own transaction and checks."""
    rows = list(GroundTruth.objects.filter(project=project, video=video, question__in=list(values)))
    own = rows and not any(r.overridden_by_id for r in rows) and {r.reviewer_id for r in rows} == {user.pk}
    write = set_ground_truth if not rows or own else override_ground_truth
    return write(
        user=user,
        project=project,
        video=video,
        group=group,
        values=values,
        reviews=reviews,
        version=version,
        source=Source.SEARCH,
    )
