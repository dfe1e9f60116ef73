"""One user's answers to one question group on one video: which answers and reviews to write (DM-ANS, DM-REV).

The one decision behind the portals' submit (annotation.submission), the API's batches
(annotation.bulk_writes) and sync's annotation records (syncing.steps.annotations, SYNC-ANN-8).

In, as plain data: the group's questions as (question id, text) pairs; the values, scores and listed
reviews keyed by question text; the stored answers as {(project_id, video_id, question_id, user_id):
(answer id, value, score)} and their reviews as {answer id: (review id, status, reviewer id)}. Scores
None keeps the stored scores (the portals); a mapping means "missing is null". Reviews map a text to
(status, reviewer id), or to None for "pending" (no review); an unlisted review is kept while its
answer's value stays.

Out: None when nothing changes (a re-sync of 500,000 answers allocates nothing per record), else an
`AnswerPlan` of tuples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotation.planning.reviews import CREATE, DELETE, review_change

ANSWER_KEY = ("project_id", "video_id", "question_id", "user_id")
ANSWER_ROW = ("id", "value", "confidence_score")
REVIEW_ROW = ("answer_id", "id", "status", "reviewer_id")

_KEEP = object()  # "the stored score stays" (scores None)


@dataclass(slots=True)
class AnswerPlan:
    """What one group write changes; built only when it changes something."""

    creates: list[tuple] = field(default_factory=list)  # (question_id, value, score, (status, reviewer_id) | None)
    updates: list[tuple] = field(default_factory=list)  # (answer_id, value, score)
    review_deletes: list[int] = field(default_factory=list)  # review ids
    review_updates: list[tuple] = field(default_factory=list)  # (review_id, status, reviewer_id)
    review_creates: list[tuple] = field(default_factory=list)  # (answer_id, status, reviewer_id)
    value_changes: list[str] = field(default_factory=list)  # texts of created or changed answers, in order
    scores_changed: bool = False  # a stored answer's score changes
    reviews_changed: bool = False
    reviews_written: set[str] = field(default_factory=set)  # texts whose review is created or set


def plan_answers(
    *,
    scope: tuple[int, int, int],
    questions: Sequence[tuple[int, str]],
    values: Mapping[str, str],
    scores: Mapping[str, float | None] | None,
    reviews: Mapping[str, tuple[str, int] | None] | None,
    existing: Mapping[tuple, tuple],
    stored_reviews: Mapping[int, tuple],
) -> AnswerPlan | None:
    """The answers and reviews `values` write for the user of `scope` = (project_id, video_id, user_id).

    Only changed answers are written (SYNC-ANN-8, DM-ANS-1: a score change is a change); a changed value
    drops its review unless one is listed (DM-REV-3); listed reviews follow.
    """
    plan = None
    project_id, video_id, user_id = scope
    for question_id, text in questions:
        value = values[text]
        score = scores.get(text) if scores is not None else _KEEP
        listed = bool(reviews) and text in reviews
        wanted = reviews[text] if listed else None
        row = existing.get((project_id, video_id, question_id, user_id))
        if row is None:
            plan = plan or AnswerPlan()
            plan.creates.append((question_id, value, None if score is _KEEP else score, wanted))
            plan.value_changes.append(text)
            if wanted is not None:
                plan.reviews_written.add(text)
                plan.reviews_changed = True
            continue
        answer_id, old_value, old_score = row
        if score is _KEEP:
            score = old_score
        value_changed = old_value != value
        if value_changed or old_score != score:
            plan = plan or AnswerPlan()
            if value_changed:
                plan.value_changes.append(text)
            if old_score != score:
                plan.scores_changed = True
            plan.updates.append((answer_id, value, score))
        if not listed and not value_changed:
            continue  # an unlisted review is kept while its answer stays the same
        change = review_change(stored_reviews.get(answer_id), wanted)
        if change is None:
            continue
        plan = plan or AnswerPlan()
        plan.reviews_changed = True
        action, row = change
        if action == DELETE:
            plan.review_deletes.append(row[0])
            continue
        plan.reviews_written.add(text)
        if action == CREATE:
            plan.review_creates.append((answer_id, *row))
        else:
            plan.review_updates.append(row)
    return plan


def load_answers(queryset) -> tuple[dict, dict]:
    """Stored answers with their reviews as the planner reads them, in one query (a join on the review)."""
    existing, reviews = {}, {}
    for row in queryset.values_list(*ANSWER_KEY, *ANSWER_ROW, "review__id", "review__status", "review__reviewer_id"):
        existing[row[:4]] = row[4:7]
        if row[7] is not None:
            reviews[row[4]] = row[7:]
    return existing, reviews
