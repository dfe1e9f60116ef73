"""The portals' URLs: one named list per portal, mounted under its prefix and namespace.

The reviewer (`/review/`, namespace "review") and meta-reviewer (`/meta-review/`, "meta") portals share
`review_urls`; the views read the namespace to choose the role to check and to build their links. Project
analytics (PORTAL-REV-14) is part of both.
"""

from django.urls import include, path

from annotation.views import analytics, annotate, review, search

annotate_urls = [
    path("", annotate.dashboard, name="dashboard"),
    path("<int:project_id>/", annotate.project_page, name="project"),
    path("<int:project_id>/videos/<int:video_id>/", annotate.video_page, name="video"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", annotate.submit_group, name="submit"),
    path("<int:project_id>/auto-submit/", annotate.auto_submit, name="auto_submit"),
    path("<int:project_id>/layout/", annotate.save_layout, name="layout"),
    path("<int:project_id>/defaults/", annotate.default_submit, name="defaults"),
    path("<int:project_id>/report/", annotate.report, name="report"),
]

analytics_urls = [
    path("<int:project_id>/analytics/annotators/", analytics.annotators, name="analytics_annotators"),
    path("<int:project_id>/analytics/reviewers/", analytics.reviewers, name="analytics_reviewers"),
    path("<int:project_id>/analytics/agreement/", analytics.agreement, name="analytics_agreement"),
]

review_urls = [
    path("", review.dashboard, name="dashboard"),
    path("performance/", review.performance, name="performance"),
    path("<int:project_id>/", review.project_page, name="project"),
    path("<int:project_id>/videos/<int:video_id>/", review.video_page, name="video"),
    path("<int:project_id>/videos/<int:video_id>/history/", review.history, name="history"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", review.submit_group, name="submit"),
    path("<int:project_id>/layout/", review.save_layout, name="layout"),
    path("<int:project_id>/auto-submit/", review.auto_submit, name="auto_submit"),
    path("<int:project_id>/order/", review.order_groups, name="order"),
    path("", include(analytics_urls)),
]

# PORTAL-GEN-1: /search/video/, /search/criteria/schema/, /search/criteria/project/, /search/completion/, plus
# the card actions under /search/<project>/videos/<video>/.
search_urls = [
    path("video/", search.video_editor, name="editor"),
    path("criteria/schema/", search.criteria, {"kind": "schema"}, name="criteria_schema"),
    path("criteria/project/", search.criteria, {"kind": "project"}, name="criteria_project"),
    path("completion/", search.completion, name="completion"),
    path("<int:project_id>/videos/<int:video_id>/", search.video_link, name="video"),
    path("<int:project_id>/videos/<int:video_id>/history/", search.history, name="history"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", search.submit_group, name="submit"),
]

urlpatterns = [
    path("annotate/", include((annotate_urls, "annotate"))),
    path("review/", include((review_urls, "review"))),
    path("meta-review/", include((review_urls, "meta"))),
    path("search/", include((search_urls, "search"))),
]
