"""Writes of payments, feedback and replies: one transaction each, with a change-log row for every create and edit.

The person page, the admin and tests all call these functions, so the rules (who may write what, what is kept)
live here once. Values are checked by the forms; these functions check who acts.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotation.team.models import Change, Feedback, FeedbackReply, Payment
from catalog.models import Project, User

CENT = Decimal("0.01")
PAYMENT_FIELDS = ("paid_on", "amount", "currency", "period", "note")
FEEDBACK_FIELDS = ("given_on", "project", "text")


CURRENCY = re.compile(r"[A-Z]{3}")


def check_currency(code: str) -> str:
    """An ISO 4217-shaped code (three capital letters); the forms show this message next to the field."""
    if not CURRENCY.fullmatch(code or ""):
        raise ValueError(f'"{code}" is not a currency code: use three capital letters, e.g. USD or EUR.')
    return code


def _require_admin(actor: User) -> None:
    if not actor.is_global_admin:
        raise PermissionDenied("Only admins record payments and feedback.")


def _shown(value) -> str | int | None:
    """A field's value as the change log stores it (JSON): dates ISO, amounts as text, projects by name."""
    if isinstance(value, Project):
        return value.name
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _snapshot(row, fields) -> dict:
    return {name: _shown(getattr(row, name)) for name in fields}


def _log(*, row, fields, actor: User, before: dict, now) -> bool:
    after = _snapshot(row, fields)
    if before:
        changed = [name for name in fields if before[name] != after[name]]
        if not changed:
            return False
        before = {name: before[name] for name in changed}
        after = {name: after[name] for name in changed}
    kind = "payment" if isinstance(row, Payment) else "feedback"
    Change.objects.create(
        person_id=row.person_id,
        **{kind: row},
        action=Change.Action.EDITED if before else Change.Action.CREATED,
        actor=actor,
        at=now,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def record_payment(
    *,
    actor: User,
    person: User,
    paid_on: datetime.date,
    amount: Decimal,
    currency: str,
    period: str = "",
    note: str = "",
) -> Payment:
    """A new payment to `person`, logged as created by `actor` (an admin)."""
    _require_admin(actor)
    check_currency(currency)
    now = timezone.now()
    payment = Payment.objects.create(
        person=person,
        paid_on=paid_on,
        amount=amount,
        currency=currency,
        period=period,
        note=note,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _log(row=payment, fields=PAYMENT_FIELDS, actor=actor, before={}, now=now)
    return payment


@transaction.atomic
def edit_payment(*, actor: User, payment: Payment, **values) -> bool:
    """Change some of PAYMENT_FIELDS; the old values go to the change log. False when nothing changed."""
    _require_admin(actor)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    before = _snapshot(payment, PAYMENT_FIELDS)
    for name, value in values.items():
        if name not in PAYMENT_FIELDS:
            raise ValueError(f"a payment has no field {name!r}")
        setattr(payment, name, value)
    check_currency(payment.currency)
    now = timezone.now()
    if not _log(row=payment, fields=PAYMENT_FIELDS, actor=actor, before=before, now=now):
        return False
    payment.updated_at = now
    payment.save()
    return True


@transaction.atomic
def give_feedback(
    *, actor: User, person: User, text: str, given_on: datetime.date, project: Project | None = None
) -> Feedback:
    """A new feedback note to `person`, optionally about one project."""
    _require_admin(actor)
    now = timezone.now()
    feedback = Feedback.objects.create(
        person=person, project=project, given_on=given_on, text=text, author=actor, created_at=now, updated_at=now
    )
    _log(row=feedback, fields=FEEDBACK_FIELDS, actor=actor, before={}, now=now)
    return feedback


@transaction.atomic
def edit_feedback(*, actor: User, feedback: Feedback, **values) -> bool:
    """Change some of FEEDBACK_FIELDS; the old values go to the change log. False when nothing changed."""
    _require_admin(actor)
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the project.
    feedback = Feedback.objects.select_for_update(of=("self",)).select_related("project").get(pk=feedback.pk)
    before = _snapshot(feedback, FEEDBACK_FIELDS)
    for name, value in values.items():
        if name not in FEEDBACK_FIELDS:
            raise ValueError(f"feedback has no field {name!r}")
        setattr(feedback, name, value)
    now = timezone.now()
    if not _log(row=feedback, fields=FEEDBACK_FIELDS, actor=actor, before=before, now=now):
        return False
    feedback.updated_at = now
    feedback.save()
    return True


@transaction.atomic
def reply_to_feedback(*, actor: User, feedback: Feedback, text: str) -> FeedbackReply:
    """The person's reply to feedback given to them; nobody else replies (admins write new feedback)."""
    if actor.pk != feedback.person_id:
        raise PermissionDenied("Only the person the feedback is for can reply to it.")
    return FeedbackReply.objects.create(feedback=feedback, author=actor, text=text, created_at=timezone.now())
