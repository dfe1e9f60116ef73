"""Project analytics (PORTAL-REV-14): annotator and reviewer leaderboards, per-question matrix, compare
(SCORE-LB), and agreement (SCORE-AGR). Plain function views.

The same views serve the reviewer portal (namespace "review", reviewer row in P) and the meta-reviewer portal
(namespace "meta", global admins through their admin row), so links are built from the namespace the request
came in on. Charts are inline SVG drawn by the templates from the geometry computed here (SCORE-LB-5).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from annotation import analytics
from annotation.progress import project_figures, schema_layout
from annotation.scoring.accuracy import Tally, band
from annotation.scoring.formatting import format_alpha, format_difference, format_percent
from annotation.scoring.leaderboards import compare
from annotation.views.analytics_charts import OPTION_LEGEND, accuracy_chart, alpha_chart, band_css, option_chart
from annotation.views.analytics_downloads import leaderboard_csv, per_option_csv, per_question_csv
from catalog.models import Assignment
from catalog.permissions import get_project_or_404

# namespace -> (role checked in P, the `portal` key the navigation marks as current)
PORTALS = {
    "review": (Assignment.Role.REVIEWER, "review"),
    "meta": (Assignment.Role.ADMIN, "meta-review"),
}
MATRIX_DEFAULT = 5  # SCORE-LB-2: the top 5 by rank
COMPARE_MIN, COMPARE_MAX = 2, 5  # SCORE-LB-3
BAND_LEGEND = (
    ("excellent", "Excellent ≥ 90"),
    ("good", "Good ≥ 80"),
    ("fair", "Fair ≥ 70"),
    ("needs", "Needs improvement < 70"),
)
GATED = "Analytics are available once the project's ground truth is complete (training mode)."

KINDS = {
    "annotators": {
        "title": "Annotator analytics",
        "metric": "Accuracy",
        "about": "How often each answerer's answers match the current ground truth (admin overrides included). "
        "Description answers count once a reviewer has approved or rejected them.",
        "who": "answerers",
    },
    "reviewers": {
        "title": "Reviewer analytics",
        "metric": "Not overridden",
        "about": "The share of each reviewer's ground-truth answers that no admin has overridden.",
        "who": "reviewers",
    },
}


# --------------------------------------------------------------------------- access and shared context


def _authorise(request, project_id: int):
    """SEC-4/5: a reviewer row in P (review portal), or a global admin's admin row in P (meta portal)."""
    match = request.resolver_match
    key = match.namespaces[-1] if match.namespaces else ""
    if key not in PORTALS:
        raise Http404("No such page")
    role, portal = PORTALS[key]
    if key == "meta" and not request.user.is_global_admin:
        raise PermissionDenied("The meta-reviewer portal is for global admins.")
    project, _ = get_project_or_404(request.user, project_id, role)
    return match.namespace, portal, project


def _context(namespace: str, portal: str, project, figures, current: str) -> dict:
    def url(name):
        return reverse(f"{namespace}:analytics_{name}", args=[project.pk])

    tabs = [
        ("annotators", "Annotator analytics", url("annotators")),
        ("reviewers", "Reviewer analytics", url("reviewers")),
        ("agreement", "Agreement", url("agreement")),
    ]
    return {
        "portal": portal,
        "project": project,
        "training": figures.training,
        "gt_progress": figures.gt_progress,
        "tabs": tabs,
        "urls": {key: link for key, _, link in tabs},
        "current": current,
        "back": reverse(f"{namespace}:project", args=[project.pk]),
        "gated_message": GATED,
    }


def _option_section(request, project, questions, people: list[analytics.Person]) -> dict:
    """The per-option section of the annotator page: ?opt=<user_id> for one answerer, everyone otherwise."""
    known = {p.user_id for p in people}
    chosen = request.GET.get("opt") or None
    if chosen not in known:
        chosen = None
    reports = analytics.option_scores(project, questions, user_id=chosen)
    return {
        "option_charts": [(r, option_chart(r)) for r in reports],
        "option_user": chosen,
        "option_legend": OPTION_LEGEND,
    }


# --------------------------------------------------------------------------- leaderboards (SCORE-LB)


@dataclass(frozen=True)
class BoardRow:
    rank: int | None
    person: analytics.Person
    correct: int
    total: int
    percent: float | None

    @property
    def shown(self) -> str:
        return format_percent(self.percent) if self.percent is not None else "no data"

    @property
    def band(self) -> str:
        return band_css(self.percent)

    @property
    def band_name(self) -> str:
        return band(self.percent) or ""

    @property
    def highlighted(self) -> bool:
        return self.rank is not None and self.rank <= 3

    @property
    def css(self) -> str:
        """Ranks 1–3 are highlighted (SCORE-LB-1); "no data" rows are muted."""
        if self.rank is None:
            return "no-data"
        return f"podium rank-{self.rank}" if self.highlighted else ""


@dataclass(frozen=True)
class Cell:
    shown: str
    css: str
    title: str = ""
    difference: str = ""
    sign: str = ""


def _cell(tally: Tally) -> Cell:
    return Cell(format_percent(tally.percent), band_css(tally.percent), f"{tally.correct}/{tally.total}")


def _picked(request, key: str, order: list[str]) -> list[str]:
    """The known user_ids given as ?key=… (repeatable), once each, in leaderboard order."""
    wanted = set(request.GET.getlist(key))
    return [u for u in order if u in wanted]


def _matrix(table: analytics.AccuracyTable, users: list[str]):
    """SCORE-LB-2: questions in Q(P) order, then the overall row; "—" where undefined."""
    rows = [(q.display_text, q.text, [_cell(table.tally(u, q.pk)) for u in users]) for q in table.questions]
    rows.append(("Overall", "", [_cell(table.overall(u)) for u in users]))
    return rows


def _comparison_row(values: dict[str, float | None]):
    result = compare(values)
    cells = []
    for u, value in values.items():
        diff = result.differences[u]
        sign = "" if diff is None else "up" if diff > 0 else "down" if diff < 0 else "even"
        cells.append(Cell(format_percent(value), band_css(value), "", format_difference(diff), sign))
    return cells, format_percent(result.mean)


def _compare(table: analytics.AccuracyTable, users: list[str]):
    """SCORE-LB-3: each user's %, the mean of the defined values, and each signed difference from it."""
    rows = []
    for q in table.questions:
        cells, mean = _comparison_row({u: table.percent(u, q.pk) for u in users})
        rows.append((q.display_text, q.text, cells, mean))
    cells, mean = _comparison_row({u: table.overall(u).percent for u in users})
    rows.append(("Overall", "", cells, mean))
    return rows


def _board_context(request, table, board, order: list[int], chosen: list[int], metric) -> dict:
    """The leaderboard, its chart, the per-question matrix and the comparison of picked users."""
    rows = [BoardRow(r.rank, table.people[r.user_id], r.correct, r.total, r.percent) for r in board.rows]
    matrix_users = chosen or board.top(MATRIX_DEFAULT)
    compared = _picked(request, "cmp", order)
    compare_error = None
    if "cmp" in request.GET and not COMPARE_MIN <= len(compared) <= COMPARE_MAX:
        compare_error = f"Pick {COMPARE_MIN} to {COMPARE_MAX} users to compare (you picked {len(compared)})."
    return {
        "rows": rows,
        "board": board,
        "chart": accuracy_chart(rows, metric),
        "people": [table.people[u] for u in order],
        "matrix_users": [table.people[u] for u in matrix_users],
        "matrix": _matrix(table, matrix_users),
        "matrix_default": not chosen,
        "compared": compared,
        "compare_users": [table.people[u] for u in compared] if compare_error is None else [],
        "comparison": _compare(table, compared) if compared and compare_error is None else None,
        "compare_error": compare_error,
        "band_legend": BAND_LEGEND,
    }


def _leaderboard_page(request, project_id: int, kind: str):
    namespace, portal, project = _authorise(request, project_id)
    figures = project_figures([project], None)[project.pk]  # no user: 3 queries
    context = _context(namespace, portal, project, figures, kind) | {"kind": kind, **KINDS[kind]}
    if not figures.training:  # SCORE-ACC-1, PORTAL-REV-14
        return render(request, "annotation/analytics/leaderboard.html", context)

    questions = analytics.questions_of(schema_layout(project.schema_id))
    read = analytics.annotator_accuracy if kind == "annotators" else analytics.reviewer_accuracy
    table = read(project, questions)
    board = table.leaderboard()
    order = [r.user_id for r in board.rows]
    chosen = _picked(request, "u", order)
    if request.GET.get("format") == "csv":
        if request.GET.get("table") == "per_question":
            return per_question_csv(table, chosen or order)
        if request.GET.get("table") == "per_option" and kind == "annotators":
            return per_option_csv(analytics.option_figures(project, questions), table, order)
        return leaderboard_csv(table, board)

    context |= _board_context(request, table, board, order, chosen, KINDS[kind]["metric"]) | {"questions": questions}
    if kind == "annotators":
        context |= _option_section(request, project, questions, context["people"])
    return render(request, "annotation/analytics/leaderboard.html", context)


@login_required
@require_GET
def annotators(request, project_id):
    """SCORE-LB-1/2/3: annotator leaderboard, per-question matrix and compare; CSV with ?format=csv."""
    return _leaderboard_page(request, project_id, "annotators")


@login_required
@require_GET
def reviewers(request, project_id):
    """SCORE-LB-4: the same for reviewer accuracy ("not overridden")."""
    return _leaderboard_page(request, project_id, "reviewers")


# --------------------------------------------------------------------------- agreement (SCORE-AGR)


@login_required
@require_GET
def agreement(request, project_id):
    """SCORE-AGR-1..5: PA and α per single question, in any mode; ?models=1 adds model users as coders."""
    namespace, portal, project = _authorise(request, project_id)
    figures = project_figures([project], None)[project.pk]  # no user: 3 queries
    include_models = request.GET.get("models") == "1"
    questions = analytics.questions_of(schema_layout(project.schema_id))
    report = analytics.agreement(project, questions, include_models=include_models)
    context = _context(namespace, portal, project, figures, "agreement") | {
        "report": report,
        "chart": alpha_chart(report.rows),
        "include_models": include_models,
        "mean_alpha": format_alpha(report.mean_alpha),
        "alpha_legend": [("reliable", "α ≥ 0.800"), ("tentative", "α ≥ 0.667"), ("low", "α < 0.667")],
    }
    return render(request, "annotation/analytics/agreement.html", context)
