"""Pure scoring: weighted voting, auto-submit decisions, sort scores, accuracy, leaderboards, agreement.

Everything here takes plain values and returns plain values (frozen dataclasses at most): no Django, no ORM,
no I/O. Callers (views, API, progress) load the rows and pass the values in; tests need no database.
Requirement IDs (SCORE-*, DM-DER-*) have one line each in docs/rules.md.

Floating-point tolerance: one constant, EPSILON = 1e-9, is used wherever the spec compares computed
percentages or weights (the threshold test of SCORE-VOTE-2, tie detection, band boundaries, percent
display), so that e.g. 0.1 + 0.2 vs 0.3 counts as a tie and 89.99999999999999 is "excellent" and shows "90%".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

EPSILON = 1e-9

K = TypeVar("K", bound=Hashable)


# --- Formatting (DM-DER-10, DM-DER-11) ----------------------------------------------------------------------


def bar_width(value) -> str:
    """A CSS width for a progress bar, clamped to 0–100: 66.66 -> "66.66%"."""
    try:
        return f"{max(0.0, min(100.0, float(value))):.2f}%"
    except (TypeError, ValueError):
        return "0%"


def bar_step(value) -> int:
    """A progress bar's width as a whole percent, clamped to 0–100, for the `bar-N` CSS classes: 66.66 -> 67.

    Pages set widths with classes rather than style attributes, which the Content-Security-Policy forbids.
    """
    try:
        return round(max(0.0, min(100.0, float(value))))
    except (TypeError, ValueError):
        return 0


def format_percent(value: float | None) -> str:
    """A percentage truncated (not rounded) to one decimal, "—" when undefined (DM-DER-11).

    A whole number is shown without a decimal ("50%", "100%"); anything else keeps its one truncated decimal,
    so 66.666… is "66.7%", 99.96 is "99.9%" and 90.04 is "90.0%": a whole-number display means the value is
    exactly that number (within EPSILON), which is how "100%" appears only for exactly 100.
    """
    if value is None:
        return "—"
    nearest = round(value)
    if abs(value - nearest) <= EPSILON:
        return f"{nearest}%"
    tenths = math.floor(abs(value) * 10 + EPSILON * 10)
    sign = "-" if value < 0 and tenths else ""
    return f"{sign}{tenths // 10}.{tenths % 10}%"


def format_difference(value: float | None) -> str:
    """A signed difference in percentage points, truncated toward zero to one decimal: "+3.3", "-0.5", "0.0".

    Used by Compare (SCORE-LB-3). Truncation, not rounding, to match DM-DER-11. "—" when undefined.
    """
    if value is None:
        return "—"
    tenths = math.floor(abs(value) * 10 + EPSILON * 10)
    if tenths == 0:
        return "0.0"
    return f"{'+' if value > 0 else '-'}{tenths // 10}.{tenths % 10}"


def format_alpha(alpha: float | None, *, all_identical: bool = False) -> str:
    """Krippendorff's alpha to 3 decimals, half up (SCORE-AGR-4); "— (all answers identical)" when D_e = 0."""
    if alpha is None:
        return "— (all answers identical)" if all_identical else "—"
    return str(Decimal(repr(alpha)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def initials(user_id: str) -> str:
    """Uppercase first letters of the first and last words; a one-word name gives its first two characters.

    DM-DER-10: "Maria Lopez" -> "ML", "Robot" -> "RO", "Model 1" -> "M1". Same rule as catalog's User.initials.
    """
    words = user_id.split()
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return (words[0] if words else user_id)[:2].upper()


def display_name(user_id: str) -> str:
    """`user_id (XY)` (DM-DER-10): "Maria Lopez" -> "Maria Lopez (ML)"."""
    return f"{user_id} ({initials(user_id)})"


def mean_defined(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None, or None when there are none."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


# --- Weighted majority voting (SCORE-VOTE) ------------------------------------------------------------------


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


# --- Video sort scores (SCORE-SORT) -------------------------------------------------------------------------


def completion_rate(done: Iterable[Hashable], selected: Collection[Hashable]) -> float | None:
    """|done ∩ Qsel| ÷ |Qsel| × 100 (SCORE-SORT-2/3). done: questions the user answered on v (annotator) or
    with GT on v (reviewer). None when no question is selected."""
    if not selected:
        return None
    chosen = set(selected)
    return len(chosen.intersection(done)) * 100 / len(chosen)


def grade_single(answer: str, gt: str | None) -> bool | None:
    """A single answer is graded when GT exists and correct when equal to it; None = not graded."""
    return None if gt is None else answer == gt


def grade_description(review_status: str | None) -> bool | None:
    """A description answer is graded when reviewed and correct when approved; None = not graded."""
    if review_status is None:
        return None
    if review_status not in ("approved", "rejected"):
        raise ValueError(f"unknown review status {review_status!r}")
    return review_status == "approved"


def accuracy_rate(grades: Iterable[bool | None]) -> float | None:
    """correct ÷ graded × 100, ignoring None (not graded); None when nothing is graded (SCORE-SORT-2/3/4).

    Annotator: grades of the user's answers on v over Qsel (grade_single / grade_description).
    Reviewer: grade_single(answer, gt) for the selected annotators' answers to the chosen single questions.
    """
    graded = [g for g in grades if g is not None]
    return sum(graded) * 100 / len(graded) if graded else None


def model_confidence(scores: Iterable[float | None]) -> float | None:
    """Mean confidence of the chosen models' answers to the chosen single questions on v, nulls ignored."""
    return mean_defined(scores)


def annotator_consensus(answers_by_question: Iterable[Sequence[str]]) -> float | None:
    """Reached ÷ eligible × 100 (SCORE-SORT-3).

    answers_by_question: for each chosen single question, the selected annotators' answers on v. A question
    is eligible with ≥ 2 answers and reaches consensus when its most common answer is ≥ 50% of them. None
    when no question is eligible (which is always the case with fewer than 2 selected annotators).
    """
    eligible = [answers for answers in answers_by_question if len(answers) >= 2]
    if not eligible:
        return None
    reached = sum(2 * Counter(answers).most_common(1)[0][1] >= len(answers) for answers in eligible)
    return reached * 100 / len(eligible)


def sort_videos(
    video_ids: Sequence[K],
    scores: Mapping[K, float | None],
    *,
    descending: bool,
) -> list[K]:
    """Videos by score (SCORE-SORT-4): undefined (None or missing) after all others in both directions;
    ties, and the undefined ones, keep the given default order."""
    defined = [v for v in video_ids if scores.get(v) is not None]
    undefined = [v for v in video_ids if scores.get(v) is None]
    # sorted() is stable, and stays stable with reverse=True.
    return sorted(defined, key=lambda v: scores[v], reverse=descending) + undefined


# --- Accuracy (SCORE-ACC) and personal reports (SCORE-RPT) --------------------------------------------------


def accuracy(correct: int, total: int) -> float | None:
    """correct/total × 100, None when total = 0 (SCORE-ACC-4)."""
    return correct * 100 / total if total else None


@dataclass(frozen=True)
class Tally:
    """correct of total for one user and question, or summed over questions."""

    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return accuracy(self.correct, self.total)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.correct + other.correct, self.total + other.total)


def tally_single(pairs: Iterable[tuple[str, str | None]]) -> Tally:
    """(answer, current GT) for each of u's answers to q on V(P) (SCORE-ACC-2); every answer counts in total."""
    pairs = list(pairs)
    return Tally(sum(a == gt for a, gt in pairs), len(pairs))


def tally_description(review_statuses: Iterable[str | None]) -> Tally:
    """Review status of each of u's answers to q ("approved", "rejected", None = unreviewed, ignored)."""
    grades = [g for g in map(grade_description, review_statuses) if g is not None]
    return Tally(sum(grades), len(grades))


def tally_reviewer(overridden: Iterable[bool]) -> Tally:
    """One flag per GT row attributed to r for q, True when overridden_by is set (SCORE-ACC-3)."""
    flags = list(overridden)
    return Tally(flags.count(False), len(flags))


def combine(tallies: Iterable[Tally]) -> Tally:
    """Σ correct and Σ total over questions (the "X of Y" of SCORE-RPT-1)."""
    return sum(tallies, Tally())


def overall(tallies: Iterable[Tally]) -> float | None:
    """Σ_q correct ÷ Σ_q total × 100 over questions with total > 0; None when there are none (SCORE-ACC-4)."""
    return combine(tallies).percent


def band(percent: float | None) -> str | None:
    """The band (SCORE-ACC-5): "excellent" ≥ 90, "good" ≥ 80, "fair" ≥ 70, else "needs improvement"; None if
    undefined."""
    if percent is None:
        return None
    for floor, name in ((90, "excellent"), (80, "good"), (70, "fair")):
        if percent >= floor - EPSILON:
            return name
    return "needs improvement"


def report_message(percent: float | None) -> str | None:
    """The report's message (SCORE-RPT-1): "Excellent", "Good", "Room for improvement", "Keep learning"."""
    messages = {"excellent": "Excellent", "good": "Good", "fair": "Room for improvement"}
    name = band(percent)
    return None if name is None else messages.get(name, "Keep learning")


def report_status(tally: Tally) -> str:
    """A report row's status (SCORE-RPT-1): "Correct" at 100%, "Incorrect" at 0%, else the %; "—" if total 0."""
    if tally.total == 0:
        return "—"
    if tally.correct == tally.total:
        return "Correct"
    if tally.correct == 0:
        return "Incorrect"
    return format_percent(tally.percent)


def report_summary(tally: Tally) -> str:
    """The report's "You answered X of Y correctly" line (SCORE-RPT-1)."""
    return f"You answered {tally.correct} of {tally.total} correctly"


# --- Leaderboards (SCORE-LB) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int | None  # None: "no data", listed last
    user_id: str
    correct: int
    total: int
    percent: float | None

    @property
    def highlighted(self) -> bool:
        return self.rank is not None and self.rank <= 3

    @property
    def band(self) -> str | None:
        return band(self.percent)


@dataclass(frozen=True)
class Leaderboard:
    """Ranked rows and the summary. average/highest/lowest are over the defined overall values; count is how
    many users have one, no_data how many do not."""

    rows: tuple[LeaderboardRow, ...]
    average: float | None
    highest: float | None
    lowest: float | None
    count: int
    no_data: int

    def top(self, n: int = 5) -> list[str]:
        """The default columns of the per-question matrix (SCORE-LB-2): the first n users by rank."""
        return [row.user_id for row in self.rows[:n]]


def leaderboard(tallies: Mapping[str, Tally]) -> Leaderboard:
    """Rank users by overall accuracy, highest first; ties: larger total, then user_id ascending (SCORE-LB-1).

    tallies: user_id -> combine() of that user's per-question tallies (annotator or reviewer accuracy).
    The comparison is exact (fractions), so 1/3 and 2/6 tie and go to the larger total.
    """
    defined = sorted(
        (u for u, t in tallies.items() if t.total),
        key=lambda u: (-Fraction(tallies[u].correct, tallies[u].total), -tallies[u].total, u),
    )
    undefined = sorted(u for u, t in tallies.items() if not t.total)
    rows = [
        LeaderboardRow(rank, u, tallies[u].correct, tallies[u].total, tallies[u].percent)
        for rank, u in enumerate(defined, start=1)
    ]
    rows += [LeaderboardRow(None, u, tallies[u].correct, 0, None) for u in undefined]
    values = [tallies[u].percent for u in defined]
    return Leaderboard(
        tuple(rows),
        average=mean_defined(values),
        highest=max(values, default=None),
        lowest=min(values, default=None),
        count=len(defined),
        no_data=len(undefined),
    )


@dataclass(frozen=True)
class Comparison:
    """One Compare row (SCORE-LB-3): the mean of the defined values and each user's signed difference from it
    (None for a user without a value, or when no value is defined). Show differences with format_difference."""

    values: dict[str, float | None]
    mean: float | None
    differences: dict[str, float | None]


def compare(values: Mapping[str, float | None]) -> Comparison:
    """Compare the picked users' % on one question, or overall (SCORE-LB-3). The form enforces 2–5 users."""
    mean = mean_defined(values.values())
    differences = {u: None if v is None or mean is None else v - mean for u, v in values.items()}
    return Comparison(dict(values), mean, differences)


# --- Agreement (SCORE-AGR) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """Agreement on one single question (SCORE-AGR-2/3/4). pairable_units: videos with ≥ 2 answers;
    n: answers in them. percent_agreement and alpha are None when undefined; all_identical marks D_e = 0
    (every pairable answer has the same value: alpha undefined, PA = 100)."""

    pairable_units: int
    n: int
    percent_agreement: float | None
    alpha: float | None
    all_identical: bool


def _pairable(units: Iterable[Sequence[str]]) -> list[Counter[str]]:
    return [Counter(answers) for answers in units if len(answers) >= 2]


def percent_agreement(units: Iterable[Sequence[str]]) -> float | None:
    """PA = 100 × Σ_v Σ_c m_vc(m_vc − 1) / Σ_v m_v(m_v − 1) over pairable units (SCORE-AGR-2)."""
    return _percent_agreement(_pairable(units))


def _percent_agreement(pairable: list[Counter[str]]) -> float | None:
    pairs = sum(m.total() * (m.total() - 1) for m in pairable)
    agreeing = sum(c * (c - 1) for m in pairable for c in m.values())
    return agreeing * 100 / pairs if pairs else None


def krippendorff_alpha(units: Iterable[Sequence[str]]) -> float | None:
    """Krippendorff's alpha, nominal, over pairable units (SCORE-AGR-3); None when undefined.

    With ordered pairs of different coders on v, Σ_{c≠k} pairs_v(c,k) = m_v² − Σ_c m_vc², so
    Σ_{c≠k} o_ck = Σ_v (m_v² − Σ_c m_vc²)/(m_v − 1); n_c = Σ_v m_vc; Σ_{c≠k} n_c n_k = n² − Σ_c n_c².
    Computed with fractions, so equal data give exactly equal alphas.
    """
    return agreement(units).alpha


def agreement(units: Iterable[Sequence[str]]) -> Agreement:
    """PA and alpha for one question. units: per video in V(P), the coders' answers to q on it."""
    pairable = _pairable(units)
    if not pairable:
        return Agreement(0, 0, None, None, False)
    n = sum(m.total() for m in pairable)
    disagreeing = sum(Fraction(m.total() ** 2 - sum(c * c for c in m.values()), m.total() - 1) for m in pairable)
    n_c = sum(pairable, Counter())
    d_o = disagreeing / n
    d_e = Fraction(n * n - sum(c * c for c in n_c.values()), n * (n - 1))
    alpha = None if d_e == 0 else float(1 - d_o / d_e)
    return Agreement(len(pairable), n, _percent_agreement(pairable), alpha, d_e == 0)


def agreement_summary(results: Iterable[Agreement]) -> tuple[float | None, float | None]:
    """(mean of the defined PA values, mean of the defined alphas), unweighted (SCORE-AGR-4)."""
    results = list(results)
    return mean_defined(r.percent_agreement for r in results), mean_defined(r.alpha for r in results)
