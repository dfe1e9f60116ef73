"""What the video player partial needs to know about one video (PLAYER-1..8), as plain JSON data.

Pure: no queries. The dict travels to the browser through `json_script` (PLAYER-8, SEC-3), so every
value here must be JSON-serialisable and is treated as untrusted text on the other side.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urlencode, urlsplit

from catalog.validation import InvalidVideoUrl, parse_youtube, video_url_problem

# PLAYER-4: the speed menu. For YouTube, player.js keeps only the rates the YouTube player reports.
PLAYBACK_RATES = (0.2, 0.5, 1, 1.5, 2, 5, 10)

# A file extension worth keeping: ".mp4", ".webm", ".MOV". Longer or odd suffixes ("clip.2024-01")
# are not treated as extensions, so a uid like "run.v2" still gets the URL's ".mp4".
_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,5}$")


def share_path(video_uid: str) -> str:
    """PORTAL-NAV-4: the search portal's link for a video (global admins only), with the uid URL-encoded."""
    return f"/search/video/?video_uid={quote(video_uid, safe='')}"


def share_link(video_id: int, project_id: int | None = None, portal: str | None = None) -> str:
    """The player's copy-link target: a role-neutral /v/<video>/ link that opens the video in whichever portal
    the person who follows it may use, preferring the sharer's project and portal (issue 11.9;
    annotation/share_links.py). Annotators got 403 on the search portal's link."""
    query = urlencode({k: v for k, v in (("project", project_id), ("portal", portal)) if v is not None})
    return f"/v/{video_id}/" + (f"?{query}" if query else "")


def first_frame_src(src: str) -> str:
    """PLAYER-1, issue 11.9: a media fragment makes the browser fetch and show the frame at 0.1 s while the
    video is idle (with preload="metadata"), instead of a black box (many clips open on a black frame at 0).
    Downloads keep the plain URL; player.js starts the first play at 0."""
    return src if "#" in src else f"{src}#t=0.1"


def _extension(name: str) -> str:
    ext = posixpath.splitext(name)[1]
    return ext if _EXTENSION.match(ext) else ""


def download_name(video_uid: str, url: str) -> str:
    """PLAYER-2: save as the uid, adding the URL path's extension when the uid has none."""
    if _extension(video_uid):
        return video_uid
    return video_uid + _extension(urlsplit(url).path)


def youtube_watch_url(video_id: str, start: int | None = None) -> str:
    """PLAYER-3: the "Open on YouTube" link, keeping the segment's start time."""
    url = f"https://www.youtube.com/watch?v={video_id}"
    return f"{url}&t={start}s" if start else url


def player_config(video, *, share_url: str) -> dict:
    """The JSON config of one player. `video` is a Video or anything with `video_uid` and `url`."""
    uid, url = video.video_uid, video.url
    try:
        youtube = parse_youtube(url)
    except InvalidVideoUrl:
        youtube = None  # stored before a rule changed: show "cannot be played", not a 500
    # Autoescaping does not stop a `javascript:` href, so only URLs DM-VID-2 accepts reach src/href;
    # for any other the partial shows "This video cannot be played".
    playable = video_url_problem(url) is None
    config = {
        "uid": uid,
        "kind": "youtube" if youtube else "file",
        "src": url if playable and not youtube else None,
        "frame_src": first_frame_src(url) if playable and not youtube else None,
        "youtube_id": None,
        "start": None,
        "end": None,
        "download_name": download_name(uid, url) if playable and not youtube else None,
        "share_url": share_url,
        "youtube_url": None,
        "rates": list(PLAYBACK_RATES),
    }
    if youtube:
        config.update(
            youtube_id=youtube.video_id,
            start=youtube.start,
            end=youtube.end,
            youtube_url=youtube_watch_url(youtube.video_id, youtube.start),
        )
    return config
