"""Payments, feedback and replies (issue 17, point 2): who may write them, and the change log of every edit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from annotation.team import records
from annotation.team.models import Change, Feedback, FeedbackReply, Payment
from catalog.tests.factories import AdminFactory, ProjectFactory, UserFactory
from syncing.hard_delete import plan_delete
from syncing.hard_delete.plan import execute

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 30)


def _payment(admin, person, **extra):
    values = {"paid_on": DAY, "amount": Decimal("120.50"), "currency": "USD", "period": "2026-11", "note": ""}
    return records.record_payment(actor=admin, person=person, **{**values, **extra})


def test_recording_a_payment_logs_who_and_what():
    admin, person = AdminFactory(), UserFactory()
    payment = _payment(admin, person)
    change = Change.objects.get()
    assert (change.person, change.payment, change.actor, change.action) == (person, payment, admin, "created")
    assert change.before == {}
    assert change.after == {
        "paid_on": "2026-11-30",
        "amount": "120.50",
        "currency": "USD",
        "period": "2026-11",
        "note": "",
    }


def test_editing_a_payment_keeps_the_old_values():
    admin, other_admin, person = AdminFactory(), AdminFactory(), UserFactory()
    payment = _payment(admin, person)
    assert records.edit_payment(actor=other_admin, payment=payment, amount=Decimal("99.00"), note="fixed")
    payment.refresh_from_db()
    assert payment.amount == Decimal("99.00")
    edit = Change.objects.filter(action="edited").get()
    assert edit.actor == other_admin
    assert edit.before == {"amount": "120.50", "note": ""}
    assert edit.after == {"amount": "99.00", "note": "fixed"}


def test_an_edit_that_changes_nothing_is_not_logged():
    admin, person = AdminFactory(), UserFactory()
    payment = _payment(admin, person)
    assert not records.edit_payment(actor=admin, payment=payment, amount=Decimal("120.5"))
    assert Change.objects.count() == 1


def test_a_bad_currency_is_refused_with_its_value():
    with pytest.raises(ValueError, match='"usd" is not a currency code'):
        _payment(AdminFactory(), UserFactory(), currency="usd")
    assert not Payment.objects.exists()


def test_only_admins_record_payments_and_feedback():
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        _payment(person, person)
    with pytest.raises(PermissionDenied):
        records.give_feedback(actor=person, person=person, text="great", given_on=DAY)
    assert not Payment.objects.exists() and not Feedback.objects.exists()


def test_feedback_edits_name_the_project_by_name():
    admin, person, project = AdminFactory(), UserFactory(), ProjectFactory(name="Cats")
    feedback = records.give_feedback(actor=admin, person=person, text="Watch the tails", given_on=DAY)
    records.edit_feedback(actor=admin, feedback=feedback, project=project, text="Watch the tails closely")
    edit = Change.objects.get(action="edited")
    assert edit.before == {"project": None, "text": "Watch the tails"}
    assert edit.after == {"project": "Cats", "text": "Watch the tails closely"}


def test_only_the_person_replies_to_their_feedback():
    admin, person, other = AdminFactory(), UserFactory(), UserFactory()
    feedback = records.give_feedback(actor=admin, person=person, text="Good work", given_on=DAY)
    with pytest.raises(PermissionDenied):
        records.reply_to_feedback(actor=other, feedback=feedback, text="thanks")
    with pytest.raises(PermissionDenied):
        records.reply_to_feedback(actor=admin, feedback=feedback, text="thanks")
    reply = records.reply_to_feedback(actor=person, feedback=feedback, text="Thank you!")
    assert list(feedback.replies.all()) == [reply]


def test_hard_deleting_a_person_takes_their_records_and_keeps_what_they_wrote():
    admin, person, other = AdminFactory(user_id="Boss"), UserFactory(user_id="Gone"), UserFactory()
    feedback = records.give_feedback(actor=admin, person=person, text="Good", given_on=DAY)
    records.reply_to_feedback(actor=person, feedback=feedback, text="Thanks")
    _payment(admin, person)
    kept = _payment(admin, other)
    execute(plan_delete("user", "Gone"))
    assert list(Payment.objects.all()) == [kept]
    assert not Feedback.objects.exists() and not FeedbackReply.objects.exists()
    assert list(Change.objects.values_list("person_id", flat=True)) == [other.pk]

    plan = plan_delete("user", "Boss")
    assert any('team records written by "Boss"' in line for line in plan.numbered_lines())
    execute(plan)
    kept.refresh_from_db()
    assert kept.created_by is None and Change.objects.get().actor is None


def test_hard_deleting_a_project_keeps_its_feedback_about_no_project():
    admin, person, project = AdminFactory(), UserFactory(), ProjectFactory(name="Dogs")
    feedback = records.give_feedback(actor=admin, person=person, text="Nice", given_on=DAY, project=project)
    execute(plan_delete("project", "Dogs"))
    feedback.refresh_from_db()
    assert feedback.project is None
