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


def paginate(request, ids: list, per_page: int) -> dict:
    """The page of `ids` named by ?page=, plus what _pagination.html shows (PORTAL-PRJ-6)."""
    pages = max(1, -(-len(ids) // per_page))
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except ValueError:
        page = 1
    page_ids = ids[(page - 1) * per_page : page * per_page]
    first = (page - 1) * per_page + 1 if page_ids else 0
    return {
        "page_ids": page_ids,
        "page": page,
        "pages": pages,
        "page_window": page_window(page, pages),
        "first_shown": first,
        "last_shown": first + len(page_ids) - 1 if page_ids else 0,
        "n_videos": len(ids),
    }
