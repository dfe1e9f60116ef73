"""The team page's chart: answers per day per person, as inline SVG in the leaderboards' style (SCORE-LB-5).

Like annotation.views.analytics_charts.bar_chart, the geometry is computed here and the template only places it: one
row per person (the busiest first), a label column on the left, one bar per day whose height is that day's
answers relative to the busiest person-day, and the person's total at the end of the row.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotation.views.analytics_charts import BAR, ROW, TOP, Tick

MAX_PEOPLE = 12  # rows drawn; the table lists everyone
MAX_DAYS = 92  # the chart shows the last 92 days of a longer range
GUTTER, PLOT, RIGHT = 170, 560, 70


@dataclass(frozen=True)
class DayBar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class PersonRow:
    label: str
    title: str
    total: int
    y: int
    bars: tuple[DayBar, ...]

    @property
    def text_y(self) -> int:
        return self.y + 15  # the baseline of a label centred on a BAR-high row


@dataclass(frozen=True)
class DailyChart:
    label: str
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    value_x: int
    rows: tuple[PersonRow, ...]
    ticks: tuple[Tick, ...]
    days: int
    truncated: bool

    @property
    def label_x(self) -> int:
        return self.plot_left - 10

    @property
    def tick_y(self) -> int:
        return self.plot_top - 6


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day_range(
    start: datetime.date | None, end: datetime.date | None, counts: Mapping[int, Mapping[datetime.date, int]]
) -> list[datetime.date]:
    """The days the chart covers: the range, or from the first answer to today when a bound is open."""
    seen = [day for per_day in counts.values() for day in per_day]
    end = end or max([datetime.date.today(), *seen])
    start = start or min(seen, default=end)
    if start > end:
        return []
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    return days[-MAX_DAYS:]


def answers_per_day_chart(
    names: Mapping[int, str],
    counts: Mapping[int, Mapping[datetime.date, int]],
    days: Sequence[datetime.date],
) -> DailyChart:
    """names: person pk -> display name; counts: person pk -> day -> answers. The busiest MAX_PEOPLE people."""
    shown_days = set(days)
    totals = {pk: sum(n for day, n in per_day.items() if day in shown_days) for pk, per_day in counts.items()}
    people = sorted((pk for pk, t in totals.items() if t and pk in names), key=lambda pk: (-totals[pk], names[pk]))
    people = people[:MAX_PEOPLE]
    peak = max((counts[pk].get(day, 0) for pk in people for day in days), default=0)
    step = PLOT / len(days) if days else PLOT
    width = max(step - 1, 1) if step > 2 else step
    rows = []
    for i, pk in enumerate(people):
        y = TOP + i * ROW
        bars = []
        for j, day in enumerate(days):
            n = counts[pk].get(day, 0)
            if not n:
                continue
            height = round(max(BAR * n / peak, 1.5), 2)
            bars.append(
                DayBar(
                    x=round(GUTTER + j * step, 2),
                    y=round(y + BAR - height, 2),
                    width=round(width, 2),
                    height=height,
                    title=f"{names[pk]}, {day:%Y-%m-%d}: {n} answer{'s' if n != 1 else ''}",
                )
            )
        rows.append(
            PersonRow(_short(names[pk], GUTTER // 7), f"{names[pk]}: {totals[pk]} answers", totals[pk], y, tuple(bars))
        )
    bottom = TOP + len(rows) * ROW - (ROW - BAR) + 4
    ticks = []
    if days:
        picks = sorted({0, len(days) // 2, len(days) - 1})
        ticks = [Tick(round(GUTTER + (j + 0.5) * step, 2), f"{days[j]:%b %-d}") for j in picks]
    return DailyChart(
        label="Answers per day, busiest people first",
        width=GUTTER + PLOT + RIGHT,
        height=bottom + 10,
        plot_left=GUTTER,
        plot_top=TOP - 6,
        plot_bottom=bottom,
        value_x=GUTTER + PLOT + 8,
        rows=tuple(rows),
        ticks=tuple(ticks),
        days=len(days),
        truncated=len(totals) > MAX_PEOPLE,
    )
