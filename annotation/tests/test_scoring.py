"""Pure scoring (SCORE-*, DM-DER-10/11): plain values in and out, so no database."""

import ast
import sys
from pathlib import Path

import pytest

from annotation import scoring
from annotation.scoring.accuracy import (
    Tally,
    accuracy,
    band,
    combine,
    grade_description,
    grade_single,
    overall,
    report_message,
    report_status,
    report_summary,
    tally_description,
    tally_reviewer,
    tally_single,
)
from annotation.scoring.agreement import agreement, agreement_summary, krippendorff_alpha, percent_agreement
from annotation.scoring.formatting import display_name, format_alpha, format_difference, format_percent, initials
from annotation.scoring.leaderboards import compare, leaderboard
from annotation.scoring.sort_scores import (
    accuracy_rate,
    annotator_consensus,
    completion_rate,
    model_confidence,
    sort_videos,
)
from annotation.scoring.voting import (
    Failure,
    GroupStatus,
    consensus_score,
    evaluate_group,
    preload,
    resolve_option_weights,
    success_rate,
    vote,
    vote_description,
)

# --- DM-DER-11: percentages are truncated, never rounded ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (100, "100%"),
        (100.0, "100%"),
        (50, "50%"),
        (0, "0%"),
        (99.96, "99.9%"),  # the spec's example: never "100%" unless exactly 100
        (99.99999, "99.9%"),
        (66.75, "66.7%"),
        (200 / 3, "66.6%"),  # 66.666…: truncation, so not "66.7%"
        (9 * 100 / 13, "69.2%"),
        (90.04, "90.0%"),  # a whole-number display means exactly that number
        (0.56 * 100, "56%"),  # 56.00000000000001 is float noise around 56
        (0.667 * 100, "66.7%"),
        (None, "—"),
    ],
)
def test_dm_der_11_percent_truncated_to_one_decimal(value, shown):
    assert format_percent(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(10, "+10.0"), (3.36, "+3.3"), (-3.36, "-3.3"), (0.04, "0.0"), (-0.04, "0.0"), (0, "0.0"), (None, "—")],
)
def test_score_lb_3_difference_signed_to_one_decimal(value, shown):
    assert format_difference(value) == shown


@pytest.mark.parametrize(
    ("name", "shown", "letters"),
    [
        ("Maria Lopez", "Maria Lopez (ML)", "ML"),
        ("Robot", "Robot (RO)", "RO"),
        ("Model 1", "Model 1 (M1)", "M1"),
        ("ana maria de souza", "ana maria de souza (AS)", "AS"),
        ("x", "x (X)", "X"),
    ],
)
def test_dm_der_10_display_name_and_initials(name, shown, letters):
    assert display_name(name) == shown
    assert initials(name) == letters


@pytest.mark.parametrize("name", ["Maria Lopez", "Robot", "Model 1", "ana maria de souza", "x"])
def test_dm_der_10_initials_match_the_user_model(name):
    from catalog.models import User  # an unsaved instance: no database

    user = User(user_id=name)
    assert (user.initials, user.display_name) == (initials(name), display_name(name))


# --- SCORE-VOTE ---------------------------------------------------------------------------------------------


def test_score_vote_7_nsfw_weights():
    votes = [("Yes", 1.0)] + [("No", 1.0)] * 9
    weights = {"No": 1.0, "Yes": 99.0}

    at_90 = vote(votes, option_weights=weights, threshold=90)
    assert at_90.weights == {"Yes": 99.0, "No": 9.0}
    assert at_90.total == 108
    assert at_90.share == pytest.approx(99 / 108 * 100)
    assert at_90.share == pytest.approx(91.67, abs=0.005)
    assert (at_90.winner, at_90.accepted, at_90.reason, at_90.tied) == ("Yes", True, None, False)
    assert vote(votes, option_weights=weights, threshold=91.6).accepted

    at_100 = vote(votes, option_weights=weights, threshold=100)
    assert (at_100.winner, at_100.accepted, at_100.failure) == ("Yes", False, Failure.THRESHOLD)
    assert at_100.reason == "Achieved 91.6% | Required 100%"


def test_score_vote_7_user_weights():
    votes = [("1", 2.5), ("2", 1.0), ("2", 1.0)]

    at_50 = vote(votes, threshold=50)
    assert at_50.weights == {"1": 2.5, "2": 2.0}
    assert at_50.share == pytest.approx(2.5 / 4.5 * 100)
    assert at_50.share == pytest.approx(55.56, abs=0.005)
    assert (at_50.winner, at_50.accepted) == ("1", True)

    at_60 = vote(votes, threshold=60)
    assert (at_60.winner, at_60.accepted) == ("1", False)
    assert at_60.reason == "Achieved 55.5% | Required 60%"


@pytest.mark.parametrize("threshold", [0, 10, 50, 100])
def test_score_vote_7_equal_weights_tie_fails_at_every_threshold(threshold):
    result = vote([("1", 2.0), ("2", 1.0), ("2", 1.0)], threshold=threshold)
    assert (result.winner, result.accepted, result.tied) == (None, False, True)
    assert result.failure == Failure.TIE
    assert result.reason == "tie between 1 and 2"
    assert result.share == 50


def test_score_vote_7_description():
    result = vote_description([("a man", 1.0), ("two men", 1.0), ("a man", 1.0)], threshold=60)
    assert result.share == pytest.approx(200 / 3)
    assert (result.winner, result.accepted) == ("a man", True)
    assert vote_description([("a man", 1.0), ("two men", 1.0), ("a man", 1.0)], threshold=80).reason == (
        "Achieved 66.6% | Required 80%"
    )


def test_score_vote_2_formula_multiplies_user_and_option_weights():
    result = vote([("A", 2.0), ("B", 0.5), ("B", 1.5), ("C", 3.0)], option_weights={"A": 2.0, "B": 0.5})
    assert result.weights == {"A": 4.0, "C": 3.0, "B": 1.0}  # highest first; C is not an option: ow = 1
    assert result.winner == "A"
    assert result.share == pytest.approx(50)
    assert result.share_of("C") == pytest.approx(37.5)
    assert result.share_of("unvoted") == 0


def test_score_vote_2_accepts_at_exactly_the_threshold():
    votes = [("A", 2.0), ("B", 1.0), ("C", 1.0), ("D", 1.0), ("E", 1.0)]  # share(A) = 2/6 = 33.33…%
    assert vote(votes, threshold=100 / 3).accepted
    assert vote(votes, threshold=100 / 3 + 1e-10).accepted  # within the spec's 1e-9
    assert not vote(votes, threshold=100 / 3 + 1e-6).accepted


def test_score_vote_2_float_noise_is_still_a_tie():
    result = vote([("A", 0.1), ("A", 0.2), ("B", 0.3)], threshold=0)
    assert result.failure == Failure.TIE
    assert result.reason == "tie between A and B"


def test_score_vote_4_no_votes():
    result = vote([], threshold=0)
    assert (result.winner, result.share, result.accepted) == (None, None, False)
    assert (result.reason, result.failure) == ("no votes", Failure.NO_VOTES)


def test_score_vote_4_all_votes_have_weight_0():
    assert vote([("A", 0.0), ("B", 0.0)], threshold=0).reason == "all votes have weight 0"
    zero_option = vote([("A", 1.0)], option_weights={"A": 0.0}, threshold=0)
    assert (zero_option.reason, zero_option.failure, zero_option.share) == (
        "all votes have weight 0",
        Failure.ZERO_WEIGHT,
        None,
    )
    assert zero_option.share_of("A") is None


def test_score_vote_4_zero_weight_votes_do_not_make_a_tie():
    result = vote([("A", 0.0), ("B", 0.0), ("C", 1.0)])
    assert (result.winner, result.share, result.accepted) == ("C", 100, True)


def test_score_vote_4_tie_between_three_values_lists_them_in_option_order():
    result = vote([("c", 1.0), ("a", 1.0), ("b", 1.0)], option_order=["c", "b", "a"])
    assert result.reason == "tie between c, b and a"
    assert vote([("c", 1.0), ("a", 1.0), ("b", 1.0)]).reason == "tie between a, b and c"


def test_score_vote_4_tie_names_the_empty_string_visibly():
    assert vote_description([("", 1.0), ("x", 1.0)]).reason == 'tie between "" and x'


def test_score_vote_4_unbroken_tie_has_no_winner_but_keeps_the_weights():
    # Without break_ties (execute and preview) there is no winner to show, only the weights.
    result = vote([("Yes", 1.0), ("No", 1.0)], threshold=0)
    assert result.winner is None
    assert result.weights == {"No": 1.0, "Yes": 1.0}


def test_score_vote_4_preload_breaks_a_tie_by_option_order():
    votes = [("1", 2.0), ("2", 1.0), ("2", 1.0)]
    result = vote(votes, break_ties=True, option_order=["2", "1"])
    assert (result.winner, result.tied, result.accepted, result.failure) == ("2", True, False, Failure.THRESHOLD)
    assert vote(votes, break_ties=True, option_order=["1", "2"]).winner == "1"
    # Preload ignores thresholds, but the result still says whether the threshold was met.
    assert vote(votes, break_ties=True, option_order=["2", "1"], threshold=50).accepted


def test_score_vote_4_preload_puts_values_that_are_not_options_after_the_options():
    result = vote([("zzz", 1.0), ("legacy", 1.0), ("Yes", 1.0)], break_ties=True, option_order=["zzz", "Yes"])
    assert result.winner == "zzz"
    only_non_options = vote([("zzz", 1.0), ("legacy", 1.0)], break_ties=True, option_order=["Yes"])
    assert only_non_options.winner == "legacy"


def test_score_vote_4_preload_breaks_a_description_tie_by_code_point_order():
    result = vote_description([("a man", 1.0), ("Two men", 1.0), ("ä", 1.0)], break_ties=True)
    assert (result.winner, result.tied) == ("Two men", True)  # "T" (U+0054) < "a" (U+0061) < "ä" (U+00E4)


def test_score_vote_4_without_a_tie_preload_is_not_marked_tied():
    result = vote([("A", 2.0), ("B", 1.0)], break_ties=True)
    assert (result.winner, result.tied) == ("A", False)


@pytest.mark.parametrize("threshold", [-0.1, 100.1])
def test_score_vote_1_threshold_outside_0_to_100_is_refused(threshold):
    with pytest.raises(ValueError, match="threshold"):
        vote([("A", 1.0)], threshold=threshold)


def test_score_vote_1_negative_weights_are_refused():
    with pytest.raises(ValueError, match="≥ 0"):
        vote([("A", -1.0)])
    with pytest.raises(ValueError, match="≥ 0"):
        vote([("A", 1.0)], option_weights={"A": -1.0})


def test_score_vote_3_option_weights_entered_then_question_then_one():
    assert resolve_option_weights(["No", "Yes"], None) == {"No": 1.0, "Yes": 1.0}
    assert resolve_option_weights(["No", "Yes"], [1.0, 99.0]) == {"No": 1.0, "Yes": 99.0}
    assert resolve_option_weights(["No", "Yes"], [1.0, 99.0], {"Yes": 5.0}) == {"No": 1.0, "Yes": 5.0}


def test_score_vote_5_fixed_source_is_the_only_vote_at_100_percent():
    result = vote_description([("other", 5.0), ("other", 5.0)], fixed=["the default text"], threshold=100)
    assert (result.winner, result.share, result.accepted) == ("the default text", 100, True)
    assert result.weights == {"the default text": 1.0}


def test_score_vote_5_fixed_empty_text_is_a_value():
    assert vote_description([("other", 1.0)], fixed=[""]).winner == ""


def test_score_vote_5_named_annotator_without_an_answer_gives_no_votes():
    result = vote_description([("a man", 1.0)], fixed=[None])
    assert (result.accepted, result.reason) == (False, "no votes")


def test_score_vote_5_two_fixed_sources_are_a_configuration_error():
    with pytest.raises(ValueError, match="at most one fixed source"):
        vote_description([], fixed=["default", "X's answer"])


def test_score_vote_5_identical_strings_vote_together_with_option_weight_1():
    result = vote_description([("", 1.0), ("", 1.0), ("A man", 1.0), ("a man", 1.0)], threshold=50)
    assert result.weights == {"": 2.0, "A man": 1.0, "a man": 1.0}  # exact equality: case matters
    assert (result.winner, result.accepted) == ("", True)


def test_score_vote_6_consensus_score_is_the_mean_share():
    results = [
        vote([("A", 1.0), ("A", 1.0), ("B", 1.0)]),  # 66.67, fails at 100 but is evaluated
        vote([("A", 1.0)]),  # 100
        vote([("A", 1.0), ("B", 1.0)]),  # tie: 50
        vote([]),  # no share: left out
    ]
    assert consensus_score(results) == pytest.approx((200 / 3 + 100 + 50) / 3)
    assert consensus_score([]) is None
    assert consensus_score([vote([])]) is None


# --- SCORE-AUTO ---------------------------------------------------------------------------------------------


def test_score_auto_1_group_with_every_value_is_skipped():
    outcome = evaluate_group({"q1": "Yes", "q2": ""}, lambda q: pytest.fail(f"voted {q}"))
    assert outcome.status == GroupStatus.SKIPPED
    assert outcome.reason == "already complete"
    assert (outcome.submission, outcome.results, outcome.reasons) == ({}, {}, {})


def test_score_auto_1_submission_is_existing_values_plus_winners_in_group_order():
    votes = {"q1": vote([("Yes", 1.0), ("Yes", 1.0), ("No", 1.0)], threshold=60), "q3": vote([("a", 1.0)])}
    outcome = evaluate_group({"q1": None, "q2": "kept", "q3": None}, votes)
    assert outcome.status == GroupStatus.SUBMIT
    assert list(outcome.submission.items()) == [("q1", "Yes"), ("q2", "kept"), ("q3", "a")]
    assert set(outcome.results) == {"q1", "q3"}
    assert outcome.reasons == {}
    assert outcome.failure is None


def test_score_auto_1_is_all_or_nothing_with_a_reason_per_question():
    votes = {
        "q1": vote([("Yes", 1.0)]),
        "q2": vote([("Yes", 1.0), ("Yes", 1.0), ("No", 1.0)], threshold=80),
        "q3": vote([]),
        "q4": vote([("A", 1.0), ("B", 1.0)]),
    }
    outcome = evaluate_group(dict.fromkeys(votes), votes)
    assert outcome.status == GroupStatus.FAILED
    assert outcome.submission == {}
    assert outcome.reasons == {
        "q2": "Achieved 66.6% | Required 80%",
        "q3": "no votes",
        "q4": "tie between A and B",
    }
    assert outcome.failure == Failure.THRESHOLD  # the first failing question in group order


def test_score_auto_1_only_questions_without_a_value_are_voted():
    asked = []

    def vote_for(question):
        asked.append(question)
        return vote([("No", 1.0)])

    outcome = evaluate_group({"q1": "Yes", "q2": None}, vote_for)
    assert asked == ["q2"]
    assert outcome.submission == {"q1": "Yes", "q2": "No"}


def test_score_auto_2_default_option_is_the_only_vote_at_threshold_100():
    outcome = evaluate_group({"q1": None}, {"q1": vote([("No", 1.0)], threshold=100)})
    assert outcome.submission == {"q1": "No"}


def test_score_auto_3_manual_defaults_are_virtual_votes_of_weight_1():
    two_defaults = vote([("A", 1.0), ("B", 1.0)], threshold=0)
    assert two_defaults.failure == Failure.TIE
    assert vote([], threshold=0).failure == Failure.NO_VOTES  # no default set for that question


def test_score_auto_5_success_rate():
    assert success_rate(3, 1) == 75
    assert success_rate(0, 0) is None
    assert success_rate(0, 2) == 0


def test_score_auto_6_preload_keeps_existing_values_and_marks_broken_ties():
    results = {
        "q2": vote([("1", 1.0), ("2", 1.0)], break_ties=True, option_order=["1", "2"]),
        "q3": vote([("x", 1.0), ("x", 1.0), ("y", 1.0)], break_ties=True),  # below 100: thresholds ignored
        "q4": vote([], break_ties=True),
    }
    values = preload({"q1": "kept", "q2": None, "q3": None, "q4": None}, results)
    assert [(v.value, v.from_vote, v.tied) for v in values.values()] == [
        ("kept", False, False),
        ("1", True, True),
        ("x", True, False),
        (None, True, False),
    ]


# --- SCORE-SORT ---------------------------------------------------------------------------------------------


def test_score_sort_2_completion_rate():
    assert completion_rate({"q1", "q9"}, ["q1", "q2"]) == 50  # q9 is not selected
    assert completion_rate([], ["q1"]) == 0
    assert completion_rate(["q1"], []) is None


def test_score_sort_2_accuracy_rate_counts_graded_answers_only():
    grades = [
        grade_single("Yes", "Yes"),
        grade_single("No", "Yes"),
        grade_single("No", None),  # no GT: not graded
        grade_description("approved"),
        grade_description(None),  # not reviewed: not graded
    ]
    assert grades == [True, False, None, True, None]
    assert accuracy_rate(grades) == pytest.approx(200 / 3)
    assert accuracy_rate([None, None]) is None


def test_score_sort_2_unknown_review_status_is_refused():
    with pytest.raises(ValueError, match="pending"):
        grade_description("pending")


def test_score_sort_3_model_confidence_ignores_null_scores():
    assert model_confidence([0.9, None, 0.6]) == pytest.approx(0.75)
    assert model_confidence([None]) is None


def test_score_sort_3_annotator_consensus():
    answers = [
        ["A", "A", "B"],  # 2/3 ≥ 50%: reached
        ["A", "B"],  # 1/2 = 50%: reached
        ["A", "B", "C"],  # 1/3: not reached
        ["A"],  # one answer: not eligible
    ]
    assert annotator_consensus(answers) == pytest.approx(200 / 3)
    assert annotator_consensus([["A"], []]) is None
    assert annotator_consensus([]) is None


def test_score_sort_3_reviewer_accuracy_rate_uses_answers_with_gt():
    pairs = [("Yes", "Yes"), ("No", "Yes"), ("Yes", None), ("No", "No")]
    assert accuracy_rate(grade_single(a, gt) for a, gt in pairs) == pytest.approx(200 / 3)


def test_score_sort_4_undefined_sorts_last_in_both_directions():
    videos = ["v1", "v2", "v3", "v4", "v5"]
    scores = {"v1": None, "v2": 50.0, "v3": 100.0, "v5": 0.0}  # v4 missing: undefined too
    assert sort_videos(videos, scores, descending=False) == ["v5", "v2", "v3", "v1", "v4"]
    assert sort_videos(videos, scores, descending=True) == ["v3", "v2", "v5", "v1", "v4"]


def test_score_sort_4_ties_keep_the_default_order_in_both_directions():
    videos = [3, 1, 2, 4]
    scores = {3: 50.0, 1: 50.0, 2: 10.0, 4: 50.0}
    assert sort_videos(videos, scores, descending=False) == [2, 3, 1, 4]
    assert sort_videos(videos, scores, descending=True) == [3, 1, 4, 2]


# --- SCORE-ACC and SCORE-RPT --------------------------------------------------------------------------------


def test_score_acc_6_annotator_ann():
    gt = ["a", "b", "c", "d", "e"]
    q1 = tally_single(zip(["a", "b", "c", "d", "x"], gt, strict=True))
    q2 = tally_single(zip(["a", "b", "c", "x", "x"], gt, strict=True))
    q3 = tally_description(["approved", "approved", "rejected", None, None])
    assert (q1, q2, q3) == (Tally(4, 5), Tally(3, 5), Tally(2, 3))
    assert (q1.percent, q2.percent) == (80, 60)
    assert q3.percent == pytest.approx(200 / 3)

    assert combine([q1, q2, q3]) == Tally(9, 13)
    ann = overall([q1, q2, q3])
    assert ann == pytest.approx(9 / 13 * 100)
    assert format_percent(ann) == "69.2%"
    assert band(ann) == "needs improvement"
    assert report_message(ann) == "Keep learning"
    assert report_summary(combine([q1, q2, q3])) == "You answered 9 of 13 correctly"


def test_score_acc_6_reviewer_rex():
    rex = tally_reviewer([False, False, True, False, False])
    assert rex == Tally(4, 5)
    assert rex.percent == 80
    assert format_percent(rex.percent) == "80%"
    assert band(rex.percent) == "good"


def test_score_acc_2_single_answers_compare_with_the_current_gt():
    # An override changed the GT to "No": the annotator who said "No" is now correct.
    assert tally_single([("No", "No"), ("Yes", "No")]) == Tally(1, 2)


def test_score_acc_2_unreviewed_descriptions_are_ignored():
    assert tally_description([None, None]) == Tally(0, 0)
    assert tally_description([None, None]).percent is None


def test_score_acc_4_accuracy_is_undefined_without_answers():
    assert accuracy(0, 0) is None
    assert accuracy(0, 3) == 0
    assert overall([Tally(0, 0), Tally(0, 0)]) is None
    assert overall([]) is None
    assert overall([Tally(0, 0), Tally(1, 2)]) == 50


@pytest.mark.parametrize(
    ("percent", "name", "message"),
    [
        (100, "excellent", "Excellent"),
        (90, "excellent", "Excellent"),
        (89.99999999999999, "excellent", "Excellent"),  # float noise around 90
        (89.99, "good", "Good"),
        (80, "good", "Good"),
        (79.9, "fair", "Room for improvement"),
        (70, "fair", "Room for improvement"),
        (69.9, "needs improvement", "Keep learning"),
        (0, "needs improvement", "Keep learning"),
        (None, None, None),
    ],
)
def test_score_acc_5_bands_and_score_rpt_1_messages(percent, name, message):
    assert band(percent) == name
    assert report_message(percent) == message


@pytest.mark.parametrize(
    ("tally", "status"),
    [(Tally(1, 1), "Correct"), (Tally(3, 3), "Correct"), (Tally(0, 2), "Incorrect"), (Tally(2, 3), "66.6%")],
)
def test_score_rpt_1_question_status(tally, status):
    assert report_status(tally) == status


def test_score_rpt_1_question_without_graded_answers():
    assert report_status(Tally(0, 0)) == "—"


# --- SCORE-LB -----------------------------------------------------------------------------------------------


def test_score_lb_1_ranking_and_tie_breaks():
    board = leaderboard(
        {
            "zed": Tally(1, 2),  # 50%, total 2
            "amy": Tally(2, 4),  # 50%, total 4: before zed
            "bob": Tally(2, 4),  # 50%, total 4: after amy by user_id
            "cat": Tally(9, 10),
            "dan": Tally(1, 3),  # 1/3 and 2/6 are an exact tie: eve's larger total wins
            "eve": Tally(2, 6),
            "nil": Tally(0, 0),
            "abe": Tally(0, 0),
        }
    )
    assert [(r.rank, r.user_id) for r in board.rows] == [
        (1, "cat"),
        (2, "amy"),
        (3, "bob"),
        (4, "zed"),
        (5, "eve"),
        (6, "dan"),
        (None, "abe"),
        (None, "nil"),
    ]
    assert [r.highlighted for r in board.rows] == [True, True, True, False, False, False, False, False]
    assert board.rows[0].band == "excellent"
    assert board.rows[-1].percent is None
    assert board.top() == ["cat", "amy", "bob", "zed", "eve"]


def test_score_lb_1_summary_uses_defined_values():
    board = leaderboard({"a": Tally(9, 10), "b": Tally(1, 2), "c": Tally(0, 0), "d": Tally(7, 10)})
    assert board.average == pytest.approx(70)
    assert (board.highest, board.lowest) == (90, 50)
    assert (board.count, board.no_data) == (3, 1)


def test_score_lb_1_summary_without_data():
    board = leaderboard({"a": Tally(0, 0)})
    assert (board.average, board.highest, board.lowest, board.count, board.no_data) == (None, None, None, 0, 1)
    assert leaderboard({}).rows == ()


def test_score_lb_3_compare():
    row = compare({"amy": 100.0, "bob": 50.0, "cat": 50.0, "dan": None})
    assert row.mean == pytest.approx(200 / 3)
    assert row.differences["dan"] is None
    shown = {u: format_difference(d) for u, d in row.differences.items()}
    assert shown == {"amy": "+33.3", "bob": "-16.6", "cat": "-16.6", "dan": "—"}


def test_score_lb_3_compare_without_values():
    row = compare({"amy": None, "bob": None})
    assert (row.mean, row.differences) == (None, {"amy": None, "bob": None})


# --- SCORE-AGR ----------------------------------------------------------------------------------------------


def test_score_agr_6_worked_example():
    units = [["A", "A", "B"], ["A", "A"], ["B", "B", "B"], ["A"]]
    result = agreement(units)
    assert (result.pairable_units, result.n, result.all_identical) == (3, 8, False)
    assert result.percent_agreement == pytest.approx(1000 / 14)  # 71.43%
    assert result.alpha == pytest.approx(0.5625)
    assert format_alpha(result.alpha) == "0.563"
    assert percent_agreement(units) == result.percent_agreement
    assert krippendorff_alpha(units) == result.alpha


def test_score_agr_3_krippendorff_textbook_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data, 4 observers, 12 units,
    # missing values; the published result is alpha = 0.743.
    #   A: 1 2 3 3 2 1 4 1 2 . . .      B: 1 2 3 3 2 2 4 1 2 5 . 3
    #   C: . 3 3 3 2 3 4 2 2 5 1 .      D: 1 2 3 3 2 4 4 1 2 5 1 .
    # Unit 12 has one value: not pairable. n = 3 + 8·4 + 3 + 2 = 40.
    # Σ_{c≠k} o_ck = Σ_v (m_v² − Σ_c m_vc²)/(m_v − 1): only units 2 (2,2,3,2), 6 (1,2,3,4) and 8 (1,1,2,1) disagree:
    #   unit 2: (16 − 9 − 1)/3 = 2;  unit 6: (16 − 4)/3 = 4;  unit 8: (16 − 9 − 1)/3 = 2;  total 8, so D_o = 8/40.
    # n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3; Σ n_c² = 384;  D_e = (40² − 384)/(40·39) = 1216/1560.
    # alpha = 1 − (8/40)·(1560/1216) = 1 − 39/152 = 113/152 = 0.74342…
    # PA: agreeing ordered pairs 6+6+12+12+12+0+12+6+12+6+2 = 86 of 6+8·12+6+2 = 110: 78.18%.
    observers = (
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    )
    columns = zip(*(row.split() for row in observers), strict=True)
    units = [[x for x in unit if x != "."] for unit in columns]
    result = agreement(units)
    assert (result.pairable_units, result.n) == (11, 40)
    assert result.alpha == pytest.approx(113 / 152)
    assert format_alpha(result.alpha) == "0.743"
    assert result.percent_agreement == pytest.approx(8600 / 110)


def test_score_agr_3_two_coders_by_hand():
    # Units (a,a) (a,b) (b,b) (b,b): n = 8, n_a = 3, n_b = 5.
    # Only unit 2 disagrees: (2² − 1 − 1)/(2 − 1) = 2, so D_o = 2/8 = 0.25.
    # D_e = (8² − 3² − 5²)/(8·7) = 30/56.  alpha = 1 − 0.25·56/30 = 1 − 14/30 = 8/15 = 0.5333…
    # PA = (2 + 0 + 2 + 2)/(2 + 2 + 2 + 2) = 75%.
    result = agreement([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]])
    assert result.alpha == pytest.approx(8 / 15)
    assert result.percent_agreement == 75


def test_score_agr_3_systematic_disagreement_is_negative():
    # (a,b) (b,a): D_o = (2 + 2)/4 = 1, D_e = (16 − 4 − 4)/12 = 2/3, alpha = 1 − 3/2 = −0.5.
    result = agreement([["a", "b"], ["b", "a"]])
    assert result.alpha == pytest.approx(-0.5)
    assert result.percent_agreement == 0
    assert format_alpha(result.alpha) == "-0.500"


def test_score_agr_3_all_identical_answers_leave_alpha_undefined():
    result = agreement([["A", "A"], ["A", "A", "A"], ["B"]])  # the lone B is not pairable
    assert (result.alpha, result.all_identical, result.percent_agreement) == (None, True, 100)
    assert format_alpha(result.alpha, all_identical=result.all_identical) == "— (all answers identical)"


def test_score_agr_2_no_pairable_unit_is_undefined():
    result = agreement([["A"], [], ["B"]])
    assert (result.pairable_units, result.n) == (0, 0)
    assert (result.percent_agreement, result.alpha, result.all_identical) == (None, None, False)
    assert percent_agreement([]) is None
    assert format_alpha(None) == "—"


def test_score_agr_4_summary_means_defined_values():
    results = [
        agreement([["A", "A", "B"], ["A", "A"], ["B", "B", "B"]]),  # PA 71.43, alpha 0.5625
        agreement([["A", "A"]]),  # PA 100, alpha undefined
        agreement([["A"]]),  # both undefined
    ]
    mean_pa, mean_alpha = agreement_summary(results)
    assert mean_pa == pytest.approx((1000 / 14 + 100) / 2)
    assert mean_alpha == pytest.approx(0.5625)
    assert agreement_summary([]) == (None, None)


def test_scoring_imports_only_the_standard_library():
    modules = sorted(Path(scoring.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside = {name for name in imported if not name.startswith("annotation.scoring.")}
        roots = {name.split(".")[0] for name in outside}
        assert roots <= set(sys.stdlib_module_names) | {"__future__"}, module.name
