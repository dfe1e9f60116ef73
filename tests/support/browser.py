"""Helpers for real-browser tests of the portal (Playwright driving Debian's Chromium).

The browser fixtures themselves (`page`, `browser`, Chromium's path, the viewport, the async-unsafe switch, the
`browser` marker and the ordering that runs browser tests last) live in the root conftest.py. Browser tests in any
app import these helpers:

    from tests.support.browser import login, shot
"""

import os
import re
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(os.environ.get("LP_SCREENSHOTS") or "/tmp/lp-shots")


def login(page: Page, live_server, email: str, password: str) -> None:
    """Submit the login form at /login/ and wait for the page the server answers with (success or error)."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as $LP_SCREENSHOTS/<name>.png (default /tmp/lp-shots) for humans to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name).strip('-')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


DEMO_CLIPS = Path(__file__).resolve().parents[2] / "static" / "demo"


def serve_with_byte_ranges(route) -> None:
    """Serve a demo clip the way WhiteNoise and CDNs do, honouring Range (use with page.route).

    live_server serves /static/ through django.views.static.serve, which ignores Range; Chrome then
    cannot seek at all (currentTime snaps back to 0).
    """
    data = (DEMO_CLIPS / route.request.url.rsplit("/", 1)[1]).read_bytes()
    headers = {"Accept-Ranges": "bytes", "Content-Type": "video/mp4"}
    match = re.match(r"bytes=(\d+)-(\d*)$", route.request.headers.get("range", ""))
    if not match:
        route.fulfill(status=200, body=data, headers=headers)
        return
    start, end = int(match[1]), int(match[2] or len(data) - 1)
    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    route.fulfill(status=206, body=data[start : end + 1], headers=headers)
