"""Atomic writes of the portals: an annotator's answers to one question group on one video.

Views, the auto-submit endpoint and (later) the API call these functions; the rules live here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from annotation.completion import set_answer_completion
from annotation.models import MAX_ANSWER_LENGTH, Answer, AnswerReview
from annotation.planning.answers import AnswerPlan, load_answers, plan_answers
from annotation.progress import ProjectFigures, project_figures
from annotation.refusals import NotAllowed, SubmissionRefused, TrainingLocked
from annotation.verification import VerificationFailed, verify_answers
from catalog.models import Project, ProjectVideo, Question, QuestionGroup, User, Video
from catalog.permissions import can_answer
from catalog.question_types import UnknownQuestionType
from catalog.verification import get_registry


@dataclass(frozen=True)
class SubmitResult:
    written: int  # answers created or changed
    progress_before: float
    progress_after: float
    figures: ProjectFigures  # the project's figures for this user after the write

    @property
    def just_completed(self) -> bool:
        """PORTAL-PRJ-11: the notice appears only when this write took progress to 100."""
        return self.progress_before < 100 <= self.progress_after


def _figures(user: User, project: Project):
    """progress(u,P) and the mode, from the one read-side implementation (DM-DER-3/6)."""
    return project_figures([project], user)[project.pk]


def check_values(questions: list[Question], values: dict[Question, str]) -> None:
    """PORTAL-PRJ-10: the group's full question set, and values each question's type accepts (options)."""
    missing = [q.text for q in questions if q not in values]
    extra = [q.text for q in values if q not in questions]
    if missing or extra:
        raise SubmissionRefused(
            "answers must cover exactly the group's questions"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not in the group: {', '.join(extra)}" if extra else "")
        )
    for q in questions:
        try:
            kind = q.kind
        except UnknownQuestionType as e:
            raise SubmissionRefused(f'question "{q.text}": {e}') from None
        if not kind.accepts(q, values[q]):
            raise SubmissionRefused(kind.refusal(q, values[q]))
        if len(values[q]) > MAX_ANSWER_LENGTH:
            raise SubmissionRefused(
                f'the answer to "{q.text}" is {len(values[q]):,} characters long; at most {MAX_ANSWER_LENGTH:,} allowed'
            )


@transaction.atomic
def submit_answers(
    *,
    user: User,
    project: Project,
    video: Video,
    group: QuestionGroup,
    values: dict[Question, str],
    confidence: dict[Question, float | None] | None = None,
) -> SubmitResult:
    """Record one annotator's answers to one question group on one video, writing only changed values.

    `confidence` (model predictions through the API): the score per question, a missing question meaning
    null as in SYNC-ANN-8; a changed score is a change. None (the portals) leaves stored scores alone.
    Raises SubmissionRefused (or a subclass) or VerificationFailed; nothing is written then.
    """
    if not can_answer(user, project):
        raise NotAllowed("you may not answer in this project")
    if not group.schema_memberships.filter(schema_id=project.schema_id).exists():
        raise SubmissionRefused("this question group is not part of the project's schema")
    questions = group.ordered_questions()
    check_values(questions, values)
    # Before the lock (issue 16.9): a slow function must not hold up other writers of this video.
    verify_answers(get_registry(), group.verification_function, {q.text: v for q, v in values.items()})
    link = ProjectVideo.objects.select_for_update().filter(project=project, video=video).first()
    if link is None or not video.is_active:
        raise NotAllowed("this video is not an active video of the project")
    existing, stored_reviews = load_answers(
        Answer.objects.filter(project=project, video=video, user=user, question__in=questions)
    )
    figures = _figures(user, project)
    if figures.training and len(existing) == len(questions):
        raise TrainingLocked("already submitted in training mode")

    before = figures.progress
    now = timezone.now()
    plan = plan_answers(
        scope=(project.pk, video.pk, user.pk),
        questions=[(q.pk, q.text) for q in questions],
        values={q.text: v for q, v in values.items()},
        scores=None if confidence is None else {q.text: score for q, score in confidence.items()},
        reviews=None,
        existing=existing,
        stored_reviews=stored_reviews,
    )
    created, changed = answer_objects(plan, project_id=project.pk, video_id=video.pk, user_id=user.pk, now=now)
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(changed, ["value", "confidence_score", "modified_at"])
    if plan is not None and plan.review_deletes:  # DM-REV-3: the verdict applied to the old text
        AnswerReview.objects.filter(pk__in=plan.review_deletes).delete()
    if created:  # only new answers change the count, and so the completion (DM-DER-7)
        figures = _figures(user, project)
        set_answer_completion(project=project, user=user, answered=figures.answered, total=figures.total, now=now)
    return SubmitResult(
        written=len(created) + len(changed), progress_before=before, progress_after=figures.progress, figures=figures
    )


def answer_objects(plan: AnswerPlan | None, *, project_id, video_id, user_id, now) -> tuple[list, list]:
    """A portal plan's answers to create and to change, as unsaved model instances (no reviews: the
    portals list none). Shared with the API's batches (annotation.bulk_writes)."""
    if plan is None:
        return [], []
    key = {"project_id": project_id, "video_id": video_id, "user_id": user_id}
    created = [
        Answer(**key, question_id=q, value=value, confidence_score=score, created_at=now, modified_at=now)
        for q, value, score, _ in plan.creates
    ]
    changed = [Answer(id=pk, value=value, confidence_score=score, modified_at=now) for pk, value, score in plan.updates]
    return created, changed


__all__ = [
    "NotAllowed",
    "SubmissionRefused",
    "SubmitResult",
    "TrainingLocked",
    "VerificationFailed",
    "submit_answers",
]
