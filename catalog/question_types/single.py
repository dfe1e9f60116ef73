"""Single-choice questions: one option out of a list, voted with option weights, graded against the GT."""

from __future__ import annotations

from django import forms

from annotation.scoring import accuracy, agreement, voting
from catalog.question_types.choice import ChoiceType


class Single(ChoiceType):
    name = "single"
    label = "Single"
    noun = "single-choice"
    required_keys = ("qtype", "text", "display_text", "options", "display_values")
    optional_keys = ("option_weights", "default_option")
    measures_agreement = True
    agreement_distance = "nominal: same option or not"
    default_help = "One of the options."
    default_suggests = "option"

    def allowed_values(self, question):
        return frozenset(question.options or ())

    def form_field(self, label, options, *, max_length):
        return forms.ChoiceField(
            label=label,
            choices=options,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose an answer.", "invalid_choice": "%(value)s is not one of the options."},
        )

    def first_value(self, question):
        return question.options[0] if question.options else ""

    def shown_value(self, value, labels) -> str:
        return labels.get(value, value)

    def vote(self, question, votes, *, threshold, break_ties, option_weights=None, fixed=()):
        weights = voting.resolve_option_weights(question.options, question.option_weights, option_weights)
        return voting.vote(
            votes, option_weights=weights, threshold=threshold, option_order=question.options, break_ties=break_ties
        )

    def grade(self, answer, truth, review_status):
        return accuracy.grade_single(answer, truth)

    def tally(self, answers):
        return accuracy.tally_single((value, truth) for value, truth, _ in answers)

    def agreement(self, units):
        return agreement.agreement(units)
