"""Shapes of the annotation API: answers, ground truth, history and reviews (API-4), the write records
(API-5, the record shapes of the sync files, SYNC-ANN / SYNC-GT) and the reports.

Read serializers are ModelSerializers over rows the views load with select_related. Write records are
plain Serializers that check only the shape (exact keys, strict types); the rules run in the domain
functions (annotation.submission, annotation.ground_truth) through annotation.api.records.
"""

from __future__ import annotations

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog import question_types

# An answer value in JSON (issue 15): a string for single-choice and description questions, a list of option values
# for a multiple-choice question ([] is "none of these"). The stored form is converted at this boundary only.
VALUE_SCHEMA = {
    "oneOf": [
        {"type": "string", "description": "single choice: the option value; description: the text"},
        {
            "type": "array",
            "items": {"type": "string"},
            "description": 'multiple choice: the chosen option values, any order ([] is "none of these")',
        },
    ]
}

# --------------------------------------------------------------------------- reads


@extend_schema_field(VALUE_SCHEMA)
class ValueField(serializers.Field):
    """A stored answer value as the API gives it (`kind.to_external`): `attribute` names the stored text on a row
    whose `question` is loaded with it. A type the code no longer knows gives the stored text as it is."""

    def __init__(self, attribute: str, **kwargs):
        self.attribute = attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        stored = getattr(row, self.attribute)
        kind = question_types.find(row.question.qtype)
        return stored if stored is None or kind is None else kind.to_external(row.question, stored)


def _name(user) -> str | None:
    return user.user_id if user is not None else None


class AnswerSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name")
    video_uid = serializers.CharField(source="video.video_uid")
    question_text = serializers.CharField(source="question.text")
    user_name = serializers.CharField(source="user.user_id")
    value = ValueField("value")
    review_status = serializers.SerializerMethodField(help_text="pending, approved or rejected.")
    reviewer_name = serializers.SerializerMethodField()
    reviewed_at = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "id",
            "project_name",
            "video_uid",
            "question_text",
            "user_name",
            "value",
            "confidence_score",
            "review_status",
            "reviewer_name",
            "reviewed_at",
            "created_at",
            "modified_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["pending", "approved", "rejected"]))
    def get_review_status(self, answer) -> str:
        review = getattr(answer, "review", None)
        return review.status if review is not None else "pending"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reviewer_name(self, answer):
        review = getattr(answer, "review", None)
        return _name(review.reviewer) if review is not None else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_reviewed_at(self, answer):
        review = getattr(answer, "review", None)
        return serializers.DateTimeField().to_representation(review.reviewed_at) if review is not None else None


# Spec: PORTAL-REV-12.
class GroundTruthSerializer(serializers.ModelSerializer):
    """`version` is the group's token for the stale check of POST /api/ground-truth/."""

    project_name = serializers.CharField(source="project.name")
    video_uid = serializers.CharField(source="video.video_uid")
    question_text = serializers.CharField(source="question.text")
    question_group_title = serializers.SerializerMethodField()
    value = ValueField("value")
    reviewer_name = serializers.CharField(source="reviewer.user_id")
    reviewer_value = ValueField("reviewer_value", allow_null=True)
    overridden_by_name = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(help_text="The (project, video, group) version token.")

    class Meta:
        model = GroundTruth
        fields = [
            "id",
            "project_name",
            "video_uid",
            "question_text",
            "question_group_title",
            "value",
            "reviewer_name",
            "reviewer_value",
            "overridden_by_name",
            "overridden_at",
            "confidence_score",
            "created_at",
            "modified_at",
            "version",
        ]

    def _group(self, row):
        return self.context["versions"].get((row.project_id, row.video_id, row.question_id), (None, None))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_question_group_title(self, row):
        return self._group(row)[0]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_version(self, row):
        return self._group(row)[1]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_overridden_by_name(self, row):
        return _name(row.overridden_by)


class GroundTruthHistorySerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name")
    video_uid = serializers.CharField(source="video.video_uid")
    question_text = serializers.CharField(source="question.text")
    actor_name = serializers.SerializerMethodField()
    old_value = ValueField("old_value", allow_null=True)
    new_value = ValueField("new_value", allow_null=True)
    reviewer_after_name = serializers.SerializerMethodField()
    overridden_by_after_name = serializers.SerializerMethodField()

    class Meta:
        model = GroundTruthHistory
        fields = [
            "id",
            "project_name",
            "video_uid",
            "question_text",
            "at",
            "actor_name",
            "source",
            "kind",
            "old_value",
            "new_value",
            "reviewer_after_name",
            "overridden_by_after_name",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, entry):
        return _name(entry.actor)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reviewer_after_name(self, entry):
        return _name(entry.reviewer_after)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_overridden_by_after_name(self, entry):
        return _name(entry.overridden_by_after)


class ReviewSerializer(serializers.ModelSerializer):
    """A review and the key of the reviewed answer (project, video, question, author)."""

    project_name = serializers.CharField(source="answer.project.name")
    video_uid = serializers.CharField(source="answer.video.video_uid")
    question_text = serializers.CharField(source="answer.question.text")
    user_name = serializers.CharField(source="answer.user.user_id", help_text="The answer's author.")
    reviewer_name = serializers.CharField(source="reviewer.user_id")

    class Meta:
        model = AnswerReview
        fields = [
            "id",
            "answer_id",
            "project_name",
            "video_uid",
            "question_text",
            "user_name",
            "status",
            "reviewer_name",
            "reviewed_at",
        ]


# --------------------------------------------------------------------------- write records (shape only)


# Spec: DM-CONV-3.
class StrictStringField(serializers.CharField):
    """A JSON string, kept exactly: no trimming (surrounding whitespace is rejected, never trimmed) and no
    number coercion."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(VALUE_SCHEMA)
class AnswerValueField(serializers.Field):
    """A JSON string, kept exactly (as StrictStringField), or a list of strings for a multiple-choice question.
    Only the shape is checked here; the question's type converts and checks the value (`kind.to_stored`)."""

    default_error_messages = {"invalid": "must be a string or a list of strings"}

    def to_internal_value(self, data):
        # NUL characters never get here: the JSON parser refuses them anywhere in the body (catalog.api.parsers).
        if isinstance(data, str) or (isinstance(data, list) and all(isinstance(v, str) for v in data)):
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


# Spec: SYNC-ANN-5.
class ScoreField(serializers.FloatField):
    """A finite JSON number or null; integers such as 1 are accepted, strings are not."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)) or not math.isfinite(data):
            raise serializers.ValidationError("must be a finite number or null")
        return float(data)


# Spec: SYNC-GEN.
class ExactKeysSerializer(serializers.Serializer):
    """Rejects keys it does not know, as sync does: a misspelt key is an error, not ignored."""

    def to_internal_value(self, data):
        unexpected = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        errors = {key: ["unexpected key"] for key in unexpected}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**errors, **exc.detail}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value


class _GroupRecord(ExactKeysSerializer):
    question_group_title = StrictStringField()
    project_name = StrictStringField()
    video_uid = StrictStringField()
    answers = serializers.DictField(
        child=AnswerValueField(),
        help_text="Question text -> value, for every question of the group: a string, or for a multiple-choice "
        "question a list of option values.",
    )
    user_name = StrictStringField(required=False, help_text="If present, the caller's own user_id.")


# Spec: SYNC-ANN.
class AnnotationRecordSerializer(_GroupRecord):
    """One annotation record, as in the sync folder's annotation files: the caller's answers to one group on
    one video."""

    confidence_scores = serializers.DictField(
        child=ScoreField(), required=False, help_text="Question text -> confidence (finite number or null)."
    )
    is_ground_truth = serializers.BooleanField(required=False, help_text="If present, false.")


# Spec: SYNC-GT.
class GroundTruthRecordSerializer(_GroupRecord):
    """One ground-truth record, as in the sync folder's ground-truth files, without admin_overrides; `version`
    enables the stale check (409)."""

    is_ground_truth = serializers.BooleanField(required=False, help_text="If present, true.")
    confidence_scores = serializers.DictField(
        child=ScoreField(),
        required=False,
        help_text="Question text -> confidence (finite number or null); a question left out means null.",
    )
    version = StrictStringField(required=False, help_text="The version token from GET /api/ground-truth/.")


# Spec: DM-REV.
class ReviewRecordSerializer(ExactKeysSerializer):
    """A review of one description answer: `user_name` is the answer's author."""

    project_name = StrictStringField()
    video_uid = StrictStringField()
    question_text = StrictStringField()
    user_name = StrictStringField()
    status = serializers.ChoiceField(choices=["approved", "rejected", "pending"])


class RecordResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged"])


# Spec: API-5.
class WriteResultSerializer(serializers.Serializer):
    """The answer to a successful bulk write."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    results = RecordResultSerializer(many=True)


# --------------------------------------------------------------------------- reports


class UserProgressSerializer(serializers.Serializer):
    user_name = serializers.CharField()
    user_type = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    progress = serializers.FloatField()


class ProgressSerializer(serializers.Serializer):
    project_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=["training", "annotation"])
    gt_progress = serializers.FloatField()
    users = UserProgressSerializer(many=True)


class OptionFigureSerializer(serializers.Serializer):
    """One option's precision and recall (issue 15), unrounded percentages; null when the count below is 0."""

    option = serializers.CharField()
    label = serializers.CharField()
    precision = serializers.FloatField(allow_null=True, help_text="both / ticked, in percent")
    recall = serializers.FloatField(allow_null=True, help_text="both / in_ground_truth, in percent")
    ticked = serializers.IntegerField(help_text="compared answers that hold the option")
    in_ground_truth = serializers.IntegerField(help_text="compared answers whose ground truth holds the option")
    both = serializers.IntegerField(help_text="compared answers where the answer and the ground truth hold it")


class OptionBlockSerializer(serializers.Serializer):
    compared = serializers.IntegerField(help_text="answers on videos whose question has ground truth")
    options = OptionFigureSerializer(many=True)


class QuestionOptionsSerializer(serializers.Serializer):
    question_text = serializers.CharField()
    compared = serializers.IntegerField(help_text="answers on videos whose question has ground truth")
    options = OptionFigureSerializer(many=True)


class QuestionTallySerializer(serializers.Serializer):
    question_text = serializers.CharField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    per_option = OptionBlockSerializer(
        required=False,
        help_text="This user's per-option precision and recall: only for questions that score options "
        "(multiple choice), in annotator accuracy.",
    )


class UserAccuracySerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    user_name = serializers.CharField()
    user_type = serializers.CharField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    questions = QuestionTallySerializer(many=True)


class AccuracySerializer(serializers.Serializer):
    project_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["annotator", "reviewer"])
    users = UserAccuracySerializer(many=True)
    per_option = QuestionOptionsSerializer(
        many=True,
        help_text="Everyone's per-option precision and recall (every answer counts once), per question that "
        "scores options (multiple choice), in schema order; empty for reviewer accuracy.",
    )


class QuestionAgreementSerializer(serializers.Serializer):
    question_text = serializers.CharField()
    display_text = serializers.CharField()
    distance = serializers.CharField(
        help_text='How a disagreement is weighed: "nominal: same option or not" '
        '(single choice) or "set distance: MASI" (multiple choice).'
    )
    pairable_videos = serializers.IntegerField()
    coders = serializers.IntegerField()
    n = serializers.IntegerField()
    percent_agreement = serializers.FloatField(allow_null=True)
    alpha = serializers.FloatField(allow_null=True)
    all_identical = serializers.BooleanField()


class AgreementSerializer(serializers.Serializer):
    project_name = serializers.CharField()
    include_models = serializers.BooleanField()
    coders = serializers.IntegerField()
    mean_percent_agreement = serializers.FloatField(allow_null=True)
    mean_alpha = serializers.FloatField(allow_null=True)
    questions = QuestionAgreementSerializer(many=True)
