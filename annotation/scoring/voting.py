"""Weighted majority voting (SCORE-VOTE) and the auto-submit decisions built on it (SCORE-AUTO)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from annotation.scoring.formatting import format_percent
from annotation.scoring.numbers import EPSILON, mean_defined

K = TypeVar("K", bound=Hashable)


class Failure(StrEnum):
    """Why a vote failed. Preview (SCORE-AUTO-5) counts ZERO_WEIGHT under "no votes"."""

    NO_VOTES = "no_votes"
    ZERO_WEIGHT = "zero_weight"
    TIE = "tie"
    THRESHOLD = "threshold"


@dataclass(frozen=True)
class VoteResult:
    """The outcome of one (video, question) vote.

    - winner: the value with the largest W, even when the threshold is missed (preview shows it); None when
      there are no votes, all weights are 0, or on an unbroken tie.
    - share: W(top)/total × 100, unrounded; defined whenever total > 0 (on a tie, the share of the tied top).
    - accepted: the question passes (SCORE-VOTE-2/4). reason/failure say why not ("no votes", …).
    - tied: two or more values share the largest W (also set when break_ties picked one).
    - weights: W(o) for every value voted, highest first, ties in tie-break order.
    """

    winner: str | None
    share: float | None
    accepted: bool
    reason: str | None
    failure: Failure | None
    tied: bool
    weights: dict[str, float]
    total: float
    threshold: float

    def share_of(self, value: str) -> float | None:
        """W(value)/total × 100, for the preview table; None when total is 0."""
        if self.total <= 0:
            return None
        return self.weights.get(value, 0.0) / self.total * 100


def _order_key(option_order: Sequence[str] | None) -> Callable[[str], tuple]:
    """Options first in option order, then any other value (description text) in code-point order."""
    index = {o: i for i, o in enumerate(option_order or ())}
    return lambda value: (0, index[value], "") if value in index else (1, 0, value)


def _shown(value: str) -> str:
    return '""' if value == "" else value


def _join(values: Sequence[str]) -> str:
    shown = [_shown(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def threshold_reason(share: float, threshold: float) -> str:
    """`Achieved 66.7% | Required 80%` (SCORE-AUTO-1), both per DM-DER-11."""
    return f"Achieved {format_percent(share)} | Required {format_percent(threshold)}"


def vote(
    votes: Iterable[tuple[str, float]],
    *,
    option_weights: Mapping[str, float] | None = None,
    threshold: float = 100.0,
    break_ties: bool = False,
    option_order: Sequence[str] | None = None,
) -> VoteResult:
    """Weighted majority vote for one video and question (SCORE-VOTE-1..4).

    votes: (value, weight) pairs, users' answers and virtual responses together; weights ≥ 0.
    option_weights: ow(o); values missing from it (and every description value) weigh 1.0.
    threshold: t_q in [0, 100]. break_ties: Preload only (SCORE-AUTO-6): a tie picks the first tied value in
    option_order, then code-point order, and is marked tied instead of failing.
    Raises ValueError for a negative weight or a threshold outside [0, 100].
    """
    if not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be between 0 and 100, not {threshold}")
    option_weights = option_weights or {}
    weights: dict[str, float] = {}
    count = 0
    for value, weight in votes:
        ow = option_weights.get(value, 1.0)
        if weight < 0 or ow < 0:
            raise ValueError(f"weights must be ≥ 0 (value {value!r}: user weight {weight}, option weight {ow})")
        weights[value] = weights.get(value, 0.0) + weight * ow
        count += 1
    key = _order_key(option_order)
    ordered = dict(sorted(weights.items(), key=lambda item: (-item[1], key(item[0]))))
    total = sum(ordered.values())

    def result(winner=None, share=None, failure=None, reason=None, tied=False) -> VoteResult:
        return VoteResult(winner, share, failure is None, reason, failure, tied, ordered, total, threshold)

    if count == 0:
        return result(failure=Failure.NO_VOTES, reason="no votes")
    if total <= 0:
        return result(failure=Failure.ZERO_WEIGHT, reason="all votes have weight 0")
    top = max(ordered.values())
    leaders = sorted((v for v, w in ordered.items() if math.isclose(w, top, rel_tol=EPSILON)), key=key)
    share = top / total * 100
    tied = len(leaders) > 1
    if tied and not break_ties:
        return result(share=share, failure=Failure.TIE, reason=f"tie between {_join(leaders)}", tied=True)
    if share < threshold - EPSILON:
        return result(leaders[0], share, Failure.THRESHOLD, threshold_reason(share, threshold), tied)
    return result(leaders[0], share, tied=tied)


def vote_description(
    votes: Iterable[tuple[str, float]],
    *,
    fixed: Sequence[str | None] = (),
    threshold: float = 100.0,
    break_ties: bool = False,
) -> VoteResult:
    """Vote on a description question (SCORE-VOTE-5): identical strings ("" included) vote together, ow = 1.

    fixed: the configured fixed sources, resolved to text: an annotator's default text, or the named
    annotator's answer for "use X's answer" (None when X did not answer this video, which gives "no votes").
    With one fixed source its text is the only virtual response (share 100%) and `votes` is ignored. Two or
    more fixed sources are a configuration error: ValueError.
    """
    if len(fixed) > 1:
        raise ValueError("a description question can have at most one fixed source")
    if fixed:
        votes = [] if fixed[0] is None else [(fixed[0], 1.0)]
    return vote(votes, threshold=threshold, break_ties=break_ties)


def resolve_option_weights(
    options: Sequence[str],
    defaults: Sequence[float] | None,
    entered: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """ow(o) per option (SCORE-VOTE-3): the weight entered on the auto-submit page, else option_weights[i], else 1."""
    entered = entered or {}
    return {
        o: entered.get(o, defaults[i] if defaults is not None and i < len(defaults) else 1.0)
        for i, o in enumerate(options)
    }


def consensus_score(results: Iterable[VoteResult]) -> float | None:
    """Mean over the evaluated questions of W(winner)/total × 100 (SCORE-VOTE-6); questions with total 0 (no
    share) are left out; None when none has a share."""
    return mean_defined(r.share for r in results)


# --- Auto-submit (SCORE-AUTO) -------------------------------------------------------------------------------


class GroupStatus(StrEnum):
    SKIPPED = "skipped"
    SUBMIT = "submit"
    FAILED = "failed"


@dataclass(frozen=True)
class GroupOutcome(Generic[K]):
    """What auto-submit would do for one (video, question group), before verification (SCORE-AUTO-1 steps 2–4).

    - status: SKIPPED ("already complete"), SUBMIT, or FAILED (all-or-nothing).
    - submission: when SUBMIT, every question of the group -> value (existing values plus winners), in group
      order; empty otherwise. The caller runs the group's verification function on it (step 5).
    - results: the VoteResult of each question that was voted (those without a value).
    - reasons: failed question -> reason ("no votes", "tie between X and Y", "Achieved 66.7% | Required 80%").
    - reason: "already complete" when skipped.
    """

    status: GroupStatus
    submission: dict[K, str]
    results: dict[K, VoteResult]
    reasons: dict[K, str]
    reason: str | None = None

    @property
    def failure(self) -> Failure | None:
        """The failure kind of the first failed question in group order, for the preview's split."""
        for result in self.results.values():
            if result.failure is not None:
                return result.failure
        return None


def evaluate_group(
    existing: Mapping[K, str | None],
    results: Mapping[K, VoteResult] | Callable[[K], VoteResult],
) -> GroupOutcome[K]:
    """Decide one group's auto-submit (SCORE-AUTO-1 steps 2–4).

    existing: every question of the group, in group order -> its existing value (the annotator's own answer,
    or the GT for a reviewer), None when it has none; "" is a value.
    results: the vote for each question without a value, as a mapping or a callable called only for those
    questions; build them with vote()/vote_description() and break_ties=False.
    """
    missing = [q for q, value in existing.items() if value is None]
    if not missing:
        return GroupOutcome(GroupStatus.SKIPPED, {}, {}, {}, "already complete")
    lookup = results.__getitem__ if isinstance(results, Mapping) else results
    voted = {q: lookup(q) for q in missing}
    reasons = {q: r.reason or "" for q, r in voted.items() if not r.accepted}
    if reasons:
        return GroupOutcome(GroupStatus.FAILED, {}, voted, reasons)
    submission = {q: value if value is not None else voted[q].winner for q, value in existing.items()}
    return GroupOutcome(GroupStatus.SUBMIT, submission, voted, {})


@dataclass(frozen=True)
class Preloaded:
    """A preloaded form value (SCORE-AUTO-6): from_vote is False for an existing value."""

    value: str | None
    from_vote: bool
    tied: bool


def preload(
    existing: Mapping[K, str | None],
    results: Mapping[K, VoteResult] | Callable[[K], VoteResult],
) -> dict[K, Preloaded]:
    """Per question: the existing value, else the winner ignoring thresholds (SCORE-AUTO-6).

    results as in evaluate_group, built with break_ties=True so a tie still gives a (marked) value.
    """
    lookup = results.__getitem__ if isinstance(results, Mapping) else results
    out: dict[K, Preloaded] = {}
    for q, value in existing.items():
        if value is not None:
            out[q] = Preloaded(value, from_vote=False, tied=False)
        else:
            r = lookup(q)
            out[q] = Preloaded(r.winner, from_vote=True, tied=r.tied)
    return out


def success_rate(submitted: int, failed: int) -> float | None:
    """would-submit ÷ (would-submit + failed) × 100 (SCORE-AUTO-5); None when both are 0."""
    return submitted * 100 / (submitted + failed) if submitted + failed else None
