"""Issue 12 point 2: the seed guide's (sync_workflows.md) calls, steps 0 to 8.4, in order, through `label_pizza.*`
with the original's keyword arguments, on a fresh database; our own data, checking the state after each step."""

import pytest

from annotation.models import Answer, GroundTruth, GroundTruthHistory
from catalog.models import Assignment, Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video
from catalog.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

COOKS = "How many cooks?"
DESCRIBE = "Describe the cooks."


def kitchen_group(**changes):
    group = {
        "title": "Kitchen",
        "display_title": "Kitchen",
        "description": "Count and describe the cooks.",
        "is_reusable": False,
        "is_auto_submit": False,
        "verification_function": None,
        "questions": [
            {
                "qtype": "single",
                "text": COOKS,
                "display_text": COOKS,
                "options": ["0", "1", "2+"],
                "display_values": ["none", "one", "two or more"],
                "option_weights": [1.0, 1.0, 1.0],
                "default_option": "0",
            },
            {"qtype": "description", "text": DESCRIBE, "display_text": DESCRIBE, "default_option": None},
        ],
    }
    group.update(changes)
    return group


def answers(user, values, is_ground_truth=False, **extra):
    return {
        "question_group_title": "Kitchen",
        "project_name": "Kitchen Batch 0",
        "user_name": user,
        "video_uid": "kitchen.mp4",
        "answers": dict(zip([COOKS, DESCRIBE], values, strict=True)),
        "is_ground_truth": is_ground_truth,
        **extra,
    }


def test_seed_guide_calls_run_through_label_pizza_in_order(dburl, capsys):
    # 0. init_database, then the imports (the guide imports after init_database)
    from label_pizza.db import init_database

    init_database("DBURL")
    from label_pizza.sync_utils import (
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

    AdminFactory(user_id="Admin 1", email="admin1@example.com")  # what manage_db --mode init seeds

    # 1.1 add videos, 1.2 update one
    videos_data = [
        {"video_uid": "kitchen.mp4", "url": "https://cdn.example.org/kitchen.mp4", "is_active": True, "metadata": {}},
        {"video_uid": "street.mp4", "url": "https://cdn.example.org/street.mp4", "is_active": True, "metadata": {}},
    ]
    sync_videos(videos_data=videos_data)
    assert set(Video.objects.values_list("video_uid", flat=True)) == {"kitchen.mp4", "street.mp4"}
    videos_data = [
        {
            "video_uid": "kitchen.mp4",
            "url": "https://cdn.example.org/kitchen-v2.mp4",
            "is_active": True,
            "metadata": {"license": "CC-BY"},
        }
    ]
    sync_videos(videos_data=videos_data)
    assert Video.objects.get(video_uid="kitchen.mp4").metadata == {"license": "CC-BY"}

    # 2.1 add a user; 2.2 update by user_id and archive, rename by email and unarchive, add a model user
    user = {"user_id": "Cook 1", "email": "cook1@example.com", "password": "cook111", "user_type": "human"}
    sync_users(users_data=[{**user, "is_active": True}])
    sync_users(users_data=[{**user, "email": "cook1-new@example.com", "password": "cook-new", "is_active": False}])
    assert not User.objects.get(user_id="Cook 1").is_active
    sync_users(
        users_data=[
            {
                **user,
                "user_id": "Cook 1 New",
                "email": "cook1-new@example.com",
                "password": "cook-new",
                "is_active": True,
            }
        ]
    )
    cook = User.objects.get(email="cook1-new@example.com")
    assert cook.user_id == "Cook 1 New" and cook.is_active and cook.check_password("cook-new")
    sync_users(
        users_data=[{"user_id": "Robot 1", "email": None, "password": "", "user_type": "model", "is_active": True}]
    )
    assert User.objects.get(user_id="Robot 1").user_type == "model"

    # 3.1 add question groups, 3.2 update one (reordered questions and options)
    safety = {
        "title": "Safety",
        "display_title": "Safety",
        "description": "Anything dangerous?",
        "is_reusable": True,
        "is_auto_submit": True,
        "verification_function": None,
        "questions": [
            {
                "qtype": "single",
                "text": "Is anything dangerous?",
                "display_text": "Is anything dangerous?",
                "options": ["No", "Yes"],
                "display_values": ["No", "Yes"],
                "option_weights": [1.0, 99.0],
                "default_option": "No",
            }
        ],
    }
    sync_question_groups(question_groups_data=[kitchen_group(), safety])
    assert QuestionGroup.objects.count() == 2
    updated = kitchen_group(display_title="Kitchen (Updated)", is_reusable=True)
    updated["questions"] = list(reversed(updated["questions"]))
    updated["questions"][1] = {
        **updated["questions"][1],
        "options": ["2+", "1", "0"],
        "display_values": ["2+", "1", "0"],
    }
    sync_question_groups(question_groups_data=[updated])
    group = QuestionGroup.objects.get(title="Kitchen")
    assert group.display_title == "Kitchen (Updated)" and group.is_reusable
    assert [m.question.text for m in group.memberships.order_by("position")] == [DESCRIBE, COOKS]
    assert Question.objects.get(text=COOKS).options == ["2+", "1", "0"]

    # 4.1 add a schema, 4.2 reorder its groups
    schema = {
        "schema_name": "Kitchen questions",
        "instructions_url": "",
        "has_custom_display": False,
        "is_active": True,
    }
    sync_schemas(schemas_data=[{**schema, "question_group_names": ["Safety", "Kitchen"]}])
    sync_schemas(schemas_data=[{**schema, "question_group_names": ["Kitchen", "Safety"]}])
    memberships = Schema.objects.get(name="Kitchen questions").memberships.order_by("position")
    assert [m.group.title for m in memberships] == ["Kitchen", "Safety"]

    # 5.1 add a project, 5.2 update its description
    projects_data = [
        {
            "project_name": "Kitchen Batch 0",
            "schema_name": "Kitchen questions",
            "description": "First batch",
            "is_active": True,
            "videos": ["kitchen.mp4", "street.mp4"],
        }
    ]
    sync_projects(projects_data=projects_data)
    projects_data[0]["description"] = "First batch (Updated)"
    sync_projects(projects_data=projects_data)
    project = Project.objects.get(name="Kitchen Batch 0")
    assert project.description == "First batch (Updated)"
    assert [link.video.video_uid for link in project.video_links.order_by("position")] == ["kitchen.mp4", "street.mp4"]

    # 6.1 assign, 6.2 promote to reviewer with weight 2, 6.3 archive the model's role
    role = {"project_name": "Kitchen Batch 0", "user_weight": 1.0, "is_active": True}
    sync_users_to_projects(
        assignments_data=[
            {**role, "user_name": "Robot 1", "role": "model"},
            {**role, "user_name": "Cook 1 New", "role": "annotator"},
        ]
    )
    sync_users_to_projects(
        assignments_data=[{**role, "user_name": "Cook 1 New", "role": "reviewer", "user_weight": 2.0}]
    )
    rows = Assignment.objects.filter(project=project, user=cook, is_active=True)
    assert set(rows.values_list("role", "user_weight")) == {("annotator", 2.0), ("reviewer", 2.0)}
    sync_users_to_projects(assignments_data=[{**role, "user_name": "Robot 1", "role": "model", "is_active": False}])
    assert not Assignment.objects.get(project=project, user__user_id="Robot 1").is_active

    # 7.1 add a project group, 7.2 empty it
    pg = {"project_group_name": "Kitchen Projects", "description": "All kitchen batches"}
    sync_project_groups(project_groups_data=[{**pg, "projects": ["Kitchen Batch 0"]}])
    assert ProjectGroup.objects.get(name="Kitchen Projects").memberships.count() == 1
    sync_project_groups(project_groups_data=[{**pg, "description": "Empty for now", "projects": []}])
    assert ProjectGroup.objects.get(name="Kitchen Projects").memberships.count() == 0

    # 8.1 annotations by a person and a model with confidence, 8.2 update the model's
    sync_annotations(
        annotations_data=[
            answers("Cook 1 New", ["1", "A cook in a white apron."]),
            answers("Robot 1", ["2+", "Two cooks."], confidence_scores={COOKS: 0.9, DESCRIBE: 0.8}),
        ]
    )
    assert Answer.objects.filter(project=project).count() == 4
    sync_annotations(annotations_data=[answers("Robot 1", ["0", ""], confidence_scores={COOKS: 0.3, DESCRIBE: 0.2})])
    model_answer = Answer.objects.get(user__user_id="Robot 1", question__text=COOKS)
    assert (model_answer.value, model_answer.confidence_score) == ("0", 0.3)

    # 8.3 ground truth by the reviewer, 8.4 re-attributed to Admin 1 with other values
    sync_ground_truths(ground_truths_data=[answers("Cook 1 New", ["1", "A cook."], is_ground_truth=True)])
    sync_ground_truths(ground_truths_data=[answers("Admin 1", ["2+", "Two cooks."], is_ground_truth=True)])
    truths = GroundTruth.objects.filter(project=project, video__video_uid="kitchen.mp4")
    assert {gt.reviewer.user_id for gt in truths} == {"Admin 1"}
    assert truths.get(question__text=COOKS).value == "2+"
    assert list(GroundTruthHistory.objects.order_by("id").values_list("kind", flat=True)) == [
        "created",
        "created",
        "changed",
        "changed",
    ]
    assert "Sync complete" in capsys.readouterr().out


def test_the_helpers_keep_the_originals_positional_order_and_file_arguments(dburl, tmp_path):
    """sync_question_groups, sync_users_to_projects, sync_annotations and sync_ground_truths took their
    folder/path first and positionally in the original; sync_users_to_projects names its file `assignment_path`."""
    import json

    from label_pizza.sync_utils import sync_question_groups, sync_users_to_projects

    folder = tmp_path / "question_groups"
    folder.mkdir()
    (folder / "kitchen.json").write_text(json.dumps(kitchen_group()), encoding="utf-8")
    sync_question_groups(str(folder))
    assert QuestionGroup.objects.filter(title="Kitchen").exists()
    with pytest.raises(ValueError, match="assignments.json"):
        missing = tmp_path / "assignments.json"
        sync_users_to_projects(assignment_path=str(missing))


def test_init_database_names_a_missing_variable():
    from label_pizza.db import init_database

    with pytest.raises(RuntimeError, match="LP12_NO_SUCH_URL"):
        init_database("LP12_NO_SUCH_URL")
