"""Endpoints for what people said and what is true (API-3/4/5): answers, ground truth, history, reviews,
the bulk writes, and the project reports (progress, accuracy, agreement).

Reads: a user sees their own answers in the projects they see, and everything (answers, GT, reviews,
history, reports) in the projects where they hold a reviewer or admin row; global admins see all.
Writes: a plain input serializer checks each record's shape, annotation.api.records resolves it and
calls the portals' write functions, and the result serializer answers (API-5).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from annotation import analytics
from annotation.api import records
from annotation.api.serializers import (
    AccuracySerializer,
    AgreementSerializer,
    AnnotationRecordSerializer,
    AnswerSerializer,
    GroundTruthHistorySerializer,
    GroundTruthRecordSerializer,
    GroundTruthSerializer,
    ProgressSerializer,
    ReviewRecordSerializer,
    ReviewSerializer,
    WriteResultSerializer,
)
from annotation.api.versions import group_versions
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.progress import project_figures, schema_layout
from catalog.api import filters
from catalog.api.conventions import ErrorsSerializer, error
from catalog.api.permissions import (
    get_visible_project,
    in_scope,
    require_reviewing,
    reviewing_project_ids,
    visible_project_ids,
)
from catalog.models import Assignment, QuestionGroupQuestion, User

ID = r"[0-9]+"
ROW_FILTERS = {"project_name": "project__name", "video_uid": "video__video_uid", "question_text": "question__text"}


def in_group(qs, request, question: str = "question", project: str = "project"):
    """`?question_group_title=`: rows whose question is in that group of the row's project's schema."""
    title = filters.text(request, "question_group_title")
    if title is None:
        return qs
    return qs.filter(
        Exists(
            QuestionGroupQuestion.objects.filter(
                question=OuterRef(question),
                group__title=title,
                group__schema_memberships__schema=OuterRef(f"{project}__schema"),
            )
        )
    )


def write_responses() -> dict:
    return {
        200: WriteResultSerializer,
        400: OpenApiResponse(ErrorsSerializer, description="Some records are invalid; nothing was written."),
        403: OpenApiResponse(ErrorsSerializer, description="Every error is a forbidden action."),
        404: OpenApiResponse(ErrorsSerializer, description="Every error names something the caller cannot see."),
        409: OpenApiResponse(ErrorsSerializer, description="Every error is a conflict (training lock, stale version)."),
    }


def bulk(request, shape, resolve, key, apply) -> Response:
    outcome = records.run(request.user, request.data, shape=shape, resolve=resolve, key=key, apply=apply)
    return Response(outcome.body(), status=outcome.status)


# --------------------------------------------------------------------------- answers


# Spec: API-3.
class AnswerViewSet(viewsets.ReadOnlyModelViewSet):
    """Answers: the caller's own in the projects they see, everyone's where they review."""

    serializer_class = AnswerSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        user = self.request.user
        qs = Answer.objects.select_related("project", "video", "question", "user", "review__reviewer")
        if not user.is_global_admin:
            qs = qs.filter(
                Q(user=user, project__in=visible_project_ids(user)) | Q(project__in=reviewing_project_ids(user))
            )
        qs = filters.apply(qs, self.request, {**ROW_FILTERS, "user_name": "user__user_id"})
        return in_group(qs, self.request).order_by("project__name", "video__video_uid", "question__text", "user_id")

    @extend_schema(
        parameters=[
            filters.PROJECT_NAME,
            filters.VIDEO_UID,
            filters.USER_NAME,
            filters.QUESTION_TEXT,
            filters.QUESTION_GROUP_TITLE,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class AnnotationWriteView(GenericAPIView):
    """`POST /api/annotations/`: the caller's own answers (humans) or predictions (model users)."""

    serializer_class = AnnotationRecordSerializer
    pagination_class = None

    @extend_schema(
        summary="Submit the caller's annotations (records in the sync folder's annotation format), all-or-nothing",
        request=AnnotationRecordSerializer(many=True),
        responses=write_responses(),
    )
    def post(self, request):
        return bulk(
            request,
            AnnotationRecordSerializer,
            records.resolve_annotation,
            records.group_key,
            records.apply_annotations,
        )


# --------------------------------------------------------------------------- ground truth


class GroundTruthViewSet(viewsets.ReadOnlyModelViewSet):
    """GT rows with their group's version token, in the projects the caller reviews; POST sets GT."""

    serializer_class = GroundTruthSerializer
    lookup_value_regex = ID

    def get_serializer_class(self):
        return GroundTruthRecordSerializer if self.action == "create" else GroundTruthSerializer

    def get_queryset(self):
        qs = GroundTruth.objects.select_related("project", "video", "question", "reviewer", "overridden_by")
        qs = in_scope(qs, reviewing_project_ids(self.request.user))
        qs = filters.apply(qs, self.request, ROW_FILTERS)
        return in_group(qs, self.request).order_by("project__name", "video__video_uid", "question__text")

    def _serialize(self, rows, *, many: bool):
        versions = group_versions(list(rows) if many else [rows])
        return GroundTruthSerializer(rows, many=many, context={**self.get_serializer_context(), "versions": versions})

    @extend_schema(
        parameters=[filters.PROJECT_NAME, filters.VIDEO_UID, filters.QUESTION_TEXT, filters.QUESTION_GROUP_TITLE]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._serialize(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object(), many=False).data)

    @extend_schema(
        summary="Submit ground truth as a reviewer (records in the sync folder's ground-truth format), all-or-nothing",
        request=GroundTruthRecordSerializer(many=True),
        responses=write_responses(),
    )
    def create(self, request):
        return bulk(
            request,
            GroundTruthRecordSerializer,
            records.resolve_ground_truth,
            records.group_key,
            records.apply_ground_truths,
        )


# Spec: PORTAL-META-4.
class GroundTruthOverrideView(GenericAPIView):
    """`POST /api/ground-truth/override/`: global admins override GT."""

    serializer_class = GroundTruthRecordSerializer
    pagination_class = None

    @extend_schema(
        summary="Override ground truth as a global admin, all-or-nothing",
        request=GroundTruthRecordSerializer(many=True),
        responses=write_responses(),
    )
    def post(self, request):
        if not request.user.is_global_admin:
            raise PermissionDenied("Only global admins can override ground truth.")
        return bulk(
            request,
            GroundTruthRecordSerializer,
            records.resolve_ground_truth,
            records.group_key,
            records.apply_overrides,
        )


# Spec: DM-HIST.
class GroundTruthHistoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Ground-truth history entries, newest first, in the projects the caller reviews."""

    serializer_class = GroundTruthHistorySerializer
    lookup_value_regex = ID

    def get_queryset(self):
        qs = GroundTruthHistory.objects.select_related(
            "project", "video", "question", "actor", "reviewer_after", "overridden_by_after"
        )
        qs = in_scope(qs, reviewing_project_ids(self.request.user))
        qs = filters.apply(qs, self.request, ROW_FILTERS)
        return in_group(qs, self.request).order_by("-at", "-id")

    @extend_schema(
        parameters=[filters.PROJECT_NAME, filters.VIDEO_UID, filters.QUESTION_TEXT, filters.QUESTION_GROUP_TITLE]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# --------------------------------------------------------------------------- reviews


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews of description answers in the projects the caller reviews; POST reviews answers."""

    serializer_class = ReviewSerializer
    lookup_value_regex = ID

    def get_serializer_class(self):
        return ReviewRecordSerializer if self.action == "create" else ReviewSerializer

    def get_queryset(self):
        qs = AnswerReview.objects.select_related(
            "answer__project", "answer__video", "answer__question", "answer__user", "reviewer"
        )
        qs = in_scope(qs, reviewing_project_ids(self.request.user), field="answer__project")
        qs = filters.apply(
            qs,
            self.request,
            {
                "project_name": "answer__project__name",
                "video_uid": "answer__video__video_uid",
                "question_text": "answer__question__text",
                "user_name": "answer__user__user_id",
            },
        )
        qs = in_group(qs, self.request, question="answer__question", project="answer__project")
        return qs.order_by("answer__project__name", "answer__video__video_uid", "answer__question__text", "id")

    @extend_schema(
        parameters=[
            filters.PROJECT_NAME,
            filters.VIDEO_UID,
            filters.QUESTION_TEXT,
            filters.USER_NAME,
            filters.QUESTION_GROUP_TITLE,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Approve, reject or reset description answers, all-or-nothing",
        request=ReviewRecordSerializer(many=True),
        responses=write_responses(),
    )
    def create(self, request):
        return bulk(request, ReviewRecordSerializer, records.resolve_review, records.review_key, records.apply_reviews)


# --------------------------------------------------------------------------- project reports


# Spec: SEC-5.
class ProjectReportView(GenericAPIView):
    """A report on one project: 404 unless the caller sees it, 403 unless they review it."""

    pagination_class = None

    def project(self):
        project = get_visible_project(self.request.user, self.kwargs["project_pk"])
        require_reviewing(self.request.user, project)
        return project


class ProjectProgressView(ProjectReportView):
    serializer_class = ProgressSerializer

    @extend_schema(summary="Per-user progress and GT progress, unrounded")
    def get(self, request, project_pk):
        project = self.project()
        figures = project_figures([project], None)[project.pk]
        answered = dict(
            Answer.objects.for_project(project)
            .in_scope()
            .values("user_id")
            .annotate(n=Count("id"))
            .values_list("user_id", "n")
        )
        roles: dict[int, list[str]] = {}
        for user_id, role in Assignment.objects.active().filter(project=project).values_list("user_id", "role"):
            roles.setdefault(user_id, []).append(role)
        answering = {u for u, rs in roles.items() if {Assignment.Role.ANNOTATOR, Assignment.Role.MODEL} & set(rs)}
        users = User.objects.active().filter(pk__in=answering | set(answered)).order_by("user_id")
        total = figures.total
        data = {
            "project_name": project.name,
            "mode": "training" if figures.training else "annotation",
            "gt_progress": figures.gt_progress,
            "users": [
                {
                    "user_name": u.user_id,
                    "user_type": u.user_type,
                    "roles": sorted(roles.get(u.pk, [])),
                    "progress": answered.get(u.pk, 0) / total * 100 if total else 0.0,
                }
                for u in users
            ],
        }
        return Response(ProgressSerializer(data).data)


KIND = OpenApiParameter(
    "kind", OpenApiTypes.STR, enum=["annotator", "reviewer"], description="annotator (default) or reviewer accuracy"
)
INCLUDE_MODELS = OpenApiParameter(
    "include_models", OpenApiTypes.BOOL, description="Count model users as coders (default false)."
)


class ProjectAccuracyView(ProjectReportView):
    serializer_class = AccuracySerializer

    @extend_schema(
        summary="Annotator or reviewer accuracy per user and question, with per-option precision and recall of "
        "multiple-choice questions; training mode only",
        parameters=[KIND],
        responses={200: AccuracySerializer, 409: ErrorsSerializer},
    )
    def get(self, request, project_pk):
        project = self.project()
        kind = request.query_params.get("kind") or "annotator"
        if kind not in ("annotator", "reviewer"):
            raise ValidationError({"kind": f'"{kind}" is not a kind of accuracy; use annotator or reviewer.'})
        if not project_figures([project], None)[project.pk].training:
            return Response({"errors": [error("project is not in training mode")]}, status=409)
        questions = analytics.questions_of(schema_layout(project.schema_id))
        table = (analytics.annotator_accuracy if kind == "annotator" else analytics.reviewer_accuracy)(
            project, questions
        )
        figures = analytics.option_figures(project, questions) if kind == "annotator" else None
        data = {
            "project_name": project.name,
            "kind": kind,
            "users": _accuracy_users(table, questions, figures),
            "per_option": [{"question_text": r.question.text, **_option_block(r)} for r in figures.everyone]
            if figures
            else [],
        }
        return Response(AccuracySerializer(data).data)


def _option_block(report: analytics.OptionReport) -> dict:
    """compared and the per-option figures of one question (issue 15), as OptionBlockSerializer reads them."""
    return {
        "compared": report.compared,
        "options": [
            {
                "option": s.option,
                "label": report.label(s.option),
                "precision": s.precision,
                "recall": s.recall,
                "ticked": s.answered,
                "in_ground_truth": s.truth,
                "both": s.both,
            }
            for s in report.scores
        ],
    }


def _accuracy_users(table: analytics.AccuracyTable, questions, figures: analytics.OptionFigures | None) -> list:
    """The ranked users with their per-question tallies; a question that scores options adds the user's
    per-option figures when `figures` (annotator accuracy) is given."""
    users = []
    for row in table.leaderboard().rows:
        entries = []
        for q in questions:
            tally = table.tally(row.user_id, q.pk)
            entry = {"question_text": q.text, "correct": tally.correct, "total": tally.total, "percent": tally.percent}
            report = figures.report(row.user_id, q) if figures else None
            if report is not None:
                entry["per_option"] = _option_block(report)
            entries.append(entry)
        users.append(
            {
                "rank": row.rank,
                "user_name": row.user_id,
                "user_type": table.people[row.user_id].user_type,
                "correct": row.correct,
                "total": row.total,
                "percent": row.percent,
                "questions": entries,
            }
        )
    return users


class ProjectAgreementView(ProjectReportView):
    serializer_class = AgreementSerializer

    @extend_schema(
        summary="Percent agreement and Krippendorff's alpha per single- and multiple-choice question, plus the summary",
        parameters=[INCLUDE_MODELS],
    )
    def get(self, request, project_pk):
        project = self.project()
        include_models = bool(filters.boolean(request, "include_models"))
        questions = analytics.questions_of(schema_layout(project.schema_id))
        report = analytics.agreement(project, questions, include_models=include_models)
        data = {
            "project_name": project.name,
            "include_models": include_models,
            "coders": report.coders,
            "mean_percent_agreement": report.mean_pa,
            "mean_alpha": report.mean_alpha,
            "questions": [
                {
                    "question_text": row.question.text,
                    "display_text": row.question.display_text,
                    "distance": row.distance,
                    "pairable_videos": row.result.pairable_units,
                    "coders": row.coders,
                    "n": row.result.n,
                    "percent_agreement": row.result.percent_agreement,
                    "alpha": row.result.alpha,
                    "all_identical": row.result.all_identical,
                }
                for row in report.rows
            ],
        }
        return Response(AgreementSerializer(data).data)
