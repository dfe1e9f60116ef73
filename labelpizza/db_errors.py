"""PORTAL-GEN-5: when the database is unreachable, explain it and offer a retry instead of a stack trace.

A write that lost a race (a deadlock, a serialization failure, a lock it could not get in time) is not a
lost database: it is a conflict the client may simply retry, so it gets 409 (issue 16.7), in the API's
error envelope under /api/ and as a plain page elsewhere. The 503 page stays for a real loss.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
CONFLICT_SQLSTATES = {"40001", "40P01", "55P03"}
CONFLICT_MESSAGE = "another write to the same videos ran at the same moment; nothing was saved, please retry"


def is_conflict(exc: BaseException) -> bool:
    """True for a write that lost a race with another one, on PostgreSQL or SQLite."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    # SQLite's busy timeout ran out while another writer held the database.
    return "database is locked" in str(exc)


def conflict_response(request) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        body = {"errors": [{"index": None, "field": "", "message": CONFLICT_MESSAGE}]}
        return JsonResponse(body, status=409, headers={"Retry-After": "1"})
    html = render_to_string("db_conflict.html", {"retry": request.get_full_path()})
    return HttpResponse(html, status=409, headers={"Retry-After": "1"})


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if is_conflict(exception):
            log.warning("write conflict, answered 409: %s", exception)
            return conflict_response(request)
        log.error("database unavailable: %s", exception)
        # Rendered without the request: context processors would query the database again.
        html = render_to_string("db_unavailable.html", {"retry": request.get_full_path()})
        return HttpResponse(html, status=503, headers={"Retry-After": "10"})
