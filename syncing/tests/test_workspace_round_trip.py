"""Whole folders: the shared sample and the demo sync, re-sync unchanged, dry-run, and round-trip
through export (SYNC-FOLDER, SYNC-GEN-12, SYNC-OUT-1, WS-EXP-4/5)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from annotation.models import Answer, GroundTruth
from catalog.models import Assignment, CustomDisplay, Project, User, Video
from catalog.tests.factories import (
    CustomDisplayFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from syncing.export import ExportError, export_workspace, slug, unique_slugs
from syncing.helpers import sync_from_folder

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "example"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counts():
    return (Video.objects.count(), User.objects.count(), Answer.objects.count(), GroundTruth.objects.count())


def test_sync_folder_sample_workspace_syncs_resyncs_and_dry_runs(sample_workspace):
    plan = sync_from_folder(sample_workspace, dry_run=True, quiet=True)
    assert counts() == (0, 0, 0, 0)
    report = sync_from_folder(sample_workspace, quiet=True)
    assert plan.body_lines() == report.body_lines()
    assert Video.objects.count() == 4 and Answer.objects.exists() and GroundTruth.objects.exists()
    again = sync_from_folder(sample_workspace, quiet=True)
    assert again.change_count == 0
    assert "Workspace already in config" in str(again)


@pytest.mark.django_db(transaction=True)  # flush empties the database, which PostgreSQL refuses mid-transaction
@pytest.mark.parametrize("folder", [DEMO, "sample"], ids=["demo", "sample"])
def test_ws_exp_5_round_trip_is_byte_identical(folder, sample_workspace, tmp_path):
    folder = sample_workspace if folder == "sample" else folder
    sync_from_folder(folder, quiet=True)
    first = tmp_path / "first"
    export_workspace(first, quiet=True)
    # Syncing the export back into the same database changes nothing (WS-EXP-5.3).
    assert sync_from_folder(first, quiet=True).change_count == 0
    # An empty database gets the same state: export again is byte-identical (WS-EXP-5.1/5.2).
    call_command("flush", "--no-input", verbosity=0)
    assert counts() == (0, 0, 0, 0)
    sync_from_folder(first, quiet=True)
    second = tmp_path / "second"
    export_workspace(second, quiet=True)
    assert snapshot(first) == snapshot(second)


def test_ws_exp_2_no_plaintext_password_is_written(tmp_path):
    sync_from_folder(DEMO, quiet=True)
    export_workspace(tmp_path / "out", quiet=True)
    text = (tmp_path / "out" / "users.json").read_text()
    assert "admin111" not in text and "user111" not in text
    # The stored hashes (sync hashes plaintext with the default hasher, issue 16.5), never the plaintext.
    stored = dict(User.objects.values_list("user_id", "password"))
    exported = [u for u in json.loads(text) if u["password"]]
    assert exported and all(u["password"] == stored[u["user_id"]] for u in exported)


def test_ws_exp_1_non_empty_folder_needs_force(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not empty"):
        export_workspace(tmp_path, quiet=True)
    export_workspace(tmp_path, force=True, quiet=True)
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "videos.json").read_text() == "[]\n"
    assert (tmp_path / "annotations").is_dir()


def test_ws_exp_3_slugs():
    assert slug("Human Test 0") == "human_test_0"
    assert unique_slugs(["A b", "a-b", "a_b"]) == {"A b": "a_b", "a-b": "a_b_2", "a_b": "a_b_3"}


def test_sync_folder_5_demo_has_training_and_annotation_projects():
    sync_from_folder(DEMO, quiet=True)
    complete = {
        p.name
        for p in Project.objects.all()
        if Assignment.objects.filter(project=p, role="reviewer", is_active=True, completed_at__isnull=False).exists()
    }
    assert complete == {"Human Test 0"}
    assert Video.objects.filter(url__startswith="/static/demo/").count() == 5
    for video in Video.objects.all():
        assert (ROOT / video.url.lstrip("/").replace("static/", "static/", 1)).is_file()


def test_issue16_3_json_field_keys_export_in_a_stable_order_whatever_order_the_database_returns(tmp_path):
    """PostgreSQL's jsonb returns object keys in its own order, SQLite in the order written: same bytes anyway."""
    question = SingleQuestionFactory(text="Tasty?", options=["yes", "no", "maybe"], display_values=["Y", "N", "M"])
    schema = SchemaFactory(groups=[QuestionGroupFactory(title="Taste", questions=[question])])
    video = VideoFactory(video_uid="soup.mp4", metadata={"zeta": 1, "alpha": {"b": [{"y": 1, "x": 2}], "a": None}})
    project = ProjectFactory(name="Soups", schema=schema, videos=[video])
    display = CustomDisplayFactory(
        project=project, video=video, question=question, custom_option_display_map={"maybe": "?", "no": "-", "yes": "+"}
    )
    export_workspace(tmp_path / "first", quiet=True)

    # The same data, keys in the other order (what a SQLite -> PostgreSQL restore does to the reading order).
    Video.objects.filter(pk=video.pk).update(metadata={"alpha": {"a": None, "b": [{"x": 2, "y": 1}]}, "zeta": 1})
    CustomDisplay.objects.filter(pk=display.pk).update(custom_option_display_map={"yes": "+", "maybe": "?", "no": "-"})
    export_workspace(tmp_path / "second", quiet=True)

    assert snapshot(tmp_path / "first") == snapshot(tmp_path / "second")
    videos = (tmp_path / "first" / "videos.json").read_text()
    assert videos.index('"alpha"') < videos.index('"zeta"') and videos.index('"x"') < videos.index('"y"')
    projects = (tmp_path / "first" / "projects.json").read_text()
    assert projects.index('"yes"') < projects.index('"no"') < projects.index('"maybe"')  # the question's order
