"""The catalog's set rules (catalog/set_rules.py): one implementation and one message, for the admin and sync."""

from catalog.models import Project
from catalog.set_rules import (
    ProjectOverlap,
    archive_problem,
    auto_submit_problem,
    default_option_problem,
    kept_weights,
    non_reusable_problem,
    qtype_change_problem,
    removed_options_problem,
    sentence,
    shared_question_problems,
    taken_group_problem,
    verification_problem,
)


def test_dm_q_4_options_are_append_only_and_keep_their_weights():
    assert removed_options_problem("Q?", ["a", "b"], ["b", "a", "c"]) is None
    assert removed_options_problem("Q?", ["a", "b"], ["b"]) == 'question "Q?" cannot remove existing options: "a"'
    # No weights given: stored ones are kept, a new option weighs 1.0; a blank weight alone keeps its stored one.
    assert kept_weights(["a", "b", "c"], None, {"a": 2.0, "b": 0.5}) == [2.0, 0.5, 1.0]
    assert kept_weights(["a", "b"], [None, 3], {"a": 2.0, "b": 0.5}) == [2.0, 3.0]


def test_dm_q_4_the_type_never_changes():
    assert qtype_change_problem("Q?", "single", "single") is None
    assert qtype_change_problem("Q?", "single", "description") == (
        'question "Q?" is a single question; its qtype cannot change to description'
    )


def test_dm_q_3_the_default_option_is_an_option():
    assert default_option_problem("Q?", None, ["a"]) is None
    assert default_option_problem("Q?", "x", ["a", "b"]) == '"x" is not an option of question "Q?" (a, b)'
    assert default_option_problem(None, "x", ["a"]) == '"x" is not an option of question this question (a)'


def test_dm_qg_rules_name_what_blocks():
    assert auto_submit_problem([]) is None
    assert auto_submit_problem(["S?", "D?"]) == (
        'auto-submit requires a default option on every question; none on: "S?", "D?"'
    )
    assert non_reusable_problem(["S1", "S1"]) is None
    assert non_reusable_problem(["S2", "S1"]) == "cannot make the group non-reusable: 2 schemas contain it: S1, S2"
    assert verification_problem(None, []) is None
    assert verification_problem("f", []) == 'verification function "f" is not registered (registered: none)'
    assert taken_group_problem("G", True, ["S"]) is None
    assert (
        taken_group_problem("G", False, ["S"]) == 'question group "G" is not reusable and already belongs to schema "S"'
    )


def test_dm_sch_3_each_later_group_sharing_a_question_is_named():
    groups = [("A", ["Q1", "Q2"]), ("B", ["Q3"]), ("C", ["Q2"])]
    assert shared_question_problems(groups) == [(2, 'question groups "A" and "C" share question "Q2"')]


def test_dm_arch_1_and_the_admin_sentence():
    assert archive_problem("projects", []) is None
    problem = archive_problem("projects", ["P2", "P1"])
    assert problem == "cannot archive: active projects use it: P1, P2"
    assert sentence(problem) == "Cannot archive: active projects use it: P1, P2."


def test_dm_pg_2_shared_videos_are_counted_in_the_right_number():
    a, b, c = (Project(pk=pk, name=name, schema_id=pk) for pk, name in ((1, "A"), (2, "B"), (3, "C")))
    overlap = ProjectOverlap()
    overlap.questions.update({1: {10}, 2: {10}, 3: {99}})
    overlap.videos.update({1: {"v1.mp4", "v2.mp4"}, 2: {"v1.mp4"}, 3: {"v1.mp4"}})
    assert overlap.problems([a, b, c, a]) == [
        'Cannot group projects "A" and "B": they share questions and 1 video: v1.mp4'
    ]
    overlap.videos[2].add("v2.mp4")
    assert overlap.problems([a, b]) == [
        'Cannot group projects "A" and "B": they share questions and 2 videos: v1.mp4, v2.mp4'
    ]


def test_dm_usr_2_people_have_an_email_and_a_password_and_models_neither():
    from catalog.set_rules import user_email_problem, user_password_problem

    assert user_email_problem("human", True) is None and user_email_problem("model", False) is None
    assert user_email_problem("admin", False) == "admin users need an email"
    assert user_email_problem("model", True) == "model users have no email"
    assert user_password_problem("human", False) == "human users need a non-empty password"
    assert user_password_problem("model", True) == "model users have no password"


def test_dm_q_2_options_are_distinct_strings_with_finite_weights():
    from catalog.set_rules import distinct_values_problems, weight_problem

    assert distinct_values_problems(["a", "b"]) == []
    assert distinct_values_problems(["a", "", "a", 3]) == [
        (1, "must be a non-empty string, got an empty string"),
        (2, 'duplicate value "a"'),
        (3, "must be a non-empty string, got a number"),
    ]
    assert weight_problem(0) is None and weight_problem(2.5) is None
    assert weight_problem(-1) == "must be a finite number ≥ 0, got -1"
    assert weight_problem(float("inf")) == "must be a finite number ≥ 0, got a non-finite number"
    assert weight_problem(True) == "must be a finite number ≥ 0, got a boolean"
