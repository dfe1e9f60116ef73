"""Project analytics (PORTAL-REV-14): annotator and reviewer leaderboards, per-question matrix, compare
(SCORE-LB), and agreement (SCORE-AGR). Plain function views.

The same views serve the reviewer portal (namespace "review", reviewer row in P) and the meta-reviewer portal
(namespace "meta", global admins through their admin row), so links are built from the namespace the request
came in on. Charts are inline SVG drawn by the templates from the geometry computed here (SCORE-LB-5).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from annotation import analytics
from annotation.progress import project_figures, schema_layout
from annotation.scoring.accuracy import Tally, band
from annotation.scoring.formatting import format_alpha, format_difference, format_percent
from annotation.scoring.leaderboards import Leaderboard, compare
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


# --------------------------------------------------------------------------- inline SVG bar charts


@dataclass(frozen=True)
class Bar:
    label: str
    title: str
    value: str
    css: str
    defined: bool
    y: int
    x: float
    width: float
    text_x: float

    @property
    def text_y(self) -> int:
        return self.y + 15  # the baseline of a label centred on a BAR-high bar


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Geometry for a horizontal bar chart in SVG user units; the template only places what is here."""

    label: str
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    references: tuple[Tick, ...]
    zero_x: float

    @property
    def label_x(self) -> int:
        return self.plot_left - 10

    @property
    def tick_y(self) -> int:
        return self.plot_top - 6

    @property
    def reference_y(self) -> int:
        return self.plot_bottom + 14


# Layout in SVG units (1 unit = 1 CSS pixel at the chart's natural width): row pitch, bar height, top margin.
ROW, BAR, TOP = 30, 20, 34


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, float | None, str, str]],
    *,
    label: str,
    lo: float,
    hi: float,
    ticks: Sequence[tuple[float, str]],
    references: Sequence[tuple[float, str]] = (),
    gutter: int = 170,
    plot: int = 320,
    right: int = 60,
) -> Chart:
    """items: (label, value or None, shown value, css class), one row each; bars grow from 0 toward the value.

    gutter, plot, right: widths of the label column, the plot and the room for the value text after a bar.
    """

    def x(value: float) -> float:
        return round(gutter + (min(max(value, lo), hi) - lo) / (hi - lo) * plot, 2)

    zero = x(0.0)
    bars = []
    for i, (name, value, shown, css) in enumerate(items):
        y = TOP + i * ROW
        end = zero if value is None else x(value)
        left, width = min(zero, end), round(abs(end - zero), 2)
        bars.append(
            Bar(
                label=_short(name, gutter // 7),  # about 7 units per character at 13px
                title=f"{name}: {shown}",
                value=shown,
                css=css,
                defined=value is not None,
                y=y,
                x=left,
                width=width,
                text_x=max(zero, end) + 6,
            )
        )
    bottom = TOP + len(items) * ROW - (ROW - BAR) + 4
    return Chart(
        label=label,
        width=gutter + plot + right,
        height=bottom + 22,
        plot_left=gutter,
        plot_top=TOP - 6,
        plot_bottom=bottom,
        bars=tuple(bars),
        ticks=tuple(Tick(x(v), t) for v, t in ticks),
        references=tuple(Tick(x(v), t) for v, t in references),
        zero_x=zero,
    )


def _band_css(percent: float | None) -> str:
    name = band(percent)
    return "none" if name is None else name.split()[0]  # excellent, good, fair, needs


def accuracy_chart(rows, metric: str) -> Chart:
    """SCORE-LB-5: one bar per ranked user (overall accuracy), coloured by band (SCORE-ACC-5)."""
    ranked = [r for r in rows if r.rank is not None]
    return bar_chart(
        [(r.person.display_name, r.percent, format_percent(r.percent), r.band) for r in ranked],
        label=f"{metric} by user, highest first",
        lo=0,
        hi=100,
        ticks=[(v, f"{v}%") for v in (0, 25, 50, 75, 100)],
        references=[(70, "70"), (80, "80"), (90, "90")],
    )


def _alpha_css(alpha: float | None) -> str:
    # Krippendorff's usual reading: ≥ 0.800 reliable, ≥ 0.667 tentative conclusions, below that low.
    if alpha is None:
        return "none"
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "low"


def alpha_chart(rows) -> Chart:
    """SCORE-LB-5: a bar of α per single question; undefined α has a label and no bar."""
    defined = [r.result.alpha for r in rows if r.result.alpha is not None]
    lo = min(0.0, *defined) if defined else 0.0
    lo = math.floor(lo * 2) / 2  # down to a multiple of 0.5
    step = 0.25 if lo == 0 else 0.5
    ticks, v = [], lo
    while v <= 1 + 1e-9:
        ticks.append((v, f"{v:g}"))
        v += step
    return bar_chart(
        [(r.question.display_text, r.result.alpha, r.alpha_shown, _alpha_css(r.result.alpha)) for r in rows],
        label="Krippendorff's alpha per question",
        lo=lo,
        hi=1.0,
        ticks=ticks,
        references=[(0.667, "0.667"), (0.8, "0.8")],
        gutter=260,
        plot=460,
        right=190,
    )


# --------------------------------------------------------------------------- per-option precision and recall


@dataclass(frozen=True)
class OptionBar:
    """One of an option's two bars (precision or recall), in SVG units; no bar when the value is undefined."""

    name: str  # "precision" or "recall": the CSS class and the words of the tooltip
    value: float | None
    detail: str  # the counts behind it: "3 of 4 answers that ticked it"
    y: int
    width: float
    text_x: float

    @property
    def shown(self) -> str:
        return format_percent(self.value)

    @property
    def text_y(self) -> int:
        return self.y + 11  # the baseline of a label centred on an OPTION_BAR-high bar


@dataclass(frozen=True)
class OptionRow:
    label: str
    y: int
    bars: tuple[OptionBar, OptionBar]

    @property
    def label_y(self) -> int:
        return self.y + 19  # between the two bars


@dataclass(frozen=True)
class OptionChart:
    """Precision and recall per option of one question: two bars per option, 0–100 %."""

    label: str
    compared: int
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    rows: tuple[OptionRow, ...]
    ticks: tuple[Tick, ...]

    @property
    def label_x(self) -> int:
        return self.plot_left - 10

    @property
    def tick_y(self) -> int:
        return self.plot_top - 6


# Two bars of OPTION_BAR units, GAP apart, per option; rows OPTION_ROW apart.
OPTION_ROW, OPTION_BAR, GAP = 42, 14, 2
OPTION_LEGEND = (("precision", "Precision"), ("recall", "Recall"))


def option_chart(report: analytics.OptionReport, *, gutter: int = 170, plot: int = 320, right: int = 60) -> OptionChart:
    """The geometry of one question's precision/recall chart (issue 15); the template only places it."""

    def x(percent: float) -> float:
        return round(gutter + min(max(percent, 0.0), 100.0) / 100 * plot, 2)

    rows = []
    for i, score in enumerate(report.scores):
        y = TOP + i * OPTION_ROW
        bars = []
        for j, (name, value, detail) in enumerate(
            (
                ("precision", score.precision, f"{score.both} of {score.answered} answers that ticked it"),
                ("recall", score.recall, f"{score.both} of {score.truth} ground-truth answers that hold it"),
            )
        ):
            end = gutter if value is None else x(value)
            bars.append(OptionBar(name, value, detail, y + j * (OPTION_BAR + GAP), round(end - gutter, 2), end + 6))
        rows.append(OptionRow(_short(report.label(score.option), gutter // 7), y, tuple(bars)))
    bottom = TOP + len(rows) * OPTION_ROW - (OPTION_ROW - 2 * OPTION_BAR - GAP) + 4
    return OptionChart(
        label=f"Precision and recall per option: {report.question.display_text}",
        compared=report.compared,
        width=gutter + plot + right,
        height=bottom + 8,
        plot_left=gutter,
        plot_top=TOP - 6,
        plot_bottom=bottom,
        rows=tuple(rows),
        ticks=tuple(Tick(x(v), f"{v}%") for v in (0, 25, 50, 75, 100)),
    )


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
        return _band_css(self.percent)

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
    return Cell(format_percent(tally.percent), _band_css(tally.percent), f"{tally.correct}/{tally.total}")


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
        cells.append(Cell(format_percent(value), _band_css(value), "", format_difference(diff), sign))
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


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _blank(value):
    return "" if value is None else value


def _leaderboard_csv(table: analytics.AccuracyTable, board: Leaderboard) -> HttpResponse:
    """SCORE-LB-6 leaderboard.csv; rank and accuracy are empty for "no data" rows; accuracy unrounded."""
    return _csv_response(
        "leaderboard.csv",
        ["rank", "user_id", "user_type", "accuracy_percent", "correct", "total"],
        (
            [_blank(r.rank), r.user_id, table.people[r.user_id].user_type, _blank(r.percent), r.correct, r.total]
            for r in board.rows
        ),
    )


def _per_question_csv(table: analytics.AccuracyTable, users: list[str]) -> HttpResponse:
    """SCORE-LB-6 per_question.csv: unrounded percentages, empty when undefined."""
    return _csv_response(
        "per_question.csv",
        ["question_text", *users],
        ([q.text, *(_blank(table.percent(u, q.pk)) for u in users)] for q in table.questions),
    )


EVERYONE = "everyone"  # the user_id column of the pooled rows of per_option.csv; their user_type is empty
PER_OPTION_HEADER = [
    *("question_text", "option", "label", "user_id", "user_type", "compared"),
    *("precision_percent", "recall_percent", "ticked", "in_ground_truth", "both"),
]


def _per_option_csv(figures: analytics.OptionFigures, table: analytics.AccuracyTable, order: list[str]):
    """per_option.csv (issue 15): per question that scores options, everyone's figures and then each answerer's
    (leaderboard order), one row per option; unrounded percentages, empty when undefined (as SCORE-LB-6)."""

    def rows():
        for i, pooled in enumerate(figures.everyone):
            reports = [(EVERYONE, "", pooled), *((u, table.people[u].user_type, figures.of(u)[i]) for u in order)]
            for who, user_type, report in reports:
                for s in report.scores:
                    yield [
                        *(report.question.text, s.option, report.label(s.option), who, user_type, report.compared),
                        *(_blank(s.precision), _blank(s.recall), s.answered, s.truth, s.both),
                    ]

    return _csv_response("per_option.csv", PER_OPTION_HEADER, rows())


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
            return _per_question_csv(table, chosen or order)
        if request.GET.get("table") == "per_option" and kind == "annotators":
            return _per_option_csv(analytics.option_figures(project, questions), table, order)
        return _leaderboard_csv(table, board)

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
