"""Integrity that lives in the database (DM-CONV-2, DM-USR-2, DM-GT-2) and the user model's rules."""

import pytest
from django.db import IntegrityError, transaction

from annotation.tests.factories import AnswerFactory, GroundTruthFactory
from catalog.models import Assignment, CustomDisplay, ProjectVideo, User
from catalog.tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ModelUserFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


def _rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (UserFactory, "user_id"),
        (VideoFactory, "video_uid"),
        (SingleQuestionFactory, "text"),
        (QuestionGroupFactory, "title"),
        (SchemaFactory, "name"),
        (ProjectFactory, "name"),
    ],
)
def test_dm_conv_2_duplicate_natural_key_is_rejected(factory, field):
    first = factory()
    _rejected(lambda: factory(**{field: getattr(first, field)}))


def test_dm_conv_3_empty_natural_key_is_rejected():
    _rejected(lambda: VideoFactory(video_uid=""))


def test_dm_vid_1_video_url_is_unique():
    video = VideoFactory()
    _rejected(lambda: VideoFactory(url=video.url))


def test_dm_qg_1_display_title_is_unique():
    group = QuestionGroupFactory()
    _rejected(lambda: QuestionGroupFactory(display_title=group.display_title))


def test_dm_conv_2_email_is_stored_lowercase_and_unique_case_insensitively():
    user = UserFactory(email="  Maria.Lopez@Example.COM ")
    assert user.email == "maria.lopez@example.com"
    _rejected(lambda: UserFactory(email="MARIA.LOPEZ@example.com"))


def test_dm_usr_2_model_users_have_no_email_and_no_usable_password():
    model = ModelUserFactory()
    assert model.email is None
    assert not model.has_usable_password()
    _rejected(lambda: ModelUserFactory(email="robot@example.com"))


def test_dm_usr_2_humans_and_admins_need_an_email():
    _rejected(lambda: UserFactory(email=None))
    _rejected(lambda: AdminFactory(email=None))


def test_dm_usr_1_password_is_hashed():
    user = UserFactory(password="pizza-time")
    assert user.password != "pizza-time"
    assert user.check_password("pizza-time")


def test_db_11_staff_and_superuser_exactly_for_active_admins():
    admin = AdminFactory()
    assert admin.is_staff and admin.is_superuser
    admin.is_active = False
    admin.save()
    assert not admin.is_staff and not admin.is_superuser
    human = UserFactory()
    assert not human.is_staff and not human.is_superuser
    # The database refuses a staff flag on a non-admin even when save() is bypassed.
    _rejected(lambda: User.objects.filter(pk=human.pk).update(is_staff=True, is_superuser=True))


def test_dm_der_10_display_name_and_initials():
    assert UserFactory.build(user_id="Maria Lopez").display_name == "Maria Lopez (ML)"
    assert UserFactory.build(user_id="Robot").display_name == "Robot (RO)"
    assert UserFactory.build(user_id="Model 1").display_name == "Model 1 (M1)"


def test_user_natural_key_round_trips():
    user = UserFactory(user_id="Ann")
    assert User.objects.get_by_natural_key(*user.natural_key()) == user


def test_dm_asg_1_assignment_unique_per_project_user_role():
    row = AssignmentFactory()
    _rejected(lambda: AssignmentFactory(project=row.project, user=row.user, role=row.role))


def test_dm_asg_1_negative_weight_is_rejected():
    _rejected(lambda: AssignmentFactory(user_weight=-1))


def test_dm_prj_2_project_video_unique():
    video = VideoFactory()
    project = ProjectFactory(videos=[video])
    _rejected(lambda: ProjectVideo.objects.create(project=project, video=video, position=1))


def test_dm_ans_1_one_answer_per_project_video_question_user():
    answer = AnswerFactory()
    _rejected(
        lambda: AnswerFactory(project=answer.project, video=answer.video, question=answer.question, user=answer.user)
    )


def test_dm_gt_1_one_ground_truth_per_project_video_question():
    gt = GroundTruthFactory()
    _rejected(lambda: GroundTruthFactory(project=gt.project, video=gt.video, question=gt.question))


def test_dm_gt_2_override_flag_must_match_values():
    # A value that differs from the reviewer's without an override author breaks the invariant.
    _rejected(lambda: GroundTruthFactory(value="no", reviewer_value="yes"))


def test_dm_cd_2_custom_display_needs_one_custom_field():
    _rejected(
        lambda: CustomDisplay.objects.create(
            project=ProjectFactory(), video=VideoFactory(), question=SingleQuestionFactory()
        )
    )


def test_dm_conv_1_referenced_rows_are_protected():
    video = VideoFactory()
    ProjectFactory(videos=[video])
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        video.delete()


def test_active_queryset_method():
    VideoFactory(is_active=False)
    live = VideoFactory()
    from catalog.models import Video

    assert list(Video.objects.active()) == [live]


def test_dm_role_assignment_role_choices():
    assert set(Assignment.Role.values) == {"annotator", "reviewer", "admin", "model"}
