"""PORTAL-GEN-5: when the database is unreachable, explain it and offer a retry instead of a stack trace."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("database unavailable: %s", exception)
        # Rendered without the request: context processors would query the database again.
        html = render_to_string("db_unavailable.html", {"retry": request.get_full_path()})
        return HttpResponse(html, status=503, headers={"Retry-After": "10"})
