"""Issue 15's "done when", end to end: a workspace with a multiple-choice question syncs, is answered by
annotators (through the workspace and the portal) and a model user, gets ground truth by the reviewer's
weighted consensus, appears in the analytics and the GT export, and round-trips through export exactly.
Spec analogues: SYNC-QG-2, SYNC-ANN-8, PORTAL-PRJ-10, PORTAL-REV-11, SCORE-AUTO-4, SCORE-ACC-2, SCORE-AGR-3,
WS-EXP-5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotation.models import Answer, GroundTruth
from annotation.tests.portal import run_auto_submit, submit_url
from catalog.models import Project, Question, QuestionGroup, User, Video
from syncing.export import export_workspace
from syncing.helpers import export_projects_ground_truth, sync_from_folder

pytestmark = pytest.mark.django_db

MOTIONS = "Which camera motions do you see?"
ANNOTATORS = ("Ann 1", "Ann 2", "Ann 3")
# Ann 3 answers v3 in the portal; the rest comes from the workspace, lists in any order.
ANSWERS = {
    "Ann 1": {"v1.mp4": ["zoom", "pan"], "v2.mp4": [], "v3.mp4": ["tilt"]},
    "Ann 2": {"v1.mp4": ["pan"], "v2.mp4": [], "v3.mp4": ["zoom", "tilt"]},
    "Ann 3": {"v1.mp4": ["pan", "zoom"], "v2.mp4": ["tilt"]},
    "Robot 1": {"v1.mp4": ["pan", "zoom"], "v2.mp4": [], "v3.mp4": ["tilt"]},
}
# At a 60 % threshold: v1 pan 3/3 and zoom 2/3 in, tilt out; v2 tilt 1/3 out; v3 tilt 3/3 in, zoom 1/3 out.
CONSENSUS = {"v1.mp4": '["pan","zoom"]', "v2.mp4": "[]", "v3.mp4": '["tilt"]'}


def write(folder: Path, name: str, data) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def workspace(folder: Path) -> Path:
    videos = ["v1.mp4", "v2.mp4", "v3.mp4"]
    write(
        folder,
        "videos.json",
        [{"video_uid": v, "url": f"https://example.com/{v}", "is_active": True, "metadata": {}} for v in videos],
    )
    people = [("Admin 1", "admin"), ("Reviewer 1", "human"), *((a, "human") for a in ANNOTATORS)]
    users = [
        {
            "user_id": u,
            "email": f"{u.replace(' ', '').lower()}@example.com",
            "password": "pass1234!",
            "user_type": t,
            "is_active": True,
        }
        for u, t in people
    ]
    users.append({"user_id": "Robot 1", "email": None, "password": "", "user_type": "model", "is_active": True})
    write(folder, "users.json", users)
    question = {
        "qtype": "multiple",
        "text": MOTIONS,
        "display_text": "Camera motions",
        "options": ["pan", "tilt", "zoom"],
        "display_values": ["Pan", "Tilt", "Zoom"],
        "option_weights": [1.0, 1.0, 1.0],
        "default_options": [],
    }
    group = {"title": "Camera", "display_title": "Camera", "description": "Camera motion.", "is_reusable": False}
    write(
        folder,
        "question_groups/camera.json",
        group | {"is_auto_submit": False, "verification_function": None, "questions": [question]},
    )
    write(
        folder,
        "schemas.json",
        [
            {
                "schema_name": "Motion",
                "instructions_url": "",
                "question_group_names": ["Camera"],
                "has_custom_display": False,
                "is_active": True,
            }
        ],
    )
    write(
        folder,
        "projects.json",
        [{"project_name": "Motion 1", "schema_name": "Motion", "description": "", "is_active": True, "videos": videos}],
    )
    write(folder, "project_groups.json", [])
    roles = [("Reviewer 1", "reviewer"), *((a, "annotator") for a in ANNOTATORS), ("Robot 1", "model")]
    write(
        folder,
        "assignments.json",
        [
            {"user_name": u, "project_name": "Motion 1", "role": r, "user_weight": 1.0, "is_active": True}
            for u, r in roles
        ],
    )
    records = []
    for user, answers in ANSWERS.items():
        for video, value in answers.items():
            record = {
                "question_group_title": "Camera",
                "project_name": "Motion 1",
                "user_name": user,
                "video_uid": video,
            }
            record |= {"answers": {MOTIONS: value}, "is_ground_truth": False}
            if user == "Robot 1":
                record["confidence_scores"] = {MOTIONS: 0.8}
            records.append(record)
    write(folder, "annotations/camera.json", records)
    write(folder, "ground_truths/camera.json", [])
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_multiple_choice_question_from_sync_to_export(client, tmp_path):
    sync_from_folder(workspace(tmp_path / "in"), quiet=True)
    project = Project.objects.get(name="Motion 1")
    question = Question.objects.get(text=MOTIONS)
    group = QuestionGroup.objects.get(title="Camera")
    video = {v.video_uid: v for v in Video.objects.all()}
    user = {u.user_id: u for u in User.objects.all()}
    assert question.default_option == "[]"
    stored = Answer.objects.get(user=user["Ann 1"], video=video["v1.mp4"]).value
    assert stored == '["pan","zoom"]'  # written in option order
    assert Answer.objects.get(user=user["Robot 1"], video=video["v1.mp4"]).confidence_score == 0.8

    # Ann 3 completes the project in the annotator portal: one box ticked.
    client.force_login(user["Ann 3"])
    field = f"v{video['v3.mp4'].pk}g{group.pk}-q{question.pk}"
    response = client.post(
        submit_url(project, video["v3.mp4"], group), {field: ["tilt"]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert Answer.objects.get(user=user["Ann 3"], video=video["v3.mp4"]).value == '["tilt"]'

    # The reviewer submits the ground truth by weighted consensus of the three annotators.
    client.force_login(user["Reviewer 1"])
    pool = [user[a] for a in ANNOTATORS]
    summary = run_auto_submit(client, project, "execute", pool, **{f"t-{question.pk}": "60"}).json()["summary"]
    assert summary["submitted"] == 3
    assert {gt.video.video_uid: gt.value for gt in GroundTruth.objects.select_related("video")} == CONSENSUS

    # Analytics: exact-set accuracy (Ann 1 3/3, Ann 2 1/3, Ann 3 2/3; shares are cut, not rounded), per-option
    # precision (tilt: 4 of the 5 answers that ticked it, with the model's) and agreement with the MASI distance.
    page = client.get(reverse("review:analytics_annotators", args=[project.pk])).content.decode()
    for name, shown in (("Ann 1", "100%"), ("Ann 2", "33.3%"), ("Ann 3", "66.6%")):
        assert name in page and shown in page
    assert "Tilt, precision: 80% (4 of 5 answers that ticked it)" in page
    agreement = client.get(reverse("review:analytics_agreement", args=[project.pk])).content.decode()
    assert "Camera motions" in agreement or MOTIONS in agreement

    # The GT export gives lists, and labels joined for people.
    rows = {r["video_uid"]: r for r in export_projects_ground_truth(["Motion 1"])}
    assert rows["v1.mp4"]["answers"][MOTIONS] == ["pan", "zoom"]
    assert rows["v1.mp4"]["answer_display_values"][MOTIONS] == "Pan; Zoom"
    assert rows["v2.mp4"]["answer_display_values"][MOTIONS] == "None of these"

    # Export writes lists back; syncing the export changes nothing, and exporting again is byte-identical.
    first = tmp_path / "first"
    export_workspace(first, quiet=True)
    exported = json.loads(next((first / "annotations").glob("*.json")).read_text())
    ann1_v1 = next(r for r in exported if r["user_name"] == "Ann 1" and r["video_uid"] == "v1.mp4")
    assert ann1_v1["answers"] == {MOTIONS: ["pan", "zoom"]}
    truths = json.loads(next((first / "ground_truths").glob("*.json")).read_text())
    assert {r["video_uid"]: r["answers"][MOTIONS] for r in truths} == {
        v: json.loads(value) for v, value in CONSENSUS.items()
    }
    assert sync_from_folder(first, quiet=True).change_count == 0
    second = tmp_path / "second"
    export_workspace(second, quiet=True)
    assert snapshot(second) == snapshot(first)


@pytest.mark.django_db(transaction=True)  # flush empties the database, which PostgreSQL refuses mid-transaction
def test_the_export_syncs_into_an_empty_database_to_the_same_state(tmp_path):
    sync_from_folder(workspace(tmp_path / "in"), quiet=True)
    first = tmp_path / "first"
    export_workspace(first, quiet=True)
    call_command("flush", "--no-input", verbosity=0)
    sync_from_folder(first, quiet=True)
    second = tmp_path / "second"
    export_workspace(second, quiet=True)
    assert snapshot(second) == snapshot(first)
