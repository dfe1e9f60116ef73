from django.urls import path

from annotation.views import annotate

app_name = "annotate"

urlpatterns = [
    path("", annotate.dashboard, name="dashboard"),
    path("<int:project_id>/", annotate.project_page, name="project"),
    path("<int:project_id>/videos/<int:video_id>/", annotate.video_page, name="video"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", annotate.submit_group, name="submit"),
    path("<int:project_id>/auto-submit/", annotate.auto_submit, name="auto_submit"),
    path("<int:project_id>/layout/", annotate.save_layout, name="layout"),
    path("<int:project_id>/defaults/", annotate.default_submit, name="defaults"),
    path("<int:project_id>/report/", annotate.report, name="report"),
]
