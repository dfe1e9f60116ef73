"""Agreement (SCORE-AGR): percent agreement and Krippendorff's alpha (nominal) on single questions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from annotation.scoring.numbers import mean_defined


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
