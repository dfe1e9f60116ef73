"""Project analytics (PORTAL-REV-14), mounted by both the reviewer and the meta-reviewer portal.

No app_name on purpose: the patterns join the namespace of whoever includes them ("review" or "meta"), and the
views read that namespace to choose the role to check and to build their links.
"""

from django.urls import path

from annotation.views import analytics

urlpatterns = [
    path("<int:project_id>/analytics/annotators/", analytics.annotators, name="analytics_annotators"),
    path("<int:project_id>/analytics/reviewers/", analytics.reviewers, name="analytics_reviewers"),
    path("<int:project_id>/analytics/agreement/", analytics.agreement, name="analytics_agreement"),
]
