"""A small team, built row by row so that every figure can be computed by hand (issue 17, point 5).

Projects
- "Cats" (training mode): questions q1 (single) and q2 (description); videos v1, v2, and v3 archived.
  GT: (v1,q1)=yes, (v2,q1) reviewer said "no" and Boss overrode it to "yes", (v1,q2)=fur, (v2,q2)=paws, all Rex's.
- "Dogs" (annotation mode): question q3 (single); videos v4, v5. GT: (v4,q3)=yes by Rex; (v5,q3) missing.

People
- Ann (annotator): active in Cats; archived in Dogs. Cats: (v1,q1)=yes ✓, (v2,q1)=yes ✓ (right against the
  override, wrong against the reviewer's value), (v1,q2) approved, (v2,q2) rejected, plus (v3,q1) on the
  archived video, which nothing counts. Dogs: (v4,q3)=yes.
- Model 1 (model user): model role in Cats: (v1,q1)=no ✗, (v2,q1)=yes ✓.
- Rex (reviewer, so also annotator) in Cats and Dogs; no answers; 5 GT rows, one overridden; reviewed Ann's two
  description answers.
- Boss (global admin): admin rows everywhere; one override.
- Olly: an outsider with no role.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from annotation.models import AnswerReview
from annotation.tests.factories import AnswerFactory, AnswerReviewFactory, GroundTruthFactory
from catalog.models import Assignment, Project, ProjectGroup, ProjectGroupProject, User
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ModelUserFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

Role = Assignment.Role


def at(day: int, hour: int = 12) -> datetime.datetime:
    """A time on a day of November 2026, in the site's time zone."""
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


@dataclass
class Team:
    cats: Project
    dogs: Project
    group: ProjectGroup
    ann: User
    model: User
    rex: User
    boss: User
    olly: User


def build() -> Team:
    q1, q2, q3 = SingleQuestionFactory(), DescriptionQuestionFactory(), SingleQuestionFactory()
    v1, v2, v3, v4, v5 = (VideoFactory() for _ in range(5))
    cats = ProjectFactory(
        name="Cats", schema=SchemaFactory(groups=[QuestionGroupFactory(questions=[q1, q2])]), videos=[v1, v2, v3]
    )
    dogs = ProjectFactory(
        name="Dogs", schema=SchemaFactory(groups=[QuestionGroupFactory(questions=[q3])]), videos=[v4, v5]
    )
    v3.is_active = False
    v3.save()
    group = ProjectGroup.objects.create(name="Pets")
    ProjectGroupProject.objects.create(project_group=group, project=cats)

    ann = UserFactory(user_id="Ann Lee", email="ann@example.com")
    model = ModelUserFactory(user_id="Model 1")
    rex = UserFactory(user_id="Rex Ray", email="rex@example.com")
    boss = AdminFactory(user_id="Boss", email="boss@example.com")
    olly = UserFactory(user_id="Olly Out", email="olly@example.com")
    Assignment.objects.create(user=ann, project=cats, role=Role.ANNOTATOR)
    Assignment.objects.create(user=ann, project=dogs, role=Role.ANNOTATOR, is_active=False)
    Assignment.objects.create(user=model, project=cats, role=Role.MODEL)
    for project in (cats, dogs):
        for role in (Role.ANNOTATOR, Role.REVIEWER):
            Assignment.objects.create(user=rex, project=project, role=role)
    ensure_global_admin_rows()

    def answer(user, project, video, question, value, when):
        return AnswerFactory(
            user=user, project=project, video=video, question=question, value=value, created_at=when, modified_at=when
        )

    answer(ann, cats, v1, q1, "yes", at(1, 9))
    answer(ann, cats, v2, q1, "yes", at(1, 10))
    fur = answer(ann, cats, v1, q2, "fur", at(2, 9))
    paws = answer(ann, cats, v2, q2, "claws", at(2, 10))
    answer(ann, cats, v3, q1, "no", at(2, 11))  # archived video: counted nowhere
    answer(ann, dogs, v4, q3, "yes", at(10, 8))
    answer(model, cats, v1, q1, "no", at(3, 9))
    answer(model, cats, v2, q1, "yes", at(3, 9))

    def truth(project, video, question, said, when, **override):
        return GroundTruthFactory(
            project=project,
            video=video,
            question=question,
            reviewer=rex,
            value=override.get("value", said),
            reviewer_value=said,
            overridden_by=override.get("by"),
            overridden_at=override.get("on"),
            created_at=when,
            modified_at=when,
        )

    truth(cats, v1, q1, "yes", at(4))
    truth(cats, v2, q1, "no", at(4), value="yes", by=boss, on=at(6))
    truth(cats, v1, q2, "fur", at(5))
    truth(cats, v2, q2, "paws", at(5))
    truth(dogs, v4, q3, "yes", at(7))
    AnswerReviewFactory(answer=fur, reviewer=rex, status=AnswerReview.Status.APPROVED, reviewed_at=at(5, 14))
    AnswerReviewFactory(answer=paws, reviewer=rex, status=AnswerReview.Status.REJECTED, reviewed_at=at(5, 15))
    return Team(cats, dogs, group, ann, model, rex, boss, olly)
