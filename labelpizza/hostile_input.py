"""Input no part of the app can store or parse is refused up front with a 400, never a 500 (issue 16.11).

PostgreSQL text cannot hold the NUL character: a `\\x00` in any query parameter, form field or cookie
would reach a filter or a write and fail there as a server error. One middleware refuses such a request
before any view runs; the API gets its JSON error envelope, the portals an HTML 400 page.
Deeply nested JSON bodies are refused by the API's parser (catalog.api.parsers).
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

NUL = "\x00"
NUL_MESSAGE = "the request contains a NUL character (\\u0000), which no text may contain"


def nul_field(request) -> str | None:
    """The name of the first query parameter, form field or cookie holding a NUL character, if any."""
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if NUL in name or any(NUL in v for v in values if isinstance(v, str)):
                return name.replace(NUL, "\\u0000")
    for name, value in request.COOKIES.items():
        if NUL in name or NUL in value:
            return name.replace(NUL, "\\u0000")
    if NUL in request.path:
        return "path"
    return None


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, message: str, *, field: str = "") -> HttpResponse:
    """A 400 in the API's error envelope under /api/, else the plain 400 page (no request context: the
    context processors would read the very input that was refused)."""
    if is_api(request):
        return JsonResponse({"errors": [{"index": None, "field": field, "message": message}]}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = nul_field(request)
        if field is not None:
            log.info("refused a request with a NUL character in %s: %s", field, request.path_info[:200])
            return bad_request(request, f"{field}: {NUL_MESSAGE}", field=field)
        return self.get_response(request)
