"""Layout settings of a project page (PORTAL-PRJ-5), kept per user, portal and project in the session."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Layout:
    per_row: int
    per_page: int
    autoplay: bool
    loop: bool
    max_per_page: int

    @property
    def is_default(self) -> bool:
        return self == defaults(self.max_per_page)


def _max_per_page(n_videos: int) -> int:
    return max(1, min(20, n_videos))


def defaults(max_per_page: int) -> Layout:
    return Layout(per_row=1, per_page=min(10, max_per_page), autoplay=True, loop=True, max_per_page=max_per_page)


def _key(portal: str, project_id: int) -> str:
    return f"layout:{portal}:{project_id}"


def load(session, portal: str, project_id: int, *, n_videos: int) -> Layout:
    top = _max_per_page(n_videos)
    base = defaults(top)
    stored = session.get(_key(portal, project_id)) or {}
    per_page = stored.get("per_page", base.per_page)
    return Layout(
        per_row=2 if stored.get("per_row") == 2 else 1,
        per_page=min(max(1, per_page), top) if isinstance(per_page, int) else base.per_page,
        autoplay=bool(stored.get("autoplay", base.autoplay)),
        loop=bool(stored.get("loop", base.loop)),
        max_per_page=top,
    )


def save(session, portal: str, project_id: int, data, *, n_videos: int) -> Layout:
    """Store the posted settings, clamped to the allowed ranges."""
    top = _max_per_page(n_videos)
    try:
        per_page = int(data.get("per_page", ""))
    except ValueError:
        per_page = defaults(top).per_page
    layout = Layout(
        per_row=2 if data.get("per_row") == "2" else 1,
        per_page=min(max(1, per_page), top),
        autoplay=data.get("autoplay") == "on",
        loop=data.get("loop") == "on",
        max_per_page=top,
    )
    stored = asdict(layout)
    stored.pop("max_per_page")
    session[_key(portal, project_id)] = stored
    return layout


def reset(session, portal: str, project_id: int) -> None:
    session.pop(_key(portal, project_id), None)


def update(session, portal: str, project_id: int, data, *, n_videos: int) -> None:
    """The Layout panel's POST: "Reset to defaults" or Apply."""
    if data.get("reset"):
        reset(session, portal, project_id)
    else:
        save(session, portal, project_id, data, n_videos=n_videos)
