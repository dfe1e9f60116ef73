"""The form of one question group on one video card, built from the group's questions (validation only)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from annotation.models import MAX_ANSWER_LENGTH
from catalog.models import CustomDisplay, Question
from catalog.question_types import QuestionType


@dataclass(frozen=True)
class QuestionDisplay:
    """A question as one card shows it: custom display applied (DM-CD-5), raw option values kept."""

    question: Question
    text: str
    options: tuple[tuple[str, str], ...]  # (value, label), in option order
    kind: QuestionType  # the question's type, resolved once per card

    @property
    def field_name(self) -> str:
        return f"q{self.question.pk}"


def display_for(question: Question, custom=None, *, use_custom: bool) -> QuestionDisplay:
    """DM-CD-5: custom text and labels apply only when the schema enables custom display."""
    text = question.display_text
    labels = question.labels()
    if use_custom and custom is not None:
        if custom.custom_display_text is not None:
            text = custom.custom_display_text
        if custom.custom_option_display_map:
            labels = {**labels, **custom.custom_option_display_map}
    options = tuple((value, labels.get(value, value)) for value in question.options or ())
    return QuestionDisplay(question=question, text=text, options=options, kind=question.kind)


def form_prefix(video_id: int, group_id: int) -> str:
    """The field-name prefix of one group's form on one video card; pages hold many of them."""
    return f"v{video_id}g{group_id}"


def posted_group_form(project, video, group_layout, data) -> QuestionGroupForm:
    """A submitted group form, displayed as its card shows it (custom display applied; one query then)."""
    use_custom = project.schema.has_custom_display
    customs = (
        {c.question_id: c for c in CustomDisplay.objects.filter(project=project, video=video)} if use_custom else {}
    )
    displays = [display_for(q, customs.get(q.pk), use_custom=use_custom) for q in group_layout.questions]
    return QuestionGroupForm(displays, data, prefix=form_prefix(video.pk, group_layout.group.pk))


def posted_reviews(data, prefix: str) -> dict[int, str]:
    """Review controls of a GT form, named `<prefix>-review-<answer id>` (PORTAL-REV-5)."""
    start = f"{prefix}-review-"
    return {int(k.removeprefix(start)): v for k, v in data.items() if k.startswith(start) and k[len(start) :].isdigit()}


def prefill(question: Question, own: str | None) -> str:
    """PORTAL-PRJ-9: the existing value, else default_option, else the type's first value (the first option
    of a single-choice question, empty text for a description)."""
    if own is not None:
        return own
    if question.default_option is not None:
        return question.default_option
    return question.kind.first_value(question)


class QuestionGroupForm(forms.Form):
    """One field per question, as its type builds it (radio buttons for single-choice, checkboxes plus "None of
    these" for multiple-choice, a text box for descriptions)."""

    def __init__(self, questions: list[QuestionDisplay], *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.displays = questions
        for d in questions:
            field = d.kind.form_field(d.text, d.options, max_length=MAX_ANSWER_LENGTH)
            field.disabled = read_only
            self.fields[d.field_name] = field

    def answers(self) -> dict[Question, str]:
        """The submitted raw values, keyed by question (PORTAL-PRJ-8)."""
        return {d.question: self.cleaned_data[d.field_name] for d in self.displays}

    def rows(self):
        """(display, bound field) pairs in question order, for the template."""
        return [(d, self[d.field_name]) for d in self.displays]
