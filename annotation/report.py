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
    graded: dict[int, list[tuple[str, str | None, str | None]]] = {q.pk: [] for q in questions}
    for v, q, value, status in answers:
        if q in graded:
            graded[q].append((value, truth.get((v, q)), status))
    rows = [ReportRow(q, q.kind.tally(graded[q.pk])) for q in questions]
    return rows, ReportOverall(scoring.combine(r.tally for r in rows))


# ---------------------------------------------------------------- the reviewer's own page (issue 11 point 13)


@dataclass(frozen=True)
class ReviewerProjectReport:
    """One project of a reviewer's "My performance" page.

    available: the project is in training mode (complete GT), the condition under which reviewer accuracy is
    offered (SCORE-ACC-3); before that only the number of GT answers set so far is shown.
    """

    project: object
    available: bool
    gt_progress: float
    set_so_far: int
    rows: list[ReportRow]
    overall: ReportOverall

    @property
    def summary(self) -> str:
        tally = self.overall.tally
        return f"{tally.correct} of your {tally.total} ground-truth answers stand unchanged"


def reviewer_report(
    *, questions: list[Question], rows: Iterable[tuple[int, bool]]
) -> tuple[list[ReportRow], ReportOverall]:
    """rows: (question id, overridden) for each GT row the reviewer set (SCORE-ACC-3): correct when the final
    GT is still theirs, i.e. no admin override stands. The same rows and overall as the annotator's report."""
    flags: dict[int, list[bool]] = {q.pk: [] for q in questions}
    for question_id, overridden in rows:
        if question_id in flags:
            flags[question_id].append(overridden)
    report_rows = [ReportRow(q, scoring.tally_reviewer(flags[q.pk])) for q in questions]
    return report_rows, ReportOverall(scoring.combine(r.tally for r in report_rows))
