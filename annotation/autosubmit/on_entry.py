"""Annotator auto-submit on entry (SCORE-AUTO-2): default answers for auto-submit groups, in batches.

Entering the project answers up to ENTRY_VIDEOS pending videos on the server, inside that request, so it
works without JavaScript (issue 11 point 14); the page says what was submitted. A larger project's page then
posts the rest in batches of at most BATCH videos (or, without JavaScript, one button does). Each batch is one
bulk operation whose query count does not grow with the number of videos.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from annotation.completion import recompute_completion
from annotation.models import Answer
from annotation.planning.defaults import plan_defaults
from annotation.progress import GroupLayout, active_video_ids, project_figures, unanswered_pairs
from annotation.verification import VerificationFailed, as_given, verify_answers
from catalog.models import Project, User
from catalog.permissions import can_answer
from catalog.verification import get_registry

BATCH = 50
ENTRY_VIDEOS = 10 * BATCH  # answered inside the project page's own request; the rest follows in batches


@dataclass
class AutoSubmitResult:
    videos: int = 0  # videos looked at in this batch
    submitted: int = 0  # (video, group) pairs answered
    failed_verification: int = 0
    failed_no_default: int = 0
    video_ids: list[int] = field(default_factory=list)  # videos that got answers
    by_group: dict[str, int] = field(default_factory=dict)  # group display title -> videos answered
    last_video_id: int | None = None  # the last video looked at, where a follow-up batch continues

    def add(self, other: AutoSubmitResult) -> None:
        self.videos += other.videos
        self.submitted += other.submitted
        self.failed_verification += other.failed_verification
        self.failed_no_default += other.failed_no_default
        self.video_ids += other.video_ids
        for title, n in other.by_group.items():
            self.by_group[title] = self.by_group.get(title, 0) + n
        self.last_video_id = other.last_video_id or self.last_video_id

    def lines(self) -> list[str]:
        """What was submitted for the user, in plain words (SCORE-AUTO-2's line for verification failures)."""
        lines = []
        if self.submitted:
            per_group = ", ".join(
                f"{title} on {n} video{'s' if n != 1 else ''}" for title, n in sorted(self.by_group.items())
            )
            plural = "s" if self.submitted != 1 else ""
            lines.append(f"{self.submitted} group{plural} answered with default answers: {per_group}.")
        if self.failed_verification:
            lines.append(f"{self.failed_verification} auto-submit groups could not be submitted (verification failed).")
        if self.failed_no_default:
            lines.append(f"{self.failed_no_default} auto-submit groups could not be submitted (no default answer).")
        return lines


def auto_groups(layout: list[GroupLayout]) -> list[GroupLayout]:
    return [g for g in layout if g.group.is_auto_submit]


def pending_video_ids(user: User, project: Project, layout: list[GroupLayout], video_ids: list[int]) -> list[int]:
    """Videos, in order, where some auto-submit group is still unanswered by the user (one query)."""
    pending = {v for v, _ in unanswered_pairs(user, project, auto_groups(layout), video_ids)}
    return [v for v in video_ids if v in pending]


@transaction.atomic
def submit_defaults(
    *, user: User, project: Project, layout: list[GroupLayout], video_ids: list[int]
) -> AutoSubmitResult:
    """Answer every unanswered auto-submit group on these videos with its defaults.

    Each question without an answer gets its `default_option` as the one virtual response at
    threshold 100, so the default wins or the group fails "no votes" (SCORE-AUTO-1 step 3); answers
    the user already gave are kept (step 1). Groups failing verification are skipped (step 5).
    The caller checks training mode; permission is checked here.
    """
    result = AutoSubmitResult(videos=len(video_ids), last_video_id=video_ids[-1] if video_ids else None)
    groups = auto_groups(layout)
    if not groups or not video_ids or not can_answer(user, project):
        return result
    question_ids = [q.pk for g in groups for q in g.questions]
    have = {
        (v, q): value
        for v, q, value in Answer.objects.filter(
            project=project, user=user, video_id__in=video_ids, question_id__in=question_ids
        ).values_list("video_id", "question_id", "value")
    }
    registry = get_registry()
    by_text = {q.text: q for g in groups for q in g.questions}

    def verify(function, values) -> bool:
        try:
            verify_answers(registry, function, as_given({by_text[text]: value for text, value in values.items()}))
        except VerificationFailed:
            return False
        return True

    plan = plan_defaults(
        groups=[(g.group.display_title, g.group.verification_function, _defaults(g)) for g in groups],
        video_ids=video_ids,
        have=have,
        verify=verify,
    )
    now = timezone.now()
    new = [
        Answer(project=project, video_id=v, question_id=q, user=user, value=value, created_at=now, modified_at=now)
        for v, q, value in plan.creates
    ]
    # ignore_conflicts: a second tab running the same batch must not fail; the unique scope holds.
    Answer.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if new:
        recompute_completion(project_ids=[project.pk], now=now)
    result.submitted, result.by_group, result.video_ids = plan.submitted, plan.by_group, plan.video_ids
    result.failed_verification, result.failed_no_default = plan.failed_verification, plan.failed_no_default
    return result


def _defaults(group: GroupLayout) -> list[tuple[int, str, str | None]]:
    return [(q.pk, q.text, q.default_option) for q in group.questions]


def submit_pending(
    *, user: User, project: Project, layout: list[GroupLayout], pending: list[int], limit: int | None = ENTRY_VIDEOS
) -> AutoSubmitResult:
    """Answer the first `limit` (all when None) of these pending videos, one transaction per BATCH videos.

    Batches keep each transaction short, so reviewers and other tabs are not held up by a large project.
    """
    total = AutoSubmitResult()
    chosen = pending if limit is None else pending[:limit]
    for start in range(0, len(chosen), BATCH):
        total.add(submit_defaults(user=user, project=project, layout=layout, video_ids=chosen[start : start + BATCH]))
    return total


def submit_on_entry(*, user: User, project: Project, layout: list[GroupLayout]) -> AutoSubmitResult | None:
    """SCORE-AUTO-2 on the server: entering the project answers its pending auto-submit groups (up to
    ENTRY_VIDEOS videos, in batches) before the page renders, so no JavaScript is needed; None when there
    was nothing to do (or in training mode)."""
    if not auto_groups(layout):
        return None
    if project_figures([project], user)[project.pk].training:
        return None
    pending = pending_video_ids(user, project, layout, active_video_ids(project))
    if not pending:
        return None
    return submit_pending(user=user, project=project, layout=layout, pending=pending, limit=ENTRY_VIDEOS)
