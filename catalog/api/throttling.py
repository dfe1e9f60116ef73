"""API request throttling per token (issue 16.8): one script cannot flood the server.

Each user has at most one token (DM-TOK-1), so counting per user counts per token; browser sessions are
counted the same way. The rate is API_THROTTLE_RATE (e.g. "600/min"; "off" switches it off), read at
each request so tests and operators can change it. Counts live in the `throttle` cache: per process by
default, shared between gunicorn workers when API_THROTTLE_CACHE_URL names a Redis cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def __init__(self):
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        rate = (getattr(settings, "API_THROTTLE_RATE", None) or "").strip()
        return None if rate.lower() in ("", "off", "none") else rate

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # refused with 401 anyway
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
