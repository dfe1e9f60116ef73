"""Who did what and how well: one row per person and team role, across projects, in a fixed number of queries.

Team roles follow the assignment rows: annotator (annotator and model rows), reviewer, and meta-reviewer (admin
rows). A person holding several roles has a row for each. For every (person, role, project) the figures are:

- completion: the person's progress (DM-DER-3) for annotators, the project's GT progress (DM-DER-4) for reviewers
  and meta-reviewers, the same values the dashboards show;
- accuracy: the leaderboards' tallies (annotation.analytics, SCORE-ACC-2/3), read for every training-mode project
  at once; annotator accuracy for annotators, "not overridden" for reviewers, none for meta-reviewers, whose
  overrides are the ground truth;
- submitted: answers (annotators), ground-truth rows now attributed to them (reviewers), overrides
  (meta-reviewers), counted on the day they were first made, within the date range;
- reviews: description answers the person approved or rejected within the date range (reviewers);
- last activity: the person's latest answer, ground-truth write or review in that role.

A row's projects are those where the person holds that role, archived assignments included, because the work
done under an archived assignment still counts: its answers, accuracy and activity are summed. "Projects
assigned" and completion cover the active assignments only. Archived projects and archived users are left out.
Query budget: see `team_figures`; nothing depends on the number of people, projects or answers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from annotation import analytics, scoring
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.progress import ProjectFigures, project_figures, schema_layouts
from catalog.models import Assignment, Project, QuestionGroupQuestion, User

Role = Assignment.Role
ANNOTATOR, REVIEWER, META = "annotator", "reviewer", "meta-reviewer"
TEAM_ROLES = (ANNOTATOR, REVIEWER, META)
ROLE_LABELS = {ANNOTATOR: "Annotator", REVIEWER: "Reviewer", META: "Meta-reviewer"}
PLURAL_LABELS = {ANNOTATOR: "Annotators", REVIEWER: "Reviewers", META: "Meta-reviewers"}
SUBMITTED_LABELS = {ANNOTATOR: "answers", REVIEWER: "ground truths", META: "overrides"}
TEAM_ROLE_OF = {Role.ANNOTATOR: ANNOTATOR, Role.MODEL: ANNOTATOR, Role.REVIEWER: REVIEWER, Role.ADMIN: META}


@dataclass(frozen=True)
class Filters:
    """What the team page, the export and the API narrow the figures to; every field optional."""

    project_group_id: int | None = None
    project_id: int | None = None
    role: str | None = None  # one of TEAM_ROLES
    start: datetime.date | None = None  # inclusive, in the site's time zone
    end: datetime.date | None = None  # inclusive
    person_id: int | None = None  # one person only (the person page)

    def in_range(self, name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{name}__gte": _midnight(self.start)})
        if self.end is not None:
            q &= Q(**{f"{name}__lt": _midnight(self.end + datetime.timedelta(days=1))})
        return q

    def describe(self) -> str:
        if self.start and self.end:
            return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"
        if self.start:
            return f"since {self.start:%Y-%m-%d}"
        if self.end:
            return f"until {self.end:%Y-%m-%d}"
        return "all time"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _later(a: datetime.datetime | None, b: datetime.datetime | None) -> datetime.datetime | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass
class Cell:
    """One person in one role in one project."""

    project: Project
    active: bool  # an active assignment in an active project
    total: int = 0  # N(P)
    done: int = 0  # the person's answers (annotator) or the project's GT rows (reviewer, meta) in V(P) × Q(P)
    training: bool = False
    tally: scoring.Tally = field(default_factory=scoring.Tally)  # accuracy, training-mode projects only
    submitted: int = 0
    reviews: int = 0
    last: datetime.datetime | None = None

    @property
    def completion(self) -> float | None:
        return self.done * 100 / self.total if self.total else None

    @property
    def accuracy(self) -> float | None:
        return self.tally.percent


@dataclass
class Row:
    """One person in one team role, summed over their projects. The sums are cached: read them only once the
    figures are complete (team_figures returns rows in that state)."""

    person: User
    role: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def submitted_label(self) -> str:
        return SUBMITTED_LABELS[self.role]

    @cached_property
    def band(self) -> str:
        """The accuracy band's CSS class (SCORE-ACC-5), as the leaderboards colour it."""
        name = scoring.band(self.accuracy)
        return "none" if name is None else name.split()[0]

    @cached_property
    def projects_assigned(self) -> int:
        return sum(c.active for c in self.cells)

    @cached_property
    def completion(self) -> float | None:
        """Σ done ÷ Σ N(P) over the active assignments: the share of all their assigned work that is done."""
        active = [c for c in self.cells if c.active]
        total = sum(c.total for c in active)
        return sum(c.done for c in active) * 100 / total if total else None

    @cached_property
    def tally(self) -> scoring.Tally:
        return scoring.combine(c.tally for c in self.cells)

    @cached_property
    def accuracy(self) -> float | None:
        """SCORE-ACC-4's overall, pooled over the training-mode projects: Σ correct ÷ Σ total."""
        return None if self.role == META else self.tally.percent

    @cached_property
    def submitted(self) -> int:
        return sum(c.submitted for c in self.cells)

    @cached_property
    def reviews(self) -> int | None:
        return sum(c.reviews for c in self.cells) if self.role == REVIEWER else None

    @cached_property
    def last_activity(self) -> datetime.datetime | None:
        last = None
        for c in self.cells:
            last = _later(last, c.last)
        return last


@dataclass
class TeamFigures:
    filters: Filters
    projects: list[Project]
    rows: list[Row]
    # (person pk) -> day -> answers, for the chart; only days inside the date range.
    answers_per_day: dict[int, dict[datetime.date, int]]

    def by_role(self, role: str) -> list[Row]:
        return [r for r in self.rows if r.role == role]


def scoped_projects(filters: Filters) -> list[Project]:
    """The active projects the filters keep, by name (one query)."""
    projects = Project.objects.active()
    if filters.project_group_id is not None:
        projects = projects.filter(group_memberships__project_group_id=filters.project_group_id)
    if filters.project_id is not None:
        projects = projects.filter(pk=filters.project_id)
    return list(projects.order_by("name"))


def team_figures(filters: Filters) -> TeamFigures:
    """Every row the filters keep. At most 18 queries, whatever the number of people, projects or answers:
    projects 1, project figures 3, assignments and people 2, Q(P), answers and answers per day 3, ground truth,
    overrides and history 3, reviews 1, and, when a project is in training mode, schemas 2 and accuracy 3 (fewer
    when a role filter skips some)."""
    projects = scoped_projects(filters)
    if not projects:
        return TeamFigures(filters, [], [], {})
    by_id = {p.pk: p for p in projects}
    figures = project_figures(projects, None)
    roles = [filters.role] if filters.role in TEAM_ROLES else list(TEAM_ROLES)
    rows = _rows(filters, by_id, figures, roles)
    ids = list(by_id)
    answer_roles = ANNOTATOR in roles
    in_q = _questions_by_project(projects) if answer_roles else {}
    if answer_roles:
        _add_answers(filters, in_q, rows)
    if REVIEWER in roles or META in roles:
        _add_ground_truth(filters, ids, rows)
    if REVIEWER in roles:
        _add_reviews(filters, ids, rows)
    _add_accuracy(projects, figures, rows, roles)
    per_day = _answers_per_day(filters, in_q) if answer_roles else {}
    kept = [r for r in rows["rows"].values() if r.projects_assigned or r.submitted or r.last_activity]
    ordered = sorted(kept, key=lambda r: (r.person.user_id.lower(), TEAM_ROLES.index(r.role)))
    return TeamFigures(filters, projects, ordered, per_day)


def _rows(filters: Filters, by_id: dict[int, Project], figures: dict[int, ProjectFigures], roles) -> dict:
    wanted = [r for r, team_role in TEAM_ROLE_OF.items() if team_role in roles]
    assignments = Assignment.objects.filter(project_id__in=list(by_id), role__in=wanted, user__is_active=True)
    if filters.person_id is not None:
        assignments = assignments.filter(user_id=filters.person_id)
    # Plain tuples, and each person loaded once: thousands of Assignment and User instances would cost more
    # than every query of the page together.
    found = list(
        assignments.order_by("user_id", "project_id", "role").values_list("user_id", "project_id", "role", "is_active")
    )
    people = User.objects.filter(pk__in={user_id for user_id, *_ in found}).only(
        "id", "user_id", "email", "user_type", "is_active"
    )
    person = {u.pk: u for u in people}
    rows: dict[tuple[int, str], Row] = {}
    cells: dict[tuple[int, str, int], Cell] = {}
    for user_id, project_id, assignment_role, is_active in found:
        role = TEAM_ROLE_OF[assignment_role]
        row = rows.setdefault((user_id, role), Row(person[user_id], role))
        key = (user_id, role, project_id)
        if key in cells:  # annotator and model rows of one pair: one cell
            cells[key].active = cells[key].active or is_active
            continue
        f = figures[project_id]
        cell = Cell(
            by_id[project_id],
            active=is_active,
            total=f.total,
            done=f.gt_done if role != ANNOTATOR else 0,
            training=f.training,
        )
        cells[key] = cell
        row.cells.append(cell)
    return {"rows": rows, "cells": cells}


def _count_in(filters: Filters, name: str) -> Count:
    window = filters.in_range(name)
    return Count("id", filter=window) if window else Count("id")


def _cell(rows, user_id: int, role: str, project_id: int) -> Cell | None:
    return rows["cells"].get((user_id, role, project_id))


def _questions_by_project(projects: list[Project]) -> dict[int, set[int]]:
    """Q(P) as question ids for each project (one query): answers are then filtered on plain ids, which is much
    cheaper than joining every answer through groups and schemas (DM-DER-2)."""
    by_schema: dict[int, set[int]] = defaultdict(set)
    for schema_id, question_id in QuestionGroupQuestion.objects.filter(
        group__schema_memberships__schema_id__in={p.schema_id for p in projects}
    ).values_list("group__schema_memberships__schema_id", "question_id"):
        by_schema[schema_id].add(question_id)
    return {p.pk: by_schema[p.schema_id] for p in projects}


def _answers_in_scope(filters: Filters, in_q: dict[int, set[int]]):
    """Answers on active videos to questions of some scoped project's schema (the rows still need their own
    project's Q(P) checked), narrowed to one person when the filters say so."""
    answers = Answer.objects.on_active_videos().filter(
        project_id__in=list(in_q), question_id__in=set().union(*in_q.values())
    )
    return answers if filters.person_id is None else answers.filter(user_id=filters.person_id)


def _add_answers(filters: Filters, in_q: dict[int, set[int]], rows) -> None:
    """Annotators: answers in V(P) × Q(P) (progress), those made in the range, and the latest change. One query."""
    for project_id, user_id, question_id, done, submitted, last in (
        _answers_in_scope(filters, in_q)
        .values("project_id", "user_id", "question_id")
        .annotate(done=Count("id"), submitted=_count_in(filters, "created_at"), last=Max("modified_at"))
        .values_list("project_id", "user_id", "question_id", "done", "submitted", "last")
    ):
        cell = _cell(rows, user_id, ANNOTATOR, project_id)
        if cell is not None and question_id in in_q[project_id]:
            cell.done += done
            cell.submitted += submitted
            cell.last = _later(cell.last, last)


def _add_ground_truth(filters: Filters, ids: list[int], rows) -> None:
    """Reviewers: GT rows attributed to them; meta-reviewers: their overrides; both: their latest GT write.
    Three queries."""
    person = {} if filters.person_id is None else {"reviewer_id": filters.person_id}
    for project_id, user_id, n, last in (
        GroundTruth.objects.filter(project_id__in=ids, **person)
        .values("project_id", "reviewer_id")
        .annotate(n=_count_in(filters, "created_at"), last=Max("created_at"))
        .values_list("project_id", "reviewer_id", "n", "last")
    ):
        cell = _cell(rows, user_id, REVIEWER, project_id)
        if cell is not None:
            cell.submitted = n
            cell.last = _later(cell.last, last)
    person = {} if filters.person_id is None else {"overridden_by_id": filters.person_id}
    for project_id, user_id, n, last in (
        GroundTruth.objects.filter(project_id__in=ids, overridden_by__isnull=False, **person)
        .values("project_id", "overridden_by_id")
        .annotate(n=_count_in(filters, "overridden_at"), last=Max("overridden_at"))
        .values_list("project_id", "overridden_by_id", "n", "last")
    ):
        cell = _cell(rows, user_id, META, project_id)
        if cell is not None:
            cell.submitted = n
            cell.last = _later(cell.last, last)
    history = GroundTruthHistory.objects.filter(project_id__in=ids, actor__isnull=False)
    if filters.person_id is not None:
        history = history.filter(actor_id=filters.person_id)
    override = GroundTruthHistory.Source.OVERRIDE
    for project_id, user_id, source, last in (
        history.values("project_id", "actor_id", "source")
        .annotate(last=Max("at"))
        .values_list("project_id", "actor_id", "source", "last")
    ):
        cell = _cell(rows, user_id, META if source == override else REVIEWER, project_id)
        if cell is not None:
            cell.last = _later(cell.last, last)


def _add_reviews(filters: Filters, ids: list[int], rows) -> None:
    """Reviewers: description answers approved or rejected in the range, and the latest review. One query."""
    reviews = AnswerReview.objects.filter(answer__project_id__in=ids)
    if filters.person_id is not None:
        reviews = reviews.filter(reviewer_id=filters.person_id)
    for project_id, user_id, n, last in (
        reviews.values("answer__project_id", "reviewer_id")
        .annotate(n=_count_in(filters, "reviewed_at"), last=Max("reviewed_at"))
        .values_list("answer__project_id", "reviewer_id", "n", "last")
    ):
        cell = _cell(rows, user_id, REVIEWER, project_id)
        if cell is not None:
            cell.reviews = n
            cell.last = _later(cell.last, last)


def _add_accuracy(projects: list[Project], figures: dict[int, ProjectFigures], rows, roles) -> None:
    """The leaderboards' tallies (SCORE-ACC-1..4) for every training-mode project: five queries in all."""
    training = [p for p in projects if figures[p.pk].training]
    if not training or not ({ANNOTATOR, REVIEWER} & set(roles)):
        return
    layouts = schema_layouts({p.schema_id for p in training})
    questions = {p.pk: analytics.questions_of(layouts[p.schema_id]) for p in training}
    kinds = []
    if ANNOTATOR in roles:
        kinds.append((ANNOTATOR, analytics.annotator_accuracy_by_project(questions)))
    if REVIEWER in roles:
        kinds.append((REVIEWER, analytics.reviewer_accuracy_by_project(questions)))
    for role, tables in kinds:
        for project_id, table in tables.items():
            for person in table.people.values():
                cell = _cell(rows, person.pk, role, project_id)
                if cell is not None:
                    cell.tally = table.overall(person.user_id)


def _answers_per_day(filters: Filters, in_q: dict[int, set[int]]) -> dict[int, dict[datetime.date, int]]:
    """Answers per person and day (the day they were first made) within the range: one query.

    Unlike the totals, the rows are not checked against their own project's Q(P) (that would group by question
    too); an answer outside Q(P) would need a schema edit that sync and hard delete both clean up.
    """
    answers = _answers_in_scope(filters, in_q).filter(filters.in_range("created_at"))
    per_day: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    for user_id, day, n in (
        answers.annotate(day=TruncDate("created_at"))
        .values("user_id", "day")
        .annotate(n=Count("id"))
        .values_list("user_id", "day", "n")
    ):
        per_day[user_id][day] = n
    return dict(per_day)


def people_of(rows: Iterable[Row]) -> list[User]:
    """Each person once, in row order."""
    seen: dict[int, User] = {}
    for row in rows:
        seen.setdefault(row.person.pk, row.person)
    return list(seen.values())
