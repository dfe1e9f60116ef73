"""Multiple-choice questions through sync, export and compare/merge (issue 15, point 1; SYNC-QG, SYNC-ANN,
SYNC-GT, SYNC-CD, WS-EXP-5, WS-CMP-1/2).

The workspace is written by each test (syncing/tests/camera_workspace.py): a "Camera" group with a
multiple-choice question (pan, tilt, zoom) and a single-choice one, on two clips, answered by an annotator and
a model user, with ground truth by a reviewer and one admin override. In JSON an answer to the multiple
question is a list; stored, it is one canonical text (the list in option order), so the same set in another
order is the same answer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotation.models import Answer, GroundTruth
from catalog.models import CustomDisplay, Question
from syncing.errors import SyncError
from syncing.export import export_workspace
from syncing.hard_delete import hard_delete
from syncing.helpers import sync_annotations, sync_from_folder, sync_ground_truths, sync_question_groups
from syncing.rename import rename
from syncing.steps import annotations as annotations_step
from syncing.steps.fast_path import split_fast_records
from syncing.tests.camera_workspace import (
    ANN_KEY,
    DAYTIME,
    GT_KEY,
    MOTIONS,
    annotation,
    annotations,
    camera_group,
    daytime,
    ground_truth,
    ground_truths,
    motions,
    workspace,
    write,
)
from syncing.workspace_compare import compare_workspace, diff_workspace, merge_folders

pytestmark = pytest.mark.django_db


def stored(model, user=None, video="a.mp4", question=MOTIONS, field="value"):
    rows = model.objects.filter(video__video_uid=video, question__text=question)
    if user is not None:
        rows = rows.filter(user__user_id=user)
    return rows.values_list(field, flat=True).get()


def error_lines(call) -> list[str]:
    with pytest.raises(SyncError) as excinfo:
        call()
    return str(excinfo.value).splitlines()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- sync


def test_a_multiple_choice_workspace_syncs_every_list_in_its_stored_form(tmp_path):
    sync_from_folder(workspace(tmp_path / "ws"), quiet=True)

    question = Question.objects.get(text=MOTIONS)
    assert (question.qtype, question.options, question.option_weights) == (
        "multiple",
        ["pan", "tilt", "zoom"],
        [1, 2, 1],
    )
    assert question.default_option == '["pan","zoom"]'  # given as ["zoom", "pan"]: stored in option order
    assert stored(Answer, "Ann") == '["pan","zoom"]'
    assert stored(Answer, "Bot") == "[]"  # "none of these" is an answer
    assert stored(Answer, "Bot", field="confidence_score") == 0.8
    assert stored(Answer, "Ann", video="b.mp4") == '["tilt"]'
    assert stored(Answer, "Ann", question=DAYTIME) == "yes"
    assert stored(GroundTruth) == '["pan","zoom"]'
    overridden = GroundTruth.objects.get(video__video_uid="b.mp4", question__text=MOTIONS)
    assert (overridden.value, overridden.reviewer_value, overridden.overridden_by.user_id) == (
        '["tilt","zoom"]',
        '["tilt"]',
        "Admin 1",
    )
    display = CustomDisplay.objects.get(question=question)  # per-video option labels, as for single choice
    assert display.custom_option_display_map == {"pan": "Pans", "tilt": "Tilts", "zoom": "Zooms"}


def test_a_re_sync_with_the_same_sets_in_another_order_changes_nothing(tmp_path):
    folder = workspace(tmp_path / "ws")
    sync_from_folder(folder, quiet=True)
    reordered = annotations()
    reordered[0]["answers"][MOTIONS] = ["pan", "zoom"]
    truths = ground_truths()
    truths[0]["answers"][MOTIONS] = ["pan", "zoom"]
    truths[1]["answers"][MOTIONS] = ["zoom", "tilt"]
    workspace(
        folder,
        group=camera_group(motions(default_options=["pan", "zoom"]), daytime()),
        annotation_records=reordered,
        gt_records=truths,
    )
    report = sync_from_folder(folder, quiet=True)
    assert report.change_count == 0, str(report)


def test_a_changed_set_updates_the_answer_and_the_ground_truth(tmp_path):
    folder = workspace(tmp_path / "ws")
    sync_from_folder(folder, quiet=True)
    report = sync_annotations(annotations_data=[annotation(chosen=("tilt", "pan", "zoom"))], quiet=True)
    assert [(c.action, c.key, c.fields) for c in report.changes if c.table == "annotations"] == [
        ("updated", ANN_KEY, [f'answers["{MOTIONS}"]'])
    ]
    assert stored(Answer, "Ann") == '["pan","tilt","zoom"]'
    sync_ground_truths(ground_truths_data=[ground_truth(chosen=[])], quiet=True)
    assert stored(GroundTruth) == "[]"


FAST_PATH_VARIANTS = {
    "as given": lambda ann: None,
    "another order": lambda ann: ann[0]["answers"].update({MOTIONS: ["pan", "zoom"]}),
    "none of these": lambda ann: ann[0]["answers"].update({MOTIONS: []}),
    "an unknown option": lambda ann: ann[0]["answers"].update({MOTIONS: ["pan", "roll"]}),
    "an option twice": lambda ann: ann[0]["answers"].update({MOTIONS: ["pan", "pan"]}),
    "a string for the list": lambda ann: ann[0]["answers"].update({MOTIONS: '["pan"]'}),
    "a list for the single choice": lambda ann: ann[0]["answers"].update({DAYTIME: ["yes"]}),
    "a number in the list": lambda ann: ann[0]["answers"].update({MOTIONS: [1]}),
}


@pytest.mark.parametrize("variant", FAST_PATH_VARIANTS)
def test_the_fast_path_takes_list_answers_and_agrees_with_the_full_checks(variant, tmp_path, monkeypatch):
    """The fast path converts list answers itself and leaves every doubtful record to the full checks."""
    folder = workspace(tmp_path / "ws", annotation_records=[], gt_records=[])
    sync_from_folder(folder, quiet=True)
    records = annotations()
    FAST_PATH_VARIANTS[variant](records)
    write(folder, "annotations/clips.json", records)

    def outcome() -> list[str]:
        try:
            return sync_from_folder(folder, dry_run=True, quiet=True).body_lines()
        except SyncError as error:
            return str(error).splitlines()

    taken = []

    def counted(step):
        fast, slow = split_fast_records(step)
        taken.append(len(fast))
        return fast, slow

    def full_checks_only(step):
        split_fast_records(step)  # loads the references, as always
        return [], step.entries

    monkeypatch.setattr(annotations_step, "split_fast_records", counted)
    with_fast_path = outcome()
    assert sum(taken) >= 2  # the other records, lists and all, took the fast path
    monkeypatch.setattr(annotations_step, "split_fast_records", full_checks_only)
    assert with_fast_path == outcome()
    valid = variant in ("as given", "another order", "none of these")
    assert with_fast_path[0].startswith("Sync failed") != valid, with_fast_path


# --------------------------------------------------------------------------- errors


def test_answers_of_the_wrong_shape_or_with_unknown_options_are_refused_naming_the_field(tmp_path):
    sync_from_folder(workspace(tmp_path / "ws", annotation_records=[], gt_records=[]), quiet=True)
    src, field = "<annotations_data>[0]", f'.answers["{MOTIONS}"]'
    cases = [
        ({MOTIONS: ["pan", "roll"]}, f'{field}[1]: "roll" is not an option (pan, tilt, zoom)'),
        ({MOTIONS: ["zoom", "pan", "zoom"]}, f'{field}[2]: "zoom" is listed twice'),
        ({MOTIONS: "pan"}, f"{field}: must be a list of options, got a string"),
        ({MOTIONS: None}, f"{field}: must be a list of options, got null"),
        ({DAYTIME: ["yes"]}, f'.answers["{DAYTIME}"]: must be a string, got a list'),
    ]
    for change, message in cases:
        record = annotation()
        record["answers"].update(change)
        lines = error_lines(lambda record=record: sync_annotations(annotations_data=[record], quiet=True))
        assert f'{src} "{ANN_KEY}" {message}' in lines, lines
    assert not Answer.objects.exists()


def test_a_list_is_held_to_the_answer_length_limit_in_its_stored_form(tmp_path):
    """As the write functions do (submission.check_values): the stored text is at most 10,000 characters."""
    long = ["a" * 4000, "b" * 4000, "c" * 4000]
    group = camera_group(motions(options=long, display_values=["A", "B", "C"], default_options=None), daytime())
    records = [annotation(chosen=long[:2]), annotation(video="b.mp4", chosen=long)]
    folder = workspace(tmp_path / "ws", group=group, annotation_records=records, gt_records=[], custom=False)
    lines = error_lines(lambda: sync_from_folder(folder, quiet=True))
    assert lines[1:] == [
        'annotations/clips.json[1] "Clips / b.mp4 / Camera / Ann" '
        f'.answers["{MOTIONS}"]: is 12,010 characters long when stored; at most 10,000 allowed'
    ]


def test_ground_truth_lists_and_override_reviewer_answers_are_checked_like_answers(tmp_path):
    sync_from_folder(workspace(tmp_path / "ws", annotation_records=[], gt_records=[]), quiet=True)
    src = f'<ground_truths_data>[0] "{GT_KEY}"'
    lines = error_lines(
        lambda: sync_ground_truths(ground_truths_data=[ground_truth(chosen=("tilt", "roll"))], quiet=True)
    )
    assert f'{src} .answers["{MOTIONS}"][1]: "roll" is not an option (pan, tilt, zoom)' in lines
    override = {"admin_name": "Admin 1", "reviewer_answer": ["pan", "zoom"]}
    same = ground_truth(admin_overrides={MOTIONS: override})
    lines = error_lines(lambda: sync_ground_truths(ground_truths_data=[same], quiet=True))
    where = f'.admin_overrides["{MOTIONS}"].reviewer_answer'
    assert (
        f'{src} {where}: ["pan","zoom"] equals the ground truth in answers; an override\'s reviewer answer must differ'
        in lines
    )
    bad = ground_truth(admin_overrides={MOTIONS: {**override, "reviewer_answer": "pan"}})
    lines = error_lines(lambda: sync_ground_truths(ground_truths_data=[bad], quiet=True))
    assert f"{src} {where}: must be a list of options, got a string" in lines
    assert not GroundTruth.objects.exists()


def test_default_options_must_be_distinct_options_given_as_a_list(tmp_path):
    src, where = '<question_groups_data>[0] "Camera"', ".questions[0].default_options"

    def refused(**changes) -> list[str]:
        data = [camera_group(motions(**changes), daytime())]
        return error_lines(lambda: sync_question_groups(question_groups_data=data, quiet=True))

    assert f'{src} {where}[1]: "roll" is not an option (pan, tilt, zoom)' in refused(default_options=["pan", "roll"])
    assert f'{src} {where}[1]: "pan" is listed twice' in refused(default_options=["pan", "pan"])
    assert f"{src} {where}: must be a list of options, got a string" in refused(default_options="pan")
    assert not Question.objects.exists()

    sync_question_groups(question_groups_data=[camera_group(motions(default_options=[]), daytime())], quiet=True)
    assert Question.objects.get(text=MOTIONS).default_option == "[]"  # "none of these" is a default
    data = [camera_group(motions(default_options=["tilt"]), daytime())]
    report = sync_question_groups(question_groups_data=data, quiet=True)
    assert [(c.action, c.key, c.fields) for c in report.changes if c.table == "questions"] == [
        ("updated", MOTIONS, ["default_options"])
    ]
    sync_question_groups(question_groups_data=[camera_group(motions(default_options=None), daytime())], quiet=True)
    assert Question.objects.get(text=MOTIONS).default_option is None


def test_each_type_names_its_own_default_key(tmp_path):
    multiple = motions()
    multiple["default_option"] = multiple.pop("default_options")
    single = daytime()
    single["default_options"] = [single.pop("default_option")]
    data = [camera_group(multiple, single)]
    lines = error_lines(lambda: sync_question_groups(question_groups_data=data, quiet=True))
    src = '<question_groups_data>[0] "Camera"'
    assert (
        f'{src} .questions[0]: unexpected key "default_option" (a multiple-choice question takes "default_options")'
        in lines
    )
    assert (
        f'{src} .questions[1]: unexpected key "default_options" (a single-choice question takes "default_option")'
        in lines
    )


def test_multiple_choice_definitions_follow_the_single_choice_set_rules(tmp_path):
    sync_question_groups(question_groups_data=[camera_group()], quiet=True)
    src = '<question_groups_data>[0] "Camera"'

    def refused(question) -> list[str]:
        data = [camera_group(question, daytime())]
        return error_lines(lambda: sync_question_groups(question_groups_data=data, quiet=True))

    removed = motions(options=["pan", "zoom"], display_values=["Pan", "Zoom"], option_weights=[1, 1])
    removed["default_options"] = ["pan"]
    assert f'{src} .questions[0].options: question "{MOTIONS}" cannot remove existing options: "tilt"' in refused(
        removed
    )
    as_single = daytime(text=MOTIONS, options=["pan", "tilt", "zoom"], display_values=["P", "T", "Z"])
    as_single.update(option_weights=[1, 1, 1], default_option="pan")
    assert (
        f'{src} .questions[0].qtype: question "{MOTIONS}" is a multiple question; its qtype cannot change to single'
        in refused(as_single)
    )
    # The stored sets list options in option order, so the stored options keep theirs.
    moved = motions(options=["zoom", "pan", "tilt"], display_values=["Zoom", "Pan", "Tilt"])
    assert (
        f'{src} .questions[0].options: question "{MOTIONS}" keeps its stored options in their order (pan, tilt, '
        "zoom): stored answers list them in that order; new options can only be appended" in refused(moved)
    )
    # Appending an option keeps the stored weights of the others when option_weights is left out.
    appended = motions(options=["pan", "tilt", "zoom", "roll"], display_values=["Pan", "Tilt", "Zoom", "Roll"])
    del appended["option_weights"]
    sync_question_groups(question_groups_data=[camera_group(appended, daytime())], quiet=True)
    assert Question.objects.get(text=MOTIONS).option_weights == [1.0, 2.0, 1.0, 1.0]


def test_an_auto_submit_group_needs_default_options_and_an_empty_list_counts(tmp_path):
    data = [camera_group(motions(default_options=None), daytime(), is_auto_submit=True)]
    lines = error_lines(lambda: sync_question_groups(question_groups_data=data, quiet=True))
    assert (
        '<question_groups_data>[0] "Camera" .is_auto_submit: auto-submit requires a default option on every '
        f'question; none on: "{MOTIONS}"' in lines
    )
    data = [camera_group(motions(default_options=[]), daytime(), is_auto_submit=True)]
    assert sync_question_groups(question_groups_data=data, quiet=True).counts["question groups"]["created"] == 1


# --------------------------------------------------------------------------- export (WS-EXP-5)


@pytest.mark.django_db(transaction=True)  # flush empties the database, which PostgreSQL refuses mid-transaction
def test_export_writes_lists_in_option_order_and_round_trips_byte_for_byte(tmp_path):
    sync_from_folder(workspace(tmp_path / "ws"), quiet=True)
    first = tmp_path / "first"
    export_workspace(first, quiet=True)

    question = json.loads((first / "question_groups" / "camera.json").read_text())["questions"][0]
    assert question["default_options"] == ["pan", "zoom"] and "default_option" not in question
    answers = json.loads((first / "annotations" / "clips.json").read_text())
    assert [a["answers"][MOTIONS] for a in answers] == [["pan", "zoom"], [], ["tilt"]]
    truths = json.loads((first / "ground_truths" / "clips.json").read_text())
    assert [t["answers"][MOTIONS] for t in truths] == [["pan", "zoom"], ["tilt", "zoom"]]
    assert truths[1]["admin_overrides"][MOTIONS]["reviewer_answer"] == ["tilt"]

    assert sync_from_folder(first, quiet=True).change_count == 0
    call_command("flush", "--no-input", verbosity=0)
    sync_from_folder(first, quiet=True)
    second = tmp_path / "second"
    export_workspace(second, quiet=True)
    assert snapshot(first) == snapshot(second)


VERIFY_MOTIONS = """
import json

def check_motions(answers):
    chosen = json.loads(answers["Which camera motions?"])  # the stored text, as the portals pass it
    if chosen != sorted(chosen, key=["pan", "tilt", "zoom"].index):
        raise ValueError("not in option order")
    if not chosen and answers["Is it daytime?"] == "yes":
        raise ValueError("In daylight some camera motion is visible")
"""


def test_verification_functions_receive_the_stored_text_from_sync_and_the_command(tmp_path, capsys):
    folder = workspace(tmp_path / "ws", group=camera_group(verification_function="check_motions"))
    (folder / "verify.py").write_text(VERIFY_MOTIONS)
    sync_from_folder(folder, quiet=True)  # Ann's ["zoom", "pan"] reaches the function as '["pan","zoom"]'
    lines = error_lines(
        lambda: sync_annotations(annotations_data=[annotation(user="Bot", chosen=(), day="yes")], quiet=True)
    )
    assert lines[1].endswith("Answer verification failed: In daylight some camera motion is visible"), lines

    answers = json.dumps({MOTIONS: ["zoom", "tilt"], DAYTIME: "yes"})
    call_command("verification", "--test", "check_motions", "--answers", answers)
    assert capsys.readouterr().out.strip() == "OK"
    with pytest.raises(CommandError, match='"Which camera motions\\?": "roll" is not an option'):
        call_command("verification", "--test", "check_motions", "--answers", json.dumps({MOTIONS: ["roll"]}))


def test_rename_and_hard_delete_keep_the_stored_sets(tmp_path):
    """OVR-REN-1 and OVR-DEL: deleting the overriding admin reverts the GT to the reviewer's set."""
    sync_from_folder(workspace(tmp_path / "ws"), quiet=True)
    rename("question", MOTIONS, "Camera motions?", backup_first=False)
    lines = []
    hard_delete("user", "Admin 1", force=True, backup_first=False, write=lines.append)
    reverted = GroundTruth.objects.get(video__video_uid="b.mp4", question__text="Camera motions?")
    assert (reverted.value, reverted.overridden_by) == ('["tilt"]', None)
    export_workspace(tmp_path / "out", quiet=True)
    truths = json.loads((tmp_path / "out" / "ground_truths" / "clips.json").read_text())
    assert truths[1]["answers"]["Camera motions?"] == ["tilt"] and "admin_overrides" not in truths[1]


# --------------------------------------------------------------------------- compare and merge (WS-CMP-1/2)


def test_compare_and_merge_treat_the_same_set_in_another_order_as_identical(tmp_path):
    first = workspace(tmp_path / "first")
    reordered = annotations()
    reordered[0]["answers"][MOTIONS] = ["pan", "zoom"]
    truths = ground_truths()
    truths[1]["answers"][MOTIONS] = ["zoom", "tilt"]
    second = workspace(
        tmp_path / "second",
        group=camera_group(motions(default_options=["pan", "zoom"]), daytime()),
        annotation_records=reordered,
        gt_records=truths,
    )
    assert compare_workspace(first, second)
    merged = tmp_path / "merged"
    result = merge_folders(first, second, merged, prefer="first")
    assert result.counts()["conflicts_resolved"] == 0
    # The merged folder writes each set in option order, as export does.
    group = json.loads((merged / "question_groups" / "camera.json").read_text())
    assert group["questions"][0]["default_options"] == ["pan", "zoom"]
    truths = json.loads((merged / "ground_truths" / "clips.json").read_text())
    assert [t["answers"][MOTIONS] for t in truths] == [["pan", "zoom"], ["tilt", "zoom"]]
    merged_answers = json.loads((merged / "annotations" / "clips.json").read_text())
    assert merged_answers[0]["answers"][MOTIONS] == ["pan", "zoom"]
    sync_from_folder(merged, quiet=True)
    assert stored(Answer, "Ann") == '["pan","zoom"]'

    changed = copy.deepcopy(reordered)
    changed[0]["answers"][MOTIONS] = ["pan"]
    workspace(second, annotation_records=changed)
    assert not compare_workspace(first, second)
    diff = diff_workspace(first, second, ("annotations",))["annotations"]
    assert [d["key"]["user_name"] for d in diff["different"]] == ["Ann"]
