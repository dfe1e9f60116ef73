"""The geometry of the analytics pages' inline SVG charts (SCORE-LB-5): accuracy and alpha bars, and the
per-option precision and recall bars of multiple-choice questions. The templates only place what is computed
here; `annotation.team.charts` reuses the same grid."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from annotation import analytics
from annotation.scoring.accuracy import band
from annotation.scoring.formatting import format_percent

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


def band_css(percent: float | None) -> str:
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
