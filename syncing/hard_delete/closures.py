"""The closure of each kind (OVR-DEL-2/3): what deleting one row takes along, as plan steps, leaves first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Q, QuerySet

from annotation.models import Answer, AnswerReview, GroundTruth
from catalog.models import (
    ApiToken,
    Assignment,
    CustomDisplay,
    Project,
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
from catalog.roles import LEVELS, removed_by
from syncing.hard_delete.plan import (
    AUTH_GROUP_LINK,
    AUTH_PERMISSION_LINK,
    DeletePlan,
    HardDeleteError,
    Role,
    _Builder,
    _NotFound,
)

# --------------------------------------------------------------------------- the closure of each kind (OVR-DEL-2/3)


def _get(queryset: QuerySet, **lookup) -> Any:
    row = queryset.filter(**lookup).first()
    if row is None:
        raise _NotFound
    return row


def _plan_user(b: _Builder, user_id: str) -> None:
    user = _get(User.objects, user_id=user_id)
    b.revert(GroundTruth.objects.filter(overridden_by=user).exclude(reviewer=user))
    b.delete(AnswerReview.objects.filter(Q(reviewer=user) | Q(answer__user=user)))
    b.delete(Answer.objects.filter(user=user))
    b.delete(GroundTruth.objects.filter(reviewer=user), record_deleted=True)
    b.forget(user)
    b.team_records(user)
    b.delete(Assignment.objects.filter(user=user))
    b.delete(ApiToken.objects.filter(user=user))
    b.delete(LogEntry.objects.filter(user=user))  # CASCADE in Django, deleted explicitly so the total counts them
    b.delete(AUTH_GROUP_LINK.objects.filter(user=user))
    b.delete(AUTH_PERMISSION_LINK.objects.filter(user=user))
    b.delete(User.objects.filter(pk=user.pk))


def _plan_video(b: _Builder, video_uid: str) -> None:
    video = _get(Video.objects, video_uid=video_uid)
    b.content(Q(video=video), record_deleted=False)
    b.delete(ProjectVideo.objects.filter(video=video))
    b.delete(Video.objects.filter(pk=video.pk))


def _plan_question(b: _Builder, question_text: str) -> None:
    question = _get(Question.objects, text=question_text)
    projects = Project.objects.filter(schema__memberships__group__memberships__question=question)
    b.touch(projects.values_list("pk", flat=True))
    b.content(Q(question=question), record_deleted=False)
    b.delete(QuestionGroupQuestion.objects.filter(question=question))
    b.delete(Question.objects.filter(pk=question.pk))


def _plan_question_group(b: _Builder, group_title: str) -> None:
    group = _get(QuestionGroup.objects, title=group_title)
    projects = Project.objects.filter(schema__memberships__group=group)
    links = QuestionGroupQuestion.objects.filter(group=group)
    b.touch(projects.values_list("pk", flat=True))
    b.plan.question_ids.update(links.values_list("question_id", flat=True))
    b.content(Q(project__in=projects, question__in=links.values("question_id")), record_deleted=True)
    b.delete(links)
    b.delete(SchemaQuestionGroup.objects.filter(group=group))
    b.delete(QuestionGroup.objects.filter(pk=group.pk))


def _plan_schema(b: _Builder, schema_name: str) -> None:
    schema = _get(Schema.objects, name=schema_name)
    b.projects(Project.objects.filter(schema=schema))
    b.delete(SchemaQuestionGroup.objects.filter(schema=schema))
    b.delete(Schema.objects.filter(pk=schema.pk))


def _plan_project(b: _Builder, project_name: str) -> None:
    project = _get(Project.objects, name=project_name)
    b.projects(Project.objects.filter(pk=project.pk))


def _plan_project_group(b: _Builder, project_group_name: str) -> None:
    group = _get(ProjectGroup.objects, name=project_group_name)
    b.delete(ProjectGroupProject.objects.filter(project_group=group))
    b.delete(ProjectGroup.objects.filter(pk=group.pk))


def _plan_group_question(b: _Builder, group_title: str, question_text: str) -> None:
    link = _get(QuestionGroupQuestion.objects, group__title=group_title, question__text=question_text)
    projects = Project.objects.filter(schema__memberships__group_id=link.group_id)
    b.touch(projects.values_list("pk", flat=True))
    b.plan.question_ids.add(link.question_id)
    b.content(Q(project__in=projects, question_id=link.question_id), record_deleted=True)
    b.delete(QuestionGroupQuestion.objects.filter(pk=link.pk))


def _plan_schema_group(b: _Builder, schema_name: str, group_title: str) -> None:
    link = _get(SchemaQuestionGroup.objects, schema__name=schema_name, group__title=group_title)
    questions = QuestionGroupQuestion.objects.filter(group_id=link.group_id).values("question_id")
    b.touch(Project.objects.filter(schema_id=link.schema_id).values_list("pk", flat=True))
    b.content(Q(project__schema_id=link.schema_id, question__in=questions), record_deleted=True)
    b.delete(SchemaQuestionGroup.objects.filter(pk=link.pk))


def _plan_project_video(b: _Builder, project_name: str, video_uid: str) -> None:
    link = _get(ProjectVideo.objects, project__name=project_name, video__video_uid=video_uid)
    b.content(Q(project_id=link.project_id, video_id=link.video_id), record_deleted=True)
    b.delete(ProjectVideo.objects.filter(pk=link.pk))


def _plan_project_group_project(b: _Builder, project_group_name: str, project_name: str) -> None:
    link = _get(ProjectGroupProject.objects, project_group__name=project_group_name, project__name=project_name)
    b.delete(ProjectGroupProject.objects.filter(pk=link.pk))


def _plan_assignment(b: _Builder, user_id: str, project_name: str, role: str) -> None:
    if role not in Role.values:
        raise HardDeleteError(f'unknown role "{role}"; one of: {", ".join(Role.values)}')
    row = _get(
        Assignment.objects.select_related("user", "project"),
        user__user_id=user_id,
        project__name=project_name,
        role=role,
    )
    user, project = row.user, row.project
    roles = removed_by(role)  # OVR-DEL-3: a level takes every level above it along, with their effects
    if user.is_global_admin and roles & set(LEVELS):
        raise HardDeleteError(
            f'"{user_id}" is a global admin, who holds the annotator, reviewer and admin roles in every project: '
            "demote them first"
        )
    reviewer_goes = Role.REVIEWER in roles
    answers_go = bool(roles & {Role.ANNOTATOR, Role.MODEL})
    if Role.ADMIN in roles:
        overrides = GroundTruth.objects.filter(project=project, overridden_by=user)
        b.revert(overrides.exclude(reviewer=user) if reviewer_goes else overrides)
    reviews = []  # the reviews the user made in the project, and those of the user's answers there
    if reviewer_goes:
        reviews.append(Q(reviewer=user))
    if answers_go:
        reviews.append(Q(answer__user=user))
    if reviews:
        b.delete(AnswerReview.objects.filter(reduce(or_, reviews), answer__project=project))
    if answers_go:
        b.delete(Answer.objects.filter(project=project, user=user))
    if reviewer_goes:
        b.delete(GroundTruth.objects.filter(project=project, reviewer=user), record_deleted=True)
    b.delete(Assignment.objects.filter(project=project, user=user, role__in=roles))


def _plan_custom_display(b: _Builder, project_name: str, video_uid: str, question_text: str) -> None:
    row = _get(
        CustomDisplay.objects, project__name=project_name, video__video_uid=video_uid, question__text=question_text
    )
    b.delete(CustomDisplay.objects.filter(pk=row.pk))


def _plan_annotation(b: _Builder, project_name: str, video_uid: str, question_text: str, user_id: str) -> None:
    answer = _get(
        Answer.objects,
        project__name=project_name,
        video__video_uid=video_uid,
        question__text=question_text,
        user__user_id=user_id,
    )
    b.delete(AnswerReview.objects.filter(answer=answer))
    b.delete(Answer.objects.filter(pk=answer.pk))


def _plan_ground_truth(b: _Builder, project_name: str, video_uid: str, question_text: str) -> None:
    row = _get(
        GroundTruth.objects, project__name=project_name, video__video_uid=video_uid, question__text=question_text
    )
    b.delete(GroundTruth.objects.filter(pk=row.pk), record_deleted=True)


def _plan_answer_review(b: _Builder, project_name: str, video_uid: str, question_text: str, user_id: str) -> None:
    review = _get(
        AnswerReview.objects,
        answer__project__name=project_name,
        answer__video__video_uid=video_uid,
        answer__question__text=question_text,
        answer__user__user_id=user_id,
    )
    b.delete(AnswerReview.objects.filter(pk=review.pk))


@dataclass(frozen=True)
class Deletable:
    keys: tuple[str, ...]  # the natural-key parts, in command-line order
    plan: Callable[..., None]


KINDS: dict[str, Deletable] = {
    "user": Deletable(("user_id",), _plan_user),
    "video": Deletable(("video_uid",), _plan_video),
    "question": Deletable(("question_text",), _plan_question),
    "question_group": Deletable(("group_title",), _plan_question_group),
    "schema": Deletable(("schema_name",), _plan_schema),
    "project": Deletable(("project_name",), _plan_project),
    "project_group": Deletable(("project_group_name",), _plan_project_group),
    "group_question": Deletable(("group_title", "question_text"), _plan_group_question),
    "schema_group": Deletable(("schema_name", "group_title"), _plan_schema_group),
    "project_video": Deletable(("project_name", "video_uid"), _plan_project_video),
    "project_group_project": Deletable(("project_group_name", "project_name"), _plan_project_group_project),
    "assignment": Deletable(("user_id", "project_name", "role"), _plan_assignment),
    "custom_display": Deletable(("project_name", "video_uid", "question_text"), _plan_custom_display),
    "annotation": Deletable(("project_name", "video_uid", "question_text", "user_id"), _plan_annotation),
    "ground_truth": Deletable(("project_name", "video_uid", "question_text"), _plan_ground_truth),
    "answer_review": Deletable(("project_name", "video_uid", "question_text", "user_id"), _plan_answer_review),
}


def plan_delete(kind: str, *keys: str) -> DeletePlan:
    """OVR-DEL-2/3: the closure of deleting the `kind` row with these natural-key parts. Writes nothing."""
    if kind not in KINDS:
        raise HardDeleteError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    spec = KINDS[kind]
    if len(keys) != len(spec.keys):
        raise HardDeleteError(f"{kind} takes {len(spec.keys)} keys ({', '.join(spec.keys)}), got {len(keys)}")
    plan = DeletePlan(kind=kind, keys=tuple(keys))
    try:
        spec.plan(_Builder(plan), *keys)
    except _NotFound:
        named = ", ".join(f'{name} "{value}"' for name, value in zip(spec.keys, keys, strict=True))
        raise HardDeleteError(f"no {kind} with {named}") from None
    return plan
