"""Read shapes of the team API: figures per person and role (and per project), payments, feedback with replies.

Percentages are unrounded and null when undefined (DM-DER-11); people carry their `user_id` beside their `id`.
"""

from __future__ import annotations

from rest_framework import serializers

from annotation.team.figures import TEAM_ROLES
from annotation.team.models import Feedback, FeedbackReply, Payment


class TeamQuerySerializer(serializers.Serializer):
    """The team figures' filters, all optional; dates are inclusive, in the site's time zone."""

    project_group_name = serializers.CharField(required=False, help_text="Only the projects of this project group.")
    project_name = serializers.CharField(required=False, help_text="Only this project.")
    role = serializers.ChoiceField(choices=TEAM_ROLES, required=False)
    start = serializers.DateField(required=False, help_text="First day counted (YYYY-MM-DD).")
    end = serializers.DateField(required=False, help_text="Last day counted (YYYY-MM-DD).")

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError({"start": f"{data['start']} is after end {data['end']}."})
        return data


class FiguresFields(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="Answers, ground truths or overrides made in the date range.")
    completion_percent = serializers.FloatField(allow_null=True)
    accuracy_percent = serializers.FloatField(allow_null=True, help_text="Training-mode projects only.")
    correct = serializers.IntegerField(allow_null=True)
    graded = serializers.IntegerField(allow_null=True)
    reviews_done = serializers.IntegerField(allow_null=True, help_text="Reviewers only.")
    last_activity = serializers.DateTimeField(allow_null=True)


class ProjectFiguresSerializer(FiguresFields):
    project_name = serializers.CharField()
    assignment_active = serializers.BooleanField()
    training = serializers.BooleanField()


class TeamRowSerializer(FiguresFields):
    user_pk = serializers.IntegerField(help_text="The person's numeric id, for /api/team/people/{id}/…")
    user_name = serializers.CharField()
    user_type = serializers.CharField()
    role = serializers.ChoiceField(choices=TEAM_ROLES)
    projects_assigned = serializers.IntegerField()
    projects = ProjectFiguresSerializer(many=True, required=False)


class PaymentSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="person.user_id")
    recorded_by = serializers.CharField(source="created_by.user_id", allow_null=True, default=None)

    class Meta:
        model = Payment
        fields = [
            "id",
            "user_name",
            "paid_on",
            "amount",
            "currency",
            "period",
            "note",
            "recorded_by",
            "created_at",
            "updated_at",
        ]


class ReplySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.user_id", allow_null=True, default=None)

    class Meta:
        model = FeedbackReply
        fields = ["id", "author", "text", "created_at"]


class FeedbackSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="person.user_id")
    project_name = serializers.CharField(source="project.name", allow_null=True, default=None)
    author = serializers.CharField(source="author.user_id", allow_null=True, default=None)
    replies = ReplySerializer(many=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "user_name",
            "given_on",
            "project_name",
            "text",
            "author",
            "replies",
            "created_at",
            "updated_at",
        ]
