"""Read side of project analytics (PORTAL-REV-14): accuracy tallies and agreement, in a fixed number of queries.

The ORM work stops here: each function loads plain rows in one or two queries, whatever the number of users,
videos or questions, and hands them to the pure functions of `annotation.scoring`. Views decide what to show.

Scope, as everywhere (DM-DER-2): V(P) is the project's active videos, Q(P) the schema's questions, which the
caller passes in (from `progress.schema_layout`) so that the question order is the schema's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotation.models import Answer, GroundTruth
from annotation.scoring.accuracy import Tally, combine, tally_reviewer
from annotation.scoring.agreement import Agreement, agreement_summary
from annotation.scoring.formatting import display_name, format_alpha
from annotation.scoring.leaderboards import Leaderboard, leaderboard
from annotation.scoring.per_option import OptionScore
from catalog.models import Project, Question, User

# --------------------------------------------------------------------------- people


@dataclass(frozen=True)
class Person:
    """A user as analytics shows them: the natural key, the type (for the model flag) and the display name."""

    pk: int
    user_id: str
    user_type: str

    @property
    def is_model(self) -> bool:
        return self.user_type == User.UserType.MODEL

    @property
    def display_name(self) -> str:
        return display_name(self.user_id)


# --------------------------------------------------------------------------- accuracy (SCORE-ACC)


@dataclass
class AccuracyTable:
    """correct/total per (user, question) for one kind of accuracy: annotator (SCORE-ACC-2) or reviewer (-3).

    people: every user the kind covers (answerers of P, or reviewers with a GT row), by user_id, so that a
    user whose tallies are all 0/0 still shows as "no data". Users are keyed by the natural `user_id`, which is
    also what the leaderboard, the CSV columns and the `?u=`/`?cmp=` parameters use.
    """

    questions: tuple[Question, ...]
    people: dict[str, Person] = field(default_factory=dict)
    tallies: dict[str, dict[int, Tally]] = field(default_factory=dict)

    def tally(self, user_id: str, question_id: int) -> Tally:
        return self.tallies.get(user_id, {}).get(question_id, Tally())

    def percent(self, user_id: str, question_id: int) -> float | None:
        """accuracy(u, q), None when undefined (SCORE-ACC-4)."""
        return self.tally(user_id, question_id).percent

    def overall(self, user_id: str) -> Tally:
        """Σ_q correct and Σ_q total; its percent is overall(u) (SCORE-ACC-4)."""
        return combine(self.tallies.get(user_id, {}).values())

    def leaderboard(self) -> Leaderboard:
        """SCORE-LB-1 / SCORE-LB-4."""
        return leaderboard({u: self.overall(u) for u in self.people})


def _in_project(qs, project: Project, questions: Sequence[Question]):
    # V(P): active videos that are members of P; Q(P): the schema's questions (passed in, so no extra query).
    return qs.filter(project=project, question_id__in=[q.pk for q in questions]).on_member_videos()


def _in_projects(qs, questions_by_project: Mapping[int, Sequence[Question]]):
    # V(P) for each row's own project: active videos that are members of it. Q(P) differs per project, so the
    # query takes the union of the question ids and the callers drop a row whose question is not in its Q(P).
    question_ids = {q.pk for questions in questions_by_project.values() for q in questions}
    return qs.filter(project_id__in=list(questions_by_project), question_id__in=question_ids).on_member_videos()


def annotator_accuracy(project: Project, questions: Sequence[Question]) -> AccuracyTable:
    """Annotator accuracy of the answerers of P (SCORE-ACC-2, DM-DER-9), model users included. Two queries.

    single: every answer counts in total; correct when it equals the current GT value (overrides included).
    description: only reviewed answers count; correct when approved.
    """
    return annotator_accuracy_by_project({project.pk: questions})[project.pk]


def annotator_accuracy_by_project(questions_by_project: Mapping[int, Sequence[Question]]) -> dict[int, AccuracyTable]:
    """annotator_accuracy for many projects (project id -> Q(P)) in the same two queries, whatever their number.

    The team pages (annotation.team.figures) read every project's table at once; the leaderboards read one.
    """
    layouts = {pid: tuple(questions) for pid, questions in questions_by_project.items()}
    kinds = {pid: {q.pk: q.kind for q in questions} for pid, questions in layouts.items()}
    tables = {pid: AccuracyTable(questions) for pid, questions in layouts.items()}
    if not layouts:
        return tables
    truth = {
        (p, v, q): value
        for p, v, q, value in _in_projects(GroundTruth.objects, layouts).values_list(
            "project_id", "video_id", "question_id", "value"
        )
    }
    graded: dict[tuple[int, str, int], list[tuple[str, str | None, str | None]]] = defaultdict(list)
    answers = _in_projects(Answer.objects, layouts).filter(user__is_active=True)
    for project_id, pk, user_id, user_type, question_id, video_id, value, status in answers.values_list(
        "project_id",
        "user_id",
        "user__user_id",
        "user__user_type",
        "question_id",
        "video_id",
        "value",
        "review__status",
    ):
        if question_id not in kinds[project_id]:
            continue
        tables[project_id].people.setdefault(user_id, Person(pk, user_id, user_type))
        truth_value = truth.get((project_id, video_id, question_id))
        graded[project_id, user_id, question_id].append((value, truth_value, status))
    for (project_id, user_id, question_id), found in graded.items():
        tally = kinds[project_id][question_id].tally(found)
        tables[project_id].tallies.setdefault(user_id, {})[question_id] = tally
    return tables


def reviewer_accuracy(project: Project, questions: Sequence[Question]) -> AccuracyTable:
    """Reviewer accuracy (SCORE-ACC-3): GT rows attributed to r; correct when not overridden. One query.

    An override an admin later reverted to the reviewer's value has overridden_by cleared (DM-GT-2), so it
    counts as correct without special handling.
    """
    return reviewer_accuracy_by_project({project.pk: questions})[project.pk]


def reviewer_accuracy_by_project(questions_by_project: Mapping[int, Sequence[Question]]) -> dict[int, AccuracyTable]:
    """reviewer_accuracy for many projects (project id -> Q(P)) in one query, whatever their number."""
    layouts = {pid: tuple(questions) for pid, questions in questions_by_project.items()}
    in_q = {pid: {q.pk for q in questions} for pid, questions in layouts.items()}
    tables = {pid: AccuracyTable(questions) for pid, questions in layouts.items()}
    if not layouts:
        return tables
    rows = _in_projects(GroundTruth.objects, layouts).filter(reviewer__is_active=True)
    flags: dict[tuple[int, str, int], list[bool]] = defaultdict(list)
    for project_id, pk, user_id, user_type, question_id, overridden_by in rows.values_list(
        "project_id", "reviewer_id", "reviewer__user_id", "reviewer__user_type", "question_id", "overridden_by_id"
    ):
        if question_id not in in_q[project_id]:
            continue
        tables[project_id].people.setdefault(user_id, Person(pk, user_id, user_type))
        flags[project_id, user_id, question_id].append(overridden_by is not None)
    for (project_id, user_id, question_id), found in flags.items():
        tables[project_id].tallies.setdefault(user_id, {})[question_id] = tally_reviewer(found)
    return tables


# --------------------------------------------------------------------------- per-option precision and recall


@dataclass(frozen=True)
class OptionReport:
    """One question whose type scores options (multiple choice): per-option precision and recall over
    `compared` answers, each one an answer on a video that has GT."""

    question: Question
    compared: int
    scores: tuple[OptionScore, ...]

    def label(self, option: str) -> str:
        return dict(zip(self.question.options or (), self.question.display_values or (), strict=False)).get(
            option, option
        )


def _option_pairs(
    project: Project, measured: Sequence[Question], user_id: str | None = None
) -> dict[str, dict[int, list[tuple[str, str]]]]:
    """user_id -> question id -> (answer, GT) stored-value pairs of the active answerers of P (or one of them), on
    the (video, question)s of V(P) that have a current GT. Two queries."""
    truth = {
        (video_id, question_id): value
        for video_id, question_id, value in _in_project(GroundTruth.objects, project, measured).values_list(
            "video_id", "question_id", "value"
        )
    }
    answers = _in_project(Answer.objects, project, measured).filter(user__is_active=True)
    if user_id is not None:
        answers = answers.filter(user__user_id=user_id)
    pairs: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for uid, video_id, question_id, value in answers.values_list("user__user_id", "video_id", "question_id", "value"):
        gt = truth.get((video_id, question_id))
        if gt is not None:
            pairs.setdefault(uid, {q.pk: [] for q in measured})[question_id].append((value, gt))
    return pairs


def _option_reports(measured: Sequence[Question], pairs: Mapping[int, list[tuple[str, str]]]) -> list[OptionReport]:
    return [OptionReport(q, len(pairs.get(q.pk, ())), q.kind.option_scores(q, pairs.get(q.pk, []))) for q in measured]


def _pooled(measured: Sequence[Question], by_user: Mapping[str, Mapping[int, list]]) -> dict[int, list]:
    return {q.pk: [pair for pairs in by_user.values() for pair in pairs[q.pk]] for q in measured}


def option_scores(project: Project, questions: Sequence[Question], *, user_id: str | None = None) -> list[OptionReport]:
    """Per-option precision and recall (issue 15) of the questions whose type scores options, in Q(P) order,
    for one answerer (`user_id`) or every active answerer (each answer counts once). Two queries, none when no
    question scores options.

    Like annotator accuracy, the pairs are the answers on V(P) whose (video, question) has a current GT.
    """
    measured = [q for q in questions if q.kind.scores_options]
    if not measured:
        return []
    return _option_reports(measured, _pooled(measured, _option_pairs(project, measured, user_id)))


@dataclass(frozen=True)
class OptionFigures:
    """Per-option reports of everyone and of each answerer at once (the per-option CSV and the accuracy API).

    everyone: one OptionReport per question that scores options, in Q(P) order; by_user: the same list per
    answerer with at least one compared answer (`of` gives anyone else the all-undefined reports).
    """

    questions: tuple[Question, ...]
    everyone: list[OptionReport]
    by_user: dict[str, list[OptionReport]]

    def of(self, user_id: str) -> list[OptionReport]:
        found = self.by_user.get(user_id)
        return found if found is not None else _option_reports(self.questions, {})

    def report(self, user_id: str, question: Question) -> OptionReport | None:
        """That answerer's report of one question; None when its type does not score options."""
        return next((r for r in self.of(user_id) if r.question.pk == question.pk), None)


def option_figures(project: Project, questions: Sequence[Question]) -> OptionFigures:
    """option_scores for everyone and for every answerer, in the same two queries whatever their number."""
    measured = tuple(q for q in questions if q.kind.scores_options)
    by_user = _option_pairs(project, measured) if measured else {}
    return OptionFigures(
        measured,
        _option_reports(measured, _pooled(measured, by_user)),
        {uid: _option_reports(measured, pairs) for uid, pairs in by_user.items()},
    )


# --------------------------------------------------------------------------- agreement (SCORE-AGR)


@dataclass(frozen=True)
class AgreementRow:
    """One measured question: how many coders answered it on V(P), and the metrics (Agreement)."""

    question: Question
    coders: int
    result: Agreement

    @property
    def distance(self) -> str:
        """How a disagreement is weighed, in plain words ("set distance: MASI")."""
        return self.question.kind.agreement_distance

    @property
    def alpha_shown(self) -> str:
        return format_alpha(self.result.alpha, all_identical=self.result.all_identical)


@dataclass(frozen=True)
class AgreementReport:
    """Per-question rows in Q(P) order (the measured types: single and multiple choice) and the project summary
    (SCORE-AGR-4).

    coders: the coders of P (active human/admin answerers, plus models when included) with at least one answer
    to a measured question; mean_pa / mean_alpha: unweighted means of the defined values.
    """

    rows: tuple[AgreementRow, ...]
    coders: int
    mean_pa: float | None
    mean_alpha: float | None
    include_models: bool


def agreement(project: Project, questions: Sequence[Question], *, include_models: bool = False) -> AgreementReport:
    """Percent agreement and Krippendorff's alpha per measured question of P (SCORE-AGR-1..4): single choice
    with the nominal distance, multiple choice with the MASI distance (the type's `agreement`). One query.

    The units are the videos of V(P); the coders are the active answerers of P who are human or admin users,
    with model users added only when `include_models` is on. A row's `coders` counts the coders who answered
    that question on at least one video.
    """
    measured = tuple(q for q in questions if q.kind.measures_agreement)
    kinds = [User.UserType.HUMAN, User.UserType.ADMIN] + ([User.UserType.MODEL] if include_models else [])
    answers = _in_project(Answer.objects, project, measured).filter(user__is_active=True, user__user_type__in=kinds)
    units: dict[int, dict[int, list[str]]] = {q.pk: defaultdict(list) for q in measured}
    coders: dict[int, set[int]] = {q.pk: set() for q in measured}
    for question_id, video_id, user_pk, value in answers.values_list("question_id", "video_id", "user_id", "value"):
        units[question_id][video_id].append(value)
        coders[question_id].add(user_pk)
    rows = tuple(
        AgreementRow(q, len(coders[q.pk]), q.kind.agreement(units[q.pk].values()))
        for q in measured  # Q(P) order
    )
    mean_pa, mean_alpha = agreement_summary(r.result for r in rows)
    everyone: set[int] = set().union(*coders.values()) if coders else set()
    return AgreementReport(rows, len(everyone), mean_pa, mean_alpha, include_models)


def questions_of(layout: Iterable) -> list[Question]:
    """Q(P) in schema order from `progress.schema_layout` (no query)."""
    return [q for group in layout for q in group.questions]
