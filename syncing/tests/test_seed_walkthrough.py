"""The seed guide's starter example, steps 1.1 to 8.4, run as written, in order (SYNC-API-1..4)."""

import pytest

from annotation.models import Answer, GroundTruth, GroundTruthHistory
from catalog.models import Assignment, Project, Question, QuestionGroup, Schema, User, Video
from catalog.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def test_seed_guide_steps_1_1_to_8_4(capsys):
    from labelpizza.bootstrap import init_database

    init_database("DATABASE_URL")  # step 0: already set up, so this does nothing
    from syncing.helpers import (
        sync_annotations,
        sync_ground_truths,
        sync_project_groups,
        sync_projects,
        sync_question_groups,
        sync_schemas,
        sync_users,
        sync_users_to_projects,
        sync_videos,
    )

    AdminFactory(user_id="Admin 1", email="admin1@example.com")  # manage_db --mode reset seeds it

    # 1.1 add videos
    videos_data = [
        {
            "video_uid": "human.mp4",
            "url": "https://your-repo/human.mp4",
            "is_active": True,
            "metadata": {
                "original_url": "https://www.youtube.com/watch?v=L3wKzyIN1yk",
                "license": "Standard YouTube License",
            },
        },
        {
            "video_uid": "pizza.mp4",
            "url": "https://huggingface.co/datasets/syCen/example4labelpizza/resolve/main/pizza.mp4",
            "is_active": True,
            "metadata": {
                "original_url": "https://www.youtube.com/watch?v=8J1NzjA9jNg",
                "description": "A video of a pizza being made.",
                "license": "Standard YouTube License",
            },
        },
    ]
    sync_videos(videos_data=videos_data)
    assert Video.objects.count() == 2

    # 1.2 update a video
    videos_data = [
        {
            "video_uid": "human.mp4",
            "url": "https://huggingface.co/datasets/syCen/example4labelpizza/resolve/main/human.mp4",
            "is_active": True,
            "metadata": {},
        }
    ]
    sync_videos(videos_data=videos_data)
    assert Video.objects.get(video_uid="human.mp4").metadata == {}

    # 2.1 add a user
    users_data = [
        {
            "user_id": "User 1",
            "email": "user1@example.com",
            "password": "user111",
            "user_type": "human",
            "is_active": True,
        }
    ]
    sync_users(users_data=users_data)

    # 2.2 update by user_id, then rename by email and unarchive, then add a model user
    users_data = [
        {
            "user_id": "User 1",
            "email": "user1-new@example.com",
            "password": "user111-new",
            "user_type": "human",
            "is_active": False,
        }
    ]
    sync_users(users_data=users_data)
    users_data = [
        {
            "user_id": "User 1 New",
            "email": "user1-new@example.com",
            "password": "user111-new",
            "user_type": "human",
            "is_active": True,
        }
    ]
    sync_users(users_data=users_data)
    renamed = User.objects.get(email="user1-new@example.com")
    assert renamed.user_id == "User 1 New" and renamed.is_active and renamed.check_password("user111-new")
    users_data = [{"user_id": "Model 1", "email": None, "password": "", "user_type": "model", "is_active": True}]
    sync_users(users_data=users_data)

    # 3.1 add question groups
    question_groups_data = [
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
    sync_question_groups(question_groups_data=question_groups_data)

    # 3.2 update the Human group and its questions
    question_groups_data = [
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
    sync_question_groups(question_groups_data=question_groups_data)
    count = Question.objects.get(text="Number of people?")
    assert count.options == ["3 or more", "2", "1", "0"] and count.display_values[0] == "3+"
    assert QuestionGroup.objects.get(title="Human").verification_function == "check_human_description"

    # 4.1 add a schema, 4.2 update it
    schemas_data = [
        {
            "schema_name": "Questions about Humans",
            "instructions_url": "",
            "question_group_names": ["NSFW", "Human"],
            "has_custom_display": False,
            "is_active": True,
        }
    ]
    sync_schemas(schemas_data=schemas_data)
    schemas_data = [
        {
            "schema_name": "Questions about Humans",
            "instructions_url": "https://en.wikipedia.org/wiki/Human",
            "question_group_names": ["Human", "NSFW"],
            "has_custom_display": True,
            "is_active": True,
        }
    ]
    sync_schemas(schemas_data=schemas_data)
    schema = Schema.objects.get(name="Questions about Humans")
    assert [m.group.title for m in schema.memberships.order_by("position")] == ["Human", "NSFW"]

    # 5.1 add a project, 5.2 update its description
    projects_data = [
        {
            "project_name": "Human Test 0",
            "schema_name": "Questions about Humans",
            "description": "Test project for human questions",
            "is_active": True,
            "videos": ["human.mp4", "pizza.mp4"],
        }
    ]
    sync_projects(projects_data=projects_data)
    projects_data[0]["description"] = "Test project for human questions (Updated)"
    sync_projects(projects_data=projects_data)
    project = Project.objects.get(name="Human Test 0")
    assert project.description.endswith("(Updated)")
    # DM-ROLE-5: the global admin holds every role in the new project.
    admin_roles = Assignment.objects.filter(project=project, user__user_id="Admin 1", is_active=True)
    assert set(admin_roles.values_list("role", flat=True)) == {"annotator", "reviewer", "admin"}

    # 6.1 assign, 6.2 promote to reviewer with weight 2, 6.3 remove the model
    assignments_data = [
        {
            "user_name": "Model 1",
            "project_name": "Human Test 0",
            "role": "model",
            "user_weight": 1.0,
            "is_active": True,
        },
        {
            "user_name": "User 1 New",
            "project_name": "Human Test 0",
            "role": "annotator",
            "user_weight": 1.0,
            "is_active": True,
        },
    ]
    sync_users_to_projects(assignments_data=assignments_data)
    assignments_data = [
        {
            "user_name": "User 1 New",
            "project_name": "Human Test 0",
            "role": "reviewer",
            "user_weight": 2.0,
            "is_active": True,
        }
    ]
    sync_users_to_projects(assignments_data=assignments_data)
    user_rows = Assignment.objects.filter(project=project, user=renamed, is_active=True)
    assert set(user_rows.values_list("role", "user_weight")) == {("annotator", 2.0), ("reviewer", 2.0)}
    assignments_data = [
        {
            "user_name": "Model 1",
            "project_name": "Human Test 0",
            "role": "model",
            "user_weight": 2.0,
            "is_active": False,
        }
    ]
    sync_users_to_projects(assignments_data=assignments_data)
    assert not Assignment.objects.get(project=project, user__user_id="Model 1").is_active

    # 7.1 add a project group, 7.2 empty it
    project_groups_data = [
        {
            "project_group_name": "Human Test Projects",
            "description": "This is a project group for human test with a single project",
            "projects": ["Human Test 0"],
        }
    ]
    sync_project_groups(project_groups_data=project_groups_data)
    project_groups_data = [
        {"project_group_name": "Human Test Projects", "description": "This is an empty project group", "projects": []}
    ]
    sync_project_groups(project_groups_data=project_groups_data)

    # 8.1 annotations (Model 1 "has held" its archived model role), 8.2 update the model's answers
    annotations_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "User 1 New",
            "video_uid": "human.mp4",
            "answers": {
                "Number of people?": "1",
                "If there are people, describe them.": "The person appears to be a large man with a full beard "
                "and closely cropped hair.",
            },
            "is_ground_truth": False,
        },
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Model 1",
            "video_uid": "human.mp4",
            "answers": {"Number of people?": "1", "If there are people, describe them.": "The man has cropped hair."},
            "confidence_scores": {"Number of people?": 0.9, "If there are people, describe them.": 0.8},
            "is_ground_truth": False,
        },
    ]
    sync_annotations(annotations_data=annotations_data)
    annotations_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Model 1",
            "video_uid": "human.mp4",
            "answers": {"Number of people?": "0", "If there are people, describe them.": ""},
            "confidence_scores": {"Number of people?": 0.3, "If there are people, describe them.": 0.2},
            "is_ground_truth": False,
        }
    ]
    sync_annotations(annotations_data=annotations_data)
    model_answer = Answer.objects.get(user__user_id="Model 1", question__text="Number of people?")
    assert (model_answer.value, model_answer.confidence_score) == ("0", 0.3)

    # 8.3 ground truth by the reviewer, 8.4 re-attributed to Admin 1 with new answers
    ground_truths_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "User 1 New",
            "video_uid": "human.mp4",
            "answers": {"Number of people?": "0", "If there are people, describe them.": ""},
            "is_ground_truth": True,
        }
    ]
    sync_ground_truths(ground_truths_data=ground_truths_data)
    ground_truths_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Admin 1",
            "video_uid": "human.mp4",
            "answers": {
                "Number of people?": "1",
                "If there are people, describe them.": "The person appears to be a large man with a full beard "
                "and closely cropped hair.",
            },
            "is_ground_truth": True,
        }
    ]
    sync_ground_truths(ground_truths_data=ground_truths_data)
    truths = GroundTruth.objects.filter(project=project, video__video_uid="human.mp4")
    assert {gt.reviewer.user_id for gt in truths} == {"Admin 1"}
    assert truths.get(question__text="Number of people?").value == "1"
    kinds = list(GroundTruthHistory.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "created", "changed", "changed"]
    assert "Sync complete" in capsys.readouterr().out
