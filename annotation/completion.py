"""Completion timestamps on assignments (DM-DER-7), recomputed in the writer's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from annotation.models import Answer, GroundTruth
from catalog.models import Assignment, Project, ProjectVideo, QuestionGroupQuestion


def project_sizes(project_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """project id -> (|V(P)| active videos, |Q(P)| questions): three queries in all."""
    project_ids = list(project_ids)
    schema_of = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "schema_id"))
    videos = dict(
        ProjectVideo.objects.of_active_videos()
        .filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    questions = dict(
        QuestionGroupQuestion.objects.filter(group__schema_memberships__schema_id__in=set(schema_of.values()))
        .values("group__schema_memberships__schema_id")
        .annotate(n=Count("id"))
        .values_list("group__schema_memberships__schema_id", "n")
    )
    return {pid: (videos.get(pid, 0), questions.get(sid, 0)) for pid, sid in schema_of.items()}


ANSWER_ROLES = (Assignment.Role.ANNOTATOR, Assignment.Role.MODEL)  # rows whose completion follows own answers


def set_answer_completion(*, project: Project, user, answered: int, total: int, now) -> None:
    """DM-DER-7 after one user's answers changed in one project: only that user's annotator and model rows
    can change (reviewers follow GT), and `answered` / `total` are the counts just computed (one query)."""
    rows = Assignment.objects.filter(project=project, user=user, role__in=ANSWER_ROLES)
    if total > 0 and answered >= total:
        rows.filter(completed_at__isnull=True).update(completed_at=now)
    else:
        rows.filter(completed_at__isnull=False).update(completed_at=None)


def recompute_completion(*, project_ids: Iterable[int], now) -> int:
    """Set or clear completed_at on the annotator, model and reviewer rows of these projects."""
    project_ids = list(project_ids)
    if not project_ids:
        return 0
    sizes = project_sizes(project_ids)
    answered = {
        (row["project_id"], row["user_id"]): row["n"]
        for row in Answer.objects.filter(project_id__in=project_ids)
        .in_scope()
        .values("project_id", "user_id")
        .annotate(n=Count("id"))
    }
    gt_done = dict(
        GroundTruth.objects.filter(project_id__in=project_ids)
        .in_scope()
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    changed = []
    rows = Assignment.objects.filter(project_id__in=project_ids).exclude(role=Assignment.Role.ADMIN)
    for row in rows.only("id", "project_id", "user_id", "role", "completed_at", "is_active"):
        n_videos, n_questions = sizes.get(row.project_id, (0, 0))
        total = n_videos * n_questions
        if row.role == Assignment.Role.REVIEWER:
            if not row.is_active:
                continue
            done = gt_done.get(row.project_id, 0)
        else:
            done = answered.get((row.project_id, row.user_id), 0)
        complete = total > 0 and done >= total
        if complete and row.completed_at is None:
            row.completed_at = now
            changed.append(row)
        elif not complete and row.completed_at is not None:
            row.completed_at = None
            changed.append(row)
    Assignment.objects.bulk_update(changed, ["completed_at"], batch_size=1000)
    return len(changed)
