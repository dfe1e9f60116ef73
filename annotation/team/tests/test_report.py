"""The team report, cell by cell: the workbook's tabs, the CSV, the download and `manage.py team_report`
(issue 17, points 3 and 5)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from annotation.team import records, report
from annotation.team.figures import Filters
from annotation.team.models import Payment
from annotation.team.tests import workspace

pytestmark = pytest.mark.django_db
NOVEMBER = Filters(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
FIVE_SIXTHS = 5 * 100 / 6


def local(day, hour=12):
    return workspace.at(day, hour).replace(tzinfo=None)


@pytest.fixture
def team():
    team = workspace.build()
    records.record_payment(
        actor=team.boss,
        person=team.ann,
        paid_on=datetime.date(2026, 11, 15),
        amount=Decimal("100.00"),
        currency="USD",
        period="Nov 1-15",
        note="=SUM(A1)",  # text, never a formula
    )
    records.record_payment(
        actor=team.boss, person=team.ann, paid_on=datetime.date(2026, 11, 30), amount=Decimal("25.50"), currency="USD"
    )
    feedback = records.give_feedback(
        actor=team.boss, person=team.ann, text="Tails count", given_on=datetime.date(2026, 11, 20), project=team.cats
    )
    records.reply_to_feedback(actor=team.ann, feedback=feedback, text="Noted")
    return team


def _values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_workbook_has_a_tab_per_role_and_per_person(team):
    book = _book(report.workbook_bytes(NOVEMBER))
    assert book.sheetnames == [
        "About",
        "Annotators",
        "Reviewers",
        "Meta-reviewers",
        "Ann Lee",
        "Boss",
        "Model 1",
        "Rex Ray",
    ]
    about = _values(book["About"])
    assert about[0] == ["Label Pizza team report", None]
    assert about[2] == ["Date range", "2026-11-01 to 2026-11-30"]
    assert about[3] == ["Projects", "Cats, Dogs"]


def test_role_tabs_cell_by_cell(team):
    book = _book(report.workbook_bytes(NOVEMBER))
    assert _values(book["Annotators"]) == [
        [
            "Person",
            "User type",
            "Projects assigned",
            "Answers submitted",
            "Completion %",
            "Accuracy %",
            "Correct",
            "Graded",
            "Last activity",
        ],
        ["Ann Lee", "human", 1, 5, 100, 75, 3, 4, local(10, 8)],
        ["Boss", "admin", 2, 0, 0, None, 0, 0, None],
        ["Model 1", "model", 1, 2, 50, 50, 1, 2, local(3, 9)],
        ["Rex Ray", "human", 2, 0, 0, None, 0, 0, None],
    ]
    reviewers = _values(book["Reviewers"])
    assert reviewers[0][3] == "Ground truths submitted" and reviewers[0][8] == "Reviews done"
    assert reviewers[1] == ["Boss", "admin", 2, 0, pytest.approx(FIVE_SIXTHS), None, 0, 0, 0, None]
    assert reviewers[2] == ["Rex Ray", "human", 2, 5, pytest.approx(FIVE_SIXTHS), 75, 3, 4, 2, local(7)]
    assert _values(book["Meta-reviewers"]) == [
        ["Person", "User type", "Projects assigned", "Overrides submitted", "Completion %", "Last activity"],
        ["Boss", "admin", 2, 1, pytest.approx(FIVE_SIXTHS), local(6)],
    ]
    assert book["Annotators"]["E2"].number_format == "0.0"


def test_person_tab_has_projects_payments_and_feedback(team):
    sheet = _book(report.workbook_bytes(NOVEMBER))["Ann Lee"]
    rows = _values(sheet)
    assert rows[0][0] == "Ann Lee (AL) · ann@example.com"
    assert rows[2][0] == "Projects"
    assert rows[3] == report.PROJECT_HEADER
    assert rows[4] == ["Annotator", "Cats", "active", 4, 100, 75, 3, 4, None, local(2, 10)]
    assert rows[5] == ["Annotator", "Dogs", "archived", 1, 50, None, 0, 0, None, local(10, 8)]
    assert rows[7][0] == "Payments"
    assert rows[8][:6] == report.PAYMENT_HEADER
    assert rows[9][:6] == [
        datetime.datetime(2026, 11, 30),
        25.5,
        "USD",
        None,
        None,
        "Boss",
    ]  # empty text is an empty cell
    assert rows[10][:6] == [datetime.datetime(2026, 11, 15), 100, "USD", "Nov 1-15", "=SUM(A1)", "Boss"]
    assert sheet.cell(11, 5).data_type == "s"  # the note stays text
    assert rows[11][:3] == ["Total", 125.5, "USD"]
    assert rows[13][0] == "Feedback"
    assert rows[14][:5] == report.FEEDBACK_HEADER
    date, project, text, author, replies = rows[15][:5]
    assert (date, project, text, author) == (datetime.datetime(2026, 11, 20), "Cats", "Tails count", "Boss")
    assert replies.endswith(" Noted")


def test_rerunning_keeps_what_admins_entered(team):
    """The workbook is an output only: building it twice changes nothing in the database."""
    report.workbook_bytes(NOVEMBER)
    report.workbook_bytes(NOVEMBER)
    assert Payment.objects.filter(person=team.ann).count() == 2


def test_sheet_names_are_legal_and_unique():
    class P:
        def __init__(self, pk, user_id):
            self.pk, self.user_id = pk, user_id

    people = [P(1, "a/b:c"), P(2, "A_B_C"), P(3, "x" * 40), P(4, "annotators")]
    assert report.sheet_names(people, ["About", "Annotators"]) == {
        1: "a_b_c",
        2: "A_B_C (2)",
        3: "x" * 31,
        4: "annotators (2)",
    }


def test_csv_rows(team):
    rows = list(csv.reader(io.StringIO(report.csv_bytes(report.team_figures(NOVEMBER)).decode())))
    assert rows[0] == list(report.CSV_HEADER)
    ann = next(r for r in rows if r[:2] == ["annotator", "Ann Lee"])
    assert ann == [
        "annotator",
        "Ann Lee",
        "human",
        "1",
        "5",
        "100.0",
        "75.0",
        "3",
        "4",
        "",
        "2026-11-10T08:00:00+00:00",
    ]
    boss = next(r for r in rows if r[:2] == ["meta-reviewer", "Boss"])
    assert boss[5:10] == [str(FIVE_SIXTHS), "", "", "", ""]


def test_admin_downloads_the_workbook_with_the_page_filters(client, team):
    client.force_login(team.boss)
    response = client.get(reverse("team:export_xlsx") + "?start=2026-11-01&end=2026-11-02&role=annotator")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="team_')
    book = _book(response.content)
    assert book.sheetnames[:2] == ["About", "Annotators"] and "Reviewers" not in book.sheetnames
    assert book["Annotators"]["D2"].value == 4  # Ann's answers on Nov 1–2


def test_admin_downloads_the_csv(client, team):
    client.force_login(team.boss)
    response = client.get(reverse("team:export_csv") + "?start=&end=")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"annotator,Ann Lee,human,1,5,100.0,75.0" in response.content


def test_team_report_command_writes_the_workbook(team, tmp_path, capsys):
    call_command(
        "team_report", "--output", str(tmp_path / "team"), "--from", "2026-11-01", "--to", "2026-11-30", "-v", "2"
    )
    out, err = capsys.readouterr()
    assert f"to {tmp_path / 'team.xlsx'}" in out
    assert "People: 4/4" in err
    book = load_workbook(tmp_path / "team.xlsx")
    assert book["Annotators"]["A2"].value == "Ann Lee"


def test_team_report_command_writes_csv_for_one_project(team, tmp_path):
    call_command(
        "team_report", "--output", str(tmp_path / "t.csv"), "--format", "csv", "--project", "Dogs", "--days", "3650"
    )
    text = (tmp_path / "t.csv").read_text()
    assert "Model 1" not in text and "annotator,Ann Lee,human,0,1" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-13-01"], '--from "2026-13-01" is not a date; use YYYY-MM-DD.'),
        (["--project", "Nope"], '--project: no project named "Nope".'),
        (["--project-group", "Nope"], '--project-group: no project group named "Nope".'),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--from 2026-11-30 is after --to 2026-11-01."),
    ],
)
def test_team_report_command_names_bad_options(team, tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("team_report", "--output", str(tmp_path / "t.xlsx"), *args)
    assert not (tmp_path / "t.xlsx").exists()
