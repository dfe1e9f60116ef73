"""What exists and who may touch it: users, videos, questions, schemas, projects and roles.

Every entity has a surrogate id plus a natural key enforced by a unique constraint (DM-CONV-1/2).
Rows are archived with `is_active`, never deleted by the UI, the API or sync, hence PROTECT.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog import question_types


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def _natural_key_constraint(field: str, name: str) -> models.CheckConstraint:
    # DM-CONV-3: a natural key is never empty (leading/trailing whitespace is checked in Python,
    # since a portable regex CHECK does not exist across SQLite and PostgreSQL).
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


# --------------------------------------------------------------------------- users


class LabelPizzaUserManager(UserManager.from_queryset(ActiveQuerySet)):
    use_in_migrations = True

    def _create_user(self, user_id, email, password, **extra_fields):
        if not user_id:
            raise ValueError("user_id is required")
        email = self.normalize_email(email) if email else None
        user = self.model(user_id=user_id, email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, user_id, email=None, password=None, **extra_fields):
        extra_fields.setdefault("user_type", User.UserType.HUMAN)
        return self._create_user(user_id, email, password, **extra_fields)

    def create_superuser(self, user_id, email=None, password=None, **extra_fields):
        extra_fields["user_type"] = User.UserType.ADMIN
        return self._create_user(user_id, email, password, **extra_fields)

    def get_by_natural_key(self, user_id):
        return self.get(user_id=user_id)

    @staticmethod
    def normalize_email(email):
        return email.strip().lower() if email else email


class User(AbstractUser):
    """Anyone who answers. What they may do is per project: see Assignment.

    `user_id` is the natural key and display name; people log in with `email` (catalog.auth).
    Model users have no email and an unusable password (DM-USR-2).
    """

    class UserType(models.TextChoices):
        HUMAN = "human"
        ADMIN = "admin"
        MODEL = "model"

    username = None
    first_name = None
    last_name = None
    user_id = models.CharField("user id", max_length=128, unique=True)
    email = models.EmailField("email", max_length=254, unique=True, null=True, blank=True)
    user_type = models.CharField(max_length=8, choices=UserType, default=UserType.HUMAN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Sync's memo that the workspace's plaintext password matches the stored hash (syncing/password_memo.py), so
    # an unchanged re-sync skips a default-cost hash check per user. A keyed digest, useless without SECRET_KEY.
    sync_password_memo = models.CharField(max_length=64, blank=True, default="", editable=False)

    USERNAME_FIELD = "user_id"
    REQUIRED_FIELDS = ["email"]

    objects = LabelPizzaUserManager()

    class Meta:
        ordering = ["user_id"]
        constraints = [
            _natural_key_constraint("user_id", "user_id_not_empty"),
            models.CheckConstraint(condition=Q(user_type__in=["human", "admin", "model"]), name="user_type_valid"),
            # DM-USR-2: model users have no email; humans and admins must have one.
            models.CheckConstraint(
                condition=(Q(user_type="model", email__isnull=True) | (~Q(user_type="model") & Q(email__isnull=False))),
                name="user_email_matches_type",
            ),
            # DB-11: staff and superuser exactly for active admins.
            models.CheckConstraint(
                condition=Q(is_staff=models.F("is_superuser"))
                & (Q(is_staff=False) | Q(user_type="admin", is_active=True)),
                name="user_staff_only_for_active_admins",
            ),
        ]

    def __str__(self) -> str:
        return self.user_id

    def natural_key(self):
        return (self.user_id,)

    def save(self, *args, **kwargs):
        if self.email is not None:
            self.email = self.email.strip().lower() or None
        self.sync_staff_flags()
        super().save(*args, **kwargs)

    def sync_staff_flags(self) -> None:
        """Keep Django's staff/superuser flags in step with user_type and is_active (DB-11)."""
        is_global_admin = self.user_type == self.UserType.ADMIN and self.is_active
        self.is_staff = self.is_superuser = is_global_admin

    @property
    def is_global_admin(self) -> bool:
        return self.user_type == self.UserType.ADMIN and self.is_active

    @property
    def is_model(self) -> bool:
        return self.user_type == self.UserType.MODEL

    @property
    def initials(self) -> str:
        """DM-DER-10: first letters of first and last words; one word gives its first two characters."""
        words = self.user_id.split()
        if len(words) >= 2:
            return (words[0][0] + words[-1][0]).upper()
        return self.user_id[:2].upper()

    @property
    def display_name(self) -> str:
        return f"{self.user_id} ({self.initials})"


class ApiToken(models.Model):
    """A user's API key (DM-TOK-1). Only a SHA-256 digest is stored; the key is shown once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_token")
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters of the key, to recognise it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"


# --------------------------------------------------------------------------- videos


class VideoManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, video_uid):
        return self.get(video_uid=video_uid)


class Video(models.Model):
    video_uid = models.CharField(max_length=255, unique=True)
    url = models.CharField(max_length=2048, unique=True)
    metadata = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VideoManager()

    class Meta:
        ordering = ["video_uid"]
        constraints = [_natural_key_constraint("video_uid", "video_uid_not_empty")]

    def __str__(self) -> str:
        return self.video_uid

    def natural_key(self):
        return (self.video_uid,)


# --------------------------------------------------------------------------- questions


class QuestionManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, text):
        return self.get(text=text)


class Question(models.Model):
    text = models.TextField(unique=True)
    display_text = models.TextField()
    # The question's type (catalog.question_types); it never changes (DM-Q-4).
    qtype = models.CharField(max_length=16, choices=question_types.CHOICES)
    # Parallel lists for types with options; null for description questions (DM-Q-2/3).
    options = models.JSONField(null=True, blank=True)
    display_values = models.JSONField(null=True, blank=True)
    option_weights = models.JSONField(null=True, blank=True)
    default_option = models.TextField(null=True, blank=True)
    # Derived: active exactly when an active group contains it (DM-Q-6).
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionManager()

    class Meta:
        ordering = ["text"]
        constraints = [
            _natural_key_constraint("text", "question_text_not_empty"),
            models.CheckConstraint(condition=Q(qtype__in=list(question_types.names())), name="question_qtype_valid"),
            models.CheckConstraint(
                condition=reduce(operator.or_, (t.stored_shape() for t in question_types.all())),
                name="question_options_match_qtype",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self):
        return (self.text,)

    @property
    def kind(self) -> question_types.QuestionType:
        """The question's type object; UnknownQuestionType for a qtype no type has (never a description)."""
        return question_types.get(self.qtype)

    def labels(self) -> dict[str, str]:
        """Option value -> label."""
        return dict(zip(self.options or [], self.display_values or self.options or [], strict=False))

    def weights(self) -> dict[str, float]:
        return dict(zip(self.options or [], self.option_weights or [1.0] * len(self.options or []), strict=False))

    @property
    def default_values(self) -> frozenset[str]:
        """The option values default_option chooses (a set for a multiple-choice question), for the pages."""
        return self.kind.chosen_values(self.default_option)

    @property
    def option_rows(self) -> list[tuple[str, str, float]]:
        """(value, label, weight) per option, in option order."""
        labels, weights = self.labels(), self.weights()
        return [(o, labels.get(o, o), weights.get(o, 1.0)) for o in self.options or []]


class QuestionGroupManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, title):
        return self.get(title=title)


class QuestionGroup(models.Model):
    """An ordered set of questions answered and submitted together: one tab in the UI (DM-QG)."""

    title = models.CharField(max_length=255, unique=True)
    display_title = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    is_reusable = models.BooleanField(default=False)
    is_auto_submit = models.BooleanField(default=False)
    verification_function = models.CharField(max_length=255, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    questions = models.ManyToManyField(Question, through="QuestionGroupQuestion", related_name="groups")

    objects = QuestionGroupManager()

    class Meta:
        ordering = ["title"]
        constraints = [
            _natural_key_constraint("title", "group_title_not_empty"),
            _natural_key_constraint("display_title", "group_display_title_not_empty"),
            # DM-QG-1: "" is stored as null.
            models.CheckConstraint(condition=~Q(verification_function=""), name="group_verification_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.title,)

    def ordered_questions(self) -> list[Question]:
        return [m.question for m in self.memberships.select_related("question").order_by("position")]


class QuestionGroupQuestion(models.Model):
    group = models.ForeignKey(QuestionGroup, models.PROTECT, related_name="memberships")
    question = models.ForeignKey(Question, models.PROTECT, related_name="group_memberships")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "question"], name="group_question_unique")]

    def __str__(self) -> str:
        return f"{self.group} #{self.position}: {self.question}"


# --------------------------------------------------------------------------- schemas and projects


class SchemaManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Schema(models.Model):
    """An ordered list of question groups sharing no question: the task definition (DM-SCH)."""

    name = models.CharField(max_length=255, unique=True)
    instructions_url = models.URLField(max_length=2048, null=True, blank=True)
    has_custom_display = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    groups = models.ManyToManyField(QuestionGroup, through="SchemaQuestionGroup", related_name="schemas")

    objects = SchemaManager()

    class Meta:
        ordering = ["name"]
        constraints = [_natural_key_constraint("name", "schema_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class SchemaQuestionGroup(models.Model):
    schema = models.ForeignKey(Schema, models.PROTECT, related_name="memberships")
    group = models.ForeignKey(QuestionGroup, models.PROTECT, related_name="schema_memberships")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["schema", "position"]
        constraints = [models.UniqueConstraint(fields=["schema", "group"], name="schema_group_unique")]

    def __str__(self) -> str:
        return f"{self.schema} #{self.position}: {self.group}"


class ProjectManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Project(models.Model):
    """A schema applied to a fixed, ordered list of videos (DM-PRJ)."""

    name = models.CharField(max_length=255, unique=True)
    schema = models.ForeignKey(Schema, models.PROTECT, related_name="projects")
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    videos = models.ManyToManyField(Video, through="ProjectVideo", related_name="projects")

    objects = ProjectManager()

    class Meta:
        ordering = ["name"]
        constraints = [_natural_key_constraint("name", "project_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class ProjectVideoQuerySet(models.QuerySet):
    def of_active_videos(self):
        """V(P): the memberships whose video is active; an archived video leaves every project (DM-DER-2)."""
        return self.filter(video__is_active=True)


class ProjectVideo(models.Model):
    project = models.ForeignKey(Project, models.PROTECT, related_name="video_links")
    video = models.ForeignKey(Video, models.PROTECT, related_name="project_links")
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=timezone.now)

    objects = ProjectVideoQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "video"], name="project_video_unique")]
        # The portals list a project's videos in position order on every page load.
        indexes = [models.Index(fields=["project", "position"], name="project_video_order_idx")]

    def __str__(self) -> str:
        return f"{self.project} #{self.position}: {self.video}"


class ProjectGroupManager(models.Manager.from_queryset(ActiveQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class ProjectGroup(models.Model):
    """A named set of projects for dashboards and search (DM-PG)."""

    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    projects = models.ManyToManyField(Project, through="ProjectGroupProject", related_name="project_groups")

    objects = ProjectGroupManager()

    class Meta:
        ordering = ["name"]
        constraints = [_natural_key_constraint("name", "project_group_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class ProjectGroupProject(models.Model):
    project_group = models.ForeignKey(ProjectGroup, models.PROTECT, related_name="memberships")
    project = models.ForeignKey(Project, models.PROTECT, related_name="group_memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project_group", "project"], name="project_group_project_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project_group}: {self.project}"


# --------------------------------------------------------------------------- roles


class AssignmentQuerySet(ActiveQuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def held(self):
        """The rows that grant a role: active rows in active projects (SEC-4/5, DM-ROLE-8). The portal and API
        permissions, the dashboards and the navigation read a user's roles through this."""
        return self.filter(is_active=True, project__is_active=True)


class Assignment(models.Model):
    """One role of one user in one project (DM-ASG). The active rows of a pair form expand(level)."""

    class Role(models.TextChoices):
        ANNOTATOR = "annotator"
        REVIEWER = "reviewer"
        ADMIN = "admin"
        MODEL = "model"

    project = models.ForeignKey(Project, models.PROTECT, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=16, choices=Role)
    is_active = models.BooleanField(default=True)
    user_weight = models.FloatField(default=1.0)
    assigned_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="assignment_unique"),
            models.CheckConstraint(condition=Q(user_weight__gte=0), name="assignment_weight_not_negative"),
            models.CheckConstraint(
                condition=Q(role__in=["annotator", "reviewer", "admin", "model"]), name="assignment_role_valid"
            ),
        ]
        # Dashboards list a user's active projects; portals check one (user, project) pair per request.
        indexes = [models.Index(fields=["user", "is_active"], name="assignment_user_active_idx")]

    def __str__(self) -> str:
        state = "" if self.is_active else " (archived)"
        return f"{self.user} @ {self.project} ({self.role}){state}"


class CustomDisplay(models.Model):
    """Per-project, per-video question text and option labels (DM-CD)."""

    project = models.ForeignKey(Project, models.PROTECT, related_name="custom_displays")
    video = models.ForeignKey(Video, models.PROTECT, related_name="custom_displays")
    question = models.ForeignKey(Question, models.PROTECT, related_name="custom_displays")
    custom_display_text = models.TextField(null=True, blank=True)
    custom_option_display_map = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "video", "question"], name="custom_display_unique"),
            models.CheckConstraint(
                condition=Q(custom_display_text__isnull=False) | Q(custom_option_display_map__isnull=False),
                name="custom_display_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.video} / {self.question}"
