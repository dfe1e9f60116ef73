"""The multiple-choice type's own rules as plain values (issue 15): the canonical stored form, the form field,
per-option consensus, exact-set grading and Krippendorff's alpha with the MASI distance.
Requirement IDs by analogy: DM-Q-2/3 (definition), SCORE-VOTE (consensus), SCORE-ACC-2, SCORE-AGR-3."""

from __future__ import annotations

from fractions import Fraction

import pytest

from annotation.scoring.sets import masi_agreement, masi_distance, vote_sets
from annotation.scoring.voting import Failure
from catalog import question_types
from catalog.models import Question

MULTIPLE = question_types.get("multiple")


def question(**kwargs) -> Question:
    fields = {"text": "Which motions?", "display_text": "Which motions?", "qtype": "multiple"}
    fields |= {"options": ["pan", "tilt", "zoom"], "display_values": ["Pan", "Tilt", "Zoom"]}
    return Question(**fields | kwargs)


def test_values_are_stored_in_option_order_so_equal_sets_are_equal_strings():
    q = question()
    assert MULTIPLE.to_stored(q, ["zoom", "pan"]) == MULTIPLE.to_stored(q, ["pan", "zoom"]) == '["pan","zoom"]'
    assert MULTIPLE.to_stored(q, []) == "[]"  # "none of these" is an answer
    assert MULTIPLE.to_external(q, '["pan","zoom"]') == ["pan", "zoom"]
    assert MULTIPLE.accepts(q, '["pan","zoom"]') and MULTIPLE.accepts(q, "[]")
    assert not MULTIPLE.accepts(q, '["zoom","pan"]')  # not canonical
    assert not MULTIPLE.accepts(q, "pan") and not MULTIPLE.accepts(q, '["roll"]')


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("pan", "must be a list of options"),
        (["roll"], '"roll" is not an option (pan, tilt, zoom)'),
        (["pan", "pan"], '"pan" is listed twice'),
        ([3], "3 is not an option (pan, tilt, zoom)"),
    ],
)
def test_a_value_the_type_cannot_take_says_why(value, reason):
    with pytest.raises(ValueError) as excinfo:
        MULTIPLE.to_stored(question(), value)
    assert str(excinfo.value) == reason


def test_the_form_field_cleans_ticked_boxes_to_the_stored_form_and_refuses_nothing_or_a_contradiction():
    from django import forms

    field = MULTIPLE.form_field("Which motions?", [("pan", "Pan"), ("tilt", "Tilt"), ("zoom", "Zoom")], max_length=10)
    assert field.clean(["zoom", "pan"]) == '["pan","zoom"]'
    assert field.clean([""]) == "[]"
    with pytest.raises(forms.ValidationError, match="None of these"):
        field.clean([])
    with pytest.raises(forms.ValidationError, match="cannot be ticked together"):
        field.clean(["", "pan"])
    assert field.prepare_value("[]") == [""] and field.prepare_value('["tilt"]') == ["tilt"]
    assert MULTIPLE.first_value(question()) is None


def test_an_option_is_in_the_consensus_when_its_weighted_share_reaches_the_threshold():
    q = question()
    votes = [('["pan","zoom"]', 1.0), ('["pan"]', 1.0), ('["pan","tilt"]', 2.0)]
    result = MULTIPLE.vote(q, votes, threshold=50, break_ties=False)
    assert (result.winner, result.accepted) == ('["pan","tilt"]', True)  # pan 100 %, tilt 50 %, zoom 25 %
    assert result.share_of("tilt") == pytest.approx(50)
    strict = MULTIPLE.vote(q, votes, threshold=80, break_ties=False)
    assert (strict.accepted, strict.failure) == (False, Failure.THRESHOLD)
    assert strict.reason == '"Tilt": ticked 50%, left out 50% | Required 80% (and 1 more)'  # zoom: 75% left it out
    assert strict.winner == '["pan"]'  # the preview still shows what reached the threshold


def test_option_weights_scale_the_votes_for_an_option():
    shares = vote_sets(
        [(frozenset({"pan"}), 1.0), (frozenset(), 1.0)], ["pan"], threshold=60, option_weights={"pan": 2}
    )
    assert shares.shares[0].share == pytest.approx(200 / 3) and shares.chosen == ["pan"]


def test_no_votes_and_zero_weights_fail_as_for_single_questions():
    q = question()
    assert MULTIPLE.vote(q, [], threshold=50, break_ties=False).failure == Failure.NO_VOTES
    assert MULTIPLE.vote(q, [("[]", 0.0)], threshold=50, break_ties=False).failure == Failure.ZERO_WEIGHT
    none = MULTIPLE.vote(q, [("[]", 1.0), ("[]", 1.0)], threshold=100, break_ties=False)
    assert (none.winner, none.accepted) == ("[]", True)  # everyone said "none of these"


def test_grading_is_an_exact_set_match():
    assert MULTIPLE.grade('["pan","zoom"]', '["pan","zoom"]', None) is True
    assert MULTIPLE.grade('["pan"]', '["pan","zoom"]', None) is False
    assert MULTIPLE.grade('["pan"]', None, None) is None
    tally = MULTIPLE.tally([('["pan"]', '["pan"]', None), ("[]", '["pan"]', None), ("[]", None, None)])
    assert (tally.correct, tally.total) == (1, 3)  # as for single questions, an answer with no GT yet counts


def test_masi_distance():
    a, b, c = frozenset({"pan"}), frozenset({"pan", "zoom"}), frozenset({"pan", "tilt"})
    assert masi_distance(a, a) == 0 and masi_distance(frozenset(), frozenset()) == 0
    assert masi_distance(a, b) == 1 - Fraction(1, 2) * Fraction(2, 3)  # subset
    assert masi_distance(b, c) == 1 - Fraction(1, 3) * Fraction(1, 3)  # overlap
    assert masi_distance(a, frozenset({"tilt"})) == 1 and masi_distance(a, frozenset()) == 1  # disjoint


def test_alpha_with_masi_matches_a_hand_computation():
    pan, pan_zoom, tilt = frozenset({"pan"}), frozenset({"pan", "zoom"}), frozenset({"tilt"})
    result = masi_agreement([[pan, pan_zoom], [tilt, tilt], [pan]])  # the last video is not pairable
    # Observed: unit 1 has 2 ordered pairs at δ = 2/3, over m − 1 = 1; unit 2 none. D_o = (4/3) / 4 = 1/3.
    # Expected over the 4 values: pairs pan–pan_zoom (2/3) ×2, pan–tilt (1) ×2×2, pan_zoom–tilt (1) ×2×2
    # = 4/3 + 4 + 4 = 28/3 over 4 × 3 = 12 → 7/9. α = 1 − (1/3)/(7/9) = 4/7.
    assert result.alpha == pytest.approx(4 / 7)
    assert (result.pairable_units, result.n, result.percent_agreement) == (2, 4, 50.0)
    same = masi_agreement([[pan, pan], [pan, pan]])
    assert same.alpha is None and same.all_identical and same.percent_agreement == 100


def test_the_definition_writes_default_options_as_a_list():
    q = question(option_weights=[1.0, 1.0, 2.0], default_option="[]")
    assert MULTIPLE.definition(q)["default_options"] == []
    assert MULTIPLE.definition(question())["default_options"] is None
    assert MULTIPLE.shown_value('["pan","zoom"]', {"pan": "Pan", "zoom": "Zoom"}) == "Pan; Zoom"
    assert MULTIPLE.shown_value("[]", {}) == "None of these"
