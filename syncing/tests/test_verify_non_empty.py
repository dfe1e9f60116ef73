"""The built-in `verify_non_empty` (issue 11 point 12, SYNC-VER-2): the original system ships it, so a
workspace written for it must sync here and its groups must refuse blank answers, in sync and in the portal."""

import json
import shutil
from pathlib import Path

import pytest

from annotation.models import Answer
from annotation.verification import VerificationFailed, verify_answers
from catalog.models import QuestionGroup
from catalog.verification import load_registry
from syncing.helpers import SyncError, sync_from_folder

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"
PEOPLE, DESCRIBE = "Number of people?", "If there are people, describe them."


def test_verify_non_empty_is_a_builtin_that_refuses_blank_answers():
    registry = load_registry()
    assert registry.sources["verify_non_empty"].endswith("labelpizza/verify.py")
    verify_answers(registry, "verify_non_empty", {PEOPLE: "1", DESCRIBE: "A man waves."})
    verify_answers(registry, "verify_non_empty", {})  # nothing to check
    for blank in ("", "   ", "\n\t"):
        with pytest.raises(VerificationFailed) as exc:
            verify_answers(registry, "verify_non_empty", {PEOPLE: "1", DESCRIBE: blank})
        assert str(exc.value) == f'Answer verification failed: "{DESCRIBE}" is blank; give it an answer'


def demo_naming(tmp_path, group_file: str) -> Path:
    """The demo workspace with one group switched to verify_non_empty and no workspace verify.py."""
    folder = tmp_path / "ws"
    shutil.copytree(DEMO, folder)
    (folder / "verify.py").unlink()
    path = folder / "question_groups" / group_file
    data = json.loads(path.read_text())
    data["verification_function"] = "verify_non_empty"
    path.write_text(json.dumps(data, indent=2))
    return folder


@pytest.mark.django_db
def test_a_workspace_naming_verify_non_empty_syncs(tmp_path):
    sync_from_folder(demo_naming(tmp_path, "nsfw.json"), quiet=True)
    assert QuestionGroup.objects.get(title="NSFW").verification_function == "verify_non_empty"
    assert Answer.objects.filter(question__text="Is the video not safe for work?").exists()


@pytest.mark.django_db
def test_sync_refuses_a_blank_answer_in_a_verify_non_empty_group_and_names_the_entry(tmp_path):
    # The demo's annotations answer "no people" with an empty description: blank for verify_non_empty.
    with pytest.raises(SyncError) as exc:
        sync_from_folder(demo_naming(tmp_path, "human.json"), quiet=True)
    message = str(exc.value)
    assert "annotations/human_projects.json" in message
    assert f'Answer verification failed: "{DESCRIBE}" is blank; give it an answer' in message
    assert not Answer.objects.exists()  # all or nothing
