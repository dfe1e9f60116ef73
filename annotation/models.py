"""What people said about videos, and what is true: answers, ground truth, its history, reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from catalog.models import Project, Question, Video

# The longest answer (and GT value) the portals, the API and sync accept: a description is prose, and an
# unbounded one would let one record fill pages and exports (issue 16.13).
MAX_ANSWER_LENGTH = 10_000


class ScopedQuerySet(models.QuerySet):
    """Answers and ground truth, both keyed by (project, video, question): the rows a figure counts.

    V(P) is the project's active member videos and Q(P) its schema's questions (DM-DER-2); progress,
    completion, analytics, the reports and the API read their rows through these methods.
    """

    def for_project(self, project):
        return self.filter(project=project)

    def on_active_videos(self):
        """Rows on active videos: an archived video leaves every page, figure and report."""
        return self.filter(video__is_active=True)

    def on_member_videos(self):
        """Rows on V(P) of their own project: active videos that are still members of it."""
        return self.filter(video__is_active=True, video__project_links__project=F("project"))

    def in_scope(self):
        """Rows on active videos and on questions of their project's schema (DM-DER-2)."""
        return self.on_active_videos().filter(
            question__group_memberships__group__schema_memberships__schema_id=F("project__schema_id")
        )


class Answer(models.Model):
    """One user's answer to one question on one video in one project (DM-ANS)."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="answers")
    video = models.ForeignKey(Video, models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, models.PROTECT, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)
    confidence_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "video", "question", "user"], name="answer_unique_scope")
        ]
        indexes = [
            # Annotator pages and progress: one user's answers in one project.
            models.Index(fields=["project", "user"], name="answer_project_user_idx"),
            # Reviewer pages: every answer on the videos of one page.
            models.Index(fields=["project", "video"], name="answer_project_video_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.video} / {self.question} / {self.user}: {self.value!r}"


class GroundTruth(models.Model):
    """The single accepted answer per project, video and question (DM-GT)."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="ground_truths")
    video = models.ForeignKey(Video, models.PROTECT, related_name="ground_truths")
    question = models.ForeignKey(Question, models.PROTECT, related_name="ground_truths")
    value = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="ground_truths")
    reviewer_value = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="overridden_ground_truths"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    confidence_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "video", "question"], name="ground_truth_unique_scope"),
            # DM-GT-2: overridden exactly when the value differs from the reviewer's.
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True, value=F("reviewer_value"))
                | (Q(overridden_by__isnull=False, overridden_at__isnull=False) & ~Q(value=F("reviewer_value"))),
                name="ground_truth_override_consistent",
            ),
        ]
        indexes = [models.Index(fields=["project", "video"], name="gt_project_video_idx")]

    def __str__(self) -> str:
        return f"{self.project} / {self.video} / {self.question}: {self.value!r}"

    @property
    def is_overridden(self) -> bool:
        return self.overridden_by_id is not None


class GroundTruthHistory(models.Model):
    """Append-only log: one row per change of one ground-truth value (DM-HIST)."""

    class Source(models.TextChoices):
        REVIEW = "review"
        OVERRIDE = "override"
        SEARCH = "search"
        AUTO_SUBMIT = "auto_submit"
        SYNC = "sync"
        HARD_DELETE = "hard_delete"

    class Kind(models.TextChoices):
        CREATED = "created"
        CHANGED = "changed"
        REATTRIBUTED = "reattributed"
        OVERRIDDEN = "overridden"
        OVERRIDE_CLEARED = "override_cleared"
        REVERTED = "reverted"
        DELETED = "deleted"

    project = models.ForeignKey(Project, models.PROTECT, related_name="ground_truth_history")
    video = models.ForeignKey(Video, models.PROTECT, related_name="ground_truth_history")
    question = models.ForeignKey(Question, models.PROTECT, related_name="ground_truth_history")
    at = models.DateTimeField(default=timezone.now)
    # Cleared only when the actor is hard-deleted (DM-HIST-3).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="ground_truth_actions"
    )
    source = models.CharField(max_length=16, choices=Source)
    kind = models.CharField(max_length=16, choices=Kind)
    old_value = models.TextField(null=True, blank=True)
    new_value = models.TextField(null=True, blank=True)
    reviewer_after = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_by_after = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "ground truth history"
        indexes = [models.Index(fields=["project", "video", "at"], name="gt_history_video_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.project} / {self.video} / {self.question}"


class AnswerReview(models.Model):
    """A reviewer's verdict on a description answer; no row means pending (DM-REV)."""

    class Status(models.TextChoices):
        APPROVED = "approved"
        REJECTED = "rejected"

    answer = models.OneToOneField(Answer, models.PROTECT, related_name="review")
    status = models.CharField(max_length=16, choices=Status)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="answer_reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["approved", "rejected"]), name="answer_review_status_valid")
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.answer}"
