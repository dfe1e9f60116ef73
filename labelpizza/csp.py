"""Content-Security-Policy on every response (issue 16.14): our own scripts and styles only.

Pages load htmx and our scripts from /static/ and nothing inline: no <script> blocks, no on* handlers,
no style attributes (progress bars use `bar-N` classes; htmx's indicator styles are in app.css). A
script injected into a page, through a bug in escaping say, then does not run. Videos and their
posters may live on other hosts, so media and images also allow CSP_MEDIA_SOURCES (default any
https: host, plus http: with DEBUG). The one outside script is YouTube's IFrame API, which the player
fetches only for YouTube videos, and its player frame.

The API's documentation pages (Swagger UI and Redoc, our own static copies) inject their styles at
run time and Redoc starts a worker from a blob, so under /api/docs/ styles may be inline and workers
may come from blob:; scripts stay our own there too.

Django 5.2 has no built-in CSP, and the policy is one header, so this is a small middleware rather
than a dependency.
"""

from __future__ import annotations

from django.conf import settings

HEADER = "Content-Security-Policy"
DOCS_PREFIX = "/api/docs/"
YOUTUBE = "https://www.youtube.com"  # static/js/player.js: the IFrame API script and the embedded player
YOUTUBE_FRAMES = f"{YOUTUBE} https://www.youtube-nocookie.com"


def policy(*, docs: bool = False) -> str:
    media = " ".join(["'self'", *settings.CSP_MEDIA_SOURCES])
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {YOUTUBE}",
        "style-src": "'self' 'unsafe-inline'" if docs else "'self'",
        "img-src": f"{media} data:",
        "media-src": f"{media} blob:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-src": YOUTUBE_FRAMES,
        "worker-src": "'self' blob:" if docs else "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.page_policy = policy()
        self.docs_policy = policy(docs=True)

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.docs_policy if request.path.startswith(DOCS_PREFIX) else self.page_policy
        return response
