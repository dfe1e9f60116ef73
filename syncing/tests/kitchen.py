"""The spec's §5 example workspace (Kitchen Batch 1 with the Food group), built by factories for the sync steps'
tests; the `kitchen` fixture (syncing/tests/conftest.py) builds it in a test's tmp_path."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import Assignment, Project, Question, QuestionGroup, User, Video
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
from catalog.verification import register_workspace

Role = Assignment.Role
VISIBLE, DESCRIBE = "Is food visible?", "Describe the food."

VERIFY_PY = """
def check_food_description(answers):
    visible = answers.get("Is food visible?")
    text = answers.get("Describe the food.", "")
    if visible == "yes" and not text.strip():
        raise ValueError("Describe the food when food is visible")
    if visible == "no" and text.strip():
        raise ValueError("Leave the description empty when no food is visible")
"""


@dataclass
class Kitchen:
    """The spec's §5 example workspace: Kitchen Batch 1 on three clips, with the Food group."""

    project: Project
    group: QuestionGroup
    visible: Question
    describe: Question
    videos: list[Video]
    admin: User
    maria: User
    sam: User
    bot: User


def assign(user, project, *roles, active=True):
    for role in roles:
        Assignment.objects.create(user=user, project=project, role=role, is_active=active)


def build_kitchen(tmp_path) -> Kitchen:
    folder = tmp_path / "kitchen_workspace"
    folder.mkdir()
    (folder / "verify.py").write_text(VERIFY_PY)
    register_workspace(folder)
    visible = SingleQuestionFactory(text=VISIBLE, options=["yes", "no"], display_values=["Yes", "No"])
    describe = DescriptionQuestionFactory(text=DESCRIBE)
    group = QuestionGroupFactory(title="Food", questions=[visible, describe])
    group.verification_function = "check_food_description"
    group.save()
    videos = [VideoFactory(video_uid=uid) for uid in ("kitchen_01.mp4", "yt_street_02", "local_03.mp4")]
    project = ProjectFactory(
        name="Kitchen Batch 1", schema=SchemaFactory(name="Kitchen Schema", groups=[group]), videos=videos
    )
    admin = AdminFactory(user_id="Admin One")
    maria, sam = UserFactory(user_id="Maria Lopez"), UserFactory(user_id="Sam Okoye")
    bot = ModelUserFactory(user_id="DetectorBot")
    assign(maria, project, Role.ANNOTATOR)
    assign(sam, project, Role.ANNOTATOR, Role.REVIEWER)
    assign(bot, project, Role.MODEL)
    ensure_global_admin_rows()
    return Kitchen(project, group, visible, describe, videos, admin, maria, sam, bot)


# What a record builder is given for a field the record must leave out.
DROP = object()
