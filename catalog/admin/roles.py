"""Assignments, custom displays and the membership rows (DM-ROLE, DM-CD)."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.base import ArchivableAdmin, ReadOnlyAdmin, recompute
from catalog.admin_forms import (
    AssignmentForm,
)
from catalog.models import (
    Assignment,
    CustomDisplay,
    ProjectGroupProject,
    ProjectVideo,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
)
from catalog.roles import (
    LEVELS,
    RoleError,
    assign_role,
    check_assign,
    check_pair_active,
    check_remove,
    remove_role,
)

# --------------------------------------------------------------------------- roles


@admin.register(Assignment)
class AssignmentAdmin(ArchivableAdmin):
    """Every change goes through catalog.roles, so the pair's rows stay expand(level) (DM-ROLE-2/4)."""

    form = AssignmentForm
    tool_links = (
        ("Assignments browser", "admin:assignments"),
        ("Bulk assignment", "admin:bulk_assignment"),
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
                self.message_user(request, f"The user also holds {', '.join(others)} in this project.")
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
    """Membership rows, listed for lookups; they are edited as inlines of their parent.

    Off the admin index (issue 11.7): the parent's editor is where people change them. Their lists still
    answer at their URLs (has_module_permission only hides the entry), for lookups and links."""

    def has_module_permission(self, request):
        return False


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
