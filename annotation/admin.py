"""The admin site for answers, ground truth, its history and reviews: lists to look things up.

All four are read-only here. Their writes have rules the admin form cannot keep: answers and GT are
written a whole question group at a time (DM-ANS-3, DM-GT-4), every GT change adds history in the same
transaction (DM-HIST-2), and a changed answer loses its review (DM-REV-3). The portals and sync write them.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import Truncator

from annotation import admin_export
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog.admin import ReadOnlyAdmin
from catalog.admin_site.site import AdminPage


def _short(value: str | None) -> str:
    return "—" if value is None else Truncator(value).chars(60)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("project", "video", "question", "user", "short_value", "confidence_score", "review_status")
    list_display_links = ("short_value",)
    list_select_related = ("project", "video", "question", "user", "review")
    list_filter = ("project", "question__qtype", "user__user_type", "review__status")
    search_fields = ("project__name", "video__video_uid", "question__text", "user__user_id", "value")
    date_hierarchy = "modified_at"

    @admin.display(description="value", ordering="value")
    def short_value(self, obj):
        return _short(obj.value)

    @admin.display(description="review")
    def review_status(self, obj):
        review = getattr(obj, "review", None)
        return review.status if review is not None else "pending"


@admin.register(GroundTruth)
class GroundTruthAdmin(ReadOnlyAdmin):
    list_display = ("project", "video", "question", "short_value", "reviewer", "overridden_by", "modified_at")
    list_display_links = ("short_value",)
    list_select_related = ("project", "video", "question", "reviewer", "overridden_by")
    list_filter = ("project", "question__qtype", ("overridden_by", admin.EmptyFieldListFilter))
    search_fields = ("project__name", "video__video_uid", "question__text", "reviewer__user_id", "value")
    date_hierarchy = "modified_at"

    @admin.display(description="value", ordering="value")
    def short_value(self, obj):
        return _short(obj.value)


@admin.register(GroundTruthHistory)
class GroundTruthHistoryAdmin(ReadOnlyAdmin):
    """An append-only log (DM-HIST-3): nobody adds, changes or deletes entries here."""

    list_display = ("at", "project", "video", "question", "kind", "source", "actor", "old", "new")
    list_select_related = ("project", "video", "question", "actor")
    list_filter = ("kind", "source", "project")
    search_fields = ("project__name", "video__video_uid", "question__text", "actor__user_id")
    date_hierarchy = "at"

    @admin.display(description="old value")
    def old(self, obj):
        return _short(obj.old_value)

    @admin.display(description="new value")
    def new(self, obj):
        return _short(obj.new_value)


@admin.register(AnswerReview)
class AnswerReviewAdmin(ReadOnlyAdmin):
    list_display = ("answer", "status", "reviewer", "reviewed_at")
    list_select_related = ("answer__project", "answer__video", "answer__question", "answer__user", "reviewer")
    list_filter = ("status", ("answer__project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("answer__video__video_uid", "answer__question__text", "answer__user__user_id", "reviewer__user_id")
    date_hierarchy = "reviewed_at"


# --------------------------------------------------------------------------- pages the admin site lacks

# PORTAL-ADM-10: the Export page, with its own entry in the index and the sidebar (PORTAL-ADM-1).
admin.site.add_page(
    AdminPage(
        "export/",
        admin_export.export_page,
        "export",
        "Export",
        "Validated ground-truth export (JSON, Excel)",
        app_entry=admin_export.index_entry,
    )
)
# The page's workspace zip (WS-EXP-6) is sync's export: syncing/admin.py adds it.
