"""The floating-point tolerance and the mean of defined values, shared by every scoring module.

One constant, EPSILON = 1e-9, is used wherever the spec compares computed percentages or weights (the
threshold test of SCORE-VOTE-2, tie detection, band boundaries, percent display), so that e.g. 0.1 + 0.2 vs
0.3 counts as a tie and 89.99999999999999 is "excellent" and shows "90%".
"""

from __future__ import annotations

from collections.abc import Iterable

EPSILON = 1e-9


def mean_defined(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None, or None when there are none."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
