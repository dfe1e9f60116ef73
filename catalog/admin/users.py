"""Users and API tokens (DM-USR, DB-11, SEC-6)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from catalog import tokens
from catalog.admin.base import ArchivableAdmin, ReadOnlyAdmin, recompute
from catalog.admin_forms import (
    LabelPizzaPasswordChangeForm,
    LabelPizzaUserChangeForm,
    LabelPizzaUserCreationForm,
)
from catalog.archived_access import close_access
from catalog.models import (
    ApiToken,
    Assignment,
    User,
)
from catalog.roles import (
    apply_user_type_change,
)

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
        return format_html(
            '{}… created {}, {} · <a href="{}">all API tokens</a>',
            token.prefix,
            f"{token.created_at:%Y-%m-%d %H:%M}",
            used,
            reverse("admin:catalog_apitoken_changelist"),
        )

    def save_model(self, request, obj, form, change):
        old_type = old_active = None
        if change:
            old_type, old_active = User.objects.filter(pk=obj.pk).values_list("user_type", "is_active").get()
        super().save_model(request, obj, form, change)
        if old_active and not obj.is_active:
            close_access([obj.pk])
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
        if not active:
            close_access([user.pk for user in objs])
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

    def has_module_permission(self, request):
        # Off the admin index (issue 11.7): users' actions create and revoke tokens; the list stays reachable
        # from each user's "API token" field.
        return False

    @admin.action(description="Revoke selected API tokens")
    def revoke_selected(self, request, queryset):
        # DM-TOK-1: revoking deletes the token; its owner creates a new one when needed.
        count, _ = queryset.delete()
        self.message_user(request, f"Revoked {count} API token(s).", messages.SUCCESS)
