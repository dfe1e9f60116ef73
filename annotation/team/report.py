"""The team report: one .xlsx workbook (an About tab, a tab per role, a tab per person with their projects,
payments and feedback) and the team rows as CSV.

The team page's download buttons and `manage.py team_report` both call these functions. The workbook is written
from the database each time; what admins entered lives in the database, so re-running the report never loses it.
Percentages are unrounded numbers (DM-DER-11: raw values in exports) shown with one decimal; times are in the
site's time zone. Loading costs a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from annotation.team.figures import (
    META,
    PLURAL_LABELS,
    REVIEWER,
    ROLE_LABELS,
    SUBMITTED_LABELS,
    TEAM_ROLES,
    Cell,
    Filters,
    Row,
    TeamFigures,
    team_figures,
)
from annotation.team.models import Feedback, FeedbackReply, Payment
from catalog.models import User

Progress = Callable[[str, int, int], None]  # (step, done, total)
PERCENT = "0.0"
BOLD, HEADING = Font(bold=True), Font(bold=True, size=12)  # shared: a Font per cell costs more than the cell
MAX_WIDTH = 60
ABOUT = "About"
CSV_HEADER = (
    "role",
    "user_id",
    "user_type",
    "projects_assigned",
    "submitted",
    "completion_percent",
    "accuracy_percent",
    "correct",
    "graded",
    "reviews_done",
    "last_activity",
)


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: the site's local time, without tzinfo, to the second."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _text(value):
    # openpyxl refuses control characters and would store "=…" as a formula: keep text as text.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def role_header(role: str) -> list[str]:
    header = [
        "Person",
        "User type",
        "Projects assigned",
        f"{SUBMITTED_LABELS[role].capitalize()} submitted",
        "Completion %",
    ]
    if role != META:
        header += ["Accuracy %", "Correct", "Graded"]
    if role == REVIEWER:
        header.append("Reviews done")
    return [*header, "Last activity"]


def role_cells(row: Row) -> list:
    tally = row.tally
    cells = [row.person.user_id, row.person.user_type, row.projects_assigned, row.submitted, row.completion]
    if row.role != META:
        cells += [row.accuracy, tally.correct, tally.total]
    if row.role == REVIEWER:
        cells.append(row.reviews)
    return [*cells, _local(row.last_activity)]


PROJECT_HEADER = [
    "Role",
    "Project",
    "Assignment",
    "Submitted",
    "Completion %",
    "Accuracy %",
    "Correct",
    "Graded",
    "Reviews done",
    "Last activity",
]


def project_cells(row: Row, cell: Cell) -> list:
    accuracy = None if row.role == META else cell.accuracy
    correct, graded = (None, None) if row.role == META else (cell.tally.correct, cell.tally.total)
    return [
        row.role_label,
        cell.project.name,
        "active" if cell.active else "archived",
        cell.submitted,
        cell.completion,
        accuracy,
        correct,
        graded,
        cell.reviews if row.role == REVIEWER else None,
        _local(cell.last),
    ]


PAYMENT_HEADER = ["Date paid", "Amount", "Currency", "Period", "Note", "Recorded by"]
FEEDBACK_HEADER = ["Date", "Project", "Feedback", "From", "Replies"]


def payment_cells(p: Payment) -> list:
    return [p.paid_on, p.amount, p.currency, p.period, p.note, p.created_by.user_id if p.created_by else ""]


def feedback_cells(f: Feedback) -> list:
    replies = "\n".join(f"{_local(r.created_at):%Y-%m-%d %H:%M} {r.text}" for r in f.replies.all())
    return [f.given_on, f.project.name if f.project else "", f.text, f.author.user_id if f.author else "", replies]


class _Sheet:
    """Rows written to one worksheet, with bold headings, number formats and column widths.

    Cells are written one by one at a row number kept here: openpyxl's max_row scans every cell, so asking it
    for each new row would make a sheet of n rows cost n² steps.
    """

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.n = 0
        self.widths: dict[int, int] = {}

    def heading(self, text: str) -> None:
        self.row([text])[0].font = HEADING

    def header(self, names: Sequence[str]) -> None:
        for cell in self.row(names):
            cell.font = BOLD

    def row(self, values: Sequence, percent_columns: Iterable[int] = ()) -> list:
        self.n += 1
        cells = []
        for i, value in enumerate(values, 1):
            cell = self.sheet.cell(row=self.n, column=i, value=_text(value))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if value is not None:
                longest = max((len(s) for s in str(value).splitlines()), default=0)
                self.widths[i] = max(self.widths.get(i, 0), min(longest, MAX_WIDTH))
            cells.append(cell)
        for i in percent_columns:
            cells[i].number_format = PERCENT
        return cells

    def blank(self) -> None:
        self.n += 1

    def finish(self) -> None:
        for i, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(i)].width = width + 2


def _percent_columns(header: Sequence[str]) -> list[int]:
    return [i for i, name in enumerate(header) if name.endswith("%")]


SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_names(people: Sequence[User], taken: Iterable[str]) -> dict[int, str]:
    """A tab name per person: the user id without the characters Excel forbids, at most 31 characters, unique
    (case-insensitively, as Excel compares them) against `taken` and each other with a " (2)" suffix."""
    used = {name.lower() for name in taken}
    names = {}
    for person in people:
        base = SHEET_NAME.sub("_", person.user_id).strip("'") or "person"
        name, n = base[:31], 1
        while name.lower() in used:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.lower())
        names[person.pk] = name
    return names


def _people_with_records(figures: TeamFigures) -> tuple[list[User], dict, dict]:
    """Everyone with a row, a payment or feedback (three queries), and their payments and feedback."""
    in_rows = {r.person.pk for r in figures.rows}
    people = list(
        User.objects.filter(Q(pk__in=in_rows) | Q(payments__isnull=False) | Q(feedback__isnull=False))
        .distinct()
        .order_by("user_id")
    )
    payments: dict[int, list[Payment]] = defaultdict(list)
    for p in Payment.objects.select_related("created_by").order_by("-paid_on", "-id"):
        payments[p.person_id].append(p)
    feedback: dict[int, list[Feedback]] = defaultdict(list)
    for f in (
        Feedback.objects.select_related("project", "author")
        .prefetch_related(Prefetch("replies", queryset=FeedbackReply.objects.order_by("created_at", "id")))
        .order_by("-given_on", "-id")
    ):
        feedback[f.person_id].append(f)
    return people, payments, feedback


def build_workbook(filters: Filters, *, progress: Progress | None = None) -> Workbook:
    """The team report for these filters: About, Annotators, Reviewers, Meta-reviewers, then one tab per person."""
    figures = team_figures(filters)
    people, payments, feedback = _people_with_records(figures)
    rows_of: dict[int, list[Row]] = defaultdict(list)
    for row in figures.rows:
        rows_of[row.person.pk].append(row)

    workbook = Workbook()
    about = _Sheet(workbook.active)
    about.sheet.title = ABOUT
    about.heading("Label Pizza team report")
    about.row(["Generated", _local(timezone.now())])
    about.row(["Date range", figures.filters.describe()])
    about.row(["Projects", ", ".join(p.name for p in figures.projects) or "none"])
    about.row(["People", len(people)])
    about.row(
        [
            "Notes",
            "Completion covers active assignments; accuracy is the leaderboards' (training-mode projects only), "
            "pooled over projects; submitted counts the date range.",
        ]
    )
    about.finish()

    roles = [r for r in TEAM_ROLES if filters.role in (None, r)]
    for role in roles:
        sheet = _Sheet(workbook.create_sheet(PLURAL_LABELS[role]))
        header = role_header(role)
        sheet.header(header)
        for row in figures.by_role(role):
            sheet.row(role_cells(row), _percent_columns(header))
        sheet.sheet.freeze_panes = "A2"
        sheet.finish()

    names = sheet_names(people, [ABOUT, *(PLURAL_LABELS[r] for r in TEAM_ROLES)])
    for done, person in enumerate(people, 1):
        sheet = _Sheet(workbook.create_sheet(names[person.pk]))
        sheet.heading(f"{person.display_name} · {person.email or person.user_type}")
        sheet.blank()
        sheet.heading("Projects")
        sheet.header(PROJECT_HEADER)
        for row in rows_of.get(person.pk, []):
            for cell in row.cells:
                sheet.row(project_cells(row, cell), _percent_columns(PROJECT_HEADER))
        sheet.blank()
        sheet.heading("Payments")
        sheet.header(PAYMENT_HEADER)
        totals: dict[str, object] = {}
        for p in payments.get(person.pk, []):
            sheet.row(payment_cells(p))
            totals[p.currency] = totals.get(p.currency, 0) + p.amount
        for currency, total in sorted(totals.items()):
            sheet.row(["Total", total, currency])
        sheet.blank()
        sheet.heading("Feedback")
        sheet.header(FEEDBACK_HEADER)
        for f in feedback.get(person.pk, []):
            sheet.row(feedback_cells(f))
        sheet.finish()
        if progress is not None:
            progress("People", done, len(people))
    return workbook


def workbook_bytes(filters: Filters, *, progress: Progress | None = None) -> bytes:
    buffer = io.BytesIO()
    build_workbook(filters, progress=progress).save(buffer)
    return buffer.getvalue()


def _blank(value):
    return "" if value is None else value


def csv_rows(figures: TeamFigures) -> list[list]:
    """One line per person and role; percentages unrounded, empty when undefined; times ISO in local time."""
    lines = []
    for row in figures.rows:
        last = row.last_activity
        lines.append(
            [
                row.role,
                row.person.user_id,
                row.person.user_type,
                row.projects_assigned,
                row.submitted,
                _blank(row.completion),
                _blank(row.accuracy),
                "" if row.role == META else row.tally.correct,
                "" if row.role == META else row.tally.total,
                _blank(row.reviews),
                timezone.localtime(last).isoformat() if last else "",
            ]
        )
    return lines


def csv_bytes(figures: TeamFigures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(figures))
    return buffer.getvalue().encode()


ROLE_NAMES = ROLE_LABELS  # re-exported for the command's help text
