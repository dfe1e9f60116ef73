"""Leaderboards (SCORE-LB): users ranked by accuracy, and Compare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from annotation.scoring.accuracy import Tally, band
from annotation.scoring.numbers import mean_defined


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int | None  # None: "no data", listed last
    user_id: str
    correct: int
    total: int
    percent: float | None

    @property
    def highlighted(self) -> bool:
        return self.rank is not None and self.rank <= 3

    @property
    def band(self) -> str | None:
        return band(self.percent)


@dataclass(frozen=True)
class Leaderboard:
    """Ranked rows and the summary. average/highest/lowest are over the defined overall values; count is how
    many users have one, no_data how many do not."""

    rows: tuple[LeaderboardRow, ...]
    average: float | None
    highest: float | None
    lowest: float | None
    count: int
    no_data: int

    def top(self, n: int = 5) -> list[str]:
        """The default columns of the per-question matrix (SCORE-LB-2): the first n users by rank."""
        return [row.user_id for row in self.rows[:n]]


def leaderboard(tallies: Mapping[str, Tally]) -> Leaderboard:
    """Rank users by overall accuracy, highest first; ties: larger total, then user_id ascending (SCORE-LB-1).

    tallies: user_id -> combine() of that user's per-question tallies (annotator or reviewer accuracy).
    The comparison is exact (fractions), so 1/3 and 2/6 tie and go to the larger total.
    """
    defined = sorted(
        (u for u, t in tallies.items() if t.total),
        key=lambda u: (-Fraction(tallies[u].correct, tallies[u].total), -tallies[u].total, u),
    )
    undefined = sorted(u for u, t in tallies.items() if not t.total)
    rows = [
        LeaderboardRow(rank, u, tallies[u].correct, tallies[u].total, tallies[u].percent)
        for rank, u in enumerate(defined, start=1)
    ]
    rows += [LeaderboardRow(None, u, tallies[u].correct, 0, None) for u in undefined]
    values = [tallies[u].percent for u in defined]
    return Leaderboard(
        tuple(rows),
        average=mean_defined(values),
        highest=max(values, default=None),
        lowest=min(values, default=None),
        count=len(defined),
        no_data=len(undefined),
    )


@dataclass(frozen=True)
class Comparison:
    """One Compare row (SCORE-LB-3): the mean of the defined values and each user's signed difference from it
    (None for a user without a value, or when no value is defined). Show differences with format_difference."""

    values: dict[str, float | None]
    mean: float | None
    differences: dict[str, float | None]


def compare(values: Mapping[str, float | None]) -> Comparison:
    """Compare the picked users' % on one question, or overall (SCORE-LB-3). The form enforces 2–5 users."""
    mean = mean_defined(values.values())
    differences = {u: None if v is None or mean is None else v - mean for u, v in values.items()}
    return Comparison(dict(values), mean, differences)
