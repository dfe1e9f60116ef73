"""The question-type registry (catalog/question_types, docs/question_types.md): lookups, the model field, and
each type's rules as plain values. Requirement IDs: DM-Q-2/3 (definitions), SCORE-VOTE-1..5 (voting),
SCORE-ACC-2 (grading), SCORE-AGR-1 (agreement)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog import question_types
from catalog.models import Question
from catalog.question_types import UnknownQuestionType
from catalog.tests.factories import DescriptionQuestionFactory, SingleQuestionFactory

SINGLE, MULTIPLE, DESCRIPTION = (question_types.get(name) for name in ("single", "multiple", "description"))


def test_the_registry_holds_single_multiple_and_description_in_order():
    assert question_types.names() == ("single", "multiple", "description")
    assert question_types.all() == (SINGLE, MULTIPLE, DESCRIPTION)
    assert question_types.CHOICES == [("single", "Single"), ("multiple", "Multiple"), ("description", "Description")]
    assert Question._meta.get_field("qtype").choices == question_types.CHOICES


@pytest.mark.parametrize("qtype", ["ranking", "", "Single", None, 3])
def test_an_unknown_type_is_refused_never_read_as_a_description(qtype):
    with pytest.raises(UnknownQuestionType) as excinfo:
        question_types.get(qtype)
    assert "is not a question type (single, multiple, description)" in str(excinfo.value)
    assert question_types.find(qtype) is None
    with pytest.raises(UnknownQuestionType):
        _ = Question(text="Q?", qtype=qtype).kind


def test_each_type_names_its_templates():
    assert SINGLE.template == "annotation/question_types/single.html"
    assert DESCRIPTION.macros == "annotation/question_types/description.jinja"


@pytest.mark.django_db
def test_model_validation_refuses_an_unknown_type():
    question = Question(text="Which objects?", display_text="Which objects?", qtype="ranking", options=["a"])
    with pytest.raises(ValidationError) as excinfo:
        question.full_clean()
    assert "qtype" in excinfo.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_type_and_options_that_do_not_match_the_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(text="A?", display_text="A?", qtype="ranking", options=["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(text="M?", display_text="M?", qtype="multiple", options=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(text="B?", display_text="B?", qtype="description", options=["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(text="C?", display_text="C?", qtype="single", options=None)


def test_single_accepts_only_its_options_and_description_any_text():
    single = SingleQuestionFactory.build(options=["yes", "no"])
    description = DescriptionQuestionFactory.build()
    assert SINGLE.accepts(single, "yes") and not SINGLE.accepts(single, "maybe")
    assert SINGLE.allowed_values(single) == frozenset({"yes", "no"})
    assert DESCRIPTION.accepts(description, "anything at all") and DESCRIPTION.allowed_values(description) is None
    assert (SINGLE.first_value(single), DESCRIPTION.first_value(description)) == ("yes", "")


def test_single_votes_with_option_weights_and_description_with_a_fixed_source():
    single = SingleQuestionFactory.build(options=["yes", "no"], option_weights=[1.0, 3.0])
    result = SINGLE.vote(single, [("yes", 1.0), ("yes", 1.0), ("no", 1.0)], threshold=50, break_ties=False)
    assert (result.winner, result.accepted) == ("no", True)  # 3 > 2 with the stored option weights
    entered = SINGLE.vote(
        single, [("yes", 1.0), ("no", 1.0)], threshold=50, break_ties=False, option_weights={"no": 0.5}
    )
    assert entered.winner == "yes"
    description = DescriptionQuestionFactory.build()
    votes = [("A dog.", 1.0), ("A dog.", 1.0), ("A cat.", 1.0)]
    assert DESCRIPTION.vote(description, votes, threshold=60, break_ties=False).winner == "A dog."
    fixed = DESCRIPTION.vote(description, votes, threshold=100, break_ties=False, fixed=["A bird."])
    assert (fixed.winner, fixed.accepted) == ("A bird.", True)


def test_single_is_graded_against_the_ground_truth_and_description_by_review():
    assert SINGLE.grade("yes", "yes", None) is True
    assert SINGLE.grade("yes", None, "approved") is None
    assert DESCRIPTION.grade("A dog.", "A cat.", "approved") is True
    assert DESCRIPTION.grade("A dog.", "A dog.", None) is None
    rows = [("yes", "yes", None), ("no", "yes", None), ("yes", None, None)]
    assert (SINGLE.tally(rows).correct, SINGLE.tally(rows).total) == (1, 3)
    reviewed = [("a", None, "approved"), ("b", None, "rejected"), ("c", None, None)]
    assert (DESCRIPTION.tally(reviewed).correct, DESCRIPTION.tally(reviewed).total) == (1, 2)


def test_only_single_questions_are_measured_for_agreement():
    assert SINGLE.measures_agreement and not DESCRIPTION.measures_agreement
    assert SINGLE.agreement([["yes", "yes"], ["no", "no"]]).percent_agreement == 100
    assert DESCRIPTION.agreement([["a", "a"]]) is None


def test_each_type_writes_the_definition_sync_reads_and_shows_values():
    single = SingleQuestionFactory.build(text="Q?", display_text="Q?", default_option="no")
    assert SINGLE.definition(single) == {
        "qtype": "single",
        "text": "Q?",
        "display_text": "Q?",
        "options": ["yes", "no"],
        "display_values": ["Yes", "No"],
        "option_weights": [1.0, 1.0],
        "default_option": "no",
    }
    description = DescriptionQuestionFactory.build(text="D.", display_text="D.")
    assert DESCRIPTION.definition(description) == {
        "qtype": "description",
        "text": "D.",
        "display_text": "D.",
        "default_option": None,
    }
    assert SINGLE.shown_value("no", {"no": "No"}) == "No" and DESCRIPTION.shown_value("no", {"no": "No"}) == "no"


DEFAULTED_REVIEW_METHODS = (
    "share_rows",
    "choices_in",
    "review_prefill",
    "wanted_ok",
    "meets",
    "wanted_text",
    "criterion_values",
)


@pytest.mark.parametrize("kind", question_types.all(), ids=question_types.names())
def test_every_type_implements_the_whole_interface(kind):
    """A new type (docs/question_types.md) fails here until it fills in every method the callers use."""
    base = question_types.QuestionType
    missing = [
        name
        for name, member in vars(base).items()
        if callable(member) and not name.startswith("_") and getattr(type(kind), name) is member
        # accepts has a default; agreement and option_scores default to "not measured"; string types store
        # values as they are, choose one value per answer, vote once per ticked default and take one option as
        # the default, typed in the admin's text box; a value is one choice on the reviewer's form and in GT
        # filters and criteria unless a type says otherwise
        if name
        not in (
            *("accepts", "agreement", "option_scores", "to_stored", "to_external"),
            *("refusal", "chosen_values", "default_votes", "default_from_form", "default_field"),
            *DEFAULTED_REVIEW_METHODS,
        )
    ]
    assert missing == []
    assert kind.name and kind.label and kind.noun and "qtype" in kind.required_keys
    assert kind.measures_agreement == (kind.agreement([["x", "x"]]) is not None) == bool(kind.agreement_distance)
    assert kind.scores_options == (kind.option_scores(Question(options=["x"]), []) is not None)


@pytest.mark.parametrize("kind", question_types.all(), ids=question_types.names())
def test_every_type_has_its_input_partial_and_macros(kind):
    from django.template import engines
    from django.template.loader import get_template

    get_template(kind.template, using="django")
    module = engines["jinja2"].env.get_template(kind.macros).module
    assert all(callable(getattr(module, name, None)) for name in ("answer_input", "gt_input", "feedback"))
