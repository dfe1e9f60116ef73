"""Read shapes of the catalog: users, videos, questions, groups, schemas, projects, roles (API-4).

Every object carries its natural keys (`project_name`, `video_uid`, …) beside its numeric `id` (API-2).
Ordered memberships come from prefetches the views set up, so a page costs a fixed number of queries.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    Question,
    QuestionGroup,
    Schema,
    User,
    Video,
)
from catalog.question_types import find


# Spec: SEC-1.
class UserSerializer(serializers.ModelSerializer):
    """Users without password data."""

    class Meta:
        model = User
        fields = ["id", "user_id", "email", "user_type", "is_active", "created_at", "updated_at"]


class ProjectRolesSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


# Spec: API-4.
class MeSerializer(serializers.Serializer):
    """The caller, with their active roles per active project (`/api/me/`)."""

    id = serializers.IntegerField()
    user_id = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    user_type = serializers.CharField()
    is_global_admin = serializers.BooleanField()
    projects = ProjectRolesSerializer(many=True)


class VideoSerializer(serializers.ModelSerializer):
    metadata = serializers.DictField(help_text="JSON object with string keys.")

    class Meta:
        model = Video
        fields = ["id", "video_uid", "url", "metadata", "is_active", "created_at", "updated_at"]


class QuestionSerializer(serializers.ModelSerializer):
    options = serializers.ListField(child=serializers.CharField(), allow_null=True)
    display_values = serializers.ListField(child=serializers.CharField(), allow_null=True)
    option_weights = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    default_option = serializers.SerializerMethodField(
        help_text="The default answer of a single-choice question; null for other types or when none is set."
    )
    default_options = serializers.SerializerMethodField(
        help_text='The default answer of a multiple-choice question, a list of option values ([] is "none of '
        'these"); null for other types or when none is set.'
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "text",
            "display_text",
            "qtype",
            "options",
            "display_values",
            "option_weights",
            "default_option",
            "default_options",
            "is_active",
        ]

    def _default(self, question, key: str):
        """The stored default as the workspace writes it, under the type's own key (`default_key`)."""
        kind = find(question.qtype)
        if question.default_option is None or kind is None:
            return question.default_option if key == "default_option" else None
        return kind.to_external(question, question.default_option) if kind.default_key == key else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_default_option(self, question):
        return self._default(question, "default_option")

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_default_options(self, question):
        return self._default(question, "default_options")


class QuestionGroupSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField(help_text="The group's questions, in order.")

    class Meta:
        model = QuestionGroup
        fields = [
            "id",
            "title",
            "display_title",
            "description",
            "is_reusable",
            "is_auto_submit",
            "verification_function",
            "is_active",
            "questions",
        ]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, group):
        # `memberships` is prefetched in position order with the questions (views.QuestionGroupViewSet).
        return QuestionSerializer([m.question for m in group.memberships.all()], many=True).data


class SchemaSerializer(serializers.ModelSerializer):
    question_group_titles = serializers.SerializerMethodField(help_text="The schema's groups, in tab order.")

    class Meta:
        model = Schema
        fields = ["id", "name", "instructions_url", "has_custom_display", "is_active", "question_group_titles"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_question_group_titles(self, schema):
        return [m.group.title for m in schema.memberships.all()]


# Spec: DM-DER-3.
class ProjectSerializer(serializers.ModelSerializer):
    """A project with its ordered videos, mode and progress. `progress` is the caller's own."""

    schema_name = serializers.CharField(source="schema.name")
    videos = serializers.SerializerMethodField(help_text="Member video uids in project order.")
    mode = serializers.SerializerMethodField(help_text="training (complete GT) or annotation.")
    gt_progress = serializers.SerializerMethodField(help_text="Percent of V(P)×Q(P) with GT, unrounded.")
    progress = serializers.SerializerMethodField(help_text="The caller's answered percent of V(P)×Q(P), unrounded.")

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "schema_name",
            "description",
            "is_active",
            "videos",
            "mode",
            "gt_progress",
            "progress",
            "created_at",
            "updated_at",
        ]

    def _figures(self, project):
        return self.context["figures"][project.pk]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_videos(self, project):
        return [link.video.video_uid for link in project.video_links.all()]

    @extend_schema_field(serializers.ChoiceField(choices=["training", "annotation"]))
    def get_mode(self, project) -> str:
        return "training" if self._figures(project).training else "annotation"

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_gt_progress(self, project) -> float:
        return self._figures(project).gt_progress

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_progress(self, project) -> float:
        return self._figures(project).progress


class CustomDisplaySerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name")
    video_uid = serializers.CharField(source="video.video_uid")
    question_text = serializers.CharField(source="question.text")
    custom_option_display_map = serializers.DictField(child=serializers.CharField(), allow_null=True)

    class Meta:
        model = CustomDisplay
        fields = [
            "id",
            "project_name",
            "video_uid",
            "question_text",
            "custom_display_text",
            "custom_option_display_map",
        ]


class ProjectGroupSerializer(serializers.ModelSerializer):
    projects = serializers.SerializerMethodField(help_text="Names of the member projects the caller may see.")

    class Meta:
        model = ProjectGroup
        fields = ["id", "name", "description", "is_active", "projects"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_projects(self, group):
        return sorted(m.project.name for m in group.memberships.all())


class AssignmentSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name")
    user_name = serializers.CharField(source="user.user_id")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "project_name",
            "user_name",
            "role",
            "is_active",
            "user_weight",
            "assigned_at",
            "completed_at",
        ]
