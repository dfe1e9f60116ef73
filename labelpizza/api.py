"""The REST API under `/api/` (API-1..6): one router, the non-CRUD paths, the schema and its docs.

Authentication (settings.REST_FRAMEWORK): `Authorization: Token <key>` or the browser session (CSRF on
writes); every endpoint needs a logged-in user. The OpenAPI schema is generated from these views by
drf-spectacular; the docs pages load Swagger UI and Redoc from the app's own files (labelpizza/api_docs.py).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from annotation.api import views as annotation_views
from annotation.team.api import views as team_views
from catalog.api import views as catalog_views
from labelpizza.api_docs import RedocView, SwaggerView, redoc_bundle

router = DefaultRouter()
router.register("users", catalog_views.UserViewSet, basename="user")
router.register("videos", catalog_views.VideoViewSet, basename="video")
router.register("questions", catalog_views.QuestionViewSet, basename="question")
router.register("question-groups", catalog_views.QuestionGroupViewSet, basename="question-group")
router.register("schemas", catalog_views.SchemaViewSet, basename="schema")
router.register("projects", catalog_views.ProjectViewSet, basename="project")
router.register(
    r"projects/(?P<project_pk>[0-9]+)/custom-displays",
    catalog_views.ProjectCustomDisplayViewSet,
    basename="project-custom-display",
)
router.register("project-groups", catalog_views.ProjectGroupViewSet, basename="project-group")
router.register("assignments", catalog_views.AssignmentViewSet, basename="assignment")
router.register("answers", annotation_views.AnswerViewSet, basename="answer")
router.register("ground-truth/history", annotation_views.GroundTruthHistoryViewSet, basename="ground-truth-history")
router.register("ground-truth", annotation_views.GroundTruthViewSet, basename="ground-truth")
router.register("reviews", annotation_views.ReviewViewSet, basename="review")

app_name = "api"
urlpatterns = [
    path("me/", catalog_views.MeView.as_view(), name="me"),
    path("annotations/", annotation_views.AnnotationWriteView.as_view(), name="annotations"),
    path("ground-truth/override/", annotation_views.GroundTruthOverrideView.as_view(), name="ground-truth-override"),
    path("projects/<int:project_pk>/progress/", annotation_views.ProjectProgressView.as_view(), name="progress"),
    path("projects/<int:project_pk>/accuracy/", annotation_views.ProjectAccuracyView.as_view(), name="accuracy"),
    path("projects/<int:project_pk>/agreement/", annotation_views.ProjectAgreementView.as_view(), name="agreement"),
    path("team/", team_views.TeamView.as_view(), name="team"),
    path("team/people/<int:pk>/", team_views.PersonFiguresView.as_view(), name="team-person"),
    path("team/people/<int:pk>/payments/", team_views.PaymentListView.as_view(), name="team-payments"),
    path("team/people/<int:pk>/feedback/", team_views.FeedbackListView.as_view(), name="team-feedback"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Both docs pages load everything from this server and run no inline script (labelpizza/api_docs.py).
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("docs/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("", include(router.urls)),
]
