"""Counts for the admin portal's metrics rows (PORTAL-ADM-2..9, 11).

Each function runs a fixed number of queries, whatever the number of rows (PORTAL-GEN-4):
one aggregate per table, plus three for the training/annotation split of projects (DM-DER-6).
Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from annotation.models import GroundTruth
from annotation.progress import project_figures
from catalog import question_types
from catalog.models import (
    Assignment,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    User,
    Video,
)


@dataclass(frozen=True)
class Metric:
    label: str
    value: int | float | str
    # Changelist filter parameters that list exactly the counted rows, when there is such a filter.
    filters: dict[str, str] | None = None

    @property
    def query(self) -> str:
        return urlencode(self.filters) if self.filters else ""


ACTIVE = {"is_active__exact": "1"}
ARCHIVED = {"is_active__exact": "0"}


def _states(counts: dict) -> list[Metric]:
    return [
        Metric("total", counts["total"]),
        Metric("active", counts["active"], ACTIVE),
        Metric("archived", counts["total"] - counts["active"], ARCHIVED),
    ]


def _count_active():
    return {"total": Count("pk"), "active": Count("pk", filter=Q(is_active=True))}


def video_metrics() -> list[Metric]:
    """PORTAL-ADM-3: total, active, archived, unassigned (in no project). One query."""
    in_a_project = Exists(ProjectVideo.objects.filter(video=OuterRef("pk")))
    counts = Video.objects.aggregate(**_count_active(), unassigned=Count("pk", filter=~Q(in_a_project)))
    return [*_states(counts), Metric("unassigned", counts["unassigned"], {"in_project": "no"})]


def project_metrics() -> list[Metric]:
    """PORTAL-ADM-4: total, active, archived, training vs annotation mode (DM-DER-6). Four queries."""
    projects = list(Project.objects.only("pk", "schema_id", "is_active"))
    figures = project_figures(projects, None)
    training = sum(1 for p in projects if figures[p.pk].training)
    counts = {"total": len(projects), "active": sum(1 for p in projects if p.is_active)}
    return [*_states(counts), Metric("training mode", training), Metric("annotation mode", len(projects) - training)]


def schema_metrics() -> list[Metric]:
    """PORTAL-ADM-5: total, active, archived, with custom display. One query."""
    counts = Schema.objects.aggregate(**_count_active(), custom=Count("pk", filter=Q(has_custom_display=True)))
    return [*_states(counts), Metric("with custom display", counts["custom"], {"has_custom_display__exact": "1"})]


def question_group_metrics() -> list[Metric]:
    """PORTAL-ADM-6: total, active, archived, reusable. One query."""
    counts = QuestionGroup.objects.aggregate(**_count_active(), reusable=Count("pk", filter=Q(is_reusable=True)))
    return [*_states(counts), Metric("reusable", counts["reusable"], {"is_reusable__exact": "1"})]


def question_metrics() -> list[Metric]:
    """PORTAL-ADM-7: total, active, and one count per question type. One query."""
    kinds = question_types.names()
    counts = Question.objects.aggregate(
        **_count_active(), **{f"type_{name}": Count("pk", filter=Q(qtype=name)) for name in kinds}
    )
    return [
        Metric("total", counts["total"]),
        Metric("active", counts["active"], ACTIVE),
        *(Metric(name, counts[f"type_{name}"], {"qtype__exact": name}) for name in kinds),
    ]


def user_metrics() -> list[Metric]:
    """PORTAL-ADM-8: total, active, archived, and admin / human / model counts. One query."""
    types = {t.value: Count("pk", filter=Q(user_type=t.value)) for t in User.UserType}
    counts = User.objects.aggregate(**_count_active(), **types)
    order = (User.UserType.ADMIN, User.UserType.HUMAN, User.UserType.MODEL)
    return [*_states(counts), *(Metric(t.value, counts[t.value], {"user_type__exact": t.value}) for t in order)]


def assignment_metrics() -> list[Metric]:
    """PORTAL-ADM-9: users with assignments, projects with assignments, active rows, archived rows. One query."""
    counts = Assignment.objects.aggregate(
        users=Count("user", distinct=True),
        projects=Count("project", distinct=True),
        **_count_active(),
    )
    return [
        Metric("users with assignments", counts["users"]),
        Metric("projects with assignments", counts["projects"]),
        Metric("active rows", counts["active"], ACTIVE),
        Metric("archived rows", counts["total"] - counts["active"], ARCHIVED),
    ]


def project_group_metrics() -> list[Metric]:
    """PORTAL-ADM-11: groups, projects in groups, average projects per group, ungrouped projects. Two queries."""
    counts = ProjectGroup.objects.aggregate(groups=Count("pk", distinct=True), memberships=Count("memberships"))
    grouped = Exists(ProjectGroupProject.objects.filter(project=OuterRef("pk")))
    projects = Project.objects.aggregate(
        grouped=Count("pk", filter=Q(grouped)), ungrouped=Count("pk", filter=~Q(grouped))
    )
    groups = counts["groups"]
    average = round(counts["memberships"] / groups, 1) if groups else 0
    return [
        Metric("groups", groups),
        Metric("projects in groups", projects["grouped"]),
        Metric("average projects per group", average),
        Metric("ungrouped projects", projects["ungrouped"]),
    ]


METRICS: dict[type, Callable[[], list[Metric]]] = {
    Video: video_metrics,
    Project: project_metrics,
    Schema: schema_metrics,
    QuestionGroup: question_group_metrics,
    Question: question_metrics,
    User: user_metrics,
    Assignment: assignment_metrics,
    ProjectGroup: project_group_metrics,
}


# --------------------------------------------------------------------------- ground truth of one video


def with_gt_status(links: QuerySet[ProjectVideo]) -> QuerySet[ProjectVideo]:
    """Annotate project-video links with `gt_done` and `gt_total`: the video's GT rows on the questions of the
    project's schema, and the number of those questions. Still one query for the whole list."""
    done = (
        GroundTruth.objects.filter(
            project=OuterRef("project"),
            video=OuterRef("video"),
            question__group_memberships__group__schema_memberships__schema=OuterRef("project__schema"),
        )
        .order_by()
        .values("video")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        QuestionGroupQuestion.objects.filter(group__schema_memberships__schema=OuterRef("project__schema"))
        .order_by()
        .values("group__schema_memberships__schema")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return links.annotate(
        gt_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        gt_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
    )


def gt_status(done: int, total: int) -> str:
    """complete, partial or missing, for one video in one project (PORTAL-ADM-3)."""
    if total and done >= total:
        return "complete"
    return "partial" if done else "missing"
