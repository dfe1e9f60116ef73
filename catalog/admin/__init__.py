"""The admin site for catalog models (PORTAL-ADM-1/2): lists with search and filters, quick edits.

Rows are archived, never deleted (DM-CONV-5), so no model offers Django's delete. Natural keys are
read-only once a row exists (DM-CONV-4), except a user's `user_id`. Ordered memberships are edited as
inlines whose member set is fixed after creation; only their order changes (DM-QG-3, DM-SCH-2, DM-PRJ-3).
"""

from django.contrib import admin
from django.contrib.auth.models import Group

# Each module registers its sections with the admin site when imported.
from catalog.admin import content, roles, users  # noqa: F401
from catalog.admin.base import ArchivableAdmin, MetricsAdmin, NoDeleteAdmin, ReadOnlyAdmin

# Roles live on Assignment and staff rights follow user_type (DB-11): auth groups would mean nothing here.
admin.site.unregister(Group)

__all__ = ["ArchivableAdmin", "MetricsAdmin", "NoDeleteAdmin", "ReadOnlyAdmin"]
