"""Issue 12 point 2: the calls of the original's export/compare/merge guide (export_and_merge_workspace.md)
through `label_pizza.export_utils`, `compare_utils` and `merge_utils`, in its order and with its keyword
arguments, on a fresh database loaded from our small workspace (label_pizza/tests/workspace, which plays the
guide's ./example)."""

import json
import shutil
from pathlib import Path

import pytest

from catalog.models import Video

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "workspace"
TYPES = (
    "videos",
    "users",
    "schemas",
    "projects",
    "project_groups",
    "assignments",
    "question_groups",
    "annotations",
    "ground_truths",
)


@pytest.fixture
def here(dburl, tmp_path, monkeypatch):
    """The guide works in its repository folder with ./example beside it; so do we, in a scratch folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE, tmp_path / "example")
    _hash_passwords(tmp_path / "example" / "users.json")
    from label_pizza.db import init_database
    from syncing.helpers import sync_from_folder  # the guide's `python sync_from_folder.py --folder-path ./example`

    init_database("DBURL")
    sync_from_folder("./example", quiet=True)
    return tmp_path


def _hash_passwords(users_json: Path) -> None:
    """The guide's workspace holds exported users, so hashed passwords, made with whatever hasher is the default
    now: sync refuses hashes weaker than the default, and an export writes them back unchanged."""
    from django.contrib.auth.hashers import make_password

    users = read(users_json)
    for user in users:
        if user["password"]:
            user["password"] = make_password(f"{user['user_id']} password")
    users_json.write_text(json.dumps(users, indent=2) + "\n", encoding="utf-8")


def read(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def test_export_compare_merge_as_the_guide_calls_them(here, capsys):
    from label_pizza.compare_utils import (
        compare_annotations,
        compare_assignments,
        compare_ground_truths,
        compare_project_groups,
        compare_projects,
        compare_question_groups,
        compare_schemas,
        compare_users,
        compare_videos,
        compare_workspace,
    )
    from label_pizza.export_utils import (
        export_annotations,
        export_assignments,
        export_ground_truths,
        export_project_groups,
        export_projects,
        export_question_groups,
        export_schemas,
        export_users,
        export_videos,
        export_workspace,
    )
    from label_pizza.merge_utils import (
        merge_annotations,
        merge_assignments,
        merge_ground_truths,
        merge_project_groups,
        merge_projects,
        merge_question_groups,
        merge_schemas,
        merge_users,
        merge_videos,
        merge_workspace,
    )

    # Export: the whole workspace, then each part again over it (the guide writes into ./workspace each time)
    export_workspace(output_folder="./workspace")
    export_users(output_path="./workspace/users.json")
    export_videos(output_path="./workspace/videos.json")
    export_question_groups(output_folder="./workspace/question_groups")
    export_schemas(output_path="./workspace/schemas.json")
    export_projects(output_path="./workspace/projects.json")
    export_project_groups(output_path="./workspace/project_groups.json")
    export_assignments(output_path="./workspace/assignments.json")
    export_annotations(output_folder="./workspace/annotations")
    export_ground_truths(output_folder="./workspace/ground_truths")
    assert read("workspace/videos.json") == read(EXAMPLE / "videos.json")
    assert sorted(p.name for p in Path("workspace/annotations").iterdir()) == sorted(
        p.name for p in (EXAMPLE / "annotations").iterdir()
    )

    # Compare: the export of what ./example loaded is ./example
    assert compare_workspace(folder1_path="./example", folder2_path="./workspace", output_folder="./diff_reports")
    assert sorted(p.name for p in Path("diff_reports").iterdir()) == sorted(f"diff_{t}.json" for t in TYPES)
    assert read("diff_reports/diff_users.json")["identical"] is True
    compares = [
        compare_videos,
        compare_users,
        compare_schemas,
        compare_projects,
        compare_project_groups,
        compare_assignments,
        compare_question_groups,
        compare_annotations,
        compare_ground_truths,
    ]
    for compare in compares:
        assert compare(folder1_path="./example", folder2_path="./workspace") is True
        assert compare(folder1_path="./example", folder2_path="./workspace", output_folder="./diff_reports") is True

    # The database moves on: a video's metadata changes and a video is added; export again
    from label_pizza.sync_utils import sync_videos

    sync_videos(
        videos_data=[
            {
                "video_uid": "lobby.mp4",
                "url": "https://cdn.example.org/lobby.mp4",
                "is_active": True,
                "metadata": {"n": 1},
            },
            {"video_uid": "yard.mp4", "url": "https://cdn.example.org/yard.mp4", "is_active": True, "metadata": {}},
        ]
    )
    export_workspace(output_folder="./workspace")
    assert compare_videos(folder1_path="./example", folder2_path="./workspace", output_folder="./diff_reports") is False
    diff = read("diff_reports/diff_videos.json")
    assert diff["identical"] is False and diff["identical_keys"] == ["garden.mp4", "lobby2.mp4"]
    assert diff["summary"] == {
        "folder1_count": 3,
        "folder2_count": 4,
        "differences_found": 2,
    }
    assert [v["video_uid"] for v in diff["folder2_only"]] == ["yard.mp4"]
    assert [d["key"] for d in diff["different"]] == ["lobby.mp4"]
    assert compare_workspace(folder1_path="./example", folder2_path="./workspace") is False

    # Merge the whole workspace, folder 1 winning conflicts
    merge_report = merge_workspace(
        folder1_path="./example",
        folder2_path="./workspace",
        output_folder="./merged_workspace",
        use_first_folder_on_conflict=True,
    )
    assert merge_report["summary"] == {
        "total_conflicts_resolved": 1,
        "used_folder1_on_conflict": True,
        "merge_completed": True,
    }
    assert merge_report["videos"] == {
        "merged_count": 4,
        "folder1_count": 3,
        "folder2_count": 4,
        "conflicts_resolved": 1,
        "used_folder1_on_conflict": True,
    }
    merged = {v["video_uid"]: v["metadata"] for v in read("merged_workspace/videos.json")}
    assert merged == {"garden.mp4": {}, "lobby.mp4": {}, "lobby2.mp4": {}, "yard.mp4": {}}

    # Each type again, into the same (now full) folder, as the guide does
    merges = {
        "videos": merge_videos,
        "users": merge_users,
        "schemas": merge_schemas,
        "projects": merge_projects,
        "project_groups": merge_project_groups,
        "assignments": merge_assignments,
        "question_groups": merge_question_groups,
        "annotations": merge_annotations,
        "ground_truths": merge_ground_truths,
    }
    for name, merge in merges.items():
        report = merge(
            folder1_path="./example",
            folder2_path="./workspace",
            output_folder="./merged_workspace",
            use_first_folder_on_conflict=True,
        )
        assert report == merge_report[name], name

    # Folder 2 winning: the database's metadata is kept
    report = merge_workspace("./example", "./workspace", "./merged", use_first_folder_on_conflict=False)
    assert report["summary"]["used_folder1_on_conflict"] is False
    assert {v["video_uid"]: v["metadata"] for v in read("merged/videos.json")}["lobby.mp4"] == {"n": 1}

    # Sync the merged workspace back: the database takes folder 1's metadata again, nothing else changes
    from syncing.helpers import sync_from_folder

    sync_from_folder("./merged_workspace", quiet=True)
    assert Video.objects.get(video_uid="lobby.mp4").metadata == {}
    export_workspace(output_folder="./after")
    assert compare_workspace(folder1_path="./merged_workspace", folder2_path="./after") is True
    assert "Merged" in capsys.readouterr().out


def test_compare_and_merge_need_no_init_database_and_report_bad_input(tmp_path):
    """The guide's compare and merge snippets do not call init_database; bad folders are named."""
    from label_pizza.compare_utils import compare_users
    from label_pizza.merge_utils import merge_users

    assert compare_users(folder1_path=str(EXAMPLE), folder2_path=str(EXAMPLE)) is True
    with pytest.raises(ValueError, match="is not a folder"):
        merge_users(str(EXAMPLE), str(tmp_path / "missing"), str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
