"""Atomic writes of the portals: an annotator's answers to one question group on one video.

Views, the auto-submit endpoint and (later) the API call these functions; the rules live here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from annotation.completion import set_answer_completion
from annotation.models import MAX_ANSWER_LENGTH, Answer, AnswerReview
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
            raise SubmissionRefused(f'"{values[q]}" is not an option of "{q.text}"')
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
    existing = {
        a.question_id: a
        for a in Answer.objects.select_related("review").filter(
            project=project, video=video, user=user, question__in=questions
        )
    }
    figures = _figures(user, project)
    if figures.training and len(existing) == len(questions):
        raise TrainingLocked("already submitted in training mode")

    before = figures.progress
    now = timezone.now()
    created, changed, stale_reviews = answer_changes(
        user=user,
        project=project,
        video=video,
        questions=questions,
        values=values,
        confidence=confidence,
        existing=existing,
        now=now,
    )
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(changed, ["value", "confidence_score", "modified_at"])
    if stale_reviews:
        AnswerReview.objects.filter(pk__in=stale_reviews).delete()
    if created:  # only new answers change the count, and so the completion (DM-DER-7)
        figures = _figures(user, project)
        set_answer_completion(project=project, user=user, answered=figures.answered, total=figures.total, now=now)
    return SubmitResult(
        written=len(created) + len(changed), progress_before=before, progress_after=figures.progress, figures=figures
    )


def answer_changes(*, user, project, video, questions, values, confidence, existing, now):
    """The rows one group's answers create or change, and the reviews they make stale (DM-REV-3).

    `existing` maps question id -> the user's stored Answer (review selected). Shared by submit_answers and
    the API's set-based batch (annotation.bulk_writes), so both apply the same rules. Returns (created,
    changed, stale review ids); nothing is saved here.
    """
    created, changed, stale_reviews = [], [], []
    for q in questions:
        answer = existing.get(q.pk)
        score = confidence.get(q) if confidence is not None else None
        if answer is None:
            created.append(
                Answer(
                    project=project,
                    video=video,
                    question=q,
                    user=user,
                    value=values[q],
                    confidence_score=score,
                    created_at=now,
                    modified_at=now,
                )
            )
            continue
        new_score = answer.confidence_score if confidence is None else score
        if answer.value != values[q]:
            # DM-REV-3: the verdict applied to the old text.
            if hasattr(answer, "review"):
                stale_reviews.append(answer.review.pk)
        elif answer.confidence_score == new_score:
            continue
        answer.value, answer.confidence_score, answer.modified_at = values[q], new_score, now
        changed.append(answer)
    return created, changed, stale_reviews


__all__ = [
    "NotAllowed",
    "SubmissionRefused",
    "SubmitResult",
    "TrainingLocked",
    "VerificationFailed",
    "submit_answers",
]
