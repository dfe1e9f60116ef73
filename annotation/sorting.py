"""Annotator video sort (PORTAL-ANN-6, SCORE-SORT-1/2): scores from preloaded rows, order from scoring."""

from __future__ import annotations

from annotation import scoring
from annotation.progress import GroupLayout, OwnAnswers

SORT_CHOICES = {
    "default": "Default order",
    "completion": "Completion rate",
    "accuracy": "Accuracy rate (training mode)",
}


def sort_video_ids(
    sort: str,
    video_ids: list[int],
    *,
    own: OwnAnswers,
    gt: dict[tuple[int, int], str],
    layout: list[GroupLayout],
    picked: list[int],
    descending: bool,
) -> list[int]:
    """V(P) ordered by the user's completion or accuracy rate over the picked questions (all by default)."""
    questions = [q for g in layout for q in g.questions]
    chosen = [q for q in questions if q.pk in set(picked)] or questions
    if sort == "completion":
        ids = [q.pk for q in chosen]
        scores = {v: scoring.completion_rate((q for q in ids if (v, q) in own.values), ids) for v in video_ids}
    elif sort == "accuracy":
        scores = {}
        kinds = [(q.pk, q.kind) for q in chosen]
        for v in video_ids:
            grades = []
            for q, kind in kinds:
                answer = own.values.get((v, q))
                if answer is None:
                    continue
                grades.append(kind.grade(answer, gt.get((v, q)), own.reviews.get((v, q))))
            scores[v] = scoring.accuracy_rate(grades)
    else:
        return list(video_ids)
    return scoring.sort_videos(video_ids, scores, descending=descending)
