"""Numbers typed into forms: only finite ones count (issue 16.12).

Python's float() accepts "inf", "nan" and "1e999" (which overflows to inf). A weight of inf broke the
reviewer auto-submit's preview and made its execute skip the threshold, so the auto-submit panels read
their numbers through form_number and refuse a non-finite one.
"""

from __future__ import annotations

import math


class NotFinite(ValueError):
    """A number was typed, but it is infinite or not a number ("inf", "nan", "1e999")."""


def form_number(raw: str | None) -> float | None:
    """The number in a form field; None when the field is empty or not a number (the caller's default).
    Raises NotFinite for infinity and NaN."""
    try:
        value = float((raw or "").strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        raise NotFinite(f'"{raw}" is not a finite number')
    return value
