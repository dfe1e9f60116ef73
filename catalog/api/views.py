"""Read endpoints of the catalog (API-3/4): what exists, scoped to what the caller may see.

Every queryset starts from the caller's scope (catalog.api.permissions) and only then applies the
query-string filters, so a filter can narrow but never widen what a user reads. Lists prefetch their
ordered memberships: a page costs the same number of queries whatever its size (API-6).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from annotation.progress import project_figures
from catalog.api import filters
from catalog.api.permissions import get_visible_project, visible_project_ids, visible_projects
from catalog.api.serializers import (
    AssignmentSerializer,
    CustomDisplaySerializer,
    MeSerializer,
    ProjectGroupSerializer,
    ProjectSerializer,
    QuestionGroupSerializer,
    QuestionSerializer,
    SchemaSerializer,
    UserSerializer,
    VideoSerializer,
)
from catalog.models import (
    Assignment,
    CustomDisplay,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)

ID = r"[0-9]+"  # detail URLs use numeric ids (API-2)
VIDEO_QUESTION = {"video_uid": "video__video_uid", "question_text": "question__text"}


def project_scope(request):
    """The projects this request reads from: the caller's visible projects narrowed by `?project_name=`.

    None means "every project" (a global admin without the filter), so no subquery is added.
    """
    name = filters.text(request, "project_name")
    ids = visible_project_ids(request.user)
    if ids is None and name is None:
        return None
    projects = visible_projects(request.user)
    return projects.filter(name=name) if name is not None else projects


class MeView(GenericAPIView):
    serializer_class = MeSerializer
    pagination_class = None

    @extend_schema(summary="The caller: user_id, email, type and active roles per project")
    def get(self, request):
        user = request.user
        projects: dict[int, dict] = {}
        rows = Assignment.objects.for_user(user).held().select_related("project").order_by("project__name", "role")
        for row in rows:
            entry = projects.setdefault(
                row.project_id, {"project_id": row.project_id, "project_name": row.project.name, "roles": []}
            )
            entry["roles"].append(row.role)
        data = {
            "id": user.pk,
            "user_id": user.user_id,
            "email": user.email,
            "user_type": user.user_type,
            "is_global_admin": user.is_global_admin,
            "projects": list(projects.values()),
        }
        return Response(MeSerializer(data).data)


@extend_schema_view(list=extend_schema(summary="Users (global admins only)"))
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        if not self.request.user.is_global_admin:
            raise PermissionDenied("The users list is for global admins.")
        return filters.apply(User.objects.order_by("user_id"), self.request, {"is_active": "is_active"})

    @extend_schema(parameters=[filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class VideoViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VideoSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = Video.objects.order_by("video_uid")
        scope = project_scope(self.request)
        if scope is not None:
            qs = qs.filter(Exists(ProjectVideo.objects.filter(video=OuterRef("pk"), project__in=scope)))
        return filters.apply(qs, self.request, {"video_uid": "video_uid", "is_active": "is_active"})

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.VIDEO_UID, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class QuestionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QuestionSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = Question.objects.order_by("text")
        scope = project_scope(self.request)
        title = filters.text(self.request, "question_group_title")
        if scope is not None or title is not None:
            memberships = QuestionGroupQuestion.objects.filter(question=OuterRef("pk"))
            if scope is not None:
                memberships = memberships.filter(group__schema_memberships__schema__projects__in=scope)
            if title is not None:
                memberships = memberships.filter(group__title=title)
            qs = qs.filter(Exists(memberships))
        return filters.apply(qs, self.request, {"question_text": "text", "is_active": "is_active"})

    @extend_schema(
        parameters=[filters.PROJECT_NAME, filters.QUESTION_GROUP_TITLE, filters.QUESTION_TEXT, filters.IS_ACTIVE]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class QuestionGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QuestionGroupSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = QuestionGroup.objects.order_by("title").prefetch_related(
            Prefetch(
                "memberships",
                queryset=QuestionGroupQuestion.objects.select_related("question").order_by("position"),
            )
        )
        scope = project_scope(self.request)
        if scope is not None:
            qs = qs.filter(Exists(SchemaQuestionGroup.objects.filter(group=OuterRef("pk"), schema__projects__in=scope)))
        return filters.apply(qs, self.request, {"question_group_title": "title", "is_active": "is_active"})

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.QUESTION_GROUP_TITLE, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SchemaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SchemaSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = Schema.objects.order_by("name").prefetch_related(
            Prefetch("memberships", queryset=SchemaQuestionGroup.objects.select_related("group").order_by("position"))
        )
        scope = project_scope(self.request)
        if scope is not None:
            qs = qs.filter(Exists(scope.filter(schema=OuterRef("pk"))))
        return filters.apply(qs, self.request, {"is_active": "is_active"})

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects with mode and progress. project_figures costs four queries per page, whatever its size."""

    serializer_class = ProjectSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = (
            visible_projects(self.request.user)
            .select_related("schema")
            .prefetch_related(
                Prefetch("video_links", queryset=ProjectVideo.objects.select_related("video").order_by("position"))
            )
            .order_by("name")
        )
        return filters.apply(qs, self.request, {"project_name": "name", "is_active": "is_active"})

    def _serialize(self, projects, *, many: bool):
        figures = project_figures(list(projects) if many else [projects], self.request.user)
        return self.get_serializer(projects, many=many, context={**self.get_serializer_context(), "figures": figures})

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._serialize(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object(), many=False).data)


# Spec: DM-CD.
class ProjectCustomDisplayViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """`/api/projects/{id}/custom-displays/`: the project's custom displays, for anyone who sees it."""

    serializer_class = CustomDisplaySerializer

    def get_queryset(self):
        project = get_visible_project(self.request.user, self.kwargs["project_pk"])
        qs = CustomDisplay.objects.filter(project=project).select_related("project", "video", "question")
        return filters.apply(qs.order_by("video__video_uid", "question__text", "pk"), self.request, VIDEO_QUESTION)

    @extend_schema(
        parameters=[
            OpenApiParameter("project_pk", int, OpenApiParameter.PATH, description="The project's id."),
            filters.VIDEO_UID,
            filters.QUESTION_TEXT,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ProjectGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectGroupSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        scope = project_scope(self.request)
        members = ProjectGroupProject.objects.select_related("project")
        qs = ProjectGroup.objects.order_by("name")
        if scope is not None:
            members = members.filter(project__in=scope)
            qs = qs.filter(Exists(ProjectGroupProject.objects.filter(project_group=OuterRef("pk"), project__in=scope)))
        qs = qs.prefetch_related(Prefetch("memberships", queryset=members))
        return filters.apply(qs, self.request, {"is_active": "is_active"})

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# Spec: API-3.
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Role rows: a global admin reads every row, anyone else their own rows in projects they see."""

    serializer_class = AssignmentSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        user = self.request.user
        qs = Assignment.objects.select_related("project", "user").order_by("project__name", "user__user_id", "role")
        if not user.is_global_admin:
            qs = qs.filter(user=user, project__in=visible_project_ids(user))
        return filters.apply(
            qs,
            self.request,
            {"project_name": "project__name", "user_name": "user__user_id", "role": "role", "is_active": "is_active"},
        )

    @extend_schema(parameters=[filters.PROJECT_NAME, filters.USER_NAME, filters.ROLE, filters.IS_ACTIVE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
