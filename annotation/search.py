"""Read side of the search portal (PORTAL-SRCH): find videos, criteria matching, completion status, and the
editable GT cards of a result page, all with a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count

from annotation.cards.review import ReviewCard, build_review_cards, page_labels
from annotation.ground_truth import REVIEW_TOKEN_FIELDS
from annotation.models import Answer, AnswerReview, GroundTruth
from annotation.player import share_link
from annotation.progress import schema_layouts
from catalog.models import CustomDisplay, Project, ProjectGroupProject, ProjectVideo, User, Video

VIDEO_MATCH_LIMIT = 20  # PORTAL-SRCH-2
STATUSES = ("complete", "partial", "missing", "no questions")  # PORTAL-SRCH-8


def find_videos(term: str, *, include_archived: bool) -> tuple[int, list[Video]]:
    """Videos whose uid contains `term` (case-insensitive), in uid order: the count and the first 20."""
    qs = Video.objects.filter(video_uid__icontains=term).order_by("video_uid")
    if not include_archived:
        qs = qs.active()
    return qs.count(), list(qs[:VIDEO_MATCH_LIMIT])


@dataclass
class Scope:
    """PORTAL-SRCH-3: the projects that contain the video, by active project group."""

    groups: list[tuple[object, list[Project]]]  # (ProjectGroup, its projects holding the video)
    unassigned: list[Project]  # active projects in no active group
    archived: list[Project]

    def included(self, group_ids: set[int] | None, *, unassigned: bool, archived: bool) -> list[tuple[str, list]]:
        """(heading, projects) sections in scope; a project in several groups appears under each."""
        sections = [(g.name, ps) for g, ps in self.groups if group_ids is None or g.pk in group_ids]
        if unassigned and self.unassigned:
            sections.append(("Unassigned", self.unassigned))
        if archived and self.archived:
            sections.append(("Archived projects", self.archived))
        return sections


def scope_for(video: Video) -> Scope:
    """Two queries: the projects holding the video, and their active group memberships."""
    projects = list(Project.objects.filter(video_links__video=video).select_related("schema").order_by("name"))
    memberships = (
        ProjectGroupProject.objects.filter(project__in=projects, project_group__is_active=True)
        .select_related("project_group")
        .order_by("project_group__name")
    )
    by_group: dict[int, tuple[object, list[Project]]] = {}
    grouped = set()
    by_id = {p.pk: p for p in projects}
    for m in memberships:
        if not by_id[m.project_id].is_active:
            continue
        by_group.setdefault(m.project_group_id, (m.project_group, []))[1].append(by_id[m.project_id])
        grouped.add(m.project_id)
    return Scope(
        groups=list(by_group.values()),
        unassigned=[p for p in projects if p.is_active and p.pk not in grouped],
        archived=[p for p in projects if not p.is_active],
    )


# --------------------------------------------------------------------------- GT cards for (project, video) pairs


def search_mode(panel, user: User) -> str:
    """PORTAL-SRCH-4: create without GT; re-submit for the group's own reviewer without overrides; else override."""
    if not panel.has_gt:
        return "create"
    reviewers = {h.gt_by for h in panel.helps if h.gt_by}
    if panel.overridden_by is None and reviewers == {user.display_name}:
        return "resubmit"
    return "override"


def gt_cards(user: User, pairs: list[tuple[Project, Video, int]]) -> list[ReviewCard]:
    """Editable GT cards for (project, video, number) pairs: six queries for the whole page.

    Every answerer of the pair is shown beside the forms (votes, description texts and their reviews).
    """
    if not pairs:
        return []
    projects = {p.pk: p for p, _, _ in pairs}
    video_ids = {v.pk for _, v, _ in pairs}
    layouts = schema_layouts({p.schema_id for p in projects.values()})
    gt = defaultdict(list)
    for row in GroundTruth.objects.filter(project_id__in=projects, video_id__in=video_ids).select_related(
        "reviewer", "overridden_by"
    ):
        gt[(row.project_id, row.video_id)].append(row)
    answers = defaultdict(list)
    for a in Answer.objects.filter(project_id__in=projects, video_id__in=video_ids).select_related(
        "user", "review__reviewer"
    ):
        answers[(a.project_id, a.video_id)].append(a)
    reviews = defaultdict(list)
    for project_id, *row in AnswerReview.objects.filter(
        answer__project_id__in=projects, answer__video_id__in=video_ids
    ).values_list("answer__project_id", "answer__video_id", "answer__question_id", *REVIEW_TOKEN_FIELDS):
        reviews[(project_id, row[0])].append(tuple(row))
    customs = defaultdict(list)
    for c in CustomDisplay.objects.filter(project_id__in=projects, video_id__in=video_ids):
        customs[(c.project_id, c.video_id)].append(c)
    # One set of short labels for the whole page, so "R1" cannot name two people on two cards (issue 11.8).
    labels = page_labels(
        [user], [g for rows in gt.values() for g in rows], [a for rows in answers.values() for a in rows]
    )
    cards = []
    for project, video, number in pairs:
        key = (project.pk, video.pk)
        people = sorted({a.user for a in answers[key]}, key=lambda u: u.display_name.lower())
        card = build_review_cards(
            project=project,
            videos=[(number, video)],
            layout=layouts[project.schema_id],
            gt_rows=gt[key],
            answers=answers[key],
            all_reviews=reviews[key],
            selected=people,
            customs=customs[key] if project.schema.has_custom_display else [],
            reviewer=user,
            meta=False,
            labels=labels,
        )[0]
        card.player["share_url"] = share_link(video.pk, project.pk, "search")
        for panel in card.panels:
            panel.search_mode = search_mode(panel, user)
            panel.meta = panel.search_mode == "override"
            panel.read_only = not project.is_active
        cards.append(card)
    return cards


def gt_status(done: int, n_questions: int) -> str:
    """PORTAL-SRCH-8 for one (project, video)."""
    if n_questions == 0:
        return "no questions"
    if done == 0:
        return "missing"
    return "complete" if done >= n_questions else "partial"


# --------------------------------------------------------------------------- criteria (PORTAL-SRCH-5..7)


@dataclass(frozen=True)
class Criterion:
    project_id: int
    question_id: int
    answer: str


@dataclass
class Match:
    """One candidate video against every criterion of the search (PORTAL-SRCH-7)."""

    video_id: int
    positions: dict[int, int]  # project id -> the video's position there, for the projects holding it
    matched: list[Criterion]
    criteria: list[Criterion]
    values: dict[Criterion, str | None]  # the GT each criterion was compared with (None: no GT, or not in P)

    @property
    def summary(self) -> str:
        return f"{len(self.matched)}/{len(self.criteria)} matched"

    @property
    def level(self) -> str:
        """All / at least 50% / less than 50% matched, shown distinctly (PORTAL-SRCH-9)."""
        if len(self.matched) == len(self.criteria):
            return "all"
        return "half" if 2 * len(self.matched) >= len(self.criteria) else "some"

    @property
    def matched_projects(self) -> list[int]:
        """The projects of the matched criteria, in criteria order: the result's editable GT cards."""
        return list(dict.fromkeys(c.project_id for c in self.matched))


def match_criteria(criteria: list[Criterion], *, match_all: bool, kinds: Mapping | None = None) -> list[Match]:
    """PORTAL-SRCH-7: one result per candidate video, in uid order, reporting k of n criteria matched.

    The candidates are the active videos of the criteria's projects. A criterion (P, q, a) matches v only
    when v is in P and the GT of (P, v, q) meets a: `kinds[q].meets(a, gt)`, equality unless the question's
    type says otherwise (a multiple choice's "contains option X"); without `kinds`, equality. The GT rows
    are read once and matched here in Python, which stays correct whatever an option holds (quotes, commas,
    % or _ would need escaping in a LIKE). So under ALL a video that fails (or is absent from)
    one project's criterion is not returned through another project. Two queries: the candidates with their
    positions, and the GT of the criteria's projects and questions.
    """
    criteria = list(dict.fromkeys(criteria))
    if not criteria:
        return []
    project_ids = {c.project_id for c in criteria}
    positions: dict[int, dict[int, int]] = defaultdict(dict)
    uids: dict[int, str] = {}
    for project_id, video_id, position, uid in (
        ProjectVideo.objects.of_active_videos()
        .filter(project_id__in=project_ids)
        .values_list("project_id", "video_id", "position", "video__video_uid")
    ):
        positions[video_id][project_id] = position
        uids[video_id] = uid
    gt = {
        (p, v, q): value
        for p, v, q, value in GroundTruth.objects.on_active_videos()
        .filter(project_id__in=project_ids, question_id__in={c.question_id for c in criteria})
        .values_list("project_id", "video_id", "question_id", "value")
    }

    def meets(c: Criterion, truth: str | None) -> bool:
        kind = kinds.get(c.question_id) if kinds else None
        return kind.meets(c.answer, truth) if kind is not None else truth is not None and truth == c.answer

    results = []
    for video_id in sorted(positions, key=lambda v: (uids[v], v)):
        values = {c: gt.get((c.project_id, video_id, c.question_id)) for c in criteria}
        matched = [c for c in criteria if c.project_id in positions[video_id] and meets(c, values[c])]
        if (match_all and len(matched) == len(criteria)) or (not match_all and matched):
            results.append(Match(video_id, positions[video_id], matched, criteria, values))
    return results


# --------------------------------------------------------------------------- completion (PORTAL-SRCH-8)


def completion_rows(projects: list[Project]) -> list[tuple[Project, int, int, str]]:
    """(project, video id, position, status) for every active video of the projects (four queries)."""
    layouts = schema_layouts({p.schema_id for p in projects})
    sizes = {p.pk: sum(len(g.questions) for g in layouts[p.schema_id]) for p in projects}
    question_ids = {p.pk: {q.pk for g in layouts[p.schema_id] for q in g.questions} for p in projects}
    done = defaultdict(int)
    for project_id, video_id, question_id in GroundTruth.objects.filter(project__in=projects).values_list(
        "project_id", "video_id", "question_id"
    ):
        if question_id in question_ids[project_id]:
            done[(project_id, video_id)] += 1
    by_id = {p.pk: p for p in projects}
    rows = []
    for project_id, video_id, position in (
        ProjectVideo.objects.of_active_videos()
        .filter(project__in=projects)
        .order_by("project__name", "position")
        .values_list("project_id", "video_id", "position")
    ):
        rows.append((by_id[project_id], video_id, position, gt_status(done[(project_id, video_id)], sizes[project_id])))
    return rows


def project_counts(projects) -> dict[int, int]:
    """Active videos per project (one query), for pickers."""
    return dict(
        ProjectVideo.objects.of_active_videos()
        .filter(project__in=projects)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
