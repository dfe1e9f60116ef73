"""Value rules shared by sync, the admin portal and the API: one place for each rule."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from catalog.wording import UNPRINTABLE, quote

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
_WHITESPACE = re.compile(r"\s")


def natural_key_problem(value: str, max_length: int | None = None) -> str | None:
    """DM-CONV-3: non-empty, no surrounding whitespace, never silently trimmed; and no NUL, control or
    terminal escape characters, nor lone surrogates: a key is printed, compared and stored (issue 16.13)."""
    if value == "":
        return "must not be empty"
    bad = UNPRINTABLE.search(value)
    if bad:
        return (
            f"{quote(value)} must not contain control characters or lone surrogates "
            f"(\\u{ord(bad.group()):04x} at position {bad.start() + 1})"
        )
    if value != value.strip():
        return f"{quote(value)} must not begin or end with whitespace"
    if max_length is not None and len(value) > max_length:
        return f"is {len(value)} characters long; at most {max_length} allowed"
    return None


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class YouTubeVideo:
    video_id: str
    start: int | None = None
    end: int | None = None


class InvalidVideoUrl(ValueError):
    pass


def _seconds(value: str) -> int:
    match = _DURATION.match(value) if value else None
    if not match or not any(match.groups()):
        raise InvalidVideoUrl(f"YouTube time {value!r} is not a number of seconds")
    h, m, s = (int(g) if g else 0 for g in match.groups())
    return h * 3600 + m * 60 + s


def parse_youtube(url: str) -> YouTubeVideo | None:
    """DM-VID-3: the video id and segment of a YouTube URL; None when the host is not YouTube."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in YOUTUBE_HOSTS:
        return None
    query = parse_qs(parts.query)
    path = parts.path
    if host == "youtu.be":
        video_id = path.lstrip("/")
    elif path == "/watch":
        video_id = (query.get("v") or [""])[0]
    elif path.startswith(("/embed/", "/shorts/")):
        video_id = path.split("/", 2)[2]
    else:
        video_id = ""
    if not _YOUTUBE_ID.match(video_id):
        raise InvalidVideoUrl("YouTube URL is not a video link")
    start = end = None
    if "start" in query:
        if not query["start"][0].isdigit():
            raise InvalidVideoUrl("YouTube start must be whole seconds")
        start = int(query["start"][0])
    elif "t" in query:
        start = _seconds(query["t"][0])
    if "end" in query:
        if not query["end"][0].isdigit():
            raise InvalidVideoUrl("YouTube end must be whole seconds")
        end = int(query["end"][0])
    if start is not None and end is not None and end <= start:
        raise InvalidVideoUrl(f"YouTube end ({end}) must be greater than start ({start})")
    return YouTubeVideo(video_id, start, end)


def video_url_problem(url: str) -> str | None:
    """DM-VID-2: an http(s) URL with a host, a YouTube video link, or a site-relative path."""
    if not url:
        return "must not be empty"
    if _WHITESPACE.search(url):
        return f'"{url}" must not contain whitespace'
    if len(url) > 2048:
        return f"is {len(url)} characters long; at most 2048 allowed"
    if url.startswith("/"):
        if url.startswith("//"):
            return f'"{url}" is not a site-relative path (it starts with //)'
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f'"{url}" is not an http(s) URL or a site-relative path starting with /'
    try:
        parse_youtube(url)
    except InvalidVideoUrl as exc:
        return f'"{url}": {exc}'
    return None


def metadata_problem(value) -> str | None:
    """DM-VID-4: an object with string keys and no null values at any depth."""
    if not isinstance(value, dict):
        return "must be a JSON object"

    def walk(v, path):
        if v is None:
            return f"{path} is null; omit the key instead"
        if isinstance(v, dict):
            for k, item in v.items():
                if not isinstance(k, str):
                    return f"{path} has a non-string key"
                found = walk(item, f"{path}.{k}")
                if found:
                    return found
        if isinstance(v, list):
            for i, item in enumerate(v):
                found = walk(item, f"{path}[{i}]")
                if found:
                    return found
        return None

    return walk(value, "metadata")


def instructions_url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or _WHITESPACE.search(url):
        return f'"{url}" is not an http(s) URL'
    return None


def email_problem(email: str) -> str | None:
    """SYNC-USR-2: exactly one @ with non-empty parts, at most 254 characters."""
    if len(email) > 254:
        return f"is {len(email)} characters long; at most 254 allowed"
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or _WHITESPACE.search(email):
        return f'"{email}" is not an email address'
    return None


# The admin portal offers at most this many options per single question (PORTAL-ADM-7).
MAX_OPTIONS = 30


def removed_options(old: list[str] | None, new: list[str]) -> list[str]:
    """DM-Q-4: the stored options missing from `new` (options are never removed, so a value never changes)."""
    return [option for option in old or [] if option not in new]
