"""Renaming natural keys (OVR-REN-1, DM-CONV-2..4): the helpers, the `rename` command and their refusals."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from annotation.models import Answer
from annotation.tests.factories import AnswerFactory
from catalog.models import Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video
from catalog.tests.factories import (
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from syncing import helpers
from syncing.rename import KINDS, RenameError, rename

pytestmark = pytest.mark.django_db


def make(kind: str):
    """A row of `kind` and its current name."""
    row = {
        "user": UserFactory,
        "video": VideoFactory,
        "question_group": QuestionGroupFactory,
        "question": SingleQuestionFactory,
        "schema": lambda: SchemaFactory(groups=[QuestionGroupFactory()]),
        "project": ProjectFactory,
        "project_group": ProjectGroupFactory,
    }[kind]()
    return row, getattr(row, KINDS[kind].field)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_renamed_by_its_helper_and_keeps_its_id(kind, tmp_path):
    row, old = make(kind)
    result = getattr(helpers, f"set_{kind}_name")(old, "Renamed thing", backup_dir=tmp_path)
    fresh = type(row).objects.get(pk=row.pk)
    assert getattr(fresh, KINDS[kind].field) == "Renamed thing"
    assert not type(row).objects.filter(**{KINDS[kind].field: old}).exists()
    assert result.backup is not None and result.backup.path.parent == tmp_path and result.backup.path.exists()
    assert f'"{old}" to "Renamed thing"' in result.summary() and "re-export" in result.summary()


def test_answers_follow_a_renamed_video_user_project_and_question(tmp_path):
    answer = AnswerFactory()
    for kind, row in (
        ("video", answer.video),
        ("user", answer.user),
        ("project", answer.project),
        ("question", answer.question),
    ):
        rename(kind, getattr(row, KINDS[kind].field), f"new {kind}", backup_first=False)
    answer = Answer.objects.select_related("video", "user", "project", "question").get(pk=answer.pk)
    assert (answer.video.video_uid, answer.user.user_id, answer.project.name, answer.question.text) == (
        "new video",
        "new user",
        "new project",
        "new question",
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("", "the new video_uid must not be empty"),
        (" padded.mp4", 'the new video_uid " padded.mp4" must not begin or end with whitespace'),
        ("x" * 256, "the new video_uid is 256 characters long; at most 255 allowed"),
        ("taken.mp4", 'another video is already named "taken.mp4"'),
        ("clip.mp4", 'video "clip.mp4" already has that name'),
    ],
)
def test_a_bad_new_name_changes_nothing_and_says_why(new, message, tmp_path):
    video = VideoFactory(video_uid="clip.mp4")
    VideoFactory(video_uid="taken.mp4")
    with pytest.raises(RenameError) as error:
        rename("video", "clip.mp4", new, backup_dir=tmp_path)
    assert str(error.value) == message
    assert Video.objects.get(pk=video.pk).video_uid == "clip.mp4"
    assert not list(tmp_path.iterdir()), "no backup is taken for a refused rename"


def test_names_are_case_sensitive_and_unknown_rows_are_named():
    ProjectFactory(name="Kitchen")
    rename("project", "Kitchen", "kitchen", backup_first=False)  # DM-CONV-2: case-sensitive, so a new name
    assert Project.objects.filter(name="kitchen").exists()
    with pytest.raises(RenameError, match='no project "Kitchen"'):
        rename("project", "Kitchen", "Other", backup_first=False)
    with pytest.raises(RenameError, match="unknown kind 'movie'"):
        rename("movie", "a", "b", backup_first=False)


def test_a_failed_backup_renames_nothing(tmp_path):
    VideoFactory(video_uid="clip.mp4")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    with pytest.raises(RenameError, match="nothing was renamed"):
        rename("video", "clip.mp4", "new.mp4", backup_dir=blocker)
    assert Video.objects.filter(video_uid="clip.mp4").exists()


def test_command_renames_after_a_backup_and_reminds_about_the_workspace(tmp_path, capsys):
    group = QuestionGroupFactory(title="Food")
    call_command("rename", "question_group", "Food", "Dishes", "--backup-dir", str(tmp_path), "--no-compress")
    out = capsys.readouterr().out
    assert QuestionGroup.objects.get(pk=group.pk).title == "Dishes"
    assert 'Renamed question group "Food" to "Dishes".' in out
    assert "Workspace JSON files still use the old name" in out
    backups = [p.name for p in tmp_path.iterdir()]
    assert any(name.startswith("backup_before_rename_question_group_") and name.endswith(".jsonl") for name in backups)


def test_command_without_backup_and_its_errors(tmp_path, capsys):
    SingleQuestionFactory(text="Is food visible?")
    call_command("rename", "question", "Is food visible?", "Is any food visible?", "--no-backup")
    out = capsys.readouterr().out
    assert Question.objects.filter(text="Is any food visible?").exists()
    assert "Backup:" not in out and "Verification functions that read answers by question text" in out
    with pytest.raises(CommandError, match='no question "Is food visible\\?". Nothing was renamed.'):
        call_command("rename", "question", "Is food visible?", "x", "--no-backup")


def test_a_user_keeps_logging_in_with_their_email_after_a_rename(client):
    user = UserFactory(user_id="Maria Lopez", email="maria@example.org")
    user.set_password("secret-pass")
    user.save()
    rename("user", "Maria Lopez", "Maria López", backup_first=False)
    assert User.objects.get(pk=user.pk).user_id == "Maria López"
    assert client.login(username="maria@example.org", password="secret-pass")


def test_project_group_and_schema_helpers_exist_with_the_spec_keywords(tmp_path):
    group = ProjectGroupFactory(name="Batch A")
    helpers.set_project_group_name(
        "Batch A", "Batch B", backup_first=True, backup_dir=str(tmp_path), backup_file="mine.jsonl", compress=False
    )
    assert ProjectGroup.objects.get(pk=group.pk).name == "Batch B"
    assert (tmp_path / "mine.jsonl").exists() and (tmp_path / "mine.jsonl.meta.json").exists()
    schema = SchemaFactory(name="Schema A", groups=[QuestionGroupFactory()])
    helpers.set_schema_name("Schema A", "Schema B", backup_first=False)
    assert Schema.objects.get(pk=schema.pk).name == "Schema B"
