"""Issue 12 point 2: the calls of the original's override guide (admin_override.md) through
`label_pizza.override_utils`, with its keyword arguments. The guide restores a backup after each example; here
each example is its own test on a freshly built data set, which leaves the same starting state."""

import pytest

from annotation.models import Answer, AnswerReview, GroundTruth
from catalog.models import (
    Assignment,
    CustomDisplay,
    Project,
    ProjectGroup,
    ProjectGroupProject,
    ProjectVideo,
    Question,
    QuestionGroup,
    QuestionGroupQuestion,
    Schema,
    SchemaQuestionGroup,
    User,
    Video,
)
from label_pizza.errors import NotOfferedHere
from label_pizza.tests.override_data import (
    ASPECT,
    PEOPLE_COUNT,
    PEOPLE_TEXT,
    PICK,
    PLANT_TEXT,
    add_override_and_reviews,
    build_override_guide_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(dburl, tmp_path, monkeypatch):
    """The guide's set-up: init_database, the data, then step 10 (override and reviews). Backups go to
    ./backups, the guide's default, so the test runs in a scratch folder."""
    monkeypatch.chdir(tmp_path)
    from label_pizza.db import init_database

    init_database("DBURL")
    build_override_guide_data()
    add_override_and_reviews()
    return tmp_path


def backups(folder):
    return sorted(p.name for p in (folder / "backups").glob("*.gz"))


# --------------------------------------------------------------------------- set-up (step 10)


def test_step_10_raw_sql_is_refused_with_our_equivalents_and_they_leave_the_same_state(guide):
    import label_pizza.db

    with pytest.raises(NotOfferedHere) as refused, label_pizza.db.SessionLocal():  # the guide's own line
        pass
    message = str(refused.value)
    assert "admin_overrides" in message and "sync_ground_truths" in message and "reviews" in message
    gt = GroundTruth.objects.get(project__name="People 0", video__video_uid="lobby.mp4", question__text=PEOPLE_COUNT)
    assert (gt.value, gt.reviewer_value, gt.overridden_by.user_id) == ("2", "1", "Admin 1")
    assert set(AnswerReview.objects.values_list("answer__question__text", "status")) == {
        (PEOPLE_TEXT, "approved"),
        (PLANT_TEXT, "rejected"),
    }


# --------------------------------------------------------------------------- examples 1 to 3: names


def test_example_1_rename_a_user_after_a_backup(guide):
    from label_pizza.override_utils import set_user_name

    success = set_user_name(
        old_user_id_str="Annotator 1",
        new_user_id_str="Annotator 1 (Promoted)",
        backup_first=True,
        backup_file="example1_rename_user.sql.gz",
    )
    assert success is True
    assert User.objects.filter(user_id="Annotator 1 (Promoted)").exists()
    assert not User.objects.filter(user_id="Annotator 1").exists()
    assert backups(guide) == ["example1_rename_user.sql.gz"]


def test_example_2_rename_a_project(guide):
    from label_pizza.override_utils import set_project_name

    pk = Project.objects.get(name="Plants 0").pk
    success = set_project_name(
        old_name="Plants 0", new_name="Advanced Plants 0", backup_first=True, backup_file="example2.sql.gz"
    )
    assert success is True and Project.objects.get(pk=pk).name == "Advanced Plants 0"


def test_example_3_all_seven_renames_positionally(guide):
    from label_pizza.override_utils import (
        set_project_group_name,
        set_project_name,
        set_question_group_name,
        set_question_name,
        set_schema_name,
        set_user_name,
        set_video_name,
    )

    results = [
        set_user_name("Annotator 1", "Annotator 1 (Senior)", backup_first=True, backup_file="example3.sql.gz"),
        set_video_name("lobby2.mp4", "senior_lobby.mp4", backup_first=False),
        set_question_group_name("Plants Custom", "Advanced Plants", backup_first=False),
        set_question_name(PICK, "Select the best option", backup_first=False),
        set_schema_name("People schema", "People schema v2", backup_first=False),
        set_project_name("Plants 0", "Plants Project", backup_first=False),
        set_project_group_name("People Projects", "People Suite", backup_first=False),
    ]
    assert results == [True] * 7
    assert Video.objects.filter(video_uid="senior_lobby.mp4").exists()
    assert QuestionGroup.objects.filter(title="Advanced Plants").exists()
    assert Question.objects.filter(text="Select the best option").exists()
    assert Schema.objects.filter(name="People schema v2").exists()
    assert ProjectGroup.objects.filter(name="People Suite").exists()
    assert backups(guide) == ["example3.sql.gz"]


def test_a_refused_rename_returns_false_and_says_why(guide, capsys):
    from label_pizza.override_utils import set_project_name, set_video_name

    assert set_video_name("lobby.mp4", "garden.mp4", backup_first=False) is False
    assert 'already named "garden.mp4"' in capsys.readouterr().out
    assert set_project_name("No such project", "Whatever", backup_first=False) is False
    assert 'no project "No such project"' in capsys.readouterr().out
    assert Video.objects.filter(video_uid="lobby.mp4").exists()


def test_get_names_and_renames_by_id(guide, capsys):
    from label_pizza import override_utils as ou

    rows = {
        "user": User.objects.get(user_id="Annotator 1"),
        "video": Video.objects.get(video_uid="lobby2.mp4"),
        "question_group": QuestionGroup.objects.get(title="Plants Custom"),
        "question": Question.objects.get(text=ASPECT),
        "schema": Schema.objects.get(name="Plants schema"),
        "project": Project.objects.get(name="Plants 0"),
        "project_group": ProjectGroup.objects.get(name="Plants Projects"),
    }
    assert ou.get_user_name(rows["user"].pk) == "Annotator 1"
    assert ou.get_video_name(rows["video"].pk) == "lobby2.mp4"
    assert ou.get_question_group_name(rows["question_group"].pk) == "Plants Custom"
    assert ou.get_question_name(rows["question"].pk) == ASPECT
    assert ou.get_schema_name(rows["schema"].pk) == "Plants schema"
    assert ou.get_project_name(rows["project"].pk) == "Plants 0"
    assert ou.get_project_group_name(rows["project_group"].pk) == "Plants Projects"
    with pytest.raises(ValueError, match="Project with ID 999999 not found"):
        ou.get_project_name(999999)

    assert ou.set_user_name_using_id(rows["user"].pk, "A1", backup_first=False)
    assert ou.set_video_name_using_id(rows["video"].pk, "v.mp4", backup_first=False)
    assert ou.set_question_group_name_using_id(rows["question_group"].pk, "QG", backup_first=False)
    assert ou.set_question_name_using_id(rows["question"].pk, "Q?", backup_first=False)
    assert ou.set_schema_name_using_id(rows["schema"].pk, "S", backup_first=False)
    assert ou.set_project_name_using_id(rows["project"].pk, "P", backup_first=False)
    assert ou.set_project_group_name_using_id(rows["project_group"].pk, "PG", backup_first=False)
    for kind, row in rows.items():
        assert getattr(ou, f"get_{kind}_name")(row.pk) in {"A1", "v.mp4", "QG", "Q?", "S", "P", "PG"}
    assert ou.set_video_name_using_id(999999, "x.mp4", backup_first=False) is False
    assert "Video with ID 999999 not found" in capsys.readouterr().out


# --------------------------------------------------------------------------- examples 4 to 14: deletes


def test_example_4_delete_a_project_group_project(guide, confirm_delete):
    from label_pizza.override_utils import delete_project_group_project

    success = delete_project_group_project(
        project_group_name="People Projects", project_name="People 0", backup_first=True, backup_file="example4.sql.gz"
    )
    assert success is True and confirm_delete  # the operator was asked
    assert not ProjectGroupProject.objects.filter(project__name="People 0").exists()
    assert backups(guide) == ["example4.sql.gz"]


def test_example_5_delete_a_custom_display_and_a_ground_truth(guide, confirm_delete):
    from label_pizza.override_utils import delete_project_video_question_display, delete_reviewer_ground_truth

    assert delete_project_video_question_display(
        project_name="Plants Custom 0",
        video_uid="lobby.mp4",
        question_text=PICK,
        backup_first=True,
        backup_file="example5.sql.gz",
    )
    assert not CustomDisplay.objects.filter(video__video_uid="lobby.mp4", question__text=PICK).exists()
    assert CustomDisplay.objects.filter(video__video_uid="lobby.mp4", question__text=ASPECT).exists()
    assert delete_reviewer_ground_truth(
        video_uid="lobby.mp4", question_text=PEOPLE_COUNT, project_name="People 0", backup_first=False
    )
    assert not GroundTruth.objects.filter(question__text=PEOPLE_COUNT, project__name="People 0").exists()
    assert GroundTruth.objects.filter(question__text=PEOPLE_TEXT, project__name="People 0").exists()


def test_example_6_delete_an_answer_review_by_the_id_the_guide_passes(guide, confirm_delete):
    from label_pizza.override_utils import delete_answer_review

    review = AnswerReview.objects.select_related("answer").get(answer__question__text=PEOPLE_TEXT)
    success = delete_answer_review(answer_id=review.pk, backup_first=True, backup_file="example6.sql.gz")
    assert success is True
    assert not AnswerReview.objects.filter(pk=review.pk).exists()
    assert Answer.objects.filter(pk=review.answer.pk).exists()  # the annotation stays


def test_example_7_delete_an_annotator_answer_and_its_review(guide, confirm_delete):
    from label_pizza.override_utils import delete_annotator_answer

    success = delete_annotator_answer(
        video_uid="lobby.mp4",
        question_text=PEOPLE_TEXT,
        user_id_str="Annotator 1",
        project_name="People 0",
        backup_first=True,
        backup_file="example7.sql.gz",
    )
    assert success is True
    people_text = Answer.objects.filter(question__text=PEOPLE_TEXT)
    assert list(people_text.values_list("user__user_id", flat=True)) == ["Robot 1"]
    assert not AnswerReview.objects.filter(answer__question__text=PEOPLE_TEXT).exists()


def test_example_8_delete_a_project_group(guide, confirm_delete):
    from label_pizza.override_utils import delete_project_group

    assert delete_project_group(name="Plants Custom Projects", backup_first=True, backup_file="example8.sql.gz")
    assert not ProjectGroup.objects.filter(name="Plants Custom Projects").exists()
    assert Project.objects.filter(name="Plants Custom 0").exists()


def test_example_9_delete_a_project_user_role(guide, confirm_delete):
    from label_pizza.override_utils import delete_project_user_role

    success = delete_project_user_role(
        project_name="People 0",
        user_id_str="Admin 2",
        role="reviewer",
        backup_first=True,
        backup_file="example9.sql.gz",
    )
    assert success is True
    assert not Assignment.objects.filter(user__user_id="Admin 2", project__name="People 0", role="reviewer").exists()


def test_example_10_delete_project_video_schema_group_and_group_question(guide, confirm_delete):
    from label_pizza.override_utils import (
        delete_project_video,
        delete_question_group_question,
        delete_schema_question_group,
    )

    assert delete_project_video(
        project_name="People 0", video_uid="garden.mp4", backup_first=True, backup_file="example10.sql.gz"
    )
    assert delete_schema_question_group(schema_name="People schema", question_group_title="Safety", backup_first=False)
    assert delete_question_group_question(question_group_title="People", question_text=PEOPLE_TEXT, backup_first=False)
    assert not ProjectVideo.objects.filter(project__name="People 0", video__video_uid="garden.mp4").exists()
    assert not SchemaQuestionGroup.objects.filter(schema__name="People schema", group__title="Safety").exists()
    assert not QuestionGroupQuestion.objects.filter(group__title="People", question__text=PEOPLE_TEXT).exists()
    assert Question.objects.filter(text=PEOPLE_TEXT).exists()


def test_example_11_delete_a_video_with_everything_on_it(guide, confirm_delete):
    from label_pizza.override_utils import delete_video

    assert delete_video(video_uid="lobby.mp4", backup_first=True, backup_file="example11.sql.gz")
    assert set(Video.objects.values_list("video_uid", flat=True)) == {"garden.mp4", "lobby2.mp4"}
    for model in (Answer, GroundTruth, CustomDisplay, ProjectVideo):
        assert not model.objects.filter(video__video_uid="lobby.mp4").exists()
    assert Answer.objects.filter(video__video_uid="garden.mp4").exists()


def test_example_12_delete_a_question_then_a_question_group(guide, confirm_delete):
    from label_pizza.override_utils import delete_question, delete_question_group

    assert delete_question(text=PLANT_TEXT, backup_first=True, backup_file="example12.sql.gz")
    assert not Question.objects.filter(text=PLANT_TEXT).exists()
    assert QuestionGroup.objects.filter(title="Plants").exists()
    assert delete_question_group(title="Plants Custom", backup_first=False)
    assert not QuestionGroup.objects.filter(title="Plants Custom").exists()
    assert Question.objects.filter(text=PICK).exists()  # its questions remain, unassigned
    assert Schema.objects.filter(name="Plants Custom schema").exists()


def test_example_13_delete_a_project_then_a_user(guide, confirm_delete):
    from label_pizza.override_utils import delete_project, delete_user

    assert delete_project(name="Plants 0", backup_first=True, backup_file="example13.sql.gz")
    assert not Project.objects.filter(name="Plants 0").exists()
    assert ProjectGroup.objects.filter(name="Plants Projects").exists()
    assert delete_user(user_id_str="Robot 1", backup_first=False)
    assert not User.objects.filter(user_id="Robot 1").exists()
    assert Answer.objects.filter(user__user_id="Annotator 1").exists()


def test_example_14_delete_schemas(guide, confirm_delete):
    from label_pizza.override_utils import delete_schema

    assert delete_schema(name="Plants Custom schema", backup_first=True, backup_file="example14.sql.gz")
    assert not Project.objects.filter(name="Plants Custom 0").exists()
    assert QuestionGroup.objects.filter(title="Plants Custom").exists()
    assert delete_schema(name="People schema", backup_first=False)
    assert set(Project.objects.values_list("name", flat=True)) == {"Plants 0"}
    assert Video.objects.count() == 3 and QuestionGroup.objects.count() == 4


def test_not_typing_delete_cancels_and_returns_false(guide, monkeypatch):
    from label_pizza.override_utils import delete_video

    monkeypatch.setattr("builtins.input", lambda prompt="": "no")
    assert delete_video(video_uid="lobby.mp4", backup_first=False) is False
    assert Video.objects.filter(video_uid="lobby.mp4").exists()


def test_deleting_what_does_not_exist_returns_false_and_says_so(guide, confirm_delete, capsys):
    from label_pizza.override_utils import delete_annotator_answer_using_id, delete_project

    assert delete_project(name="No such project", backup_first=False) is False
    assert "no project" in capsys.readouterr().out
    assert delete_annotator_answer_using_id(999999, backup_first=False) is False
    assert "Annotator answer with ID 999999 not found" in capsys.readouterr().out


def test_the_guides_restore_helper_is_refused_with_the_command_to_use():
    from label_pizza.backup_restore import DatabaseBackupRestore

    with pytest.raises(NotOfferedHere, match="manage_db --mode restore"):
        DatabaseBackupRestore("postgres://example/db")


def test_video_tags_are_refused_with_what_to_use_instead(guide):
    from label_pizza.override_utils import delete_video_tag, delete_video_tag_using_id

    with pytest.raises(NotOfferedHere, match="metadata"):
        delete_video_tag("lobby.mp4", "outdoor")
    with pytest.raises(NotOfferedHere, match="no video tags"):
        delete_video_tag_using_id(1, "outdoor")


def _ids():
    """Every *_using_id delete with its id arguments, and a check that its row is gone."""
    people = Project.objects.get(name="People 0")
    lobby = Video.objects.get(video_uid="lobby.mp4")
    annotator = User.objects.get(user_id="Annotator 1")
    pick = Question.objects.get(text=PICK)
    answer = Answer.objects.get(user=annotator, question__text=PLANT_TEXT)
    review = AnswerReview.objects.get(answer=answer)
    people_text = Question.objects.get(text=PEOPLE_TEXT)
    custom = Project.objects.get(name="Plants Custom 0")
    return {
        "delete_user_using_id": (
            (User.objects.get(user_id="Robot 1").pk,),
            lambda: User.objects.filter(user_id="Robot 1"),
        ),
        "delete_video_using_id": (
            (Video.objects.get(video_uid="lobby2.mp4").pk,),
            lambda: Video.objects.filter(video_uid="lobby2.mp4"),
        ),
        "delete_question_group_using_id": (
            (QuestionGroup.objects.get(title="Plants Custom").pk,),
            lambda: QuestionGroup.objects.filter(title="Plants Custom"),
        ),
        "delete_question_using_id": ((pick.pk,), lambda: Question.objects.filter(text=PICK)),
        "delete_question_group_question_using_id": (
            (QuestionGroup.objects.get(title="People").pk, people_text.pk),
            lambda: QuestionGroupQuestion.objects.filter(group__title="People", question=people_text),
        ),
        "delete_schema_using_id": (
            (Schema.objects.get(name="Plants schema").pk,),
            lambda: Schema.objects.filter(name="Plants schema"),
        ),
        "delete_schema_question_group_using_id": (
            (Schema.objects.get(name="People schema").pk, QuestionGroup.objects.get(title="Safety").pk),
            lambda: SchemaQuestionGroup.objects.filter(schema__name="People schema", group__title="Safety"),
        ),
        "delete_project_using_id": ((custom.pk,), lambda: Project.objects.filter(name="Plants Custom 0")),
        "delete_project_video_using_id": (
            (people.pk, lobby.pk),
            lambda: ProjectVideo.objects.filter(project=people, video=lobby),
        ),
        "delete_project_user_role_using_id": (
            (people.pk, annotator.pk, "annotator"),
            lambda: Assignment.objects.filter(project=people, user=annotator, role="annotator"),
        ),
        "delete_project_group_using_id": (
            (ProjectGroup.objects.get(name="People Projects").pk,),
            lambda: ProjectGroup.objects.filter(name="People Projects"),
        ),
        "delete_project_group_project_using_id": (
            (ProjectGroup.objects.get(name="Plants Projects").pk, Project.objects.get(name="Plants 0").pk),
            lambda: ProjectGroupProject.objects.filter(project_group__name="Plants Projects"),
        ),
        "delete_project_video_question_display_using_id": (
            (custom.pk, lobby.pk, pick.pk),
            lambda: CustomDisplay.objects.filter(project=custom, video=lobby, question=pick),
        ),
        "delete_annotator_answer_using_id": ((answer.pk,), lambda: Answer.objects.filter(pk=answer.pk)),
        "delete_reviewer_ground_truth_using_id": (
            (lobby.pk, people_text.pk, people.pk),
            lambda: GroundTruth.objects.filter(project=people, video=lobby, question=people_text),
        ),
        "delete_answer_review_using_id": ((review.pk,), lambda: AnswerReview.objects.filter(pk=review.pk)),
    }


@pytest.mark.parametrize(
    "name",
    [
        "delete_user_using_id",
        "delete_video_using_id",
        "delete_question_group_using_id",
        "delete_question_using_id",
        "delete_question_group_question_using_id",
        "delete_schema_using_id",
        "delete_schema_question_group_using_id",
        "delete_project_using_id",
        "delete_project_video_using_id",
        "delete_project_user_role_using_id",
        "delete_project_group_using_id",
        "delete_project_group_project_using_id",
        "delete_project_video_question_display_using_id",
        "delete_annotator_answer_using_id",
        "delete_reviewer_ground_truth_using_id",
        "delete_answer_review_using_id",
    ],
)
def test_each_delete_using_id_removes_its_row(guide, confirm_delete, name):
    from label_pizza import override_utils

    args, remaining = _ids()[name]
    assert remaining().exists()
    assert getattr(override_utils, name)(*args, backup_first=False) is True
    assert not remaining().exists()
