"""Search portal URLs (PORTAL-GEN-1): /search/video/, /search/criteria/schema/, /search/criteria/project/,
/search/completion/, plus the card actions under /search/<project>/videos/<video>/."""

from django.urls import path

from annotation.views import search

app_name = "search"

urlpatterns = [
    path("video/", search.video_editor, name="editor"),
    path("criteria/schema/", search.criteria, {"kind": "schema"}, name="criteria_schema"),
    path("criteria/project/", search.criteria, {"kind": "project"}, name="criteria_project"),
    path("completion/", search.completion, name="completion"),
    path("<int:project_id>/videos/<int:video_id>/", search.video_link, name="video"),
    path("<int:project_id>/videos/<int:video_id>/history/", search.history, name="history"),
    path("<int:project_id>/videos/<int:video_id>/groups/<int:group_id>/", search.submit_group, name="submit"),
]
