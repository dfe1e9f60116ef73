"""The annotator's personal accuracy report (SCORE-RPT-1), from plain rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotation import scoring
from catalog.models import Question


@dataclass(frozen=True)
class ReportRow:
    question: Question
    tally: scoring.Tally

    @property
    def correct(self) -> int:
        return self.tally.correct

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def percent(self) -> float | None:
        return self.tally.percent

    @property
    def status(self) -> str:
        return scoring.report_status(self.tally)


@dataclass(frozen=True)
class ReportOverall:
    tally: scoring.Tally

    @property
    def percent(self) -> float | None:
        return self.tally.percent

    @property
    def shown(self) -> str:
        return scoring.format_percent(self.percent)

    @property
    def summary(self) -> str:
        return scoring.report_summary(self.tally)

    @property
    def message(self) -> str | None:
        return scoring.report_message(self.percent)

    @property
    def band(self) -> str | None:
        return scoring.band(self.percent)


def annotator_report(
    *,
    questions: list[Question],
    answers: Iterable[tuple[int, int, str, str | None]],
    gt: Iterable[tuple[int, int, str]],
) -> tuple[list[ReportRow], ReportOverall]:
    """answers: (video, question, value, review status); gt: (video, question, value). SCORE-ACC-2."""
    truth = {(v, q): value for v, q, value in gt}
    singles: dict[int, list[tuple[str, str | None]]] = {q.pk: [] for q in questions}
    reviews: dict[int, list[str | None]] = {q.pk: [] for q in questions}
    for v, q, value, status in answers:
        if q in singles:
            singles[q].append((value, truth.get((v, q))))
            reviews[q].append(status)
    rows = [
        ReportRow(q, scoring.tally_single(singles[q.pk]) if q.is_single else scoring.tally_description(reviews[q.pk]))
        for q in questions
    ]
    return rows, ReportOverall(scoring.combine(r.tally for r in rows))
