"""Whole-page cache for hot portal pages, valid only while the database is exactly as it was (DM-DER-1).

A cached page is served only if PostgreSQL's current snapshot (`pg_current_snapshot()`) is the one
taken before the page was rendered. Equal snapshots mean that no transaction has been assigned an id
or finished in between, so every committed row, the user's roles included, is what the page was built
from: the cached page is exactly what rendering now would produce. Any write, through the app or not
(sync, the API, psql), invalidates every entry at once; there is no time-based staleness and nothing
to invalidate by hand.

An entry belongs to one session and one CSRF secret (it holds form tokens and the session's layout
settings), one full path and one release (a digest of the code, templates and static manifest, since a
shared cache outlives a deploy). Requests that would consume flash messages, requests inside a transaction
(where a snapshot hides the transaction's own writes) and SQLite (no cross-connection snapshot) are
always rendered. `PAGE_CACHE=false` turns the cache off; entries live in the `pages` cache.
"""

from __future__ import annotations

import hashlib
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

HEADER = "X-Page-Cache"  # "hit" or "miss" on pages the cache handles, for operators and tests


def snapshot() -> str | None:
    """The database's current snapshot, or None where no such cross-connection stamp exists."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


@cache
def release() -> str:
    """A digest of what renders pages: the code, the templates and the static files' manifest."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("labelpizza", "catalog", "annotation", "syncing", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".jinja"}:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def _key(request) -> str | None:
    secret = request.META.get("CSRF_COOKIE")  # the unmasked CSRF secret, read from the request's cookie
    session_key = request.session.session_key
    if not secret or not session_key:
        return None  # the page would issue a new secret or session: render it, do not keep it
    parts = (
        release(),
        str(request.user.pk),
        session_key,
        secret,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(view):
    """Serve the view's 200 answer from the `pages` cache while the database snapshot is unchanged.

    Only for GET views whose output depends on nothing but the database, the user, the session, the
    CSRF secret and the full path (no clock, no random). Permission checks stay valid: a change of role
    is a write, and a write is a miss.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.PAGE_CACHE
            or request.method != "GET"
            or not request.user.is_authenticated
            or len(messages.get_messages(request))  # rendering would consume them
            or (key := _key(request)) is None
            or (stamp := snapshot()) is None
        ):
            return view(request, *args, **kwargs)
        store = caches["pages"]
        entry = store.get(key)
        if entry is not None and entry[0] == stamp:
            response = HttpResponse(entry[2], content_type=entry[1])
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            store.set(key, (stamp, response["Content-Type"], response.content))
            response[HEADER] = "miss"
        return response

    return wrapper
