"""`make demo`'s set-up command: a new database gets the demo, a used one is kept as people left it (issue 11.2)."""

import io

import pytest
from django.core.management import CommandError, call_command

from annotation.ground_truth import override_ground_truth
from annotation.models import GroundTruth
from catalog.models import Project, QuestionGroup, User, Video

ADMIN = {"email": "admin1@example.com", "password": "admin111", "user_id": "Admin 1"}


def run_demo(**overrides) -> str:
    out = io.StringIO()
    call_command("demo", **(ADMIN | overrides), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_new_database_gets_the_admin_the_demo_workspace_and_three_logins():
    output = run_demo()

    assert User.objects.get(email="admin1@example.com").is_global_admin
    assert Project.objects.filter(name="Human Test 0").exists()
    assert "Loaded the demo workspace" in output
    assert "admin1@example.com / admin111" in output
    assert "annotator  user1@example.com / user111" in output
    assert "reviewer   reviewer1@example.com / reviewer111" in output


@pytest.mark.django_db
def test_a_second_run_after_an_override_starts_and_keeps_the_override():
    run_demo()
    admin = User.objects.get(email="admin1@example.com")
    project = Project.objects.get(name="Human Test 0")
    video = Video.objects.get(video_uid="human.mp4")
    group = QuestionGroup.objects.get(title="NSFW")
    question = group.questions.get()
    override_ground_truth(user=admin, project=project, video=video, group=group, values={question: "Yes"})

    output = run_demo()

    assert "kept as it is" in output
    assert "reviewer1@example.com / reviewer111" in output
    row = GroundTruth.objects.get(project=project, video=video, question=question)
    assert (row.value, row.overridden_by) == ("Yes", admin)


@pytest.mark.django_db
def test_a_database_holding_only_the_admin_still_gets_the_demo():
    """An earlier run stopped after creating the admin: nothing people did is at stake, so the demo loads."""
    User.objects.create_superuser("Admin 1", email="admin1@example.com", password="admin111")

    output = run_demo()

    assert "Created the admin" not in output
    assert Video.objects.filter(video_uid="human.mp4").exists()


@pytest.mark.django_db
def test_an_unacceptable_admin_password_is_refused_before_anything_changes():
    with pytest.raises(CommandError, match="--password"):
        run_demo(password="1")
    assert not User.objects.exists()
