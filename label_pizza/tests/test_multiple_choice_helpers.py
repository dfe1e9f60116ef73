"""The original's helper modules on a workspace with a multiple-choice question (issue 15): its sync,
export, compare and merge functions take the lists as this project's own commands do."""

import json

import pytest

from annotation.models import Answer
from catalog.models import Question
from syncing.helpers import sync_from_folder
from syncing.tests.camera_workspace import MOTIONS, annotations, camera_group, daytime, motions, workspace

pytestmark = pytest.mark.django_db


def test_sync_export_compare_and_merge_helpers_take_multiple_choice_lists(tmp_path, capsys):
    from label_pizza.compare_utils import compare_annotations, compare_question_groups
    from label_pizza.export_utils import export_annotations
    from label_pizza.merge_utils import merge_annotations
    from label_pizza.sync_utils import sync_question_groups

    folder = workspace(tmp_path / "ws")
    sync_question_groups(question_groups_folder=str(folder / "question_groups"))
    assert Question.objects.get(text=MOTIONS).default_option == '["pan","zoom"]'  # given as ["zoom", "pan"]
    sync_from_folder(folder, quiet=True)  # the rest of the workspace
    ann = Answer.objects.get(user__user_id="Ann", video__video_uid="a.mp4", question__text=MOTIONS)
    assert ann.value == '["pan","zoom"]'

    export_annotations(output_folder=str(tmp_path / "exported"))
    exported = json.loads((tmp_path / "exported" / "clips.json").read_text())
    assert exported[0]["answers"][MOTIONS] == ["pan", "zoom"]  # written ["zoom", "pan"]: exported in option order

    # A second folder with the same sets in another order: nothing differs, nothing conflicts.
    reordered = annotations()
    reordered[0]["answers"][MOTIONS] = ["pan", "zoom"]
    other = workspace(
        tmp_path / "other",
        group=camera_group(motions(default_options=["pan", "zoom"]), daytime()),
        annotation_records=reordered,
    )
    assert compare_question_groups(str(folder), str(other), output_folder=str(tmp_path / "diffs"))
    assert compare_annotations(str(folder), str(other), output_folder=str(tmp_path / "diffs"))
    report = merge_annotations(str(folder), str(other), str(tmp_path / "merged"))
    assert report["conflicts_resolved"] == 0
    merged = json.loads((tmp_path / "merged" / "annotations" / "clips.json").read_text())
    assert merged[0]["answers"][MOTIONS] == ["pan", "zoom"]  # folder 1 wins, written in option order

    changed = annotations()
    changed[0]["answers"][MOTIONS] = ["tilt"]
    workspace(other, annotation_records=changed)
    assert not compare_annotations(str(folder), str(other))
    assert merge_annotations(str(folder), str(other), str(tmp_path / "merged2"))["conflicts_resolved"] == 1
