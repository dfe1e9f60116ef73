"""Read endpoints of the team (issue 17): the team figures for admins; a person's figures, payments and feedback
for admins and that person (anyone else gets a 404, as on the person page). Writes happen on the person page.

Each endpoint runs a fixed number of queries per page, whatever the number of people or records (API-6).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from annotation.team.api.serializers import (
    FeedbackSerializer,
    PaymentSerializer,
    TeamQuerySerializer,
    TeamRowSerializer,
)
from annotation.team.figures import META, REVIEWER, Cell, Filters, Row, team_figures
from annotation.team.models import Feedback, FeedbackReply, Payment
from catalog.models import Project, ProjectGroup, User


def _filters(request, **extra) -> Filters:
    query = TeamQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    ids = {}
    for key, model, field in (
        ("project_group_name", ProjectGroup, "project_group_id"),
        ("project_name", Project, "project_id"),
    ):
        if key in data:
            pk = model.objects.filter(name=data[key]).values_list("pk", flat=True).first()
            if pk is None:
                raise ValidationError({key: f'No {model._meta.verbose_name} named "{data[key]}".'})
            ids[field] = pk
    return Filters(role=data.get("role"), start=data.get("start"), end=data.get("end"), **ids, **extra)


def _figures(row: Row, source: Row | Cell) -> dict:
    meta = row.role == META
    tally = source.tally
    return {
        "submitted": source.submitted,
        "completion_percent": source.completion,
        "accuracy_percent": None if meta else source.accuracy,
        "correct": None if meta else tally.correct,
        "graded": None if meta else tally.total,
        "reviews_done": source.reviews if row.role == REVIEWER else None,
        "last_activity": source.last_activity if isinstance(source, Row) else source.last,
    }


def row_data(row: Row, *, projects: bool = False) -> dict:
    data = {
        "user_pk": row.person.pk,
        "user_name": row.person.user_id,
        "user_type": row.person.user_type,
        "role": row.role,
        "projects_assigned": row.projects_assigned,
        **_figures(row, row),
    }
    if projects:
        data["projects"] = [
            {
                "project_name": cell.project.name,
                "assignment_active": cell.active,
                "training": cell.training,
                **_figures(row, cell),
            }
            for cell in row.cells
        ]
    return data


def person_or_404(request, pk) -> User:
    """The person, when the caller is a global admin or that person; otherwise 404, revealing nothing."""
    if not (request.user.is_global_admin or str(request.user.pk) == str(pk)):
        raise Http404("No such person.")
    return get_object_or_404(User, pk=pk)


class TeamView(GenericAPIView):
    """`GET /api/team/`: one row per person and role across the filtered projects (global admins only)."""

    serializer_class = TeamRowSerializer

    @extend_schema(
        summary="Team figures per person and role: projects, submitted, completion, accuracy, reviews, last activity",
        parameters=[TeamQuerySerializer],
        responses={200: TeamRowSerializer(many=True)},
    )
    def get(self, request):
        if not request.user.is_global_admin:
            raise PermissionDenied("The team figures are for admins.")
        rows = [row_data(r) for r in team_figures(_filters(request)).rows]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TeamRowSerializer(page, many=True).data)


class PersonFiguresView(GenericAPIView):
    """`GET /api/team/people/{id}/`: one person's rows, each with its projects."""

    serializer_class = TeamRowSerializer
    pagination_class = None

    @extend_schema(
        summary="One person's figures per role and project (admins, or the person)",
        parameters=[TeamQuerySerializer],
        responses={200: TeamRowSerializer(many=True)},
    )
    def get(self, request, pk: int):
        person = person_or_404(request, pk)
        rows = team_figures(_filters(request, person_id=person.pk)).rows
        return Response(TeamRowSerializer([row_data(r, projects=True) for r in rows], many=True).data)


class PaymentListView(ListAPIView):
    """`GET /api/team/people/{id}/payments/`: newest first."""

    serializer_class = PaymentSerializer

    def get_queryset(self):
        person = person_or_404(self.request, self.kwargs["pk"])
        return Payment.objects.filter(person=person).select_related("person", "created_by").order_by("-paid_on", "-id")


class FeedbackListView(ListAPIView):
    """`GET /api/team/people/{id}/feedback/`: newest first, each with the person's replies."""

    serializer_class = FeedbackSerializer

    def get_queryset(self):
        person = person_or_404(self.request, self.kwargs["pk"])
        replies = FeedbackReply.objects.select_related("author").order_by("created_at", "id")
        return (
            Feedback.objects.filter(person=person)
            .select_related("person", "project", "author")
            .prefetch_related(Prefetch("replies", queryset=replies))
            .order_by("-given_on", "-id")
        )
