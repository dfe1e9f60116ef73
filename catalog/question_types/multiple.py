"""Multiple-choice questions: any subset of the options ("which of these are present?").

The answer is a set of options. Outside the database (workspace JSON, the API, exports) it is a JSON list of
option values; inside (`Answer.value`, `GroundTruth.value`, history, `Question.default_option`) it is stored
in one canonical text form: the JSON list in option order, compact, so that equal sets are equal strings.
An empty list means "none of these", which is an answer; no row means unanswered.

    stored = kind.to_stored(question, ["zoom", "pan"])   # '["pan","zoom"]' when options are pan, tilt, zoom
    kind.to_external(question, stored)                   # ['pan', 'zoom']
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django import forms

from annotation.scoring import accuracy, per_option, sets
from annotation.scoring.voting import Failure, VoteResult, resolve_option_weights
from catalog.question_types.choice import ChoiceType

NONE_OF_THESE = ""  # the form's "None of these" checkbox; options are non-empty, so it never names one
# A review filter or search criterion "contains option X" is the text `has:X`; "exactly these options" is the
# stored text of the set (it starts with "["), so the two never collide whatever the option values hold.
CONTAINS = "has:"


def encode(values: Sequence[str]) -> str:
    """The stored text of option values already in option order."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def decode(stored: str) -> list[str]:
    """The option values of a stored answer; [] for text that is not a stored list (never raised on)."""
    try:
        values = json.loads(stored)
    except (TypeError, ValueError):
        return []
    return values if isinstance(values, list) and all(isinstance(v, str) for v in values) else []


def canonical(options: Sequence[str], values) -> str:
    """The stored form of `values` (a list of distinct options, any order); ValueError with a plain reason."""
    if not isinstance(values, list):
        raise ValueError("must be a list of options")
    index = {o: i for i, o in enumerate(options)}
    seen = set()
    for value in values:
        if not isinstance(value, str) or value not in index:
            shown = json.dumps(value, ensure_ascii=False)
            raise ValueError(f"{shown} is not an option ({', '.join(options)})")
        if value in seen:
            raise ValueError(f'"{value}" is listed twice')
        seen.add(value)
    return encode(sorted(values, key=index.__getitem__))


NONE_WITH_OPTION = '"None of these" cannot be ticked together with an option.'


def from_ticked(options: Sequence[str], ticked: Sequence[str]) -> str | None:
    """The stored set of ticked boxes (option values and NONE_OF_THESE), as the portal form, the default-answer
    boxes and the search criterion take it; None when nothing is ticked. ValueError (canonical's reasons, or
    NONE_WITH_OPTION) when the boxes cannot be one answer."""
    chosen = [v for v in ticked if v != NONE_OF_THESE]
    if chosen and NONE_OF_THESE in ticked:
        raise ValueError(NONE_WITH_OPTION)
    return canonical(options, chosen) if chosen or NONE_OF_THESE in ticked else None


def ticked_values(stored: str) -> list[str]:
    """The boxes a stored set ticks: its options, or "None of these" for []."""
    return decode(stored) or ([NONE_OF_THESE] if stored == "[]" else [])


class StoredSets:
    """The allowed stored values of one question: canonical lists of its options (built once per question)."""

    __slots__ = ("options",)

    def __init__(self, options: Sequence[str]):
        self.options = tuple(options)

    def __contains__(self, stored) -> bool:
        if not isinstance(stored, str) or not stored.startswith("["):
            return False
        try:
            return canonical(self.options, json.loads(stored)) == stored
        except ValueError:
            return False


class OptionsField(forms.MultipleChoiceField):
    """Checkboxes for the options plus "None of these"; cleans to the stored form. Ticking nothing is
    unanswered (refused), and "None of these" cannot be ticked together with an option."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, options: Sequence[tuple[str, str]], **kwargs):
        self.option_values = [value for value, _ in options]
        super().__init__(choices=[*options, (NONE_OF_THESE, "None of these")], **kwargs)

    def clean(self, value):
        try:
            return from_ticked(self.option_values, super().clean(value))
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None

    def prepare_value(self, value):
        """The stored form back into the ticked checkboxes; [] shows as "None of these"."""
        return ticked_values(value) if isinstance(value, str) else value


class DefaultOptionsField(OptionsField):
    """The admin's default options of a stored question (PORTAL-ADM-7): a checkbox per stored option and
    "None of these" (stored []); nothing ticked is no default (None)."""

    def __init__(self, *, options: Sequence[tuple[str, str]], **kwargs):
        super().__init__(options=options, required=False, **kwargs)
        self.widget.attrs["class"] = "lp-multiple-choice"  # static/js/forms.js: "None of these" or options

    def clean(self, value):
        return super().clean(value) if value else None

    def prepare_value(self, value):
        return [] if value is None else super().prepare_value(value)  # no default: nothing ticked

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except forms.ValidationError:
            return True


class Multiple(ChoiceType):
    name = "multiple"
    label = "Multiple"
    noun = "multiple-choice"
    required_keys = ("qtype", "text", "display_text", "options", "display_values")
    optional_keys = ("option_weights", "default_options")
    default_key = "default_options"
    value_is_text = False
    measures_agreement = True
    agreement_distance = "set distance: MASI"
    scores_options = True
    fixed_option_order = True  # the canonical form lists options in option order
    default_help = 'A JSON list of options, e.g. ["pan", "zoom"]; [] means "None of these".'
    default_suggests = "list"

    # ---------------------------------------------------------------- values

    def to_stored(self, question, value) -> str:
        return canonical(question.options or (), value)

    def to_external(self, question, stored):
        return decode(stored)

    def allowed_values(self, question):
        return StoredSets(question.options or ())

    def default_from_form(self, text, options, typed):
        """The add page's text box: a JSON list (the workspace's form); the change page's checkboxes give the
        stored form already, read again against the options. Stored canonical."""
        if typed is None:
            return None
        try:
            values = json.loads(typed)
        except ValueError:
            raise ValueError(
                'default options must be a JSON list of options, e.g. ["pan", "zoom"]; [] means none of these'
            ) from None
        return canonical(options, values)

    def default_field(self, options):
        """Checkboxes of the stored options; rows appended in the same save are not among them yet."""
        return DefaultOptionsField(
            options=options,
            help_text='Tick the options a new answer starts with, or "None of these" (an answer: no option '
            "applies). Nothing ticked: no default. Options appended here can be ticked once saved.",
            error_messages={
                "invalid_choice": '"%(value)s" is not a stored option; options appended here can be ticked once saved.'
            },
        )

    def refusal(self, question, stored) -> str:
        reason = "must be a list of options"
        try:
            values = json.loads(stored)
        except (TypeError, ValueError):
            values = None
        if isinstance(values, list):
            try:
                canonical(question.options or (), values)
            except ValueError as e:
                reason = str(e)
            else:
                reason = "the options must be listed in option order"
        return f'the answer to "{question.text}": {reason}'

    def chosen_values(self, stored):
        return frozenset() if stored is None else frozenset(decode(stored))

    def default_votes(self, question, ticked):
        """All ticked boxes are one virtual response: the set itself ("None of these" alone: [])."""
        options = question.options or ()
        boxes = [v for v in dict.fromkeys(ticked) if v in options or v == NONE_OF_THESE]  # others dropped
        stored = from_ticked(options, boxes)
        return [] if stored is None else [(stored, 1.0)]

    def form_field(self, label, options, *, max_length):
        return OptionsField(
            label=label,
            options=options,
            error_messages={
                "required": 'Tick the options that apply, or "None of these".',
                "invalid_choice": "%(value)s is not one of the options.",
            },
        )

    def first_value(self, question):
        return None  # nothing ticked: neither an option nor "None of these" is assumed

    def shown_value(self, value, labels) -> str:
        chosen = decode(value)
        return "; ".join(labels.get(v, v) for v in chosen) if chosen else "None of these"

    # ---------------------------------------------------------------- the reviewer's GT form, GT filters, criteria

    def share_rows(self, options):
        return [*options, (NONE_OF_THESE, "None of these")]

    def choices_in(self, value):
        return frozenset(ticked_values(value))  # decode reads None as no set

    def review_prefill(self, question, voted):
        """The options at least half of the selected annotators ticked (each counting once, option weights
        left out), "None of these" when that is nothing; nothing when no one answered."""
        ballots = [(frozenset(decode(v)), 1.0) for v in voted]
        if not ballots:
            return None
        return encode(sets.vote_sets(ballots, question.options or [], threshold=50).chosen)

    def wanted_ok(self, question, wanted):
        if wanted.startswith(CONTAINS):
            return wanted.removeprefix(CONTAINS) in (question.options or ())
        return self.accepts(question, wanted)

    def meets(self, wanted, truth):
        if truth is None or not wanted.startswith(CONTAINS):
            return truth is not None and truth == wanted  # "exactly these": equal sets are equal strings
        return wanted.removeprefix(CONTAINS) in decode(truth)

    def wanted_text(self, wanted, labels):
        if wanted.startswith(CONTAINS):
            option = wanted.removeprefix(CONTAINS)
            return f"contains “{labels.get(option, option)}”"
        if wanted == "[]" or decode(wanted):
            return f"is exactly “{self.shown_value(wanted, labels)}”"
        return f"= “{wanted}”"  # a hand-made URL: shown as it is, and it matches nothing

    def criterion_values(self, question, params):
        """ "contains" (`add_mode`): one criterion per ticked option, so ALL asks for every one of them and ANY
        for one; "exactly": one criterion, the ticked set ("None of these" alone is the empty set)."""
        options = question.options or []
        ticked = params.getlist("add_a")
        if params.get("add_mode") == "contains":
            return [CONTAINS + v if v != NONE_OF_THESE else "[]" for v in ticked if v in options or v == NONE_OF_THESE]
        try:
            stored = from_ticked(options, ticked)
        except ValueError:
            return []
        return [] if stored is None else [stored]

    # ---------------------------------------------------------------- voting, grading, agreement

    def vote(self, question, votes, *, threshold, break_ties, option_weights=None, fixed=()):
        options = question.options or []
        weights = resolve_option_weights(options, question.option_weights, option_weights)
        ballots = [(frozenset(decode(value)), weight) for value, weight in votes]
        result = sets.vote_sets(ballots, options, threshold=threshold, option_weights=weights)
        shares = {s.option: s.share * result.total / 100 for s in result.shares}

        tied = False

        def outcome(winner=None, share=None, failure=None, reason=None) -> VoteResult:
            return VoteResult(winner, share, failure is None, reason, failure, tied, shares, result.total, threshold)

        if not result.voters:
            return outcome(failure=Failure.NO_VOTES, reason="no votes")
        if result.total <= 0:
            return outcome(failure=Failure.ZERO_WEIGHT, reason="all votes have weight 0")
        winner = encode(result.chosen)
        if break_ties:
            # Preload (SCORE-AUTO-6) suggests the winner ignoring the threshold: each option by weighted
            # majority, in at 50% or more (an option at exactly 50% marks the suggestion as tied). At the
            # panel's threshold (100% by default) an option most voters ticked would be left out, and an
            # empty winner would tick "None of these".
            majority = sets.vote_sets(ballots, options, threshold=50, option_weights=weights)
            winner = encode(majority.chosen)
            tied = any(abs(s.share - 50) < 1e-9 for s in majority.shares)
        decided = min((max(s.share, 100 - s.share) for s in result.shares), default=100.0)
        if result.undecided:
            reason = sets.undecided_reason(result.undecided, threshold, question.labels())
            return outcome(winner, decided, Failure.THRESHOLD, reason)
        return outcome(winner, decided)

    def grade(self, answer, truth, review_status):
        return accuracy.grade_single(answer, truth)  # exact-set match: canonical forms are equal strings

    def tally(self, answers):
        return accuracy.tally_single((value, truth) for value, truth, _ in answers)

    def agreement(self, units):
        return sets.masi_agreement([frozenset(decode(v)) for v in unit] for unit in units)

    def option_scores(self, question, pairs):
        decoded = ((decode(answer), decode(truth)) for answer, truth in pairs)
        return per_option.option_scores(decoded, question.options or ())
