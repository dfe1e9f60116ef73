"""The admin's Rename action (PORTAL-ADM-2): a confirmation page, then syncing.rename (OVR-REN-1).

Sync owns renaming (it writes a backup first), so this app adds the action to catalog's admin pages
(syncing/admin.py), and catalog never imports sync.

Natural keys are read-only on the change forms (DM-CONV-4); this action is the portal's way to change
one, with the same checks, backup and reminder as `python manage.py rename`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from syncing.rename import KIND_OF_MODEL, KINDS, REMINDER, RenameError, rename


@admin.action(description="Rename the selected %(verbose_name)s…", permissions=["change"])
def rename_selected(modeladmin, request, queryset):
    """The Rename action; syncing/admin.py adds it to the admin of every model in KIND_OF_MODEL."""
    kind = KIND_OF_MODEL[modeladmin.model]
    spec = KINDS[kind]
    rows = list(queryset[:2])
    if len(rows) != 1:
        modeladmin.message_user(request, f"Select exactly one {spec.label} to rename.", messages.WARNING)
        return None
    row = rows[0]
    old = getattr(row, spec.field)
    new, error = old, ""
    if request.POST.get("confirm") == "yes":
        new = request.POST.get("new_name", "")
        try:
            result = rename(kind, old, new, backup_dir=settings.BACKUP_DIR)
        except RenameError as exc:
            error = f"{exc}. Nothing was renamed."
        else:
            modeladmin.message_user(request, result.headline, messages.SUCCESS)
            for note in result.reminders:
                modeladmin.message_user(request, note, messages.WARNING)
            return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Rename {spec.label}",
        "opts": modeladmin.model._meta,
        "row": row,
        "label": spec.label,
        "field": spec.field,
        "old": old,
        "new": new,
        "error": error,
        "reminder": REMINDER,
        "backup_dir": settings.BACKUP_DIR,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/tools/rename.html", context)
