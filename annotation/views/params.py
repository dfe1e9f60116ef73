"""Reading the portals' request parameters: whole numbers, id lists, batch windows, and the page to go back to."""

from __future__ import annotations

from django.shortcuts import redirect


def posted_int(data, key: str, default: int) -> int:
    """`data[key]` as an int, or `default` when it is missing or not a whole number."""
    try:
        return int(data.get(key, default))
    except ValueError:
        return default


def digits(values) -> list[int]:
    """The whole numbers among `values` (e.g. a `getlist`), others dropped."""
    return [int(v) for v in values if v.isdigit()]


def dashboard_params(request) -> tuple[dict, dict[str, int]]:
    """PORTAL-DASH: the dashboard's search, sort and direction (also shown on the page), and the page of
    each group section (`page_<section>`)."""
    shown = {
        "search": request.GET.get("q", "").strip(),
        "sort": request.GET.get("sort", "name"),
        "descending": request.GET.get("dir") == "desc",
    }
    pages = {k.removeprefix("page_"): int(v) for k, v in request.GET.items() if k.startswith("page_") and v.isdigit()}
    return shown, pages


def posted_batch(post, video_ids: list[int], size: int, *, page_only: bool) -> tuple[list[int], int, list[int]]:
    """An auto-submit batch (SCORE-AUTO-2/5, PORTAL-ANN-4): the videos in scope (`page_only`: only the posted
    `video` ids, in project order), the posted start and the ids of at most `size` videos from there."""
    if page_only:
        wanted = set(digits(post.getlist("video")))
        video_ids = [v for v in video_ids if v in wanted]
    start = max(0, posted_int(post, "start", 0))
    return video_ids, start, video_ids[start : start + size]


def back_with_query(request, url: str):
    """Redirect to `url` with the page's posted query string, so a settings form keeps the filters and page."""
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query else url)
