"""sync_ground_truths (SYNC-GT-1..7, DM-GT, DM-HIST), with prerequisites built by factories."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotation.models import GroundTruth, GroundTruthHistory
from catalog import question_types
from catalog.models import Assignment, Project, QuestionGroup, User, Video
from catalog.tests.factories import (
    AdminFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from syncing.helpers import SyncError, sync_from_folder, sync_ground_truths
from syncing.tests.kitchen import DESCRIBE, DROP, VISIBLE, assign
from syncing.tests.seed_guide import build_seed_state

pytestmark = pytest.mark.django_db
Role = Assignment.Role
Kind = GroundTruthHistory.Kind
SRC = "<ground_truths_data>"
KEY = "Kitchen Batch 1 / kitchen_01.mp4 / Food"
RAMEN = "Ramen noodle soup in a white bowl."


def gt(**changes) -> dict:
    record = {
        "question_group_title": "Food",
        "project_name": "Kitchen Batch 1",
        "user_name": "Sam Okoye",
        "video_uid": "kitchen_01.mp4",
        "answers": {VISIBLE: "yes", DESCRIBE: RAMEN},
        "is_ground_truth": True,
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not DROP}


def spec_example() -> list[dict]:
    """SYNC-GT's example, verbatim."""
    return [
        {
            "question_group_title": "Food",
            "project_name": "Kitchen Batch 1",
            "user_name": "Sam Okoye",
            "video_uid": "kitchen_01.mp4",
            "answers": {"Is food visible?": "yes", "Describe the food.": "Ramen noodle soup in a white bowl."},
            "admin_overrides": {"Describe the food.": {"admin_name": "Admin One", "reviewer_answer": "Noodle soup."}},
            "is_ground_truth": True,
        }
    ]


def override(admin="Admin One", answer="Noodle soup.") -> dict:
    return {DESCRIBE: {"admin_name": admin, "reviewer_answer": answer}}


def sync(data, **kwargs):
    return sync_ground_truths(ground_truths_data=data, quiet=True, **kwargs)


def snapshot() -> list:
    return [
        sorted(GroundTruth.objects.values_list()),
        sorted(GroundTruthHistory.objects.values_list()),
        sorted(Assignment.objects.values_list("id", "completed_at", "is_active")),
    ]


def fails(data, line: str) -> SyncError:
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync(data)
    assert line in str(excinfo.value).splitlines(), str(excinfo.value)
    assert snapshot() == before
    return excinfo.value


def row(question) -> GroundTruth:
    return GroundTruth.objects.select_related("reviewer", "overridden_by").get(
        question=question, video__video_uid="kitchen_01.mp4"
    )


def history(question) -> list[tuple]:
    return list(
        GroundTruthHistory.objects.filter(question=question)
        .order_by("id")
        .values_list(
            "kind",
            "old_value",
            "new_value",
            "actor__user_id",
            "reviewer_after__user_id",
            "overridden_by_after__user_id",
            "source",
        )
    )


def changes(report) -> list[tuple]:
    return [(c.action, c.key, c.fields) for c in report.changes if c.table == "ground truths"]


def assert_dm_gt_2():
    for g in GroundTruth.objects.all():
        assert (g.overridden_by_id is None) == (g.value == g.reviewer_value)
        assert (g.overridden_by_id is None) or g.overridden_at is not None


# --------------------------------------------------------------------------- creating


def test_sync_gt_example_creates_attributed_and_overridden_gt_with_history(kitchen):
    report = sync(spec_example())
    assert changes(report) == [("created", KEY, [])]
    visible, describe = row(kitchen.visible), row(kitchen.describe)
    assert (visible.value, visible.reviewer_value, visible.reviewer, visible.overridden_by) == (
        "yes",
        "yes",
        kitchen.sam,
        None,
    )
    assert (describe.value, describe.reviewer_value, describe.reviewer, describe.overridden_by) == (
        RAMEN,
        "Noodle soup.",
        kitchen.sam,
        kitchen.admin,
    )
    assert describe.overridden_at == describe.created_at == describe.modified_at
    assert history(kitchen.visible) == [("created", None, "yes", "Sam Okoye", "Sam Okoye", None, "sync")]
    assert history(kitchen.describe) == [
        ("created", None, "Noodle soup.", "Sam Okoye", "Sam Okoye", None, "sync"),
        ("overridden", "Noodle soup.", RAMEN, "Admin One", "Sam Okoye", "Admin One", "sync"),
    ]
    assert_dm_gt_2()


def test_sync_gt_5_confidence_scores_are_stored(kitchen):
    sync([gt(confidence_scores={VISIBLE: 1})])
    assert (row(kitchen.visible).confidence_score, row(kitchen.describe).confidence_score) == (1.0, None)
    report = sync([gt(confidence_scores={VISIBLE: 0.5})])
    assert changes(report) == [("updated", KEY, ["confidence_scores"])]
    assert GroundTruthHistory.objects.count() == 2  # confidence is not a GT value: no history entry


# --------------------------------------------------------------------------- shape (SYNC-GT-1/2)


def test_sync_gt_1_is_ground_truth_must_be_true(kitchen):
    fails(
        [gt(is_ground_truth=False)],
        f'{SRC}[0] "{KEY}" .is_ground_truth: must be true for ground truth; load annotator answers with '
        "sync_annotations",
    )


def test_sync_gt_1_reviews_are_not_a_ground_truth_key(kitchen):
    fails([gt(reviews={})], f'{SRC}[0] "{KEY}": unexpected key "reviews"')
    fails([gt(answers=DROP)], f'{SRC}[0] "{KEY}" .answers: is required')


def test_sync_gt_2_key_has_no_user(kitchen):
    fails(
        [gt(), gt(user_name="Admin One")],
        f'{SRC}[1] "{KEY}": duplicate ground truth (project, video, group); first at index 0',
    )


# --------------------------------------------------------------------------- SYNC-GT-3


def test_sync_gt_3_answers_follow_the_annotation_rules(kitchen):
    error = fails(
        [gt(answers={VISIBLE: "maybe", "Describe it": "x"})],
        f'{SRC}[0] "{KEY}" .answers: missing: "{DESCRIBE}"; unexpected: "Describe it"',
    )
    assert f'{SRC}[0] "{KEY}" .answers["{VISIBLE}"]: "maybe" is not an option of question "{VISIBLE}" (yes, no)' in str(
        error
    )
    fails(
        [gt(video_uid="nope.mp4")],
        f'{SRC}[0] "Kitchen Batch 1 / nope.mp4 / Food" .video_uid: video "nope.mp4" does not exist',
    )


def test_sync_err_3_spec_example_line_for_a_model_user(tmp_path):
    build_seed_state()
    folder = tmp_path / "ws"
    (folder / "ground_truths").mkdir(parents=True)
    record = {
        "question_group_title": "Human",
        "project_name": "Human Test 0",
        "user_name": "Model 1",
        "video_uid": "human.mp4",
        "answers": {"Number of people?": "0", "If there are people, describe them.": ""},
        "is_ground_truth": True,
    }
    (folder / "ground_truths" / "h.json").write_text(json.dumps([record]))
    with pytest.raises(SyncError) as excinfo:
        sync_from_folder(folder, quiet=True)
    assert str(excinfo.value).splitlines()[1:] == [
        'ground_truths/h.json[0] "Human Test 0 / human.mp4 / Human" .user_name: '
        'user "Model 1" is a model user and cannot set ground truth'
    ]
    assert not GroundTruth.objects.exists()


def test_sync_gt_3_model_users_are_refused_even_on_unchanged_records(kitchen):
    sync([gt()])
    GroundTruth.objects.update(reviewer=kitchen.bot)
    fails(
        [gt(user_name="DetectorBot")],
        f'{SRC}[0] "{KEY}" .user_name: user "DetectorBot" is a model user and cannot set ground truth',
    )


# --------------------------------------------------------------------------- SYNC-GT-4


def test_sync_gt_4_admin_overrides_shape(kitchen):
    where = f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"]'
    error = fails(
        [gt(admin_overrides={DESCRIBE: {"admin_name": "Admin One"}})], f"{where}.reviewer_answer: is required"
    )
    fails([gt(admin_overrides={DESCRIBE: {**override()[DESCRIBE], "at": "now"}})], f'{where}: unexpected key "at"')
    fails([gt(admin_overrides={DESCRIBE: "Admin One"})], f"{where}: must be an object, got a string")
    fails([gt(admin_overrides=override(admin=None))], f"{where}.admin_name: must be a string, got null")
    assert error.errors[0]["field"] == f'.admin_overrides["{DESCRIBE}"].reviewer_answer'


def test_sync_gt_4_admin_must_exist_and_not_be_a_model(kitchen):
    where = f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"].admin_name'
    fails([gt(admin_overrides=override(admin="Nobody"))], f'{where}: user "Nobody" does not exist')
    fails(
        [gt(admin_overrides=override(admin="DetectorBot"))],
        f'{where}: user "DetectorBot" is a model user and cannot override ground truth',
    )


def test_sync_gt_4_reviewer_answer_is_valid_and_differs(kitchen):
    fails(
        [gt(admin_overrides={VISIBLE: {"admin_name": "Admin One", "reviewer_answer": "maybe"}})],
        f'{SRC}[0] "{KEY}" .admin_overrides["{VISIBLE}"].reviewer_answer: "maybe" is not an option of question '
        f'"{VISIBLE}" (yes, no)',
    )
    fails(
        [gt(admin_overrides=override(answer=RAMEN))],
        f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"].reviewer_answer: "{RAMEN}" equals the ground truth in '
        "answers; an override's reviewer answer must differ",
    )
    fails(
        [gt(admin_overrides={"Other?": override()[DESCRIBE]})],
        f'{SRC}[0] "{KEY}" .admin_overrides["Other?"]: "Other?" is not a question of question group "Food"',
    )


# --------------------------------------------------------------------------- SYNC-GT-5 / SYNC-GT-7


def test_sync_gt_7_resync_of_overridden_gt_is_unchanged_with_or_without_the_override(kitchen):
    sync(spec_example())
    before = snapshot()
    assert changes(sync(spec_example())) == []
    assert changes(sync([gt()])) == []  # not listed, same value: the override is kept
    assert snapshot() == before


def test_sync_gt_5_changing_an_overridden_value_requires_listing_the_override(kitchen):
    sync(spec_example())
    date = row(kitchen.describe).overridden_at.strftime("%Y-%m-%d")
    fails(
        [gt(answers={VISIBLE: "yes", DESCRIBE: "Soup."})],
        f'{SRC}[0] "{KEY}" .answers["{DESCRIBE}"]: GT for "{DESCRIBE}" was overridden by admin "Admin One" on '
        f"{date}; list it in admin_overrides to change it",
    )


def test_sync_gt_5_unlisted_override_survives_a_reattribution(kitchen):
    sync(spec_example())
    report = sync([gt(user_name="Admin One")])
    assert changes(report) == [("updated", KEY, ["user_name"])]
    describe = row(kitchen.describe)
    assert (describe.reviewer, describe.overridden_by, describe.reviewer_value) == (
        kitchen.admin,
        kitchen.admin,
        "Noodle soup.",
    )
    assert history(kitchen.describe)[-1] == (
        "reattributed",
        RAMEN,
        RAMEN,
        "Admin One",
        "Admin One",
        "Admin One",
        "sync",
    )
    assert history(kitchen.visible)[-1] == ("reattributed", "yes", "yes", "Admin One", "Admin One", None, "sync")


# --------------------------------------------------------------------------- SYNC-GT-6


def test_sync_gt_6_user_must_hold_or_have_held_reviewer_or_admin(kitchen):
    fails(
        [gt(user_name="Maria Lopez")],
        f'{SRC}[0] "{KEY}" .user_name: user "Maria Lopez" holds no reviewer or admin role in project '
        '"Kitchen Batch 1", active or archived, and is not a global admin',
    )
    Assignment.objects.filter(user=kitchen.sam).update(is_active=False)  # has held
    assert changes(sync([gt()])) == [("created", KEY, [])]


def test_sync_gt_6_a_global_admin_needs_no_rows(kitchen):
    Assignment.objects.filter(user=kitchen.admin).delete()
    assert changes(sync([gt(user_name="Admin One")])) == [("created", KEY, [])]


def test_sync_gt_6_admin_name_must_hold_or_have_held_admin(kitchen):
    fails(
        [gt(admin_overrides=override(admin="Maria Lopez"))],
        f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"].admin_name: user "Maria Lopez" holds no admin role in '
        'project "Kitchen Batch 1", active or archived, and is not a global admin',
    )
    former = UserFactory(user_id="Former Admin")
    assign(former, kitchen.project, Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN, active=False)
    sync([gt(admin_overrides=override(admin="Former Admin"))])
    assert row(kitchen.describe).overridden_by == former


def test_sync_gt_6_archived_project_video_user_or_admin_refuse_a_change(kitchen):
    sync([gt()])
    Project.objects.filter(pk=kitchen.project.pk).update(is_active=False)
    Video.objects.filter(video_uid="kitchen_01.mp4").update(is_active=False)
    User.objects.filter(pk__in=[kitchen.sam.pk]).update(is_active=False)
    former = AdminFactory(user_id="Old Admin")
    assign(former, kitchen.project, Role.ADMIN)
    User.objects.filter(pk=former.pk).update(is_active=False, is_staff=False, is_superuser=False)
    error = fails(
        [gt(admin_overrides=override(admin="Old Admin"))],
        f'{SRC}[0] "{KEY}" .project_name: project "Kitchen Batch 1" is archived; ground truth cannot change in it',
    )
    text = str(error)
    assert f'{SRC}[0] "{KEY}" .video_uid: video "kitchen_01.mp4" is archived; ground truth cannot change on it' in text
    assert f'{SRC}[0] "{KEY}" .user_name: user "Sam Okoye" is archived and cannot change ground truth' in text
    assert (
        f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"].admin_name: user "Old Admin" is archived and cannot '
        "override ground truth" in text
    )


def test_sync_gen_10_unchanged_gt_in_archived_project_is_accepted(kitchen):
    sync(spec_example())
    Project.objects.filter(pk=kitchen.project.pk).update(is_active=False)
    User.objects.filter(pk=kitchen.sam.pk).update(is_active=False)
    assert sync(spec_example()).counts["ground truths"]["unchanged"] == 1


def test_sync_gt_6_verification_runs_on_the_final_answers(kitchen):
    fails(
        [gt(answers={VISIBLE: "no", DESCRIBE: "Pasta."})],
        f'{SRC}[0] "{KEY}" .answers: Answer verification failed: Leave the description empty when no food is visible',
    )
    # The reviewer's pre-override answer is not verified: only the final GT is (SYNC-VER-5).
    sync([gt(answers={VISIBLE: "no", DESCRIBE: ""}, admin_overrides=override(answer="Pasta."))])
    assert row(kitchen.describe).reviewer_value == "Pasta."


# --------------------------------------------------------------------------- writes and history (DM-HIST)


def test_dm_hist_1_value_change_is_changed_and_only_that_row_is_written(kitchen):
    sync([gt()])
    untouched = row(kitchen.visible).modified_at
    report = sync([gt(answers={VISIBLE: "yes", DESCRIBE: "Soup."})])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]'])]
    assert row(kitchen.visible).modified_at == untouched
    assert row(kitchen.describe).modified_at > untouched
    assert history(kitchen.describe)[-1] == ("changed", RAMEN, "Soup.", "Sam Okoye", "Sam Okoye", None, "sync")
    assert len(history(kitchen.visible)) == 1


def test_dm_gt_3_every_row_of_the_group_gets_the_new_reviewer(kitchen):
    sync([gt()])
    report = sync([gt(user_name="Admin One", answers={VISIBLE: "yes", DESCRIBE: "Soup."})])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]', "user_name"])]
    assert set(GroundTruth.objects.values_list("reviewer__user_id", flat=True)) == {"Admin One"}
    assert history(kitchen.visible)[-1] == ("reattributed", "yes", "yes", "Admin One", "Admin One", None, "sync")
    assert history(kitchen.describe)[-1] == ("changed", RAMEN, "Soup.", "Admin One", "Admin One", None, "sync")


def test_sync_gt_6_adding_an_override_to_existing_gt(kitchen):
    sync([gt(answers={VISIBLE: "yes", DESCRIBE: "Noodle soup."})])
    report = sync(spec_example())
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]', f'admin_overrides["{DESCRIBE}"]'])]
    describe = row(kitchen.describe)
    assert describe.overridden_at == describe.modified_at
    assert history(kitchen.describe)[-1] == (
        "overridden",
        "Noodle soup.",
        RAMEN,
        "Admin One",
        "Sam Okoye",
        "Admin One",
        "sync",
    )
    assert_dm_gt_2()


def test_sync_gt_6_changing_the_reviewer_answer_under_an_override(kitchen):
    sync(spec_example())
    overridden_at = row(kitchen.describe).overridden_at
    report = sync([gt(admin_overrides=override(answer="Soup."))])
    assert changes(report) == [("updated", KEY, [f'admin_overrides["{DESCRIBE}"]'])]
    describe = row(kitchen.describe)
    assert (describe.value, describe.reviewer_value, describe.overridden_at) == (RAMEN, "Soup.", overridden_at)
    assert history(kitchen.describe)[-1] == (
        "changed",
        "Noodle soup.",
        "Soup.",
        "Sam Okoye",
        "Sam Okoye",
        "Admin One",
        "sync",
    )


def test_sync_gt_6_a_new_admin_overrides_again(kitchen):
    sync(spec_example())
    other = AdminFactory(user_id="Admin Two")
    report = sync([gt(answers={VISIBLE: "yes", DESCRIBE: "Pho."}, admin_overrides=override(admin="Admin Two"))])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]', f'admin_overrides["{DESCRIBE}"]'])]
    assert row(kitchen.describe).overridden_by == other
    assert history(kitchen.describe)[-1] == ("overridden", RAMEN, "Pho.", "Admin Two", "Sam Okoye", "Admin Two", "sync")
    assert_dm_gt_2()


def test_sync_gen_12_unchanged_rerun_writes_nothing(kitchen):
    sync(spec_example())
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = sync(spec_example())
    assert (report.counts["ground truths"]["unchanged"], report.changes) == (1, [])
    assert snapshot() == before
    assert [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")] == []


def test_sync_out_1_dry_run_writes_nothing_and_reports_the_real_plan(kitchen):
    sync([gt()])
    records = [gt(user_name="Admin One"), gt(video_uid="yt_street_02", answers={VISIBLE: "no", DESCRIBE: ""})]
    before = snapshot()
    dry = sync(records, dry_run=True)
    assert snapshot() == before
    real = sync(records)
    assert dry.body_lines() == real.body_lines()
    assert changes(real) == [
        ("updated", KEY, ["user_name"]),
        ("created", "Kitchen Batch 1 / yt_street_02 / Food", []),
    ]


# --------------------------------------------------------------------------- completion (DM-DER-7)


def test_dm_der_7_complete_gt_sets_reviewer_completed_at(kitchen):
    reviewer_row = Assignment.objects.get(user=kitchen.sam, role=Role.REVIEWER)
    sync([gt(video_uid=v.video_uid) for v in kitchen.videos[:2]])
    reviewer_row.refresh_from_db()
    assert reviewer_row.completed_at is None
    sync([gt(video_uid=v.video_uid) for v in kitchen.videos])
    reviewer_row.refresh_from_db()
    assert reviewer_row.completed_at == GroundTruth.objects.order_by("-id").first().created_at


# --------------------------------------------------------------------------- SYNC-GEN-13


def test_sync_gen_13_query_count_does_not_grow_with_records():
    group = QuestionGroupFactory(title="G", questions=[SingleQuestionFactory(), DescriptionQuestionFactory()])
    questions = list(group.questions.order_by("group_memberships__position"))
    videos = [VideoFactory() for _ in range(31)]  # neither run completes GT: completion writes stay equal
    projects = [ProjectFactory(schema=SchemaFactory(groups=[group]), videos=videos) for _ in range(2)]
    reviewer, admin = UserFactory(), AdminFactory()
    for p in projects:
        assign(reviewer, p, Role.ANNOTATOR, Role.REVIEWER)
        assign(admin, p, Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN)

    def records(project, n, value="yes", user=reviewer):
        return [
            {
                "question_group_title": "G",
                "project_name": project.name,
                "user_name": user.user_id,
                "video_uid": v.video_uid,
                "answers": {questions[0].text: value, questions[1].text: f"{value} final"},
                "admin_overrides": {questions[1].text: {"admin_name": admin.user_id, "reviewer_answer": value}},
                "is_ground_truth": True,
            }
            for v in videos[:n]
        ]

    counts = []
    for project, n in ((projects[0], 3), (projects[1], 30)):
        runs = []
        for data in (records(project, n), records(project, n, "no"), records(project, n, "no", admin), None):
            with CaptureQueriesContext(connection) as queries:
                sync(data or records(project, n, "no", admin))
            runs.append(len(queries))
        counts.append(runs)
    assert counts[0] == counts[1]
    assert GroundTruth.objects.count() == 66


# --------------------------------------------------------------------------- the seed guide, step 8


def test_seed_guide_8_3_and_8_4_run_as_written():
    seed = build_seed_state()
    ground_truths_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "User 1 New",  # User must have at least "annotation" privileges
            "video_uid": "human.mp4",
            "answers": {  # Answers must include all and only the questions defined in the question group
                "Number of people?": "0",
                "If there are people, describe them.": "",
            },
            "is_ground_truth": True,  # must be True
        }
    ]
    report = sync_ground_truths(ground_truths_data=ground_truths_data, quiet=True)
    assert changes(report) == [("created", "Human Test 0 / human.mp4 / Human", [])]
    ground_truths_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Admin 1",  # User must have at least "annotation" privileges
            "video_uid": "human.mp4",
            "answers": {  # Answers must include all and only the questions defined in the question group
                "Number of people?": "1",
                "If there are people, describe them.": "The person appears to be a large man with a full beard "
                "and closely cropped hair.",
            },
            "is_ground_truth": True,  # must be True
        }
    ]
    report = sync_ground_truths(ground_truths_data=ground_truths_data, quiet=True)
    assert changes(report) == [
        (
            "updated",
            "Human Test 0 / human.mp4 / Human",
            ['answers["If there are people, describe them."]', 'answers["Number of people?"]', "user_name"],
        )
    ]
    assert set(GroundTruth.objects.values_list("reviewer", flat=True)) == {seed["admin"].pk}
    assert GroundTruth.objects.get(question=seed["people"]).value == "1"
    kinds = list(GroundTruthHistory.objects.order_by("id").values_list("kind", "actor__user_id"))
    assert kinds == [
        ("created", "User 1 New"),
        ("created", "User 1 New"),
        ("changed", "Admin 1"),
        ("changed", "Admin 1"),
    ]
    assert sync_ground_truths(ground_truths_data=ground_truths_data, quiet=True).changes == []
    assert QuestionGroup.objects.get(title="Human").verification_function == "check_human_description"


def test_ground_truth_of_a_type_no_longer_registered_is_refused(kitchen, monkeypatch):
    """docs/question_types.md: never read as a description; the answer and the override name the question."""
    monkeypatch.delitem(question_types.TYPES, "description")
    unknown = f'question "{DESCRIBE}": "description" is not a question type (single, multiple)'
    fails([gt()], f'{SRC}[0] "{KEY}" .answers["{DESCRIBE}"]: {unknown}')
    fails([gt(admin_overrides=override())], f'{SRC}[0] "{KEY}" .admin_overrides["{DESCRIBE}"]: {unknown}')
