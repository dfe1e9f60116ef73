"""The run as a whole: inputs, atomicity, dry run, report, exit codes (SYNC-API, SYNC-GEN, SYNC-OUT)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Video
from syncing import helpers
from syncing.errors import InputError, SyncError
from syncing.helpers import sync_videos
from tests.support.command_line import run_manage_py
from tests.support.databases import connected_to

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

VIDEOS = [
    {"video_uid": "a.mp4", "url": "https://cdn.example.org/a.mp4", "is_active": True, "metadata": {"fps": 30}},
    {"video_uid": "b.mp4", "url": "/media/b.mp4", "is_active": False, "metadata": {}},
]


def test_sync_gen_1_exactly_one_source():
    with pytest.raises(InputError, match="pass exactly one of videos_data, videos_path"):
        sync_videos()
    with pytest.raises(InputError, match="pass exactly one of videos_data, videos_path"):
        sync_videos(videos_data=[], videos_path="x.json")
    assert not Video.objects.exists()


def test_sync_api_4_helpers_are_attributes_of_the_package():
    import syncing

    assert syncing.sync_videos is helpers.sync_videos
    assert issubclass(syncing.SyncError, ValueError)


def test_sync_gen_1_path_source_names_the_file(tmp_path):
    path = tmp_path / "videos.json"
    path.write_text(json.dumps({"video_uid": "a"}))
    with pytest.raises(SyncError) as exc:
        sync_videos(videos_path=str(path), quiet=True)
    assert f"{path}: expected a JSON list of records, got an object" in str(exc.value)


def test_sync_out_1_dry_run_writes_nothing_and_plans_what_a_real_run_reports():
    plan = sync_videos(videos_data=VIDEOS, dry_run=True, quiet=True)
    assert not Video.objects.exists()
    real = sync_videos(videos_data=VIDEOS, quiet=True)
    assert plan.body_lines() == real.body_lines()
    assert str(plan).splitlines()[-1] == "Dry run: 2 changes planned, nothing written."
    assert str(real).splitlines()[-1].startswith("Sync complete: 2 changes written in one transaction")


def test_sync_gen_12_unchanged_resync_writes_nothing():
    sync_videos(videos_data=VIDEOS, quiet=True)
    before = dict(Video.objects.values_list("video_uid", "updated_at"))
    report = sync_videos(videos_data=VIDEOS, quiet=True)
    assert report.counts["videos"]["unchanged"] == 2 and report.change_count == 0
    assert dict(Video.objects.values_list("video_uid", "updated_at")) == before
    assert "everything unchanged, nothing written" in str(report)


def test_sync_out_4_json_shape():
    report = sync_videos(videos_data=VIDEOS, quiet=True)
    data = report.to_dict()
    assert data["ok"] is True and data["dry_run"] is False
    assert data["tables"]["videos"] == {
        "created": 2,
        "updated": 0,
        "archived": 0,
        "unarchived": 0,
        "removed": 0,
        "unchanged": 0,
    }
    assert data["changes"][0] == {"table": "videos", "action": "created", "key": "a.mp4", "fields": []}


def test_sync_err_1_every_error_reported_and_nothing_written():
    bad = [
        {"video_uid": "ok.mp4", "url": "https://x.org/ok.mp4", "is_active": True, "metadata": {}},
        {"video_uid": "bad1", "url": "ftp://x", "is_active": True, "metadata": {}},
        {"video_uid": "bad2", "url": "https://x.org/2", "is_active": "yes", "metadata": {}},
    ]
    with pytest.raises(SyncError) as exc:
        sync_videos(videos_data=bad, quiet=True)
    assert len(exc.value.errors) == 2
    assert not Video.objects.exists()


def test_sync_gen_11_fault_in_the_middle_leaves_the_database_as_it_was(monkeypatch):
    sync_videos(videos_data=VIDEOS[:1], quiet=True)
    from syncing.steps import videos

    original = videos.Step.archive

    def explode(self):
        original(self)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(videos.Step, "archive", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        sync_videos(videos_data=[{**VIDEOS[0], "is_active": False}, VIDEOS[1]], quiet=True)
    assert list(Video.objects.values_list("video_uid", "is_active")) == [("a.mp4", True)]


def test_sync_api_5_command_exit_codes(tmp_path, capsys):
    path = tmp_path / "videos.json"
    path.write_text(json.dumps(VIDEOS))
    call_command("sync_videos", "--path", str(path), "--dry-run")
    assert "Dry run: 2 changes planned" in capsys.readouterr().out
    path.write_text(json.dumps([{**VIDEOS[0], "url": "ftp://x"}]))
    with pytest.raises(SystemExit) as exc:
        call_command("sync_videos", "--path", str(path))
    assert exc.value.code == 1
    assert 'videos.json[0] "a.mp4" .url:' in capsys.readouterr().err


def test_sync_out_8_missing_folder_is_a_usage_error():
    with connected_to("sqlite:///:memory:"):
        result = run_manage_py("sync_folder", "--folder-path", "/nonexistent/folder")
    assert result.returncode == 2, result.stderr
    assert "is not a folder" in result.stderr


def test_sync_api_3_unmigrated_database_raises(tmp_path):
    # init_database() in a fresh script: labelpizza/tests/test_bootstrap.py.
    with connected_to(f"sqlite:///{tmp_path / 'empty.db'}"), pytest.raises(RuntimeError) as raised:
        sync_videos(videos_data=[])
    assert "database is not migrated: run python manage.py migrate (or manage_db --mode init)" in str(raised.value)
