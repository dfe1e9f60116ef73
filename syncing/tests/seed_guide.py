"""The seed guide's data as the sync steps' tests use it: steps 3.1 and 3.2 verbatim, and the database after
steps 1-7 built directly."""

from __future__ import annotations

from catalog.models import Assignment, QuestionGroup
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
from syncing.tests.kitchen import assign

Role = Assignment.Role

# Seed guide step 3.1, as written there (None/True/False are the guide's Python values).
SEED_3_1 = [
    {
        "title": "Human",
        "display_title": "Human",
        "description": "Detect and describe all humans in the video.",
        "is_reusable": False,
        "is_auto_submit": False,
        "verification_function": None,
        "questions": [
            {
                "qtype": "single",
                "text": "Number of people?",
                "display_text": "Number of people?",
                "options": ["0", "1", "2", "3 or more"],
                "display_values": ["0", "1", "2", "3 or more"],
                "option_weights": [1.0, 1.0, 1.0, 1.0],
                "default_option": "0",
            },
            {
                "qtype": "description",
                "text": "If there are people, describe them.",
                "display_text": "If there are people, describe them.",
                "default_option": None,
            },
        ],
    },
    {
        "title": "NSFW",
        "display_title": "NSFW",
        "description": "Check whether the video is not safe for work.",
        "is_reusable": True,
        "is_auto_submit": True,
        "verification_function": None,
        "questions": [
            {
                "qtype": "single",
                "text": "Is the video not safe for work?",
                "display_text": "Is the video not safe for work?",
                "options": ["No", "Yes"],
                "display_values": ["No", "Yes"],
                "option_weights": [1.0, 99.0],
                "default_option": "No",
            }
        ],
    },
]


# Seed guide step 3.2.
SEED_3_2 = [
    {
        "title": "Human",
        "display_title": "Human (Updated)",
        "description": "Detect and describe all humans in the video. (Updated)",
        "is_reusable": True,
        "is_auto_submit": True,
        "verification_function": "check_human_description",
        "questions": [
            {
                "qtype": "description",
                "text": "If there are people, describe them.",
                "display_text": "If there are people, describe them.",
                "default_option": "Auto‑submit requires a default answer.",
            },
            {
                "qtype": "single",
                "text": "Number of people?",
                "display_text": "Number of people (Updated)",
                "options": ["3 or more", "2", "1", "0"],
                "display_values": ["3+", "2", "1", "0"],
                "option_weights": [1.0, 1.0, 1.0, 1.0],
                "default_option": "3 or more",
            },
        ],
    }
]


def build_seed_state(tmp_path=None) -> dict:
    """The database after seed guide steps 1-7, built directly (other steps are tested elsewhere)."""
    people = SingleQuestionFactory(
        text="Number of people?",
        display_text="Number of people (Updated)",
        options=["3 or more", "2", "1", "0"],
        display_values=["3+", "2", "1", "0"],
        option_weights=[1.0, 1.0, 1.0, 1.0],
        default_option="3 or more",
    )
    describe = DescriptionQuestionFactory(
        text="If there are people, describe them.", default_option="Auto‑submit requires a default answer."
    )
    human = QuestionGroupFactory(
        title="Human", display_title="Human (Updated)", questions=[describe, people], is_reusable=True
    )
    QuestionGroup.objects.filter(pk=human.pk).update(verification_function="check_human_description")
    nsfw = QuestionGroupFactory(
        title="NSFW",
        is_reusable=True,
        is_auto_submit=True,
        questions=[
            SingleQuestionFactory(
                text="Is the video not safe for work?",
                options=["No", "Yes"],
                display_values=["No", "Yes"],
                option_weights=[1.0, 99.0],
                default_option="No",
            )
        ],
    )
    videos = [VideoFactory(video_uid="human.mp4"), VideoFactory(video_uid="pizza.mp4")]
    schema = SchemaFactory(name="Questions about Humans", groups=[human, nsfw])
    project = ProjectFactory(name="Human Test 0", schema=schema, videos=videos)
    admin = AdminFactory(user_id="Admin 1", email="admin1@example.com")
    user = UserFactory(user_id="User 1 New", email="user1-new@example.com")
    model = ModelUserFactory(user_id="Model 1")
    ensure_global_admin_rows()
    assign(model, project, Role.MODEL, active=False)  # 6.1 then 6.3 archived it
    for role in (Role.ANNOTATOR, Role.REVIEWER):  # 6.1 annotator, 6.2 reviewer with weight 2.0
        Assignment.objects.create(user=user, project=project, role=role, user_weight=2.0)
    return {"project": project, "admin": admin, "user": user, "model": model, "people": people, "describe": describe}
