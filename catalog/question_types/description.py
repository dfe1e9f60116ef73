"""Description questions: free text, voted as identical strings, judged by a reviewer's approval."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from annotation.scoring.accuracy import grade_description, tally_description
from annotation.scoring.voting import vote_description
from catalog.question_types.base import QuestionType


class Description(QuestionType):
    name = "description"
    label = "Description"
    noun = "description"
    required_keys = ("qtype", "text", "display_text")
    optional_keys = ("default_option",)
    is_reviewed = True

    def stored_shape(self) -> Q:
        return Q(qtype=self.name, options__isnull=True, display_values__isnull=True, option_weights__isnull=True)

    def read_definition(self, reader):
        return None, None, None

    def definition(self, question) -> dict:
        return {
            "qtype": self.name,
            "text": question.text,
            "display_text": question.display_text,
            "default_option": question.default_option,
        }

    def allowed_values(self, question):
        return None

    def form_field(self, label, options, *, max_length):
        # The browser stops typing at the limit; annotation.submission.check_values enforces it on the server.
        attrs = {"rows": 3, "maxlength": max_length}
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=attrs))

    def first_value(self, question):
        return ""

    def shown_value(self, value, labels) -> str:
        return value

    def vote(self, question, votes, *, threshold, break_ties, option_weights=None, fixed=()):
        return vote_description(votes, fixed=fixed, threshold=threshold, break_ties=break_ties)

    def grade(self, answer, truth, review_status):
        return grade_description(review_status)

    def tally(self, answers):
        return tally_description(status for _, _, status in answers)
