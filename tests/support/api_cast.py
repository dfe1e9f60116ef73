"""The API tests' cast, on top of the root conftest's project, annotator, reviewer and outsider:
a global admin, a model user, token clients for each, and a project with answers, GT, a review,
history, a custom display and a project group, so every read endpoint has something to show.

The root conftest.py registers this module as a plugin, so every test can ask for `admin`, `model`, `cast`,
`clients` or `seeded` by name (a module's own fixture of the same name wins); import only the plain helpers
(`token_client`, `parts`, `record`).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog.models import Assignment, CustomDisplay, Project, ProjectGroupProject
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import AdminFactory, ModelUserFactory, ProjectGroupFactory
from catalog.tokens import issue_token

ROLES = ("annotator", "reviewer", "admin", "model", "outsider", "anonymous")


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    return client


def parts(project: Project):
    """(group, single question, description question, [video1, video2]) of the cast's project."""
    group = project.schema.memberships.order_by("position").first().group
    single, description = group.ordered_questions()
    return group, single, description, list(project.videos.order_by("project_links__position"))


def record(project, video, group, values: dict, **extra) -> dict:
    """An annotation / GT record in the sync shape (SYNC-ANN / SYNC-GT)."""
    return {
        "question_group_title": group.title,
        "project_name": project.name,
        "video_uid": video.video_uid,
        "answers": {q.text: v for q, v in values.items()},
        **extra,
    }


@pytest.fixture
def admin(project):
    user = AdminFactory(user_id="Admin One")
    ensure_global_admin_rows(users=[user])
    return user


@pytest.fixture
def model(project):
    user = ModelUserFactory(user_id="Model 1")
    Assignment.objects.create(user=user, project=project, role=Assignment.Role.MODEL)
    return user


@pytest.fixture
def cast(annotator, reviewer, admin, model, outsider) -> dict:
    return {
        "annotator": annotator,
        "reviewer": reviewer,
        "admin": admin,
        "model": model,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def clients(cast) -> dict[str, APIClient]:
    return {role: token_client(user) for role, user in cast.items()}


@pytest.fixture
def seeded(project, cast) -> dict:
    """Rows for every read endpoint: answers by the annotator and the model, GT by the reviewer on the
    first video, a review of the annotator's description answer, one history entry, a custom display
    and a project group."""
    group, single, description, (v1, _v2) = parts(project)
    annotator, reviewer, model = cast["annotator"], cast["reviewer"], cast["model"]
    own = Answer.objects.create(project=project, video=v1, question=single, user=annotator, value="yes")
    text = Answer.objects.create(project=project, video=v1, question=description, user=annotator, value="A dog.")
    Answer.objects.create(project=project, video=v1, question=single, user=model, value="no", confidence_score=0.5)
    Answer.objects.create(project=project, video=v1, question=description, user=model, value="A cat.")
    for q, value in ((single, "yes"), (description, "A dog.")):
        GroundTruth.objects.create(
            project=project, video=v1, question=q, value=value, reviewer_value=value, reviewer=reviewer
        )
        GroundTruthHistory.objects.create(
            project=project, video=v1, question=q, actor=reviewer, source="review", kind="created", new_value=value
        )
    review = AnswerReview.objects.create(answer=text, status="approved", reviewer=reviewer)
    display = CustomDisplay.objects.create(project=project, video=v1, question=single, custom_display_text="Yes?")
    project_group = ProjectGroupFactory(name="Batch")
    ProjectGroupProject.objects.create(project_group=project_group, project=project)
    return {
        "answer": own,
        "gt": GroundTruth.objects.get(question=single),
        "history": GroundTruthHistory.objects.first(),
        "review": review,
        "custom_display": display,
        "project_group": project_group,
        "assignment": Assignment.objects.get(user=annotator, project=project),
    }
