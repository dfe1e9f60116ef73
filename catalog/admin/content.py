"""Videos, questions, question groups, schemas, projects and project groups (PORTAL-ADM-3..8)."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from annotation.models import Answer
from annotation.progress import project_figures
from catalog import admin_metrics
from catalog.admin.base import (
    ArchivableAdmin,
    MetricsAdmin,
    NoDeleteAdmin,
    OrderedMembershipInline,
    recompute,
    renumber_positions,
)
from catalog.admin_forms import (
    GroupQuestionFormSet,
    ProjectForm,
    ProjectGroupForm,
    ProjectGroupProjectFormSet,
    ProjectVideoFormSet,
    QuestionForm,
    QuestionGroupForm,
    SchemaForm,
    SchemaGroupFormSet,
    VerificationFunctionSelect,
    VideoForm,
)
from catalog.models import (
    Assignment,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    Video,
)
from catalog.question_activity import refresh_question_activity
from catalog.roles import (
    ensure_global_admin_rows,
)
from catalog.verification import get_registry

# --------------------------------------------------------------------------- videos


class UnassignedFilter(admin.SimpleListFilter):
    title = "project membership"
    parameter_name = "in_project"

    def lookups(self, request, model_admin):
        return (("no", "In no project"), ("yes", "In a project"))

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(project_links__isnull=True)
        if self.value() == "yes":
            return queryset.filter(project_links__isnull=False).distinct()
        return queryset


class VideoProjectsInline(admin.TabularInline):
    """The video's projects, each with whether its GT there is complete, partial or missing (PORTAL-ADM-3)."""

    model = ProjectVideo
    verbose_name_plural = "projects"
    fields = ("project", "position", "added_at", "ground_truth")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return admin_metrics.with_gt_status(super().get_queryset(request).select_related("project"))

    @admin.display(description="ground truth")
    def ground_truth(self, obj):
        done, total = getattr(obj, "gt_done", 0), getattr(obj, "gt_total", 0)
        return f"{admin_metrics.gt_status(done, total)} ({done}/{total} questions)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Video)
class VideoAdmin(ArchivableAdmin):
    form = VideoForm
    natural_key_fields = ("video_uid",)
    fields = ("video_uid", "url", "metadata", "is_active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")
    list_display = ("video_uid", "url", "is_active", "project_count", "created_at")
    list_filter = ("is_active", UnassignedFilter)
    search_fields = ("video_uid", "url")
    date_hierarchy = "created_at"
    inlines = (VideoProjectsInline,)

    class Media:
        # Reports valid or invalid JSON as the user types (PORTAL-ADM-3).
        js = ("js/admin_json.js",)
        css = {"all": ("css/admin_tools.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "metadata":
            field.widget.attrs.update({"data-json-editor": "metadata", "rows": 8, "spellcheck": "false"})
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("project_links"))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    @admin.display(description="projects", ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    def projects_touched_by_archiving(self, pks):
        # An archived video leaves V(P) of every project it belongs to (DM-VID-5, DM-DER-2).
        return ProjectVideo.objects.filter(video__in=pks).values_list("project_id", flat=True).distinct()


# --------------------------------------------------------------------------- questions and groups


class QuestionGroupsInline(admin.TabularInline):
    model = QuestionGroupQuestion
    verbose_name_plural = "question groups"
    fields = ("group", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(MetricsAdmin, NoDeleteAdmin):
    """Questions are never archived on their own: `is_active` follows their groups (DM-Q-6)."""

    form = QuestionForm
    fields = (
        "text",
        "qtype",
        "display_text",
        "options",
        "default_option",
        "is_active",
        "created_at",
        "updated_at",
    )
    list_display = ("text", "qtype", "shown_default", "is_active", "created_at")
    list_filter = ("qtype", "is_active")
    search_fields = ("text", "display_text")
    date_hierarchy = "created_at"
    inlines = (QuestionGroupsInline,)

    class Media:
        # Option rows: up/down, append, and the default option's choices (PORTAL-ADM-7).
        # forms.js: a multiple question's "None of these" and its options untick each other.
        js = ("js/admin_order.js", "js/forms.js")
        css = {"all": ("css/admin_tools.css",)}

    def get_readonly_fields(self, request, obj=None):
        always = ("is_active", "created_at", "updated_at")
        # DM-CONV-4 and DM-Q-4: the text and the type never change.
        return ("text", "qtype", *always) if obj is not None else always

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_fields(self, request, obj=None):
        """The add page leaves out what the save decides: a new question is inactive until a group takes it in."""
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [f for f in fields if f not in ("is_active", "created_at", "updated_at")]

    @admin.display(description="default", ordering="default_option")
    def shown_default(self, obj):
        """The default as people read it: a label, labels joined ("Pan; Zoom", "None of these") or the text."""
        if obj.default_option is None:
            return None
        return obj.kind.shown_value(obj.default_option, obj.labels())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_active = False  # in no group yet; a group that takes it in activates it (DM-Q-6)
        super().save_model(request, obj, form, change)


class GroupQuestionInline(OrderedMembershipInline):
    model = QuestionGroupQuestion
    fk_name = "group"
    formset = GroupQuestionFormSet
    member_field = "question"
    fields = ("position", "question")
    autocomplete_fields = ("question",)
    verbose_name_plural = "questions (fixed at creation; only the order changes)"


@admin.register(QuestionGroup)
class QuestionGroupAdmin(ArchivableAdmin):
    form = QuestionGroupForm
    natural_key_fields = ("title",)
    fields = (
        "title",
        "display_title",
        "description",
        "is_reusable",
        "is_auto_submit",
        "verification_function",
        "is_active",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("created_at", "updated_at")
    list_display = (
        "title",
        "display_title",
        "question_count",
        "is_reusable",
        "is_auto_submit",
        "verification_function",
        "is_active",
    )
    list_filter = ("is_active", "is_reusable", "is_auto_submit")
    search_fields = ("title", "display_title")
    inlines = (GroupQuestionInline,)

    class Media:
        js = ("js/admin_verification.js",)
        css = {"all": ("css/admin_tools.css",)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("verification_function")
        if field is not None:
            # Chosen from the registry, with the function's signature and docstring shown (PORTAL-ADM-6).
            current = obj.verification_function if obj is not None else None
            field.widget = VerificationFunctionSelect(get_registry(), current)
            field.help_text = format_html(
                'Run on every submission of the group. <a href="{}">All verification functions</a>.',
                reverse("admin:verification_functions"),
            )
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("memberships"))

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        renumber_positions(group.memberships.all())
        refresh_question_activity(group.memberships.values_list("question_id", flat=True))


# --------------------------------------------------------------------------- schemas and projects


class SchemaGroupInline(OrderedMembershipInline):
    model = SchemaQuestionGroup
    fk_name = "schema"
    formset = SchemaGroupFormSet
    member_field = "group"
    fields = ("position", "group")
    autocomplete_fields = ("group",)
    verbose_name_plural = "question groups (fixed at creation; only the tab order changes)"


@admin.register(Schema)
class SchemaAdmin(ArchivableAdmin):
    form = SchemaForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # silences Django 6.0's warning
    natural_key_fields = ("name",)
    fields = ("name", "instructions_url", "has_custom_display", "is_active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")
    list_display = ("name", "group_count", "project_count", "has_custom_display", "is_active", "created_at")
    list_filter = ("is_active", "has_custom_display")
    search_fields = ("name",)
    inlines = (SchemaGroupInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                group_count=Count("memberships", distinct=True),
                project_count=Count("projects", distinct=True),
            )
        )

    @admin.display(description="groups", ordering="group_count")
    def group_count(self, obj):
        return obj.group_count

    @admin.display(description="projects", ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        renumber_positions(form.instance.memberships.all())


class ProjectVideoInline(OrderedMembershipInline):
    model = ProjectVideo
    fk_name = "project"
    formset = ProjectVideoFormSet
    member_field = "video"
    fields = ("position", "video", "added_at")
    autocomplete_fields = ("video",)
    verbose_name_plural = "videos (fixed at creation; only the order changes)"

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "added_at")


class ProjectAssignmentInline(admin.TabularInline):
    """Read-mostly: roles change through the Assignment admin, which applies DM-ROLE-4."""

    model = Assignment
    fields = ("user", "role", "is_active", "user_weight", "assigned_at", "completed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("user__user_id", "role")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ArchivableAdmin):
    form = ProjectForm
    tool_links = (("Create with video search", "admin:new_project"),)
    # DM-PRJ-1: the schema is fixed at creation, like the name.
    natural_key_fields = ("name", "schema")
    fields = ("name", "schema", "description", "is_active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at", "statistics")
    list_display = ("name", "schema", "video_count", "is_active", "created_at")
    list_select_related = ("schema",)
    list_filter = ("is_active", "schema")
    search_fields = ("name", "schema__name", "description")
    date_hierarchy = "created_at"
    inlines = (ProjectVideoInline, ProjectAssignmentInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(video_count=Count("video_links"))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else (ProjectVideoInline,)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return (*fields, "statistics") if obj is not None else fields

    @admin.display(description="statistics")
    def statistics(self, obj):
        """Videos, questions, answers and GT progress (PORTAL-ADM-4, DM-DER-2..6); four queries."""
        figures = project_figures([obj], None)[obj.pk]
        answers = Answer.objects.for_project(obj).in_scope().count()
        mode = "training" if figures.training else "annotation"
        return (
            f"{figures.n_videos} active videos · {figures.n_questions} questions · {answers} answers · "
            f"GT {figures.gt_done}/{figures.total} ({figures.gt_progress:.0f}%) · {mode} mode"
        )

    @admin.display(description="videos", ordering="video_count")
    def video_count(self, obj):
        return obj.video_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        project = form.instance
        renumber_positions(project.video_links.all())
        if not change:
            # DM-ROLE-5: every global admin holds expand(admin) in every project, archived ones included.
            ensure_global_admin_rows(projects=[project])
            recompute([project.pk])


class ProjectGroupProjectInline(admin.TabularInline):
    model = ProjectGroupProject
    formset = ProjectGroupProjectFormSet
    fields = ("project",)
    autocomplete_fields = ("project",)
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")


@admin.register(ProjectGroup)
class ProjectGroupAdmin(ArchivableAdmin):
    form = ProjectGroupForm
    natural_key_fields = ("name",)
    fields = ("name", "description", "is_active", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")
    list_display = ("name", "project_count", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    inlines = (ProjectGroupProjectInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("memberships"))

    @admin.display(description="projects", ordering="project_count")
    def project_count(self, obj):
        return obj.project_count
