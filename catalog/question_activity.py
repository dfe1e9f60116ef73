"""DM-Q-6, the one implementation: a question is active exactly when at least one active group contains it.

Every write that changes group memberships or group states calls this afterwards: the admin (archiving a
group, creating one), hard delete, and sync's question-group step (creating, unarchiving and archiving
groups).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from catalog.batches import chunks
from catalog.models import Question, QuestionGroupQuestion


def refresh_question_activity(question_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Set is_active on these questions from their groups: three queries per chunk of ids, whatever their number.

    `now` is the updated_at of changed questions (sync passes its run's time)."""
    now = now or timezone.now()
    for batch in chunks(set(question_ids)):
        active_ids = set(
            QuestionGroupQuestion.objects.filter(question_id__in=batch, group__is_active=True).values_list(
                "question_id", flat=True
            )
        )
        Question.objects.filter(pk__in=active_ids, is_active=False).update(is_active=True, updated_at=now)
        inactive = [pk for pk in batch if pk not in active_ids]
        Question.objects.active().filter(pk__in=inactive).update(is_active=False, updated_at=now)
