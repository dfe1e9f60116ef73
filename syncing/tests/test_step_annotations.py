"""sync_annotations (SYNC-ANN-1..9, DM-ANS, DM-REV), with prerequisites built by factories."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotation.models import Answer, AnswerReview, GroundTruth, GroundTruthHistory
from catalog import question_types
from catalog.models import Assignment, Project, QuestionGroup, User, Video
from catalog.tests.factories import (
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)
from syncing.helpers import SyncError, sync_annotations, sync_from_folder
from syncing.tests.kitchen import DESCRIBE, DROP, VISIBLE, assign
from syncing.tests.seed_guide import build_seed_state

pytestmark = pytest.mark.django_db
Role = Assignment.Role
SRC = "<annotations_data>"
KEY = "Kitchen Batch 1 / kitchen_01.mp4 / Food / Maria Lopez"


def ann(**changes) -> dict:
    record = {
        "question_group_title": "Food",
        "project_name": "Kitchen Batch 1",
        "user_name": "Maria Lopez",
        "video_uid": "kitchen_01.mp4",
        "answers": {VISIBLE: "yes", DESCRIBE: "Noodle soup in a white bowl."},
        "is_ground_truth": False,
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not DROP}


def spec_example() -> list[dict]:
    """SYNC-ANN's example, verbatim."""
    return [
        {
            "question_group_title": "Food",
            "project_name": "Kitchen Batch 1",
            "user_name": "DetectorBot",
            "video_uid": "kitchen_01.mp4",
            "answers": {"Is food visible?": "yes", "Describe the food.": "A bowl of ramen."},
            "confidence_scores": {"Is food visible?": 0.93, "Describe the food.": 0.41},
            "is_ground_truth": False,
        },
        {
            "question_group_title": "Food",
            "project_name": "Kitchen Batch 1",
            "user_name": "Maria Lopez",
            "video_uid": "kitchen_01.mp4",
            "answers": {"Is food visible?": "yes", "Describe the food.": "Noodle soup in a white bowl."},
            "reviews": {"Describe the food.": {"status": "approved", "reviewer_name": "Sam Okoye"}},
            "is_ground_truth": False,
        },
    ]


def sync(data, **kwargs):
    return sync_annotations(annotations_data=data, quiet=True, **kwargs)


def snapshot() -> list:
    """Every row this step may write, with every column, to prove a failed run wrote nothing."""
    return [
        sorted(Answer.objects.values_list()),
        sorted(AnswerReview.objects.values_list()),
        sorted(Assignment.objects.values_list("id", "completed_at", "is_active")),
    ]


def fails(data, line: str) -> SyncError:
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync(data)
    assert line in str(excinfo.value).splitlines(), str(excinfo.value)
    assert snapshot() == before
    return excinfo.value


def answer(user, question, video_uid="kitchen_01.mp4") -> Answer:
    return Answer.objects.select_related("review").get(user=user, question=question, video__video_uid=video_uid)


def changes(report, table="annotations") -> list[tuple]:
    return [(c.action, c.key, c.fields) for c in report.changes if c.table == table]


# --------------------------------------------------------------------------- creating


def test_sync_ann_example_creates_answers_confidence_and_review(kitchen):
    report = sync(spec_example())
    assert report.counts["annotations"]["created"] == 2
    bot = answer(kitchen.bot, kitchen.visible)
    assert (bot.value, bot.confidence_score) == ("yes", 0.93)
    assert answer(kitchen.bot, kitchen.describe).confidence_score == 0.41
    maria = answer(kitchen.maria, kitchen.describe)
    assert maria.value == "Noodle soup in a white bowl." and maria.confidence_score is None
    assert (maria.review.status, maria.review.reviewer) == ("approved", kitchen.sam)
    assert not AnswerReview.objects.filter(answer__question=kitchen.visible).exists()
    assert changes(report) == [
        ("created", "Kitchen Batch 1 / kitchen_01.mp4 / Food / DetectorBot", []),
        ("created", KEY, []),
    ]
    stamps = set(Answer.objects.values_list("created_at", "modified_at"))
    assert len(stamps) == 1 and len(set(next(iter(stamps)))) == 1  # one run, one `now`


def test_sync_ann_4_description_answer_may_be_empty(kitchen):
    sync([ann(answers={VISIBLE: "no", DESCRIBE: ""})])
    assert answer(kitchen.maria, kitchen.describe).value == ""


def test_sync_ann_5_integer_and_null_scores_are_accepted(kitchen):
    sync([ann(user_name="DetectorBot", confidence_scores={VISIBLE: 1, DESCRIBE: None})])
    assert answer(kitchen.bot, kitchen.visible).confidence_score == 1.0
    assert answer(kitchen.bot, kitchen.describe).confidence_score is None


# --------------------------------------------------------------------------- shape (SYNC-ANN-1, SYNC-GEN-3/4)


def test_sync_ann_1_required_and_unexpected_keys(kitchen):
    error = fails([ann(video_uid=DROP, notes="x")], f"{SRC}[0] .video_uid: is required")
    assert f'{SRC}[0]: unexpected key "notes"' in str(error)


def test_sync_ann_1_is_ground_truth_must_be_false(kitchen):
    fails(
        [ann(is_ground_truth=True)],
        f'{SRC}[0] "{KEY}" .is_ground_truth: must be false for annotations; load ground truth with sync_ground_truths',
    )
    fails([ann(is_ground_truth="false")], f'{SRC}[0] "{KEY}" .is_ground_truth: must be true or false, got a string')


def test_sync_ann_1_admin_overrides_is_not_an_annotation_key(kitchen):
    fails([ann(admin_overrides={})], f'{SRC}[0] "{KEY}": unexpected key "admin_overrides"')


def test_sync_gen_3_strict_types(kitchen):
    error = fails(
        [ann(answers={VISIBLE: True, DESCRIBE: 3})],
        f'{SRC}[0] "{KEY}" .answers["{VISIBLE}"]: must be a string, got a boolean',
    )
    assert f'{SRC}[0] "{KEY}" .answers["{DESCRIBE}"]: must be a string, got a number' in str(error)
    fails([ann(answers=["yes"])], f'{SRC}[0] "{KEY}" .answers: must be an object, got a list')
    fails([ann(project_name=7)], f"{SRC}[0] .project_name: must be a string, got a number")


def test_sync_err_1_every_error_of_every_record_is_reported(kitchen):
    error = fails(
        [ann(answers={VISIBLE: "maybe", DESCRIBE: 1}), ann(user_name="Nobody"), ann(video_uid="nope.mp4")],
        f'{SRC}[0] "{KEY}" .answers["{VISIBLE}"]: "maybe" is not an option of question "{VISIBLE}" (yes, no)',
    )
    text = str(error)
    assert text.startswith("Sync failed: 4 errors, nothing written.")
    assert (
        f'{SRC}[1] "Kitchen Batch 1 / kitchen_01.mp4 / Food / Nobody" .user_name: user "Nobody" does not exist' in text
    )
    assert (
        f'{SRC}[2] "Kitchen Batch 1 / nope.mp4 / Food / Maria Lopez" .video_uid: video "nope.mp4" does not exist'
        in text
    )


# --------------------------------------------------------------------------- SYNC-ANN-2


def test_sync_ann_2_duplicate_key_in_batch(kitchen):
    fails(
        [ann(), ann(video_uid="yt_street_02"), ann(answers={VISIBLE: "no", DESCRIBE: ""})],
        f'{SRC}[2] "{KEY}": duplicate annotation (project, video, group, user); first at index 0',
    )


def test_sync_ann_2_same_video_by_two_users_is_not_a_duplicate(kitchen):
    report = sync([ann(), ann(user_name="Sam Okoye")])
    assert report.counts["annotations"]["created"] == 2


# --------------------------------------------------------------------------- SYNC-ANN-3


def test_sync_ann_3_project_must_exist(kitchen):
    fails(
        [ann(project_name="Nope")],
        f'{SRC}[0] "Nope / kitchen_01.mp4 / Food / Maria Lopez" .project_name: project "Nope" does not exist',
    )


def test_sync_ann_3_video_must_be_a_member_of_the_project(kitchen):
    VideoFactory(video_uid="elsewhere.mp4")
    fails(
        [ann(video_uid="elsewhere.mp4")],
        f'{SRC}[0] "Kitchen Batch 1 / elsewhere.mp4 / Food / Maria Lopez" .video_uid: '
        'video "elsewhere.mp4" is not in project "Kitchen Batch 1"',
    )


def test_sync_ann_3_group_must_exist_and_belong_to_the_project_schema(kitchen):
    fails(
        [ann(question_group_title="Drinks")],
        f'{SRC}[0] "Kitchen Batch 1 / kitchen_01.mp4 / Drinks / Maria Lopez" .question_group_title: '
        'question group "Drinks" does not exist',
    )
    QuestionGroupFactory(title="Other", questions=[SingleQuestionFactory()])
    fails(
        [ann(question_group_title="Other")],
        f'{SRC}[0] "Kitchen Batch 1 / kitchen_01.mp4 / Other / Maria Lopez" .question_group_title: '
        'question group "Other" is not in schema "Kitchen Schema" of project "Kitchen Batch 1"',
    )


def test_sync_ann_3_user_must_exist(kitchen):
    fails(
        [ann(user_name="Ghost")],
        f'{SRC}[0] "Kitchen Batch 1 / kitchen_01.mp4 / Food / Ghost" .user_name: user "Ghost" does not exist',
    )


# --------------------------------------------------------------------------- SYNC-ANN-4/5


def test_sync_ann_4_answers_have_exactly_the_group_questions(kitchen):
    fails(
        [ann(answers={VISIBLE: "yes", "Describe food": "x"})],
        f'{SRC}[0] "{KEY}" .answers: missing: "{DESCRIBE}"; unexpected: "Describe food"',
    )
    fails([ann(answers={VISIBLE: "yes"})], f'{SRC}[0] "{KEY}" .answers: missing: "{DESCRIBE}"')


def test_sync_err_3_spec_example_line_for_a_bad_option(kitchen, tmp_path):
    folder = tmp_path / "ws"
    (folder / "annotations").mkdir(parents=True)
    records = [ann(video_uid=v) for v in ("yt_street_02", "local_03.mp4")]
    records += [ann(user_name="Sam Okoye"), ann(answers={VISIBLE: "maybe", DESCRIBE: ""})]
    (folder / "annotations" / "batch1.json").write_text(json.dumps(records))
    with pytest.raises(SyncError) as excinfo:
        sync_from_folder(folder, quiet=True)
    assert str(excinfo.value).splitlines()[1:] == [
        'annotations/batch1.json[3] "Kitchen Batch 1 / kitchen_01.mp4 / Food / Maria Lopez" '
        '.answers["Is food visible?"]: "maybe" is not an option of question "Is food visible?" (yes, no)'
    ]
    assert not Answer.objects.exists()


def test_sync_ann_5_confidence_scores_keys_and_values(kitchen):
    error = fails(
        [ann(confidence_scores={"Other?": 0.5, VISIBLE: "high"})],
        f'{SRC}[0] "{KEY}" .confidence_scores["Other?"]: "Other?" is not a question of question group "Food"',
    )
    assert f'{SRC}[0] "{KEY}" .confidence_scores["{VISIBLE}"]: must be a finite number or null, got a string' in str(
        error
    )
    fails(
        [ann(confidence_scores={VISIBLE: True})],
        f'{SRC}[0] "{KEY}" .confidence_scores["{VISIBLE}"]: must be a finite number or null, got a boolean',
    )
    fails([ann(confidence_scores=None)], f'{SRC}[0] "{KEY}" .confidence_scores: must be an object, got null')


# --------------------------------------------------------------------------- SYNC-ANN-6


def review(status="approved", reviewer="Sam Okoye") -> dict:
    return {"status": status, "reviewer_name": reviewer}


def test_sync_ann_6_reviews_only_on_description_questions_of_the_group(kitchen):
    fails(
        [ann(reviews={VISIBLE: review()})],
        f'{SRC}[0] "{KEY}" .reviews["{VISIBLE}"]: question "{VISIBLE}" is a single-choice question; '
        "only description answers are reviewed",
    )
    fails(
        [ann(reviews={"Other?": review()})],
        f'{SRC}[0] "{KEY}" .reviews["Other?"]: "Other?" is not a question of question group "Food"',
    )


def test_sync_ann_6_review_shape_and_status(kitchen):
    error = fails(
        [ann(reviews={DESCRIBE: {"status": "approved", "by": "Sam"}})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].reviewer_name: is required',
    )
    assert f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"]: unexpected key "by"' in str(error)
    fails(
        [ann(reviews={DESCRIBE: review(status="ok")})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].status: "ok" is not a review status (approved, rejected, pending)',
    )
    fails(
        [ann(reviews={DESCRIBE: review(reviewer=None)})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].reviewer_name: '
        'must name the reviewer; only a "pending" review may leave it null',
    )
    fails(
        [ann(reviews={DESCRIBE: review(reviewer="Nobody")})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].reviewer_name: user "Nobody" does not exist',
    )


def test_sync_ann_6_pending_means_no_review_and_needs_no_reviewer(kitchen):
    sync([ann(reviews={DESCRIBE: review()})])
    report = sync([ann(reviews={DESCRIBE: review(status="pending", reviewer=None)})])
    assert changes(report) == [("updated", KEY, ["reviews"])]
    assert not AnswerReview.objects.exists()
    assert (
        sync([ann(reviews={DESCRIBE: review(status="pending", reviewer=None)})]).counts["annotations"]["unchanged"] == 1
    )


# --------------------------------------------------------------------------- SYNC-ANN-7


def test_sync_ann_7_archived_project_video_or_user_refuse_a_change(kitchen):
    sync([ann(answers={VISIBLE: "no", DESCRIBE: ""}), ann(video_uid="yt_street_02")])
    Project.objects.filter(pk=kitchen.project.pk).update(is_active=False)
    Video.objects.filter(video_uid="kitchen_01.mp4").update(is_active=False)
    User.objects.filter(pk=kitchen.maria.pk).update(is_active=False)
    error = fails(
        [ann(), ann(video_uid="local_03.mp4")],
        f'{SRC}[0] "{KEY}" .project_name: project "Kitchen Batch 1" is archived; answers cannot change in it',
    )
    text = str(error)
    assert f'{SRC}[0] "{KEY}" .video_uid: video "kitchen_01.mp4" is archived; answers cannot change on it' in text
    assert f'{SRC}[0] "{KEY}" .user_name: user "Maria Lopez" is archived and cannot change answers' in text


def test_sync_gen_10_unchanged_record_of_archived_user_is_accepted(kitchen):
    sync(spec_example())
    User.objects.filter(pk=kitchen.maria.pk).update(is_active=False)
    Project.objects.filter(pk=kitchen.project.pk).update(is_active=False)
    Assignment.objects.filter(user=kitchen.sam).update(is_active=False)
    report = sync(spec_example())
    assert report.counts["annotations"]["unchanged"] == 2


def test_sync_ann_7_user_must_hold_or_have_held_a_role(kitchen):
    UserFactory(user_id="Newcomer")
    fails(
        [ann(user_name="Newcomer")],
        f'{SRC}[0] "Kitchen Batch 1 / kitchen_01.mp4 / Food / Newcomer" .user_name: user "Newcomer" holds no role '
        'in project "Kitchen Batch 1", active or archived; assign one first',
    )


def test_sync_ann_7_an_archived_role_row_counts_as_having_held_it(kitchen):
    Assignment.objects.filter(user=kitchen.bot).update(is_active=False)
    report = sync([ann(user_name="DetectorBot")])
    assert report.counts["annotations"]["created"] == 1


def test_sync_ann_7_reviewer_must_hold_or_have_held_reviewer_or_admin(kitchen):
    fails(
        [ann(reviews={DESCRIBE: review(reviewer="DetectorBot")})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].reviewer_name: user "DetectorBot" holds no reviewer or admin role '
        'in project "Kitchen Batch 1" and is not a global admin',
    )
    Assignment.objects.filter(user=kitchen.sam, role=Role.REVIEWER).update(is_active=False)  # has held
    sync([ann(reviews={DESCRIBE: review()})])
    assert answer(kitchen.maria, kitchen.describe).review.reviewer == kitchen.sam


def test_sync_ann_7_a_global_admin_may_review_without_rows(kitchen):
    Assignment.objects.filter(user=kitchen.admin).delete()
    sync([ann(reviews={DESCRIBE: review(reviewer="Admin One", status="rejected")})])
    assert answer(kitchen.maria, kitchen.describe).review.status == "rejected"


def test_dm_arch_3_an_archived_reviewer_cannot_write_a_review(kitchen):
    User.objects.filter(pk=kitchen.sam.pk).update(is_active=False)
    fails(
        [ann(reviews={DESCRIBE: review()})],
        f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"].reviewer_name: user "Sam Okoye" is archived and cannot review',
    )


def test_sync_ann_7_verification_function_runs_on_changing_records(kitchen):
    fails(
        [ann(answers={VISIBLE: "yes", DESCRIBE: "  "})],
        f'{SRC}[0] "{KEY}" .answers: Answer verification failed: Describe the food when food is visible',
    )


def test_sync_gen_10_verification_is_not_run_on_unchanged_records(kitchen):
    Answer.objects.bulk_create(
        [
            Answer(
                project=kitchen.project,
                video=kitchen.videos[0],
                question=kitchen.visible,
                user=kitchen.maria,
                value="yes",
            ),
            Answer(
                project=kitchen.project,
                video=kitchen.videos[0],
                question=kitchen.describe,
                user=kitchen.maria,
                value="",
            ),
        ]
    )
    report = sync([ann(answers={VISIBLE: "yes", DESCRIBE: ""})])  # fails check_food_description, but unchanged
    assert report.counts["annotations"]["unchanged"] == 1


def test_sync_ver_5_unregistered_function_blocks_a_change(kitchen):
    QuestionGroup.objects.filter(pk=kitchen.group.pk).update(verification_function="check_missing")
    fails([ann()], f'{SRC}[0] "{KEY}" .answers: verification function check_missing is not registered')


# --------------------------------------------------------------------------- SYNC-ANN-8


def test_sync_ann_8_update_writes_only_changed_rows_and_lists_them(kitchen):
    sync(spec_example())
    untouched = answer(kitchen.maria, kitchen.visible).modified_at
    report = sync([ann(answers={VISIBLE: "yes", DESCRIBE: "Ramen."})])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]', "reviews"])]
    assert answer(kitchen.maria, kitchen.visible).modified_at == untouched
    changed = answer(kitchen.maria, kitchen.describe)
    assert changed.value == "Ramen." and changed.modified_at > untouched


def test_dm_rev_3_changed_value_deletes_its_review_unless_the_record_sets_one(kitchen):
    sync(spec_example())
    sync([ann(answers={VISIBLE: "yes", DESCRIBE: "Ramen."})])
    assert not AnswerReview.objects.exists()
    report = sync([ann(answers={VISIBLE: "yes", DESCRIBE: "Pho."}, reviews={DESCRIBE: review(status="rejected")})])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]', "reviews"])]
    assert answer(kitchen.maria, kitchen.describe).review.status == "rejected"


def test_sync_ann_8_unlisted_review_is_kept_while_the_value_stays(kitchen):
    sync(spec_example())
    report = sync([ann(answers={VISIBLE: "yes", DESCRIBE: "Noodle soup in a white bowl."})])
    assert report.counts["annotations"]["unchanged"] == 1
    assert answer(kitchen.maria, kitchen.describe).review.status == "approved"


def test_sync_ann_8_review_changes_are_updates(kitchen):
    sync(spec_example())
    before = AnswerReview.objects.get()
    report = sync([ann(reviews={DESCRIBE: review(status="rejected", reviewer="Admin One")})])
    assert changes(report) == [("updated", KEY, ["reviews"])]
    after = AnswerReview.objects.get()
    assert (after.pk, after.status, after.reviewer) == (before.pk, "rejected", kitchen.admin)
    assert after.reviewed_at > before.reviewed_at


def test_sync_ann_8_confidence_changes_and_absent_score_equals_null(kitchen):
    records = spec_example()
    sync(records)
    records[0]["confidence_scores"] = {"Is food visible?": 0.5}
    report = sync(records)
    assert changes(report) == [
        ("updated", "Kitchen Batch 1 / kitchen_01.mp4 / Food / DetectorBot", ["confidence_scores"])
    ]
    assert answer(kitchen.bot, kitchen.describe).confidence_score is None
    records[0]["confidence_scores"] = {"Is food visible?": 0.5, "Describe the food.": None}
    assert sync(records).counts["annotations"]["unchanged"] == 2


def test_sync_ann_8_a_partial_group_is_completed(kitchen):
    Answer.objects.create(
        project=kitchen.project, video=kitchen.videos[0], question=kitchen.visible, user=kitchen.maria, value="yes"
    )
    report = sync([ann()])
    assert changes(report) == [("updated", KEY, [f'answers["{DESCRIBE}"]'])]
    assert Answer.objects.filter(user=kitchen.maria).count() == 2


def test_sync_gen_12_unchanged_rerun_writes_nothing(kitchen):
    sync(spec_example())
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = sync(spec_example())
    assert (report.counts["annotations"]["unchanged"], report.changes) == (2, [])
    assert snapshot() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_sync_out_1_dry_run_writes_nothing_and_reports_the_real_plan(kitchen):
    sync([spec_example()[1]])
    records = [*spec_example(), ann(video_uid="yt_street_02")]
    records[1]["answers"] = {VISIBLE: "yes", DESCRIBE: "Changed."}
    before = snapshot()
    dry = sync(records, dry_run=True)
    assert snapshot() == before
    real = sync(records)
    assert dry.body_lines() == real.body_lines()
    assert [c.action for c in real.changes] == ["created", "updated", "created"]


def test_sync_ann_9_one_bad_record_means_nothing_is_written(kitchen):
    fails(
        [*spec_example(), ann(video_uid="nope.mp4")],
        f'{SRC}[2] "Kitchen Batch 1 / nope.mp4 / Food / Maria Lopez" .video_uid: video "nope.mp4" does not exist',
    )


# --------------------------------------------------------------------------- completion (DM-DER-7)


def test_dm_der_7_answering_everything_sets_completed_at(kitchen):
    row = Assignment.objects.get(user=kitchen.maria, role=Role.ANNOTATOR)
    sync([ann(video_uid=v.video_uid) for v in kitchen.videos[:2]])
    row.refresh_from_db()
    assert row.completed_at is None
    report = sync([ann(video_uid=v.video_uid) for v in kitchen.videos])
    row.refresh_from_db()
    assert row.completed_at is not None
    assert report.counts["annotations"]["created"] == 1
    assert Answer.objects.filter(user=kitchen.maria, created_at=row.completed_at).count() == 2


# --------------------------------------------------------------------------- SYNC-GEN-13


def test_sync_gen_13_query_count_does_not_grow_with_records(tmp_path):
    group = QuestionGroupFactory(title="G", questions=[SingleQuestionFactory(), DescriptionQuestionFactory()])
    videos = [VideoFactory() for _ in range(31)]  # neither run completes a user: completion writes stay equal
    projects = [ProjectFactory(schema=SchemaFactory(groups=[group]), videos=videos) for _ in range(2)]
    users = [UserFactory() for _ in range(2)]
    for p in projects:
        for u in users:
            assign(u, p, Role.ANNOTATOR, Role.REVIEWER)
    questions = list(group.questions.order_by("group_memberships__position"))

    def records(project, user, n, value="yes"):
        return [
            {
                "question_group_title": "G",
                "project_name": project.name,
                "user_name": user.user_id,
                "video_uid": v.video_uid,
                "answers": {questions[0].text: value, questions[1].text: f"{value} text"},
                "reviews": {questions[1].text: {"status": "approved", "reviewer_name": users[1].user_id}},
                "is_ground_truth": False,
            }
            for v in videos[:n]
        ]

    counts = []
    for project, user, n in ((projects[0], users[0], 3), (projects[1], users[1], 30)):
        with CaptureQueriesContext(connection) as create:
            sync(records(project, user, n))
        with CaptureQueriesContext(connection) as update:
            sync(records(project, user, n, value="no"))
        with CaptureQueriesContext(connection) as unchanged:
            sync(records(project, user, n, value="no"))
        counts.append((len(create), len(update), len(unchanged)))
    assert counts[0] == counts[1]
    assert Answer.objects.count() == 66 and AnswerReview.objects.count() == 33


# --------------------------------------------------------------------------- the seed guide, step 8


def test_seed_guide_8_1_and_8_2_run_as_written():
    seed = build_seed_state()
    annotations_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "User 1 New",
            "video_uid": "human.mp4",
            "answers": {  # Answers must include all and only the questions defined in this question group
                "Number of people?": "1",
                "If there are people, describe them.": "The person appears to be a large man with a full beard "
                "and closely cropped hair.",
            },
            "is_ground_truth": False,  # For annotations, is_ground_truth MUST be False
        },
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Model 1",
            "video_uid": "human.mp4",
            "answers": {  # Answers must include all and only the questions defined in this question group
                "Number of people?": "1",
                "If there are people, describe them.": "The man has cropped hair.",
            },
            "confidence_scores": {"Number of people?": 0.9, "If there are people, describe them.": 0.8},
            "is_ground_truth": False,  # is_ground_truth MUST be False for annotations
        },
    ]
    report = sync_annotations(annotations_data=annotations_data, quiet=True)
    assert report.counts["annotations"]["created"] == 2
    annotations_data = [
        {
            "question_group_title": "Human",
            "project_name": "Human Test 0",
            "user_name": "Model 1",
            "video_uid": "human.mp4",
            "answers": {"Number of people?": "0", "If there are people, describe them.": ""},  # update the answers
            "confidence_scores": {"Number of people?": 0.3, "If there are people, describe them.": 0.2},
            "is_ground_truth": False,  # is_ground_truth MUST be False for annotations
        }
    ]
    report = sync_annotations(annotations_data=annotations_data, quiet=True)
    assert changes(report) == [
        (
            "updated",
            "Human Test 0 / human.mp4 / Human / Model 1",
            ['answers["If there are people, describe them."]', 'answers["Number of people?"]', "confidence_scores"],
        )
    ]
    model_answers = dict(Answer.objects.filter(user=seed["model"]).values_list("question__text", "confidence_score"))
    assert model_answers == {"Number of people?": 0.3, "If there are people, describe them.": 0.2}
    assert not GroundTruth.objects.exists() and not GroundTruthHistory.objects.exists()


def test_sync_api_4_annotations_path_accepts_a_single_object(kitchen, tmp_path):
    file = tmp_path / "one.json"
    file.write_text(json.dumps(ann()))
    report = sync_annotations(annotations_path=str(file), quiet=True)
    assert changes(report) == [("created", KEY, [])]


def test_a_question_of_a_type_no_longer_registered_is_refused_not_read_as_a_description(kitchen, monkeypatch):
    """docs/question_types.md: a stored qtype the code does not know is an error naming the entry and field."""
    monkeypatch.delitem(question_types.TYPES, "description")
    unknown = f'question "{DESCRIBE}": "description" is not a question type (single, multiple)'
    fails([ann()], f'{SRC}[0] "{KEY}" .answers["{DESCRIBE}"]: {unknown}')
    fails([ann(reviews={DESCRIBE: review()})], f'{SRC}[0] "{KEY}" .reviews["{DESCRIBE}"]: {unknown}')
