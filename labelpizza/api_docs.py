"""The API docs pages (Swagger UI at /api/docs/, Redoc at /api/docs/redoc/), served without the internet.

drf-spectacular-sidecar ships both UIs as static files, but Redoc's page still asked Google for fonts and
Redoc's bundle fetches its "API docs by Redocly" logo from cdn.redoc.ly (issue 11.10). Our Redoc page uses
the system font, starts Redoc from a static script (no inline code, for the Content-Security-Policy), and
loads the bundle through `redoc_bundle`, which points that logo at our own. Swagger UI's page loads its
start-up script from a URL of its own (drf-spectacular's split view) for the same reason.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import condition, require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=1)
def _bundle() -> tuple[bytes, str]:
    text = Path(finders.find(REDOC_BUNDLE)).read_text(encoding="utf-8")
    body = text.replace(REDOCLY_LOGO, static("img/favicon.svg")).encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


@require_GET
@condition(etag_func=lambda request: _bundle()[1])
def redoc_bundle(request):
    """Redoc's standalone bundle with its one internet address (the Redocly logo) pointed at our own file."""
    response = HttpResponse(_bundle()[0], content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("api:redoc-bundle")


@method_decorator(ensure_csrf_cookie, name="get")
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script at `?script` (no inline code). The page still sets the CSRF cookie,
    as the one-piece view did, so session writes from "Try it out" and scripts that read the cookie work."""
