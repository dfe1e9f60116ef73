"""The worked example of SCORE-ACC-6, shared by the analytics tests and the analytics browser test.

P has 5 videos and q1, q2 (single) and q3 (description), with complete GT by Rex (q1) and Val (q2, q3); an admin
overrode Rex's q1 on the first video. `Example.answer` adds an answerer with a chosen number of correct answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from annotation.tests.factories import AnswerFactory, AnswerReviewFactory, GroundTruthFactory
from catalog.models import Assignment, Project, Question, User, Video
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)


@dataclass
class Example:
    """P with 5 videos and q1, q2 (single) and q3 (description); complete GT by Rex (q1) and Val (q2, q3)."""

    project: Project
    videos: list[Video]
    q1: Question
    q2: Question
    q3: Question
    rex: User
    val: User
    admin: User
    truth: dict[tuple[int, int], str] = field(default_factory=dict)

    def answer(self, user: User, *, q1: int | None = None, q2: int | None = None, approved=0, rejected=0, pending=0):
        """The first `q1` videos answered as the current GT and the rest not; q3 answers reviewed in order."""
        for q, correct in ((self.q1, q1), (self.q2, q2)):
            if correct is None:
                continue
            for i, v in enumerate(self.videos):
                gt = self.truth[v.pk, q.pk]
                AnswerFactory(
                    project=self.project, video=v, question=q, user=user, value=gt if i < correct else flip(gt)
                )
        statuses = ["approved"] * approved + ["rejected"] * rejected + [None] * pending
        for v, status in zip(self.videos, statuses, strict=False):
            a = AnswerFactory(project=self.project, video=v, question=self.q3, user=user, value=f"{user} on {v}")
            if status:
                AnswerReviewFactory(answer=a, status=status, reviewer=self.val)
        return user


def flip(value: str) -> str:
    return "no" if value == "yes" else "yes"


def build_example(*viewers: User) -> Example:
    q1 = SingleQuestionFactory(text="pizza_visible", display_text="Is a pizza visible?")
    q2 = SingleQuestionFactory(text="oven_open", display_text="Is the oven door open?")
    q3 = DescriptionQuestionFactory(text="describe_scene", display_text="Describe the scene.")
    groups = [QuestionGroupFactory(questions=[q1, q2]), QuestionGroupFactory(questions=[q3])]
    videos = [VideoFactory() for _ in range(5)]
    project = ProjectFactory(name="Pizza Training", schema=SchemaFactory(groups=groups), videos=videos)
    rex = UserFactory(user_id="Rex Reviewer")
    val = UserFactory(user_id="Val Validator")
    admin_user = AdminFactory(user_id="Ada Admin")
    ex = Example(project, videos, q1, q2, q3, rex, val, admin_user)
    for i, v in enumerate(videos):
        if i == 0:  # an admin overrode Rex's q1 on the first video: current "no", Rex said "yes"
            GroundTruthFactory(
                project=project, video=v, question=q1, reviewer=rex, reviewer_value="yes", value="no",
                overridden_by=admin_user, overridden_at=timezone.now(),
            )  # fmt: skip
            ex.truth[v.pk, q1.pk] = "no"
        else:
            GroundTruthFactory(project=project, video=v, question=q1, reviewer=rex, value="yes")
            ex.truth[v.pk, q1.pk] = "yes"
        GroundTruthFactory(project=project, video=v, question=q2, reviewer=val, value="yes")
        ex.truth[v.pk, q2.pk] = "yes"
        GroundTruthFactory(project=project, video=v, question=q3, reviewer=val, value=f"scene {i}")
    for viewer in viewers:
        for role in (Assignment.Role.ANNOTATOR, Assignment.Role.REVIEWER):
            Assignment.objects.create(user=viewer, project=project, role=role)
    ensure_global_admin_rows(users=[admin_user], projects=[project])
    return ex
