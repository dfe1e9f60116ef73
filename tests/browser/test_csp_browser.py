"""The Content-Security-Policy breaks nothing (issue 16.14): the main portal pages, the admin and the API docs
load in Chromium with no CSP violation, and an inline script really is refused."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from catalog.models import Project
from syncing.helpers import sync_from_folder
from tests.support.browser import login, shot

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.fixture
def page(browser: Browser, browser_context_args):
    """A page that enforces the policy (the suite's default context bypasses it for wait_for_function)."""
    context = browser.new_context(**{**browser_context_args, "bypass_csp": False})
    yield context.new_page()
    context.close()


@pytest.fixture
def demo(transactional_db):
    sync_from_folder(DEMO, quiet=True)
    project = Project.objects.get(name="Human Test 0")
    return project, project.videos.order_by("project_links__position").first()


def violations_while_visiting(page: Page, live_server, paths: list[str]) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: (
            found.append(f"{page.url}: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, f"{path}: {response.status} {page.inner_text('main')[:500]}"
        assert "script-src 'self'" in response.headers["content-security-policy"], path  # and nothing inline
        page.wait_for_load_state("networkidle")
        page.evaluate("() => new Promise(requestAnimationFrame)")  # let deferred scripts and htmx settle
    return found


def test_issue16_14_portal_pages_run_under_the_policy_without_violations(page: Page, live_server, demo):
    project, video = demo
    login(page, live_server, "admin1@example.com", "admin111")
    p, v = project.pk, video.pk
    paths = [
        "/annotate/",
        f"/annotate/{p}/",
        f"/annotate/{p}/videos/{v}/",
        "/review/",
        f"/review/{p}/",
        f"/review/{p}/videos/{v}/",
        "/meta-review/",
        f"/meta-review/{p}/",
        "/search/criteria/project/",
        "/search/completion/",
        f"/search/video/?video_uid={video.video_uid}",
        "/account/token/",
        "/admin/",
        "/admin/catalog/user/",
        "/admin/catalog/project/",
        f"/admin/catalog/project/{p}/change/",
        "/admin/tools/metrics/",
        "/admin/tools/assignments/bulk/",
        "/admin/tools/projects/new/",
        f"/review/{p}/analytics/annotators/",
        "/api/docs/",
        "/api/docs/redoc/",
    ]
    found = violations_while_visiting(page, live_server, paths)
    shot(page, "csp-last-page")
    assert found == []


def test_issue16_14_an_inline_script_is_refused(page: Page, live_server, demo):
    login(page, live_server, "admin1@example.com", "admin111")
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(f"{live_server.url}/annotate/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in m for m in messages)
