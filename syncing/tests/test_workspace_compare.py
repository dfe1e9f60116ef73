"""Comparing and merging workspace folders (WS-CMP-1, WS-CMP-2), on the shared sample workspace.

Compare and merge read only files, so only the tests that sync or export touch the database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotation.models import Answer
from catalog.models import User, Video
from syncing.export import SUBFOLDERS, TOP_FILES, export_workspace
from syncing.helpers import sync_from_folder
from syncing.workspace_compare import (
    FILE_TYPES,
    WorkspaceCompareError,
    compare_schemas,
    compare_users,
    compare_videos,
    compare_workspace,
    load_records,
    merge_workspace,
    same_json,
)

SAMPLE_COUNTS = {
    "videos": 4,
    "users": 3,
    "question_groups": 3,
    "schemas": 2,
    "projects": 3,
    "project_groups": 2,
    "assignments": 3,
    "annotations": 10,
    "ground_truths": 8,
}
SAMPLE_TOTAL = sum(SAMPLE_COUNTS.values())
NEW_ANNOTATION = {
    "question_group_title": "NSFW",
    "project_name": "Human Test 0",
    "user_name": "Robot 1",
    "video_uid": "human.mp4",
    "answers": {"Is the video not safe for work?": "No"},
    "confidence_scores": {"Is the video not safe for work?": 0.9},
    "is_ground_truth": False,
}
NEW_URL = "https://example.org/moved/human.mp4"


def copy_workspace(source: Path, target: Path) -> Path:
    """A writable copy (the shared sample is read-only, and copytree would keep its modes)."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def edited(sample_workspace, tmp_path) -> Path:
    """The sample with human.mp4's url changed, user "Admin 1" deleted and one annotation added."""
    folder = copy_workspace(sample_workspace, tmp_path / "edited")
    videos = read(folder / "videos.json")
    next(v for v in videos if v["video_uid"] == "human.mp4")["url"] = NEW_URL
    write(folder / "videos.json", videos)
    write(folder / "users.json", [u for u in read(folder / "users.json") if u["user_id"] != "Admin 1"])
    write(folder / "annotations" / "nfsw.json", [*read(folder / "annotations" / "nfsw.json"), NEW_ANNOTATION])
    return folder


def sample_records(sample_workspace, name):
    return load_records(sample_workspace, FILE_TYPES[name])


# --------------------------------------------------------------------------- WS-CMP-1: compare


def test_ws_cmp_1_file_types_cover_the_export_layout():
    locations = {t.location for t in FILE_TYPES.values()}
    assert locations == {*TOP_FILES, *(f"{name}/" for name in SUBFOLDERS)}


def test_ws_cmp_1_sample_workspace_equals_itself(sample_workspace, tmp_path):
    assert compare_workspace(sample_workspace, sample_workspace, tmp_path / "diff") is True
    assert sorted(p.name for p in (tmp_path / "diff").iterdir()) == sorted(f"diff_{n}.json" for n in FILE_TYPES)
    for name, count in SAMPLE_COUNTS.items():
        diff = read(tmp_path / "diff" / f"diff_{name}.json")
        assert len(diff["identical"]) == count
        assert diff["folder1_only"] == diff["folder2_only"] == diff["different"] == []
        assert diff["summary"] == {"folder1_count": count, "folder2_count": count, "differences_found": 0}


def test_ws_cmp_1_edited_copy_reports_each_difference(sample_workspace, edited, tmp_path):
    out = tmp_path / "diff"
    assert compare_workspace(sample_workspace, edited, out) is False

    videos = read(out / "diff_videos.json")
    assert videos["identical"] == ["human2.mp4", "human3.mp4", "pizza.mp4"]
    assert videos["folder1_only"] == videos["folder2_only"] == []
    [change] = videos["different"]
    assert change["key"] == "human.mp4"
    assert change["folder2"]["url"] == NEW_URL and change["folder1"]["url"] != NEW_URL
    assert videos["summary"] == {"folder1_count": 4, "folder2_count": 4, "differences_found": 1}

    users = read(out / "diff_users.json")
    assert users["identical"] == ["Robot 1", "User 1"]
    assert [u["user_id"] for u in users["folder1_only"]] == ["Admin 1"]
    assert users["folder2_only"] == users["different"] == []
    assert users["summary"] == {"folder1_count": 3, "folder2_count": 2, "differences_found": 1}

    annotations = read(out / "diff_annotations.json")
    assert len(annotations["identical"]) == 10
    assert annotations["identical"][0] == {
        "project_name": "Human Test 0",
        "video_uid": "human.mp4",
        "question_group_title": "Human",
        "user_name": "Robot 1",
    }
    assert annotations["folder1_only"] == annotations["different"] == []
    assert annotations["folder2_only"] == [NEW_ANNOTATION]
    assert annotations["summary"] == {"folder1_count": 10, "folder2_count": 11, "differences_found": 1}

    for name in FILE_TYPES.keys() - {"videos", "users", "annotations"}:
        assert read(out / f"diff_{name}.json")["summary"]["differences_found"] == 0, name


def test_ws_cmp_1_per_type_variants_compare_one_type(sample_workspace, edited, tmp_path):
    assert compare_videos(sample_workspace, edited) is False
    assert compare_schemas(sample_workspace, edited) is True
    assert compare_users(sample_workspace, edited, tmp_path / "diff") is False
    assert [p.name for p in (tmp_path / "diff").iterdir()] == ["diff_users.json"]


def test_ws_cmp_1_a_missing_file_counts_as_empty(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "partial")
    (folder / "videos.json").unlink()
    for path in (folder / "annotations").iterdir():
        path.unlink()
    (folder / "annotations").rmdir()
    assert compare_workspace(sample_workspace, folder, tmp_path / "diff") is False
    videos = read(tmp_path / "diff" / "diff_videos.json")
    assert [v["video_uid"] for v in videos["folder1_only"]] == ["human.mp4", "human2.mp4", "human3.mp4", "pizza.mp4"]
    assert videos["summary"] == {"folder1_count": 4, "folder2_count": 0, "differences_found": 4}
    assert read(tmp_path / "diff" / "diff_annotations.json")["summary"]["folder2_count"] == 0
    assert compare_workspace(folder, folder) is True


def test_ws_cmp_1_records_compare_as_parsed_json(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "reordered")
    videos = read(folder / "videos.json")
    write(folder / "videos.json", [dict(reversed(v.items())) for v in reversed(videos)])
    assert compare_videos(sample_workspace, folder) is True
    assert same_json({"a": 1, "b": [1.0, None]}, {"b": [1, None], "a": 1})
    assert not same_json({"is_active": True}, {"is_active": 1})
    assert not same_json(["1"], [1])


def test_ws_cmp_1_invalid_json_is_an_error_naming_the_file(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "broken")
    (folder / "videos.json").write_text('[{"video_uid": "a.mp4",]', encoding="utf-8")
    with pytest.raises(WorkspaceCompareError, match=r"broken/videos\.json: invalid JSON at line 1"):
        compare_workspace(sample_workspace, folder)


def test_ws_cmp_1_a_repeated_json_object_key_is_an_error(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "broken")
    (folder / "question_groups" / "nsfw.json").write_text('{"title": "NSFW", "title": "Other"}', encoding="utf-8")
    with pytest.raises(WorkspaceCompareError, match=r'question_groups/nsfw\.json: invalid JSON: duplicate key "title"'):
        compare_workspace(sample_workspace, folder)


def test_ws_cmp_1_a_top_file_must_hold_a_list(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "broken")
    write(folder / "users.json", {"user_id": "User 1"})
    with pytest.raises(WorkspaceCompareError, match=r"users\.json: expected a JSON list of records, got an object"):
        compare_users(sample_workspace, folder)


def test_ws_cmp_1_a_record_key_seen_twice_is_an_error_naming_both_places(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "twice")
    write(folder / "annotations" / "zz_extra.json", [read(folder / "annotations" / "pizzas.json")[1]])
    with pytest.raises(WorkspaceCompareError) as caught:
        compare_workspace(sample_workspace, folder)
    message = str(caught.value)
    assert "annotations/pizzas.json[1] and " in message and "annotations/zz_extra.json[0]" in message
    assert '"video_uid": "pizza.mp4"' in message


def test_ws_cmp_1_a_record_without_its_key_field_is_an_error(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "keyless")
    assignments = read(folder / "assignments.json")
    del assignments[2]["role"]
    write(folder / "assignments.json", assignments)
    with pytest.raises(WorkspaceCompareError, match=r'assignments\.json\[2\]: missing key field "role"'):
        compare_workspace(folder, sample_workspace)


def test_ws_cmp_1_a_missing_folder_is_an_error(sample_workspace, tmp_path):
    with pytest.raises(WorkspaceCompareError, match="is not a folder"):
        compare_workspace(sample_workspace, tmp_path / "nowhere")


# --------------------------------------------------------------------------- WS-CMP-2: merge


@pytest.mark.parametrize(("prefer", "url_from"), [("first", "sample"), ("second", "edited")])
def test_ws_cmp_2_the_preferred_folder_wins_a_conflict(sample_workspace, edited, tmp_path, prefer, url_from):
    out = tmp_path / "merged"
    counts = merge_workspace(sample_workspace, edited, out, prefer=prefer)
    assert counts == {
        "merged_count": SAMPLE_TOTAL + 1,  # the added annotation; the deleted user stays, from the sample
        "folder1_count": SAMPLE_TOTAL,
        "folder2_count": SAMPLE_TOTAL - 1 + 1,
        "conflicts_resolved": 1,  # human.mp4's url
    }
    expected_url = read((sample_workspace if url_from == "sample" else edited) / "videos.json")[0]["url"]
    assert next(v for v in read(out / "videos.json") if v["video_uid"] == "human.mp4")["url"] == expected_url
    assert [u["user_id"] for u in read(out / "users.json")] == ["Admin 1", "Robot 1", "User 1"]
    assert NEW_ANNOTATION in read(out / "annotations" / "human_test_0.json")


def test_ws_cmp_2_never_two_ground_truths_for_one_project_video_group(sample_workspace, tmp_path):
    other = copy_workspace(sample_workspace, tmp_path / "other")
    truths = read(other / "ground_truths" / "humans.json")
    truths[0]["user_name"] = "User 1"
    truths[0]["answers"]["Number of people?"] = "2"
    write(other / "ground_truths" / "humans.json", truths)
    for prefer, reviewer in (("first", "Admin 1"), ("second", "User 1")):
        out = tmp_path / f"merged_{prefer}"
        assert merge_workspace(sample_workspace, other, out, prefer=prefer)["conflicts_resolved"] == 1
        merged = [r for path in sorted((out / "ground_truths").iterdir()) for r in read(path)]
        keys = [(r["project_name"], r["video_uid"], r["question_group_title"]) for r in merged]
        assert len(keys) == len(set(keys)) == SAMPLE_COUNTS["ground_truths"]
        [first] = [r for r in merged if r["video_uid"] == "human.mp4" and r["question_group_title"] == "Human"]
        assert first["user_name"] == reviewer


def test_ws_cmp_2_writes_the_export_layout(sample_workspace, tmp_path):
    out = tmp_path / "merged"
    merge_workspace(sample_workspace, sample_workspace, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([*TOP_FILES, *SUBFOLDERS, "verify.py"])
    assert sorted(p.name for p in (out / "question_groups").iterdir()) == ["human.json", "nsfw.json", "pizza.json"]
    assert sorted(p.name for p in (out / "annotations").iterdir()) == ["human_test_0.json", "pizza_test_0.json"]
    assert sorted(p.name for p in (out / "ground_truths").iterdir()) == ["human_test_0.json", "pizza_test_0.json"]
    assert [v["video_uid"] for v in read(out / "videos.json")] == ["human.mp4", "human2.mp4", "human3.mp4", "pizza.mp4"]
    assert [p["project_name"] for p in read(out / "projects.json")] == ["Human Test 0", "Human Test 1", "Pizza Test 0"]
    # Like the exporter: by video position in the project, then group order in the schema, then user.
    order = [
        (r["video_uid"], r["question_group_title"], r["user_name"]) for r in read(out / "annotations/human_test_0.json")
    ]
    assert order == [
        ("human.mp4", "Human", "Robot 1"),
        ("human.mp4", "Human", "User 1"),
        ("human.mp4", "NSFW", "User 1"),
        ("pizza.mp4", "Human", "Robot 1"),
        ("pizza.mp4", "Human", "User 1"),
        ("pizza.mp4", "NSFW", "User 1"),
    ]
    text = (out / "videos.json").read_text(encoding="utf-8")
    assert text.startswith('[\n  {\n    "video_uid": "human.mp4"') and text.endswith("}\n]\n")
    assert (out / "verify.py").read_bytes() == (sample_workspace / "verify.py").read_bytes()
    assert compare_workspace(sample_workspace, out) is True


def test_ws_cmp_2_merging_twice_is_byte_identical(sample_workspace, edited, tmp_path):
    merge_workspace(sample_workspace, edited, tmp_path / "one", prefer="second")
    merge_workspace(sample_workspace, edited, tmp_path / "two", prefer="second")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_ws_cmp_2_a_missing_file_counts_as_empty(sample_workspace, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    counts = merge_workspace(empty, sample_workspace, tmp_path / "merged")
    assert counts == {
        "merged_count": SAMPLE_TOTAL,
        "folder1_count": 0,
        "folder2_count": SAMPLE_TOTAL,
        "conflicts_resolved": 0,
    }
    assert compare_workspace(sample_workspace, tmp_path / "merged") is True


def test_ws_cmp_2_unreadable_json_is_an_error_and_nothing_is_written(sample_workspace, tmp_path):
    folder = copy_workspace(sample_workspace, tmp_path / "broken")
    (folder / "ground_truths" / "pizzas.json").write_text("[", encoding="utf-8")
    with pytest.raises(WorkspaceCompareError, match=r"ground_truths/pizzas\.json: invalid JSON"):
        merge_workspace(sample_workspace, folder, tmp_path / "merged")
    assert not (tmp_path / "merged").exists()


def test_ws_cmp_2_refuses_a_non_empty_out_folder(sample_workspace, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("keep me")
    with pytest.raises(WorkspaceCompareError, match="not empty"):
        merge_workspace(sample_workspace, sample_workspace, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_ws_cmp_2_prefer_must_be_first_or_second(sample_workspace, tmp_path):
    with pytest.raises(WorkspaceCompareError, match="prefer"):
        merge_workspace(sample_workspace, sample_workspace, tmp_path / "out", prefer="newest")


def test_ws_cmp_2_copies_the_preferred_verify_py_else_the_other(sample_workspace, tmp_path):
    other = copy_workspace(sample_workspace, tmp_path / "other")
    (other / "verify.py").write_text("def check_other(answers):\n    pass\n", encoding="utf-8")
    merge_workspace(sample_workspace, other, tmp_path / "first", prefer="first")
    assert (tmp_path / "first" / "verify.py").read_bytes() == (sample_workspace / "verify.py").read_bytes()
    merge_workspace(sample_workspace, other, tmp_path / "second", prefer="second")
    assert (tmp_path / "second" / "verify.py").read_bytes() == (other / "verify.py").read_bytes()
    (other / "verify.py").unlink()
    merge_workspace(other, sample_workspace, tmp_path / "fallback", prefer="first")
    assert (tmp_path / "fallback" / "verify.py").read_bytes() == (sample_workspace / "verify.py").read_bytes()


@pytest.mark.django_db
def test_ws_cmp_2_the_merged_sample_syncs_into_an_empty_database(sample_workspace, edited, tmp_path):
    out = tmp_path / "merged"
    merge_workspace(sample_workspace, edited, out, prefer="second")
    sync_from_folder(out, quiet=True)
    assert Video.objects.get(video_uid="human.mp4").url == NEW_URL
    assert User.objects.filter(user_id="Admin 1").exists()
    assert Answer.objects.filter(user__user_id="Robot 1", question__text="Is the video not safe for work?").exists()
    assert sync_from_folder(out, quiet=True).change_count == 0


@pytest.mark.django_db
def test_ws_cmp_2_merging_an_export_with_itself_reproduces_it(sample_workspace, tmp_path):
    sync_from_folder(sample_workspace, quiet=True)
    export_workspace(tmp_path / "export", quiet=True)
    merge_workspace(tmp_path / "export", tmp_path / "export", tmp_path / "merged")
    assert snapshot(tmp_path / "merged") == snapshot(tmp_path / "export")


# --------------------------------------------------------------------------- the commands


def test_ws_cmp_1_command_prints_a_summary_and_exits_0_when_identical(sample_workspace, capsys):
    call_command("compare_workspaces", str(sample_workspace), str(sample_workspace))
    out = capsys.readouterr().out
    assert "type" in out and "only in A" in out
    assert out.splitlines()[1].split() == ["videos", "4", "4", "4", "0", "0", "0"]
    assert "The workspaces are identical." in out


def test_ws_cmp_1_command_exits_1_when_the_workspaces_differ(sample_workspace, edited, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("compare_workspaces", str(sample_workspace), str(edited), "--output", str(tmp_path / "diff"))
    assert exited.value.code == 1
    lines = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines() if line}
    assert lines["videos"] == ["4", "4", "3", "0", "0", "1"]
    assert lines["users"] == ["3", "2", "2", "1", "0", "0"]
    assert lines["annotations"] == ["10", "11", "10", "0", "1", "0"]
    assert (tmp_path / "diff" / "diff_videos.json").is_file()


def test_ws_cmp_1_command_bad_input_is_a_command_error(sample_workspace, tmp_path):
    with pytest.raises(CommandError, match="is not a folder") as caught:
        call_command("compare_workspaces", str(sample_workspace), str(tmp_path / "nowhere"))
    assert caught.value.returncode == 2


def test_ws_cmp_2_command_prints_the_counts_and_the_verify_py_copy(sample_workspace, edited, tmp_path, capsys):
    out = tmp_path / "merged"
    call_command("merge_workspaces", str(sample_workspace), str(edited), "--out", str(out), "--prefer", "second")
    text = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[1:] if line}
    assert rows["videos"] == ["4", "4", "4", "1"]
    assert rows["users"] == ["3", "2", "3", "0"]
    assert rows["total"] == [str(SAMPLE_TOTAL), str(SAMPLE_TOTAL), str(SAMPLE_TOTAL + 1), "1"]
    assert f"Copied verify.py from {edited / 'verify.py'}" in text
    assert json.loads((out / "videos.json").read_text())[0]["url"] == NEW_URL


def test_ws_cmp_2_command_refuses_a_non_empty_out_folder(sample_workspace, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "videos.json").write_text("[]\n")
    with pytest.raises(CommandError, match="not empty"):
        call_command("merge_workspaces", str(sample_workspace), str(sample_workspace), "--out", str(tmp_path / "out"))
