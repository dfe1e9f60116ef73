"""URLs shared by the reviewer (`/review/`, namespace "review") and meta-reviewer (`/meta-review/`, "meta") portals."""

from django.urls import include, path

from annotation.views import review

urlpatterns = [
    path("", review.dashboard, name="dashboard"),
    path("performance/", review.performance, name="performance"),
    path("<int:project_id>/", review.project_page, name="project"),
    path("<int:project_id>/videos/<int:video_id>/", review.video_page, name="video"),
    path("<int:project_id>/videos/<int:video_id>/history/", review.history, name="history"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", review.submit_group, name="submit"),
    path("<int:project_id>/layout/", review.save_layout, name="layout"),
    path("<int:project_id>/auto-submit/", review.auto_submit, name="auto_submit"),
    path("<int:project_id>/order/", review.order_groups, name="order"),
    path("", include("annotation.analytics_urls")),
]
