"""Accuracy (SCORE-ACC) and personal reports (SCORE-RPT): grading, tallies, bands and report lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotation.scoring.formatting import format_percent
from annotation.scoring.numbers import EPSILON


def grade_single(answer: str, gt: str | None) -> bool | None:
    """A single answer is graded when GT exists and correct when equal to it; None = not graded."""
    return None if gt is None else answer == gt


def grade_description(review_status: str | None) -> bool | None:
    """A description answer is graded when reviewed and correct when approved; None = not graded."""
    if review_status is None:
        return None
    if review_status not in ("approved", "rejected"):
        raise ValueError(f"unknown review status {review_status!r}")
    return review_status == "approved"


def accuracy(correct: int, total: int) -> float | None:
    """correct/total × 100, None when total = 0 (SCORE-ACC-4)."""
    return correct * 100 / total if total else None


@dataclass(frozen=True)
class Tally:
    """correct of total for one user and question, or summed over questions."""

    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return accuracy(self.correct, self.total)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.correct + other.correct, self.total + other.total)


def tally_single(pairs: Iterable[tuple[str, str | None]]) -> Tally:
    """(answer, current GT) for each of u's answers to q on V(P) (SCORE-ACC-2); every answer counts in total."""
    pairs = list(pairs)
    return Tally(sum(a == gt for a, gt in pairs), len(pairs))


def tally_description(review_statuses: Iterable[str | None]) -> Tally:
    """Review status of each of u's answers to q ("approved", "rejected", None = unreviewed, ignored)."""
    grades = [g for g in map(grade_description, review_statuses) if g is not None]
    return Tally(sum(grades), len(grades))


def tally_reviewer(overridden: Iterable[bool]) -> Tally:
    """One flag per GT row attributed to r for q, True when overridden_by is set (SCORE-ACC-3)."""
    flags = list(overridden)
    return Tally(flags.count(False), len(flags))


def combine(tallies: Iterable[Tally]) -> Tally:
    """Σ correct and Σ total over questions (the "X of Y" of SCORE-RPT-1)."""
    return sum(tallies, Tally())


def overall(tallies: Iterable[Tally]) -> float | None:
    """Σ_q correct ÷ Σ_q total × 100 over questions with total > 0; None when there are none (SCORE-ACC-4)."""
    return combine(tallies).percent


def band(percent: float | None) -> str | None:
    """The band (SCORE-ACC-5): "excellent" ≥ 90, "good" ≥ 80, "fair" ≥ 70, else "needs improvement"; None if
    undefined."""
    if percent is None:
        return None
    for floor, name in ((90, "excellent"), (80, "good"), (70, "fair")):
        if percent >= floor - EPSILON:
            return name
    return "needs improvement"


def report_message(percent: float | None) -> str | None:
    """The report's message (SCORE-RPT-1): "Excellent", "Good", "Room for improvement", "Keep learning"."""
    messages = {"excellent": "Excellent", "good": "Good", "fair": "Room for improvement"}
    name = band(percent)
    return None if name is None else messages.get(name, "Keep learning")


def report_status(tally: Tally) -> str:
    """A report row's status (SCORE-RPT-1): "Correct" at 100%, "Incorrect" at 0%, else the %; "—" if total 0."""
    if tally.total == 0:
        return "—"
    if tally.correct == tally.total:
        return "Correct"
    if tally.correct == 0:
        return "Incorrect"
    return format_percent(tally.percent)


def report_summary(tally: Tally) -> str:
    """The report's "You answered X of Y correctly" line (SCORE-RPT-1)."""
    return f"You answered {tally.correct} of {tally.total} correctly"
