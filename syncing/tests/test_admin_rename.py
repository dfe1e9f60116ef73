"""The admin portal's Rename action (PORTAL-ADM-2, OVR-REN-1): a confirmation page, the rename rules, a backup."""

from __future__ import annotations

import stat

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from annotation.models import Answer
from annotation.tests.factories import AnswerFactory
from catalog.models import Assignment, Project, ProjectGroup, Question, QuestionGroup, Schema, User, Video
from catalog.tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    client.force_login(AdminFactory(user_id="Ada Admin"))
    return client


def changelist(model) -> str:
    return reverse(f"admin:catalog_{model._meta.model_name}_changelist")


def act(client, model, pks, **extra):
    return client.post(
        changelist(model), {"action": "rename_selected", ACTION_CHECKBOX_NAME: pks, **extra}, follow=True
    )


def test_rename_asks_for_the_new_name_then_renames_after_a_backup(staff_client, tmp_path):
    answer = AnswerFactory(video=VideoFactory(video_uid="clip.mp4"))
    page = act(staff_client, Video, [answer.video.pk])
    body = page.content.decode()
    assert "Rename video “clip.mp4”" in body and 'name="new_name" value="clip.mp4"' in body
    assert "Workspace JSON files still use the old name" in body and str(tmp_path) in body
    assert Video.objects.get(pk=answer.video.pk).video_uid == "clip.mp4", "the first step changes nothing"

    done = act(staff_client, Video, [answer.video.pk], confirm="yes", new_name="kitchen-01.mp4")

    assert Video.objects.get(pk=answer.video.pk).video_uid == "kitchen-01.mp4"
    assert Answer.objects.get(pk=answer.pk).video.video_uid == "kitchen-01.mp4"
    text = done.content.decode()
    assert "Renamed video &quot;clip.mp4&quot; to &quot;kitchen-01.mp4&quot;." in text
    [backup] = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("backup_before_rename_video_")
        if not p.name.endswith(".meta.json")
    ]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # issue 16.2: it holds password hashes


def test_a_refused_name_shows_the_reason_and_keeps_the_form(staff_client):
    ProjectFactory(name="Taken")
    project = ProjectFactory(name="Kitchen")
    page = act(staff_client, Project, [project.pk], confirm="yes", new_name="Taken")
    body = page.content.decode()
    assert 'another project is already named "Taken". Nothing was renamed.'.replace('"', "&quot;") in body
    assert 'name="new_name" value="Taken"' in body
    assert Project.objects.get(pk=project.pk).name == "Kitchen"


def test_exactly_one_row_is_renamed_at_a_time(staff_client):
    a, b = VideoFactory(), VideoFactory()
    page = act(staff_client, Video, [a.pk, b.pk])
    assert "Select exactly one video to rename." in page.content.decode()


def test_the_action_is_offered_on_renameable_sections_only(staff_client):
    AnswerFactory()  # a row in every list
    ProjectGroupFactory()
    SchemaFactory(groups=[QuestionGroupFactory()])
    for model in (User, Video, Question, QuestionGroup, Schema, Project, ProjectGroup):
        assert 'value="rename_selected"' in staff_client.get(changelist(model)).content.decode(), model
    AssignmentFactory()
    assert 'value="rename_selected"' not in staff_client.get(changelist(Assignment)).content.decode()


def test_non_staff_cannot_rename(client, settings, tmp_path):
    from catalog.tests.factories import UserFactory

    settings.BACKUP_DIR = tmp_path
    video = VideoFactory(video_uid="clip.mp4")
    client.force_login(UserFactory())
    response = client.post(
        changelist(Video),
        {"action": "rename_selected", ACTION_CHECKBOX_NAME: [video.pk], "confirm": "yes", "new_name": "x"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Video.objects.get(pk=video.pk).video_uid == "clip.mp4"
