"""Questions and question groups (SYNC-QG-1..7, DM-Q-1..6, DM-QG-1..7)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Question, QuestionGroup, QuestionGroupQuestion, Schema
from catalog.tests.factories import (
    CustomDisplayFactory,
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    VideoFactory,
)
from catalog.verification import register_workspace
from syncing.helpers import SyncError, sync_from_folder, sync_question_groups
from syncing.tests.seed_guide import SEED_3_1, SEED_3_2

pytestmark = pytest.mark.django_db
SRC = "<question_groups_data>"


def single(text, options=("yes", "no"), **extra):
    return {
        "qtype": "single",
        "text": text,
        "display_text": text,
        "options": list(options),
        "display_values": [o.upper() for o in options],
        **extra,
    }


def description(text, **extra):
    return {"qtype": "description", "text": text, "display_text": text, **extra}


def group(title, questions, **extra):
    return {
        "title": title,
        "display_title": title,
        "description": None,
        "is_reusable": False,
        "is_auto_submit": False,
        "verification_function": None,
        "questions": questions,
        **extra,
    }


def sync(data, **kwargs):
    return sync_question_groups(question_groups_data=data, quiet=True, **kwargs)


def snapshot():
    return (
        list(Question.objects.order_by("pk").values()),
        list(QuestionGroup.objects.order_by("pk").values()),
        list(QuestionGroupQuestion.objects.order_by("pk").values()),
    )


def fails(data, *lines):
    """The run fails with exactly these error lines among its output, and writes nothing."""
    before = snapshot()
    with pytest.raises(SyncError) as excinfo:
        sync(data)
    shown = str(excinfo.value).splitlines()
    for line in lines:
        assert line in shown, "\n".join(shown)
    assert snapshot() == before
    return shown


def changes(report, table):
    return {(c.action, c.key, tuple(c.fields), c.note) for c in report.changes if c.table == table}


def group_texts(title):
    return [q.text for q in QuestionGroup.objects.get(title=title).ordered_questions()]


# ---------------------------------------------------------------- seed guide


def test_seed_3_1_creates_groups_and_questions():
    report = sync(SEED_3_1)
    assert report.counts["questions"]["created"] == 3
    assert report.counts["question groups"]["created"] == 2
    human = QuestionGroup.objects.get(title="Human")
    assert (human.description, human.verification_function, human.is_active) == (
        "Detect and describe all humans in the video.",
        None,
        True,
    )
    assert group_texts("Human") == ["Number of people?", "If there are people, describe them."]
    nsfw = Question.objects.get(text="Is the video not safe for work?")
    assert nsfw.option_weights == [1.0, 99.0] and nsfw.default_option == "No"
    assert QuestionGroup.objects.get(title="NSFW").is_reusable is True
    people = Question.objects.get(text="If there are people, describe them.")
    assert people.options is None and people.default_option is None and people.is_active


def test_seed_3_2_updates_the_group_and_its_questions():
    sync(SEED_3_1)
    nsfw_before = QuestionGroup.objects.get(title="NSFW").updated_at
    report = sync(SEED_3_2)
    assert changes(report, "questions") == {
        ("updated", "If there are people, describe them.", ("default_option",), ""),
        ("updated", "Number of people?", ("display_text", "options", "display_values", "default_option"), ""),
    }
    assert changes(report, "question groups") == {
        (
            "updated",
            "Human",
            (
                "display_title",
                "description",
                "is_reusable",
                "is_auto_submit",
                "verification_function",
                "question order",
            ),
            "",
        )
    }
    human = QuestionGroup.objects.get(title="Human")
    assert (human.display_title, human.is_reusable, human.is_auto_submit, human.verification_function) == (
        "Human (Updated)",
        True,
        True,
        "check_human_description",
    )
    assert group_texts("Human") == ["If there are people, describe them.", "Number of people?"]
    people = Question.objects.get(text="Number of people?")
    # DM-Q-4: "3 or more" moved first and relabelled "3+".
    assert people.labels() == {"3 or more": "3+", "2": "2", "1": "1", "0": "0"}
    assert people.options == ["3 or more", "2", "1", "0"] and people.default_option == "3 or more"
    assert QuestionGroup.objects.get(title="NSFW").updated_at == nsfw_before


def test_sample_workspace_question_groups_folder(sample_workspace):
    register_workspace(sample_workspace)
    report = sync_question_groups(question_groups_folder=sample_workspace / "question_groups", quiet=True)
    assert report.counts["question groups"]["created"] == 3
    assert report.counts["questions"]["created"] == 5
    assert QuestionGroup.objects.get(title="NSFW").verification_function is None  # "" means none
    assert QuestionGroup.objects.get(title="Pizza").verification_function == "check_pizza_description"
    again = sync_question_groups(question_groups_folder=sample_workspace / "question_groups", quiet=True)
    assert again.change_count == 0


def test_sync_qg_1_path_with_a_single_object(tmp_path):
    path = tmp_path / "food.json"
    path.write_text(json.dumps(group("Food", [single("Is food visible?")])), encoding="utf-8")
    report = sync_question_groups(question_groups_path=str(path), quiet=True)
    assert report.counts["question groups"]["created"] == 1


# ---------------------------------------------------------------- idempotence, dry run, report


def test_sync_gen_12_unchanged_resync_writes_nothing():
    sync(SEED_3_1)
    before = snapshot()
    report = sync(SEED_3_1)
    assert report.change_count == 0
    assert report.counts["questions"]["unchanged"] == 3
    assert report.counts["question groups"]["unchanged"] == 2
    assert snapshot() == before


def test_sync_out_1_dry_run_writes_nothing_and_plans_the_same():
    sync(SEED_3_1)
    before = snapshot()
    plan = sync(SEED_3_2, dry_run=True)
    assert snapshot() == before
    real = sync(SEED_3_2)
    assert plan.body_lines() == real.body_lines()
    assert "questions" in plan.body_lines()[1] and "question groups" in plan.body_lines()[2]


def test_sync_qg_4_shared_question_is_reported_once():
    shared = single("Is it daytime?")
    report = sync([group("A", [shared]), group("B", [shared, single("Is it raining?")])])
    assert report.counts["questions"]["created"] == 2
    shared_changed = dict(shared, display_text="Daytime?")
    report = sync([group("A", [shared_changed]), group("B", [shared_changed, single("Is it raining?")])])
    assert changes(report, "questions") == {("updated", "Is it daytime?", ("display_text",), "")}
    assert report.counts["questions"]["unchanged"] == 1
    assert report.counts["question groups"]["unchanged"] == 2


def test_sync_qg_1_description_null_is_stored_empty_and_verification_blank_means_none():
    sync([group("A", [single("Q?")], description=None, verification_function="")])
    a = QuestionGroup.objects.get(title="A")
    assert a.description == "" and a.verification_function is None
    assert sync([group("A", [single("Q?")], description="", verification_function=None)]).change_count == 0


# ---------------------------------------------------------------- SYNC-QG-1/2: shapes


def test_sync_qg_1_group_keys_and_types():
    data = [
        {"title": "A", "display_title": "A", "is_reusable": "no", "notes": 1, "questions": []},
        group(" B", [single("Q?")]),
        group("C", "Q?", is_active=None, verification_function=3),
    ]
    fails(
        data,
        f'{SRC}[0] "A": unexpected key "notes"',
        f'{SRC}[0] "A" .description: is required',
        f'{SRC}[0] "A" .is_auto_submit: is required',
        f'{SRC}[0] "A" .verification_function: is required',
        f'{SRC}[0] "A" .is_reusable: must be true or false, got a string',
        f'{SRC}[0] "A" .questions: must not be empty',
        f'{SRC}[1] .title: " B" must not begin or end with whitespace',
        f'{SRC}[2] "C" .verification_function: must be a string or null, got a number',
        f'{SRC}[2] "C" .is_active: must be true or false, got null',
        f'{SRC}[2] "C" .questions: must be a list, got a string',
    )


def test_sync_qg_2_question_keys_per_qtype():
    data = [
        group(
            "A",
            [
                {"qtype": "multi", "text": "Q1?", "display_text": "Q1?"},
                description("Q2?", options=["a"]),
                {"qtype": "single", "text": "Q3?", "display_text": "Q3?", "options": ["a"]},
                "Q4?",
                description("Q5?", default_option=5),
                description(" Q6?"),
            ],
        )
    ]
    fails(
        data,
        f'{SRC}[0] "A" .questions[0].qtype: "multi" is not a question type (single, multiple, description)',
        f'{SRC}[0] "A" .questions[1]: unexpected key "options"',
        f'{SRC}[0] "A" .questions[2].display_values: is required',
        f'{SRC}[0] "A" .questions[3]: expected an object, got a string',
        f'{SRC}[0] "A" .questions[4].default_option: must be a string or null, got a number',
        f'{SRC}[0] "A" .questions[5].text: " Q6?" must not begin or end with whitespace',
    )


def test_dm_q_2_single_question_values():
    data = [
        group(
            "A",
            [
                single("Q1?", ["a", "a", ""]),
                {**single("Q2?", ["a", "b"]), "display_values": ["A"]},
                single("Q3?", ["a", "b"], option_weights=[1, -1]),
                single("Q4?", ["a", "b"], option_weights=[1.0]),
                single("Q5?", ["yes", "no"], default_option="maybe"),
                single("Q6?", []),
                single("Q7?", ["a", "b"], option_weights=None),
            ],
        )
    ]
    fails(
        data,
        f'{SRC}[0] "A" .questions[0].options[1]: duplicate value "a"',
        f'{SRC}[0] "A" .questions[0].options[2]: must be a non-empty string, got an empty string',
        f'{SRC}[0] "A" .questions[1].display_values: has 1 entries; options has 2',
        f'{SRC}[0] "A" .questions[2].option_weights[1]: must be a finite number ≥ 0, got -1',
        f'{SRC}[0] "A" .questions[3].option_weights: has 1 entries; options has 2',
        f'{SRC}[0] "A" .questions[4].default_option: "maybe" is not an option of question "Q5?" (yes, no)',
        f'{SRC}[0] "A" .questions[5].options: must not be empty',
        f'{SRC}[0] "A" .questions[6].option_weights: must be a list, got null',
    )


def test_dm_q_3_description_default_may_be_empty_and_weights_default_to_one():
    sync([group("A", [description("D?", default_option=""), single("S?")], is_auto_submit=False)])
    assert Question.objects.get(text="D?").default_option == ""
    assert Question.objects.get(text="S?").option_weights == [1.0, 1.0]


# ---------------------------------------------------------------- SYNC-QG-3: in-batch checks


def test_sync_qg_3_duplicate_titles_and_display_titles():
    data = [
        group("A", [single("Q?")]),
        group("A", [single("Q?")], display_title="Other"),
        group("B", [single("Q?")], display_title="A"),
    ]
    fails(
        data,
        f'{SRC}[1] "A" .title: duplicate title "A"; first at index 0',
        f'{SRC}[2] "B" .display_title: duplicate display title "A"; first at index 0',
    )


def test_sync_qg_3_question_twice_in_one_group():
    fails(
        [group("A", [single("Q?"), single("Q?")])],
        f'{SRC}[0] "A" .questions[1].text: question "Q?" appears twice in this group; first at .questions[0]',
    )


def test_sync_qg_3_same_text_with_different_definitions_lists_the_fields():
    data = [
        group("A", [single("Q?", ["yes", "no"], default_option="no")]),
        group("B", [single("Q?", ["yes", "no", "maybe"], default_option="yes")]),
        group("C", [description("Q?")]),
    ]
    fails(
        data,
        f'{SRC}[1] "B" .questions[0]: question "Q?" is defined differently in group "A": '
        "options, display_values, option_weights, default_option",
        f'{SRC}[2] "C" .questions[0]: question "Q?" is defined differently in group "A": '
        "qtype, options, display_values, option_weights, default_option",
    )


def test_sync_qg_3_omitted_weights_compare_after_defaults():
    report = sync([group("A", [single("Q?")]), group("B", [single("Q?", option_weights=[1.0, 1.0])])])
    assert report.ok


# ---------------------------------------------------------------- SYNC-QG-4: questions


def test_sync_qg_4_qtype_cannot_change():
    sync([group("A", [single("Q?")])])
    fails(
        [group("A", [description("Q?")])],
        f'{SRC}[0] "A" .questions[0].qtype: question "Q?" is a single question; its qtype cannot change to description',
    )


def test_sync_qg_4_existing_options_cannot_be_removed():
    sync([group("Human", [description("Describe.", default_option=""), single("Number of people?", ["0", "1"])])])
    fails(
        [group("Human", [description("Describe.", default_option=""), single("Number of people?", ["1", "2"])])],
        f'{SRC}[0] "Human" .questions[1].options: question "Number of people?" cannot remove existing options: "0"',
    )


def test_sync_qg_4_appended_options_get_weight_one_and_existing_keep_theirs():
    sync([group("A", [single("Q?", ["a", "b"], option_weights=[2.0, 3.0])])])
    report = sync([group("A", [{**single("Q?", ["b", "c", "a"]), "display_values": ["Bee", "C", "A"]}])])
    assert changes(report, "questions") == {("updated", "Q?", ("options", "display_values", "option_weights"), "")}
    q = Question.objects.get(text="Q?")
    assert q.weights() == {"b": 3.0, "c": 1.0, "a": 2.0}
    assert q.labels() == {"b": "Bee", "c": "C", "a": "A"}


def test_sync_qg_4_given_weights_replace_positionally():
    sync([group("A", [single("Q?", ["a", "b"], option_weights=[2.0, 3.0])])])
    sync([group("A", [single("Q?", ["b", "a"], option_weights=[5.0, 0.0])])])
    assert Question.objects.get(text="Q?").weights() == {"b": 5.0, "a": 0.0}


def test_dm_qg_4_question_default_cannot_be_dropped_while_an_auto_submit_group_uses_it():
    q = SingleQuestionFactory(text="Q?", default_option="yes", display_values=["YES", "NO"])
    QuestionGroupFactory(title="Auto", is_auto_submit=True, questions=[q])
    fails(
        [group("Other", [single("Q?")])],
        f'{SRC}[0] "Other" .questions[0].default_option: question "Q?" needs a default option: '
        "auto-submit groups contain it: Auto",
    )


# ---------------------------------------------------------------- SYNC-QG-5: creating groups


def test_sync_qg_5_auto_submit_requires_defaults():
    fails(
        [group("A", [single("S?"), description("D?"), description("E?", default_option="")], is_auto_submit=True)],
        f'{SRC}[0] "A" .is_auto_submit: auto-submit requires a default option on every question; none on: "S?", "D?"',
    )


def test_sync_qg_5_reusable_group_cannot_hold_questions_with_custom_displays():
    q = SingleQuestionFactory(text="Q?", display_values=["YES", "NO"])
    project = ProjectFactory(name="P1", videos=[VideoFactory(video_uid="v1.mp4")])
    CustomDisplayFactory(project=project, video=project.videos.get(), question=q)
    fails(
        [group("A", [single("Q?")], is_reusable=True)],
        f'{SRC}[0] "A" .is_reusable: a reusable group cannot contain questions with custom displays: P1 / v1.mp4 / Q?',
    )


def test_sync_qg_5_verification_function_must_be_registered():
    fails(
        [group("A", [single("Q?")], verification_function="check_nothing")],
        f'{SRC}[0] "A" .verification_function: verification function "check_nothing" is not registered '
        "(registered: check_human_description, check_pizza_description, verify_non_empty)",
    )


def test_sync_qg_5_display_title_unique_in_the_final_state():
    QuestionGroupFactory(title="Old", display_title="Shown", questions=[SingleQuestionFactory(text="Q?")])
    fails(
        [group("New", [single("R?")], display_title="Shown")],
        f'{SRC}[0] "New" .display_title: display title "Shown" is already used by group "Old"',
    )


def test_sync_qg_6_display_titles_may_swap():
    sync([group("A", [single("Q?")], display_title="One"), group("B", [single("R?")], display_title="Two")])
    report = sync([group("A", [single("Q?")], display_title="Two"), group("B", [single("R?")], display_title="One")])
    assert report.counts["question groups"]["updated"] == 2
    assert QuestionGroup.objects.get(title="A").display_title == "Two"
    # A chain: C takes A's title while A moves to a new one.
    report = sync([group("A", [single("Q?")], display_title="Three"), group("C", [single("S?")], display_title="Two")])
    assert QuestionGroup.objects.get(title="C").display_title == "Two"


def test_dm_q_6_new_group_activates_an_inactive_question():
    q = SingleQuestionFactory(text="Q?", display_values=["YES", "NO"], is_active=False)
    QuestionGroupFactory(title="Old", is_active=False, questions=[q])
    sync([group("New", [single("Q?")])])
    assert Question.objects.get(text="Q?").is_active


# ---------------------------------------------------------------- SYNC-QG-6: updating groups


def test_sync_qg_6_question_set_must_remain_the_same():
    sync([group("A", [single("Q1?"), single("Q2?")])])
    fails(
        [group("A", [single("Q1?"), single("Q3?")])],
        f'{SRC}[0] "A" .questions: question set must remain the same; missing: "Q2?"; extra: "Q3?"',
    )


def test_sync_qg_6_non_reusable_fails_when_several_schemas_contain_it():
    g = QuestionGroupFactory(
        title="Shared", is_reusable=True, questions=[SingleQuestionFactory(text="Q?", display_values=["YES", "NO"])]
    )
    SchemaFactory(name="S1", groups=[g])
    SchemaFactory(name="S2", groups=[g], is_active=False)
    fails(
        [group("Shared", [single("Q?")], is_reusable=False)],
        f'{SRC}[0] "Shared" .is_reusable: cannot make the group non-reusable: 2 schemas contain it: S1, S2',
    )


def test_sync_qg_6_reusable_fails_listing_up_to_five_custom_displays():
    q = SingleQuestionFactory(text="Q?", display_values=["YES", "NO"])
    QuestionGroupFactory(title="A", questions=[q])
    videos = [VideoFactory(video_uid=f"v{i}.mp4") for i in range(7)]
    project = ProjectFactory(name="P", videos=videos)
    for v in videos:
        CustomDisplayFactory(project=project, video=v, question=q)
    fails(
        [group("A", [single("Q?")], is_reusable=True)],
        f'{SRC}[0] "A" .is_reusable: a reusable group cannot contain questions with custom displays: '
        "P / v0.mp4 / Q?, P / v1.mp4 / Q?, P / v2.mp4 / Q?, P / v3.mp4 / Q?, P / v4.mp4 / Q? and 2 more",
    )


def test_sync_qg_6_turning_auto_submit_on_requires_defaults():
    sync([group("A", [single("Q?"), description("D?")])])
    fails(
        [group("A", [single("Q?", default_option="no"), description("D?")], is_auto_submit=True)],
        f'{SRC}[0] "A" .is_auto_submit: auto-submit requires a default option on every question; none on: "D?"',
    )


def test_sync_gen_10_unregistered_function_only_checked_for_changing_records():
    QuestionGroupFactory(
        title="Old",
        verification_function="gone_function",
        questions=[SingleQuestionFactory(text="Q?", display_values=["YES", "NO"])],
    )
    assert sync([group("Old", [single("Q?")], verification_function="gone_function")]).change_count == 0
    fails(
        [group("Old", [single("Q?")], verification_function="gone_function", description="new")],
        f'{SRC}[0] "Old" .verification_function: verification function "gone_function" is not registered '
        "(registered: check_human_description, check_pizza_description, verify_non_empty)",
    )


def test_sync_qg_6_archived_group_display_fields_may_change():
    sync([group("A", [single("Q?")], is_active=False)])
    report = sync([group("A", [single("Q?")], display_title="A!", is_active=False)])
    assert changes(report, "question groups") == {("updated", "A", ("display_title",), "")}
    assert not QuestionGroup.objects.get(title="A").is_active


# ---------------------------------------------------------------- SYNC-QG-7: archive and unarchive


def test_sync_qg_7_created_archived_and_questions_follow():
    report = sync([group("A", [single("Q?")], is_active=False)])
    assert changes(report, "question groups") == {("created", "A", (), "(archived)")}
    assert not QuestionGroup.objects.get(title="A").is_active
    assert not Question.objects.get(text="Q?").is_active


def test_sync_qg_7_archive_deactivates_only_questions_in_no_other_active_group():
    sync([group("A", [single("Only?"), single("Shared?")]), group("B", [single("Shared?")])])
    report = sync([group("A", [single("Only?"), single("Shared?")], is_active=False)])
    assert changes(report, "question groups") == {("archived", "A", (), "")}
    assert not Question.objects.get(text="Only?").is_active
    assert Question.objects.get(text="Shared?").is_active
    report = sync([group("A", [single("Only?"), single("Shared?")], is_active=True)])
    assert changes(report, "question groups") == {("unarchived", "A", (), "")}
    assert Question.objects.get(text="Only?").is_active


def test_sync_qg_1_absent_is_active_keeps_the_current_state():
    sync([group("A", [single("Q?")], is_active=False)])
    assert sync([group("A", [single("Q?")])]).change_count == 0
    assert not QuestionGroup.objects.get(title="A").is_active


def test_sync_qg_7_archive_refused_while_an_active_schema_contains_it():
    sync([group("A", [single("Q?")])])
    SchemaFactory(name="Live", groups=[QuestionGroup.objects.get(title="A")])
    SchemaFactory(name="Old", groups=[QuestionGroup.objects.get(title="A")], is_active=False)
    fails(
        [group("A", [single("Q?")], is_active=False)],
        f'{SRC}[0] "A" .is_active: cannot archive: active schemas use it: Live',
    )


def test_sync_qg_7_archiving_the_schema_in_the_same_run_lets_the_group_archive(tmp_path):
    sync([group("A", [single("Q?")])])
    SchemaFactory(name="Live", groups=[QuestionGroup.objects.get(title="A")])
    (tmp_path / "question_groups").mkdir()
    (tmp_path / "question_groups" / "a.json").write_text(
        json.dumps(group("A", [single("Q?")], is_active=False)), encoding="utf-8"
    )
    schema = {
        "schema_name": "Live",
        "question_group_names": ["A"],
        "instructions_url": None,
        "has_custom_display": False,
        "is_active": False,
    }
    (tmp_path / "schemas.json").write_text(json.dumps([schema]), encoding="utf-8")
    sync_from_folder(tmp_path, quiet=True)
    assert not QuestionGroup.objects.get(title="A").is_active
    assert not Schema.objects.get(name="Live").is_active


# ---------------------------------------------------------------- SYNC-GEN-13: constant queries


def _batch(prefix, n, display=""):
    return [
        group(
            f"{prefix} {i}",
            [single(f"{prefix} q{i}?", display_text=f"{prefix} q{i}?{display}"), description(f"{prefix} d{i}.")],
        )
        for i in range(n)
    ]


def _queries(data):
    with CaptureQueriesContext(connection) as ctx:
        sync(data)
    return len(ctx.captured_queries)


def test_sync_gen_13_query_count_does_not_grow_with_records():
    sync([group("Warm-up", [single("Warm?")])])
    small, large = _batch("S", 3), _batch("L", 30)
    assert _queries(small) == _queries(large)  # creates
    assert _queries(small) == _queries(large)  # unchanged
    assert _queries(_batch("S", 3, "!")) == _queries(_batch("L", 30, "!"))  # updates
    archive_small = [dict(g, is_active=False) for g in _batch("S", 3, "!")]
    archive_large = [dict(g, is_active=False) for g in _batch("L", 30, "!")]
    assert _queries(archive_small) == _queries(archive_large)


def test_sync_err_1_valid_records_are_reported_with_every_error():
    shown = fails(
        [group("Good", [single("Q?")]), group("Bad", [single("R?", default_option="x")]), group("", [])],
    )
    assert shown[0] == "Sync failed: 4 errors, nothing written."
    assert shown[1:] == [
        f'{SRC}[1] "Bad" .questions[0].default_option: "x" is not an option of question "R?" (yes, no)',
        f"{SRC}[2] .title: must not be empty",
        f"{SRC}[2] .display_title: must not be empty",
        f"{SRC}[2] .questions: must not be empty",
    ]


def test_sync_gen_10_existing_description_question_resyncs_unchanged():
    q = DescriptionQuestionFactory(text="Free text.")
    QuestionGroupFactory(title="F", questions=[q])
    assert sync([group("F", [description("Free text.")])]).change_count == 0
