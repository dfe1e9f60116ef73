"""Issue 12 point 2: the calls of the original's custom display guide (custom_display.md, option 2) through
`label_pizza.sync_utils`, with its keyword arguments, on a fresh database; our own data."""

import pytest

from catalog.models import CustomDisplay, Schema

pytestmark = pytest.mark.django_db


def test_custom_display_guide_calls(dburl):
    from label_pizza.db import init_database

    init_database("DBURL")
    from label_pizza.sync_utils import sync_question_groups, sync_schemas, sync_videos

    # 1. videos, a question group whose wording is overridden per video, a schema with has_custom_display
    videos_data = [
        {"video_uid": uid, "url": f"https://cdn.example.org/{uid}", "is_active": True, "metadata": {}}
        for uid in ("bakery.mp4", "market.mp4")
    ]
    question_groups_data = [
        {
            "title": "Bread Custom",
            "display_title": "Bread Custom",
            "description": "Per-video questions about bread.",
            "is_reusable": False,
            "is_auto_submit": False,
            "verification_function": None,
            "questions": [
                {
                    "qtype": "single",
                    "text": "Choose one",
                    "display_text": "Choose one",
                    "options": ["Option A", "Option B"],
                    "display_values": ["Option A", "Option B"],
                    "option_weights": [1.0, 1.0],
                    "default_option": "Option A",
                },
                {
                    "qtype": "description",
                    "text": "Describe something",
                    "display_text": "Describe something",
                    "default_option": None,
                },
            ],
        }
    ]
    schemas_data = [
        {
            "schema_name": "Bread questions custom",
            "instructions_url": "",
            "question_group_names": ["Bread Custom"],
            "has_custom_display": True,
            "is_active": True,
        }
    ]
    sync_videos(videos_data=videos_data)
    sync_question_groups(question_groups_data=question_groups_data)
    sync_schemas(schemas_data=schemas_data)
    assert Schema.objects.get(name="Bread questions custom").has_custom_display

    # 2. a project with per-video question text and options
    from label_pizza.sync_utils import sync_projects

    def video(uid, question, options, describe):
        return {
            "video_uid": uid,
            "questions": [
                {"question_text": "Choose one", "custom_question": question, "custom_option": options},
                {"question_text": "Describe something", "custom_question": describe},
            ],
        }

    projects_data = [
        {
            "project_name": "Bread Custom 0",
            "schema_name": "Bread questions custom",
            "description": "Per-video wording",
            "is_active": True,
            "videos": [
                video("bakery.mp4", "Is bread shown?", {"Option A": "No", "Option B": "Yes"}, "Say what is shown."),
                video("market.mp4", "Which bread?", {"Option A": "Rye", "Option B": "Wheat"}, "Describe the loaf."),
            ],
        }
    ]
    sync_projects(projects_data=projects_data)
    shown = {
        (d.video.video_uid, d.question.text): (d.custom_display_text, d.custom_option_display_map)
        for d in CustomDisplay.objects.select_related("video", "question")
    }
    assert shown == {
        ("bakery.mp4", "Choose one"): ("Is bread shown?", {"Option A": "No", "Option B": "Yes"}),
        ("bakery.mp4", "Describe something"): ("Say what is shown.", None),
        ("market.mp4", "Choose one"): ("Which bread?", {"Option A": "Rye", "Option B": "Wheat"}),
        ("market.mp4", "Describe something"): ("Describe the loaf.", None),
    }
