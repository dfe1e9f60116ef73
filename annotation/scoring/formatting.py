"""Formatting (DM-DER-10, DM-DER-11): percentages, differences, alpha, bar widths and display names."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from annotation.scoring.numbers import EPSILON


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
