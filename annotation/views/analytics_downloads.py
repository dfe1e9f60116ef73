"""The analytics pages' CSV downloads (SCORE-LB-6): leaderboard.csv, per_question.csv and per_option.csv, with
unrounded percentages that are empty where undefined."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from annotation import analytics
from annotation.scoring.leaderboards import Leaderboard


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _blank(value):
    return "" if value is None else value


def leaderboard_csv(table: analytics.AccuracyTable, board: Leaderboard) -> HttpResponse:
    """SCORE-LB-6 leaderboard.csv; rank and accuracy are empty for "no data" rows; accuracy unrounded."""
    return _csv_response(
        "leaderboard.csv",
        ["rank", "user_id", "user_type", "accuracy_percent", "correct", "total"],
        (
            [_blank(r.rank), r.user_id, table.people[r.user_id].user_type, _blank(r.percent), r.correct, r.total]
            for r in board.rows
        ),
    )


def per_question_csv(table: analytics.AccuracyTable, users: list[str]) -> HttpResponse:
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


def per_option_csv(figures: analytics.OptionFigures, table: analytics.AccuracyTable, order: list[str]):
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
