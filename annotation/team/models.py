"""What admins record about the people on a team: payments and feedback (with the person's replies), and the
change log that keeps every earlier value.

These rows live only in the database, never in a workspace or an export that is read back, so re-running the
team report can never overwrite them. Authors are kept as SET_NULL so that a hard-deleted admin's entries stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import Project


class Payment(models.Model):
    """Money paid to one person for one period of work."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD")
    period = models.CharField(max_length=100, blank=True, help_text='What it pays for, e.g. "2026-11" or "week 48"')
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="payments_recorded"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["person", "paid_on"], name="payment_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.paid_on}: {self.amount} {self.currency}"


class Feedback(models.Model):
    """A dated note from an admin to one person, optionally about one project."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="feedback")
    project = models.ForeignKey(Project, models.SET_NULL, null=True, blank=True, related_name="feedback")
    given_on = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="feedback_given"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name_plural = "feedback"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="feedback_text_not_empty")]
        indexes = [models.Index(fields=["person", "given_on"], name="feedback_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.given_on}: {self.text[:40]}"


class FeedbackReply(models.Model):
    """The person's answer to a feedback note. Replies are never edited, so they need no change log."""

    feedback = models.ForeignKey(Feedback, models.PROTECT, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="feedback_replies"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "feedback replies"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="feedback_reply_text_not_empty")]

    def __str__(self) -> str:
        return f"reply to {self.feedback_id}: {self.text[:40]}"


class Change(models.Model):
    """One write to a payment or a feedback note: who, when, and the fields' values before and after.

    `before` is {} when the row was created; an edit stores only the fields it changed. Append-only.
    """

    class Action(models.TextChoices):
        CREATED = "created"
        EDITED = "edited"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="team_changes")
    payment = models.ForeignKey(Payment, models.PROTECT, null=True, blank=True, related_name="changes")
    feedback = models.ForeignKey(Feedback, models.PROTECT, null=True, blank=True, related_name="changes")
    action = models.CharField(max_length=8, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="team_changes_made"
    )
    at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            # Exactly one of payment and feedback.
            models.CheckConstraint(
                condition=Q(payment__isnull=False, feedback__isnull=True)
                | Q(payment__isnull=True, feedback__isnull=False),
                name="team_change_one_record",
            ),
        ]
        indexes = [models.Index(fields=["person", "at"], name="team_change_person_idx")]

    LABELS = {
        "paid_on": "date paid",
        "amount": "amount",
        "currency": "currency",
        "period": "period",
        "note": "note",
        "given_on": "date",
        "project": "project",
        "text": "feedback",
    }

    def __str__(self) -> str:
        record = f"payment {self.payment_id}" if self.payment_id else f"feedback {self.feedback_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {record}"

    def before_items(self) -> list[tuple[str, object]]:
        return [(self.LABELS.get(k, k), v) for k, v in self.before.items()]

    def after_items(self) -> list[tuple[str, object]]:
        return [(self.LABELS.get(k, k), v) for k, v in self.after.items()]
