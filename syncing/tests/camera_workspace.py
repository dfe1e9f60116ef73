"""A small workspace with a multiple-choice question, written by a test as a user would (issue 15): the
"Camera" group asks which camera motions a clip shows (pan, tilt, zoom: a list) and whether it is daytime
(single choice), on two clips of the project "Clips", answered by the annotator "Ann" and the model user "Bot",
with ground truth by the reviewer "Rev" and one admin override. Used by the sync tests and the label_pizza
helper tests."""

from __future__ import annotations

import json
from pathlib import Path

MOTIONS, DAYTIME = "Which camera motions?", "Is it daytime?"
ANN_KEY = "Clips / a.mp4 / Camera / Ann"
GT_KEY = "Clips / a.mp4 / Camera"


def motions(**extra) -> dict:
    return {
        "qtype": "multiple",
        "text": MOTIONS,
        "display_text": "Camera motions",
        "options": ["pan", "tilt", "zoom"],
        "display_values": ["Pan", "Tilt", "Zoom"],
        "option_weights": [1.0, 2.0, 1.0],
        "default_options": ["zoom", "pan"],
        **extra,
    }


def daytime(**extra) -> dict:
    return {
        "qtype": "single",
        "text": DAYTIME,
        "display_text": DAYTIME,
        "options": ["yes", "no"],
        "display_values": ["Yes", "No"],
        "option_weights": [1.0, 1.0],
        "default_option": "yes",
        **extra,
    }


def camera_group(*questions, **extra) -> dict:
    return {
        "title": "Camera",
        "display_title": "Camera",
        "description": "",
        "is_reusable": False,
        "is_auto_submit": False,
        "verification_function": None,
        "is_active": True,
        "questions": list(questions) or [motions(), daytime()],
        **extra,
    }


def annotation(user="Ann", video="a.mp4", chosen=("zoom", "pan"), day="yes", **extra) -> dict:
    return {
        "question_group_title": "Camera",
        "project_name": "Clips",
        "user_name": user,
        "video_uid": video,
        "answers": {MOTIONS: list(chosen) if isinstance(chosen, tuple) else chosen, DAYTIME: day},
        **extra,
        "is_ground_truth": False,
    }


def ground_truth(video="a.mp4", chosen=("zoom", "pan"), **extra) -> dict:
    return {
        "question_group_title": "Camera",
        "project_name": "Clips",
        "user_name": "Rev",
        "video_uid": video,
        "answers": {MOTIONS: list(chosen) if isinstance(chosen, tuple) else chosen, DAYTIME: "yes"},
        **extra,
        "is_ground_truth": True,
    }


def annotations() -> list[dict]:
    return [
        annotation(),
        annotation(user="Bot", chosen=(), day="no", confidence_scores={MOTIONS: 0.8, DAYTIME: 0.6}),
        annotation(video="b.mp4", chosen=("tilt",)),
    ]


def ground_truths() -> list[dict]:
    return [
        ground_truth(),
        ground_truth(
            video="b.mp4",
            chosen=("tilt", "zoom"),
            admin_overrides={MOTIONS: {"admin_name": "Admin 1", "reviewer_answer": ["tilt"]}},
        ),
    ]


def write(folder: Path, relative: str, data) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def workspace(folder: Path, *, group=None, annotation_records=None, gt_records=None, custom=True) -> Path:
    """The whole workspace, written as a user would; the group and the two record lists can be replaced, and the
    custom display (option labels for b.mp4) left out."""
    write(
        folder,
        "videos.json",
        [
            {"video_uid": f"{uid}.mp4", "url": f"https://example.com/{uid}.mp4", "is_active": True, "metadata": {}}
            for uid in "ab"
        ],
    )
    person = {"password": "secret123", "user_type": "human", "is_active": True}
    write(
        folder,
        "users.json",
        [
            {"user_id": "Admin 1", "email": "admin@example.com", **person, "user_type": "admin"},
            {"user_id": "Ann", "email": "ann@example.com", **person},
            {"user_id": "Rev", "email": "rev@example.com", **person},
            {"user_id": "Bot", "email": None, "password": "", "user_type": "model", "is_active": True},
        ],
    )
    write(folder, "question_groups/camera.json", group or camera_group())
    write(
        folder,
        "schemas.json",
        [
            {
                "schema_name": "Camera Schema",
                "instructions_url": "",
                "question_group_names": ["Camera"],
                "has_custom_display": True,
                "is_active": True,
            }
        ],
    )
    display = {
        "question_text": MOTIONS,
        "custom_question": "How does the camera move in b?",
        "custom_option": {"pan": "Pans", "tilt": "Tilts", "zoom": "Zooms"},
    }
    write(
        folder,
        "projects.json",
        [
            {
                "project_name": "Clips",
                "schema_name": "Camera Schema",
                "description": "",
                "is_active": True,
                "videos": ["a.mp4", {"video_uid": "b.mp4", "questions": [display]} if custom else "b.mp4"],
            }
        ],
    )
    write(folder, "project_groups.json", [])
    roles = [("Ann", "annotator"), ("Rev", "reviewer"), ("Bot", "model")]
    write(
        folder,
        "assignments.json",
        [
            {"user_name": user, "project_name": "Clips", "role": role, "user_weight": 1.0, "is_active": True}
            for user, role in roles
        ],
    )
    write(folder, "annotations/clips.json", annotations() if annotation_records is None else annotation_records)
    write(folder, "ground_truths/clips.json", ground_truths() if gt_records is None else gt_records)
    return folder
