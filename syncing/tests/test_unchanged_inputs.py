"""An unchanged workspace is not checked again while the database is unchanged too (issue 13, SYNC-GEN-13).

Every way the database can change between two syncs (a portal answer, an admin archive, a queryset
update, a rename, a hard delete, hand-written SQL, a single-kind sync) makes the next sync check the
files again, and a skipped check reports exactly what the full check reports (SYNC-OUT-1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from annotation.models import Answer
from annotation.submission import submit_answers
from catalog.models import Project, Question, QuestionGroup, User, Video
from syncing import unchanged_inputs
from syncing.errors import SyncError
from syncing.hard_delete import delete_annotation
from syncing.helpers import sync_from_folder, sync_videos
from syncing.models import DatabaseChange
from syncing.rename import set_video_name

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "example"
SKIPPED = "Not checked again (same input as the last sync, no database change since)"
EVERY_TABLE = (
    "videos, users, questions, question groups, schemas, projects, custom displays, project groups, assignments"
)
# Pizza Test 0 has no ground truth, so its annotators are not in training mode.
PROJECT, VIDEO, GROUP, USER = "Pizza Test 0", "pizza.mp4", "Pizza", "User 1"
COUNT = "Number of pizzas?"


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("__pycache__"))
    sync_from_folder(folder, quiet=True)  # the first sync checks everything and records what it checked
    return folder


def outcome(folder: Path, **options) -> tuple[bool, list[str]]:
    """(whether a check was skipped, the plan or the errors)."""
    try:
        report = sync_from_folder(folder, quiet=True, **options)
    except SyncError as error:
        return False, str(error).splitlines()
    return any(note.startswith(SKIPPED) for note in report.notes), report.body_lines()


def skip_note(folder: Path) -> str:
    report = sync_from_folder(folder, quiet=True)
    return next((note for note in report.notes if note.startswith(SKIPPED)), "")


def full_check(folder: Path, monkeypatch, **options) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(unchanged_inputs.CheckedInputs, "skips", lambda self, step: False)
        return outcome(folder, **options)[1]


def test_an_unchanged_workspace_is_skipped_and_reports_what_the_full_check_reports(folder, monkeypatch):
    assert skip_note(folder) == f"{SKIPPED}: {EVERY_TABLE}, annotations, ground truths"
    skipped, plan = outcome(folder)
    assert skipped
    assert plan == full_check(folder, monkeypatch, dry_run=True)
    assert any("plaintext password" in line for line in plan)  # a skipped check's warnings are given again
    assert outcome(folder, dry_run=True)[0]  # a dry run skips too, and records nothing
    assert outcome(folder)[0]


def test_the_command_says_so(folder, capsys):
    call_command("sync_folder", "--folder-path", str(folder))
    out = capsys.readouterr().out
    assert SKIPPED in out
    assert "Sync complete: everything unchanged, nothing written" in out


def test_a_verbose_run_checks_everything(folder):
    report = sync_from_folder(folder, quiet=True, verbose=True)
    assert not any(note.startswith(SKIPPED) for note in report.notes)
    assert report.unchanged["annotations"]


def _answer() -> Answer:
    return Answer.objects.get(project__name=PROJECT, video__video_uid=VIDEO, question__text=COUNT, user__user_id=USER)


def _portal_answer():
    answer = _answer()
    mine = Answer.objects.filter(
        project=answer.project, video=answer.video, user=answer.user, question__groups__title=GROUP
    )
    other = next(o for o in answer.question.options if o not in (answer.value, "0"))  # verify.py: 0 has no text
    submit_answers(
        user=answer.user,
        project=answer.project,
        video=answer.video,
        group=QuestionGroup.objects.get(title=GROUP),
        values={**{a.question: a.value for a in mine}, answer.question: other},
    )


def _admin_archive():
    project = Project.objects.get(name=PROJECT)
    project.is_active = False
    project.save()


def _queryset_update():
    Video.objects.filter(video_uid=VIDEO).update(metadata={"edited": "in bulk"})


def _rename():
    set_video_name(VIDEO, "renamed.mp4", backup_first=False)


def _hard_delete():
    delete_annotation(PROJECT, VIDEO, COUNT, USER, force=True, backup_first=False)


def _sql():
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {User._meta.db_table} SET email = 'typed.by@hand.example' WHERE user_id = %s", [USER])


CHANGES = {
    "a portal answer": _portal_answer,
    "an admin archive": _admin_archive,
    "a queryset update": _queryset_update,
    "a rename": _rename,
    "a hard delete": _hard_delete,
    "hand-written SQL": _sql,
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_database_change_makes_the_next_sync_check_everything(folder, change, monkeypatch):
    assert outcome(folder)[0]
    CHANGES[change]()
    # A dry run checks everything and leaves the change noted, so the real run checks everything too.
    skipped, dry = outcome(folder, dry_run=True)
    assert not skipped
    assert dry == full_check(folder, monkeypatch, dry_run=True)
    skipped, again = outcome(folder)
    assert not skipped
    assert again == dry
    if not again[0].startswith("Sync failed"):
        assert outcome(folder)[0]  # once a sync has checked the new state, the next one skips again


def test_a_portal_answer_is_found_and_put_back(folder):
    stored = _answer().value
    _portal_answer()
    assert _answer().value != stored
    skipped, plan = outcome(folder)
    assert not skipped
    assert _answer().value == stored
    assert any(line.startswith("  updated") for line in plan)


def test_a_changed_file_is_checked_with_every_table_after_its_write(folder):
    path = folder / "annotations" / "pizza_projects.json"
    records = json.loads(path.read_text())
    for r in records:
        if (r["project_name"], r["video_uid"], r["user_name"], r["question_group_title"]) == (
            PROJECT,
            VIDEO,
            USER,
            GROUP,
        ):
            r["answers"][COUNT] = "2"
    path.write_text(json.dumps(records))
    assert skip_note(folder) == f"{SKIPPED}: {EVERY_TABLE}"  # annotations changed, ground truths checked after it
    assert _answer().value == "2"
    assert skip_note(folder) == f"{SKIPPED}: {EVERY_TABLE}, annotations, ground truths"


def test_a_single_kind_sync_after_a_change_drops_what_the_others_were_checked_against(folder):
    stored = _answer().value
    _portal_answer()
    sync_videos(videos_path=str(folder / "videos.json"), quiet=True)  # nothing to write; clears the change log
    assert not DatabaseChange.objects.exists()
    assert "annotations" not in skip_note(folder)
    assert _answer().value == stored


def test_a_question_edit_counts_too(folder):
    question = Question.objects.get(text=COUNT)
    question.display_text = "How many pizzas can you see?"
    question.save()
    assert not outcome(folder)[0]


def test_a_restore_makes_the_next_sync_check_everything(tmp_path):
    """A whole-process run on a SQLite file: sync, back up, restore, sync (DB-8)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VERIFICATION_CONFIG": str(tmp_path / "verification_config.json"),
    }
    folder, backups = tmp_path / "workspace", tmp_path / "backups"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("__pycache__"))

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    sync = ("sync_folder", "--folder-path", str(folder))
    manage("migrate", "-v", "0")
    assert SKIPPED not in manage(*sync)
    assert SKIPPED in manage(*sync)
    backup = ("--backup-dir", str(backups), "--backup-file", "b.jsonl.gz", "--force")
    manage("manage_db", "--mode", "backup", *backup)
    manage("manage_db", "--mode", "restore", *backup)
    assert SKIPPED not in manage(*sync)
    assert SKIPPED in manage(*sync)
