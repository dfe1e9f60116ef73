"""Hard delete (OVR-DEL-1..4): each closure row and assignment role, the procedure, the command and its cost."""

from __future__ import annotations

import inspect
import os
import stat
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.db.models import Model
from django.utils import timezone

from annotation.completion import recompute_completion
from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from annotation.tests.factories import AnswerFactory, AnswerReviewFactory, GroundTruthFactory, GroundTruthHistoryFactory
from catalog.models import (
    ApiToken,
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
from catalog.tests.factories import (
    AdminFactory,
    CustomDisplayFactory,
    DescriptionQuestionFactory,
    ModelUserFactory,
    ProjectFactory,
    ProjectGroupFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from syncing import hard_delete as hd
from syncing.hard_delete import KINDS, HardDeleteError, execute, plan_delete
from syncing.hard_delete import plan as hd_plan

pytestmark = pytest.mark.django_db

Role = Assignment.Role
Kind = GroundTruthHistory.Kind
Source = GroundTruthHistory.Source
MODELS = (
    AnswerReview,
    Answer,
    GroundTruth,
    GroundTruthHistory,
    CustomDisplay,
    Assignment,
    ProjectVideo,
    ProjectGroupProject,
    QuestionGroupQuestion,
    SchemaQuestionGroup,
    Project,
    ProjectGroup,
    Schema,
    QuestionGroup,
    Question,
    Video,
    User,
    ApiToken,
    LogEntry,
)
NO_PROMPT = {"force": True, "backup_first": False}


@pytest.fixture
def w(db):
    """Two projects sharing two videos. "Kitchen Batch 1" uses schema s1 = [food (food?, describe), night (night?)];
    "Kitchen Batch 2" uses s2 = [alt (food?)]: the food question sits in two groups of two schemas.

    Maria and Bob answer everything; Rev reviews Maria's descriptions and holds the food GT; Dee (a demoted admin
    with annotator, reviewer and admin rows in batch 1) holds the night GT in batch 1, overrode one food GT in each
    project and reviewed one of Bob's descriptions; Ada is a global admin who overrode one food GT in batch 1.
    """
    now = timezone.now()
    q_food = SingleQuestionFactory(text="Is food visible?")
    q_desc = DescriptionQuestionFactory(text="Describe the food.")
    q_night = SingleQuestionFactory(text="Is it night?")
    g_food = QuestionGroupFactory(title="Food", questions=[q_food, q_desc])
    g_night = QuestionGroupFactory(title="Night", questions=[q_night])
    g_alt = QuestionGroupFactory(title="Food again", questions=[q_food])
    s1 = SchemaFactory(name="Kitchen schema", groups=[g_food, g_night])
    s2 = SchemaFactory(name="Other schema", groups=[g_alt])
    v1, v2 = VideoFactory(video_uid="kitchen_01.mp4"), VideoFactory(video_uid="kitchen_02.mp4")
    p1 = ProjectFactory(name="Kitchen Batch 1", schema=s1, videos=[v1, v2])
    p2 = ProjectFactory(name="Kitchen Batch 2", schema=s2, videos=[v1, v2])
    pg = ProjectGroupFactory(name="Kitchens")
    ProjectGroupProject.objects.bulk_create([ProjectGroupProject(project_group=pg, project=p) for p in (p1, p2)])

    maria, bob = UserFactory(user_id="Maria Lopez"), UserFactory(user_id="Bob")
    rev, dee = UserFactory(user_id="Rev Iewer"), UserFactory(user_id="Dee Moted")
    ada, model = AdminFactory(user_id="Ada Min"), ModelUserFactory(user_id="Model 1")
    rows = [(maria, Role.ANNOTATOR), (bob, Role.ANNOTATOR), (rev, Role.ANNOTATOR), (rev, Role.REVIEWER)]
    rows += [(ada, r) for r in (Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN)]
    for p in (p1, p2):
        Assignment.objects.bulk_create([Assignment(user=u, project=p, role=r) for u, r in rows])
    Assignment.objects.bulk_create(
        [Assignment(user=dee, project=p1, role=r) for r in (Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN)]
        + [Assignment(user=model, project=p, role=Role.MODEL) for p in (p1, p2)]
    )

    questions = {p1: [q_food, q_desc, q_night], p2: [q_food]}
    answers = {}
    for p, qs in questions.items():
        for v in (v1, v2):
            for q in qs:
                for u in (maria, bob):
                    answers[p, v, q, u] = AnswerFactory(
                        project=p, video=v, question=q, user=u, value="yes" if q.qtype == "single" else "A sandwich."
                    )
                if q is q_food:
                    AnswerFactory(project=p, video=v, question=q, user=model, value="no")
                reviewer = dee if (p, q) == (p1, q_night) else rev
                override = {(p1, v1, q_food): ada, (p1, v2, q_food): dee, (p2, v1, q_food): dee}.get((p, v, q))
                gt = GroundTruthFactory(
                    project=p,
                    video=v,
                    question=q,
                    reviewer=reviewer,
                    reviewer_value="yes" if q.qtype == "single" else "Food.",
                    value=("no" if override else "yes") if q.qtype == "single" else "Food.",
                    overridden_by=override,
                    overridden_at=now if override else None,
                )
                GroundTruthHistoryFactory(
                    project=p, video=v, question=q, actor=reviewer, new_value=gt.reviewer_value, reviewer_after=reviewer
                )
                if override:
                    GroundTruthHistoryFactory(
                        project=p,
                        video=v,
                        question=q,
                        actor=override,
                        kind=Kind.OVERRIDDEN,
                        source=Source.OVERRIDE,
                        old_value="yes",
                        new_value="no",
                        reviewer_after=reviewer,
                        overridden_by_after=override,
                    )
    for v in (v1, v2):
        AnswerReviewFactory(answer=answers[p1, v, q_desc, maria], reviewer=rev)
    AnswerReviewFactory(answer=answers[p1, v1, q_desc, bob], reviewer=dee, status=AnswerReview.Status.REJECTED)
    AnswerFactory(project=p1, video=v1, question=q_night, user=dee, value="no")
    AnswerFactory(project=p1, video=v2, question=q_night, user=dee, value="yes")
    CustomDisplayFactory(project=p1, video=v1, question=q_food)
    CustomDisplayFactory(project=p1, video=v1, question=q_night)
    CustomDisplayFactory(project=p2, video=v1, question=q_food)
    return SimpleNamespace(**locals())


def snapshot() -> dict[type[Model], set[int]]:
    return {m: set(m.objects.values_list("pk", flat=True)) for m in MODELS}


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def check_deleted(before: dict, expected: dict) -> None:
    """Exactly the `expected` rows (model -> queryset or ids, computed before the delete) are gone."""
    after = snapshot()
    for model in MODELS:
        assert before[model] - after[model] == expected.get(model, set()), model.__name__


def content_of(**scope) -> dict:
    """Answers, their reviews, custom displays, history and GT in a (project, video, question) scope."""
    return {
        Answer: ids(Answer.objects.filter(**scope)),
        AnswerReview: ids(AnswerReview.objects.filter(**{f"answer__{k}": v for k, v in scope.items()})),
        CustomDisplay: ids(CustomDisplay.objects.filter(**scope)),
        GroundTruthHistory: ids(GroundTruthHistory.objects.filter(**scope)),
        GroundTruth: ids(GroundTruth.objects.filter(**scope)),
    }


def added_history(before: dict):
    return GroundTruthHistory.objects.exclude(pk__in=before[GroundTruthHistory])


def assert_deleted_entries(before: dict, gts: list[GroundTruth]) -> None:
    """OVR-DEL-2: one `deleted` entry (source hard_delete, no actor, old value kept) per GT row deleted."""
    entries = added_history(before)
    assert sorted(entries.values_list("project_id", "video_id", "question_id", "kind", "old_value", "new_value")) == (
        sorted((g.project_id, g.video_id, g.question_id, Kind.DELETED, g.value, None) for g in gts)
    )
    assert set(entries.values_list("source", flat=True)) <= {Source.HARD_DELETE}
    assert not entries.filter(actor__isnull=False).exists()


# --------------------------------------------------------------------------- OVR-DEL-1: the kinds


def test_every_kind_of_ovr_del_1_has_a_helper_with_the_spec_keywords():
    assert list(KINDS) == [
        "user",
        "video",
        "question",
        "question_group",
        "schema",
        "project",
        "project_group",
        "group_question",
        "schema_group",
        "project_video",
        "project_group_project",
        "assignment",
        "custom_display",
        "annotation",
        "ground_truth",
        "answer_review",
    ]
    for kind, spec in KINDS.items():
        params = list(inspect.signature(getattr(hd, f"delete_{kind}")).parameters.values())
        assert [p.name for p in params] == [
            *spec.keys,
            "force",
            "backup_first",
            "backup_dir",
            "backup_file",
            "compress",
        ]
        assert [p.default for p in params[len(spec.keys) :]] == [False, True, "./backups", None, True]


# --------------------------------------------------------------------------- OVR-DEL-2: the closure table


def test_ovr_del_2_video_takes_its_memberships_and_everything_recorded_on_it_in_every_project(w):
    before = snapshot()
    expected = content_of(video=w.v1) | {
        ProjectVideo: ids(ProjectVideo.objects.filter(video=w.v1)),
        Video: {w.v1.pk},
    }
    result = hd.delete_video("kitchen_01.mp4", **NO_PROMPT)
    check_deleted(before, expected)
    assert result.deleted == sum(len(v) for v in expected.values())
    assert not added_history(before).exists(), "the video is gone, so no deleted entries"
    assert Answer.objects.filter(video=w.v2, project=w.p2).count() == 3  # the other video untouched


def test_ovr_del_2_project_video_limits_the_closure_to_one_project_and_records_deleted_gt(w):
    gts = list(GroundTruth.objects.filter(project=w.p1, video=w.v1))
    before = snapshot()
    expected = content_of(project=w.p1, video=w.v1) | {
        ProjectVideo: ids(ProjectVideo.objects.filter(project=w.p1, video=w.v1))
    }
    hd.delete_project_video("Kitchen Batch 1", "kitchen_01.mp4", **NO_PROMPT)
    check_deleted(before, expected)
    assert len(gts) == 3
    assert_deleted_entries(before, gts)


def test_ovr_del_2_question_takes_its_group_links_and_its_data_everywhere(w):
    before = snapshot()
    expected = content_of(question=w.q_food) | {
        QuestionGroupQuestion: ids(QuestionGroupQuestion.objects.filter(question=w.q_food)),
        Question: {w.q_food.pk},
    }
    assert len(expected[QuestionGroupQuestion]) == 2 and expected[Answer] & ids(Answer.objects.filter(project=w.p2))
    hd.delete_question("Is food visible?", **NO_PROMPT)
    check_deleted(before, expected)
    assert not added_history(before).exists()


def test_ovr_del_2_group_question_is_limited_to_projects_whose_schema_contains_the_group(w):
    gts = list(GroundTruth.objects.filter(project=w.p1, question=w.q_food))
    before = snapshot()
    expected = content_of(project=w.p1, question=w.q_food) | {
        QuestionGroupQuestion: ids(QuestionGroupQuestion.objects.filter(group=w.g_food, question=w.q_food))
    }
    hd.delete_group_question("Food", "Is food visible?", **NO_PROMPT)
    check_deleted(before, expected)  # batch 2 asks the same question through "Food again": untouched
    assert_deleted_entries(before, gts)
    assert Question.objects.get(pk=w.q_food.pk).is_active  # still in "Food again" (DM-Q-6)


def test_ovr_del_2_question_group_takes_its_links_and_its_questions_data_in_its_projects(w):
    gts = list(GroundTruth.objects.filter(project=w.p1, question__in=[w.q_food, w.q_desc]))
    before = snapshot()
    expected = {
        model: a | b
        for (model, a), b in zip(
            content_of(project=w.p1, question=w.q_food).items(),
            content_of(project=w.p1, question=w.q_desc).values(),
            strict=True,
        )
    } | {
        QuestionGroupQuestion: ids(QuestionGroupQuestion.objects.filter(group=w.g_food)),
        SchemaQuestionGroup: ids(SchemaQuestionGroup.objects.filter(group=w.g_food)),
        QuestionGroup: {w.g_food.pk},
    }
    hd.delete_question_group("Food", **NO_PROMPT)
    check_deleted(before, expected)
    assert_deleted_entries(before, gts)
    # DM-Q-6: the description question is in no group any more; the food question still is.
    assert not Question.objects.get(pk=w.q_desc.pk).is_active
    assert Question.objects.get(pk=w.q_food.pk).is_active


def test_ovr_del_2_schema_group_takes_that_groups_data_in_the_schemas_projects(w):
    gts = list(GroundTruth.objects.filter(project=w.p1, question=w.q_night))
    before = snapshot()
    expected = content_of(project=w.p1, question=w.q_night) | {
        SchemaQuestionGroup: ids(SchemaQuestionGroup.objects.filter(schema=w.s1, group=w.g_night))
    }
    hd.delete_schema_group("Kitchen schema", "Night", **NO_PROMPT)
    check_deleted(before, expected)
    assert_deleted_entries(before, gts)
    assert QuestionGroup.objects.filter(pk=w.g_night.pk).exists()


def project_closure(project: Project) -> dict:
    return content_of(project=project) | {
        Assignment: ids(Assignment.objects.filter(project=project)),
        ProjectVideo: ids(ProjectVideo.objects.filter(project=project)),
        ProjectGroupProject: ids(ProjectGroupProject.objects.filter(project=project)),
        Project: {project.pk},
    }


def test_ovr_del_2_project_takes_memberships_assignments_data_and_group_links(w):
    before = snapshot()
    expected = project_closure(w.p1)
    result = hd.delete_project("Kitchen Batch 1", **NO_PROMPT)
    check_deleted(before, expected)
    assert result.deleted == result.plan.total == sum(len(v) for v in expected.values())
    assert not added_history(before).exists()
    assert Schema.objects.filter(pk=w.s1.pk).exists() and ProjectGroup.objects.filter(pk=w.pg.pk).exists()


def test_ovr_del_2_schema_takes_its_group_links_and_every_project_using_it(w):
    before = snapshot()
    expected = project_closure(w.p1) | {
        SchemaQuestionGroup: ids(SchemaQuestionGroup.objects.filter(schema=w.s1)),
        Schema: {w.s1.pk},
    }
    hd.delete_schema("Kitchen schema", **NO_PROMPT)
    check_deleted(before, expected)
    assert QuestionGroup.objects.filter(title__in=["Food", "Night"]).count() == 2


def test_ovr_del_2_project_group_takes_only_its_membership_links(w):
    before = snapshot()
    expected = {
        ProjectGroupProject: ids(ProjectGroupProject.objects.filter(project_group=w.pg)),
        ProjectGroup: {w.pg.pk},
    }
    hd.delete_project_group("Kitchens", **NO_PROMPT)
    check_deleted(before, expected)


def test_ovr_del_2_project_group_project_deletes_one_link(w):
    link = ProjectGroupProject.objects.get(project=w.p2)
    before = snapshot()
    hd.delete_project_group_project("Kitchens", "Kitchen Batch 2", **NO_PROMPT)
    check_deleted(before, {ProjectGroupProject: {link.pk}})


def test_ovr_del_2_answer_takes_its_review_and_completion_follows(w):
    recompute_completion(project_ids=[w.p1.pk], now=timezone.now())
    row = Assignment.objects.get(user=w.maria, project=w.p1, role=Role.ANNOTATOR)
    assert row.completed_at is not None
    answer = Answer.objects.select_related("review").get(project=w.p1, video=w.v1, question=w.q_desc, user=w.maria)
    before = snapshot()
    hd.delete_annotation("Kitchen Batch 1", "kitchen_01.mp4", "Describe the food.", "Maria Lopez", **NO_PROMPT)
    check_deleted(before, {Answer: {answer.pk}, AnswerReview: {answer.review.pk}})
    row.refresh_from_db()
    assert row.completed_at is None, "DM-DER-7: completion is recomputed after a hard delete"


def test_ovr_del_2_ground_truth_deletes_the_row_and_adds_a_deleted_entry(w):
    gt = GroundTruth.objects.get(project=w.p1, video=w.v1, question=w.q_food)
    before = snapshot()
    hd.delete_ground_truth("Kitchen Batch 1", "kitchen_01.mp4", "Is food visible?", **NO_PROMPT)
    check_deleted(before, {GroundTruth: {gt.pk}})  # its history is kept
    assert_deleted_entries(before, [gt])
    assert added_history(before).get().old_value == "no"  # the value as it stood, override included


def test_answer_review_and_custom_display_delete_one_row(w):
    review = AnswerReview.objects.get(answer__project=w.p1, answer__video=w.v1, answer__user=w.bob)
    display = CustomDisplay.objects.get(project=w.p1, video=w.v1, question=w.q_night)
    before = snapshot()
    hd.delete_answer_review("Kitchen Batch 1", "kitchen_01.mp4", "Describe the food.", "Bob", **NO_PROMPT)
    hd.delete_custom_display("Kitchen Batch 1", "kitchen_01.mp4", "Is it night?", **NO_PROMPT)
    check_deleted(before, {AnswerReview: {review.pk}, CustomDisplay: {display.pk}})


def test_ovr_del_2_user_deletion_reverts_overrides_keeps_history_and_clears_the_user_from_it(w):
    ApiToken.objects.create(user=w.dee, key_digest="d" * 64, prefix="abcd1234")
    LogEntry.objects.create(user=w.dee, action_flag=1, object_repr="Kitchen Batch 1", change_message="")
    gts = list(GroundTruth.objects.filter(reviewer=w.dee))
    overridden = list(GroundTruth.objects.filter(overridden_by=w.dee))
    named = ids(
        GroundTruthHistory.objects.filter(actor=w.dee) | GroundTruthHistory.objects.filter(reviewer_after=w.dee)
    )
    assert len(gts) == 2 and len(overridden) == 2 and named
    before = snapshot()
    expected = {
        AnswerReview: ids(AnswerReview.objects.filter(reviewer=w.dee)),
        Answer: ids(Answer.objects.filter(user=w.dee)),
        GroundTruth: {g.pk for g in gts},
        Assignment: ids(Assignment.objects.filter(user=w.dee)),
        ApiToken: ids(ApiToken.objects.filter(user=w.dee)),
        LogEntry: ids(LogEntry.objects.filter(user=w.dee)),
        User: {w.dee.pk},
    }
    hd.delete_user("Dee Moted", **NO_PROMPT)
    check_deleted(before, expected)
    # Overrides the user made go back to the reviewer's value, each with a `reverted` entry.
    for gt in overridden:
        gt.refresh_from_db()
        assert (gt.value, gt.overridden_by_id, gt.overridden_at) == (gt.reviewer_value, None, None)
    added = added_history(before)
    reverted = added.filter(kind=Kind.REVERTED)
    assert sorted(reverted.values_list("video_id", "project_id", "old_value", "new_value", "reviewer_after_id")) == (
        sorted((g.video_id, g.project_id, "no", "yes", w.rev.pk) for g in overridden)
    )
    deleted = added.filter(kind=Kind.DELETED)
    assert sorted(deleted.values_list("question_id", "old_value")) == sorted((g.question_id, g.value) for g in gts)
    assert set(added.values_list("source", flat=True)) == {Source.HARD_DELETE}
    # History entries are kept with their values; the user is cleared from them (DM-HIST-3).
    kept = GroundTruthHistory.objects.filter(pk__in=named)
    assert kept.count() == len(named)
    assert set(kept.values_list("actor", flat=True)) == {None}
    assert set(kept.filter(kind=Kind.OVERRIDDEN).values_list("new_value", flat=True)) == {"no"}


# --------------------------------------------------------------------------- OVR-DEL-3: assignments by role


def test_ovr_del_3_admin_row_reverts_that_admins_overrides_in_the_project_only(w):
    mine = GroundTruth.objects.get(project=w.p1, overridden_by=w.dee)
    elsewhere = GroundTruth.objects.get(project=w.p2, overridden_by=w.dee)
    row = Assignment.objects.get(user=w.dee, project=w.p1, role=Role.ADMIN)
    before = snapshot()
    hd.delete_assignment("Dee Moted", "Kitchen Batch 1", "admin", **NO_PROMPT)
    check_deleted(before, {Assignment: {row.pk}})
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (mine.value, mine.overridden_by_id) == ("yes", None)
    assert (elsewhere.value, elsewhere.overridden_by_id) == ("no", w.dee.pk)
    entry = added_history(before).get()
    assert (entry.kind, entry.source, entry.actor_id, entry.old_value, entry.new_value, entry.question_id) == (
        Kind.REVERTED,
        Source.HARD_DELETE,
        None,
        "no",
        "yes",
        w.q_food.pk,
    )


def test_ovr_del_3_global_admin_rows_are_refused_demote_first(w):
    before = snapshot()
    for role in ("admin", "reviewer", "annotator"):
        with pytest.raises(HardDeleteError, match="global admin.*demote them first"):
            hd.delete_assignment("Ada Min", "Kitchen Batch 1", role, **NO_PROMPT)
    assert snapshot() == before


def test_ovr_del_3_reviewer_row_takes_the_admin_row_attributed_gt_and_reviews_made_in_the_project(w):
    gts = list(GroundTruth.objects.filter(project=w.p1, reviewer=w.dee))
    before = snapshot()
    expected = {
        Assignment: ids(Assignment.objects.filter(user=w.dee, project=w.p1, role__in=[Role.REVIEWER, Role.ADMIN])),
        GroundTruth: {g.pk for g in gts},
        AnswerReview: ids(AnswerReview.objects.filter(reviewer=w.dee, answer__project=w.p1)),
    }
    hd.delete_assignment("Dee Moted", "Kitchen Batch 1", "reviewer", **NO_PROMPT)
    check_deleted(before, expected)  # annotator row and answers stay
    added = added_history(before)
    assert sorted(added.values_list("kind", flat=True)) == [Kind.DELETED, Kind.DELETED, Kind.REVERTED]
    assert GroundTruth.objects.get(project=w.p1, video=w.v2, question=w.q_food).overridden_by is None
    assert GroundTruth.objects.get(project=w.p2, video=w.v1, question=w.q_food).overridden_by == w.dee


def test_ovr_del_3_annotator_row_takes_every_role_and_the_users_answers_in_the_project(w):
    AnswerReviewFactory(answer=Answer.objects.get(user=w.dee, video=w.v1), reviewer=w.rev)
    before = snapshot()
    expected = {
        Assignment: ids(Assignment.objects.filter(user=w.dee, project=w.p1)),
        GroundTruth: ids(GroundTruth.objects.filter(project=w.p1, reviewer=w.dee)),
        AnswerReview: ids(AnswerReview.objects.filter(answer__project=w.p1, reviewer=w.dee))
        | ids(AnswerReview.objects.filter(answer__user=w.dee)),
        Answer: ids(Answer.objects.filter(project=w.p1, user=w.dee)),
    }
    assert len(expected[Assignment]) == 3 and len(expected[AnswerReview]) == 2
    hd.delete_assignment("Dee Moted", "Kitchen Batch 1", "annotator", **NO_PROMPT)
    check_deleted(before, expected)
    assert added_history(before).filter(kind=Kind.REVERTED).count() == 1


def test_ovr_del_3_model_row_takes_the_model_answers_in_that_project(w):
    before = snapshot()
    expected = {
        Assignment: ids(Assignment.objects.filter(user=w.model, project=w.p1)),
        Answer: ids(Answer.objects.filter(user=w.model, project=w.p1)),
    }
    hd.delete_assignment("Model 1", "Kitchen Batch 1", "model", **NO_PROMPT)
    check_deleted(before, expected)
    assert Answer.objects.filter(user=w.model, project=w.p2).count() == 2


def test_unknown_role_and_missing_row_are_errors(w):
    with pytest.raises(HardDeleteError, match='unknown role "boss"'):
        plan_delete("assignment", "Bob", "Kitchen Batch 1", "boss")
    with pytest.raises(
        HardDeleteError, match='no assignment with user_id "Bob", project_name "Kitchen Batch 1", role "reviewer"'
    ):
        plan_delete("assignment", "Bob", "Kitchen Batch 1", "reviewer")


# --------------------------------------------------------------------------- OVR-DEL-4: the procedure


def test_unknown_key_names_the_kind_and_key_and_deletes_nothing(w):
    before = snapshot()
    with pytest.raises(HardDeleteError, match='no video with video_uid "nope.mp4"'):
        hd.delete_video("nope.mp4", **NO_PROMPT)
    with pytest.raises(
        HardDeleteError,
        match='no annotation with project_name "Kitchen Batch 2", video_uid "kitchen_01.mp4", '
        'question_text "Is it night\\?", user_id "Bob"',
    ):
        hd.delete_annotation("Kitchen Batch 2", "kitchen_01.mp4", "Is it night?", "Bob", **NO_PROMPT)
    assert snapshot() == before


def no_reply(prompt=""):
    raise EOFError  # stdin closed, nothing typed


@pytest.mark.parametrize("reply", [lambda prompt="": "delete", lambda prompt="": "yes", no_reply])
def test_typing_anything_but_delete_cancels(w, monkeypatch, capsys, reply):
    monkeypatch.setattr("builtins.input", reply)
    before = snapshot()
    result = hd.delete_project("Kitchen Batch 1", backup_first=False)
    assert result.cancelled and result.deleted == 0
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "Cancelled: nothing was deleted." in out and "Deleted" not in out


def test_typing_delete_deletes_and_force_does_not_ask(w, monkeypatch):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or "DELETE")
    result = hd.delete_project_group("Kitchens", backup_first=False)
    assert prompts == ["Type DELETE to delete these rows: "] and result.deleted == 3
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("--force must not ask"))
    hd.delete_project("Kitchen Batch 2", force=True, backup_first=False)
    assert not Project.objects.filter(name="Kitchen Batch 2").exists()


def test_a_backup_is_written_first(w, tmp_path, capsys):
    old_umask = os.umask(0)
    try:
        result = hd.delete_video("kitchen_02.mp4", force=True, backup_dir=tmp_path, compress=False)
    finally:
        os.umask(old_umask)
    assert result.backup.path.parent == tmp_path and result.backup.path.exists()
    assert stat.S_IMODE(result.backup.path.stat().st_mode) == 0o600  # issue 16.2: it holds password hashes
    assert result.backup.path.name.startswith("backup_before_hard_delete_video_")
    assert "kitchen_02.mp4" in result.backup.path.read_text()  # taken before the delete
    assert f"Backup written to {result.backup.path}" in capsys.readouterr().out


@pytest.mark.parametrize(("reply", "deleted"), [("CONTINUE", True), ("continue", False)])
def test_a_failed_backup_asks_for_continue(w, tmp_path, monkeypatch, capsys, reply, deleted):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or reply)
    result = hd.delete_video("kitchen_02.mp4", force=True, backup_dir=blocker)
    assert prompts == ["Type CONTINUE to delete without a backup: "]
    assert Video.objects.filter(video_uid="kitchen_02.mp4").exists() is not deleted
    assert result.backup is None and result.cancelled is not deleted
    assert "Backup failed: cannot write backup" in capsys.readouterr().out


def test_a_failure_midway_deletes_nothing(w, monkeypatch):
    plan = plan_delete("project", "Kitchen Batch 1")
    before = snapshot()

    def boom(now):
        raise DatabaseError("disk full")

    plan.steps[3].apply = boom
    with pytest.raises(DatabaseError):
        execute(plan)
    assert snapshot() == before
    assert GroundTruth.objects.filter(overridden_by__isnull=False).count() == 3


def test_the_helper_reports_a_failed_delete_and_rolls_back(w, monkeypatch):
    calls = []
    real = hd_plan._delete

    def third_fails(queryset):
        calls.append(queryset.model)
        if len(calls) == 3:
            raise DatabaseError("deadlock detected")
        return real(queryset)

    monkeypatch.setattr(hd_plan, "_delete", third_fails)
    before = snapshot()
    with pytest.raises(HardDeleteError, match="rolled back: deadlock detected"):
        hd.delete_user("Dee Moted", **NO_PROMPT)
    assert snapshot() == before
    assert GroundTruth.objects.filter(overridden_by=w.dee).count() == 2  # the revert was rolled back too


def test_a_missed_dependant_fails_inside_the_transaction(w):
    plan = plan_delete("video", "kitchen_02.mp4")
    plan.steps = [s for s in plan.steps if s.queryset.model is not Answer]  # answers would be left pointing at it
    before = snapshot()
    with pytest.raises(DatabaseError):
        execute(plan)
    assert snapshot() == before


def test_the_plan_is_numbered_leaf_first_and_summarised_after_the_line_limit(w, monkeypatch):
    monkeypatch.setattr(hd_plan, "LINE_LIMIT", 2)
    plan = plan_delete("project", "Kitchen Batch 2")
    lines = plan.render().splitlines()
    assert lines[0] == 'Hard delete project "Kitchen Batch 2". The plan, leaves first:'
    assert lines[1].startswith(
        '1. Delete "Maria Lopez" answer to "Is food visible?" on kitchen_01.mp4 in "Kitchen Batch 2"'
    )
    assert "   … and 4 more answers (3 to 6)" in lines
    assert lines[-2] == '24. Delete project "Kitchen Batch 2"'
    assert lines[-1] == f"Total: {plan.total} rows to delete."
    assert plan.total == 24 == execute(plan)


# --------------------------------------------------------------------------- the command


def test_command_prints_the_plan_and_the_count(w, capsys):
    out = StringIO()
    call_command(
        "hard_delete",
        "annotation",
        "Kitchen Batch 1",
        "kitchen_01.mp4",
        "Describe the food.",
        "Maria Lopez",
        "--force",
        "--no-backup",
        stdout=out,
    )
    text = out.getvalue()
    assert '1. Delete "Rev Iewer" review (approved) of "Maria Lopez" answer to "Describe the food." on ' in text
    assert '2. Delete "Maria Lopez" answer to "Describe the food." on kitchen_01.mp4 in "Kitchen Batch 1"' in text
    assert "Total: 2 rows to delete." in text
    assert "Deleted 2 rows" in text
    assert not Answer.objects.filter(user=w.maria, video=w.v1, question=w.q_desc, project=w.p1).exists()


def test_command_reads_the_confirmation_from_stdin_and_backs_up(w, monkeypatch, tmp_path):
    out = StringIO()
    monkeypatch.setattr("builtins.input", lambda prompt="": "DELETE")
    call_command("hard_delete", "ground_truth", "Kitchen Batch 2", "kitchen_02.mp4", "Is food visible?",
                 "--backup-dir", str(tmp_path), stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "Type DELETE to delete these rows: " in text and "Deleted 1 rows" in text
    assert [p.name for p in tmp_path.glob("backup_before_hard_delete_ground_truth_*.jsonl.gz")]
    monkeypatch.setattr("builtins.input", lambda prompt="": "no")
    out = StringIO()
    call_command("hard_delete", "project", "Kitchen Batch 2", "--no-backup", stdout=out)
    assert "Cancelled: nothing was deleted." in out.getvalue()
    assert Project.objects.filter(name="Kitchen Batch 2").exists()


def test_command_errors(w):
    with pytest.raises(CommandError, match="project_video takes 2 key\\(s\\): PROJECT_NAME VIDEO_UID; got 1"):
        call_command("hard_delete", "project_video", "Kitchen Batch 1", "--force")
    with pytest.raises(CommandError, match='no project with project_name "Nope". Nothing was deleted.'):
        call_command("hard_delete", "project", "Nope", "--force", "--no-backup")
    with pytest.raises(CommandError, match="demote them first"):
        call_command("hard_delete", "assignment", "Ada Min", "Kitchen Batch 1", "admin", "--force", "--no-backup")


# --------------------------------------------------------------------------- cost


def test_deleting_a_big_project_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    questions = [SingleQuestionFactory() for _ in range(3)]
    videos = [VideoFactory() for _ in range(20)]
    users = [UserFactory() for _ in range(10)]
    project = ProjectFactory(schema=SchemaFactory(groups=[QuestionGroupFactory(questions=questions)]), videos=videos)
    Answer.objects.bulk_create(
        Answer(project=project, video=v, question=q, user=u, value="yes")
        for v in videos
        for q in questions
        for u in users
    )
    GroundTruth.objects.bulk_create(
        GroundTruth(project=project, video=v, question=q, reviewer=users[0], value="yes", reviewer_value="yes")
        for v in videos
        for q in questions
    )
    Assignment.objects.bulk_create(Assignment(project=project, user=u, role=Role.ANNOTATOR) for u in users)
    with django_assert_max_num_queries(40):
        deleted = execute(plan_delete("project", project.name))
    assert deleted == 600 + 60 + 10 + 20 + 1
    assert not Answer.objects.exists()
