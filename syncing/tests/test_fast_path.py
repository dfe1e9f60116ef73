"""The fast path of annotation and GT checks (issue 13) decides nothing the full checks would not: for each
variant of the example workspace, a dry run with the fast path and one with every record on the full checks
give the same plan or the same errors, word for word (SYNC-ERR, SYNC-ANN-3..6, SYNC-GT-1..4, SYNC-GEN-5)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from syncing.errors import SyncError
from syncing.helpers import sync_from_folder
from syncing.steps import annotations as annotations_step
from syncing.steps.fast_path import split_fast_records

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "example"
ANNOTATIONS, GROUND_TRUTH = "annotations/human_projects.json", "ground_truths/human_projects.json"
COUNT, DESCRIBE = "Number of people?", "If there are people, describe them."


def review(question: str, status, reviewer) -> dict:
    return {question: {"status": status, "reviewer_name": reviewer}}


VARIANTS = {
    "as given": lambda ann, gt: None,
    "a record given twice": lambda ann, gt: ann.append(copy.deepcopy(ann[0])),
    "an unknown video": lambda ann, gt: ann[0].update(video_uid="nope.mp4"),
    "a video outside the project": lambda ann, gt: ann[0].update(project_name="Pizza Test 0"),
    "a user name that is a number": lambda ann, gt: ann[0].update(user_name=5),
    "an option that does not exist": lambda ann, gt: ann[0]["answers"].update({COUNT: "many"}),
    "a missing answer": lambda ann, gt: ann[0]["answers"].pop(DESCRIBE),
    "an unexpected key": lambda ann, gt: ann[0].update(extra=1),
    "the wrong ground-truth flag": lambda ann, gt: ann[0].update(is_ground_truth=True),
    "a valid review": lambda ann, gt: ann[0].update(reviews=review(DESCRIBE, "approved", "Reviewer 1")),
    "a pending review": lambda ann, gt: ann[0].update(reviews=review(DESCRIBE, "pending", None)),
    "a review of a single-choice answer": lambda ann, gt: ann[0].update(
        reviews=review(COUNT, "approved", "Reviewer 1")
    ),
    "an unknown review status": lambda ann, gt: ann[0].update(reviews=review(DESCRIBE, "maybe", "Reviewer 1")),
    "an unknown reviewer": lambda ann, gt: ann[0].update(reviews=review(DESCRIBE, "rejected", "Nobody")),
    "a score that is text": lambda ann, gt: ann[0].update(confidence_scores={COUNT: "high"}),
    "a score that is a boolean": lambda ann, gt: ann[0].update(confidence_scores={COUNT: True}),
    "a score for another group's question": lambda ann, gt: ann[0].update(confidence_scores={"Pizza?": 0.5}),
    "ground truth by a model user": lambda ann, gt: gt[0].update(user_name="Robot 1"),
    "ground truth given twice": lambda ann, gt: gt.append(copy.deepcopy(gt[0])),
    # Rules added for hostile input (issue 16.13) hold on the fast path too.
    "a description over 10,000 characters": lambda ann, gt: ann[0]["answers"].update({DESCRIBE: "x" * 10_001}),
    "a ground-truth description over 10,000 characters": lambda ann, gt: gt[0]["answers"].update(
        {DESCRIBE: "x" * 10_001}
    ),
    "a NUL character in an answer": lambda ann, gt: ann[0]["answers"].update({DESCRIBE: "a\x00b"}),
    "a control character in a user name": lambda ann, gt: ann[0].update(user_name="User\x1b[31m 1"),
    "an admin override": lambda ann, gt: gt[0].update(
        admin_overrides={COUNT: {"admin_name": "Admin 1", "reviewer_answer": "2"}}
    ),
}

VALID = {"as given", "a valid review", "a pending review", "an admin override"}


def outcome(folder: Path) -> list[str]:
    try:
        return sync_from_folder(folder, dry_run=True, quiet=True).body_lines()
    except SyncError as error:
        return str(error).splitlines()


@pytest.mark.parametrize("variant", VARIANTS)
def test_fast_path_agrees_with_the_full_checks(variant, tmp_path, monkeypatch):
    folder = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, folder)
    ann = json.loads((folder / ANNOTATIONS).read_text())
    gt = json.loads((folder / GROUND_TRUTH).read_text())
    VARIANTS[variant](ann, gt)
    (folder / ANNOTATIONS).write_text(json.dumps(ann))
    (folder / GROUND_TRUTH).write_text(json.dumps(gt))

    taken = []

    def counted(step):
        fast, slow = split_fast_records(step)
        taken.append(len(fast))
        return fast, slow

    monkeypatch.setattr(annotations_step, "split_fast_records", counted)
    with_fast_path = outcome(folder)
    assert sum(taken) > 0  # most records did take the fast path
    assert with_fast_path[0].startswith("Sync failed") == (variant not in VALID)

    def full_checks_only(step):
        split_fast_records(step)  # loads the references, as always
        return [], step.entries

    monkeypatch.setattr(annotations_step, "split_fast_records", full_checks_only)
    assert with_fast_path == outcome(folder)
