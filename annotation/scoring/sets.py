"""Arithmetic on set-valued answers (multiple-choice questions): per-option weighted consensus and
Krippendorff's alpha with the MASI distance. Standard library only, like the rest of `scoring`.

Answers arrive here as frozensets of option values; the question type (catalog/question_types/multiple.py)
decodes its stored form before calling in. The formulas are stated in docs/scoring.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from annotation.scoring.agreement import Agreement, percent_agreement
from annotation.scoring.formatting import format_percent
from annotation.scoring.numbers import EPSILON

Answer = frozenset[str]


@dataclass(frozen=True)
class OptionShare:
    """One option's weighted share of the voters (0–100), and whether it is in the consensus set."""

    option: str
    share: float
    included: bool
    decided: bool  # its share, or the share of the voters who left it out, reaches the threshold


@dataclass(frozen=True)
class SetVote:
    """The per-option consensus of one (video, question). total: the summed user weight of the voters."""

    shares: tuple[OptionShare, ...]
    total: float
    voters: int

    @property
    def chosen(self) -> list[str]:
        return [s.option for s in self.shares if s.included]

    @property
    def undecided(self) -> list[OptionShare]:
        return [s for s in self.shares if not s.decided]

    def share_of(self, option: str) -> float | None:
        return next((s.share for s in self.shares if s.option == option), None)


def vote_sets(
    votes: Iterable[tuple[Answer, float]],
    options: Sequence[str],
    *,
    threshold: float,
    option_weights: Mapping[str, float] | None = None,
) -> SetVote:
    """Weighted consensus per option.

    For option o with option weight w_o, voters' weights u_i and I_o the voters whose set holds o:
        in_o = w_o × Σ_{i∈I_o} u_i,  out_o = Σ_{i∉I_o} u_i,  share_o = 100 × in_o / (in_o + out_o)
    (with every w_o = 1 this is the weighted fraction of voters who ticked o). o is in the consensus set when
    share_o reaches the threshold; o is decided when it is in, or when 100 − share_o reaches the threshold.
    Raises ValueError for a negative weight or a threshold outside [0, 100].
    """
    if not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be between 0 and 100, not {threshold}")
    option_weights = option_weights or {}
    ballots = list(votes)
    for chosen, weight in ballots:
        if weight < 0:
            raise ValueError(f"weights must be ≥ 0 (answer {sorted(chosen)!r}: user weight {weight})")
    total = sum(weight for _, weight in ballots)
    shares = []
    for option in options:
        w = option_weights.get(option, 1.0)
        if w < 0:
            raise ValueError(f"weights must be ≥ 0 (option {option!r}: option weight {w})")
        held = sum(weight for chosen, weight in ballots if option in chosen)
        included_weight, left_out = w * held, total - held
        whole = included_weight + left_out
        share = included_weight / whole * 100 if whole > 0 else 0.0
        included = whole > 0 and share >= threshold - EPSILON
        decided = included or (whole > 0 and 100 - share >= threshold - EPSILON)
        shares.append(OptionShare(option, share, included, decided))
    return SetVote(tuple(shares), total, len(ballots))


def undecided_reason(
    undecided: Sequence[OptionShare], threshold: float, labels: Mapping[str, str] | None = None
) -> str:
    """`"Tilt": ticked 33.3%, left out 66.6% | Required 80%` for the first option that is neither in nor out:
    the weighted shares that ticked it and that left it out, neither reaching the threshold. labels: option ->
    label. More undecided options are counted after it."""
    first = undecided[0]
    more = f" (and {len(undecided) - 1} more)" if len(undecided) > 1 else ""
    name = (labels or {}).get(first.option, first.option)
    split = f"ticked {format_percent(first.share)}, left out {format_percent(100 - first.share)}"
    return f'"{name}": {split} | Required {format_percent(threshold)}{more}'


def masi_distance(a: Answer, b: Answer) -> Fraction:
    """MASI distance: 1 − J × M, J = |A∩B| / |A∪B| (1 for two empty sets), M = 1 when A = B, 2/3 when one
    holds the other, 1/3 when they only overlap, 0 when they are disjoint."""
    if a == b:
        return Fraction(0)
    common = len(a & b)
    if not common:
        return Fraction(1)
    monotonicity = Fraction(2, 3) if a <= b or b <= a else Fraction(1, 3)
    return 1 - Fraction(common, len(a | b)) * monotonicity


def masi_agreement(units: Iterable[Sequence[Answer]]) -> Agreement:
    """Percent agreement (exact sets) and Krippendorff's alpha with the MASI distance, over the videos with
    at least two answers:
        D_o = (1/n) Σ_v 1/(m_v − 1) Σ_{i≠j} δ(a_vi, a_vj),   D_e = 1/(n(n − 1)) Σ_{i≠j over all n} δ(a_i, a_j),
        α = 1 − D_o / D_e (undefined when D_e = 0), δ the MASI distance.
    Pairs are counted per distinct answer, so the cost grows with the distinct sets, not the answers squared.
    """
    pairable = [Counter(answers) for answers in units if len(answers) >= 2]
    if not pairable:
        return Agreement(0, 0, None, None, False)
    n = sum(m.total() for m in pairable)
    observed = sum(Fraction(_pair_distance(m, m), m.total() - 1) for m in pairable)
    everything = sum(pairable, Counter())
    d_o = observed / n
    d_e = Fraction(_pair_distance(everything, everything), n * (n - 1))
    alpha = None if d_e == 0 else float(1 - d_o / d_e)
    pa = percent_agreement([list(m.elements()) for m in pairable])
    return Agreement(len(pairable), n, pa, alpha, d_e == 0)


def _pair_distance(left: Counter, right: Counter) -> Fraction:
    """Σ over ordered pairs of (left value, right value) of count × count × δ (δ(a, a) = 0)."""
    return sum(
        (left[a] * right[b] * masi_distance(a, b) for a in left for b in right if a != b),
        Fraction(0),
    )
