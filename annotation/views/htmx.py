"""Whether a request came from htmx: fragment views answer it with the partial their full page includes."""

from __future__ import annotations


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
