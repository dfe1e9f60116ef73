"""Fixtures several annotation test modules use."""

import pytest

from annotation.models import Answer
from catalog.models import Assignment
from catalog.tests.factories import UserFactory


@pytest.fixture
def voters(project):
    """Three completed annotators: A (weight 2.5) says yes, B and C say no (SCORE-VOTE-7, user weights)."""
    group = project.schema.memberships.get().group
    single, description = group.ordered_questions()
    people = []
    for name, weight, value, text in (
        ("A Ann", 2.5, "yes", "a man"),
        ("B Bob", 1.0, "no", "a man"),
        ("C Cy", 1.0, "no", "two men"),
    ):
        user = UserFactory(user_id=name)
        Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR, user_weight=weight)
        for video in project.videos.all():
            Answer.objects.create(project=project, video=video, question=single, user=user, value=value)
            Answer.objects.create(project=project, video=video, question=description, user=user, value=text)
        people.append(user)
    return people, single, description
