"""Read side of the portals: what a dashboard or project page shows, in a fixed number of queries.

Nothing here writes. Each function documents its query budget; tests pin the page totals
(PORTAL-GEN-4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from annotation.models import Answer, GroundTruth, GroundTruthHistory
from catalog import question_types
from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
    User,
)

# --------------------------------------------------------------------------- schema and project figures


@dataclass(frozen=True)
class GroupLayout:
    group: QuestionGroup
    questions: tuple[Question, ...]


def schema_layout(schema_id: int) -> list[GroupLayout]:
    """The schema's groups in order, each with its questions in order (two queries)."""
    return schema_layouts([schema_id]).get(schema_id, [])


def schema_layouts(schema_ids) -> dict[int, list[GroupLayout]]:
    """schema_layout for many schemas at once (two queries, whatever the number of schemas)."""
    schema_ids = list(schema_ids)
    memberships = list(
        SchemaQuestionGroup.objects.filter(schema_id__in=schema_ids)
        .select_related("group")
        .order_by("schema_id", "position")
    )
    questions: dict[int, list[Question]] = {m.group_id: [] for m in memberships}
    for m in (
        QuestionGroupQuestion.objects.filter(group_id__in=questions)
        .select_related("question")
        .order_by("group_id", "position")
    ):
        questions[m.group_id].append(m.question)
    result: dict[int, list[GroupLayout]] = {sid: [] for sid in schema_ids}
    for m in memberships:
        result[m.schema_id].append(GroupLayout(m.group, tuple(questions[m.group_id])))
    return result


@dataclass(frozen=True)
class ProjectFigures:
    """|V(P)|, |Q(P)|, the GT count and one user's answer count (DM-DER-2..6)."""

    n_videos: int
    n_questions: int
    gt_done: int
    answered: int

    @property
    def total(self) -> int:
        return self.n_videos * self.n_questions

    @property
    def progress(self) -> float:
        return self.answered / self.total * 100 if self.total else 0.0

    @property
    def gt_progress(self) -> float:
        return self.gt_done / self.total * 100 if self.total else 0.0

    @property
    def training(self) -> bool:
        return self.total > 0 and self.gt_done >= self.total


def project_figures(projects: list[Project], user: User | None) -> dict[int, ProjectFigures]:
    """Figures for many projects at once (four queries, whatever the number of projects; three without a user)."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    n_videos = dict(
        ProjectVideo.objects.of_active_videos()
        .filter(project_id__in=ids)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    schema_ids = {p.schema_id for p in projects}
    # Q(P) as question ids per schema; the counts below then filter on plain ids instead of joining
    # through groups and schemas (DM-DER-2).
    schema_questions: dict[int, set[int]] = defaultdict(set)
    for schema_id, question_id in QuestionGroupQuestion.objects.filter(
        group__schema_memberships__schema_id__in=schema_ids
    ).values_list("group__schema_memberships__schema_id", "question_id"):
        schema_questions[schema_id].add(question_id)
    all_questions = set().union(*schema_questions.values()) if schema_questions else set()
    in_q = {p.pk: schema_questions[p.schema_id] for p in projects}

    def counts(qs) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for project_id, question_id, n in (
            qs.on_active_videos()
            .filter(project_id__in=ids, question_id__in=all_questions)
            .values("project_id", "question_id")
            .annotate(n=Count("id"))
            .values_list("project_id", "question_id", "n")
        ):
            if question_id in in_q[project_id]:
                totals[project_id] += n
        return totals

    gt = counts(GroundTruth.objects.all())
    answered = counts(Answer.objects.filter(user=user)) if user is not None else {}
    return {
        p.pk: ProjectFigures(
            n_videos=n_videos.get(p.pk, 0),
            n_questions=len(schema_questions[p.schema_id]),
            gt_done=gt.get(p.pk, 0),
            answered=answered.get(p.pk, 0),
        )
        for p in projects
    }


# --------------------------------------------------------------------------- dashboard

DASHBOARD_PAGE_SIZE = 6  # PORTAL-DASH-3
UNASSIGNED = "Unassigned"


@dataclass
class ProjectCard:
    project: Project
    figures: ProjectFigures
    assigned_at: datetime
    show_gt_progress: bool

    @property
    def progress(self) -> float:
        return self.figures.gt_progress if self.show_gt_progress else self.figures.progress


@dataclass
class DashboardSection:
    key: str  # the page parameter's suffix, stable across reloads
    name: str
    description: str
    cards: list[ProjectCard]
    page: int = 1
    pages: int = 1
    count: int = 0


SORTS = {
    "name": lambda c: c.project.name.lower(),
    "completion": lambda c: (c.progress, c.project.name.lower()),
    "assigned": lambda c: (c.assigned_at, c.project.name.lower()),
}


def dashboard(
    user: User, *, role: str, search: str = "", sort: str = "name", descending: bool = False, pages=None
) -> list[DashboardSection]:
    """PORTAL-DASH-1..7: the user's active projects for `role`, grouped by active project group.

    Seven queries in all: the rows, the group memberships, and the four of project_figures.
    """
    rows = list(
        Assignment.objects.for_user(user).held().filter(role=role).select_related("project").order_by("project__name")
    )
    if search:
        rows = [a for a in rows if search.lower() in a.project.name.lower()]
    projects = [a.project for a in rows]
    figures = project_figures(projects, user)
    show_gt = role != Assignment.Role.ANNOTATOR
    cards = {a.project_id: ProjectCard(a.project, figures[a.project_id], a.assigned_at, show_gt) for a in rows}
    memberships = (
        ProjectGroupProject.objects.filter(project_id__in=cards, project_group__is_active=True)
        .select_related("project_group")
        .order_by("project_group__name")
    )
    sections: dict[int, DashboardSection] = {}
    grouped: set[int] = set()
    for m in memberships:
        pg = m.project_group
        section = sections.setdefault(pg.pk, DashboardSection(f"g{pg.pk}", pg.name, pg.description, []))
        section.cards.append(cards[m.project_id])
        grouped.add(m.project_id)
    result = list(sections.values())
    rest = [c for pid, c in cards.items() if pid not in grouped]
    if rest:
        result.append(DashboardSection("none", UNASSIGNED, "Projects in no project group.", rest))
    key = SORTS.get(sort, SORTS["name"])
    pages = pages or {}
    for section in result:
        section.cards.sort(key=key, reverse=descending)
        section.count = len(section.cards)
        if not search:  # PORTAL-DASH-4: a search shows every match
            section.pages = max(1, -(-section.count // DASHBOARD_PAGE_SIZE))
            section.page = min(max(1, pages.get(section.key, 1)), section.pages)
            start = (section.page - 1) * DASHBOARD_PAGE_SIZE
            section.cards = section.cards[start : start + DASHBOARD_PAGE_SIZE]
    return result


# --------------------------------------------------------------------------- one user's answers


@dataclass
class OwnAnswers:
    """A user's answers in a project: value and review status by (video, question)."""

    values: dict[tuple[int, int], str] = field(default_factory=dict)
    reviews: dict[tuple[int, int], str] = field(default_factory=dict)  # approved / rejected; absent = pending


def own_answers(user: User, project: Project, video_ids=None) -> OwnAnswers:
    """One query: the user's answers (optionally on some videos) with their review status."""
    qs = Answer.objects.filter(project=project, user=user)
    if video_ids is not None:
        qs = qs.filter(video_id__in=video_ids)
    result = OwnAnswers()
    for video_id, question_id, value, status in qs.values_list("video_id", "question_id", "value", "review__status"):
        result.values[(video_id, question_id)] = value
        if status:
            result.reviews[(video_id, question_id)] = status
    return result


def ground_truth(project: Project, video_ids=None) -> dict[tuple[int, int], str]:
    """One query: the current GT values (overrides included) by (video, question)."""
    qs = GroundTruth.objects.filter(project=project)
    if video_ids is not None:
        qs = qs.filter(video_id__in=video_ids)
    return {(v, q): value for v, q, value in qs.values_list("video_id", "question_id", "value")}


def active_video_ids(project: Project) -> list[int]:
    """V(P) as ids in position order (one query)."""
    return list(
        ProjectVideo.objects.of_active_videos()
        .filter(project=project)
        .order_by("position")
        .values_list("video_id", flat=True)
    )


def unanswered_pairs(user: User, project: Project, groups: list[GroupLayout], video_ids: list[int]):
    """(video id, group) pairs where the user lacks an answer to at least one question (one query)."""
    if not groups or not video_ids:
        return []
    question_ids = [q.pk for g in groups for q in g.questions]
    have = set(
        Answer.objects.filter(project=project, user=user, question_id__in=question_ids).values_list(
            "video_id", "question_id"
        )
    )
    return [(v, g) for v in video_ids for g in groups if any((v, q.pk) not in have for q in g.questions)]


def page_customs(project: Project, video_ids) -> list[CustomDisplay]:
    """The custom displays of a page's videos, or none when the schema does not show them (DM-CD-5)."""
    if not project.schema.has_custom_display:
        return []
    return list(CustomDisplay.objects.filter(project=project, video_id__in=list(video_ids)))


def history_entries(project: Project, video) -> list[tuple[str, GroundTruthHistory]]:
    """PORTAL-PRJ-12: (group title, entry) for a video's GT history in the project, newest first."""
    titles = {q.pk: g.group.display_title for g in schema_layout(project.schema_id) for q in g.questions}
    entries = (
        GroundTruthHistory.objects.filter(project=project, video=video)
        .select_related("question", "actor")
        .order_by("-at", "-id")
    )
    entries = list(entries)
    for e in entries:  # values as people read them: option labels, a multiple choice's set joined
        shown = _shown_value(e.question)
        e.old_shown, e.new_shown = shown(e.old_value), shown(e.new_value)
    return [(titles.get(e.question_id, ""), e) for e in entries]


def _shown_value(question):
    """value -> the text the history page shows (None stays None); a type the code no longer knows shows the
    stored text as it is."""
    kind, labels = question_types.find(question.qtype), question.labels()
    return lambda value: value if value is None or kind is None else kind.shown_value(value, labels)
