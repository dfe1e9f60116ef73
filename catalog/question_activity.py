"""DM-Q-6 for writes outside sync: a question is active exactly when at least one active group contains it.

The admin (archiving a group, editing its questions) and hard delete call this after they change group
memberships or group states; sync applies the same rule in its batch step (syncing/steps/question_groups.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from catalog.models import Question, QuestionGroupQuestion


def refresh_question_activity(question_ids: Iterable[int]) -> None:
    """Set is_active on these questions from their groups (two updates, whatever the number of questions)."""
    question_ids = set(question_ids)
    if not question_ids:
        return
    active_ids = set(
        QuestionGroupQuestion.objects.filter(question_id__in=question_ids, group__is_active=True).values_list(
            "question_id", flat=True
        )
    )
    now = timezone.now()
    Question.objects.filter(pk__in=active_ids, is_active=False).update(is_active=True, updated_at=now)
    Question.objects.active().filter(pk__in=question_ids - active_ids).update(is_active=False, updated_at=now)
