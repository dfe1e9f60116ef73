"""Reviewer video filter and sort (PORTAL-REV-8/9, SCORE-SORT-3/4/5), and the session's group tab order
(PORTAL-REV-10). Scores come from rows loaded once per page; the order comes from sort_videos."""

from __future__ import annotations

from collections import defaultdict

from annotation.models import Answer, GroundTruth
from annotation.progress import GroupLayout
from annotation.scoring.sort_scores import (
    accuracy_rate,
    annotator_consensus,
    completion_rate,
    model_confidence,
    sort_videos,
)
from catalog.models import Project, Question

SORT_CHOICES = {
    "default": "Default order",
    "confidence": "Model confidence",
    "consensus": "Annotator consensus",
    "completion": "Completion rate",
    "accuracy": "Accuracy rate",
}


def gt_values(project: Project) -> dict[tuple[int, int], str]:
    """Every GT value of the project by (video, question) (one query)."""
    return {
        (v, q): value
        for v, q, value in GroundTruth.objects.filter(project=project).values_list("video_id", "question_id", "value")
    }


def apply_filter(video_ids: list[int], gt: dict, filters: dict[int, str], kinds: dict) -> list[int]:
    """PORTAL-REV-9: keep videos whose GT meets every chosen filter (`kinds[q].meets`: the chosen option; for a
    multiple choice, a set containing it); missing GT excludes the video."""
    if not filters:
        return video_ids
    return [v for v in video_ids if all(kinds[q].meets(wanted, gt.get((v, q))) for q, wanted in filters.items())]


def sort_ids(
    sort: str,
    video_ids: list[int],
    *,
    project: Project,
    questions: list[Question],
    picked: list[int],
    selected_ids: list[int],
    model_ids: list[int],
    gt: dict,
    descending: bool,
) -> list[int]:
    """SCORE-SORT-3: one answers query for the chosen users, then pure scores per video."""
    chosen = [q for q in questions if q.pk in set(picked)] or questions
    # The sorts compare the selected annotators' answers with each other and with the GT value, so they
    # read the questions graded against the GT (single-choice), not the reviewed ones (descriptions).
    kinds = {q.pk: q.kind for q in chosen if not q.kind.is_reviewed}
    singles = list(kinds)
    if sort == "completion":
        ids = [q.pk for q in chosen]
        scores = {v: completion_rate((q for q in ids if (v, q) in gt), ids) for v in video_ids}
        return sort_videos(video_ids, scores, descending=descending)
    users = model_ids if sort == "confidence" else selected_ids
    if sort not in ("confidence", "consensus", "accuracy") or not users or not singles:
        return list(video_ids)
    rows = Answer.objects.filter(project=project, user_id__in=users, question_id__in=singles).values_list(
        "video_id", "question_id", "value", "confidence_score"
    )
    by_video: dict[int, list[tuple[int, str, float | None]]] = defaultdict(list)
    for v, q, value, confidence in rows:
        by_video[v].append((q, value, confidence))
    scores = {}
    for v in video_ids:
        answers = by_video.get(v, [])
        if sort == "confidence":
            scores[v] = model_confidence(c for _, _, c in answers)
        elif sort == "consensus":
            per_question = defaultdict(list)
            for q, value, _ in answers:
                per_question[q].append(value)
            scores[v] = annotator_consensus(per_question.values()) if len(selected_ids) >= 2 else None
        else:
            scores[v] = accuracy_rate(
                kinds[q].grade(value, gt.get((v, q)), None) for q, value, _ in answers if (v, q) in gt
            )
    return sort_videos(video_ids, scores, descending=descending)


# --------------------------------------------------------------------------- group tab order (session)


def _order_key(portal: str, project_id: int) -> str:
    return f"group-order:{portal}:{project_id}"


def ordered_layout(session, portal: str, project_id: int, layout: list[GroupLayout]) -> list[GroupLayout]:
    """The layout in the user's tab order for this project; groups not in the stored order keep schema order."""
    stored = session.get(_order_key(portal, project_id)) or []
    rank = {gid: i for i, gid in enumerate(stored)}
    return sorted(layout, key=lambda g: (rank.get(g.group.pk, len(rank)), layout.index(g)))


def move_group(session, portal: str, project_id: int, layout: list[GroupLayout], group_id: int, step: str) -> None:
    """Move a tab up or down, or reset to the schema order; the database is not changed."""
    key = _order_key(portal, project_id)
    if step == "reset":
        session.pop(key, None)
        return
    ids = [g.group.pk for g in ordered_layout(session, portal, project_id, layout)]
    if group_id not in ids:
        return
    i = ids.index(group_id)
    j = i - 1 if step == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    session[key] = ids
