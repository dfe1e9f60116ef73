"""What every type with options shares: the parallel lists (options, labels, weights) in the workspace and the
database. Single and multiple choice differ in their answers, not in how their definition is read or written."""

from __future__ import annotations

from django.db.models import Q

from catalog.question_types.base import QuestionType


class ChoiceType(QuestionType):
    """A type whose questions hold options with display values and weights (DM-Q-2)."""

    has_options = True

    def stored_shape(self) -> Q:
        return Q(qtype=self.name, options__isnull=False)

    def read_definition(self, reader):
        options = reader.labels("options", None)
        length = len(options) if isinstance(options, list) else None
        return options, reader.labels("display_values", length), reader.weights(length)

    def definition(self, question) -> dict:
        default = question.default_option
        return {
            "qtype": self.name,
            "text": question.text,
            "display_text": question.display_text,
            "options": question.options,
            "display_values": question.display_values,
            "option_weights": question.option_weights,
            self.default_key: None if default is None else self.to_external(question, default),
        }
