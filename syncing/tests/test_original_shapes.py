"""Issue 12 point 4: workspaces written by the original Label Pizza sync with one warning per kind of deviation,
never an error and never a silent loss."""

import copy
import json

import pytest

from catalog.models import Assignment, CustomDisplay, Question, User
from catalog.tests.factories import AdminFactory
from syncing.errors import SyncError
from syncing.helpers import sync_from_folder, sync_users, sync_users_to_projects

pytestmark = pytest.mark.django_db


def original_export(folder):
    """A workspace in the shapes the original wrote: model user with a password, questions with `required`,
    a description question with null options, an assignment without user_weight, custom options keyed
    "Option <option>" and custom displays without custom_question."""
    (folder / "question_groups").mkdir(parents=True)
    files = {
        "videos.json": [
            {"video_uid": "a.mp4", "url": "https://cdn.example.org/a.mp4", "metadata": {}, "is_active": True},
            {"video_uid": "b.mp4", "url": "https://cdn.example.org/b.mp4", "metadata": {}, "is_active": True},
        ],
        "users.json": [
            {
                "user_id": "Ann",
                "email": "ann@example.com",
                "password": "ann111",
                "user_type": "human",
                "is_active": True,
            },
            {"user_id": "Bot", "email": None, "password": "bot-secret", "user_type": "model", "is_active": True},
        ],
        "question_groups/bread.json": {
            "title": "Bread",
            "display_title": "Bread",
            "description": "",
            "is_reusable": False,
            "is_auto_submit": False,
            "verification_function": None,
            "questions": [
                {
                    "qtype": "single",
                    "text": "Pick one",
                    "display_text": "Pick one",
                    "options": ["Option A", "Option B"],
                    "display_values": ["Option A", "Option B"],
                    "option_weights": [1.0, 1.0],
                    "default_option": "Option A",
                    "required": True,
                },
                {
                    "qtype": "description",
                    "text": "Say more",
                    "display_text": "Say more",
                    "options": None,
                    "display_values": None,
                    "required": False,
                },
            ],
        },
        "schemas.json": [
            {
                "schema_name": "Bread schema",
                "instructions_url": "",
                "has_custom_display": True,
                "is_active": True,
                "question_group_names": ["Bread"],
            }
        ],
        "projects.json": [
            {
                "project_name": "Bread 0",
                "schema_name": "Bread schema",
                "description": "",
                "is_active": True,
                "videos": [
                    {
                        "video_uid": "a.mp4",
                        "questions": [
                            {
                                "question_text": "Pick one",
                                "custom_question": "Is there bread?",
                                "custom_option": {"Option Option A": "No", "Option Option B": "Yes"},
                            },
                            {"question_text": "Say more"},
                        ],
                    },
                    {
                        "video_uid": "b.mp4",
                        "questions": [
                            {
                                "question_text": "Pick one",
                                "custom_option": {"Option Option A": "Rye", "Option Option B": "Wheat"},
                            }
                        ],
                    },
                ],
            }
        ],
        "project_groups.json": [],
        "assignments.json": [
            {"user_name": "Ann", "project_name": "Bread 0", "role": "annotator", "is_active": True},
            {"user_name": "Bot", "project_name": "Bread 0", "role": "model", "user_weight": 0.5, "is_active": True},
        ],
    }
    for name, data in files.items():
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_an_original_export_syncs_with_one_warning_per_deviation(tmp_path):
    AdminFactory(user_id="Admin 1", email="admin1@example.com")
    report = sync_from_folder(original_export(tmp_path / "ws"), quiet=True)
    shaped = [w for w in report.warnings if w.startswith("original shape:")]
    assert len(shaped) == 6, shaped
    joined = "\n".join(shaped)
    assert '2 question(s) carry a "required" key (first at question_groups/bread.json[0].questions[0])' in joined
    assert "(1 of them said false)" in joined
    assert "1 description question(s) give options" in joined
    assert "1 model user(s) carry a non-empty password (first at users.json[1].password)" in joined
    assert "1 assignment(s) have no user_weight (first at assignments.json[0])" in joined
    assert '2 custom display(s) name their options with an "Option " prefix' in joined
    assert "2 custom display(s) leave out custom_question or custom_option" in joined
    # "Say more" on a.mp4 said nothing custom (no text, no labels), so it holds no custom display row

    bot = User.objects.get(user_id="Bot")
    assert not bot.has_usable_password()
    assert User.objects.get(user_id="Ann").check_password("ann111")
    assert Question.objects.get(text="Say more").options is None
    assert Assignment.objects.get(user__user_id="Ann", role="annotator").user_weight == 1.0
    displays = {
        (d.video.video_uid, d.question.text): (d.custom_display_text, d.custom_option_display_map)
        for d in CustomDisplay.objects.select_related("video", "question")
    }
    assert displays == {
        ("a.mp4", "Pick one"): ("Is there bread?", {"Option A": "No", "Option B": "Yes"}),
        ("b.mp4", "Pick one"): (None, {"Option A": "Rye", "Option B": "Wheat"}),
    }

    # A second run of the same folder changes nothing, and warns again
    again = sync_from_folder(tmp_path / "ws", quiet=True)
    assert again.change_count == 0
    assert len([w for w in again.warnings if w.startswith("original shape:")]) == 6


def test_a_missing_user_weight_keeps_the_existing_weight():
    AdminFactory(user_id="Admin 1", email="admin1@example.com")
    original_data = [{"user_name": "Ann", "project_name": "P", "role": "annotator", "is_active": True}]
    from catalog.tests.factories import ProjectFactory

    ProjectFactory(name="P")
    sync_users(
        users_data=[
            {"user_id": "Ann", "email": "a@example.com", "password": "x1", "user_type": "human", "is_active": True}
        ]
    )
    sync_users_to_projects(assignments_data=[{**original_data[0], "user_weight": 3.0}], quiet=True)
    kept = copy.deepcopy(original_data)
    report = sync_users_to_projects(assignments_data=original_data, quiet=True)
    assert Assignment.objects.get(user__user_id="Ann", project__name="P").user_weight == 3.0
    assert any("no user_weight" in w for w in report.warnings)
    assert original_data == kept  # the caller's list is not changed


def test_options_prefix_is_only_removed_when_that_makes_the_keys_options(tmp_path):
    """A map whose keys already are the options (options named "Option A") stays as it is; a map that is
    wrong either way is still an error naming the entry."""
    folder = original_export(tmp_path / "ws")
    projects = json.loads((folder / "projects.json").read_text())
    projects[0]["videos"][0]["questions"][0]["custom_option"] = {"Option A": "No", "Option B": "Yes"}
    projects[0]["videos"][1]["questions"][0]["custom_option"] = {"Option C": "Rye", "Option B": "Wheat"}
    (folder / "projects.json").write_text(json.dumps(projects))
    AdminFactory(user_id="Admin 1", email="admin1@example.com")
    with pytest.raises(SyncError, match=r"projects\.json\[0\]") as failed:
        sync_from_folder(folder, quiet=True)
    assert "Option C" in str(failed.value)


def test_a_description_question_with_real_options_is_still_an_error(tmp_path):
    folder = original_export(tmp_path / "ws")
    group = json.loads((folder / "question_groups/bread.json").read_text())
    group["questions"][1]["options"] = ["x"]
    (folder / "question_groups/bread.json").write_text(json.dumps(group))
    with pytest.raises(SyncError, match='unexpected key "options"'):
        sync_from_folder(folder, quiet=True)
