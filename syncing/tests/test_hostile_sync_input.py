"""Hostile sync input (issue 16, point 13): each case is a collected sync error naming the file and the
record, printed without raw control characters, never a traceback or a silent exit. The demo workspace
(fixtures/example) is copied and one file is spoilt per test; nothing is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from annotation.models import Answer
from catalog.models import User, Video
from syncing.errors import SyncError
from syncing.helpers import sync_from_folder

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.fixture
def ws(tmp_path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))  # ensure_ascii: NUL and surrogates are written as \\u escapes


def failure(folder: Path) -> str:
    with pytest.raises(SyncError) as exc:
        sync_from_folder(folder, quiet=True)
    text = str(exc.value)
    text.encode("utf-8")  # printable: no lone surrogate left to crash the terminal
    assert "\x1b" not in text and "\x00" not in text
    return text


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("\ud800", "\\ud800"),  # a lone surrogate
        ("a\x00b", "\\u0000"),  # NUL
        ("evil\x1b[2J\x1b[31m", "\\u001b"),  # a terminal escape that would clear the screen
        ("tab\there", "\\u0009"),  # a control character
    ],
)
def test_issue_16_13_keys_with_control_characters_or_surrogates_are_errors(ws, bad, shown):
    def spoil(users):
        users[1]["user_id"] = bad

    edit(ws / "users.json", spoil)
    text = failure(ws)
    assert "users.json[1] .user_id: " in text and "must not contain control characters or lone surrogates" in text
    assert shown in text
    assert not User.objects.exists()


def test_issue_16_13_a_video_uid_with_an_escape_names_file_and_record(ws):
    def spoil(videos):
        videos[2]["video_uid"] = "x\x1b]0;owned\x07.mp4"

    edit(ws / "videos.json", spoil)
    text = failure(ws)
    assert "videos.json[2] .video_uid:" in text and "\\u001b" in text and "\\u0007" in text
    assert not Video.objects.exists()


def test_issue_16_13_nul_or_surrogate_in_any_text_is_an_error_on_its_record(ws):
    def spoil(records):
        records[1]["answers"]["Is the video not safe for work?"] = "No\x00"
        records[2]["answers"]["If there are people, describe them."] = "\udc80"

    edit(ws / "annotations" / "human_projects.json", spoil)
    text = failure(ws)
    assert 'human_projects.json[1] .answers["Is the video not safe for work?"]: holds a NUL character' in text
    assert 'human_projects.json[2] .answers["If there are people, describe them."]: holds a NUL' in text
    assert not Answer.objects.exists()


def test_issue_16_13_json_nested_1000_deep_is_an_error_naming_the_file(ws):
    (ws / "videos.json").write_text("[" * 1000 + "]" * 1000)
    text = failure(ws)
    assert "videos.json: invalid JSON: nested too deeply" in text


def test_issue_16_13_a_verify_py_that_calls_sys_exit_is_a_collected_error(ws):
    verify = ws / "verify.py"
    verify.write_text(verify.read_text().replace('"""A description of the people', 'raise SystemExit(3)\n    """'))
    text = failure(ws)
    # The function is called on each Human record: each is an error naming file, record and field.
    assert "human_projects.json[0]" in text and ".answers: verification function check_human_description" in text
    assert "SystemExit: 3" in text
    verify.write_text("import sys\nsys.exit('leaving')\n")
    text = failure(ws)
    assert "verify.py: cannot import: SystemExit: leaving" in text


def test_issue_16_13_the_command_prints_escaped_errors_and_exits_1(ws, capsys):
    def spoil(users):
        users[1]["user_id"] = "\ud800\x1b[2J"

    edit(ws / "users.json", spoil)
    for extra in ([], ["--json"]):
        with pytest.raises(SystemExit) as exc:
            call_command("sync_folder", "--folder-path", str(ws), *extra)
        assert exc.value.code == 1
        out, err = capsys.readouterr()
        assert "users.json[1] .user_id" in err and "\\ud800\\u001b[2J" in err
        assert "\x1b" not in out + err


def test_issue_16_13_description_answers_over_10000_characters_are_refused(ws):
    def spoil(records):
        records[0]["answers"]["If there are people, describe them."] = "x" * 10_001

    edit(ws / "annotations" / "human_projects.json", spoil)
    text = failure(ws)
    assert 'human_projects.json[0] "Human Test 0 / human.mp4 / Human / User 1" .answers["If there are' in text
    assert 'describe them."]: is 10,001 characters long; at most 10,000 allowed' in text
