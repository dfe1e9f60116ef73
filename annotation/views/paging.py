"""Numbered pagination (PORTAL-PRJ-6): the first, the last and the current ±2 pages, "…" in the gaps."""

from __future__ import annotations


def page_window(page: int, pages: int, *, radius: int = 2) -> list[int | None]:
    """Page numbers to show, with None where an ellipsis goes."""
    shown = sorted({1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)})
    result: list[int | None] = []
    for number in shown:
        if result and number - result[-1] > 1:
            result.append(None)
        result.append(number)
    return result
