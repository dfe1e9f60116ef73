"""The interface every question type implements: one subclass per type, one module per subclass.

A type owns every rule that differs between kinds of question: which keys its definition holds, which
answer values it accepts, how answers are voted into ground truth, graded and compared for agreement,
how a value is shown in exports, and which template partial renders its input. Callers resolve the type
once per question (`question_types.get(question.qtype)`, or `question.kind`) and then call plain methods,
so a loop over many answers never looks the type up again.

Answer values are stored as text. A string type stores its JSON string as it is; a list type (multiple
choice) stores one canonical text per set. Values cross the boundary once, through `to_stored` (workspace,
API, forms in) and `to_external` (exports, API out); every other method takes the stored text.
The pure arithmetic (weighted votes, tallies, Krippendorff's alpha) stays in `annotation.scoring`, which
imports nothing but the standard library; the types decide which of it applies to their answers.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.db.models import Q

if TYPE_CHECKING:
    from annotation.scoring.accuracy import Tally
    from annotation.scoring.agreement import Agreement
    from annotation.scoring.per_option import OptionScore
    from annotation.scoring.voting import VoteResult
    from catalog.models import Question

Value = Any  # an answer value: the stored text inside, a JSON value (a list for multiple choice) outside


class QuestionType:
    """One kind of question. Subclasses set the class attributes and implement the methods."""

    name: ClassVar[str]  # the stored `qtype` and the workspace's "qtype" value
    label: ClassVar[str]  # the model field's choice label
    noun: ClassVar[str]  # in messages: "a single-choice question"
    # Definition keys a workspace question object of this type must hold, and may hold (SYNC-QG-2).
    required_keys: ClassVar[tuple[str, ...]]
    optional_keys: ClassVar[tuple[str, ...]]
    # True when the type holds options with display values and weights (the parallel lists, DM-Q-2).
    has_options: ClassVar[bool] = False
    # True when an answer is judged by a reviewer (approved/rejected) instead of against the ground truth.
    is_reviewed: ClassVar[bool] = False
    # True when the agreement page measures this type's answers (SCORE-AGR-1), and how it weighs a
    # disagreement there, in plain words ("" when not measured).
    measures_agreement: ClassVar[bool] = False
    agreement_distance: ClassVar[str] = ""
    # True when analytics shows per-option precision and recall (answers are sets of options, issue 15).
    scores_options: ClassVar[bool] = False
    # The workspace key of the default answer ("default_option"; a list type names "default_options").
    default_key: ClassVar[str] = "default_option"
    # True when a value outside (workspace JSON, API) is the stored text itself, so `to_stored` only checks
    # it is a string; False when `to_stored` converts it (multiple choice: a JSON list). Sync's fast path
    # tests string values against `allowed_values` directly, and converts the others through `to_stored`.
    value_is_text: ClassVar[bool] = True
    # True when stored values list options in option order (a set type): options may be appended, but the
    # stored ones never move, or stored answers would stop being canonical (the admin's option rows).
    fixed_option_order: ClassVar[bool] = False
    # The admin's typed default (PORTAL-ADM-7): how to type it, in plain words, and what the text box suggests
    # as the option rows are typed: "option" (each option value), "list" (a JSON list: [] and each option
    # alone), "" (nothing). A type may choose the default of a stored question otherwise: `default_field`.
    default_help: ClassVar[str] = "Any text."
    default_suggests: ClassVar[str] = ""

    @property
    def template(self) -> str:
        """The Django partial that renders this type's inputs on the portal settings pages."""
        return f"annotation/question_types/{self.name}.html"

    @property
    def macros(self) -> str:
        """The Jinja module whose macros render this type's answer inputs and feedback on the video cards."""
        return f"annotation/question_types/{self.name}.jinja"

    def __repr__(self) -> str:
        return f"<question type {self.name}>"

    # ---------------------------------------------------------------- definition

    def stored_shape(self) -> Q:
        """The database condition a question row of this type satisfies (a check constraint)."""
        raise NotImplementedError

    def read_definition(self, reader) -> tuple[list[str] | None, list[str] | None, list[float] | None]:
        """(options, display_values, option_weights) of a workspace question object, read through sync's
        checker (`reader.labels(name, length)`, `reader.weights(length)`), which records the problems."""
        raise NotImplementedError

    def definition(self, question: Question) -> dict:
        """The question object of the workspace export (export writes back exactly what sync reads)."""
        raise NotImplementedError

    # ---------------------------------------------------------------- answer values

    def allowed_values(self, question: Question) -> Container[Value] | None:
        """The values an answer may take, as a container built once per question for the hot paths (sync's
        fast path tests `value in allowed` over hundreds of thousands of answers); None when any text of
        the allowed length goes. A list-valued type returns an object whose __contains__ checks a list."""
        raise NotImplementedError

    def to_stored(self, question: Question, value: Value) -> str:
        """An answer value as the workspace, the API or a form gives it, in its stored text form.
        ValueError with a plain reason ("is not an option ...") when the type cannot take it; the caller
        names the file, entry and field. String types store the string as it is (`accepts` checks it)."""
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value

    def to_external(self, question: Question, stored: str) -> Value:
        """A stored answer value as the workspace, the API and exports give it (the inverse of to_stored)."""
        return stored

    def accepts(self, question: Question, value: Value) -> bool:
        """Whether `value` may be stored as an answer or ground truth of `question`."""
        allowed = self.allowed_values(question)
        return allowed is None or value in allowed

    def default_from_form(self, text: str | None, options: Sequence[str], typed: str | None) -> str | None:
        """The default answer as the admin's text box gives it (PORTAL-ADM-7), in its stored form; None for no
        default. ValueError with the problem worded as sync words it (DM-Q-3)."""
        from catalog.set_rules import default_option_problem  # set_rules imports the models, which import us

        if problem := default_option_problem(text, typed, options):
            raise ValueError(problem)
        return typed

    def default_field(self, options: Sequence[tuple[str, str]]) -> forms.Field | None:
        """The admin's default field on a stored question's change page when the type chooses the default
        otherwise than typed (a set type: a checkbox per stored (option, label)); it cleans to the stored form,
        None for no default. None keeps the text box, read by `default_from_form`."""
        return None

    def refusal(self, question: Question, stored: str) -> str:
        """Why `accepts` refused a stored value, naming the question (the write functions' message)."""
        return f'"{stored}" is not an option of "{question.text}"'

    def chosen_values(self, stored: str | None) -> frozenset[str]:
        """The option values a stored answer chooses (training feedback marks each option by it); empty for
        no answer. One value for a single choice; a set type returns each option of the set."""
        return frozenset() if stored is None else frozenset([stored])

    def default_votes(self, question: Question, ticked: Sequence[str]) -> list[tuple[Value, float]]:
        """The annotator's ticked default boxes (PORTAL-ANN-4) as votes of weight 1 for `vote`: each ticked
        option is one virtual response; values that are not options are dropped. ValueError with a plain
        reason when the boxes contradict each other."""
        options = set(question.options or ())
        return [(value, 1.0) for value in ticked if value in options]

    def form_field(self, label: str, options: Sequence[tuple[str, str]], *, max_length: int) -> forms.Field:
        """The portal form field of one answer (validation only; the macros write the inputs out)."""
        raise NotImplementedError

    def first_value(self, question: Question) -> Value:
        """What a new answer form starts with when there is no own answer and no default (PORTAL-PRJ-9)."""
        raise NotImplementedError

    def shown_value(self, value: Value, labels: Mapping[str, str]) -> str:
        """The value as people read it (GT export's answer_display_values): labels maps option -> label."""
        raise NotImplementedError

    # ---------------------------------------------------------------- voting, grading, agreement

    def vote(
        self,
        question: Question,
        votes: Iterable[tuple[Value, float]],
        *,
        threshold: float,
        break_ties: bool,
        option_weights: Mapping[str, float] | None = None,
        fixed: Sequence[Value | None] = (),
    ) -> VoteResult:
        """The weighted consensus of (value, user weight) votes (SCORE-VOTE). option_weights: the weights
        entered on the auto-submit page, if the type has options; fixed: a configured virtual response."""
        raise NotImplementedError

    def grade(self, answer: Value, truth: Value | None, review_status: str | None) -> bool | None:
        """Whether one answer is correct; None when it is not graded (SCORE-SORT-2)."""
        raise NotImplementedError

    def tally(self, answers: Iterable[tuple[Value, Value | None, str | None]]) -> Tally:
        """correct of total over one user's (answer, current GT, review status) for a question (SCORE-ACC-2)."""
        raise NotImplementedError

    def agreement(self, units: Iterable[Sequence[Value]]) -> Agreement | None:
        """Agreement over per-video answers (SCORE-AGR-2/3); None when the type is not measured."""
        return None

    def option_scores(self, question: Question, pairs: Iterable[tuple[Value, Value]]) -> tuple[OptionScore, ...] | None:
        """Per-option precision and recall over (answer, GT) pairs of stored values; None when the type does
        not score options (`scores_options`)."""
        return None

    # ---------------------------------------------------------------- the reviewer's GT form, GT filters, criteria

    def share_rows(self, options: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The (choice, label) rows of a reviewer's GT form that show vote shares (PORTAL-REV-3): the options
        as the card shows them; a set type adds its "none of these" row."""
        return list(options)

    def choices_in(self, value: Value) -> Collection[str]:
        """The share rows (`share_rows` choices) one stored answer or GT value marks."""
        return (value,)

    def review_prefill(self, question: Question, voted: Sequence[Value]) -> Value | None:
        """What a reviewer's GT form of a question with options starts with when there is no GT, given the
        selected annotators' stored answers (PORTAL-PRJ-9, narrowed by issue 11.8): the default option, but
        only when one of them chose it, so a reviewer never submits a value nobody chose without picking it."""
        default = question.default_option
        return default if default is not None and default in voted else None

    def wanted_ok(self, question: Question, wanted: str) -> bool:
        """Whether `wanted` is something the review filter or a search criterion may ask a GT value for."""
        return self.accepts(question, wanted)

    def meets(self, wanted: str, truth: Value | None) -> bool:
        """Whether a GT value (None: no GT) meets a review filter or search criterion (PORTAL-REV-9,
        PORTAL-SRCH-7): the same value."""
        return truth is not None and truth == wanted

    def wanted_text(self, wanted: str, labels: Mapping[str, str]) -> str:
        """A filter or criterion as people read it, after the question: `= “Yes”`."""
        return f"= “{self.shown_value(wanted, labels)}”"

    def criterion_values(self, question: Question, params) -> list[str]:
        """The criteria the search portal's add-criterion form asks for (its "criterion" inputs, a QueryDict):
        the one required answer `add_a`, or none when it is missing."""
        answer = params.get("add_a")
        return [] if answer is None else [answer]
