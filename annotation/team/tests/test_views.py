"""The team page, the person page and their writes: who may see and do what, what they show, and query budgets
(issue 17, points 1, 2 and 5)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotation.team import records
from annotation.team.models import Change, Feedback, FeedbackReply, Payment
from annotation.team.tests import workspace
from annotation.tests.factories import AnswerFactory
from catalog.models import Assignment
from catalog.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 30)
ALL_TIME = "?start=&end="


@pytest.fixture
def team():
    return workspace.build()


@pytest.fixture
def feedback(team):
    return records.give_feedback(actor=team.boss, person=team.ann, text="Mind the tails", given_on=DAY)


@pytest.fixture
def payment(team):
    return records.record_payment(
        actor=team.boss, person=team.ann, paid_on=DAY, amount=Decimal("40.00"), currency="EUR", period="2026-11"
    )


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# --------------------------------------------------------------------------- who may see what


@pytest.mark.parametrize("who, status", [("olly", 403), ("ann", 403), ("rex", 403), ("boss", 200)])
@pytest.mark.parametrize("name", ["team:page", "team:export_xlsx", "team:export_csv"])
def test_team_page_and_exports_are_for_admins_only(client, team, who, status, name):
    assert _get(client, getattr(team, who), reverse(name)).status_code == status


@pytest.mark.parametrize("name", ["team:page", "team:export_xlsx", "team:person", "team:me"])
def test_anonymous_users_are_sent_to_login(client, team, name):
    args = [team.ann.pk] if name == "team:person" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("who, status", [("olly", 404), ("rex", 404), ("ann", 200), ("boss", 200)])
def test_a_person_page_is_for_the_person_and_admins(client, team, payment, feedback, who, status):
    response = _get(client, getattr(team, who), reverse("team:person", args=[team.ann.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"40.00 EUR" in response.content and b"Mind the tails" in response.content


def test_my_work_opens_the_own_page(client, team):
    client.force_login(team.rex)
    response = client.get(reverse("team:me"))
    assert response.url == reverse("team:person", args=[team.rex.pk])


def test_every_portal_header_links_to_my_work_and_admins_to_the_team(client, team):
    client.force_login(team.ann)
    page = client.get(reverse("annotate:dashboard")).content.decode()
    assert reverse("team:me") in page and f'href="{reverse("team:page")}"' not in page
    client.force_login(team.boss)
    for url in (reverse("review:dashboard"), reverse("admin:index")):
        page = client.get(url).content.decode()
        assert reverse("team:me") in page and reverse("team:page") in page


# --------------------------------------------------------------------------- writes


@pytest.mark.parametrize("who, status", [("olly", 404), ("rex", 404), ("ann", 403)])
def test_only_admins_record_payments_and_feedback(client, team, who, status):
    client.force_login(getattr(team, who))
    data = {"paid_on": "2026-11-30", "amount": "10", "currency": "USD"}
    assert client.post(reverse("team:add_payment", args=[team.ann.pk]), data).status_code == status
    data = {"given_on": "2026-11-30", "text": "hi"}
    assert client.post(reverse("team:add_feedback", args=[team.ann.pk]), data).status_code == status
    assert not Payment.objects.exists() and not Feedback.objects.exists()


@pytest.mark.parametrize("who, status", [("olly", 403), ("ann", 403), ("rex", 403)])
def test_only_admins_edit(client, team, payment, feedback, who, status):
    client.force_login(getattr(team, who))
    assert client.get(reverse("team:edit_payment", args=[payment.pk])).status_code == status
    post = {"paid_on": "2026-11-30", "amount": "1", "currency": "USD"}
    assert client.post(reverse("team:edit_payment", args=[payment.pk]), post).status_code == status
    post = {"given_on": "2026-11-30", "text": "changed"}
    assert client.post(reverse("team:edit_feedback", args=[feedback.pk]), post).status_code == status
    payment.refresh_from_db()
    feedback.refresh_from_db()
    assert payment.amount == Decimal("40.00") and feedback.text == "Mind the tails"


def test_admin_records_a_payment_through_the_page(client, team):
    client.force_login(team.boss)
    data = {"paid_on": "2026-11-30", "amount": "12.5", "currency": "usd", "period": "week 48", "note": "bonus"}
    response = client.post(reverse("team:add_payment", args=[team.ann.pk]), data)
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.person, payment.amount, payment.currency, payment.created_by) == (
        team.ann,
        Decimal("12.50"),
        "USD",
        team.boss,
    )
    assert "12.50 USD" in client.get(response.url).content.decode()


def test_a_bad_payment_is_refused_with_the_field_named(client, team):
    client.force_login(team.boss)
    data = {"paid_on": "2026-11-30", "amount": "-3", "currency": "us$"}
    response = client.post(reverse("team:add_payment", args=[team.ann.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The amount must be more than 0." in page
    assert "&quot;US$&quot; is not a currency code" in page
    assert not Payment.objects.exists()


def test_admin_edits_a_payment_and_the_old_value_is_shown(client, team, payment):
    client.force_login(team.boss)
    data = {"paid_on": "2026-11-30", "amount": "45", "currency": "EUR", "period": "2026-11", "note": ""}
    assert client.post(reverse("team:edit_payment", args=[payment.pk]), data).status_code == 302
    edit = Change.objects.get(action="edited")
    assert edit.before == {"amount": "40.00"} and edit.after == {"amount": "45.00"}
    page = client.get(reverse("team:person", args=[team.ann.pk])).content.decode()
    assert "45.00 EUR" in page and "40.00" in page  # the change log keeps the old amount


def test_admin_edits_feedback(client, team, feedback):
    client.force_login(team.boss)
    data = {"given_on": "2026-11-29", "project": team.cats.pk, "text": "Mind the tails, please"}
    assert client.post(reverse("team:edit_feedback", args=[feedback.pk]), data).status_code == 302
    feedback.refresh_from_db()
    assert (feedback.project, feedback.given_on) == (team.cats, datetime.date(2026, 11, 29))


def test_the_person_replies_and_nobody_else_can(client, team, feedback):
    url = reverse("team:reply", args=[feedback.pk])
    for who, status in (("olly", 404), ("rex", 404), ("boss", 403)):
        client.force_login(getattr(team, who))
        assert client.post(url, {"text": "me too"}).status_code == status
    client.force_login(team.ann)
    assert client.post(url, {"text": "Will do!"}).status_code == 302
    reply = FeedbackReply.objects.get()
    assert (reply.author, reply.text) == (team.ann, "Will do!")
    assert "Will do!" in client.get(reverse("team:person", args=[team.ann.pk])).content.decode()


def test_the_person_sees_no_admin_forms(client, team, payment, feedback):
    page = _get(client, team.ann, reverse("team:person", args=[team.ann.pk])).content.decode()
    assert "Record a payment" not in page and "Edit</a>" not in page and "Your reply" in page


# --------------------------------------------------------------------------- what the pages show


def test_team_page_shows_the_rows_and_chart(client, team):
    page = _get(client, team.boss, reverse("team:page") + ALL_TIME).content.decode()
    assert 'data-person="Ann Lee" data-role="annotator"' in page
    assert ">75%</span>" in page  # Ann's (and Rex's) accuracy
    assert "83.3%" in page  # Rex's completion, 5/6 truncated
    assert 'class="bar-chart daily-chart"' in page


def test_team_page_sorts_by_any_column(client, team):
    client.force_login(team.boss)
    page = client.get(reverse("team:page") + ALL_TIME + "&role=annotator&sort=accuracy&dir=desc").content.decode()
    order = [name for name in ("Ann Lee", "Model 1", "Rex Ray") if f'data-person="{name}"' in page]
    positions = sorted(order, key=lambda name: page.index(f'data-person="{name}"'))
    assert positions == ["Ann Lee", "Model 1", "Rex Ray"]  # 75%, 50%, then "—" last
    page = client.get(reverse("team:page") + ALL_TIME + "&role=annotator&sort=accuracy&dir=asc").content.decode()
    positions = sorted(order, key=lambda name: page.index(f'data-person="{name}"'))
    assert positions == ["Model 1", "Ann Lee", "Rex Ray"]


def test_a_reversed_date_range_is_an_error_not_a_crash(client, team):
    page = _get(client, team.boss, reverse("team:page") + "?start=2026-11-30&end=2026-11-01").content.decode()
    assert "The range starts (2026-11-30) after it ends (2026-11-01)." in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_team_page_query_count_does_not_grow_with_people(client, team, django_assert_num_queries):
    client.force_login(team.boss)
    url = reverse("team:page") + ALL_TIME
    before = _queries(client, url)
    video = team.cats.video_links.first().video
    question = team.cats.schema.memberships.first().group.memberships.first().question
    for _ in range(6):
        person = UserFactory()
        Assignment.objects.create(user=person, project=team.cats, role=Assignment.Role.ANNOTATOR)
        AnswerFactory(user=person, project=team.cats, video=video, question=question, value="yes")
    assert _queries(client, url) == before
    # session and user; the filter form's project groups and projects; 18 for the figures (annotation.team.figures)
    with django_assert_num_queries(22):
        client.get(url)


def test_person_page_query_count_does_not_grow_with_records(client, team, payment, feedback):
    client.force_login(team.boss)
    url = reverse("team:person", args=[team.ann.pk])
    before = _queries(client, url)
    for i in range(3):
        records.record_payment(
            actor=team.boss, person=team.ann, paid_on=DAY, amount=Decimal(i + 1), currency="EUR", period=""
        )
        f = records.give_feedback(actor=team.boss, person=team.ann, text=f"note {i}", given_on=DAY, project=team.cats)
        records.reply_to_feedback(actor=team.ann, feedback=f, text="ok")
    assert _queries(client, url) == before


def test_without_dates_the_team_page_counts_the_last_30_days(client, team):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=29)
    page = _get(client, team.boss, reverse("team:page")).content.decode()
    assert f"({start:%Y-%m-%d} to {today:%Y-%m-%d})" in page
    assert f'value="{start:%Y-%m-%d}"' in page and f'value="{today:%Y-%m-%d}"' in page
