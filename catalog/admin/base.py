"""What every admin section shares: no deletes, metrics rows, archive actions, ordered inlines (PORTAL-ADM-2)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from annotation.completion import recompute_completion
from catalog import admin_metrics
from catalog.admin_forms import (
    ArchivableForm,
    OrderedMembershipForm,
    active_change_problems,
    after_active_change,
)

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


class MetricsAdmin(admin.ModelAdmin):
    """A section of the portal: its changelist starts with a metrics row (PORTAL-ADM-2), one or a few queries,
    and, where the natural key can be renamed, the Rename action that syncing/admin.py adds (OVR-REN-1)."""

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
