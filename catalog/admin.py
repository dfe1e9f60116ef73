"""The admin site for catalog models (PORTAL-ADM-1/2): lists with search and filters, quick edits.

Rows are archived, never deleted (DM-CONV-5), so no model offers Django's delete. Natural keys are
read-only once a row exists (DM-CONV-4), except a user's `user_id`. Ordered memberships are edited as
inlines whose member set is fixed after creation; only their order changes (DM-QG-3, DM-SCH-2, DM-PRJ-3).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from annotation.completion import in_scope, recompute_completion
from annotation.models import Answer
from annotation.progress import project_figures
from catalog import admin_metrics, tokens
from catalog.admin_forms import (
    ArchivableForm,
    AssignmentForm,
    GroupQuestionFormSet,
    LabelPizzaPasswordChangeForm,
    LabelPizzaUserChangeForm,
    LabelPizzaUserCreationForm,
    OrderedMembershipForm,
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
    active_change_problems,
    after_active_change,
    refresh_question_activity,
)
from catalog.admin_rename import RenameAdminMixin
from catalog.models import (
    ApiToken,
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from catalog.roles import (
    LEVELS,
    RoleError,
    apply_user_type_change,
    assign_role,
    check_assign,
    check_pair_active,
    check_remove,
    ensure_global_admin_rows,
    remove_role,
)
from syncing.verification import get_registry

# Roles live on Assignment and staff rights follow user_type (DB-11): auth groups would mean nothing here.
admin.site.unregister(Group)


# --------------------------------------------------------------------------- shared admin behaviour


class NoDeleteAdmin(admin.ModelAdmin):
    """The UI never hard-deletes (DM-CONV-5, OVR-DEL): no delete button, no delete action."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """A list and a view page only: rows written by their own domain functions (or sync) elsewhere."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MetricsAdmin(RenameAdminMixin, admin.ModelAdmin):
    """A section of the portal: its changelist starts with a metrics row (PORTAL-ADM-2), one or a few queries,
    and, where the natural key can be renamed, a Rename action (OVR-REN-1)."""

    change_list_template = "admin/tools/change_list.html"
    # (label, URL name) links shown with the changelist's object tools.
    tool_links: tuple[tuple[str, str], ...] = ()

    def changelist_view(self, request, extra_context=None):
        metrics = admin_metrics.METRICS.get(self.model)
        extra = {
            # A callable: the template runs it only when the list is rendered, not for list actions' redirects.
            "metrics": metrics,
            "tool_links": [{"label": label, "url": reverse(name)} for label, name in self.tool_links],
        }
        return super().changelist_view(request, extra_context={**extra, **(extra_context or {})})


class ArchivableAdmin(MetricsAdmin, NoDeleteAdmin):
    """Archive and unarchive as list actions and on the change form, both checked by DM-ARCH-1."""

    form = ArchivableForm
    actions = ("archive_selected", "unarchive_selected")
    # Read-only once the row exists (DM-CONV-4).
    natural_key_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.natural_key_fields if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        was_active = None
        if change:
            was_active = type(obj).objects.filter(pk=obj.pk).values_list("is_active", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and was_active is not None and was_active != obj.is_active:
            after_active_change(type(obj), [obj.pk])
            recompute(self.projects_touched_by_archiving([obj.pk]))

    def projects_touched_by_archiving(self, pks: list[int]):
        """Projects whose progress changes when these rows are archived or unarchived (DM-DER-7)."""
        return ()

    @admin.action(description="Archive selected %(verbose_name_plural)s", permissions=["change"])
    def archive_selected(self, request, queryset):
        self._set_active(request, queryset, False)

    @admin.action(description="Unarchive selected %(verbose_name_plural)s", permissions=["change"])
    def unarchive_selected(self, request, queryset):
        self._set_active(request, queryset, True)

    def archive_problems(self, request, objs: list, active: bool) -> list[str]:
        return active_change_problems(objs, active, actor=request.user)

    def apply_active(self, request, objs: list, active: bool) -> None:
        pks = [obj.pk for obj in objs]
        values = {"is_active": active}
        if any(f.name == "updated_at" for f in self.model._meta.fields):
            values["updated_at"] = timezone.now()
        self.model.objects.filter(pk__in=pks).update(**values)
        after_active_change(self.model, pks)
        recompute(self.projects_touched_by_archiving(pks))

    def _set_active(self, request, queryset: QuerySet, active: bool) -> None:
        """All or nothing: every selected row is checked first, and one problem changes nothing."""
        verb = "Unarchived" if active else "Archived"
        objs = list(queryset.exclude(is_active=active))
        if not objs:
            self.message_user(request, f"Nothing to do: the selected rows are already {verb.lower()}.", messages.INFO)
            return
        problems = self.archive_problems(request, objs, active)
        if problems:
            for problem in problems[:20]:
                self.message_user(request, problem, messages.ERROR)
            self.message_user(request, "Nothing was changed.", messages.ERROR)
            return
        with transaction.atomic():
            self.apply_active(request, objs, active)
        name = self.opts.verbose_name if len(objs) == 1 else self.opts.verbose_name_plural
        self.message_user(request, f"{verb} {len(objs)} {name}.", messages.SUCCESS)


def recompute(project_ids) -> None:
    """DM-DER-7: completion timestamps follow every write that can change progress, in its transaction."""
    project_ids = set(project_ids)
    if project_ids:
        recompute_completion(project_ids=project_ids, now=timezone.now())


def renumber_positions(queryset: QuerySet) -> None:
    """Positions become 0..n-1 in their current order (DM-QG-1 counts from 0)."""
    rows = list(queryset.order_by("position", "pk"))
    changed = []
    for index, row in enumerate(rows):
        if row.position != index:
            row.position = index
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


class OrderedMembershipInline(admin.TabularInline):
    """Members are chosen at creation only; afterwards only `position` changes."""

    form = OrderedMembershipForm
    member_field = ""
    ordering = ("position",)
    # Up/down buttons, "reset order" and a filter box renumber the position inputs (PORTAL-ADM-2/5/6).
    classes = ("lp-ordered",)

    class Media:
        js = ("js/admin_order.js",)
        css = {"all": ("css/admin_tools.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.member_field)

    def get_readonly_fields(self, request, obj=None):
        return (self.member_field,) if obj is not None else ()

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0

    def get_min_num(self, request, obj=None, **kwargs):
        return 1 if obj is None else None

    def has_add_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False


# --------------------------------------------------------------------------- users and tokens


@admin.register(User)
class UserAdmin(ArchivableAdmin, BaseUserAdmin):
    form = LabelPizzaUserChangeForm
    add_form = LabelPizzaUserCreationForm
    change_password_form = LabelPizzaPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("user_id", "email", "password")}),
        ("Type and state", {"fields": ("user_type", "confirm_type_change", "is_active", "is_staff", "is_superuser")}),
        ("API token", {"fields": ("api_token_summary",)}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("user_id", "user_type", "email", "password1", "password2", "is_active")},
        ),
    )
    # Staff and superuser follow user_type and is_active (DB-11); nobody edits them by hand.
    readonly_fields = ("is_staff", "is_superuser", "api_token_summary", "last_login", "created_at", "updated_at")
    list_display = ("user_id", "email", "user_type", "is_active", "is_staff", "last_login", "created_at")
    list_filter = ("user_type", "is_active", "is_staff")
    search_fields = ("user_id", "email")
    ordering = ("user_id",)
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_model:
            # Model users have no password and no email (DM-USR-2): they use an API token. Their type never changes.
            first = {"fields": ("user_id", "email")}
            state = {"fields": ("user_type", "is_active", "is_staff", "is_superuser")}
            return ((None, first), ("Type and state", state), *fieldsets[2:])
        return fieldsets

    actions = ("archive_selected", "unarchive_selected", "issue_api_tokens", "revoke_api_tokens")

    @admin.action(description="Create or regenerate API tokens (the keys are shown once)")
    def issue_api_tokens(self, request, queryset):
        """SEC-6: a new key replaces the old one; the full keys appear only in this response."""
        issued, refused = [], []
        for user in queryset:
            try:
                issued.append((user, tokens.issue_token(user)))
            except tokens.TokenError as exc:
                refused.append(str(exc))
        for message in refused:
            self.message_user(request, message, messages.ERROR)
        if not issued:
            return None
        response = TemplateResponse(
            request, "admin/tools/tokens_issued.html", {**self.admin_site.each_context(request), "issued": issued}
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke API tokens")
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(tokens.revoke_token(user) for user in queryset)
        self.message_user(request, f"Revoked {revoked} API token(s).", messages.SUCCESS)

    @admin.display(description="API token")
    def api_token_summary(self, obj):
        token = getattr(obj, "api_token", None)
        if token is None:
            return "No API token."
        used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        return f"{token.prefix}… created {token.created_at:%Y-%m-%d %H:%M}, {used}"

    def save_model(self, request, obj, form, change):
        old_type = old_active = None
        if change:
            old_type, old_active = User.objects.filter(pk=obj.pk).values_list("user_type", "is_active").get()
        super().save_model(request, obj, form, change)
        # DM-ROLE-5/6/7: promotion, demotion and unarchiving of admins adjust project roles.
        apply_user_type_change(obj, old_type, old_active)
        if (old_type, old_active) != (obj.user_type, obj.is_active):
            recompute(self.projects_touched_by_archiving([obj.pk]))

    def projects_touched_by_archiving(self, pks):
        return Assignment.objects.filter(user__in=pks).values_list("project_id", flat=True).distinct()

    def apply_active(self, request, objs, active):
        for user in objs:
            old_active, user.is_active = user.is_active, active
            user.save(update_fields=["is_active", "is_staff", "is_superuser", "updated_at"])
            apply_user_type_change(user, user.user_type, old_active)
        recompute(self.projects_touched_by_archiving([user.pk for user in objs]))

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and user.is_model:
            self.message_user(request, "Model users have no password; they use an API token.", messages.ERROR)
            return redirect(reverse("admin:catalog_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Only the prefix is shown: the key is seen once, when it is created (DM-TOK-1)."""

    fields = ("user", "prefix", "created_at", "last_used_at")
    list_display = ("user", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__user_id", "user__email", "prefix")
    date_hierarchy = "created_at"
    actions = ("revoke_selected",)

    @admin.action(description="Revoke selected API tokens")
    def revoke_selected(self, request, queryset):
        # DM-TOK-1: revoking deletes the token; its owner creates a new one when needed.
        count, _ = queryset.delete()
        self.message_user(request, f"Revoked {count} API token(s).", messages.SUCCESS)


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
    list_display = ("text", "qtype", "default_option", "is_active", "created_at")
    list_filter = ("qtype", "is_active")
    search_fields = ("text", "display_text")
    date_hierarchy = "created_at"
    inlines = (QuestionGroupsInline,)

    class Media:
        # Option rows: up/down, append, and the default option's choices (PORTAL-ADM-7).
        js = ("js/admin_order.js",)
        css = {"all": ("css/admin_tools.css",)}

    def get_readonly_fields(self, request, obj=None):
        always = ("is_active", "created_at", "updated_at")
        # DM-CONV-4 and DM-Q-4: the text and the type never change.
        return ("text", "qtype", *always) if obj is not None else always

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

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
                reverse("admin_tools:verification_functions"),
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
    tool_links = (("Create with video search", "admin_tools:new_project"),)
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
        answers = in_scope(Answer.objects.filter(project=obj)).count()
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


# --------------------------------------------------------------------------- roles


@admin.register(Assignment)
class AssignmentAdmin(ArchivableAdmin):
    """Every change goes through catalog.roles, so the pair's rows stay expand(level) (DM-ROLE-2/4)."""

    form = AssignmentForm
    tool_links = (
        ("Assignments browser", "admin_tools:assignments"),
        ("Bulk assignment", "admin_tools:bulk_assignment"),
    )
    list_display = ("user", "project", "role", "is_active", "user_weight", "assigned_at", "completed_at")
    list_select_related = ("user", "project")
    list_filter = ("role", "is_active", "user__user_type", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__user_id", "user__email", "project__name")
    date_hierarchy = "assigned_at"
    autocomplete_fields = ("user", "project")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("project", "user", "role", "user_weight")
        return ("project", "user", "role", "is_active", "user_weight", "assigned_at", "completed_at")

    def get_readonly_fields(self, request, obj=None):
        return ("project", "user", "role", "assigned_at", "completed_at") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not change:
            rows = assign_role(user=obj.user, project=obj.project, role=obj.role, weight=obj.user_weight)
            saved = next(row for row in rows if row.role == obj.role)
            for field in obj._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))
            obj._state.adding, obj._state.db = False, saved._state.db
            recompute([obj.project_id])
            others = sorted(row.role for row in rows if row.is_active and row.role != obj.role)
            if others:
                self.message_user(request, f"The user also holds {', '.join(others)} in this project (DM-ROLE-1).")
            return
        old = Assignment.objects.get(pk=obj.pk)
        if old.is_active and not obj.is_active:
            remove_role(user=obj.user, project=obj.project, role=obj.role)
        elif obj.is_active and not old.is_active:
            assign_role(user=obj.user, project=obj.project, role=obj.role, weight=obj.user_weight)
        if obj.user_weight != old.user_weight:
            # DM-ASG-2: every row of the pair carries the same weight.
            Assignment.objects.filter(user=obj.user, project=obj.project).update(user_weight=obj.user_weight)
        recompute([obj.project_id])
        obj.refresh_from_db()

    def archive_problems(self, request, objs, active):
        """The checks of catalog.roles, the ones assign_role and remove_role run (DM-ROLE-3/5, DM-ARCH-3)."""
        problems = []
        for row in objs:
            try:
                if active:
                    check_assign(user=row.user, project=row.project, role=row.role, weight=row.user_weight)
                else:
                    check_pair_active(row.user, row.project)
                    check_remove(user=row.user, project=row.project, role=row.role)
            except RoleError as error:
                problems.append(f"{row}: {error}.")
        return problems

    def _set_active(self, request, queryset, active):
        super()._set_active(request, queryset.select_related("user", "project"), active)

    def apply_active(self, request, objs, active):
        # One role operation per (user, project) pair: the highest selected role when unarchiving (so a
        # lower one cannot demote the pair), the lowest when archiving (removal takes the levels above).
        by_pair: dict[tuple[int, int], list[Assignment]] = {}
        for row in objs:
            by_pair.setdefault((row.user_id, row.project_id), []).append(row)
        rank = {role: index for index, role in enumerate(LEVELS)} | {Assignment.Role.MODEL: -1}
        for rows in by_pair.values():
            rows.sort(key=lambda row: rank[row.role])
            row = rows[-1] if active else rows[0]
            if active:
                assign_role(user=row.user, project=row.project, role=row.role, weight=row.user_weight)
            else:
                remove_role(user=row.user, project=row.project, role=row.role)
        recompute(project_id for _, project_id in by_pair)


@admin.register(CustomDisplay)
class CustomDisplayAdmin(ReadOnlyAdmin):
    """Custom displays are set through sync (PORTAL-ADM-4, SYNC-CD); the admin lists them."""

    list_display = ("project", "video", "question", "custom_display_text", "has_option_map", "updated_at")
    list_select_related = ("project", "video", "question")
    list_filter = (("project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("project__name", "video__video_uid", "question__text", "custom_display_text")

    @admin.display(description="option labels", boolean=True)
    def has_option_map(self, obj):
        return obj.custom_option_display_map is not None


# --------------------------------------------------------------------------- membership rows


class MembershipAdmin(ReadOnlyAdmin):
    """Membership rows, listed for lookups; they are edited as inlines of their parent."""


@admin.register(QuestionGroupQuestion)
class QuestionGroupQuestionAdmin(MembershipAdmin):
    list_display = ("group", "position", "question")
    list_select_related = ("group", "question")
    list_filter = (("group", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("group__title", "question__text")


@admin.register(SchemaQuestionGroup)
class SchemaQuestionGroupAdmin(MembershipAdmin):
    list_display = ("schema", "position", "group")
    list_select_related = ("schema", "group")
    list_filter = (("schema", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("schema__name", "group__title")


@admin.register(ProjectVideo)
class ProjectVideoAdmin(MembershipAdmin):
    list_display = ("project", "position", "video", "added_at")
    list_select_related = ("project", "video")
    list_filter = (("project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("project__name", "video__video_uid")


@admin.register(ProjectGroupProject)
class ProjectGroupProjectAdmin(MembershipAdmin):
    list_display = ("project_group", "project")
    list_select_related = ("project_group", "project")
    list_filter = (("project_group", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("project_group__name", "project__name")
