"""The team API (issue 17, point 4): admins read everything, a person only their own, with the page's figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotation.team import records
from annotation.team.tests import workspace

pytestmark = pytest.mark.django_db


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
    )
    feedback = records.give_feedback(
        actor=team.boss, person=team.ann, text="Tails count", given_on=datetime.date(2026, 11, 20), project=team.cats
    )
    records.reply_to_feedback(actor=team.ann, feedback=feedback, text="Noted")
    return team


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _person_urls(team):
    base = f"/api/team/people/{team.ann.pk}/"
    return [base, base + "payments/", base + "feedback/"]


@pytest.mark.parametrize("who, status", [("olly", 403), ("ann", 403), ("rex", 403), ("boss", 200)])
def test_team_figures_are_for_admins(client, team, who, status):
    assert _get(client, getattr(team, who), "/api/team/").status_code == status


@pytest.mark.parametrize("who, status", [("olly", 404), ("rex", 404), ("ann", 200), ("boss", 200)])
def test_a_persons_endpoints_are_for_the_person_and_admins(client, team, who, status):
    for url in _person_urls(team):
        assert _get(client, getattr(team, who), url).status_code == status, url


def test_anonymous_callers_are_refused(client, team):
    for url in ["/api/team/", *_person_urls(team)]:
        assert client.get(url).status_code == 401, url


def test_team_rows_match_the_page(client, team):
    body = _get(client, team.boss, "/api/team/?start=2026-11-01&end=2026-11-30&role=annotator").json()
    ann = next(r for r in body["results"] if r["user_name"] == "Ann Lee")
    assert ann == {
        "user_pk": team.ann.pk,
        "user_name": "Ann Lee",
        "user_type": "human",
        "role": "annotator",
        "projects_assigned": 1,
        "submitted": 5,
        "completion_percent": 100.0,
        "accuracy_percent": 75.0,
        "correct": 3,
        "graded": 4,
        "reviews_done": None,
        "last_activity": "2026-11-10T08:00:00Z",
    }
    assert {r["role"] for r in body["results"]} == {"annotator"}


def test_bad_filters_are_400_naming_the_parameter(client, team):
    client.force_login(team.boss)
    body = client.get("/api/team/?start=someday").json()
    assert body["errors"][0]["field"] == "start"
    body = client.get("/api/team/?project_name=Nope").json()
    assert body["errors"] == [{"index": None, "field": "project_name", "message": 'No project named "Nope".'}]


def test_the_person_reads_their_figures_payments_and_feedback(client, team):
    client.force_login(team.ann)
    rows = client.get(f"/api/team/people/{team.ann.pk}/?start=2026-11-01").json()
    assert [(r["role"], [p["project_name"] for p in r["projects"]]) for r in rows] == [("annotator", ["Cats", "Dogs"])]
    dogs = rows[0]["projects"][1]
    assert (dogs["assignment_active"], dogs["training"], dogs["completion_percent"]) == (False, False, 50.0)
    payments = client.get(f"/api/team/people/{team.ann.pk}/payments/").json()["results"]
    assert [(p["amount"], p["currency"], p["period"], p["recorded_by"]) for p in payments] == [
        ("100.00", "USD", "Nov 1-15", "Boss")
    ]
    (note,) = client.get(f"/api/team/people/{team.ann.pk}/feedback/").json()["results"]
    assert (note["text"], note["project_name"], note["author"]) == ("Tails count", "Cats", "Boss")
    assert [r["text"] for r in note["replies"]] == ["Noted"]


def test_feedback_list_costs_the_same_with_more_notes(client, team):
    client.force_login(team.boss)
    url = f"/api/team/people/{team.ann.pk}/feedback/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        f = records.give_feedback(actor=team.boss, person=team.ann, text=f"n{i}", given_on=datetime.date(2026, 11, 1))
        records.reply_to_feedback(actor=team.ann, feedback=f, text="ok")
    assert count() == before
